package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
)

// Screening end to end over the WebSocket on real PostgreSQL: a crisis
// message is delivered, its author gets the private notice and a
// moderator's socket the alert within a second; a message the model is
// unsure about is delivered and queued; confident misinformation is held.
func TestScreeningOverTheSocket(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	member, reader := h.signUp("calm", "Lark", "adult"), h.signUp("calm", "Teal", "adult")
	for _, c := range []*client{member, reader} {
		c.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	}
	adminWS, err := admin.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	ws, readerWS := member.live(h, "chronic"), reader.live(h, "chronic")

	// Crisis: a conditional does not lower it.
	ack := ws.say("chronic", "e1", "if the pain doesn't ease I'm going to end it tonight")
	if ack.Held || ack.Seq == 0 {
		t.Fatalf("a crisis message is delivered, never held: %+v", ack)
	}
	// The notice and the alert are sent before the ack; a second is the
	// promise, measured from the ack.
	notice := ws.next(ofType(realtime.TypeNotice), time.Second)
	if notice.Code != "crisis_support" {
		t.Errorf("crisis notice: %+v", notice)
	}
	alert := adminWS.next(ofType(realtime.TypeModeration), time.Second)
	if alert.Code != "crisis" || alert.Item == "" {
		t.Errorf("moderator alert: %+v", alert)
	}
	readerWS.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == ack.ID }, 10*time.Second)

	// Someone else's crisis gets the notice too.
	other := ws.say("chronic", "e2", "my daughter says she wants to die and I don't know what to do")
	if n := ws.next(ofType(realtime.TypeNotice), 5*time.Second); n.Code != "crisis_support" || other.Held {
		t.Errorf("someone else's crisis: ack %+v, notice %+v", other, n)
	}

	// Uncertain: the admin moves the misinformation band so this wording,
	// which no rule knows, lands in it; it is delivered and queued.
	bad := admin.api("PUT", "/moderation/screening/thresholds/misinformation", map[string]any{"uncertain": 0.9, "confident": 0.5}).must(t, http.StatusUnprocessableEntity)
	if bad.Field("confident") == "" {
		t.Errorf("inverted thresholds: %s", bad.Raw)
	}
	member.api("PUT", "/moderation/screening/thresholds/misinformation", map[string]any{"uncertain": 0.02, "confident": 0.99}).must(t, http.StatusForbidden)
	admin.api("PUT", "/moderation/screening/thresholds/misinformation", map[string]any{"uncertain": 0.02, "confident": 0.99}).must(t, http.StatusOK)
	th := admin.api("GET", "/moderation/screening/thresholds", nil).must(t, http.StatusOK)
	if !strings.Contains(string(th.Raw), `"category":"misinformation","uncertain":0.02,"confident":0.99`) {
		t.Errorf("thresholds: %s", th.Raw)
	}
	unsure := ws.say("chronic", "e3", "Honestly the best move is ditching every prescription your specialist gave you, your body knows better")
	if unsure.Held || unsure.Seq == 0 {
		t.Fatalf("uncertain is delivered: %+v", unsure)
	}
	readerWS.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == unsure.ID }, 10*time.Second)
	it := queueItem(t, admin, unsure.ID)
	if it["held"] != false || !strings.Contains(it["group"].(string), "chronic") {
		t.Errorf("uncertain item: %v", it)
	}
	test := admin.api("POST", "/moderation/screening/test", map[string]any{"text": "Honestly the best move is ditching every prescription your specialist gave you, your body knows better"}).must(t, http.StatusOK)
	if !strings.Contains(string(test.Raw), `"model":[`) || !strings.Contains(string(test.Raw), `"band":"uncertain"`) || !strings.Contains(string(test.Raw), `"rule_id":"model.misinformation"`) {
		t.Errorf("rule test shows no model score: %s", test.Raw)
	}
	admin.api("DELETE", "/moderation/screening/thresholds/misinformation", nil).must(t, http.StatusNoContent)
	admin.api("DELETE", "/moderation/screening/thresholds/misinformation", nil).must(t, http.StatusNotFound)

	// Confident misinformation is held: the author gets a held ack, the
	// group sees nothing, and it waits in the queue.
	held := ws.say("chronic", "e4", "come off your preventives whenever you feel good")
	if !held.Held || held.Seq != 0 {
		t.Fatalf("confident misinformation is held: %+v", held)
	}
	readerWS.quiet(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == held.ID }, 300*time.Millisecond)
	if it := queueItem(t, admin, held.ID); it["held"] != true {
		t.Errorf("held item: %v", it)
	}
}
