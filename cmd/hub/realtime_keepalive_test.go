package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"quietroom/internal/realtime"
)

// An idle socket has no writer running between frames: pings and the next
// message must each start one again. A quiet client is pinged, one that
// stops answering is dropped, and one heard from often is left alone.
//
// Every step waits for its condition (pings counted, the socket closed, the
// message read); the one wall-clock claim left is that the chatty client,
// which sends its next frame as soon as the last is answered, never goes a
// whole ping interval unheard, and the interval is a second, not the 25 ms
// between its frames, so a loaded machine does not break it.
func TestKeepalivePingsQuietSocketsAndDropsClientsThatStopAnswering(t *testing.T) {
	quick := realtime.DefaultConnConfig()
	// The write timeout also bounds the wait for a pong: the idle client
	// answers from a goroutine that may wait its turn on a busy machine.
	quick.PingInterval, quick.WriteTimeout = time.Second, 5*time.Second
	cl := newCluster(t, 1, func(d *appDeps) { d.connCfg = &quick })
	h := cl.hubs[0]
	h.createTenant("aura")
	const group = "chronic"
	sender := joinedMember(t, h, "aura", "Sender", group)
	idle := joinedMember(t, h, "aura", "Idle", group)
	silent := joinedMember(t, h, "aura", "Silent", group)
	chatty := joinedMember(t, h, "aura", "Chatty", group)

	var pings, chattyPings atomic.Int32
	// Only a safety net against a hang.
	ctx, cancel := context.WithTimeout(context.Background(), 3*wsSafetyTimeout)
	defer cancel()
	dial := func(c *client, onPing func(context.Context, []byte) bool) *websocket.Conn {
		header := http.Header{}
		for _, ck := range c.http.Jar.Cookies(mustURL(t, h.srv.URL)) {
			header.Add("Cookie", ck.Name+"="+ck.Value)
		}
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.srv.URL, "http")+"/api/v1/t/aura/ws",
			&websocket.DialOptions{HTTPHeader: header, Subprotocols: []string{realtime.Protocol}, OnPingReceived: onPing})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.CloseNow() })
		if err := conn.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","group":"`+group+`"}`)); err != nil {
			t.Fatal(err)
		}
		return conn
	}

	// The idle client reads (and so answers pings) but sends nothing.
	idleConn := dial(idle, func(context.Context, []byte) bool { pings.Add(1); return true })
	frames := make(chan string, 100)
	go func() {
		defer close(frames)
		for {
			_, data, err := idleConn.Read(ctx)
			if err != nil {
				return
			}
			frames <- string(data)
		}
	}()
	// The silent client never reads again, so its pongs never come.
	silentConn := dial(silent, nil)
	// The chatty client sends an application ping as soon as the last one
	// is answered.
	chattyConn := dial(chatty, func(context.Context, []byte) bool { chattyPings.Add(1); return true })
	pongs := make(chan struct{}, 1)
	go func() {
		for ctx.Err() == nil {
			_, data, err := chattyConn.Read(ctx)
			if err != nil {
				return
			}
			if bytes.Contains(data, []byte(`"pong"`)) {
				select {
				case pongs <- struct{}{}:
				default: // the sender has stopped
				}
			}
		}
	}()
	stopChat := make(chan struct{})
	chatDone := make(chan struct{})
	go func() {
		defer close(chatDone)
		for {
			if err := chattyConn.Write(ctx, websocket.MessageText, []byte(`{"type":"ping"}`)); err != nil {
				return
			}
			select {
			case <-stopChat:
				return
			case <-ctx.Done():
				return
			case <-pongs:
			}
		}
	}()

	// The idle client is pinged again and again (it answers each time).
	for pings.Load() < 3 {
		select {
		case <-ctx.Done():
			t.Fatalf("the idle client got %d pings, want 3", pings.Load())
		case <-time.After(50 * time.Millisecond): // polling interval
		}
	}
	close(stopChat)
	<-chatDone
	if n := chattyPings.Load(); n != 0 {
		t.Fatalf("a client heard from continuously got %d pings, want none", n)
	}

	// The silent client is dropped once its pong is overdue; it must not
	// read before then, or it would answer. Then, reading, it finds the
	// socket closed rather than a live stream.
	for h.app.hub.ConnCount() > 2 {
		select {
		case <-ctx.Done():
			t.Fatalf("%d connections open, want 2: the client that stopped answering pings is still connected", h.app.hub.ConnCount())
		case <-time.After(50 * time.Millisecond): // polling interval
		}
	}
	for {
		if _, _, err := silentConn.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatal("the client that stopped answering pings is still connected")
			}
			break
		}
	}

	// The idle client is still served: a message reaches it.
	sender.live(h, group).say(group, "after-idle", "still here?")
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				t.Fatal("the idle client's socket closed")
			}
			if strings.Contains(f, `"still here?"`) {
				return
			}
		case <-ctx.Done():
			t.Fatal("the idle client did not get the message")
		}
	}
}

// A client may send frames right behind its upgrade request, before the
// answer: those bytes are already buffered when the hub takes the socket
// over, and must be read, not left waiting for more data.
func TestFramesSentWithTheUpgradeRequestAreRead(t *testing.T) {
	cl := newCluster(t, 1)
	h := cl.hubs[0]
	h.createTenant("aura")
	m := joinedMember(t, h, "aura", "Eager", "chronic")

	addr := strings.TrimPrefix(h.srv.URL, "http://")
	conn, err := net.DialTimeout("tcp", addr, wsSafetyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var req strings.Builder
	fmt.Fprintf(&req, "GET /api/v1/t/aura/ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n", addr)
	fmt.Fprintf(&req, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n", realtime.Protocol)
	for _, ck := range m.http.Jar.Cookies(mustURL(t, h.srv.URL)) {
		fmt.Fprintf(&req, "Cookie: %s=%s\r\n", ck.Name, ck.Value)
	}
	req.WriteString("\r\n")
	// One masked text frame, in the same write as the request.
	payload := []byte(`{"type":"subscribe","group":"chronic"}`)
	mask := [4]byte{7, 1, 9, 3}
	frame := append([]byte{0x81, 0x80 | byte(len(payload))}, mask[:]...)
	for i, b := range payload {
		frame = append(frame, b^mask[i%4])
	}
	if _, err := conn.Write(append([]byte(req.String()), frame...)); err != nil {
		t.Fatal(err)
	}

	conn.SetReadDeadline(time.Now().Add(wsSafetyTimeout))
	var got []byte
	buf := make([]byte, 4096)
	for !bytes.Contains(got, []byte(`"type":"subscribed"`)) {
		n, err := conn.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("no subscribed frame for the frame sent with the upgrade (read: %v); got %q", err, got)
		}
	}
	if !bytes.HasPrefix(got, []byte("HTTP/1.1 101")) {
		t.Fatalf("upgrade answer: %q", got)
	}
}
