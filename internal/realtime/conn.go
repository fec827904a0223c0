package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// ConnConfig tunes one connection.
type ConnConfig struct {
	// ReadLimit is the largest frame accepted; larger closes with 1009.
	ReadLimit int64
	// WriteTimeout bounds one frame write; PingInterval is the keepalive.
	WriteTimeout time.Duration
	PingInterval time.Duration
	// CoalesceBytes is the most queued events joined into one frame.
	CoalesceBytes int
	// TypingInterval throttles typing indicators per group.
	TypingInterval time.Duration
}

func DefaultConnConfig() ConnConfig {
	return ConnConfig{ReadLimit: 32 << 10, WriteTimeout: 10 * time.Second, PingInterval: 25 * time.Second,
		CoalesceBytes: 32 << 10, TypingInterval: 3 * time.Second}
}

// Conn is one WebSocket client: a reader goroutine that handles frames and
// a writer goroutine that drains a bounded queue. Nothing else ever writes
// to the socket, and nothing ever waits for the writer.
type Conn struct {
	hub       *Hub
	svc       *Service
	cfg       ConnConfig
	ws        *websocket.Conn
	principal *accounts.Principal

	queue  chan []byte
	queued atomic.Int64 // bytes in queue

	kickOnce    sync.Once
	kicked      chan struct{}
	closeCode   websocket.StatusCode
	closeReason string

	// subs is written by the reader goroutine and by the hub when a
	// member's access changes (dropAccess).
	subsMu sync.Mutex
	subs   map[string]*subscription // by group slug
	// typing is owned by the reader goroutine.
	typing map[string]time.Time
}

func (c *Conn) subscription(group string) *subscription {
	c.subsMu.Lock()
	defer c.subsMu.Unlock()
	return c.subs[group]
}

// takeSubscriptions removes and returns the subscriptions that match.
func (c *Conn) takeSubscriptions(match func(*subscription) bool) []*subscription {
	c.subsMu.Lock()
	defer c.subsMu.Unlock()
	var out []*subscription
	for group, sub := range c.subs {
		if match(sub) {
			delete(c.subs, group)
			out = append(out, sub)
		}
	}
	return out
}

func newConn(svc *Service, ws *websocket.Conn, p *accounts.Principal, cfg ConnConfig) *Conn {
	// A connection lives long: keep only what deciding rights needs, not
	// the tenant's guidelines text or the password hash.
	slim := *p
	slim.Tenant.Guidelines, slim.User.PasswordHash = "", ""
	p = &slim
	return &Conn{hub: svc.hub, svc: svc, cfg: cfg, ws: ws, principal: p,
		queue: make(chan []byte, svc.hub.cfg.QueueMessages), kicked: make(chan struct{}),
		subs: map[string]*subscription{}}
}

// enqueue queues a frame without ever blocking. A full queue means the
// client cannot keep up: it is closed and will resume.
func (c *Conn) enqueue(b []byte) {
	n := int64(len(b))
	if c.queued.Add(n) > int64(c.hub.cfg.QueueBytes) {
		c.queued.Add(-n)
		c.slow()
		return
	}
	select {
	case c.queue <- b:
	default:
		c.queued.Add(-n)
		c.slow()
	}
}

// enqueueWait queues a frame, waiting for room: only the connection's own
// reader goroutine uses it (for replays), never the fan-out.
func (c *Conn) enqueueWait(ctx context.Context, b []byte) error {
	n := int64(len(b))
	for {
		if c.queued.Load()+n <= int64(c.hub.cfg.QueueBytes) || c.queued.Load() == 0 {
			select {
			case c.queue <- b:
				c.queued.Add(n)
				return nil
			case <-c.kicked:
				return errors.New("connection closing")
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		select {
		case <-time.After(5 * time.Millisecond):
		case <-c.kicked:
			return errors.New("connection closing")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *Conn) slow() {
	c.kickOnce.Do(func() {
		c.hub.metrics.slowDrops.Inc()
		c.closeCode, c.closeReason = CloseSlowConsumer, "too slow: reconnect and resume"
		close(c.kicked)
	})
}

// kick asks the writer to close the connection with code.
func (c *Conn) kick(code websocket.StatusCode, reason string) {
	c.kickOnce.Do(func() {
		c.closeCode, c.closeReason = code, reason
		close(c.kicked)
	})
}

// serve runs the connection until either side ends it.
func (c *Conn) serve(ctx context.Context) {
	c.hub.register(c)
	defer c.hub.unregister(c)
	c.ws.SetReadLimit(c.cfg.ReadLimit)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		defer cancel()
		c.writeLoop(ctx)
	}()
	c.readLoop(ctx)
	cancel()
	<-writerDone
	for _, sub := range c.takeSubscriptions(func(*subscription) bool { return true }) {
		c.hub.unsubscribe(sub)
	}
	c.ws.CloseNow()
}

func (c *Conn) writeLoop(ctx context.Context) {
	ping := time.NewTicker(c.cfg.PingInterval)
	defer ping.Stop()
	var carry []byte // taken from the queue but did not fit the last frame
	for {
		var first []byte
		if carry != nil {
			first, carry = carry, nil
		} else {
			select {
			case <-ctx.Done():
				return
			case <-c.kicked:
				c.ws.Close(c.closeCode, c.closeReason)
				return
			case <-ping.C:
				pctx, cancel := context.WithTimeout(ctx, c.cfg.WriteTimeout)
				err := c.ws.Ping(pctx)
				cancel()
				if err != nil {
					return
				}
				continue
			case first = <-c.queue:
				c.queued.Add(-int64(len(first)))
			}
		}
		frame := first
		var buf *bytes.Buffer
		if len(c.queue) > 0 {
			// Coalesce what is already queued into one frame, one JSON
			// object per line, up to CoalesceBytes.
			buf = c.hub.buffers.Get().(*bytes.Buffer)
			buf.Reset()
			buf.Write(first)
		drain:
			for buf.Len() < c.cfg.CoalesceBytes {
				select {
				case next := <-c.queue:
					c.queued.Add(-int64(len(next)))
					if buf.Len()+1+len(next) > c.cfg.CoalesceBytes {
						carry = next
						break drain
					}
					buf.WriteByte('\n')
					buf.Write(next)
				default:
					break drain
				}
			}
			frame = buf.Bytes()
		}
		wctx, cancel := context.WithTimeout(ctx, c.cfg.WriteTimeout)
		err := c.ws.Write(wctx, websocket.MessageText, frame)
		cancel()
		if buf != nil && buf.Cap() <= 4*c.cfg.CoalesceBytes {
			c.hub.buffers.Put(buf) // a burst's oversized buffer is left to the GC
		}
		if err != nil {
			return
		}
	}
}

func (c *Conn) readLoop(ctx context.Context) {
	for {
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			return // closed, too big (closed with 1009 by the library), or ctx ended
		}
		if typ != websocket.MessageText {
			c.enqueue(errorFrame("", "", &FrameError{ErrBadFrame, "send text frames holding JSON"}))
			continue
		}
		c.handle(ctx, data)
	}
}

func (c *Conn) handle(ctx context.Context, data []byte) {
	f, fe := DecodeClientFrame(data)
	if fe != nil {
		c.enqueue(errorFrame(f.Group, f.ClientID, fe))
		return
	}
	switch f.Type {
	case FramePing:
		c.enqueue([]byte(`{"type":"pong"}`))
	case FrameSubscribe:
		c.subscribe(ctx, f)
	case FrameUnsubscribe:
		subs := c.takeSubscriptions(func(s *subscription) bool { return s.group == f.Group })
		if len(subs) == 0 {
			c.enqueue(errorFrame(f.Group, "", &FrameError{ErrNotSubscribed, "not subscribed to " + f.Group}))
			return
		}
		c.hub.unsubscribe(subs[0])
		b, _ := json.Marshal(Event{Type: TypeUnsubscribed, Group: f.Group})
		c.enqueue(b)
	case FrameSend:
		c.send(ctx, f)
	case FrameTyping:
		c.typingFrame(ctx, f)
	}
}

func (c *Conn) subscribe(ctx context.Context, f ClientFrame) {
	if c.subscription(f.Group) != nil {
		c.enqueue(errorFrame(f.Group, "", &FrameError{ErrAlreadySubscribe, "already subscribed to " + f.Group + ": unsubscribe first to resume from another point"}))
		return
	}
	rights, err := c.svc.rights(ctx, c.principal, f.Group)
	if err != nil {
		c.enqueue(errorFrame(f.Group, "", frameErrorOf(err)))
		return
	}
	access := rights.access
	if !access.CanRead {
		c.enqueue(errorFrame(f.Group, "", &FrameError{ErrForbidden, access.Reason}))
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
		c.enqueue(errorFrame(f.Group, "", fe))
		return
	}
	c.subsMu.Lock()
	c.subs[f.Group] = sub
	c.subsMu.Unlock()
}

func (c *Conn) send(ctx context.Context, f ClientFrame) {
	// A subscription carries the member's rights in its group, kept
	// current by access-changed commands, so most sends look nothing up.
	var known *sendRights
	if sub := c.subscription(f.Group); sub != nil {
		known = &sub.rights
	}
	committed, err := c.svc.Send(ctx, c.principal, f.Group, known, f.ClientID, *f.Text)
	if err != nil {
		c.enqueue(errorFrame(f.Group, f.ClientID, frameErrorOf(err)))
		return
	}
	at := committed.Message.CreatedAt
	b, _ := json.Marshal(Event{Type: TypeAck, Group: f.Group, ClientID: f.ClientID, ID: committed.Message.ID, Seq: committed.Seq, At: &at, Held: committed.Held})
	c.enqueue(b)
}

func (c *Conn) typingFrame(ctx context.Context, f ClientFrame) {
	sub := c.subscription(f.Group)
	if sub == nil || !sub.rights.access.CanPost {
		return // lurkers never show up, typing included
	}
	now := time.Now()
	if now.Sub(c.typing[f.Group]) < c.cfg.TypingInterval {
		return
	}
	if c.typing == nil {
		c.typing = map[string]time.Time{}
	}
	c.typing[f.Group] = now
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
