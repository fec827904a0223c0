package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
)

// ConnConfig tunes one connection.
type ConnConfig struct {
	// ReadLimit is the largest frame accepted; larger closes with 1009.
	ReadLimit int64
	// WriteTimeout bounds one frame write and the wait for a pong.
	WriteTimeout time.Duration
	// PingInterval is how long a connection may be quiet (no frame from
	// the client) before the hub pings it.
	PingInterval time.Duration
	// CoalesceBytes is the most queued events joined into one frame.
	CoalesceBytes int
	// WriterLinger is how long a writer goroutine waits for more frames
	// after its queue empties before it exits: a busy connection keeps one
	// writer (and its grown stack) instead of starting one per burst; an
	// idle one has none after this long.
	WriterLinger time.Duration
	// TypingInterval throttles typing indicators per group.
	TypingInterval time.Duration
	// MaxConnsPerMember caps one member's open sockets on one instance;
	// the socket over the cap is closed with CloseTooManyConnections.
	MaxConnsPerMember int
	// SubscribeRate and SubscribeBurst are each connection's token bucket
	// for subscribe frames, so a resubscribe loop cannot make the hub
	// replay history and look up rights without end.
	SubscribeRate  rate.Limit
	SubscribeBurst int
}

func DefaultConnConfig() ConnConfig {
	return ConnConfig{ReadLimit: 32 << 10, WriteTimeout: 10 * time.Second, PingInterval: 45 * time.Second,
		CoalesceBytes: 32 << 10, TypingInterval: 3 * time.Second, WriterLinger: time.Second,
		MaxConnsPerMember: 20, SubscribeRate: 2, SubscribeBurst: 30}
}

// Conn is one WebSocket client. Its reader goroutine waits for the
// client's frames for the connection's whole life (see readLoop); a writer
// goroutine runs only while frames wait in its bounded send queue (see
// writer.go). An idle member costs one parked goroutine with a small
// stack. Nothing else ever writes to the socket, and nothing ever waits
// for the writer.
type Conn struct {
	hub       *Hub
	svc       *Service
	cfg       ConnConfig
	ws        *websocket.Conn
	principal *accounts.Principal

	sock *socket // nil if the upgrade did not go through hijack
	// subscribeLimit throttles subscribe frames (nil: unthrottled).
	subscribeLimit *rate.Limiter
	lastHeard      atomic.Int64 // when the last frame came in, Unix nanoseconds
	// awayUntil is when the member's attack mode ends, Unix milliseconds
	// (0: not in it; awayForever: until they turn it off). Presence shows
	// them away until then. Set at connect and by the hub when it changes.
	awayUntil atomic.Int64

	// The send queue and the writer's state, guarded by qmu.
	qmu         sync.Mutex
	pending     [][]byte
	queued      int           // bytes pending or being written
	writing     bool          // a writer goroutine is running
	wake        chan struct{} // wakes a lingering writer; nil when none runs
	pingDue     bool
	kicked      bool // closing with closeCode: nothing more is queued
	done        bool // serve is tearing down: no writer may start
	closeCode   websocket.StatusCode
	closeReason string
	writers     sync.WaitGroup
	pinger      *time.Timer

	// subs is written by the reader goroutine and by the hub when a
	// member's access changes (dropAccess).
	subsMu sync.Mutex
	subs   []*subscription // one per conversation; a slice, as most have one or two
	// accessChanges counts the access changes that reached this
	// connection (guarded by subsMu). A subscribe that sees it move
	// between its rights lookup and its registration drops what it built:
	// the change may postdate the rights it read.
	accessChanges uint64
	// typing is owned by the reader goroutine.
	typing map[conversation.Address]time.Time
	// rolesStale: the member's roles may have changed since the principal
	// was read (a member-wide access change); the reader goroutine reloads
	// them before it next decides rights (principalNow).
	rolesStale atomic.Bool
}

// principalNow is the connection's member with their roles as they are
// now: after a member-wide access change (roles changed) they are read
// again, so a moderator or admin who lost the role loses its rights on
// sockets opened before, and messages carry the right staff mark. Only the
// reader goroutine calls it, and only it reads the roles. If the roles
// cannot be read, the error is returned rather than the old roles used.
func (c *Conn) principalNow(ctx context.Context) (*accounts.Principal, error) {
	if c.svc.members == nil || !c.rolesStale.Swap(false) {
		return c.principal, nil
	}
	u, err := c.svc.members.User(ctx, c.principal.Tenant.ID, c.principal.User.ID)
	if err != nil {
		c.rolesStale.Store(true)
		return nil, fmt.Errorf("reload roles: %w", err)
	}
	c.principal.User.RolesText = u.RolesText
	return c.principal, nil
}

func (c *Conn) subscription(at conversation.Address) *subscription {
	c.subsMu.Lock()
	defer c.subsMu.Unlock()
	for _, sub := range c.subs {
		if sub.at == at {
			return sub
		}
	}
	return nil
}

// takeSubscriptions removes and returns the subscriptions that match.
func (c *Conn) takeSubscriptions(match func(*subscription) bool) []*subscription {
	c.subsMu.Lock()
	defer c.subsMu.Unlock()
	var out []*subscription
	kept := c.subs[:0]
	for _, sub := range c.subs {
		if match(sub) {
			out = append(out, sub)
		} else {
			kept = append(kept, sub)
		}
	}
	clear(c.subs[len(kept):])
	c.subs = kept
	return out
}

func newConn(svc *Service, ws *websocket.Conn, sock *socket, p *accounts.Principal, cfg ConnConfig) *Conn {
	// A connection lives long: keep only what deciding rights and
	// attributing messages need, not the tenant's guidelines text, the
	// member's email, password hash or preferences, or the session's
	// browser details.
	slim := *p
	slim.Tenant.Guidelines, slim.User.PasswordHash, slim.User.PreferencesJSON = "", "", ""
	slim.User.Email, slim.User.DisplayNameKey = "", ""
	slim.Session.UserAgent, slim.Session.IP, slim.Session.CSRFToken = "", "", ""
	// The same ids were scanned once per row: keep one copy of each.
	for _, id := range []*string{&slim.User.TenantID, &slim.Session.TenantID} {
		if *id == slim.Tenant.ID {
			*id = slim.Tenant.ID
		}
	}
	if slim.Session.UserID == slim.User.ID {
		slim.Session.UserID = slim.User.ID
	}
	c := &Conn{hub: svc.hub, svc: svc, cfg: cfg, ws: ws, sock: sock, principal: &slim}
	if cfg.SubscribeRate > 0 {
		c.subscribeLimit = rate.NewLimiter(cfg.SubscribeRate, cfg.SubscribeBurst)
	}
	c.lastHeard.Store(time.Now().UnixNano())
	c.awayUntil.Store(awayUntil(p.User.AttackMode(time.Now())))
	return c
}

// serve runs the connection until either side ends it. ctx is the hub's:
// the connection itself ends by closing the socket, which costs nothing
// per connection while it is open (a context per connection would).
func (c *Conn) serve(ctx context.Context) {
	if !c.hub.register(c, c.cfg.MaxConnsPerMember) {
		c.ws.Close(CloseTooManyConnections, fmt.Sprintf("you have %d connections open here already: close a tab or device", c.cfg.MaxConnsPerMember))
		return
	}
	defer c.hub.unregister(c)
	c.qmu.Lock()
	c.pinger = time.AfterFunc(c.cfg.PingInterval, c.pingIfQuiet)
	c.qmu.Unlock()
	c.ws.SetReadLimit(c.cfg.ReadLimit)

	c.readLoop(ctx)

	c.qmu.Lock()
	c.done, c.pending = true, nil
	c.wakeWriterLocked() // a lingering writer exits now
	c.qmu.Unlock()
	c.pinger.Stop()
	c.ws.CloseNow() // a writer blocked on the socket gives up now
	c.writers.Wait()
	for _, sub := range c.takeSubscriptions(func(*subscription) bool { return true }) {
		c.hub.unsubscribe(sub)
	}
}

// readLoop waits for the client's frames until the socket closes. Each
// frame is read and handled on a goroutine of its own while this one
// waits: reading and handling need deep stacks (the library's read path,
// JSON, the store), a stack only shrinks at the next GC, and this
// goroutine spends the connection's long idle stretches parked, where a
// starting-size stack is enough. Frames are still handled one at a time,
// in order.
func (c *Conn) readLoop(ctx context.Context) {
	for {
		if err := c.sock.awaitReadable(); err != nil {
			return // the socket was closed
		}
		var open bool
		var wg sync.WaitGroup
		wg.Go(func() { open = c.readFrame(ctx) })
		wg.Wait()
		if !open {
			return
		}
	}
}

// readFrame reads and handles one frame; false means the socket closed.
func (c *Conn) readFrame(ctx context.Context) bool {
	// No deadline: the hub's pings find dead peers, and closing the
	// socket ends this read.
	typ, data, err := c.ws.Read(context.Background())
	if err != nil {
		return false // closed, or too big (closed with 1009 by the library)
	}
	c.lastHeard.Store(time.Now().UnixNano())
	if typ != websocket.MessageText {
		c.enqueue(errorFrame(ClientFrame{}, "", &FrameError{ErrBadFrame, "send text frames holding JSON"}))
		return true
	}
	c.handle(ctx, data)
	return true
}

func (c *Conn) handle(ctx context.Context, data []byte) {
	f, fe := DecodeClientFrame(data)
	if fe != nil {
		c.enqueue(errorFrame(f, f.ClientID, fe))
		return
	}
	switch f.Type {
	case FramePing:
		c.enqueue([]byte(`{"type":"pong"}`))
	case FrameSubscribe:
		c.subscribe(ctx, f)
	case FrameUnsubscribe:
		subs := c.takeSubscriptions(func(s *subscription) bool { return s.at == f.At })
		if len(subs) == 0 {
			c.enqueue(errorFrame(f, "", &FrameError{ErrNotSubscribed, "not subscribed to " + f.At.String()}))
			return
		}
		c.hub.unsubscribe(subs[0])
		b, _ := json.Marshal(Event{Type: TypeUnsubscribed, Group: f.At.GroupField(), Conversation: f.At.String()})
		c.enqueue(b)
	case FrameSend:
		c.send(ctx, f)
	case FrameTyping:
		c.typingFrame(ctx, f)
	}
}

func (c *Conn) subscribe(ctx context.Context, f ClientFrame) {
	if c.subscribeLimit != nil && !c.subscribeLimit.Allow() {
		c.enqueue(errorFrame(f, "", &FrameError{ErrRateLimited, "you are subscribing too often: wait a moment, then subscribe once"}))
		return
	}
	if c.subscription(f.At) != nil {
		c.enqueue(errorFrame(f, "", &FrameError{ErrAlreadySubscribe, "already subscribed to " + f.At.String() + ": unsubscribe first to resume from another point"}))
		return
	}
	c.subsMu.Lock()
	changes := c.accessChanges
	c.subsMu.Unlock()
	p, err := c.principalNow(ctx)
	if err != nil {
		c.enqueue(errorFrame(f, "", frameErrorOf(err)))
		return
	}
	rights, err := c.svc.rights(ctx, p, f.At)
	if err != nil {
		c.enqueue(errorFrame(f, "", frameErrorOf(err)))
		return
	}
	access := rights.access
	if !access.CanRead {
		c.enqueue(errorFrame(f, "", &FrameError{ErrForbidden, access.Reason}))
		return
	}
	since := int64(-1)
	if f.Since != nil {
		since = *f.Since
	}
	sub, err := c.hub.subscribe(ctx, c, c.principal.Tenant.ID, rights, since)
	if err != nil {
		fe := frameErrorOf(err)
		if fe.Code == ErrStoreUnavailable {
			fe = &FrameError{ErrStoreUnavailable, "the conversation could not be loaded: subscribe again in a moment"}
		}
		c.enqueue(errorFrame(f, "", fe))
		return
	}
	c.subsMu.Lock()
	if c.accessChanges != changes {
		c.subsMu.Unlock()
		c.hub.unsubscribe(sub)
		c.enqueue(accessChangedFrame(f.At))
		return
	}
	c.subs = append(c.subs, sub)
	c.subsMu.Unlock()
}

// accessChanged counts an access change and takes the subscriptions it
// ends, at once, so a subscribe in flight either is taken or sees the count
// move.
func (c *Conn) accessChanged(match func(*subscription) bool) []*subscription {
	c.subsMu.Lock()
	c.accessChanges++
	c.subsMu.Unlock()
	return c.takeSubscriptions(match)
}

func (c *Conn) send(ctx context.Context, f ClientFrame) {
	// A subscription carries the member's rights in its group, kept
	// current by access-changed commands, so most sends look nothing up.
	var known *sendRights
	if sub := c.subscription(f.At); sub != nil {
		known = &sub.rights
	}
	p, err := c.principalNow(ctx)
	if err != nil {
		c.enqueue(errorFrame(f, f.ClientID, frameErrorOf(err)))
		return
	}
	committed, err := c.svc.Send(ctx, p, f.At, known, f.ClientID, *f.Text)
	if err != nil {
		c.enqueue(errorFrame(f, f.ClientID, frameErrorOf(err)))
		return
	}
	at := committed.Message.CreatedAt
	b, _ := json.Marshal(Event{Type: TypeAck, Group: f.At.GroupField(), Conversation: f.At.String(), ClientID: f.ClientID, ID: committed.Message.ID, Seq: committed.Seq, At: &at, Held: committed.Held})
	c.enqueue(b)
}

func (c *Conn) typingFrame(ctx context.Context, f ClientFrame) {
	sub := c.subscription(f.At)
	if sub == nil || !sub.rights.access.CanPost {
		return // lurkers never show up, typing included
	}
	now := time.Now()
	if now.Sub(c.typing[f.At]) < c.cfg.TypingInterval {
		return
	}
	if c.typing == nil {
		c.typing = map[conversation.Address]time.Time{}
	}
	c.typing[f.At] = now
	c.svc.Typing(ctx, c.principal, sub.rights.access)
}

// frameErrorOf turns a service error into an error frame.
func frameErrorOf(err error) *FrameError {
	var fe *FrameError
	if errors.As(err, &fe) {
		return fe
	}
	if e, ok := apperr.As(err); ok {
		switch e.Code {
		case apperr.CodeNotFound:
			return &FrameError{ErrNotFound, e.Message}
		case apperr.CodeForbidden, apperr.CodeAudience:
			return &FrameError{ErrForbidden, e.Message}
		}
		return &FrameError{string(e.Code), e.Message}
	}
	return &FrameError{ErrStoreUnavailable, "the message could not be stored: retry with the same client_id"}
}
