package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// Issue 14, items 10 and 14: sessions that really end, and a sign-up that
// tells nobody whether an address has an account.

func signUpBody(email, name string) map[string]any {
	return map[string]any{"email": email, "password": qaPassword, "display_name": name,
		"age_bracket": "adult", "accept_guidelines": true, "bearer_token": true}
}

func TestSignUpAnswersAlikeForNewAndTakenAddresses(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		h.createTenant("alike")
		h.signUp("alike", "Rowan", "adult")

		fresh := h.client("alike").api("POST", "/auth/signup", signUpBody("new.person@example.org", "Newcomer"))
		taken := h.client("alike").api("POST", "/auth/signup", signUpBody("  ROWAN@example.org", "Impostor"))
		for name, r := range map[string]response{"new address": fresh, "taken address": taken} {
			if r.Status != http.StatusAccepted {
				t.Fatalf("%s: status %d, want 202: %s", name, r.Status, r.Raw)
			}
			if ck := r.Header.Values("Set-Cookie"); len(ck) != 0 {
				t.Errorf("%s: sign-up set a cookie %v; it must not sign anyone in", name, ck)
			}
			if strings.Contains(string(r.Raw), "token") || strings.Contains(string(r.Raw), "csrf") {
				t.Errorf("%s: sign-up answer holds a credential: %s", name, r.Raw)
			}
		}
		if string(fresh.Raw) != string(taken.Raw) {
			t.Errorf("answers differ:\n new   %s\n taken %s", fresh.Raw, taken.Raw)
		}

		// The new account works with the password given; the taken one
		// is untouched (its old password works, the impostor's does not).
		h.client("alike").signIn("new.person@example.org", qaPassword).must(t, http.StatusOK)
		h.client("alike").signIn("rowan@example.org", "a long enough password").must(t, http.StatusOK)
		if r := h.client("alike").api("GET", "/auth/signin", nil); r.Status == http.StatusOK {
			t.Fatalf("unexpected GET sign-in: %s", r.Raw)
		}

		// A taken display name is refused alike whether or not the email
		// is taken: names are public, addresses are not.
		nameNew := h.client("alike").api("POST", "/auth/signup", signUpBody("another@example.org", "rowan"))
		nameTaken := h.client("alike").api("POST", "/auth/signup", signUpBody("rowan@example.org", "rowan"))
		for name, r := range map[string]response{"new address": nameNew, "taken address": nameTaken} {
			if r.Status != http.StatusUnprocessableEntity || r.Field("display_name") == "" || len(qaFields(r)) != 1 {
				t.Errorf("%s with a taken name: %d %s, want 422 with display_name only", name, r.Status, r.Raw)
			}
		}
		if string(nameNew.Raw) != string(nameTaken.Raw) {
			t.Errorf("taken-name answers differ:\n new   %s\n taken %s", nameNew.Raw, nameTaken.Raw)
		}
	})
}

func TestSignUpIsRateLimitedPerAddressAndPerEmail(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d, migrations())
		h := newTestHubOn(t, db, realtime.NewMemoryBroker(), func(deps *appDeps) {
			deps.cfg.SignUpsPerAddress, deps.cfg.SignUpsPerEmail, deps.cfg.SignUpWindow = 4, 2, time.Hour
		})
		h.createTenant("limits")
		// Per email: the third try for one address within the hour is
		// refused, whichever client address it comes from, and whether or
		// not the address has an account.
		c := h.client("limits")
		for _, name := range []string{"First", "Second"} {
			c.api("POST", "/auth/signup", signUpBody("target@example.org", name)).must(t, http.StatusAccepted)
		}
		r := c.api("POST", "/auth/signup", signUpBody("TARGET@example.org", "Third"))
		if r.Status != http.StatusTooManyRequests || r.ErrorCode() != "rate_limited" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("third sign-up for one email: %d %s (Retry-After %q), want 429 rate_limited with Retry-After", r.Status, r.Raw, r.Header.Get("Retry-After"))
		}
		// Per client address: four in the hour (two used above), then 429
		// for any email.
		c.api("POST", "/auth/signup", signUpBody("a@example.org", "Person A")).must(t, http.StatusAccepted)
		c.api("POST", "/auth/signup", signUpBody("b@example.org", "Person B")).must(t, http.StatusAccepted)
		r = c.api("POST", "/auth/signup", signUpBody("c@example.org", "Person C"))
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
			t.Fatalf("fifth sign-up from one address: %d %s, want 429 with Retry-After", r.Status, r.Raw)
		}
		// Nothing was created by a refused sign-up.
		h.client("limits").signIn("c@example.org", qaPassword).must(t, http.StatusUnauthorized)
		// The window passes: sign-up opens again.
		h.clock.Advance(61 * time.Minute)
		c.api("POST", "/auth/signup", signUpBody("c@example.org", "Person C")).must(t, http.StatusAccepted)
		h.client("limits").signIn("c@example.org", qaPassword).must(t, http.StatusOK)
	})
}

// connectToken issues a connect token with c's session.
func connectToken(t *testing.T, c *client) string {
	t.Helper()
	r := c.api("POST", "/auth/connect-token", nil).must(t, http.StatusCreated)
	tok, _ := r.Body["token"].(string)
	if len(tok) != 64 {
		t.Fatalf("no connect token: %s", r.Raw)
	}
	return tok
}

// dialToken opens a socket with ?token= and returns it, or the HTTP
// status the handshake was refused with.
func dialToken(t *testing.T, h *testHub, tenant, token string) (*wsClient, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsSafetyTimeout)
	defer cancel()
	url := "ws" + strings.TrimPrefix(h.srv.URL, "http") + "/api/v1/t/" + tenant + "/ws?token=" + token
	conn, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{realtime.Protocol}})
	if err != nil {
		if resp == nil {
			t.Fatalf("dial with token: %v", err)
		}
		return nil, resp.StatusCode
	}
	conn.SetReadLimit(1 << 22)
	w := &wsClient{t: t, conn: conn, events: make(chan wsEvent, 1000), closed: make(chan struct{})}
	go w.readLoop()
	t.Cleanup(func() { conn.CloseNow() })
	return w, resp.StatusCode
}

// waitClosed waits for ws to be closed with code.
func waitClosed(t *testing.T, what string, ws *wsClient, code websocket.StatusCode) {
	t.Helper()
	select {
	case <-ws.closed:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: socket still open", what)
	}
	if got := websocket.CloseStatus(ws.closeErr); got != code {
		t.Fatalf("%s: closed with %v, want %d", what, ws.closeErr, code)
	}
}

// stillOpen checks that ws still works: it can post to group.
func stillOpen(t *testing.T, what string, ws *wsClient, group string) {
	t.Helper()
	select {
	case <-ws.closed:
		t.Fatalf("%s: socket closed (%v), want it open", what, ws.closeErr)
	default:
	}
	ws.say(group, "still-"+store.NewToken(4), "still here")
}

func TestConnectTokensEndWithTheSessionThatIssuedThem(t *testing.T) {
	type ending struct {
		name string
		end  func(t *testing.T, a *client)
		// bKept: the other session B survives; aKept: the ending request's
		// own session A survives (password change keeps it).
		aKept, bKept bool
	}
	endings := []ending{
		{"sign-out", func(t *testing.T, a *client) { a.api("POST", "/auth/signout", nil).must(t, http.StatusNoContent) }, false, true},
		{"sign-out everywhere", func(t *testing.T, a *client) {
			a.api("POST", "/auth/signout-everywhere", nil).must(t, http.StatusOK)
		}, false, false},
		{"password change", func(t *testing.T, a *client) {
			a.api("POST", "/me/password", map[string]any{"current_password": qaPassword, "new_password": "a brand new passphrase"}).must(t, http.StatusNoContent)
		}, true, false},
		{"deletion", func(t *testing.T, a *client) {
			a.api("DELETE", "/me", map[string]any{"password": qaPassword}).must(t, http.StatusNoContent)
		}, false, false},
	}
	for _, e := range endings {
		t.Run(e.name, func(t *testing.T) {
			cl := newCluster(t, 2)
			h, other := cl.hubs[0], cl.hubs[1]
			h.createTenant("ends")
			joinedMember(t, h, "ends", "Wren", "chronic")
			a := h.qaBearerClient(t, "ends", qaEmail("Wren"), qaPassword)
			b := h.qaBearerClient(t, "ends", qaEmail("Wren"), qaPassword)
			ta, tb := connectToken(t, a), connectToken(t, b)
			wsA, st := dialToken(t, h, "ends", ta)
			if st != http.StatusSwitchingProtocols {
				t.Fatalf("dial with A's token: %d", st)
			}
			wsA.subscribe("chronic", nil)
			wsAOther, _ := dialToken(t, other, "ends", ta)
			wsB, _ := dialToken(t, other, "ends", tb)
			wsB.subscribe("chronic", nil)

			e.end(t, a)

			check := func(kept bool, who string, ws *wsClient, token string) {
				if kept {
					stillOpen(t, who+"'s socket", ws, "chronic")
					if w, st := dialToken(t, h, "ends", token); st != http.StatusSwitchingProtocols {
						t.Fatalf("%s's token after %s: %d, want it to keep working", who, e.name, st)
					} else {
						w.conn.CloseNow()
					}
					return
				}
				waitClosed(t, who+"'s socket", ws, realtime.CloseSessionEnded)
				if _, st := dialToken(t, h, "ends", token); st != http.StatusUnauthorized {
					t.Fatalf("%s's token after %s opened a socket (%d), want 401", who, e.name, st)
				}
			}
			check(e.aKept, "A", wsA, ta)
			if !e.aKept {
				waitClosed(t, "A's socket on the other instance", wsAOther, realtime.CloseSessionEnded)
			}
			check(e.bKept, "B", wsB, tb)
		})
	}
}
