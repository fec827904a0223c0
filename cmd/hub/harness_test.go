package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// testHub is a real hub (every route, real database) behind httptest.
type testHub struct {
	t     testing.TB
	app   *app
	srv   *httptest.Server
	clock *testClock
}

// testClock is the hub's clock in tests; Advance moves it forward.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

const testOperatorToken = "test-operator-token"

// newTestHub starts a hub on a fresh database of the given dialect.
func newTestHub(t testing.TB, dialect store.Dialect) *testHub {
	t.Helper()
	db := storetest.Open(t, dialect, migrations())
	return newTestHubOn(t, db, realtime.NewMemoryBroker())
}

func newTestHubOn(t testing.TB, db *store.DB, broker realtime.Broker, opts ...func(*appDeps)) *testHub {
	t.Helper()
	// Cheap hashes, and a queue long enough that the tests' bursts are
	// never turned away by the hashing limiter (tests of the limiter
	// pass their own hasher).
	hasher, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Queue: 1000, MaxWait: wsSafetyTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hasher.Close)
	cfg := config{OperatorToken: testOperatorToken, InstanceID: "test", SessionTTL: time.Hour}
	clock := &testClock{}
	deps := appDeps{cfg: cfg, log: slog.New(slog.NewTextHandler(io.Discard, nil)), db: db, broker: broker, hasher: hasher, now: clock.Now}
	for _, o := range opts {
		o(&deps)
	}
	a, err := newApp(deps)
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.routes()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	hubCtx, stopHub := context.WithCancel(context.Background())
	hubDone := make(chan struct{})
	go func() {
		defer close(hubDone)
		a.hub.Run(hubCtx)
	}()
	t.Cleanup(func() {
		a.hub.CloseAll()
		srv.Close()
		stopHub()
		<-hubDone
	})
	return &testHub{t: t, app: a, srv: srv, clock: clock}
}

// client is one browser-like user agent: a cookie jar and the CSRF token
// of its current session.
type client struct {
	t      testing.TB
	hub    *testHub
	http   *http.Client
	tenant string
	csrf   string
	// bearer, when set, authenticates instead of the cookie.
	bearer string
	userID string
}

func (h *testHub) client(tenant string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: h.t, hub: h, http: &http.Client{Jar: jar, Timeout: wsSafetyTimeout}, tenant: tenant}
}

// response is a decoded API answer.
type response struct {
	Status int
	Body   map[string]any
	Raw    []byte
	Header http.Header
}

// ErrorCode returns error.code of an error body, or "".
func (r response) ErrorCode() string {
	e, _ := r.Body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// Field returns error.fields[name].
func (r response) Field(name string) string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

// api sends a request to /api/v1/t/{tenant}{path}; body may be nil, a
// string (sent as is) or a value encoded as JSON.
func (c *client) api(method, path string, body any) response {
	c.t.Helper()
	return c.raw(method, "/api/v1/t/"+c.tenant+path, body, nil)
}

func (c *client) raw(method, path string, body any, header map[string]string) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.hub.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set(accounts.CSRFHeader, c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{Status: resp.StatusCode, Raw: raw, Header: resp.Header}
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			c.t.Fatalf("%s %s: response is not a JSON object: %v\n%s", method, path, err, raw)
		}
	}
	return out
}

// must fails the test unless the response has the wanted status.
func (r response) must(t testing.TB, status int) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return r
}

// createTenant creates a tenant through the operator API and returns a
// signed-in client of its admin.
func (h *testHub) createTenant(slug string) *client {
	h.t.Helper()
	op := h.client("")
	resp := op.raw("POST", "/api/v1/operator/tenants", map[string]any{
		"slug": slug, "name": "Tenant " + slug, "admin_email": "admin@" + slug + ".example.org", "admin_password": "correct horse battery",
	}, map[string]string{"Authorization": "Bearer " + testOperatorToken}).must(h.t, http.StatusCreated)
	_ = resp
	admin := h.client(slug)
	admin.signIn("admin@"+slug+".example.org", "correct horse battery").must(h.t, http.StatusOK)
	return admin
}

func (c *client) signIn(email, password string) response {
	c.t.Helper()
	resp := c.api("POST", "/auth/signin", map[string]any{"email": email, "password": password})
	c.remember(resp)
	return resp
}

func (c *client) remember(resp response) {
	if resp.Status/100 != 2 {
		return
	}
	c.csrf, _ = resp.Body["csrf_token"].(string)
	if u, ok := resp.Body["user"].(map[string]any); ok {
		c.userID, _ = u["id"].(string)
	}
}

// signUp creates a member (age "adult" or "teen") and returns their client,
// signed in (sign-up itself starts no session).
func (h *testHub) signUp(tenant, name, age string) *client {
	h.t.Helper()
	c := h.client(tenant)
	email := strings.ToLower(name) + "@example.org"
	c.api("POST", "/auth/signup", map[string]any{
		"email": email, "password": "a long enough password",
		"display_name": name, "age_bracket": age, "accept_guidelines": true,
	}).must(h.t, http.StatusAccepted)
	c.signIn(email, "a long enough password").must(h.t, http.StatusOK)
	return c
}

type urlT = url.URL

func parseURL(raw string) (*url.URL, error) { return url.Parse(raw) }

// newRestrictionsFor returns hub h's moderation restrictions (wired to
// its hub, as in production).
func newRestrictionsFor(h *testHub) *moderation.Restrictions { return h.app.restrictions }
