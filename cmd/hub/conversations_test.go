package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
)

// Conversations are addressed by kind and key (docs/protocol.md,
// "Addressing conversations"): group:{slug} and mentorship:{id}, in the
// frames' conversation field, in every event beside the older group field,
// and in the /conversations/{address}/... routes. The older spellings keep
// working. Stored conversations know their kind.
func TestConversationsAreAddressedByKindAndKey(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	mentor := approvedMentor(t, h, admin, "Heron", nil, "vestibular")
	mentee := h.signUp("calm", "Wren", "adult")
	mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	ship := mentor.api("POST", "/mentoring/offers/"+pendingOffers(t, mentor)[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	id := ship.Body["id"].(string)
	addr, oldSpelling := "mentorship:"+id, "mentorship-"+id

	mine := mentee.api("GET", "/mentoring/mentorships", nil).must(t, http.StatusOK)
	if got := mine.Body["mentorships"].([]any)[0].(map[string]any)["conversation"]; got != addr {
		t.Errorf("a mentorship's conversation is %v, want %s", got, addr)
	}

	// The mentee subscribes by address, the mentor by the address in the
	// older field: both name the same conversation.
	wsMentee, err := mentee.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	wsMentee.send(map[string]any{"type": "subscribe", "conversation": addr})
	if ev := wsMentee.next(ofType(realtime.TypeSubscribed), 10*time.Second); ev.Conversation != addr || ev.Group != oldSpelling {
		t.Errorf("subscribed by address: %+v", ev)
	}
	wsMentor, err := mentor.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	wsMentor.send(map[string]any{"type": "subscribe", "group": addr})
	if ev := wsMentor.next(ofType(realtime.TypeSubscribed), 10*time.Second); ev.Conversation != addr {
		t.Errorf("subscribed by address in the group field: %+v", ev)
	}
	wsMentee.send(map[string]any{"type": "send", "conversation": addr, "client_id": "c1", "text": "Hello from the new spelling"})
	if ack := wsMentee.next(ofType(realtime.TypeAck), 10*time.Second); ack.Conversation != addr || ack.Group != oldSpelling || ack.Seq != 1 {
		t.Errorf("ack: %+v", ack)
	}
	msg := wsMentor.next(ofType(realtime.TypeMessage), 10*time.Second)
	if msg.Conversation != addr || msg.Group != oldSpelling || msg.Text != "Hello from the new spelling" {
		t.Errorf("message event: %+v", msg)
	}

	// History, edits and flags by address, and by the older route.
	for _, path := range []string{"/conversations/" + addr + "/messages", "/groups/" + oldSpelling + "/messages"} {
		hist := mentor.api("GET", path, nil).must(t, http.StatusOK)
		if ms := hist.Body["messages"].([]any); len(ms) != 1 || ms[0].(map[string]any)["id"] != msg.ID {
			t.Errorf("%s: %s", path, hist.Raw)
		}
	}
	mentee.api("PATCH", "/conversations/"+addr+"/messages/"+msg.ID, map[string]any{"text": "Hello, edited"}).must(t, http.StatusOK)
	if ev := wsMentor.next(ofType(realtime.TypeEdited), 10*time.Second); ev.Conversation != addr || ev.Text != "Hello, edited" {
		t.Errorf("edited event: %+v", ev)
	}
	mentor.api("POST", "/conversations/"+addr+"/messages/"+msg.ID+"/flags", map[string]any{"reason": "other", "note": "checking"}).must(t, http.StatusCreated)
	if it := queueItem(t, admin, msg.ID); it["group"] != oldSpelling || it["conversation"] != addr {
		t.Errorf("queue item: %v", it)
	}

	// The export names the conversation by address.
	if exp := mentee.api("GET", "/me/export", nil).must(t, http.StatusOK); !strings.Contains(strings.ReplaceAll(string(exp.Raw), `": "`, `":"`), `"conversation":"`+addr+`"`) {
		t.Errorf("export lacks the mentorship's address: %s", exp.Raw)
	}

	// Nobody else reads it, whichever way they spell it; another tenant's
	// member neither.
	outsider := h.signUp("calm", "Moth", "adult")
	for _, path := range []string{"/conversations/" + addr + "/messages", "/groups/" + oldSpelling + "/messages",
		"/conversations/group:" + oldSpelling + "/messages", "/conversations/room:" + id + "/messages"} {
		outsider.api("GET", path, nil).must(t, http.StatusNotFound)
	}
	h.createTenant("other")
	stranger := joinedMember(t, h, "other", "Kestrel", "chronic")
	stranger.api("GET", "/conversations/"+addr+"/messages", nil).must(t, http.StatusNotFound)

	// A group by address: events carry both spellings.
	member := joinedMember(t, h, "calm", "Finch", "chronic")
	ws, err := member.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	ws.send(map[string]any{"type": "subscribe", "conversation": "group:chronic", "since": 0})
	if ev := ws.next(ofType(realtime.TypeSubscribed), 10*time.Second); ev.Conversation != "group:chronic" || ev.Group != "chronic" {
		t.Errorf("subscribed to a group by address: %+v", ev)
	}
	ws.send(map[string]any{"type": "send", "group": "chronic", "client_id": "g1", "text": "hello chronic"})
	if ev := ws.next(ofType(realtime.TypeMessage), 10*time.Second); ev.Conversation != "group:chronic" || ev.Group != "chronic" {
		t.Errorf("group message: %+v", ev)
	}
	member.api("GET", "/conversations/group:chronic/messages", nil).must(t, http.StatusOK)

	// Frames that name no conversation, or two, or an unknown kind.
	for _, f := range []map[string]any{
		{"type": "subscribe", "conversation": "group:chronic", "group": "vestibular"},
		{"type": "subscribe", "conversation": "room:chronic"},
		{"type": "subscribe", "conversation": "chronic"},
	} {
		ws.send(f)
		if ev := ws.next(ofType(realtime.TypeError), 10*time.Second); ev.Code != realtime.ErrBadFrame {
			t.Errorf("%v: %+v, want bad_frame", f, ev)
		}
	}
	ws.send(map[string]any{"type": "send", "client_id": "g2", "text": "where?"})
	if ev := ws.next(ofType(realtime.TypeError), 10*time.Second); ev.Code != realtime.ErrMissingField {
		t.Errorf("send naming no conversation: %+v", ev)
	}

	// Each stored conversation knows its kind.
	kinds := map[string]string{}
	rows, err := h.app.db.DB.WithContext(context.Background()).Raw(`SELECT c.id, c.kind FROM conversations c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'calm'`).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, kind string
		if err := rows.Scan(&cid, &kind); err != nil {
			t.Fatal(err)
		}
		kinds[cid] = kind
	}
	if kinds[id] != "mentorship" || len(kinds) != 2 {
		t.Errorf("stored kinds: %v, want the mentorship %s as mentorship and the group as group", kinds, id)
	}
	for cid, kind := range kinds {
		if cid != id && kind != "group" {
			t.Errorf("group conversation %s stored as %q", cid, kind)
		}
	}

	// Groups refuse slugs older clients would read as a mentorship.
	r := admin.api("POST", "/groups", map[string]any{"slug": "mentorship-circle", "name": "Mentorship circle"}).must(t, http.StatusUnprocessableEntity)
	if r.Field("slug") == "" {
		t.Errorf("refusal names no slug error: %s", r.Raw)
	}
}
