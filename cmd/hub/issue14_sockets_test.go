package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
)

// Issue 14, item 11: the subprotocol is matched exactly, control
// characters in text are bad frames, a member's sockets are capped, and a
// resubscribe loop is throttled.

func TestSubprotocolIsMatchedExactly(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("proto")
	m := joinedMember(t, h, "proto", "Spelling", "chronic")
	header := http.Header{}
	for _, ck := range m.http.Jar.Cookies(mustURL(t, h.srv.URL)) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wsSafetyTimeout)
	defer cancel()
	url := "ws" + strings.TrimPrefix(h.srv.URL, "http") + "/api/v1/t/proto/ws"
	conn, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: header, Subprotocols: []string{"Quietroom.V1"}})
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	defer conn.CloseNow()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("handshake status %d", resp.StatusCode)
	}
	_, _, err = conn.Read(ctx)
	if code := websocket.CloseStatus(err); code != websocket.StatusPolicyViolation {
		t.Fatalf("a socket that negotiated %q got %v, want close 1008", conn.Subprotocol(), err)
	}
}

func TestControlCharactersInFramesAreBadFrames(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("nul")
	m := joinedMember(t, h, "nul", "Nully", "chronic")
	ws := m.live(h, "chronic")
	for i, text := range []string{"before\x00after", "\x00", "bell\x07", "c1\u0085control"} {
		id := "nul-" + string(rune('a'+i))
		ws.send(map[string]any{"type": "send", "group": "chronic", "client_id": id, "text": text})
		ev := ws.next(func(ev wsEvent) bool { return ev.ClientID == id }, 10*time.Second)
		if ev.Type != realtime.TypeError || ev.Code != realtime.ErrBadFrame {
			t.Errorf("text %q: %+v, want error bad_frame", text, ev)
		}
	}
	ws.send(map[string]any{"type": "subscribe", "group": "chro\x00nic"})
	if ev := ws.next(ofType(realtime.TypeError), 10*time.Second); ev.Code != realtime.ErrBadFrame {
		t.Errorf("group with NUL: %+v, want bad_frame", ev)
	}
	// Tabs and line breaks are text, and the connection still works.
	ws.say("chronic", "ok", "line one\n\tline two")
	hist := m.api("GET", "/groups/chronic/messages", nil).must(t, http.StatusOK)
	if n := len(hist.Body["messages"].([]any)); n != 1 {
		t.Errorf("%d messages stored, want only the good one: %s", n, hist.Raw)
	}
}

func TestAMembersSocketsAreCapped(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("cap")
	m := joinedMember(t, h, "cap", "Tabby", "chronic")
	max := realtime.DefaultConnConfig().MaxConnsPerMember
	if max != 20 {
		t.Fatalf("the documented cap is 20, the default is %d", max)
	}
	var open []*wsClient
	for range max {
		ws, err := m.dialWS(h)
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, ws)
	}
	// Each of the first 20 works.
	for _, ws := range open {
		ws.send(map[string]any{"type": "ping"})
		ws.next(ofType("pong"), 30*time.Second)
	}
	extra, err := m.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	waitClosed(t, "the 21st socket", extra, realtime.CloseTooManyConnections)
	// Closing one frees a place.
	open[0].conn.Close(websocket.StatusNormalClosure, "")
	deadline := time.Now().Add(30 * time.Second)
	for {
		ws, err := m.dialWS(h)
		if err != nil {
			t.Fatal(err)
		}
		ws.send(map[string]any{"type": "ping"})
		select {
		case <-ws.closed:
			if time.Now().After(deadline) {
				t.Fatalf("no place freed after a socket closed: %v", ws.closeErr)
			}
			continue
		case ev := <-ws.events:
			if ev.Type != "pong" {
				t.Fatalf("got %+v, want pong", ev)
			}
		}
		break
	}
	// Another member is not affected.
	other := joinedMember(t, h, "cap", "Other", "chronic")
	other.live(h, "chronic")
}

func TestResubscribeLoopsAreThrottled(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("loop")
	m := joinedMember(t, h, "loop", "Looper", "chronic")
	ws, err := m.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		ws.send(map[string]any{"type": "subscribe", "group": "chronic", "since": 0})
		ws.send(map[string]any{"type": "unsubscribe", "group": "chronic"})
	}
	limited := false
	for !limited {
		ev := ws.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeError && ev.Code == realtime.ErrRateLimited }, 30*time.Second)
		limited = ev.Code == realtime.ErrRateLimited
	}
}
