package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

const (
	subprotocol  = "quietroom.v1"
	readLimit    = 1 << 20
	writeTimeout = 10 * time.Second
	// appPingAfter is the browser client's keepalive: an application ping
	// after this long without a frame from the hub. A hub that hears from
	// a client need not ping it.
	appPingAfter = 30 * time.Second
	// maxSeqSpan bounds the seen-bitset of one client (8 MiB of bits): a
	// sequence further than this past the subscription point is counted
	// as stale rather than grown into.
	maxSeqSpan = 1 << 26
)

// groupState is what the run knows about one group: the sequences its
// senders got acks for.
type groupState struct {
	mu    sync.Mutex
	acked []int64
}

func (g *groupState) addAcked(seq int64) {
	g.mu.Lock()
	g.acked = append(g.acked, seq)
	g.mu.Unlock()
}

// client is one WebSocket connection of one user. It is kept small: the
// idle scenario holds tens of thousands of them.
type client struct {
	id    int32
	group int32 // -1: subscribed to nothing
	slug  string
	ws    *websocket.Conn
	st    *stats
	gs    *groupState
	size  int32 // members in its group, for the expected count

	closing   atomic.Bool   // we are closing it: a close is not the server's doing
	done      chan struct{} // closed when the reader returns
	keepalive *time.Timer   // application ping after appPingAfter without a frame

	// subscribe handshake: the reader answers once on subRes.
	subRes chan subResult

	mu      sync.Mutex
	nextN   uint32
	pending map[uint32]int64 // send number -> send time (unix ns), until acked or refused

	// Owned by the reader goroutine (read by others only after done).
	subscribed bool
	base       int64    // group head when subscribed: sequences above it are this run's
	last       int64    // highest sequence received
	seen       []uint64 // bit (seq-base-1) set once seq was received
}

type subResult struct {
	head int64
	err  error
}

// wsHTTPClient dials WebSockets: no proxy, no overall timeout (the dial
// context bounds the handshake).
var wsHTTPClient = &http.Client{Transport: &http.Transport{
	Proxy:             nil,
	DialContext:       (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	DisableKeepAlives: true,
}}

// dial opens the connection and starts the reader.
func (c *client) dial(ctx context.Context, url, token string, connCtx context.Context) error {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	h.Set("User-Agent", "quietroom-loadgen")
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(dctx, url, &websocket.DialOptions{
		HTTPClient: wsHTTPClient, HTTPHeader: h, Subprotocols: []string{subprotocol},
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		if resp != nil {
			return fmt.Errorf("dial %s: HTTP %d: %w", url, resp.StatusCode, err)
		}
		return fmt.Errorf("dial %s: %w", url, err)
	}
	if ws.Subprotocol() != subprotocol {
		ws.CloseNow()
		return fmt.Errorf("dial %s: the hub chose subprotocol %q, not %s", url, ws.Subprotocol(), subprotocol)
	}
	ws.SetReadLimit(readLimit)
	c.ws = ws
	c.done = make(chan struct{})
	if c.group >= 0 {
		c.subRes = make(chan subResult, 1) // before the reader starts: it answers on it
	}
	c.st.open.Add(1)
	c.keepalive = time.AfterFunc(appPingAfter, c.appPing)
	go c.readLoop(connCtx)
	return nil
}

// appPing sends {"type":"ping"}, as the browser client does when the hub
// has been quiet; any frame back resets the timer.
func (c *client) appPing() {
	if c.closing.Load() {
		return
	}
	wctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if c.ws.Write(wctx, websocket.MessageText, []byte(`{"type":"ping"}`)) == nil {
		c.keepalive.Reset(appPingAfter)
	}
}

// subscribe asks for the group live from now and waits for subscribed.
func (c *client) subscribe(ctx context.Context) error {
	frame := `{"type":"subscribe","group":"` + c.slug + `"}`
	wctx, cancel := context.WithTimeout(ctx, writeTimeout)
	err := c.ws.Write(wctx, websocket.MessageText, []byte(frame))
	cancel()
	if err != nil {
		return fmt.Errorf("client %d: send subscribe: %w", c.id, err)
	}
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	select {
	case r := <-c.subRes:
		if r.err != nil {
			return fmt.Errorf("client %d: subscribe %s: %w", c.id, c.slug, r.err)
		}
		return nil
	case <-c.done:
		return fmt.Errorf("client %d: the connection closed before subscribed arrived", c.id)
	case <-t.C:
		return fmt.Errorf("client %d: no subscribed frame for %s within 30s", c.id, c.slug)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// event holds the fields of a server event the load tool looks at.
type event struct {
	Type     string `json:"type"`
	Group    string `json:"group"`
	Seq      int64  `json:"seq"`
	ClientID string `json:"client_id"`
	Text     string `json:"text"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Head     int64  `json:"head"`
}

var frameBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (c *client) readLoop(ctx context.Context) {
	defer close(c.done)
	defer c.st.open.Add(-1)
	defer c.keepalive.Stop()
	for {
		typ, rd, err := c.ws.Reader(ctx)
		if err != nil {
			c.ended(err)
			return
		}
		c.keepalive.Reset(appPingAfter)
		buf := frameBufs.Get().(*bytes.Buffer)
		buf.Reset()
		_, err = buf.ReadFrom(rd)
		now := time.Now().UnixNano()
		if err != nil {
			frameBufs.Put(buf)
			c.ended(err)
			return
		}
		if typ == websocket.MessageText {
			c.handleFrame(buf.Bytes(), now)
		} else {
			c.st.countAnomaly("binary_frame")
		}
		if buf.Cap() <= 64<<10 {
			frameBufs.Put(buf)
		}
	}
}

// ended records why the connection ended, unless we ended it.
func (c *client) ended(err error) {
	if c.closing.Load() {
		return
	}
	code := websocket.CloseStatus(err)
	key := "abnormal"
	if code != -1 {
		key = strconv.Itoa(int(code))
	}
	c.st.countClose(key, err)
	if c.subRes != nil {
		select {
		case c.subRes <- subResult{err: fmt.Errorf("connection ended: %w", err)}:
		default:
		}
	}
}

// handleFrame splits a frame into its JSON lines.
func (c *client) handleFrame(data []byte, now int64) {
	var ev event
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		ev = event{}
		if err := json.Unmarshal(line, &ev); err != nil {
			c.st.countAnomaly("undecodable_line")
			continue
		}
		c.handleEvent(&ev, now)
	}
}

func (c *client) handleEvent(ev *event, now int64) {
	switch ev.Type {
	case "message":
		c.onMessage(ev, now)
	case "ack":
		c.onAck(ev, now)
	case "subscribed":
		if c.subRes != nil && ev.Group == c.slug && !c.subscribed {
			c.subscribed = true
			c.base, c.last = ev.Head, ev.Head
			select {
			case c.subRes <- subResult{head: ev.Head}:
			default:
			}
		}
	case "error":
		c.st.countError(ev.Code)
		if ev.ClientID != "" {
			if n, ok := sendNumber(ev.ClientID); ok {
				c.mu.Lock()
				if _, was := c.pending[n]; was {
					delete(c.pending, n)
					c.st.refused.Add(1)
				}
				c.mu.Unlock()
			}
		} else if c.subRes != nil && ev.Group == c.slug {
			select {
			case c.subRes <- subResult{err: fmt.Errorf("error frame %s: %s", ev.Code, ev.Message)}:
			default:
			}
		}
	case "presence", "typing", "pong", "unsubscribed":
		// Ephemeral: not part of the accounting.
	default:
		c.st.other.Add(1)
	}
}

func (c *client) onAck(ev *event, now int64) {
	n, ok := sendNumber(ev.ClientID)
	if !ok {
		c.st.countAnomaly("foreign_ack")
		return
	}
	c.mu.Lock()
	sentAt, was := c.pending[n]
	delete(c.pending, n)
	c.mu.Unlock()
	if !was {
		c.st.countAnomaly("unexpected_ack")
		return
	}
	c.st.acked.Add(1)
	c.st.expected.Add(int64(c.size))
	if c.gs != nil {
		c.gs.addAcked(ev.Seq)
	}
	if sentAt >= c.st.measureFrom.Load() {
		c.st.ackLat.Record((now - sentAt) / 1000)
	}
}

func (c *client) onMessage(ev *event, now int64) {
	if ev.Group != c.slug || c.group < 0 {
		c.st.foreign.Add(1)
		return
	}
	idx := ev.Seq - c.base - 1
	if idx < 0 || idx >= maxSeqSpan {
		c.st.stale.Add(1)
		return
	}
	w, bit := int(idx>>6), uint64(1)<<(idx&63)
	if w >= len(c.seen) {
		c.seen = append(c.seen, make([]uint64, w+1-len(c.seen))...)
	}
	if c.seen[w]&bit != 0 {
		c.st.duplicated.Add(1)
		return
	}
	c.seen[w] |= bit
	c.st.delivered.Add(1)
	if ev.Seq < c.last {
		c.st.outOfOrder.Add(1)
	} else {
		c.last = ev.Seq
	}
	sentAt, ok := parseSentAt(ev.Text)
	if !ok {
		c.st.untimed.Add(1)
		return
	}
	if sentAt >= c.st.measureFrom.Load() && sentAt < c.st.measureTo.Load() {
		c.st.deliveredMeasured.Add(1)
		c.st.record((now - sentAt) / 1000)
	}
}

// has reports whether the client received seq (after the reader ended).
func (c *client) has(seq int64) bool {
	idx := seq - c.base - 1
	if idx < 0 {
		return false
	}
	w := int(idx >> 6)
	return w < len(c.seen) && c.seen[w]&(uint64(1)<<(idx&63)) != 0
}

// send posts one message: the text starts with the client id and the send
// time in unix nanoseconds, then padding up to textSize bytes.
func (c *client) send(textSize int) {
	c.mu.Lock()
	n := c.nextN
	c.nextN++
	if c.pending == nil {
		c.pending = make(map[uint32]int64, 4)
	}
	now := time.Now().UnixNano()
	c.pending[n] = now
	c.mu.Unlock()

	c.st.sent.Add(1)
	if now >= c.st.measureFrom.Load() {
		c.st.sentMeasured.Add(1)
	}
	frame := appendSendFrame(make([]byte, 0, textSize+96), c.slug, c.id, n, now, textSize)
	// Not the scenario's context: coder/websocket closes the connection
	// when a write's context ends mid-write, and the scenario's ends
	// exactly when sending stops.
	wctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	err := c.ws.Write(wctx, websocket.MessageText, frame)
	cancel()
	if err != nil {
		c.mu.Lock()
		delete(c.pending, n)
		c.mu.Unlock()
		c.st.sendFailed.Add(1)
	}
}

// appendSendFrame builds {"type":"send",...}; everything in it is plain
// ASCII that needs no JSON escaping. The client id is c<client>-<n>; the
// text is "<client id> <unix ns> " and then ordinary words up to
// textSize, so that it is screened like everyday chat (a run of one
// letter would be screened as spam and queued for moderators).
func appendSendFrame(b []byte, slug string, id int32, n uint32, at int64, textSize int) []byte {
	b = append(b, `{"type":"send","group":"`...)
	b = append(b, slug...)
	b = append(b, `","client_id":"`...)
	cid := len(b)
	b = append(b, 'c')
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, '-')
	b = strconv.AppendUint(b, uint64(n), 10)
	cidEnd := len(b)
	b = append(b, `","text":"`...)
	text := len(b)
	b = append(b, b[cid:cidEnd]...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, at, 10)
	if pad := textSize - (len(b) - text); pad >= 2 {
		b = append(b, ' ')
		for i := range pad - 1 {
			b = append(b, fillerText[i%len(fillerText)])
		}
	}
	b = append(b, `"}`...)
	return b
}

// fillerText pads load messages with words like a member's.
const fillerText = "a quiet evening here, resting in a dark room with tea and a cool cloth, hoping tomorrow is kinder. "

// sendNumber extracts n from a client id c<client>-<n>.
func sendNumber(cid string) (uint32, bool) {
	i := strings.LastIndexByte(cid, '-')
	if i < 0 || !strings.HasPrefix(cid, "c") {
		return 0, false
	}
	n, err := strconv.ParseUint(cid[i+1:], 10, 32)
	return uint32(n), err == nil
}

// parseSentAt reads the send time from a message text "<cid> <unix ns> …".
func parseSentAt(text string) (int64, bool) {
	i := strings.IndexByte(text, ' ')
	if i < 0 || !strings.HasPrefix(text, "c") {
		return 0, false
	}
	rest := text[i+1:]
	if j := strings.IndexByte(rest, ' '); j >= 0 {
		rest = rest[:j]
	}
	at, err := strconv.ParseInt(rest, 10, 64)
	return at, err == nil && at > 0
}

// connectAll dials every client (bounded concurrency), each on its hub,
// and subscribes it to its group.
func (r *runner) connectAll(ctx context.Context) error {
	p := r.plan
	r.groups = make([]*groupState, len(p.slugs))
	for i := range r.groups {
		r.groups[i] = &groupState{}
	}
	r.cl = make([]*client, p.n)
	for i := range p.n {
		c := &client{id: int32(i), group: p.groupOf[i], st: r.st}
		if c.group >= 0 {
			c.slug = p.slugs[c.group]
			c.gs = r.groups[c.group]
			c.size = int32(len(p.members[c.group]))
		}
		r.cl[i] = c
	}
	// Connections live until closeAll, not until the run context ends: a
	// cut-short run still closes them itself.
	r.connCtx, r.connCancel = context.WithCancel(context.Background())
	var done atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				r.logf("connect %d/%d connected and subscribed", done.Load(), p.n)
			}
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	return parallel(ctx, r.cfg.connectConcurrency, p.n, func(ctx context.Context, i int) error {
		c := r.cl[i]
		url := r.cfg.hubs[p.hubOf(i)].ws + "/api/v1/t/" + r.setupRes.tenant + "/ws"
		var err error
		for attempt := 1; attempt <= 3; attempt++ {
			if err = c.dial(ctx, url, r.setupRes.tokens[i], r.connCtx); err == nil {
				break
			}
			if ctx.Err() != nil {
				return err
			}
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		if err != nil {
			return fmt.Errorf("client %d: %w", i, err)
		}
		if c.group >= 0 {
			if err := c.subscribe(ctx); err != nil {
				return err
			}
		}
		done.Add(1)
		return nil
	})
}

// closeAll closes every connection and waits for the readers.
func (r *runner) closeAll() {
	var live []*client
	for _, c := range r.cl {
		if c != nil && c.ws != nil {
			c.closing.Store(true)
			live = append(live, c)
		}
	}
	_ = parallel(context.Background(), 256, len(live), func(_ context.Context, i int) error {
		c := live[i]
		select {
		case <-c.done:
		default:
			_ = c.ws.Close(websocket.StatusNormalClosure, "load test done")
		}
		return nil
	})
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	expired := false
	for _, c := range live {
		if !expired {
			select {
			case <-c.done:
				continue
			case <-timer.C:
				expired = true
			}
		}
		c.ws.CloseNow()
		<-c.done
	}
	if r.connCancel != nil {
		r.connCancel()
	}
}

// driveGroups: every member sends once every interval, from a random
// offset within the first interval, until ctx ends.
func (r *runner) driveGroups(ctx context.Context, begin time.Time) {
	var wg sync.WaitGroup
	for _, c := range r.cl {
		if c.group < 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := begin.Add(time.Duration(rand.Int64N(int64(r.cfg.interval))))
			t := time.NewTimer(time.Until(next))
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				if c.isClosed() {
					return
				}
				c.send(r.cfg.textSize)
				next = next.Add(r.cfg.interval)
				t.Reset(time.Until(next))
			}
		}()
	}
	wg.Wait()
}

// driveBigroom: a central schedule sends rate messages a second, each
// from a random member; it catches up if it falls behind.
func (r *runner) driveBigroom(ctx context.Context, begin time.Time) {
	members := r.plan.members[0]
	if len(members) == 0 {
		<-ctx.Done()
		return
	}
	t := time.NewTimer(0)
	defer t.Stop()
	var k int64
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		due := int64(time.Since(begin).Seconds()*r.cfg.rate) + 1
		for ; k < due && ctx.Err() == nil; k++ {
			// A closed connection fails the write: counted as send_failed.
			r.cl[members[rand.IntN(len(members))]].send(r.cfg.textSize)
		}
		nextAt := begin.Add(time.Duration(float64(k) / r.cfg.rate * float64(time.Second)))
		t.Reset(time.Until(nextAt))
	}
}

func (c *client) isClosed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}
