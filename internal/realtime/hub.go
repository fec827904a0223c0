package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"quietroom/internal/store"
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
	// GapGrace is how long a gap in a channel's sequence may stay open
	// before it is filled from the store. Two instances publish in their
	// own order, so a later event often arrives a moment before an
	// earlier one; reading the store for each such gap costs a query per
	// reordering, which under load waits on the connection pool.
	GapGrace time.Duration
	// InstanceID names this instance in presence.
	InstanceID string
	// PresenceRefresh is how often this instance rewrites its presence
	// entries (they expire after the store's TTL, 60 s by default) and
	// re-reads every channel's merged list, pushing it to subscribers when
	// it changed unannounced: when another instance died, its entries
	// expire and the members it held go offline for everyone.
	PresenceRefresh time.Duration
}

func DefaultHubConfig() HubConfig {
	// QueueBytes is the real bound; the frame bound only caps the
	// bookkeeping of many tiny frames (the writer coalesces them).
	return HubConfig{ReplayLimit: 500, QueueMessages: 128, QueueBytes: 1 << 20, CatchUpInterval: 5 * time.Second,
		GapGrace: 100 * time.Millisecond, PresenceRefresh: presenceTTL / 3}
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

	// brokerOrder orders broker subscribe/unsubscribe calls for one
	// channel, so an unsubscribe never overtakes the next subscribe; calls
	// for different channels do not wait for each other.
	brokerOrder keyedMutex
	mu          sync.RWMutex
	channels    map[string]*channel

	connMu sync.Mutex
	conns  map[*Conn]struct{}
	// perMember counts each member's connections ("tenant/user").
	perMember map[string]int
	// buffers lend connection writers a buffer only while they coalesce,
	// so an idle connection holds none.
	buffers sync.Pool
	// bursts lend connection writers the buffer a burst's frames gather in
	// before their one write (burst.go).
	bursts sync.Pool

	ctx  context.Context // set by Run; fills stop with it
	wg   sync.WaitGroup  // fills and presence refreshes in flight
	runc chan struct{}
}

func NewHub(broker Broker, st *Store, presence PresenceStore, cfg HubConfig, metrics *Metrics, log *slog.Logger) *Hub {
	h := &Hub{broker: broker, store: st, presence: presence, cfg: cfg, metrics: metrics, log: log,
		channels: map[string]*channel{}, conns: map[*Conn]struct{}{}, perMember: map[string]int{}, ctx: context.Background(), runc: make(chan struct{}),
		origin: store.NewID()}
	h.buffers.New = func() any { return new(bytes.Buffer) }
	h.bursts.New = func() any { b := make([]byte, 0, 4096); return &b }
	return h
}

// keyedMutex is a mutex per key, kept only while someone holds or waits
// for it.
type keyedMutex struct {
	mu   sync.Mutex
	keys map[string]*keyedLock
}

type keyedLock struct {
	mu    sync.Mutex
	users int // holders and waiters, guarded by keyedMutex.mu
}

// lock takes key's mutex and returns its unlock.
func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.keys == nil {
		k.keys = map[string]*keyedLock{}
	}
	l := k.keys[key]
	if l == nil {
		l = &keyedLock{}
		k.keys[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.keys, key)
		}
		k.mu.Unlock()
	}
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
		refresh := time.NewTicker(h.cfg.PresenceRefresh)
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
// register adds c unless its member already has max connections here
// (max 0: no cap).
func (h *Hub) register(c *Conn, max int) bool {
	key := c.principal.Tenant.ID + "/" + c.principal.User.ID
	h.connMu.Lock()
	if max > 0 && h.perMember[key] >= max {
		h.connMu.Unlock()
		return false
	}
	h.conns[c] = struct{}{}
	h.perMember[key]++
	h.connMu.Unlock()
	h.metrics.connections.Inc()
	return true
}

func (h *Hub) unregister(c *Conn) {
	key := c.principal.Tenant.ID + "/" + c.principal.User.ID
	h.connMu.Lock()
	delete(h.conns, c)
	if h.perMember[key]--; h.perMember[key] <= 0 {
		delete(h.perMember, key)
	}
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
