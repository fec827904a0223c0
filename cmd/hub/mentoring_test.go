package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

var allWeek = strings.Repeat("1", 168)

func mentorApplication(types ...string) map[string]any {
	return map[string]any{"types": types, "treatments": []string{"preventive:cgrp-antibodies", "acute:triptans"},
		"topics": []string{"new-diagnosis", "work"}, "languages": []string{"en"}, "years": 8, "tz_offset_minutes": 0,
		"availability": allWeek, "capacity": 2, "about": "Living with it since school."}
}

func menteeRequest(types ...string) map[string]any {
	return map[string]any{"reason": "new-diagnosis", "types": types, "topics": []string{"new-diagnosis"}, "languages": []string{"en"},
		"tz_offset_minutes": 60, "availability": allWeek, "consent": true}
}

// approvedMentor signs up a member, applies and has the admin approve them.
func approvedMentor(t *testing.T, h *testHub, admin *client, name string, review map[string]any, types ...string) *client {
	t.Helper()
	m := h.signUp("calm", name, "adult")
	m.api("PUT", "/mentoring/mentor", mentorApplication(types...)).must(t, http.StatusOK)
	if review == nil {
		review = map[string]any{}
	}
	review["decision"], review["training_completed"] = "approve", true
	admin.api("POST", "/mentoring/applications/"+m.userID+"/review", review).must(t, http.StatusOK)
	return m
}

func pendingOffers(t *testing.T, c *client) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, o := range c.api("GET", "/mentoring/offers", nil).must(t, http.StatusOK).Body["offers"].([]any) {
		if m := o.(map[string]any); m["status"] == "pending" {
			out = append(out, m)
		}
	}
	return out
}

func TestMentoringFromRequestToConversation(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	other := h.createTenant("other")

	applicant := h.signUp("calm", "Heron", "adult")
	bad := applicant.api("PUT", "/mentoring/mentor", map[string]any{"types": []string{"vestibular", "dizzy"}, "topics": []string{},
		"languages": []string{}, "years": -1, "tz_offset_minutes": 9999, "availability": "101", "capacity": 9}).must(t, http.StatusUnprocessableEntity)
	for _, f := range []string{"types", "topics", "languages", "years", "tz_offset_minutes", "availability", "capacity"} {
		if bad.Field(f) == "" {
			t.Errorf("no error for %s: %s", f, bad.Raw)
		}
	}
	applicant.api("PUT", "/mentoring/mentor", mentorApplication("vestibular", "chronic")).must(t, http.StatusOK)
	applicant.api("POST", "/mentoring/applications/"+applicant.userID+"/review", map[string]any{"decision": "approve"}).must(t, http.StatusForbidden)
	other.api("POST", "/mentoring/applications/"+applicant.userID+"/review", map[string]any{"decision": "approve"}).must(t, http.StatusNotFound)
	admin.api("POST", "/mentoring/applications/"+applicant.userID+"/review", map[string]any{"decision": "reject"}).must(t, http.StatusUnprocessableEntity)
	admin.api("POST", "/mentoring/applications/"+applicant.userID+"/review", map[string]any{"decision": "approve", "training_completed": true}).must(t, http.StatusOK)

	mentee := h.signUp("calm", "Wren", "adult")
	mentee.api("POST", "/mentoring/requests", map[string]any{"reason": "new-diagnosis", "topics": []string{}, "consent": false}).must(t, http.StatusUnprocessableEntity)
	req := mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if req.Body["status"] != "offered" {
		t.Fatalf("the request goes straight to the one fitting mentor: %s", req.Raw)
	}
	mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusConflict)

	offers := pendingOffers(t, applicant)
	if len(offers) != 1 || !strings.Contains(strings.Join(toStrings(offers[0]["reasons"]), "; "), "vestibular") {
		t.Fatalf("offer with reasons: %v", offers)
	}
	offerID := offers[0]["id"].(string)
	other.api("POST", "/mentoring/offers/"+offerID+"/accept", nil).must(t, http.StatusNotFound)
	mentee.api("POST", "/mentoring/offers/"+offerID+"/accept", nil).must(t, http.StatusNotFound)
	ship := applicant.api("POST", "/mentoring/offers/"+offerID+"/accept", nil).must(t, http.StatusOK)
	applicant.api("POST", "/mentoring/offers/"+offerID+"/accept", nil).must(t, http.StatusConflict)
	applicant.api("POST", "/mentoring/offers/"+offerID+"/decline", map[string]any{}).must(t, http.StatusConflict)
	id := ship.Body["id"].(string)
	slug := "mentorship-" + id

	st := mentee.api("GET", "/mentoring/requests", nil).must(t, http.StatusOK)
	if !strings.Contains(string(st.Raw), `"status":"matched"`) || !strings.Contains(string(st.Raw), "You have a mentor") {
		t.Errorf("mentee's status: %s", st.Raw)
	}

	// The private conversation: the two of them, nobody else.
	wsMentor, wsMentee := applicant.live(h, slug), mentee.live(h, slug)
	wsMentee.say(slug, "h1", "Hello, I was just told it's vestibular migraine.")
	if got := wsMentor.messages(slug, 1, 5*time.Second)[0]; got.Text != "Hello, I was just told it's vestibular migraine." {
		t.Errorf("mentor got %+v", got)
	}
	outsider := h.signUp("calm", "Moth", "adult")
	wsOut, err := outsider.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	wsOut.send(map[string]any{"type": "subscribe", "group": slug})
	if e := wsOut.next(ofType(realtime.TypeError), 5*time.Second); e.Code != "not_found" {
		t.Errorf("outsider subscribing: %+v", e)
	}
	admin.api("GET", "/groups/"+slug+"/messages", nil).must(t, http.StatusNotFound) // adult mentorships are private

	// Feedback, then the end: no more writing, and the pair is never matched again.
	mentee.api("PUT", "/mentoring/mentorships/"+id+"/feedback", map[string]any{"rating": 9}).must(t, http.StatusUnprocessableEntity)
	mentee.api("PUT", "/mentoring/mentorships/"+id+"/feedback", map[string]any{"rating": 5, "text": "Kind and patient."}).must(t, http.StatusOK)
	outsider.api("POST", "/mentoring/mentorships/"+id+"/end", map[string]any{}).must(t, http.StatusNotFound)
	applicant.api("POST", "/mentoring/mentorships/"+id+"/rematch", nil).must(t, http.StatusForbidden)
	again := mentee.api("POST", "/mentoring/mentorships/"+id+"/rematch", nil).must(t, http.StatusCreated)
	if again.Body["status"] != "waiting" {
		t.Errorf("after a rematch, nobody else fits yet: %s", again.Raw)
	}
	mentee.api("POST", "/mentoring/mentorships/"+id+"/end", map[string]any{}).must(t, http.StatusConflict)
	wsMentee.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeUnsubscribed }, 5*time.Second)
	wsMentee.subscribe(slug, nil)
	wsMentee.send(map[string]any{"type": "send", "group": slug, "client_id": "h2", "text": "still there?"})
	if e := wsMentee.next(ofType(realtime.TypeError), 5*time.Second); e.Code != "forbidden" {
		t.Errorf("writing in an ended mentorship: %+v", e)
	}
	if len(pendingOffers(t, applicant)) != 0 {
		t.Error("the ended pair was matched again")
	}
	exp := mentee.api("GET", "/me/export", nil).must(t, http.StatusOK)
	if !strings.Contains(string(exp.Raw), `"mentoring"`) {
		t.Errorf("export lacks mentoring")
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// longSessionHub is a test hub whose sessions outlive days of test clock.
func longSessionHub(t *testing.T) *testHub {
	return newTestHubOn(t, storetest.Open(t, store.Postgres, migrations()), realtime.NewMemoryBroker(),
		func(d *appDeps) { d.cfg.SessionTTL = 30 * 24 * time.Hour })
}

func TestMentorOffersPauseExpiryAndReminders(t *testing.T) {
	h := longSessionHub(t)
	admin, best, second, mentee := offerToTheBestOfTwo(t, h)
	// Pausing passes the offer on at once.
	best.api("PUT", "/mentoring/mentor/paused", map[string]any{"paused": true}).must(t, http.StatusOK)
	if len(pendingOffers(t, best)) != 0 || len(pendingOffers(t, second)) != 1 {
		t.Fatal("a paused mentor's offer passes to the next candidate")
	}
	// A reminder near the deadline, then expiry: nobody is left, so it waits.
	ws, err := second.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(37 * time.Hour)
	if err := h.app.mentoring.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := ws.next(ofType(realtime.TypeNotice), 5*time.Second); n.Code != "mentor_offer_reminder" {
		t.Errorf("reminder: %+v", n)
	}
	h.clock.Advance(12 * time.Hour)
	if err := h.app.mentoring.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	offers := second.api("GET", "/mentoring/offers", nil).must(t, http.StatusOK)
	if !strings.Contains(string(offers.Raw), `"status":"expired"`) {
		t.Errorf("expired offer: %s", offers.Raw)
	}
	if st := mentee.api("GET", "/mentoring/requests", nil).must(t, http.StatusOK); !strings.Contains(string(st.Raw), `"status":"waiting"`) {
		t.Errorf("request after expiry: %s", st.Raw)
	}
	// When the paused mentor comes back, the request is offered to them.
	best.api("PUT", "/mentoring/mentor/paused", map[string]any{"paused": false}).must(t, http.StatusOK)
	if len(pendingOffers(t, best)) != 0 {
		t.Error("a mentor who had the offer withdrawn is not asked twice for the same request")
	}
	// Decline with a reason; the batch matcher then has nothing to add.
	mentee2 := h.signUp("calm", "Lark", "adult")
	mentee2.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	o := pendingOffers(t, best)
	if len(o) != 1 {
		t.Fatalf("offers to the unpaused mentor: %v", o)
	}
	best.api("POST", "/mentoring/offers/"+o[0]["id"].(string)+"/decline", map[string]any{"reason": "too close to home"}).must(t, http.StatusNoContent)
	if made := admin.api("POST", "/mentoring/match-all", nil).must(t, http.StatusOK); made.Body["offers_made"] == nil {
		t.Errorf("batch: %s", made.Raw)
	}
	mentee2.api("POST", "/mentoring/match-all", nil).must(t, http.StatusForbidden)
}

func TestTeenMentorshipSafeguarding(t *testing.T) {
	h := longSessionHub(t)
	admin := h.createTenant("calm")
	past := h.clock.Now().Add(-24 * time.Hour)

	plain := approvedMentor(t, h, admin, "Heron", nil, "vestibular")
	expired := h.signUp("calm", "Egret", "adult")
	expired.api("PUT", "/mentoring/mentor", mentorApplication("vestibular")).must(t, http.StatusOK)
	admin.api("POST", "/mentoring/applications/"+expired.userID+"/review",
		map[string]any{"decision": "approve", "training_completed": true, "youth_approved": true, "vetting_expires": past}).must(t, http.StatusUnprocessableEntity)
	admin.api("POST", "/mentoring/applications/"+expired.userID+"/review",
		map[string]any{"decision": "approve", "training_completed": true, "youth_approved": true, "vetting_expires": h.clock.Now().Add(time.Hour)}).must(t, http.StatusOK)

	teen := h.signUp("calm", "Finch", "teen")
	teen.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if len(pendingOffers(t, plain)) != 0 {
		t.Fatal("a mentor without youth approval got a teen's request")
	}
	expiredOffer := pendingOffers(t, expired)
	if len(expiredOffer) != 1 {
		t.Fatal("a vetted mentor gets the teen's request")
	}
	// Accepted while the vetting holds (accepting after it expired is
	// refused: TestVettingIsCheckedAtAcceptAndItsEndHandsTeensOver).
	ship := expired.api("POST", "/mentoring/offers/"+expiredOffer[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	// Vetting runs out: the next teen request skips them.
	h.clock.Advance(2 * time.Hour)
	teen2 := h.signUp("calm", "Robin", "teen")
	teen2.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if len(pendingOffers(t, expired)) != 0 {
		t.Error("a mentor whose vetting expired got a new teen request")
	}

	slug := "mentorship-" + ship.Body["id"].(string)
	wsTeen := teen.live(h, slug)
	// Contact details wait for a moderator; the rest goes through.
	if ack := wsTeen.say(slug, "t1", "you can text me on 07700 900123"); !ack.Held {
		t.Errorf("a phone number in a teen mentorship was delivered: %+v", ack)
	}
	if ack := wsTeen.say(slug, "t2", "school was hard today"); ack.Held {
		t.Errorf("an ordinary message was held: %+v", ack)
	}
	// The community's moderators can read a teen mentorship; members cannot.
	hist := admin.api("GET", "/groups/"+slug+"/messages", nil).must(t, http.StatusOK)
	if !strings.Contains(string(hist.Raw), "school was hard today") || strings.Contains(string(hist.Raw), "07700") {
		t.Errorf("safeguarding view: %s", hist.Raw)
	}
	plain.api("GET", "/groups/"+slug+"/messages", nil).must(t, http.StatusNotFound)
	q := admin.api("GET", "/moderation/queue?reason=contact-details", nil).must(t, http.StatusOK)
	if !strings.Contains(string(q.Raw), "07700 900123") {
		t.Errorf("held contact details not in the queue: %s", q.Raw)
	}
}

func TestMentoringSettings(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	mentor := approvedMentor(t, h, admin, "Heron", nil, "vestibular")
	st := admin.api("GET", "/mentoring/settings", nil).must(t, http.StatusOK)
	if st.Body["offer_hours"] != float64(48) {
		t.Fatalf("defaults: %s", st.Raw)
	}
	w := st.Body["weights"].(map[string]any)
	w["type"] = -1
	bad := admin.api("PUT", "/mentoring/settings", map[string]any{"weights": w, "offer_hours": 0}).must(t, http.StatusUnprocessableEntity)
	if bad.Field("weights") == "" || bad.Field("offer_hours") == "" {
		t.Errorf("bad settings: %s", bad.Raw)
	}
	w["type"] = 5
	admin.api("PUT", "/mentoring/settings", map[string]any{"weights": w, "offer_hours": 6}).must(t, http.StatusOK)
	mentor.api("PUT", "/mentoring/settings", map[string]any{"weights": w, "offer_hours": 6}).must(t, http.StatusForbidden)

	mentee := h.signUp("calm", "Wren", "adult")
	mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	o := pendingOffers(t, mentor)
	if len(o) != 1 {
		t.Fatal("no offer")
	}
	deadline, _ := time.Parse(time.RFC3339Nano, o[0]["deadline"].(string))
	if got := deadline.Sub(h.clock.Now()); got < 6*time.Hour-time.Second || got > 6*time.Hour {
		t.Errorf("the offer's deadline is %s away, want the tenant's 6h", got)
	}
}

func TestMentoringRefusals(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	teen := h.signUp("calm", "Finch", "teen")
	teen.api("PUT", "/mentoring/mentor", mentorApplication("vestibular")).must(t, http.StatusForbidden)

	mentor := approvedMentor(t, h, admin, "Heron", nil, "vestibular")
	mentee := h.signUp("calm", "Wren", "adult")
	mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	o := pendingOffers(t, mentor)
	// Rejected after the offer: the offer passes on, and cannot be accepted.
	admin.api("POST", "/mentoring/applications/"+mentor.userID+"/review", map[string]any{"decision": "reject", "reason": "training lapsed"}).must(t, http.StatusOK)
	mentor.api("POST", "/mentoring/offers/"+o[0]["id"].(string)+"/accept", nil).must(t, http.StatusConflict)
	if len(pendingOffers(t, mentor)) != 0 {
		t.Error("a rejected mentor keeps pending offers")
	}
	// Matched mentees do not open a second request; a rematch with one open is refused.
	admin.api("POST", "/mentoring/applications/"+mentor.userID+"/review", map[string]any{"decision": "approve", "training_completed": true}).must(t, http.StatusOK)
	other := approvedMentor(t, h, admin, "Egret", nil, "vestibular")
	mentee2 := h.signUp("calm", "Lark", "adult")
	mentee2.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	var offer map[string]any
	var accepter *client
	for _, m := range []*client{mentor, other} {
		for _, o := range pendingOffers(t, m) {
			if o["request"].(map[string]any)["mentee_id"] == mentee2.userID {
				offer, accepter = o, m
			}
		}
	}
	if offer == nil {
		t.Fatal("no offer for the second mentee")
	}
	accepter.api("POST", "/mentoring/offers/"+offer["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	again := mentee2.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusConflict)
	if !strings.Contains(string(again.Raw), "you have a mentor") {
		t.Errorf("a matched mentee asking again: %s", again.Raw)
	}
}

func TestFlagInMentorship(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	mentor := approvedMentor(t, h, admin, "Heron", nil, "vestibular")
	mentee := h.signUp("calm", "Wren", "adult")
	mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	ship := mentor.api("POST", "/mentoring/offers/"+pendingOffers(t, mentor)[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	slug := "mentorship-" + ship.Body["id"].(string)
	ws := mentor.live(h, slug)
	ack := ws.say(slug, "x1", "Would you like to grab coffee sometime?")
	mentee.api("POST", "/groups/"+slug+"/messages/"+ack.ID+"/flags", map[string]any{"reason": "other", "note": "this made me uneasy"}).must(t, http.StatusCreated)
	if it := queueItem(t, admin, ack.ID); it["group"] != slug {
		t.Errorf("queue item: %v", it)
	}
}

// offerToTheBestOfTwo makes community calm with two approved mentors,
// Heron (vestibular) and Egret (chronic), and a mentee, Wren, whose
// vestibular request is offered to Heron alone: the start of every test of
// how an offer passes on.
func offerToTheBestOfTwo(t *testing.T, h *testHub) (admin, best, second, mentee *client) {
	t.Helper()
	admin = h.createTenant("calm")
	best = approvedMentor(t, h, admin, "Heron", nil, "vestibular")
	second = approvedMentor(t, h, admin, "Egret", nil, "chronic")
	mentee = h.signUp("calm", "Wren", "adult")
	mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if len(pendingOffers(t, best)) != 1 || len(pendingOffers(t, second)) != 0 {
		t.Fatal("the best fit gets the first offer")
	}
	return admin, best, second, mentee
}
