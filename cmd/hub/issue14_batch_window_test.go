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

// Issue 14 item 6: requests that arrive within a community's batch window
// are matched together when it closes, so the batch matcher decides, not
// the order of arrival. Time is the test clock; the worker's own timer is
// replaced by calling Tick, and NextWindowClose says when it would wake.
func TestRequestsInOneBatchWindowAreMatchedTogether(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		h := newTestHubOn(t, storetest.Open(t, d, migrations()), realtime.NewMemoryBroker(), func(deps *appDeps) {
			deps.cfg.SessionTTL = 30 * 24 * time.Hour
			deps.cfg.MentoringBatchWindow = 5 * time.Minute // the hub's default (HUB_MENTORING_BATCH_WINDOW)
		})
		admin := h.createTenant("calm")
		quick := h.createTenant("quick")

		// The settings: the hub's default, then the community's own window.
		st := admin.api("GET", "/mentoring/settings", nil).must(t, http.StatusOK)
		if st.Body["batch_window_minutes"] != float64(5) {
			t.Fatalf("default batch window: %s", st.Raw)
		}
		weights := st.Body["weights"]
		for _, bad := range []any{-1, 61, 2.5, "5"} {
			res := admin.api("PUT", "/mentoring/settings", map[string]any{"weights": weights, "offer_hours": 48, "batch_window_minutes": bad})
			if res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest {
				t.Errorf("batch_window_minutes %v: %d %s", bad, res.Status, res.Raw)
			}
		}
		admin.api("PUT", "/mentoring/settings", map[string]any{"weights": weights, "offer_hours": 48, "batch_window_minutes": 10}).must(t, http.StatusOK)
		if got := admin.api("GET", "/mentoring/settings", nil).must(t, http.StatusOK).Body["batch_window_minutes"]; got != float64(10) {
			t.Fatalf("saved window: %v", got)
		}
		quick.api("PUT", "/mentoring/settings", map[string]any{"weights": weights, "offer_hours": 48, "batch_window_minutes": 0}).must(t, http.StatusOK)

		// In each community: Ada fits both mentees and has one place; Bo
		// fits only the first mentee, less well. The first mentee asks
		// first. One by one, Ada goes to the first and the second (who
		// speaks only Spanish) is left waiting; together, both are matched.
		type cast struct{ ada, bo, first, second *client }
		people := func(tenant string, admin *client) cast {
			ada := h.signUp(tenant, "Ada", "adult")
			app := mentorApplication("vestibular")
			app["languages"], app["capacity"] = []string{"en", "es"}, 1
			ada.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
			bo := h.signUp(tenant, "Bo", "adult")
			app = mentorApplication("chronic")
			app["capacity"] = 1
			bo.api("PUT", "/mentoring/mentor", app).must(t, http.StatusOK)
			for _, m := range []*client{ada, bo} {
				admin.api("POST", "/mentoring/applications/"+m.userID+"/review",
					map[string]any{"decision": "approve", "training_completed": true}).must(t, http.StatusOK)
			}
			return cast{ada: ada, bo: bo, first: h.signUp(tenant, "Wren", "adult"), second: h.signUp(tenant, "Lark", "adult")}
		}
		spanish := menteeRequest("vestibular")
		spanish["languages"] = []string{"es"}

		// Start one minute into a window of 10 minutes.
		now := h.clock.Now()
		h.clock.Advance(now.UTC().Truncate(10 * time.Minute).Add(11 * time.Minute).Sub(now))

		// A window of 0 offers each request as it arrives.
		q := people("quick", quick)
		q.first.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
		q.second.api("POST", "/mentoring/requests", spanish).must(t, http.StatusCreated)
		if len(pendingOffers(t, q.ada)) != 1 || len(pendingOffers(t, q.bo)) != 0 {
			t.Fatalf("offered at once: Ada %d offers, Bo %d", len(pendingOffers(t, q.ada)), len(pendingOffers(t, q.bo)))
		}
		if s := myRequest(t, q.second)["status"]; s != "waiting" {
			t.Fatalf("one by one, the Spanish speaker is left waiting; got %v", s)
		}

		// A window of 10 minutes: both wait, and are told until when.
		c := people("calm", admin)
		c.first.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
		h.clock.Advance(3 * time.Minute)
		c.second.api("POST", "/mentoring/requests", spanish).must(t, http.StatusCreated)
		var closes time.Time
		for _, m := range []*client{c.first, c.second} {
			st := myRequest(t, m)
			at, err := time.Parse(time.RFC3339Nano, st["match_at"].(string))
			if st["status"] != "waiting" || err != nil || !strings.Contains(st["step"].(string), at.UTC().Format("15:04 UTC")) {
				t.Fatalf("inside the window: %v", st)
			}
			if closes.IsZero() {
				closes = at
			} else if !at.Equal(closes) {
				t.Fatalf("one window, two closing times: %v and %v", closes, at)
			}
		}
		if wait := closes.Sub(h.clock.Now()); wait <= 0 || wait > 10*time.Minute {
			t.Fatalf("the window closes %v from now", wait)
		}
		// The worker wakes when the window closes, not at some later tick.
		at, ok, err := h.app.mentoring.NextWindowClose(t.Context())
		if err != nil || !ok || !at.Equal(closes) {
			t.Fatalf("worker wakes at %v (%v, %v), want %v", at, ok, err, closes)
		}
		// Nothing is offered before the window closes, tick or not.
		if err := h.app.mentoring.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := len(pendingOffers(t, c.ada)) + len(pendingOffers(t, c.bo)); n != 0 {
			t.Fatalf("%d offers before the window closed", n)
		}
		// It closes: both are matched together.
		h.clock.Advance(closes.Sub(h.clock.Now()) + time.Second)
		if err := h.app.mentoring.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		ada, bo := pendingOffers(t, c.ada), pendingOffers(t, c.bo)
		if len(ada) != 1 || len(bo) != 1 {
			t.Fatalf("after the window: Ada %d offers, Bo %d; want one each", len(ada), len(bo))
		}
		if ada[0]["request"].(map[string]any)["mentee_id"] != c.second.userID || bo[0]["request"].(map[string]any)["mentee_id"] != c.first.userID {
			t.Errorf("Ada should have the Spanish speaker and Bo the other: Ada %v, Bo %v", ada[0]["request"], bo[0]["request"])
		}
		for _, m := range []*client{c.first, c.second} {
			if st := myRequest(t, m); st["status"] != "offered" || st["match_at"] != nil {
				t.Errorf("after the window: %v", st)
			}
		}
		if _, ok, err := h.app.mentoring.NextWindowClose(t.Context()); err != nil || ok {
			t.Errorf("no window left open, but the worker would wake (%v, %v)", ok, err)
		}

		// match-all offers the requests still inside their window at once.
		cy := approvedMentor(t, h, admin, "Cy", nil, "with-aura")
		third := h.signUp("calm", "Moth", "adult")
		third.api("POST", "/mentoring/requests", menteeRequest("with-aura")).must(t, http.StatusCreated)
		if s := myRequest(t, third)["status"]; s != "waiting" {
			t.Fatalf("a new request inside the window: %v", s)
		}
		made := admin.api("POST", "/mentoring/match-all", nil).must(t, http.StatusOK)
		if made.Body["offers_made"] != float64(1) || len(pendingOffers(t, cy)) != 1 {
			t.Errorf("match-all inside the window: %s, Cy has %d offers", made.Raw, len(pendingOffers(t, cy)))
		}
	})
}
