package main

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/store"
)

// qaUserCount is the number of accounts of the admin's tenant.
func qaUserCount(t testing.TB, admin *client) int {
	t.Helper()
	return len(qaUserIDs(admin.qaAPI(t, "GET", "/users", nil).must(t, http.StatusOK)))
}

func qaSignUpBody(i int) map[string]any {
	return map[string]any{
		"email": fmt.Sprintf("newcomer%d@example.org", i), "password": qaPassword,
		"display_name": fmt.Sprintf("Newcomer %d", i), "age_bracket": "adult", "accept_guidelines": true,
	}
}

func TestSignUpValidation(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("join")
		set := func(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
		drop := func(k string) func(map[string]any) { return func(m map[string]any) { delete(m, k) } }
		cases := []struct {
			name   string
			edit   func(map[string]any)
			fields []string
		}{
			{"missing email", drop("email"), []string{"email"}},
			{"email not an address", set("email", "not-an-email"), []string{"email"}},
			{"email with a display part", set("email", "Bob <bob@example.org>"), []string{"email"}},
			{"email without a dot in the domain", set("email", "bob@example"), []string{"email"}},
			{"missing password", drop("password"), []string{"password"}},
			{"password of 9 characters", set("password", "123456789"), []string{"password"}},
			{"password over 256 bytes", set("password", strings.Repeat("p", 257)), []string{"password"}},
			{"missing display_name", drop("display_name"), []string{"display_name"}},
			{"display_name of one character", set("display_name", "Q"), []string{"display_name"}},
			{"display_name of blanks", set("display_name", "     "), []string{"display_name"}},
			{"display_name over 40 characters", set("display_name", strings.Repeat("n", 41)), []string{"display_name"}},
			{"display_name with @", set("display_name", "me@home"), []string{"display_name"}},
			{"display_name with a zero-width joiner", set("display_name", "Ann\u200dBob"), []string{"display_name"}},
			{"display_name with a bidi override", set("display_name", "Ann\u202eboB"), []string{"display_name"}},
			{"display_name with a zero-width space", set("display_name", "Ann\u200bBob"), []string{"display_name"}},
			{"display_name with a newline", set("display_name", "Ann\nBob"), []string{"display_name"}},
			{"missing age_bracket", drop("age_bracket"), []string{"age_bracket"}},
			{"age_bracket child", set("age_bracket", "child"), []string{"age_bracket"}},
			{"age_bracket Adult", set("age_bracket", "Adult"), []string{"age_bracket"}},
			{"accept_guidelines false", set("accept_guidelines", false), []string{"accept_guidelines"}},
			{"missing accept_guidelines", drop("accept_guidelines"), []string{"accept_guidelines"}},
			{"empty object", func(m map[string]any) { clear(m) }, []string{"accept_guidelines", "age_bracket", "display_name", "email", "password"}},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				body := qaSignUpBody(i)
				tc.edit(body)
				c := h.client("join")
				r := c.qaAPI(t, "POST", "/auth/signup", body)
				qaExpectError(t, "signup", r, http.StatusUnprocessableEntity, "invalid")
				if got := qaFields(r); !slices.Equal(got, tc.fields) {
					t.Errorf("error.fields names %v, want %v: %s", got, tc.fields, r.Raw)
				}
				for _, f := range tc.fields {
					if r.Field(f) == "" {
						t.Errorf("error.fields.%s has no message", f)
					}
				}
				if ck := qaSetCookie(t, r, "join"); ck != nil {
					t.Errorf("a refused sign-up set a cookie: %v", ck)
				}
			})
		}
		if n := qaUserCount(t, admin); n != 1 {
			t.Errorf("refused sign-ups created accounts: %d users, want the admin only", n)
		}

		// A valid sign-up: trimmed, NFC-normalised, a member only.
		body := qaSignUpBody(999)
		body["display_name"] = "  Zoe\u0308  "
		body["email"] = "  Zoe@Example.ORG "
		h.client("join").qaAPI(t, "POST", "/auth/signup", body).must(t, http.StatusAccepted)
		r := h.client("join").qaAPI(t, "POST", "/auth/signin", map[string]any{"email": "zoe@example.org", "password": body["password"]}).must(t, http.StatusOK)
		u, _ := r.Body["user"].(map[string]any)
		if u["display_name"] != "Zo\u00eb" || u["email"] != "zoe@example.org" {
			t.Errorf("sign-up did not normalise: %s", r.Raw)
		}
		if roles, _ := u["roles"].([]any); len(roles) != 1 || roles[0] != "member" {
			t.Errorf("new account roles = %v, want [member]", u["roles"])
		}
		if r.Body["csrf_token"] == "" || r.Body["token"] != nil {
			t.Errorf("cookie sign-in must return a csrf_token and no token: %s", r.Raw)
		}
	})
}

func TestSignUpDuplicates(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("dup")
		rowan := h.signUp("dup", "Rowan", "adult")
		other := h.signUp("dup", "Tansy", "adult")
		// A taken email is answered like a new one (202, see
		// TestSignUpAnswersAlikeForNewAndTakenAddresses) and creates nothing.
		for _, email := range []string{"rowan@example.org", "  ROWAN@Example.org "} {
			h.client("dup").qaAPI(t, "POST", "/auth/signup", map[string]any{
				"email": email, "password": qaPassword, "display_name": "Someone else", "age_bracket": "adult", "accept_guidelines": true,
			}).must(t, http.StatusAccepted)
		}
		cases := []struct {
			name, email, display, field string
		}{
			{"display name in other case", "another@example.org", "rOWAN", "display_name"},
			{"display name with blanks", "another@example.org", "  Rowan ", "display_name"},
			{"display name in fullwidth letters", "another@example.org", "\uff32owan", "display_name"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := h.client("dup").qaAPI(t, "POST", "/auth/signup", map[string]any{
					"email": tc.email, "password": qaPassword, "display_name": tc.display, "age_bracket": "adult", "accept_guidelines": true,
				})
				qaExpectError(t, "duplicate sign-up", r, http.StatusUnprocessableEntity, "invalid")
				if r.Field(tc.field) == "" || len(qaFields(r)) != 1 {
					t.Errorf("want error.fields.%s only: %s", tc.field, r.Raw)
				}
			})
		}
		// Renaming onto a taken name is refused the same way.
		r := other.qaAPI(t, "PATCH", "/me", map[string]any{"display_name": "ROWAN"})
		qaExpectError(t, "rename onto a taken name", r, http.StatusUnprocessableEntity, "invalid")
		if r.Field("display_name") == "" {
			t.Errorf("want error.fields.display_name: %s", r.Raw)
		}
		// Renaming to a new case of one's own name is allowed.
		rowan.qaAPI(t, "PATCH", "/me", map[string]any{"display_name": "ROWAN"}).must(t, http.StatusOK)
		if n := qaUserCount(t, admin); n != 3 {
			t.Errorf("%d users after refused duplicates, want 3", n)
		}
	})
}

func TestSignInFailures(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		h.createTenant("login")
		h.signUp("login", "Sorrel", "adult")
		anon := h.client("login")
		wrong := anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": qaEmail("Sorrel"), "password": "not the password"})
		qaExpectError(t, "wrong password", wrong, http.StatusUnauthorized, "unauthenticated")
		unknown := anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": "nobody@example.org", "password": "not the password"})
		qaExpectError(t, "unknown email", unknown, http.StatusUnauthorized, "unauthenticated")
		if string(wrong.Raw) != string(unknown.Raw) {
			t.Errorf("wrong password and unknown email answer differently:\n%s\n%s", wrong.Raw, unknown.Raw)
		}
		if ck := qaSetCookie(t, wrong, "login"); ck != nil {
			t.Errorf("failed sign-in set a cookie")
		}
		missing := anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": qaEmail("Sorrel")})
		qaExpectError(t, "no password", missing, http.StatusUnprocessableEntity, "invalid")
		if missing.Field("password") == "" {
			t.Errorf("want error.fields.password: %s", missing.Raw)
		}
		// Emails are matched case-insensitively.
		anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": " SORREL@example.org", "password": qaPassword}).must(t, http.StatusOK)
		// The same account does not exist in another tenant.
		h.createTenant("elsewhere")
		qaExpectError(t, "other tenant", h.client("elsewhere").qaAPI(t, "POST", "/auth/signin",
			map[string]any{"email": qaEmail("Sorrel"), "password": qaPassword}), http.StatusUnauthorized, "unauthenticated")
	})
}

func qaRetryAfter(t testing.TB, r response) int {
	t.Helper()
	v := r.Header.Get("Retry-After")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 15*60 {
		t.Errorf("Retry-After = %q, want whole seconds between 1 and 900", v)
	}
	return n
}

func TestSignInRateLimits(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		t.Run("per account", func(t *testing.T) {
			h := newTestHub(t, d)
			h.createTenant("rl")
			h.signUp("rl", "Yarrow", "adult")
			h.signUp("rl", "Bystander", "adult")
			anon := h.client("rl")
			email := qaEmail("Yarrow")
			for i := range 5 {
				r := anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": email, "password": fmt.Sprintf("wrong guess %d", i)})
				qaExpectError(t, fmt.Sprintf("failure %d", i+1), r, http.StatusUnauthorized, "unauthenticated")
			}
			r := anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": email, "password": qaPassword})
			qaExpectError(t, "6th attempt with the right password", r, http.StatusTooManyRequests, "rate_limited")
			qaRetryAfter(t, r)
			if ck := qaSetCookie(t, r, "rl"); ck != nil {
				t.Errorf("a rate-limited sign-in set a cookie")
			}
			// The email is matched however it is written.
			qaExpectError(t, "limit with another spelling", anon.qaAPI(t, "POST", "/auth/signin",
				map[string]any{"email": strings.ToUpper(email), "password": qaPassword}), http.StatusTooManyRequests, "rate_limited")
			// Other accounts are not locked by it.
			h.client("rl").qaAPI(t, "POST", "/auth/signin", map[string]any{"email": qaEmail("Bystander"), "password": qaPassword}).must(t, http.StatusOK)

			h.clock.Advance(16 * time.Minute)
			ok := anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": email, "password": qaPassword}).must(t, http.StatusOK)
			anon.remember(ok)
			anon.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
			// A success forgives the account's earlier failures.
			qaExpectError(t, "failure after success", anon.qaAPI(t, "POST", "/auth/signin",
				map[string]any{"email": email, "password": "wrong again"}), http.StatusUnauthorized, "unauthenticated")
		})

		t.Run("per address", func(t *testing.T) {
			h := newTestHub(t, d)
			h.createTenant("rla")
			h.signUp("rla", "Comfrey", "adult")
			anon := h.client("rla")
			for i := range 20 {
				r := anon.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": fmt.Sprintf("guess%d@example.org", i), "password": "not it at all"})
				qaExpectError(t, fmt.Sprintf("failure %d", i+1), r, http.StatusUnauthorized, "unauthenticated")
			}
			r := h.client("rla").qaAPI(t, "POST", "/auth/signin", map[string]any{"email": qaEmail("Comfrey"), "password": qaPassword})
			qaExpectError(t, "21st attempt from the address", r, http.StatusTooManyRequests, "rate_limited")
			qaRetryAfter(t, r)
			h.clock.Advance(16 * time.Minute)
			h.client("rla").qaAPI(t, "POST", "/auth/signin", map[string]any{"email": qaEmail("Comfrey"), "password": qaPassword}).must(t, http.StatusOK)
		})
	})
}

func TestSessionLifetime(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		t.Run("expiry", func(t *testing.T) {
			h := newTestHub(t, d)
			h.createTenant("ttl")
			c := h.signUp("ttl", "Mallow", "adult")
			b := h.qaBearerClient(t, "ttl", qaEmail("Mallow"), qaPassword)
			h.clock.Advance(59 * time.Minute)
			c.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
			b.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
			h.clock.Advance(61 * time.Minute) // two hours in all; the TTL is one
			r := c.qaAPI(t, "GET", "/me", nil)
			qaExpectError(t, "expired cookie session", r, http.StatusUnauthorized, "unauthenticated")
			if ck := qaSetCookie(t, r, "ttl"); ck == nil || ck.MaxAge >= 0 {
				t.Errorf("an expired session cookie was not cleared: %v", ck)
			}
			qaExpectError(t, "expired bearer session", b.qaAPI(t, "GET", "/me", nil), http.StatusUnauthorized, "unauthenticated")
			qaExpectError(t, "expired session writes", c.qaAPI(t, "POST", "/groups/vestibular/join", nil), http.StatusUnauthorized, "unauthenticated")
			// Signing in again works.
			h.qaSignInAs(t, "ttl", qaEmail("Mallow"), qaPassword).qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
		})

		t.Run("sign out", func(t *testing.T) {
			h := newTestHub(t, d)
			h.createTenant("out")
			c := h.signUp("out", "Leaver", "adult")
			cookie, csrf := c.qaSessionCookie(t), c.csrf
			if cookie == "" {
				t.Fatal("no session cookie after sign-up")
			}
			r := c.qaAPI(t, "POST", "/auth/signout", nil).must(t, http.StatusNoContent)
			if ck := qaSetCookie(t, r, "out"); ck == nil || ck.MaxAge >= 0 || ck.Value != "" {
				t.Errorf("sign-out did not clear the cookie: %v", ck)
			}
			qaExpectError(t, "after sign-out", c.qaAPI(t, "GET", "/me", nil), http.StatusUnauthorized, "unauthenticated")
			// The old cookie value, replayed by another client, is dead.
			replay := h.client("out")
			hdr := map[string]string{"Cookie": accounts.CookieName("out") + "=" + cookie, accounts.CSRFHeader: csrf}
			qaExpectError(t, "replayed cookie GET", replay.qaAPIH(t, "GET", "/me", nil, hdr), http.StatusUnauthorized, "unauthenticated")
			qaExpectError(t, "replayed cookie POST", replay.qaAPIH(t, "POST", "/groups/vestibular/join", nil, hdr), http.StatusUnauthorized, "unauthenticated")
			// So is a signed-out bearer token.
			b := h.qaBearerClient(t, "out", qaEmail("Leaver"), qaPassword)
			b.qaAPI(t, "POST", "/auth/signout", nil).must(t, http.StatusNoContent)
			qaExpectError(t, "signed-out bearer", b.qaAPI(t, "GET", "/me", nil), http.StatusUnauthorized, "unauthenticated")
			// Signing out needs a session.
			qaExpectError(t, "anonymous sign-out", h.client("out").qaAPI(t, "POST", "/auth/signout", nil), http.StatusUnauthorized, "unauthenticated")
		})

		t.Run("sign out everywhere", func(t *testing.T) {
			h := newTestHub(t, d)
			h.createTenant("all")
			first := h.signUp("all", "Everywhere", "adult")
			second := h.qaSignInAs(t, "all", qaEmail("Everywhere"), qaPassword)
			bearer := h.qaBearerClient(t, "all", qaEmail("Everywhere"), qaPassword)
			bystander := h.signUp("all", "Bystander", "adult")
			second.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
			r := first.qaAPI(t, "POST", "/auth/signout-everywhere", nil).must(t, http.StatusOK)
			if n := qaNumber(r.Body["sessions_ended"]); n != 3 {
				t.Errorf("sessions_ended = %d, want 3 (sign-up, second sign-in, bearer)", n)
			}
			for name, c := range map[string]*client{"first": first, "second": second, "bearer": bearer} {
				qaExpectError(t, name+" after sign-out-everywhere", c.qaAPI(t, "GET", "/me", nil), http.StatusUnauthorized, "unauthenticated")
			}
			bystander.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
		})
	})
}

func TestCSRFAndCrossSite(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("csrf")
		m := h.signUp("csrf", "Guard", "adult")
		writes := []struct {
			method, path string
			body         any
		}{
			{"POST", "/groups/vestibular/join", nil},
			{"PATCH", "/groups/vestibular/membership", map[string]any{"lurking": true}},
			{"POST", "/groups/vestibular/leave", nil},
			{"PATCH", "/me", map[string]any{"display_name": "Hijacked"}},
			{"DELETE", "/me", map[string]any{"password": qaPassword}},
			{"PUT", "/users/" + m.userID + "/roles", map[string]any{"roles": []string{"member", "admin"}}},
			{"POST", "/auth/signout", nil},
			{"POST", "/auth/signout-everywhere", nil},
			{"POST", "/groups", map[string]any{"slug": "forged", "name": "Forged"}},
		}
		for _, token := range []struct{ name, value string }{{"no token", ""}, {"wrong token", strings.Repeat("0", 64)}, {"admin's token", admin.csrf}} {
			for _, wr := range writes {
				r := m.qaWithCSRF(token.value).qaAPI(t, wr.method, wr.path, wr.body)
				qaExpectError(t, token.name+" "+wr.method+" "+wr.path, r, http.StatusForbidden, "csrf_failed")
			}
		}
		me := m.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
		if u, _ := me.Body["user"].(map[string]any); u["display_name"] != "Guard" {
			t.Errorf("a refused request changed the profile: %s", me.Raw)
		}
		if g := m.qaAPI(t, "GET", "/groups/vestibular", nil).must(t, http.StatusOK); g.Body["joined"] != false {
			t.Errorf("a refused request joined a group")
		}
		// The right token passes.
		m.qaAPI(t, "POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
		// A CSRF token in a form field works for form posts only, and not here
		// (the endpoint wants JSON): the CSRF check passes, then 400.
		form := m.qaWithCSRF("").qaAPIH(t, "POST", "/groups/vestibular/join", "csrf_token="+m.csrf,
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		qaExpectError(t, "form post with its token", form, http.StatusBadRequest, "malformed")

		// Bearer clients need no CSRF token.
		b := h.qaBearerClient(t, "csrf", qaEmail("Guard"), qaPassword)
		b.qaAPI(t, "POST", "/groups/caregivers/join", nil).must(t, http.StatusOK)
		b.qaAPI(t, "PATCH", "/groups/caregivers/membership", map[string]any{"lurking": true}).must(t, http.StatusOK)

		signin := map[string]any{"email": qaEmail("Guard"), "password": qaPassword}
		cross := []struct {
			name   string
			c      *client
			method string
			path   string
			body   any
			header map[string]string
		}{
			{"sign-in from evil origin", h.client("csrf"), "POST", "/auth/signin", signin, map[string]string{"Origin": "https://evil.example"}},
			{"sign-in from a sandboxed page", h.client("csrf"), "POST", "/auth/signin", signin, map[string]string{"Origin": "null"}},
			{"sign-in cross-site fetch", h.client("csrf"), "POST", "/auth/signin", signin, map[string]string{"Sec-Fetch-Site": "cross-site"}},
			{"sign-up from evil origin", h.client("csrf"), "POST", "/auth/signup", qaSignUpBody(1), map[string]string{"Origin": "https://evil.example"}},
			{"cookie write from evil origin", m, "POST", "/groups/teen/join", nil, map[string]string{"Origin": "https://evil.example"}},
			{"cookie write cross-site", m, "PATCH", "/me", map[string]any{"display_name": "Hijacked"}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
			{"bearer write from evil origin", b, "POST", "/groups/chronic/join", nil, map[string]string{"Origin": "https://evil.example"}},
			{"same host, other port", h.client("csrf"), "POST", "/auth/signin", signin, map[string]string{"Origin": "http://127.0.0.1:1"}},
		}
		for _, tc := range cross {
			r := tc.c.qaAPIH(t, tc.method, tc.path, tc.body, tc.header)
			qaExpectError(t, tc.name, r, http.StatusForbidden, "csrf_failed")
			if ck := qaSetCookie(t, r, "csrf"); ck != nil {
				t.Errorf("%s: a refused request set a cookie", tc.name)
			}
		}
		if n := qaUserCount(t, admin); n != 2 {
			t.Errorf("a cross-site sign-up created an account: %d users", n)
		}
		same := []map[string]string{
			{"Origin": h.srv.URL},
			{"Sec-Fetch-Site": "same-origin"},
			{"Sec-Fetch-Site": "none"},
		}
		for _, hdr := range same {
			h.client("csrf").qaAPIH(t, "POST", "/auth/signin", signin, hdr).must(t, http.StatusOK)
		}
		m.qaAPIH(t, "PATCH", "/me", map[string]any{"display_name": "Guard"}, map[string]string{"Origin": h.srv.URL}).must(t, http.StatusOK)
		// Reads are not refused for their origin.
		m.qaAPIH(t, "GET", "/groups", nil, map[string]string{"Origin": "https://evil.example"}).must(t, http.StatusOK)

		// An origin the tenant allows passes; a look-alike does not.
		admin.qaAPI(t, "PATCH", "/settings", map[string]any{"allowed_origins": "https://partner.example"}).must(t, http.StatusOK)
		h.client("csrf").qaAPIH(t, "POST", "/auth/signin", signin, map[string]string{"Origin": "https://partner.example"}).must(t, http.StatusOK)
		qaExpectError(t, "look-alike origin", h.client("csrf").qaAPIH(t, "POST", "/auth/signin", signin,
			map[string]string{"Origin": "https://partner.example.evil"}), http.StatusForbidden, "csrf_failed")
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		h.createTenant("cookie")
		signin := map[string]any{"email": qaAdminEmail("cookie"), "password": qaAdminPassword}
		check := func(t *testing.T, what string, r response, secure bool) {
			t.Helper()
			ck := qaSetCookie(t, r, "cookie")
			if ck == nil {
				t.Fatalf("%s: no session cookie set: %v", what, r.Header.Values("Set-Cookie"))
			}
			if !ck.HttpOnly {
				t.Errorf("%s: cookie is not HttpOnly", what)
			}
			if ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("%s: SameSite = %v, want Lax", what, ck.SameSite)
			}
			if ck.Path != "/" {
				t.Errorf("%s: Path = %q, want /", what, ck.Path)
			}
			if ck.Secure != secure {
				t.Errorf("%s: Secure = %v, want %v", what, ck.Secure, secure)
			}
			if len(ck.Value) != 64 {
				t.Errorf("%s: cookie value of %d characters, want a 64-character token", what, len(ck.Value))
			}
			if ck.MaxAge < 3500 || ck.MaxAge > 3600 {
				t.Errorf("%s: Max-Age = %d, want about the session TTL (3600)", what, ck.MaxAge)
			}
			if strings.Contains(string(r.Raw), ck.Value) {
				t.Errorf("%s: the session token is in the response body", what)
			}
		}
		check(t, "sign-in over http", h.client("cookie").qaAPI(t, "POST", "/auth/signin", signin).must(t, http.StatusOK), false)
		check(t, "sign-in behind https", h.client("cookie").qaAPIH(t, "POST", "/auth/signin", signin,
			map[string]string{"X-Forwarded-Proto": "https"}).must(t, http.StatusOK), true)
		// Sign-up starts no session, so it sets no cookie.
		for i, proto := range []string{"http", "https"} {
			r := h.client("cookie").qaAPIH(t, "POST", "/auth/signup", qaSignUpBody(i+1), map[string]string{"X-Forwarded-Proto": proto}).must(t, http.StatusAccepted)
			if ck := r.Header.Values("Set-Cookie"); len(ck) != 0 {
				t.Errorf("sign-up over %s set a cookie: %v", proto, ck)
			}
		}
	})
}
