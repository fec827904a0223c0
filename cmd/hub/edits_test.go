package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"quietroom/internal/realtime"
)

// A member edits and deletes their own message on one instance; a member on
// the other sees the durable edited and deleted events live, and a client
// resuming from before them replays both in order.
func TestEditAndDeleteOwnMessagesAcrossInstancesWithResume(t *testing.T) {
	cl := newCluster(t, 2)
	a, b := cl.hubs[0], cl.hubs[1]
	admin := a.createTenant("calm")
	wren, moth := a.signUp("calm", "Wren", "adult"), b.signUp("calm", "Moth", "adult")
	for _, c := range []*client{wren, moth} {
		c.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	}
	wsW, wsM := wren.live(a, "chronic"), moth.live(b, "chronic")
	ack := wsW.say("chronic", "w1", "Dark room and water helped tonight")
	wsM.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == ack.ID }, 10*time.Second)
	path := "/groups/chronic/messages/" + ack.ID

	// Not yours: refused. Yours: edited, and the other instance hears it.
	moth.api("PATCH", path, map[string]any{"text": "hijacked"}).must(t, http.StatusForbidden)
	r := wren.api("PATCH", path, map[string]any{"text": "Dark room, water and an early night helped"}).must(t, http.StatusOK)
	if r.Body["edited_at"] == nil || r.Body["text"] != "Dark room, water and an early night helped" {
		t.Errorf("edit answer: %s", r.Raw)
	}
	ed := wsM.next(ofType(realtime.TypeEdited), 10*time.Second)
	if ed.ID != ack.ID || ed.MessageSeq != ack.Seq || ed.Seq != ack.Seq+1 || ed.Text != "Dark room, water and an early night helped" || ed.EditedAt == nil {
		t.Errorf("edited event: %+v", ed)
	}
	wren.api("PATCH", path, map[string]any{"text": "   "}).must(t, http.StatusUnprocessableEntity)

	// Moderators see the earlier version; members do not.
	moth.api("GET", path+"/edits", nil).must(t, http.StatusForbidden)
	edits := admin.api("GET", path+"/edits", nil).must(t, http.StatusOK)
	if list := edits.Body["edits"].([]any); len(list) != 1 || list[0].(map[string]any)["text"] != "Dark room and water helped tonight" {
		t.Errorf("edit history: %s", edits.Raw)
	}

	// An edit that screening would hold is refused, and the message keeps its words.
	admin.api("POST", "/moderation/rules", map[string]any{"name": "beans", "category": "spam", "severity": "high",
		"description": "A local scam product", "terms": []string{"magic migraine beans"}}).must(t, http.StatusCreated)
	held := wren.api("PATCH", path, map[string]any{"text": "Order magic migraine beans from me"})
	if held.Status == http.StatusOK {
		t.Errorf("an edit screening holds was applied: %s", held.Raw)
	} else if held.Field("text") == "" {
		t.Errorf("refused edit without a reason on text: %d %s", held.Status, held.Raw)
	}

	// After the window (15 minutes by default) editing stops; deleting does not.
	a.clock.Advance(16 * time.Minute)
	late := wren.api("PATCH", path, map[string]any{"text": "too late"}).must(t, http.StatusConflict)
	if !strings.Contains(late.Body["error"].(map[string]any)["message"].(string), "15 minutes") {
		t.Errorf("late edit: %s", late.Raw)
	}
	moth.api("DELETE", path, nil).must(t, http.StatusForbidden)
	wren.api("DELETE", path, nil).must(t, http.StatusNoContent)
	del := wsM.next(ofType(realtime.TypeDeleted), 10*time.Second)
	if del.ID != ack.ID || del.MessageSeq != ack.Seq || del.Seq != ed.Seq+1 || del.Text != "" {
		t.Errorf("deleted event: %+v", del)
	}
	wren.api("DELETE", path, nil).must(t, http.StatusConflict)
	wren.api("PATCH", path, map[string]any{"text": "back"}).must(t, http.StatusConflict)

	// History shows a tombstone; a client resuming from before the edit replays both events in order.
	hist := moth.api("GET", "/groups/chronic/messages", nil).must(t, http.StatusOK)
	m := hist.Body["messages"].([]any)[0].(map[string]any)
	if m["deleted"] != true || m["removed"] != true || m["text"] != "" {
		t.Errorf("history of a deleted message: %v", m)
	}
	resume, err := moth.dialWS(b)
	if err != nil {
		t.Fatal(err)
	}
	since := ack.Seq
	resume.subscribe("chronic", &since)
	e1 := resume.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeEdited || ev.Type == realtime.TypeDeleted }, 10*time.Second)
	e2 := resume.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeEdited || ev.Type == realtime.TypeDeleted }, 10*time.Second)
	if e1.Type != realtime.TypeEdited || e2.Type != realtime.TypeDeleted || e1.Seq+1 != e2.Seq {
		t.Errorf("replay: %+v then %+v", e1, e2)
	}

	// A replay from the start no longer holds the deleted words, in any event.
	all, err := moth.dialWS(b)
	if err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	all.subscribe("chronic", &zero)
	for i := 0; i < 4; i++ {
		ev := all.next(func(ev wsEvent) bool { return ev.ID == ack.ID }, 10*time.Second)
		if ev.Text != "" {
			t.Errorf("replayed %s event %d still holds the deleted text %q", ev.Type, ev.Seq, ev.Text)
		}
		if ev.Type == realtime.TypeDeleted {
			break
		}
	}
	if edits := admin.api("GET", path+"/edits", nil).must(t, http.StatusOK); len(edits.Body["edits"].([]any)) != 0 {
		t.Errorf("earlier versions survive the deletion: %s", edits.Raw)
	}

	// The community sets the window; 0 switches editing off.
	admin.api("PATCH", "/settings", map[string]any{"edit_window_minutes": 2000}).must(t, http.StatusUnprocessableEntity)
	admin.api("PATCH", "/settings", map[string]any{"edit_window_minutes": 0}).must(t, http.StatusOK)
	wren2 := a.client("calm")
	wren2.signIn("wren@example.org", "a long enough password").must(t, http.StatusOK)
	ws2 := wren2.live(a, "chronic")
	ack2 := ws2.say("chronic", "w2", "Another evening, calmer now")
	wren2.api("PATCH", "/groups/chronic/messages/"+ack2.ID, map[string]any{"text": "edited"}).must(t, http.StatusForbidden)
}
