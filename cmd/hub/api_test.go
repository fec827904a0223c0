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
