package main

import (
	"net/http"
	"sync"
	"testing"

	"quietroom/internal/store"
)

// sessionsOf lists c's signed-in devices.
func sessionsOf(t *testing.T, c *client) []map[string]any {
	t.Helper()
	r := c.api("GET", "/me/sessions", nil).must(t, http.StatusOK)
	var out []map[string]any
	for _, s := range r.Body["sessions"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

// A member sees where they are signed in and signs one device out; a
// password change needs the current password and keeps only this device.
func TestDevicesAndPasswordChange(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		h := newTestHub(t, d)
		h.createTenant("calm")
		other := h.createTenant("other")
		laptop := h.signUp("calm", "Wren", "adult")
		phone := h.client("calm")
		phone.signIn("wren@example.org", "a long enough password").must(t, http.StatusOK)
		tablet := h.client("calm")
		tablet.signIn("wren@example.org", "a long enough password").must(t, http.StatusOK)
		stranger := h.signUp("calm", "Moth", "adult")

		list := sessionsOf(t, laptop)
		if len(list) != 3 {
			t.Fatalf("three devices signed in, listed %d: %v", len(list), list)
		}
		var phoneID string
		current := 0
		for _, s := range list {
			if s["current"] == true {
				current++
			}
			if s["id"] == "" || s["device"] == "" || s["created_at"] == nil || s["last_seen_at"] == nil {
				t.Errorf("device without its details: %v", s)
			}
			if _, leaked := s["token"]; leaked {
				t.Errorf("a token in the list: %v", s)
			}
		}
		if current != 1 {
			t.Errorf("%d devices marked current, want 1", current)
		}
		for _, s := range sessionsOf(t, phone) {
			if s["current"] == true {
				phoneID = s["id"].(string)
			}
		}

		// Nobody else can end it: another member, another tenant.
		stranger.api("DELETE", "/me/sessions/"+phoneID, nil).must(t, http.StatusNotFound)
		other.api("DELETE", "/me/sessions/"+phoneID, nil).must(t, http.StatusNotFound)
		// Ended at once from ten places: one succeeds, the phone is signed out.
		var wg sync.WaitGroup
		codes := make([]int, 10)
		for i := range codes {
			wg.Add(1)
			go func() { defer wg.Done(); codes[i] = laptop.api("DELETE", "/me/sessions/"+phoneID, nil).Status }()
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			switch c {
			case http.StatusNoContent:
				ok++
			case http.StatusNotFound:
			default:
				t.Errorf("ending a device answered %d", c)
			}
		}
		if ok != 1 {
			t.Errorf("%d of 10 concurrent ends succeeded, want 1: %v", ok, codes)
		}
		phone.api("GET", "/me", nil).must(t, http.StatusUnauthorized)
		if n := len(sessionsOf(t, laptop)); n != 2 {
			t.Errorf("after signing the phone out, %d devices listed, want 2", n)
		}

		// A password change: the current one first, then a good new one.
		r := laptop.api("POST", "/me/password", map[string]any{"current_password": "not it at all", "new_password": "a brand new password"})
		if r.Status != http.StatusUnprocessableEntity || r.Field("current_password") == "" {
			t.Errorf("wrong current password: %d %s", r.Status, r.Raw)
		}
		r = laptop.api("POST", "/me/password", map[string]any{"current_password": "a long enough password", "new_password": "short"})
		if r.Status != http.StatusUnprocessableEntity || r.Field("new_password") == "" {
			t.Errorf("too short a new password: %d %s", r.Status, r.Raw)
		}
		laptop.api("POST", "/me/password", map[string]any{"current_password": "a long enough password", "new_password": "a brand new password"}).
			must(t, http.StatusNoContent)
		laptop.api("GET", "/me", nil).must(t, http.StatusOK)
		tablet.api("GET", "/me", nil).must(t, http.StatusUnauthorized)
		if list := sessionsOf(t, laptop); len(list) != 1 || list[0]["current"] != true {
			t.Errorf("after the change only this device stays: %v", list)
		}
		h.client("calm").signIn("wren@example.org", "a long enough password").must(t, http.StatusUnauthorized)
		h.client("calm").signIn("wren@example.org", "a brand new password").must(t, http.StatusOK)

		// Signing this device out from the list ends this session.
		self := sessionsOf(t, laptop)
		for _, s := range self {
			if s["current"] == true {
				laptop.api("DELETE", "/me/sessions/"+s["id"].(string), nil).must(t, http.StatusNoContent)
			}
		}
		laptop.api("GET", "/me", nil).must(t, http.StatusUnauthorized)
	})
}
