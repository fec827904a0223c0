package main

// Helpers shared by the behaviour-level suites (isolation, groups, auth,
// account, input). Every name carries the qa prefix so it cannot clash with
// the harness or with other suites of this package.

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"quietroom/internal/accounts"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// qaPassword is the password the harness gives every member it signs up.
const qaPassword = "a long enough password"

// qaAdminPassword is the password createTenant gives every tenant's admin.
const qaAdminPassword = "correct horse battery"

// qaEachDialect runs fn as one subtest per storage dialect, each on its own
// fresh hub.
func qaEachDialect(t *testing.T, fn func(t *testing.T, h *testHub)) {
	t.Helper()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, newTestHub(t, d))
		})
	}
}

// qaForEachDialect is qaEachDialect for tests that build their own hubs
// (one per subtest) and only need the dialect.
func qaForEachDialect(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	t.Helper()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}

// qaAPI sends a request to the client's tenant (like client.api) on behalf
// of test t, and checks what every API answer must hold.
func (c *client) qaAPI(t testing.TB, method, path string, body any) response {
	t.Helper()
	return c.qaRaw(t, method, "/api/v1/t/"+c.tenant+path, body, nil)
}

// qaAPIH is qaAPI with extra request headers ("" deletes one).
func (c *client) qaAPIH(t testing.TB, method, path string, body any, header map[string]string) response {
	t.Helper()
	return c.qaRaw(t, method, "/api/v1/t/"+c.tenant+path, body, header)
}

// qaRaw is client.raw reporting to t, followed by the invariant checks.
func (c *client) qaRaw(t testing.TB, method, path string, body any, header map[string]string) response {
	t.Helper()
	cc := *c
	cc.t = t
	r := cc.raw(method, path, body, header)
	qaCheckInvariants(t, method+" "+path, r)
	return r
}

// qaCheckInvariants: no 5xx ever, the security headers on every answer, and
// the one JSON error shape on every error.
func qaCheckInvariants(t testing.TB, what string, r response) {
	t.Helper()
	if r.Status >= 500 {
		t.Errorf("%s: server error %d: %s", what, r.Status, qaShort(r.Raw))
	}
	if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", what, got)
	}
	if got := r.Header.Get("X-Robots-Tag"); !strings.Contains(got, "noindex") {
		t.Errorf("%s: X-Robots-Tag = %q, want it to contain noindex", what, got)
	}
	if r.Status >= 400 {
		qaErrorShape(t, what, r)
	}
}

// qaErrorShape checks {"error":{"code":"…","message":"…"[,"fields":{…}]}}.
func qaErrorShape(t testing.TB, what string, r response) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: error response has Content-Type %q, want application/json: %s", what, ct, qaShort(r.Raw))
		return
	}
	var shape map[string]json.RawMessage
	if err := json.Unmarshal(r.Raw, &shape); err != nil {
		t.Errorf("%s: error body is not a JSON object: %v: %s", what, err, qaShort(r.Raw))
		return
	}
	if len(shape) != 1 || shape["error"] == nil {
		t.Errorf("%s: error body must hold exactly the key \"error\": %s", what, qaShort(r.Raw))
		return
	}
	var detail struct {
		Code    *string           `json:"code"`
		Message *string           `json:"message"`
		Fields  map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(shape["error"], &detail); err != nil {
		t.Errorf("%s: error.%v: %s", what, err, qaShort(r.Raw))
		return
	}
	if detail.Code == nil || *detail.Code == "" {
		t.Errorf("%s: error.code missing: %s", what, qaShort(r.Raw))
	}
	if detail.Message == nil || *detail.Message == "" {
		t.Errorf("%s: error.message missing: %s", what, qaShort(r.Raw))
	}
}

// qaExpectError checks status and error code of a failed request.
func qaExpectError(t testing.TB, what string, r response, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.ErrorCode() != code) {
		t.Errorf("%s: got %d %q, want %d %q: %s", what, r.Status, r.ErrorCode(), status, code, qaShort(r.Raw))
	}
}

// qaFields returns the names in error.fields.
func qaFields(r response) []string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	var names []string
	for k := range f {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

func qaShort(b []byte) string {
	const max = 600
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// qaGroupSlugs lists the slugs of a GET /groups answer.
func qaGroupSlugs(r response) []string {
	list, _ := r.Body["groups"].([]any)
	var out []string
	for _, g := range list {
		m, _ := g.(map[string]any)
		s, _ := m["slug"].(string)
		out = append(out, s)
	}
	return out
}

// qaGroupFrom finds one group in a GET /groups answer.
func qaGroupFrom(r response, slug string) map[string]any {
	list, _ := r.Body["groups"].([]any)
	for _, g := range list {
		if m, _ := g.(map[string]any); m["slug"] == slug {
			return m
		}
	}
	return nil
}

// qaMemberIDs lists user_id of a GET /groups/{g}/members answer.
func qaMemberIDs(r response) []string {
	list, _ := r.Body["members"].([]any)
	var out []string
	for _, m := range list {
		mm, _ := m.(map[string]any)
		id, _ := mm["user_id"].(string)
		out = append(out, id)
	}
	return out
}

// qaUserIDs lists the ids of a GET /users answer.
func qaUserIDs(r response) []string {
	list, _ := r.Body["users"].([]any)
	var out []string
	for _, u := range list {
		m, _ := u.(map[string]any)
		id, _ := m["id"].(string)
		out = append(out, id)
	}
	return out
}

func qaNumber(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// qaNoLeak fails when the raw body holds any of the secrets that the request
// itself did not carry (error messages may echo the caller's own path).
func qaNoLeak(t testing.TB, what, request string, r response, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" || strings.Contains(request, s) {
			continue
		}
		if strings.Contains(string(r.Raw), s) {
			t.Errorf("%s: response leaks %q of the other tenant: %s", what, s, qaShort(r.Raw))
		}
	}
}

// qaSessionCookie returns the value of the client's session cookie for its
// tenant, as the cookie jar holds it.
func (c *client) qaSessionCookie(t testing.TB) string {
	t.Helper()
	u, err := url.Parse(c.hub.srv.URL + "/api/v1/t/" + c.tenant + "/me")
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == accounts.CookieName(c.tenant) {
			return ck.Value
		}
	}
	return ""
}

// qaSetCookie returns the session Set-Cookie of a response, parsed.
func qaSetCookie(t testing.TB, r response, tenant string) *http.Cookie {
	t.Helper()
	for _, line := range r.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("unparsable Set-Cookie %q: %v", line, err)
		}
		if ck.Name == accounts.CookieName(tenant) {
			return ck
		}
	}
	return nil
}

// qaBearerClient signs in with bearer_token and returns a client that
// authenticates with the token only (no cookie, no CSRF token).
func (h *testHub) qaBearerClient(t testing.TB, tenant, email, password string) *client {
	t.Helper()
	c := h.client(tenant)
	r := c.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": email, "password": password, "bearer_token": true}).must(t, http.StatusOK)
	tok, _ := r.Body["token"].(string)
	if len(tok) != 64 {
		t.Fatalf("bearer sign-in returned no usable token: %s", r.Raw)
	}
	if ck := qaSetCookie(t, r, tenant); ck != nil {
		t.Errorf("bearer sign-in also set a session cookie: %v", ck)
	}
	c.bearer = tok
	c.csrf = ""
	if u, ok := r.Body["user"].(map[string]any); ok {
		c.userID, _ = u["id"].(string)
	}
	return c
}

// qaSignInAs signs a fresh cookie client in.
func (h *testHub) qaSignInAs(t testing.TB, tenant, email, password string) *client {
	t.Helper()
	c := h.client(tenant)
	r := c.qaAPI(t, "POST", "/auth/signin", map[string]any{"email": email, "password": password}).must(t, http.StatusOK)
	c.remember(r)
	return c
}

// qaEmail is the email the harness's signUp gives a member called name.
func qaEmail(name string) string { return strings.ToLower(name) + "@example.org" }

// qaAdminEmail is the email createTenant gives a tenant's admin.
func qaAdminEmail(slug string) string { return "admin@" + slug + ".example.org" }

// qaWithCSRF returns a copy of c (same cookies) that sends token as its
// CSRF token ("" sends none).
func (c *client) qaWithCSRF(token string) *client {
	cc := *c
	cc.csrf = token
	return &cc
}
