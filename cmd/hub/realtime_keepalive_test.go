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
func TestKeepalivePingsQuietSocketsAndDropsClientsThatStopAnswering(t *testing.T) {
	quick := realtime.DefaultConnConfig()
	quick.PingInterval, quick.WriteTimeout = 250*time.Millisecond, 500*time.Millisecond
	cl := newCluster(t, 1, func(d *appDeps) { d.connCfg = &quick })
	h := cl.hubs[0]
	h.createTenant("aura")
	const group = "chronic"
	sender := joinedMember(t, h, "aura", "Sender", group)
	idle := joinedMember(t, h, "aura", "Idle", group)
	silent := joinedMember(t, h, "aura", "Silent", group)
	chatty := joinedMember(t, h, "aura", "Chatty", group)

	var pings, chattyPings atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
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
	// The chatty client sends an application ping every 25 ms, a tenth of
	// the ping interval.
	chattyConn := dial(chatty, func(context.Context, []byte) bool { chattyPings.Add(1); return true })
	go func() {
		for ctx.Err() == nil {
			if _, _, err := chattyConn.Read(ctx); err != nil {
				return
			}
		}
	}()
	stopChat := make(chan struct{})
	chatDone := make(chan struct{})
	go func() {
		defer close(chatDone)
		tick := time.NewTicker(25 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopChat:
				return
			case <-tick.C:
				if err := chattyConn.Write(ctx, websocket.MessageText, []byte(`{"type":"ping"}`)); err != nil {
					return
				}
			}
		}
	}()

	time.Sleep(2 * time.Second)
	close(stopChat)
	<-chatDone
	if n := pings.Load(); n < 4 {
		t.Fatalf("the idle client got %d pings in 2 s at a 250 ms interval, want at least 4", n)
	}
	if n := chattyPings.Load(); n != 0 {
		t.Fatalf("a client heard from every 25 ms got %d pings, want none", n)
	}

	// The silent client was dropped: once it reads, it finds the socket
	// closed rather than a live stream.
	readCtx, readCancel := context.WithTimeout(ctx, 5*time.Second)
	defer readCancel()
	for {
		if _, _, err := silentConn.Read(readCtx); err != nil {
			if readCtx.Err() != nil {
				t.Fatal("the client that stopped answering pings is still connected")
			}
			break
		}
	}

	// The idle client is still served: a message reaches it.
	sender.live(h, group).say(group, "after-idle", "still here?")
	deadline := time.After(5 * time.Second)
	for {
		select {
		case f, ok := <-frames:
			if !ok {
				t.Fatal("the idle client's socket closed")
			}
			if strings.Contains(f, `"still here?"`) {
				return
			}
		case <-deadline:
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
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
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

	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
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
