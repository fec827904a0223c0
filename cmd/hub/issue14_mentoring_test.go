package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// Issue 14, items 3, 4 and 5: teen safeguarding and capacity in mentoring.

func youthMentor(t *testing.T, h *testHub, admin *client, name string, until time.Time, capacity int) *client {
	t.Helper()
	m := h.signUp("calm", name, "adult")
	app := mentorApplication("vestibular")
	app["capacity"] = capacity
	m.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
	admin.api("POST", "/mentoring/applications/"+m.userID+"/review",
		map[string]any{"decision": "approve", "training_completed": true, "youth_approved": true, "vetting_expires": until}).must(t, http.StatusOK)
	return m
}

func myRequest(t *testing.T, c *client) map[string]any {
	t.Helper()
	rs := c.api("GET", "/mentoring/requests", nil).must(t, http.StatusOK).Body["requests"].([]any)
	if len(rs) == 0 {
		t.Fatal("no request")
	}
	return rs[0].(map[string]any)
}

func TestVettingIsCheckedAtAcceptAndItsEndHandsTeensOver(t *testing.T) {
	h := longSessionHub(t)
	admin := h.createTenant("calm")
	now := h.clock.Now()

	// 1. Vetting expires between the offer and the answer: accept is
	// refused (409) and the offer passes on.
	soon := youthMentor(t, h, admin, "Soon", now.Add(time.Hour), 2)
	finch := h.signUp("calm", "Finch", "teen")
	finch.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	offers := pendingOffers(t, soon)
	if len(offers) != 1 {
		t.Fatalf("the vetted mentor has %d offers, want 1", len(offers))
	}
	h.clock.Advance(2 * time.Hour)
	r := soon.api("POST", "/mentoring/offers/"+offers[0]["id"].(string)+"/accept", nil)
	if r.Status != http.StatusConflict || !strings.Contains(r.Raw2(), "vetting") {
		t.Fatalf("accept after the vetting expired: %d %s, want 409 naming the vetting", r.Status, r.Raw)
	}
	if ships := soon.api("GET", "/mentoring/mentorships", nil).must(t, http.StatusOK).Body["mentorships"].([]any); len(ships) != 0 {
		t.Fatalf("a mentor with expired vetting got a teen mentorship: %v", ships)
	}
	if st := myRequest(t, finch)["status"]; st != "waiting" {
		t.Errorf("the teen's request is %v after the refused accept, want waiting (passed on)", st)
	}

	// 2. Youth approval revoked: pending teen offers pass on, active teen
	// mentorships end and are handed over, with notices.
	keeper := youthMentor(t, h, admin, "Keeper", h.clock.Now().Add(30*24*time.Hour), 3)
	// Finch's waiting request goes to the new mentor at once.
	fo := pendingOffers(t, keeper)
	if len(fo) != 1 {
		t.Fatalf("keeper offers: %v", fo)
	}
	keeper.api("POST", "/mentoring/offers/"+fo[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	robin := h.signUp("calm", "Robin", "teen")
	robin.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if len(pendingOffers(t, keeper)) != 1 {
		t.Fatal("robin's request did not reach the keeper")
	}
	finchWS, adminWS, keeperWS := finch.dialOrFail(t, h), admin.dialOrFail(t, h), keeper.dialOrFail(t, h)
	admin.api("POST", "/mentoring/applications/"+keeper.userID+"/review",
		map[string]any{"decision": "approve", "training_completed": true, "youth_approved": false}).must(t, http.StatusOK)
	if n := len(pendingOffers(t, keeper)); n != 0 {
		t.Errorf("the revoked mentor still holds %d teen offer(s)", n)
	}
	if st := myRequest(t, robin)["status"]; st != "waiting" {
		t.Errorf("robin's request is %v, want waiting (passed on)", st)
	}
	ships := finch.api("GET", "/mentoring/mentorships", nil).must(t, http.StatusOK).Body["mentorships"].([]any)
	if len(ships) != 1 || ships[0].(map[string]any)["status"] != "ended" {
		t.Fatalf("finch's mentorship after the revocation: %v, want ended", ships)
	}
	if st := myRequest(t, finch)["status"]; st != "waiting" {
		t.Errorf("finch has no new request looking for a mentor: %v", st)
	}
	for who, ws := range map[string]*wsClient{"teen": finchWS, "admin": adminWS, "mentor": keeperWS} {
		ev := ws.next(func(ev wsEvent) bool { return ev.Type == "notice" && strings.Contains(ev.Code, "handed_over") }, 10*time.Second)
		if ev.Message == "" {
			t.Errorf("%s got an empty notice", who)
		}
	}

	// 3. Vetting expires during a mentorship: the worker hands it over.
	lapse := youthMentor(t, h, admin, "Lapse", h.clock.Now().Add(time.Hour), 3)
	for _, o := range pendingOffers(t, lapse) {
		lapse.api("POST", "/mentoring/offers/"+o["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	}
	active := lapse.api("GET", "/mentoring/mentorships", nil).must(t, http.StatusOK).Body["mentorships"].([]any)
	if len(active) == 0 {
		t.Fatal("the lapsing mentor took no teen")
	}
	h.clock.Advance(2 * time.Hour)
	if err := h.app.mentoring.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, s := range lapse.api("GET", "/mentoring/mentorships", nil).must(t, http.StatusOK).Body["mentorships"].([]any) {
		if m := s.(map[string]any); m["status"] != "ended" || !strings.Contains(m["end_reason"].(string), "vetting") {
			t.Errorf("a teen mentorship of a mentor whose vetting expired: %v, want ended (vetting)", m)
		}
	}
}

func (r response) Raw2() string { return string(r.Raw) }

func TestCapacityHoldsUnderConcurrentAccepts(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		for trial := range 3 {
			h := newTestHubOn(t, storetest.Open(t, d, migrations()), realtime.NewMemoryBroker(),
				func(deps *appDeps) { deps.cfg.SessionTTL = 30 * 24 * time.Hour })
			admin := h.createTenant("calm")
			mentor := h.signUp("calm", "Solo", "adult")
			app := mentorApplication("vestibular")
			app["capacity"] = 3 // an offer holds a place: three places, three offers
			mentor.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
			admin.api("POST", "/mentoring/applications/"+mentor.userID+"/review",
				map[string]any{"decision": "approve", "training_completed": true}).must(t, http.StatusOK)
			for _, name := range []string{"Ann", "Bea", "Cat"} {
				h.signUp("calm", name, "adult").api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
			}
			// Then the mentor lowers their capacity to one, with the three
			// offers still waiting, and accepts all three at the same moment.
			app["capacity"] = 1
			mentor.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
			offers := pendingOffers(t, mentor)
			if len(offers) != 3 {
				t.Fatalf("trial %d: %d offers for the capacity-1 mentor, want 3", trial, len(offers))
			}
			start := make(chan struct{})
			statuses := make([]int, len(offers))
			var wg sync.WaitGroup
			for i, o := range offers {
				wg.Go(func() {
					<-start
					statuses[i] = mentor.api("POST", "/mentoring/offers/"+o["id"].(string)+"/accept", nil).Status
				})
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, s := range statuses {
				switch s {
				case http.StatusOK:
					ok++
				case http.StatusConflict:
				default:
					t.Errorf("trial %d: accept answered %d", trial, s)
				}
			}
			ships := mentor.api("GET", "/mentoring/mentorships", nil).must(t, http.StatusOK).Body["mentorships"].([]any)
			if ok != 1 || len(ships) != 1 {
				t.Fatalf("trial %d on %s: %d accepts succeeded and %d mentorships exist, want 1 and 1 (statuses %v)", trial, d, ok, len(ships), statuses)
			}
			// Item 5: the mentor is full, so the other offers passed on.
			if n := len(pendingOffers(t, mentor)); n != 0 {
				t.Errorf("trial %d: %d offers still wait on a full mentor", trial, n)
			}
		}
	})
}

// Item 5: a mentor who becomes full does not keep offers waiting, and a
// mentee sees the real deadline of the offer made for them.
func TestOffersPassOnFromAFullMentorAndShowTheirDeadline(t *testing.T) {
	h := longSessionHub(t)
	admin := h.createTenant("calm")
	mentor := h.signUp("calm", "Solo", "adult")
	app := mentorApplication("vestibular")
	app["capacity"] = 2
	mentor.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
	admin.api("POST", "/mentoring/applications/"+mentor.userID+"/review",
		map[string]any{"decision": "approve", "training_completed": true}).must(t, http.StatusOK)
	ann, bea := h.signUp("calm", "Ann", "adult"), h.signUp("calm", "Bea", "adult")
	ann.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	bea.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	// Two offers wait on the mentor, who then has room for one only.
	app["capacity"] = 1
	mentor.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
	st := myRequest(t, bea)
	deadline, _ := st["offer_deadline"].(string)
	if st["status"] != "offered" || deadline == "" {
		t.Fatalf("bea's request: %v, want offered with offer_deadline", st)
	}
	at, err := time.Parse(time.RFC3339Nano, deadline)
	if err != nil {
		t.Fatal(err)
	}
	if want := at.UTC().Format("Mon 2 Jan 2006, 15:04 UTC"); !strings.Contains(st["step"].(string), want) || strings.Contains(st["step"].(string), "two days") {
		t.Errorf("step %q does not give the real deadline %s", st["step"], want)
	}
	offers := pendingOffers(t, mentor)
	if len(offers) != 2 {
		t.Fatalf("%d offers, want 2", len(offers))
	}
	mentor.api("POST", "/mentoring/offers/"+offers[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	if n := len(pendingOffers(t, mentor)); n != 0 {
		t.Errorf("%d offers still wait on the full mentor, want 0", n)
	}
	for _, c := range []*client{ann, bea} {
		if s := myRequest(t, c)["status"]; s != "matched" && s != "waiting" {
			t.Errorf("request %v, want matched or back to waiting", s)
		}
	}
}

// Item 5, the same hole by another door: a mentor who lowers their
// capacity to the number they already mentor is full, and the offer waiting
// on them passes on at once (before, it waited out its deadline on a mentor
// whose accept answered "raise it in your profile first").
func TestOffersPassOnWhenAMentorLowersCapacityToFull(t *testing.T) {
	h := longSessionHub(t)
	admin := h.createTenant("calm")
	mentor := h.signUp("calm", "Solo", "adult")
	app := mentorApplication("vestibular")
	app["capacity"] = 2
	mentor.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
	admin.api("POST", "/mentoring/applications/"+mentor.userID+"/review",
		map[string]any{"decision": "approve", "training_completed": true}).must(t, http.StatusOK)
	ann := h.signUp("calm", "Ann", "adult")
	ann.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	first := pendingOffers(t, mentor)
	if len(first) != 1 {
		t.Fatalf("%d offers for Ann, want 1", len(first))
	}
	mentor.api("POST", "/mentoring/offers/"+first[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	bea := h.signUp("calm", "Bea", "adult")
	bea.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if st := myRequest(t, bea); st["status"] != "offered" {
		t.Fatalf("bea's request: %v, want offered to the mentor's free place", st)
	}
	// Capacity 1 with one mentee: full.
	app["capacity"] = 1
	mentor.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
	if n := len(pendingOffers(t, mentor)); n != 0 {
		t.Errorf("%d offers still wait on a mentor who is full", n)
	}
	if st := myRequest(t, bea); st["status"] != "waiting" {
		t.Errorf("bea's request: %v, want back to waiting (no other mentor)", st)
	}
}
