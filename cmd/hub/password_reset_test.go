package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"quietroom/internal/realtime"
)

// TestPasswordResetEndToEnd: request, the mail arrives through a real SMTP
// server, the link works once, the old password fails, other sessions end
// (their sockets close with 4003).
func TestPasswordResetEndToEnd(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura")
	h.createTenant("bloom")
	m := confirmedMember(t, h, smtpd, "aura", "Member", "chronic")
	ws := m.live(h, "chronic")
	other := h.client("aura")
	other.signIn("member@example.org", "a long enough password").must(t, http.StatusOK)

	anon := h.client("aura")
	known := anon.api("POST", "/auth/password-reset", map[string]any{"email": "Member@Example.org"}).must(t, http.StatusAccepted)
	unknown := anon.api("POST", "/auth/password-reset", map[string]any{"email": "nobody@example.org"}).must(t, http.StatusAccepted)
	if !bytes.Equal(known.Raw, unknown.Raw) {
		t.Fatalf("answers differ:\n%s\n%s", known.Raw, unknown.Raw)
	}
	waitOutboxDrained(t, h)
	got := mailsAbout(t, smtpd.Caught(), "member@example.org", "Choose a new password")
	if len(got) != 1 || len(mailsTo(smtpd.Caught(), "nobody@example.org")) != 0 {
		t.Fatalf("caught %d reset mails to the member, want 1 (and none to nobody@)", len(got))
	}
	msg := got[0].Message(t)
	if !strings.Contains(msg.Header.Get("Subject"), "Choose a new password") || msg.Header.Get("List-Unsubscribe") != "" {
		t.Errorf("headers: %v", msg.Header)
	}
	link := mailLink(t, got[0])
	if !strings.HasPrefix(link, testPublicURL+"/t/aura/reset?token=") {
		t.Fatalf("link %s", link)
	}
	token := tokenOf(link)

	// A weak password is refused and the token still works afterwards.
	weak := anon.api("POST", "/auth/password-reset/confirm", map[string]any{"token": token, "password": "short"})
	if weak.Status != http.StatusUnprocessableEntity || weak.ErrorCode() != "invalid" || weak.Field("password") == "" {
		t.Fatalf("weak password: %d %s", weak.Status, weak.Raw)
	}
	// Another community cannot use the token.
	h.client("bloom").api("POST", "/auth/password-reset/confirm", map[string]any{"token": token, "password": "a brand new password"}).must(t, http.StatusBadRequest)

	done := anon.api("POST", "/auth/password-reset/confirm", map[string]any{"token": token, "password": "a brand new password"}).must(t, http.StatusOK)
	anon.remember(done)
	if u, _ := done.Body["user"].(map[string]any); u["email"] != "member@example.org" {
		t.Fatalf("signed in as %v", done.Body)
	}
	anon.api("GET", "/me", nil).must(t, http.StatusOK)

	select {
	case <-ws.closed:
	case <-time.After(30 * time.Second):
		t.Fatal("the member's socket stayed open after the reset")
	}
	if code := websocket.CloseStatus(ws.closeErr); code != realtime.CloseSessionEnded {
		t.Fatalf("socket closed with %v, want 4003", ws.closeErr)
	}
	for name, c := range map[string]*client{"first": m, "second": other} {
		if r := c.api("GET", "/me", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s old session: %d, want 401", name, r.Status)
		}
	}
	h.client("aura").signIn("member@example.org", "a long enough password").must(t, http.StatusUnauthorized)
	h.client("aura").signIn("member@example.org", "a brand new password").must(t, http.StatusOK)

	again := h.client("aura").api("POST", "/auth/password-reset/confirm", map[string]any{"token": token, "password": "yet another password"})
	if again.Status != http.StatusBadRequest || again.ErrorCode() != "invalid_token" {
		t.Fatalf("second use: %d %s", again.Status, again.Raw)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("0", 64), token + "0", strings.ToUpper(token)} {
		r := h.client("aura").api("POST", "/auth/password-reset/confirm", map[string]any{"token": bad, "password": "yet another password"})
		if r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_token" {
			t.Errorf("token %q: %d %s", bad, r.Status, r.Raw)
		}
	}
}

func TestResetTokenExpiresAfterAnHour(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura")
	confirmedMember(t, h, smtpd, "aura", "Member", "chronic")
	h.client("aura").api("POST", "/auth/password-reset", map[string]any{"email": "member@example.org"}).must(t, http.StatusAccepted)
	token := tokenOf(mailLink(t, waitMail(t, smtpd, "member@example.org", "Choose a new password")))
	h.clock.Advance(time.Hour + time.Second)
	r := h.client("aura").api("POST", "/auth/password-reset/confirm", map[string]any{"token": token, "password": "a brand new password"})
	if r.Status != http.StatusBadRequest || r.ErrorCode() != "invalid_token" {
		t.Fatalf("expired token: %d %s", r.Status, r.Raw)
	}
	h.client("aura").signIn("member@example.org", "a long enough password").must(t, http.StatusOK)
}

func TestResetRequestInputAndLimits(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura")
	confirmedMember(t, h, smtpd, "aura", "Member", "chronic")
	anon := h.client("aura")
	for _, body := range []any{map[string]any{"email": "not an address"}, map[string]any{}, map[string]any{"email": 5}} {
		if r := anon.api("POST", "/auth/password-reset", body); r.Status/100 == 2 {
			t.Errorf("%v accepted", body)
		}
	}

	// 40 requests at once for one address: all get the same answer, and
	// the member receives at most 3 mails in the hour.
	const n = 40
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = h.client("aura").api("POST", "/auth/password-reset", map[string]any{"email": "member@example.org"}).Status
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusAccepted {
			t.Fatalf("request %d: %d", i, s)
		}
	}
	waitOutboxDrained(t, h)
	if got := len(mailsAbout(t, smtpd.Caught(), "member@example.org", "Choose a new password")); got != 3 {
		t.Fatalf("the member received %d mails, want 3", got)
	}

	// 25 different addresses at once from one client: 10 - 3 already used
	// go through, the rest are refused with rate_limited.
	limited, accepted := 0, 0
	var mu sync.Mutex
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.client("aura").api("POST", "/auth/password-reset", map[string]any{"email": fmt.Sprintf("someone%d@example.org", i)})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.Status == http.StatusAccepted:
				accepted++
			case r.Status == http.StatusTooManyRequests && r.ErrorCode() == "rate_limited" && r.Header.Get("Retry-After") != "":
				limited++
			default:
				t.Errorf("unexpected answer %d %s", r.Status, r.Raw)
			}
		}()
	}
	wg.Wait()
	if accepted != 7 || limited != 18 {
		t.Fatalf("accepted %d and limited %d, want 7 and 18", accepted, limited)
	}
}

func TestResetTokenIsUsedOnceUnderConcurrency(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura")
	confirmedMember(t, h, smtpd, "aura", "Member", "chronic")
	h.client("aura").api("POST", "/auth/password-reset", map[string]any{"email": "member@example.org"}).must(t, http.StatusAccepted)
	token := tokenOf(mailLink(t, waitMail(t, smtpd, "member@example.org", "Choose a new password")))
	const n = 12
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = h.client("aura").api("POST", "/auth/password-reset/confirm",
				map[string]any{"token": token, "password": fmt.Sprintf("new password number %d", i)}).Status
		}()
	}
	wg.Wait()
	ok := -1
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			if ok >= 0 {
				t.Fatalf("the token worked twice: %v", statuses)
			}
			ok = i
		case http.StatusBadRequest:
		default:
			t.Fatalf("status %d in %v", s, statuses)
		}
	}
	if ok < 0 {
		t.Fatalf("no request succeeded: %v", statuses)
	}
	h.client("aura").signIn("member@example.org", fmt.Sprintf("new password number %d", ok)).must(t, http.StatusOK)
}

func TestAdminSendsAResetLink(t *testing.T) {
	h, smtpd := newMailHub(t)
	admin := h.createTenant("aura")
	bloomAdmin := h.createTenant("bloom")
	m := confirmedMember(t, h, smtpd, "aura", "Member", "chronic")
	m.api("POST", "/users/"+admin.userID+"/password-reset", nil).must(t, http.StatusForbidden)
	bloomAdmin.api("POST", "/users/"+m.userID+"/password-reset", nil).must(t, http.StatusNotFound)
	admin.api("POST", "/users/"+m.userID+"/password-reset", nil).must(t, http.StatusAccepted)
	got := waitMail(t, smtpd, "member@example.org", "Choose a new password")
	if text := mailText(t, got); !strings.Contains(text, "An admin of Tenant aura sent you this link") {
		t.Fatalf("mail:\n%s", text)
	}
	h.client("aura").api("POST", "/auth/password-reset/confirm", map[string]any{"token": tokenOf(mailLink(t, got)), "password": "chosen by the member"}).must(t, http.StatusOK)
	for range 2 {
		admin.api("POST", "/users/"+m.userID+"/password-reset", nil).must(t, http.StatusAccepted)
	}
	admin.api("POST", "/users/"+m.userID+"/password-reset", nil).must(t, http.StatusTooManyRequests)
}
