package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/redis/go-redis/v9"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// wsEvent is a decoded server frame line.
type wsEvent = realtime.Event

// wsClient is a WebSocket client of one member on one hub.
type wsClient struct {
	t      testing.TB
	conn   *websocket.Conn
	events chan wsEvent
	closed chan struct{}
	// closeErr is why the read loop ended.
	closeErr error
	backlog  []wsEvent
}

// dialWS opens a socket as c (cookie-authenticated, like a browser) on hub h.
// wsSafetyTimeout bounds a dial or a frame write that hangs; it is never
// reached when things work, however slow the machine.
const wsSafetyTimeout = time.Minute

func (c *client) dialWS(h *testHub) (*wsClient, error) {
	c.t.Helper()
	header := http.Header{}
	for _, ck := range c.http.Jar.Cookies(mustURL(c.t, h.srv.URL)) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	if c.bearer != "" {
		header.Set("Authorization", "Bearer "+c.bearer)
	}
	return dialWSWith(c.t, h, c.tenant, header, "")
}

// live opens a socket as c on hub h and subscribes it to group, live only.
func (c *client) live(h *testHub, group string) *wsClient {
	c.t.Helper()
	ws, err := c.dialWS(h)
	if err != nil {
		c.t.Fatalf("dial %s: %v", h.srv.URL, err)
	}
	ws.subscribe(group, nil)
	return ws
}

func dialWSWith(t testing.TB, h *testHub, tenant string, header http.Header, query string) (*wsClient, error) {
	ctx, cancel := context.WithTimeout(context.Background(), wsSafetyTimeout)
	defer cancel()
	url := "ws" + strings.TrimPrefix(h.srv.URL, "http") + "/api/v1/t/" + tenant + "/ws" + query
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: header, Subprotocols: []string{realtime.Protocol}})
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 22)
	w := &wsClient{t: t, conn: conn, events: make(chan wsEvent, 100000), closed: make(chan struct{})}
	go w.readLoop()
	t.Cleanup(func() { conn.CloseNow() })
	return w, nil
}

func (w *wsClient) readLoop() {
	defer close(w.closed)
	for {
		_, data, err := w.conn.Read(context.Background())
		if err != nil {
			w.closeErr = err
			return
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			var ev wsEvent
			if err := json.Unmarshal(line, &ev); err != nil {
				w.closeErr = fmt.Errorf("undecodable frame line %q: %w", line, err)
				return
			}
			w.events <- ev
		}
	}
}

func (w *wsClient) send(frame any) {
	w.t.Helper()
	b, err := json.Marshal(frame)
	if err != nil {
		w.t.Fatal(err)
	}
	w.sendRaw(b)
}

func (w *wsClient) sendRaw(b []byte) {
	w.t.Helper()
	// A write waits for the hub to read; on a loaded machine with the race
	// detector that can take seconds, so the limit is only a safety net.
	ctx, cancel := context.WithTimeout(context.Background(), wsSafetyTimeout)
	defer cancel()
	if err := w.conn.Write(ctx, websocket.MessageText, b); err != nil {
		w.t.Fatalf("write frame: %v", err)
	}
}

// next returns the next event matching keep. timeout is only a safety net
// against a hang, never a speed claim: it is raised to wsSafetyTimeout, so
// a slow, loaded machine waits as long as it needs and a broken hub still
// fails the test. Events that do not match are kept, in order, for later
// calls.
func (w *wsClient) next(keep func(wsEvent) bool, timeout time.Duration) wsEvent {
	w.t.Helper()
	timeout = max(timeout, wsSafetyTimeout)
	for i, ev := range w.backlog {
		if keep(ev) {
			w.backlog = append(w.backlog[:i:i], w.backlog[i+1:]...)
			return ev
		}
	}
	deadline := time.After(timeout)
	for {
		select {
		case ev := <-w.events:
			if keep(ev) {
				return ev
			}
			w.backlog = append(w.backlog, ev)
		case <-w.closed:
			// Take what arrived before the close.
			select {
			case ev := <-w.events:
				if keep(ev) {
					return ev
				}
				w.backlog = append(w.backlog, ev)
				continue
			default:
			}
			w.t.Fatalf("connection closed while waiting: %v", w.closeErr)
		case <-deadline:
			w.t.Fatalf("no matching event within %s", timeout)
		}
	}
}

func ofType(typ string) func(wsEvent) bool {
	return func(ev wsEvent) bool { return ev.Type == typ }
}

// subscribe subscribes and waits for the subscribed frame.
func (w *wsClient) subscribe(group string, since *int64) wsEvent {
	w.t.Helper()
	f := map[string]any{"type": "subscribe", "group": group}
	if since != nil {
		f["since"] = *since
	}
	w.send(f)
	return w.next(func(ev wsEvent) bool {
		if ev.Type == realtime.TypeError {
			w.t.Fatalf("subscribe %s: %s %s", group, ev.Code, ev.Message)
		}
		return ev.Type == realtime.TypeSubscribed && ev.Group == group
	}, 10*time.Second)
}

// say sends a message and waits for its ack.
func (w *wsClient) say(group, clientID, text string) wsEvent {
	w.t.Helper()
	w.send(map[string]any{"type": "send", "group": group, "client_id": clientID, "text": text})
	return w.next(func(ev wsEvent) bool {
		if ev.Type == realtime.TypeError && ev.ClientID == clientID {
			w.t.Fatalf("send %s: %s %s", clientID, ev.Code, ev.Message)
		}
		return ev.Type == realtime.TypeAck && ev.ClientID == clientID
	}, 10*time.Second)
}

// messages collects n message events for group.
func (w *wsClient) messages(group string, n int, timeout time.Duration) []wsEvent {
	w.t.Helper()
	out := make([]wsEvent, 0, n)
	for len(out) < n {
		out = append(out, w.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.Group == group }, timeout))
	}
	return out
}

// quiet asserts no event matching keep arrives within d (or waits in the
// backlog). A slow machine can only make it pass when it should fail, never
// the reverse, so d needs no margin for load.
func (w *wsClient) quiet(keep func(wsEvent) bool, d time.Duration) {
	w.t.Helper()
	for _, ev := range w.backlog {
		if keep(ev) {
			w.t.Fatalf("unexpected event %+v", ev)
		}
	}
	deadline := time.After(d)
	for {
		select {
		case ev := <-w.events:
			if keep(ev) {
				w.t.Fatalf("unexpected event %+v", ev)
			}
			w.backlog = append(w.backlog, ev)
		case <-deadline:
			return
		}
	}
}

func mustURL(t testing.TB, raw string) *urlT {
	u, err := parseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// cluster is several hub instances sharing one PostgreSQL database and
// one Redis, like replicas behind the load balancer.
type cluster struct {
	db    *store.DB
	hubs  []*testHub
	redis []*redis.Client
}

func newCluster(t testing.TB, n int, opts ...func(*appDeps)) *cluster {
	t.Helper()
	db := storetest.OpenPostgres(t, migrations())
	cl := &cluster{db: db}
	for i := 0; i < n; i++ {
		rc := storetest.Redis(t)
		// A client name per instance lets a test kill exactly this
		// instance's Redis connections.
		rc.Options().ClientName = fmt.Sprintf("qrtest-%s-hub%d", store.NewToken(4), i+1)
		broker := realtime.NewRedisBroker(rc, slog.New(slog.NewTextHandler(io.Discard, nil)))
		instance := fmt.Sprintf("hub%d", i+1)
		all := append([]func(*appDeps){func(d *appDeps) {
			d.presence = realtime.NewRedisPresence(rc)
			d.cfg.InstanceID = instance
		}}, opts...)
		h := newTestHubOn(t, db, broker, all...)
		cl.hubs = append(cl.hubs, h)
		cl.redis = append(cl.redis, rc)
	}
	return cl
}

var _ = accounts.CSRFHeader

// killRedisConnections kills every Redis connection of instance i (its
// pub/sub subscription included), as a network fault or Redis restart would.
func (cl *cluster) killRedisConnections(t testing.TB, i int) int {
	t.Helper()
	ctx := context.Background()
	name := cl.redis[i].Options().ClientName
	admin := storetest.Redis(t)
	list, err := admin.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	killed := 0
	for _, line := range strings.Split(list, "\n") {
		if !strings.Contains(line, " name="+name+" ") {
			continue
		}
		for _, field := range strings.Fields(line) {
			if id, ok := strings.CutPrefix(field, "id="); ok {
				if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err == nil {
					killed++
				}
			}
		}
	}
	return killed
}
