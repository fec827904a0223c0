package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"quietroom/internal/realtime"
)

// fastSenders lifts the per-member send limit for tests that need volume.
func fastSenders(d *appDeps) {
	cfg := realtime.DefaultServiceConfig()
	cfg.SendRate, cfg.SendBurst = rate.Inf, 1
	d.rtCfg = &cfg
}

func TestRedisConnectionsKilledMidStreamLoseNothing(t *testing.T) {
	cl := newCluster(t, 2)
	cl.hubs[0].createTenant("aura")
	const group = "with-aura"
	sender := joinedMember(t, cl.hubs[0], "aura", "Sender", group)
	reader := joinedMember(t, cl.hubs[1], "aura", "Reader", group)
	sws := sender.live(cl.hubs[0], group)
	rws := reader.live(cl.hubs[1], group)
	sws.say(group, "m1", "before the fault")
	rws.messages(group, 1, 5*time.Second)

	if n := cl.killRedisConnections(t, 1); n == 0 {
		t.Fatal("found no Redis connection of instance 2 to kill")
	}
	// Sent while instance 2 has no subscription: Redis drops these for it.
	for i := 2; i <= 6; i++ {
		sws.say(group, fmt.Sprintf("m%d", i), "during the fault")
	}
	got := rws.messages(group, 5, 15*time.Second)
	checkSequence(t, "reader", got, 2)
	sws.say(group, "m7", "after the fault")
	checkSequence(t, "reader", rws.messages(group, 1, 10*time.Second), 7)
	rws.quiet(ofType(realtime.TypeMessage), 300*time.Millisecond)
}

func TestInstanceShutdownClientsResumeOnTheOther(t *testing.T) {
	cl := newCluster(t, 2)
	cl.hubs[0].createTenant("aura")
	const group = "menstrual"
	sender := joinedMember(t, cl.hubs[1], "aura", "Sender", group)
	leaver := joinedMember(t, cl.hubs[0], "aura", "Leaver", group)
	sws := sender.live(cl.hubs[1], group)
	lws := leaver.live(cl.hubs[0], group)
	sws.say(group, "m1", "one")
	last := lws.messages(group, 1, 5*time.Second)[0].Seq

	// Instance 1 goes away: its clients are told 1001 (going away).
	cl.hubs[0].app.hub.CloseAll()
	<-lws.closed
	if code := websocket.CloseStatus(lws.closeErr); code != websocket.StatusGoingAway {
		t.Fatalf("close status %v, want 1001 going away (%v)", code, lws.closeErr)
	}
	cl.hubs[0].srv.Close()
	for i := 2; i <= 4; i++ {
		sws.say(group, fmt.Sprintf("m%d", i), "while moving")
	}
	moved, err := leaver.dialWS(cl.hubs[1])
	if err != nil {
		t.Fatal(err)
	}
	moved.subscribe(group, ptr(last))
	checkSequence(t, "moved client", moved.messages(group, 3, 5*time.Second), last+1)
	moved.quiet(ofType(realtime.TypeMessage), 300*time.Millisecond)
}

func TestAClientThatNeverReadsIsDroppedOthersCarryOn(t *testing.T) {
	small := realtime.DefaultHubConfig()
	small.QueueMessages, small.QueueBytes = 128, 512<<10
	// The write blocked on the stuck client must not time out before its
	// queue overflows: on a loaded machine the sender was once slow enough
	// for the 10 s default to drop the client first, which is a drop too,
	// but not the one this test is about. The overflow comes a few dozen
	// messages after the kernel's buffers fill; the close follows when the
	// blocked write gives up.
	patient := realtime.DefaultConnConfig()
	patient.WriteTimeout = 30 * time.Second
	cl := newCluster(t, 1, fastSenders, func(d *appDeps) { d.hubCfg, d.connCfg = &small, &patient })
	h := cl.hubs[0]
	h.createTenant("aura")
	const group = "chronic"
	sender := joinedMember(t, h, "aura", "Sender", group)
	reader := joinedMember(t, h, "aura", "Reader", group)
	stuck := joinedMember(t, h, "aura", "Stuck", group)

	// The stuck client subscribes, then never reads again.
	header := http.Header{}
	for _, ck := range stuck.http.Jar.Cookies(mustURL(t, h.srv.URL)) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	// Only a safety net for a hung dial: on a loaded machine the dial and
	// the subscribe can take seconds, so the limit is generous.
	ctx, cancel := context.WithTimeout(context.Background(), wsSafetyTimeout)
	defer cancel()
	// A tiny receive buffer stands in for a client on a slow link, so the
	// kernel's buffers cannot absorb what the hub sends it.
	// The buffer must be set before connecting, or the kernel has already
	// agreed a large window.
	smallWindow := &net.Dialer{Control: func(network, address string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		return errors.Join(err, serr)
	}}
	tinyBuffers := &http.Client{Transport: &http.Transport{DialContext: smallWindow.DialContext}}
	stuckConn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.srv.URL, "http")+"/api/v1/t/aura/ws",
		&websocket.DialOptions{HTTPHeader: header, Subprotocols: []string{realtime.Protocol}, HTTPClient: tinyBuffers})
	if err != nil {
		t.Fatal(err)
	}
	defer stuckConn.CloseNow()
	if err := stuckConn.Write(ctx, websocket.MessageText, []byte(`{"type":"subscribe","group":"chronic"}`)); err != nil {
		t.Fatal(err)
	}

	sws := sender.live(h, group)
	rws := reader.live(h, group)
	// 600 messages of 3,900 three-byte characters: ~7 MB for the stuck
	// client, more than loopback socket buffers hold.
	text := strings.Repeat("€", 3900)
	const n = 600
	start := time.Now()
	for i := 1; i <= n; i++ {
		sws.send(map[string]any{"type": "send", "group": group, "client_id": fmt.Sprintf("m%d", i), "text": text})
	}
	checkSequence(t, "reader", rws.messages(group, n, 2*time.Minute), 1)
	t.Logf("reader got %d messages in %s while a client never read", n, time.Since(start).Round(time.Millisecond))

	deadline := time.Now().Add(3 * wsSafetyTimeout) // a safety net only
	for h.app.hub.ConnCount() > 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := h.app.hub.ConnCount(); got != 2 {
		t.Fatalf("%d connections open, want 2: the stuck client was not dropped", got)
	}
	metrics := h.client("").raw("GET", "/metrics", nil, nil)
	if !strings.Contains(string(metrics.Raw), "hub_slow_consumers_closed_total 1") {
		t.Errorf("slow consumer not counted in /metrics")
	}
}

func TestStoreRejectsAWriteTheSenderRetriesWithTheSameClientID(t *testing.T) {
	cl := newCluster(t, 1)
	h := cl.hubs[0]
	h.createTenant("aura")
	const group = "silent"
	c := joinedMember(t, h, "aura", "Sender", group)
	ws := c.live(h, group)
	// Make the store refuse message inserts while a flag row exists.
	for _, stmt := range []string{
		`CREATE TABLE test_fail (on_insert BOOLEAN)`,
		`CREATE FUNCTION test_refuse() RETURNS trigger AS $$ BEGIN
			IF EXISTS (SELECT 1 FROM test_fail) THEN RAISE EXCEPTION 'refused for the test'; END IF;
			RETURN NEW; END $$ LANGUAGE plpgsql`,
		`CREATE TRIGGER test_refuse BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_refuse()`,
		`INSERT INTO test_fail VALUES (true)`,
	} {
		if err := cl.db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	ws.send(map[string]any{"type": "send", "group": group, "client_id": "retry-me", "text": "hello"})
	fail := ws.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeError && ev.ClientID == "retry-me" }, 5*time.Second)
	if fail.Code != realtime.ErrStoreUnavailable {
		t.Fatalf("error code %q, want %q", fail.Code, realtime.ErrStoreUnavailable)
	}
	ws.quiet(ofType(realtime.TypeMessage), 200*time.Millisecond)
	if err := cl.db.Exec(`DELETE FROM test_fail`).Error; err != nil {
		t.Fatal(err)
	}
	ack := ws.say(group, "retry-me", "hello")
	if ack.Seq != 1 {
		t.Fatalf("retried message has seq %d, want 1: the failed attempt left a gap", ack.Seq)
	}
	checkSequence(t, "sender", ws.messages(group, 1, 5*time.Second), 1)
}

func TestBadFramesGetErrorsAndStoreNothing(t *testing.T) {
	h := newTestHub(t, "postgres")
	h.createTenant("aura")
	other := h.createTenant("elsewhere")
	other.api("POST", "/groups", map[string]any{"slug": "only-elsewhere", "name": "Only elsewhere"}).must(t, http.StatusCreated)
	c := joinedMember(t, h, "aura", "Member", "chronic")
	muted := joinedMember(t, h, "aura", "Muted", "chronic")
	lurker := h.signUp("aura", "Lurker", "adult")
	lurker.api("POST", "/groups/chronic/join", map[string]any{"lurking": true}).must(t, http.StatusOK)
	ws := c.live(h, "chronic")

	cases := []struct {
		name  string
		frame string
		code  string
	}{
		{"invalid JSON", `{"type":"send",`, realtime.ErrBadFrame},
		{"not an object", `[1,2,3]`, realtime.ErrBadFrame},
		{"unknown type", `{"type":"shout","group":"chronic"}`, realtime.ErrUnknownType},
		{"unknown field", `{"type":"send","group":"chronic","client_id":"x1","text":"hi","html":"<b>"}`, realtime.ErrBadFrame},
		{"missing client id", `{"type":"send","group":"chronic","text":"hi"}`, realtime.ErrMissingField},
		{"missing text", `{"type":"send","group":"chronic","client_id":"x2"}`, realtime.ErrMissingField},
		{"blank text", `{"type":"send","group":"chronic","client_id":"x3","text":"  \n "}`, realtime.ErrEmptyText},
		{"text too long", `{"type":"send","group":"chronic","client_id":"x4","text":"` + strings.Repeat("é", 4001) + `"}`, realtime.ErrTextTooLong},
		{"invalid UTF-8", "{\"type\":\"send\",\"group\":\"chronic\",\"client_id\":\"x5\",\"text\":\"\xff\xfe\"}", realtime.ErrInvalidUTF8},
		{"group of another tenant", `{"type":"send","group":"only-elsewhere","client_id":"x6","text":"hi"}`, realtime.ErrNotFound},
		{"subscribe to another tenant's group", `{"type":"subscribe","group":"only-elsewhere"}`, realtime.ErrNotFound},
		{"group not joined", `{"type":"send","group":"vestibular","client_id":"x7","text":"hi"}`, realtime.ErrForbidden},
		{"subscribe to a group not joined", `{"type":"subscribe","group":"vestibular"}`, realtime.ErrForbidden},
		{"negative since", `{"type":"subscribe","group":"chronic","since":-4}`, realtime.ErrBadFrame},
		{"client id with spaces", `{"type":"send","group":"chronic","client_id":"a b","text":"hi"}`, realtime.ErrBadFrame},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ws.t = t
			ws.sendRaw([]byte(tc.frame))
			ev := ws.next(ofType(realtime.TypeError), 5*time.Second)
			if ev.Code != tc.code {
				t.Fatalf("error code %q (%s), want %q", ev.Code, ev.Message, tc.code)
			}
		})
	}
	ws.t = t
	// Binary frames are refused with an error frame too.
	if err := ws.conn.Write(context.Background(), websocket.MessageBinary, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if ev := ws.next(ofType(realtime.TypeError), 5*time.Second); ev.Code != realtime.ErrBadFrame {
		t.Fatalf("binary frame: code %q", ev.Code)
	}

	// A lurker reads but cannot post; a muted member cannot post.
	lws := lurker.live(h, "chronic")
	lws.send(map[string]any{"type": "send", "group": "chronic", "client_id": "l1", "text": "hi"})
	if ev := lws.next(ofType(realtime.TypeError), 5*time.Second); ev.Code != realtime.ErrLurking {
		t.Fatalf("lurker send: code %q", ev.Code)
	}
	mutedUser := muted.api("GET", "/me", nil).must(t, http.StatusOK).Body["user"].(map[string]any)["id"].(string)
	tenant, _ := h.app.accounts.TenantBySlug(context.Background(), "aura")
	chronic := c.api("GET", "/groups/chronic", nil).must(t, http.StatusOK).Body["id"].(string)
	restrictions := newRestrictionsFor(h)
	if _, err := restrictions.Add(context.Background(), tenant.ID, mutedUser, chronic, c.userID, "test", time.Hour); err != nil {
		t.Fatal(err)
	}
	mws, _ := muted.dialWS(h)
	mws.send(map[string]any{"type": "send", "group": "chronic", "client_id": "mu1", "text": "hi"})
	if ev := mws.next(ofType(realtime.TypeError), 5*time.Second); ev.Code != realtime.ErrMuted {
		t.Fatalf("muted send: code %q", ev.Code)
	}

	// Nothing of all that was stored, and the connection is still open.
	ws.say("chronic", "ok-1", "still here")
	page := c.api("GET", "/groups/chronic/messages", nil).must(t, http.StatusOK)
	if msgs := page.Body["messages"].([]any); len(msgs) != 1 {
		t.Fatalf("history has %d messages, want only the valid one", len(msgs))
	}

	// A frame over the read limit closes the connection with 1009.
	// The server may close before the whole frame is written: a write
	// error here is part of the expected outcome.
	_ = ws.conn.Write(context.Background(), websocket.MessageText, []byte(`{"type":"send","group":"chronic","client_id":"big","text":"`+strings.Repeat("x", 40<<10)+`"}`))
	<-ws.closed
	if code := websocket.CloseStatus(ws.closeErr); code != websocket.StatusMessageTooBig {
		t.Fatalf("oversized frame: close %v, want 1009", ws.closeErr)
	}
}

func TestSendRateLimitAnswersWithAnErrorFrame(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.createTenant("aura")
	c := joinedMember(t, h, "aura", "Chatty", "chronic")
	ws := c.live(h, "chronic")
	burst := realtime.DefaultServiceConfig().SendBurst
	for i := 0; i < burst; i++ {
		ws.say("chronic", fmt.Sprintf("b%d", i), "hi")
	}
	ws.send(map[string]any{"type": "send", "group": "chronic", "client_id": "over", "text": "hi"})
	if ev := ws.next(ofType(realtime.TypeError), 5*time.Second); ev.Code != realtime.ErrRateLimited || ev.ClientID != "over" {
		t.Fatalf("got %+v, want rate_limited for client id over", ev)
	}
	// Even while limited, retrying a message that was stored gets its ack.
	if ack := ws.say("chronic", "b0", "hi"); ack.Seq != 1 {
		t.Fatalf("retry of b0 acked with seq %d, want its original 1", ack.Seq)
	}
}

func TestCrossSiteOriginAndOtherTenantCredentialsRefused(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.createTenant("aura")
	h.createTenant("elsewhere")
	c := joinedMember(t, h, "aura", "Member", "chronic")
	header := http.Header{"Origin": {"https://evil.example"}}
	for _, ck := range c.http.Jar.Cookies(mustURL(t, h.srv.URL)) {
		header.Add("Cookie", ck.Name+"="+ck.Value)
	}
	if _, err := dialWSWith(t, h, "aura", header, ""); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("cross-site origin: err = %v, want a 403 refusal", err)
	}
	// The same cookie from the hub's own origin works.
	header.Set("Origin", h.srv.URL)
	if _, err := dialWSWith(t, h, "aura", header, ""); err != nil {
		t.Fatalf("same origin refused: %v", err)
	}
	// A connect token of one tenant opens nothing in another.
	tok := c.api("POST", "/auth/connect-token", nil).must(t, http.StatusCreated).Body["token"].(string)
	if _, err := dialWSWith(t, h, "elsewhere", http.Header{}, "?token="+tok); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("other tenant's token: err = %v, want 404", err)
	}
	ws, err := dialWSWith(t, h, "aura", http.Header{}, "?token="+tok)
	if err != nil {
		t.Fatalf("connect token refused: %v", err)
	}
	ws.subscribe("chronic", nil)
	// Without the subprotocol the server closes with 1008.
	ctx, cancel := context.WithTimeout(context.Background(), wsSafetyTimeout)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.srv.URL, "http")+"/api/v1/t/aura/ws?token="+tok, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = conn.Read(ctx)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusPolicyViolation {
		t.Fatalf("no subprotocol: %v, want close 1008", err)
	}
}

// A mute reaches a member who is already subscribed: their next send is
// refused, without waiting for a reconnect.
func TestMuteAppliesToAnOpenSubscription(t *testing.T) {
	cl := newCluster(t, 2)
	admin := cl.hubs[0].createTenant("aura")
	m := joinedMember(t, cl.hubs[0], "aura", "Loud", "chronic")
	ws := m.live(cl.hubs[1], "chronic")
	ws.say("chronic", "before", "hello")
	tenant, _ := cl.hubs[0].app.accounts.TenantBySlug(context.Background(), "aura")
	group := admin.api("GET", "/groups/chronic", nil).must(t, http.StatusOK).Body["id"].(string)
	if _, err := newRestrictionsFor(cl.hubs[0]).Add(context.Background(), tenant.ID, m.userID, group, admin.userID, "test", time.Hour); err != nil {
		t.Fatal(err)
	}
	if ev := ws.next(ofType(realtime.TypeUnsubscribed), 10*time.Second); ev.Code != "access_changed" {
		t.Fatalf("unsubscribed = %+v, want access_changed", ev)
	}
	ws.subscribe("chronic", nil)
	ws.send(map[string]any{"type": "send", "group": "chronic", "client_id": "after", "text": "hello"})
	if ev := ws.next(ofType(realtime.TypeError), 5*time.Second); ev.Code != realtime.ErrMuted {
		t.Fatalf("send after mute: %+v, want muted", ev)
	}
	// Retrying the message sent before the mute still gets its ack.
	if ack := ws.say("chronic", "before", "hello"); ack.Seq != 1 {
		t.Fatalf("retry acked with seq %d, want 1", ack.Seq)
	}
}
