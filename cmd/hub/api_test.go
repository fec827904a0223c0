package main

import (
	"net/http"
	"testing"

	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

func TestDemoTenantGroupsAndHealth(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			h := newTestHub(t, d)
			login, err := h.app.ensureDemo(t.Context(), d == store.SQLite)
			if err != nil {
				t.Fatal(err)
			}
			c := h.client("")
			c.raw("GET", "/healthz", nil, nil).must(t, http.StatusOK)
			ready := c.raw("GET", "/readyz", nil, nil).must(t, http.StatusOK)
			if ready.Body["store"] != string(d) {
				t.Errorf("readyz store = %v, want %s", ready.Body["store"], d)
			}
			if d == store.Postgres {
				if login != nil {
					t.Fatalf("PostgreSQL mode printed a demo login")
				}
				return
			}
			if login == nil || len(login.Password) < 16 {
				t.Fatalf("embedded mode gave no usable demo login: %+v", login)
			}
			admin := h.client("demo")
			admin.signIn(login.Email, login.Password).must(t, http.StatusOK)
			groups := admin.api("GET", "/groups", nil).must(t, http.StatusOK)
			list, _ := groups.Body["groups"].([]any)
			// Every default group but the teen-only one is joinable by an adult admin; all are listed.
			if len(list) != 13 {
				t.Fatalf("demo tenant has %d groups, want the 13 of the default catalogue: %s", len(list), groups.Raw)
			}
			again, err := h.app.ensureDemo(t.Context(), true)
			if err != nil || again != nil {
				t.Fatalf("second start created the demo again: %+v %v", again, err)
			}
		})
	}
}

// One failed sign-in must not break later ones: SQLite returns aggregates
// untyped, which once turned every later sign-in into a 500.
func TestSignInAfterAFailureOnEveryDialect(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			h := newTestHub(t, d)
			h.createTenant("aura")
			m := h.signUp("aura", "Moth", "adult")
			c := h.client("aura")
			c.signIn("moth@example.org", "wrong password!").must(t, http.StatusUnauthorized)
			c.signIn("moth@example.org", "a long enough password").must(t, http.StatusOK)
			for i := 0; i < 5; i++ {
				c.signIn("moth@example.org", "wrong password!").must(t, http.StatusUnauthorized)
			}
			limited := c.signIn("moth@example.org", "a long enough password").must(t, http.StatusTooManyRequests)
			if limited.Header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
			_ = m
		})
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("aura")
	first := h.signUp("aura", "Moth", "adult")
	second := h.client("aura")
	second.signIn("moth@example.org", "a long enough password").must(t, http.StatusOK)
	first.api("POST", "/me/password", map[string]any{"current_password": "nope nope nope", "new_password": "another long password"}).must(t, http.StatusUnprocessableEntity)
	first.api("POST", "/me/password", map[string]any{"current_password": "a long enough password", "new_password": "short"}).must(t, http.StatusUnprocessableEntity)
	first.api("POST", "/me/password", map[string]any{"current_password": "a long enough password", "new_password": "another long password"}).must(t, http.StatusNoContent)
	first.api("GET", "/me", nil).must(t, http.StatusOK)
	second.api("GET", "/me", nil).must(t, http.StatusUnauthorized)
	h.client("aura").signIn("moth@example.org", "another long password").must(t, http.StatusOK)
}
