package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"quietroom/internal/store"
	"slices"
	"sort"
	"sync"
	"time"
)

// HubConfig bounds what one instance holds per connection and channel.
type HubConfig struct {
	// ReplayLimit is the most events replayed on subscribe; a client
	// further behind is told to page history (subscribed.truncated).
	ReplayLimit int
	// QueueMessages and QueueBytes bound each connection's send queue; a
	// connection that overflows them is closed with CloseSlowConsumer.
	QueueMessages int
	QueueBytes    int
	// CatchUpInterval is how often the hub compares each channel with the
	// store, so a lost pub/sub message is filled even if nothing follows it.
	CatchUpInterval time.Duration
	// InstanceID names this instance in presence.
	InstanceID string
}

func DefaultHubConfig() HubConfig {
	// QueueBytes is the real bound; the frame bound only caps the
	// bookkeeping of many tiny frames (the writer coalesces them).
	return HubConfig{ReplayLimit: 500, QueueMessages: 128, QueueBytes: 1 << 20, CatchUpInterval: 5 * time.Second}
}

// Hub is one instance's set of channels: for each conversation with local
// subscribers, the broker subscription, the last sequence delivered and the
// subscriptions to deliver to. Delivery never blocks on a connection.
type Hub struct {
	// origin marks control commands this hub published, so that it does
	// not act twice on the broker's echo of one it already acted on.
	origin   string
	broker   Broker
	store    *Store
	presence PresenceStore
	log      *slog.Logger
	cfg      HubConfig
	metrics  *Metrics

	// subMu orders broker subscribe/unsubscribe calls for one key, so an
	// unsubscribe can never overtake the next subscribe.
	subMu    sync.Mutex
	mu       sync.RWMutex
	channels map[string]*channel

	connMu sync.Mutex
	conns  map[*Conn]struct{}
	// buffers lend connection writers a buffer only while they coalesce,
	// so an idle connection holds none.
	buffers sync.Pool

	ctx  context.Context // set by Run; fills stop with it
	wg   sync.WaitGroup  // fills and presence refreshes in flight
	runc chan struct{}
}

func NewHub(broker Broker, st *Store, presence PresenceStore, cfg HubConfig, metrics *Metrics, log *slog.Logger) *Hub {
	h := &Hub{broker: broker, store: st, presence: presence, cfg: cfg, metrics: metrics, log: log,
		channels: map[string]*channel{}, conns: map[*Conn]struct{}{}, ctx: context.Background(), runc: make(chan struct{}),
		origin: store.NewID()}
	h.buffers.New = func() any { return new(bytes.Buffer) }
	return h
}

// controlChannel carries instance-wide commands (sessions ended); every
// instance subscribes to it for as long as it runs.
const controlChannel = "qr:control"

// ChannelName is the broker channel of one tenant's conversation.
func ChannelName(tenantID, convID string) string { return "qr:" + tenantID + ":" + convID }

// Run delivers broker messages and catches channels up with the store until
// ctx ends, then waits for the work it started.
func (h *Hub) Run(ctx context.Context) error {
	h.mu.Lock()
	h.ctx = ctx
	h.mu.Unlock()
	close(h.runc)
	if err := h.broker.Subscribe(ctx, controlChannel); err != nil {
		return fmt.Errorf("subscribe to the control channel: %w", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		catchUp := time.NewTicker(h.cfg.CatchUpInterval)
		defer catchUp.Stop()
		presence := time.NewTicker(time.Second)
		defer presence.Stop()
		refresh := time.NewTicker(presenceTTL / 3)
		defer refresh.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-catchUp.C:
				h.catchUpAll()
			case <-presence.C:
				h.flushPresence()
			case <-refresh.C:
				h.refreshPresence()
			}
		}
	}()
	err := h.broker.Run(ctx, h.dispatch, h.catchUpAll)
	<-done
	h.closeAllNow()
	h.wg.Wait()
	return err
}

func (h *Hub) context() context.Context {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.ctx
}

// dispatch receives one broker payload.
func (h *Hub) dispatch(channelName string, payload []byte) {
	var env envelope
	if err := json.Unmarshal(payload, &env); err != nil {
		h.log.Warn("dropping undecodable broker payload", "channel", channelName, "err", err)
		return
	}
	if channelName == controlChannel {
		h.handleControl(env)
		return
	}
	h.mu.RLock()
	ch := h.channels[channelName]
	h.mu.RUnlock()
	if ch == nil {
		return // no local subscribers any more
	}
	if env.Seq == 0 {
		h.handleEphemeral(ch, env)
		return
	}
	ch.offer(StoredEvent{Seq: env.Seq, Payload: env.Event})
}

// offerLocal hands a committed event straight to local subscribers, so
// they are served even when the broker is down; the broker's copy is then
// a duplicate and dropped.
func (h *Hub) offerLocal(tenantID, convID string, ev StoredEvent) {
	h.mu.RLock()
	ch := h.channels[ChannelName(tenantID, convID)]
	h.mu.RUnlock()
	if ch != nil {
		ch.offer(ev)
	}
}

// channel is one conversation with local subscribers.
type channel struct {
	hub              *Hub
	name             string
	tenantID, convID string
	refs             int // guarded by hub.mu

	ready chan struct{} // closed once subscribed and the head is known
	err   error         // set before ready closes, if the subscription failed

	mu      sync.Mutex
	subs    map[*subscription]struct{}
	last    int64 // last sequence delivered; -1 until known
	pending []StoredEvent
	filling bool
	online  map[string]*onlineUser // local, non-lurking members by user id
	// presenceDirty: the local online set changed and must be written;
	// presenceStale: some instance's set changed and must be re-read.
	presenceDirty, presenceStale bool
}

type onlineUser struct {
	author Author
	conns  int
}

// acquire returns the channel for a conversation, subscribing the broker
// and learning the head on first use.
func (h *Hub) acquire(ctx context.Context, tenantID, convID string) (*channel, error) {
	name := ChannelName(tenantID, convID)
	h.subMu.Lock()
	h.mu.Lock()
	ch := h.channels[name]
	creating := ch == nil
	if creating {
		ch = &channel{hub: h, name: name, tenantID: tenantID, convID: convID, ready: make(chan struct{}),
			subs: map[*subscription]struct{}{}, last: -1, online: map[string]*onlineUser{}}
		h.channels[name] = ch
		h.metrics.channels.Inc()
	}
	ch.refs++
	h.mu.Unlock()
	if creating {
		ch.err = h.broker.Subscribe(ctx, name)
		h.subMu.Unlock()
		if ch.err == nil {
			var head int64
			head, ch.err = h.store.Head(ctx, tenantID, convID)
			if ch.err == nil {
				ch.mu.Lock()
				ch.last = head
				ch.drainPendingLocked()
				ch.mu.Unlock()
			}
		}
		close(ch.ready)
	} else {
		h.subMu.Unlock()
		select {
		case <-ch.ready:
		case <-ctx.Done():
			h.release(ch)
			return nil, ctx.Err()
		}
	}
	if ch.err != nil {
		h.release(ch)
		return nil, ch.err
	}
	return ch, nil
}

// release drops one reference; the last one unsubscribes the broker.
func (h *Hub) release(ch *channel) {
	h.subMu.Lock()
	defer h.subMu.Unlock()
	h.mu.Lock()
	ch.refs--
	last := ch.refs == 0
	if last {
		delete(h.channels, ch.name)
		h.metrics.channels.Dec()
	}
	h.mu.Unlock()
	if last {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(h.context()), 5*time.Second)
		defer cancel()
		if err := h.broker.Unsubscribe(ctx, ch.name); err != nil {
			h.log.Warn("broker unsubscribe failed", "channel", ch.name, "err", err)
		}
	}
}

// offer takes one durable event, in whatever order the broker brought it.
func (ch *channel) offer(ev StoredEvent) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if ch.last < 0 || ch.filling {
		ch.pending = append(ch.pending, ev)
		ch.checkPendingBoundLocked()
		return
	}
	ch.advanceLocked(ev)
}

// advanceLocked delivers ev if it is the next in sequence, drops it if
// already delivered, and otherwise starts filling the gap from the store.
func (ch *channel) advanceLocked(ev StoredEvent) {
	switch {
	case ev.Seq <= ch.last:
		ch.hub.metrics.duplicates.Inc()
	case ev.Seq == ch.last+1:
		ch.deliverLocked(ev)
	default:
		ch.pending = append(ch.pending, ev)
		ch.startFillLocked(ev.Seq - 1)
	}
}

func (ch *channel) deliverLocked(ev StoredEvent) {
	ch.last = ev.Seq
	for sub := range ch.subs {
		sub.take(ev)
	}
	ch.hub.metrics.delivered.Add(float64(len(ch.subs)))
}

// drainPendingLocked delivers what can be delivered in order from pending.
func (ch *channel) drainPendingLocked() {
	if len(ch.pending) == 0 {
		return
	}
	sort.Slice(ch.pending, func(i, j int) bool { return ch.pending[i].Seq < ch.pending[j].Seq })
	for i, ev := range ch.pending {
		switch {
		case ev.Seq <= ch.last:
		case ev.Seq == ch.last+1:
			ch.deliverLocked(ev)
		default:
			ch.pending = append(ch.pending[:0], ch.pending[i:]...)
			ch.startFillLocked(ev.Seq - 1)
			return
		}
	}
	ch.pending = ch.pending[:0]
}

// maxPending bounds what a channel buffers while it fills a gap. Past it,
// local subscribers are asked to resume, which rebuilds their state from
// the store.
const maxPending = 20000

func (ch *channel) checkPendingBoundLocked() {
	if len(ch.pending) <= maxPending {
		return
	}
	ch.hub.log.Warn("channel fell too far behind; asking subscribers to resume", "channel", ch.name)
	for sub := range ch.subs {
		sub.conn.kick(CloseResume, "fell behind: resume from your last sequence")
	}
	ch.pending = ch.pending[:0]
}

// startFillLocked fetches (last, target] from the store in the background
// while newer events wait in pending.
func (ch *channel) startFillLocked(target int64) {
	if ch.filling {
		return
	}
	ch.filling = true
	ch.hub.metrics.gapFills.Inc()
	h := ch.hub
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		ch.fill(h.context(), target)
	}()
}

func (ch *channel) fill(ctx context.Context, target int64) {
	backoff := 20 * time.Millisecond
	for {
		ch.mu.Lock()
		from := ch.last
		ch.mu.Unlock()
		events, err := ch.hub.store.EventsAfter(ctx, ch.tenantID, ch.convID, from, target, int(target-from)+1)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			ch.hub.log.Warn("gap fill failed; retrying", "channel", ch.name, "err", err)
			time.Sleep(backoff)
			backoff = min(backoff*2, 2*time.Second)
			continue
		}
		ch.mu.Lock()
		for _, ev := range events {
			if ev.Seq == ch.last+1 {
				ch.deliverLocked(ev)
			}
		}
		ch.filling = false
		ch.drainPendingLocked() // may start the next fill
		ch.mu.Unlock()
		return
	}
}

// catchUpAll compares every channel with the store's head and fills what
// the broker never brought (after a reconnect, or a lost message).
func (h *Hub) catchUpAll() {
	h.mu.RLock()
	chans := make([]*channel, 0, len(h.channels))
	for _, ch := range h.channels {
		chans = append(chans, ch)
	}
	h.mu.RUnlock()
	ctx, cancel := context.WithTimeout(h.context(), 5*time.Second)
	defer cancel()
	for _, ch := range chans {
		select {
		case <-ch.ready:
		default:
			continue
		}
		if ch.err != nil {
			continue
		}
		head, err := h.store.Head(ctx, ch.tenantID, ch.convID)
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("catch-up: head unavailable", "channel", ch.name, "err", err)
			}
			return
		}
		ch.mu.Lock()
		if head > ch.last && ch.last >= 0 && !ch.filling {
			ch.startFillLocked(head)
		}
		ch.mu.Unlock()
	}
}

// spawn runs fn in a goroutine the hub owns: it gets the hub's context
// and Run waits for it before returning.
func (h *Hub) spawn(fn func(context.Context)) {
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		fn(h.context())
	}()
}

// register and unregister track every local connection, so shutdown can
// close them all.
func (h *Hub) register(c *Conn) {
	h.connMu.Lock()
	h.conns[c] = struct{}{}
	h.connMu.Unlock()
	h.metrics.connections.Inc()
}

func (h *Hub) unregister(c *Conn) {
	h.connMu.Lock()
	delete(h.conns, c)
	h.connMu.Unlock()
	h.metrics.connections.Dec()
}

// CloseAll asks every local connection to close with CloseGoingAway, so
// clients resume on another instance; it returns how many it asked.
func (h *Hub) CloseAll() int {
	conns := h.localConns()
	for _, c := range conns {
		c.kick(CloseGoingAway, "this server is restarting: reconnect and resume")
	}
	return len(conns)
}

// closeAllNow cuts the connections still open when the hub stops (after
// CloseAll, only those that did not leave in time), so their goroutines end.
func (h *Hub) closeAllNow() {
	for _, c := range h.localConns() {
		c.ws.CloseNow()
	}
}

func (h *Hub) localConns() []*Conn {
	h.connMu.Lock()
	defer h.connMu.Unlock()
	conns := make([]*Conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	return conns
}

// ConnCount is the number of open local connections.
func (h *Hub) ConnCount() int {
	h.connMu.Lock()
	defer h.connMu.Unlock()
	return len(h.conns)
}

// sessionsEnded is the control command that closes sockets of ended
// sessions: Only names one session, Except spares one, neither means all
// of the user's.
type sessionsEnded struct {
	Type   string `json:"type"`
	User   string `json:"user"`
	Only   string `json:"only,omitempty"`
	Except string `json:"except,omitempty"`
}

func (h *Hub) handleControl(env envelope) {
	var cmd controlCommand
	if json.Unmarshal(env.Event, &cmd) != nil {
		return
	}
	switch cmd.Type {
	case "sessions_ended":
		h.closeSessions(env.Tenant, cmd.sessionsEnded)
	case "access_changed":
		h.dropAccess(env.Tenant, cmd.Conv, cmd.User)
	case "notify":
		if cmd.Origin != h.origin {
			h.notifyLocal(env.Tenant, cmd.Users, cmd.Event)
		}
	}
}

// controlCommand is any command on the control channel.
type controlCommand struct {
	sessionsEnded
	Conv   string          `json:"conv,omitempty"`
	Users  []string        `json:"users,omitempty"`
	Event  json.RawMessage `json:"event,omitempty"`
	Origin string          `json:"origin,omitempty"`
}

// Notify delivers an ephemeral event (a private notice, a moderation
// alert) to every connection of the given members, on every instance.
// Members who are not connected simply do not get it: what matters is also
// kept where they will look (the queue, the flag's outcome).
func (h *Hub) Notify(ctx context.Context, tenantID string, userIDs []string, ev Event) {
	if len(userIDs) == 0 {
		return
	}
	payload, _ := json.Marshal(ev)
	h.notifyLocal(tenantID, userIDs, payload)
	body, _ := json.Marshal(controlCommand{sessionsEnded: sessionsEnded{Type: "notify"}, Users: userIDs, Event: payload, Origin: h.origin})
	env, _ := json.Marshal(envelope{Tenant: tenantID, Event: body})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.broker.Publish(pctx, controlChannel, env); err != nil {
		h.log.Warn("could not pass a notice to other instances", "err", err)
	}
}

// notifyLocal queues payload on this instance's connections of those members.
func (h *Hub) notifyLocal(tenantID string, userIDs []string, payload []byte) {
	h.connMu.Lock()
	var to []*Conn
	for c := range h.conns {
		if c.principal.Tenant.ID == tenantID && slices.Contains(userIDs, c.principal.User.ID) {
			to = append(to, c)
		}
	}
	h.connMu.Unlock()
	for _, c := range to {
		c.enqueue(payload)
	}
}

// AccessChanged tells every instance that a member's access to a group
// changed (they left, started or stopped lurking, were made moderator, the
// group was edited or archived). Their subscriptions to it end with an
// unsubscribed frame (code access_changed); a client subscribes again to
// continue with its new access, or learns it no longer may. An empty
// userID means every member of the group; an empty groupID every group.
func (h *Hub) AccessChanged(ctx context.Context, tenantID, groupID, userID string) {
	h.dropAccess(tenantID, groupID, userID)
	body, _ := json.Marshal(controlCommand{sessionsEnded: sessionsEnded{Type: "access_changed", User: userID}, Conv: groupID})
	env, _ := json.Marshal(envelope{Tenant: tenantID, Event: body})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.broker.Publish(pctx, controlChannel, env); err != nil {
		h.log.Warn("could not tell other instances that access changed", "err", err)
	}
}

// dropAccess ends the matching local subscriptions. Releasing a channel may
// talk to the broker, so it runs off the caller's goroutine (which may be
// the broker's own delivery loop).
func (h *Hub) dropAccess(tenantID, convID, userID string) {
	h.connMu.Lock()
	var conns []*Conn
	for c := range h.conns {
		if c.principal.Tenant.ID == tenantID && (userID == "" || c.principal.User.ID == userID) {
			conns = append(conns, c)
		}
	}
	h.connMu.Unlock()
	var dropped []*subscription
	for _, c := range conns {
		dropped = append(dropped, c.takeSubscriptions(func(s *subscription) bool { return convID == "" || s.ch.convID == convID })...)
	}
	if len(dropped) == 0 {
		return
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		for _, sub := range dropped {
			h.unsubscribe(sub)
			b, _ := json.Marshal(Event{Type: TypeUnsubscribed, Group: sub.group, Code: "access_changed",
				Message: "your access to this group changed: subscribe again to continue"})
			sub.conn.enqueue(b)
		}
	}()
}

func (h *Hub) closeSessions(tenantID string, cmd sessionsEnded) {
	h.connMu.Lock()
	var doomed []*Conn
	for c := range h.conns {
		p := c.principal
		switch {
		case p.Tenant.ID != tenantID || p.User.ID != cmd.User:
		case cmd.Only != "" && p.Session.ID != cmd.Only:
		case cmd.Except != "" && p.Session.ID == cmd.Except:
		default:
			doomed = append(doomed, c)
		}
	}
	h.connMu.Unlock()
	for _, c := range doomed {
		c.kick(CloseSessionEnded, "your session has ended: sign in again")
	}
}

// EndSessions closes, on every instance, the sockets opened with sessions
// that just ended. accounts calls it through its SessionsEnded hook.
func (h *Hub) EndSessions(ctx context.Context, tenantID, userID, only, except string) {
	cmd := sessionsEnded{Type: "sessions_ended", User: userID, Only: only, Except: except}
	h.closeSessions(tenantID, cmd) // here at once, even if the broker is down
	body, _ := json.Marshal(cmd)
	env, _ := json.Marshal(envelope{Tenant: tenantID, Event: body})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.broker.Publish(pctx, controlChannel, env); err != nil {
		h.log.Warn("could not tell other instances that sessions ended", "err", err)
	}
}
