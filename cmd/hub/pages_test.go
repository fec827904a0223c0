package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quietroom/internal/store"
)

// browser is a cookie-holding client that does not follow redirects, so
// tests see each page answer as a browser would receive it.
type browser struct {
	t    testing.TB
	hub  *testHub
	http *http.Client
}

type page struct {
	Status int
	Body   string
	Header http.Header
}

func (b *browser) do(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, b.hub.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.hub.srv.URL)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return page{Status: resp.StatusCode, Body: string(raw), Header: resp.Header}
}

func (b *browser) get(path string) page                   { return b.do("GET", path, nil) }
func (b *browser) post(path string, form url.Values) page { return b.do("POST", path, form) }
func (p page) location() string                           { return p.Header.Get("Location") }
func (p page) has(s string) bool                          { return strings.Contains(p.Body, s) }
func (p page) must(t testing.TB, status int) page         { t.Helper(); return p.mustStatus(t, status) }
func (p page) mustStatus(t testing.TB, status int) page {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d:\n%s", p.Status, status, p.Body)
	}
	return p
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([0-9a-f]+)">`)

// csrf reads the form token from a signed-in page.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	m := csrfMeta.FindStringSubmatch(b.get(path).Body)
	if m == nil {
		b.t.Fatalf("%s has no csrf-token meta", path)
	}
	return m[1]
}

func (h *testHub) browser() *browser {
	c := h.client("")
	hc := *c.http
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: h.t, hub: h, http: &hc}
}

// signUpInBrowser creates a member through the sign-up form.
func (b *browser) signUp(tenant, name string) {
	b.t.Helper()
	p := b.post("/t/"+tenant+"/signup", url.Values{
		"display_name": {name}, "email": {strings.ToLower(name) + "@example.org"},
		"password": {"a long enough password"}, "age_bracket": {"adult"}, "accept_guidelines": {"yes"},
	}).must(b.t, http.StatusSeeOther)
	if p.location() != "/t/"+tenant+"/signin?notice=signup-accepted" {
		b.t.Fatalf("sign-up went to %q", p.location())
	}
	b.post("/t/"+tenant+"/signin", url.Values{"email": {strings.ToLower(name) + "@example.org"}, "password": {"a long enough password"}}).
		must(b.t, http.StatusSeeOther)
}

func TestPagesHeadersAndStatic(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	b := h.browser()

	home := b.get("/t/calm").must(t, http.StatusOK)
	csp := home.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for header, want := range map[string]string{
		"X-Robots-Tag": "noindex, nofollow", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
		"Content-Type": "text/html; charset=utf-8",
	} {
		if got := home.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if home.has("<script>") || regexp.MustCompile(`\sstyle=`).MatchString(home.Body) || regexp.MustCompile(`\son[a-z]+=`).MatchString(home.Body) {
		t.Error("page holds inline script, style or event handler")
	}

	robots := b.get("/robots.txt").must(t, http.StatusOK)
	if !strings.Contains(robots.Body, "Disallow: /") {
		t.Errorf("robots.txt = %q", robots.Body)
	}

	css := regexp.MustCompile(`href="(/static/[^"]+/css/app\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	sheet := b.get(css[1]).must(t, http.StatusOK)
	if !strings.HasPrefix(sheet.Header.Get("Content-Type"), "text/css") || !strings.Contains(sheet.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet headers: %v", sheet.Header)
	}
	old := b.get(strings.Replace(css[1], "/static/", "/static/old", 1)).must(t, http.StatusOK)
	if old.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("an old version must not be cached for good: %q", old.Header.Get("Cache-Control"))
	}
	b.get("/static/x/../../go.mod").must(t, http.StatusNotFound)
	b.get("/static/x/css/").must(t, http.StatusNotFound)
}

func TestPagesSignUpSignInSignOut(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	b := h.browser()

	// Bad input: every field named, what was typed kept, the password never echoed.
	bad := b.post("/t/calm/signup", url.Values{
		"display_name": {"<b>Wren</b>"}, "email": {"not-an-email"}, "password": {"short-pw"}, "age_bracket": {"child"},
	}).must(t, http.StatusUnprocessableEntity)
	for _, want := range []string{`id="email-error"`, `id="password-error"`, `id="age_bracket-error"`, `id="accept_guidelines-error"`,
		`aria-invalid="true"`, `value="not-an-email"`, `&lt;b&gt;Wren&lt;/b&gt;`, `class="form-errors" role="alert"`} {
		if !bad.has(want) {
			t.Errorf("sign-up errors lack %s", want)
		}
	}
	if bad.has("short-pw") || bad.has("<b>Wren</b>") {
		t.Error("the page echoed the password or unescaped input")
	}

	b.signUp("calm", "Wren")
	groups := b.get("/t/calm/groups?notice=welcome").must(t, http.StatusOK)
	if !groups.has("Welcome.") || !groups.has(`data-group="vestibular"`) || !groups.has(`aria-label="Join Vestibular migraine"`) {
		t.Fatalf("directory after sign-up:\n%s", groups.Body)
	}

	token := b.csrf("/t/calm/groups")
	b.post("/t/calm/signout", url.Values{"csrf_token": {token}}).must(t, http.StatusSeeOther)
	b.get("/t/calm/groups").must(t, http.StatusSeeOther)

	wrong := b.post("/t/calm/signin", url.Values{"email": {"wren@example.org"}, "password": {"not the password"}})
	if wrong.Status != http.StatusUnauthorized || !wrong.has(`value="wren@example.org"`) || !wrong.has("form-errors") {
		t.Fatalf("wrong password: %d\n%s", wrong.Status, wrong.Body)
	}
	for next, want := range map[string]string{
		"/t/calm/settings":                   "/t/calm/settings",
		"//evil.example":                     "/t/calm/groups",
		"https://evil.example/t/calm/groups": "/t/calm/groups",
		"/t/calmer/groups":                   "/t/calm/groups",
	} {
		ok := h.browser().post("/t/calm/signin", url.Values{"email": {"wren@example.org"}, "password": {"a long enough password"}, "next": {next}}).
			must(t, http.StatusSeeOther)
		if ok.location() != want {
			t.Errorf("next=%q went to %q, want %q", next, ok.location(), want)
		}
	}
}

func TestPagesJoinLurkLeaveAndCSRF(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	b := h.browser()
	b.signUp("calm", "Heron")
	token := b.csrf("/t/calm/groups")

	// Without the form token the request is refused and nothing changes.
	b.post("/t/calm/groups/vestibular/join", url.Values{}).must(t, http.StatusForbidden)
	before := b.get("/t/calm/groups/vestibular").must(t, http.StatusOK)
	if !before.has("Join to read") || before.has(`id="room"`) {
		t.Fatal("joined without a form token")
	}

	join := b.post("/t/calm/groups/vestibular/join", url.Values{"csrf_token": {token}}).must(t, http.StatusSeeOther)
	if join.location() != "/t/calm/groups/vestibular?notice=joined" {
		t.Fatalf("join went to %q", join.location())
	}
	room := b.get("/t/calm/groups/vestibular").must(t, http.StatusOK)
	for _, want := range []string{`id="room"`, `data-ws-url="/api/v1/t/calm/ws"`, `data-history-url="/api/v1/t/calm/groups/vestibular/messages"`,
		`data-can-post="true"`, `id="composer"`, `>Start lurking<`, `id="presence-list"`, `aria-live="polite"`, `type="module"`} {
		if !room.has(want) {
			t.Errorf("room lacks %s", want)
		}
	}

	b.post("/t/calm/groups/vestibular/lurk", url.Values{"csrf_token": {token}, "lurking": {"true"}}).must(t, http.StatusSeeOther)
	if room := b.get("/t/calm/groups/vestibular"); !room.has(">Stop lurking<") || !room.has(`data-lurking="true"`) {
		t.Error("lurk toggle did not stick")
	}
	b.post("/t/calm/groups/vestibular/lurk", url.Values{"csrf_token": {token}, "lurking": {"maybe"}}).must(t, http.StatusUnprocessableEntity)

	// A teen-only group shows why it cannot be joined, and refuses the post.
	if dir := b.get("/t/calm/groups?audience=teens"); !dir.has(`data-group="teen"`) || dir.has(`data-group="vestibular"`) || dir.has(`aria-label="Join Teens`) {
		t.Errorf("teen filter:\n%s", dir.Body)
	}
	b.post("/t/calm/groups/teen/join", url.Values{"csrf_token": {token}}).must(t, http.StatusForbidden)

	leave := b.post("/t/calm/groups/vestibular/leave", url.Values{"csrf_token": {token}}).must(t, http.StatusSeeOther)
	if leave.location() != "/t/calm/groups?notice=left" {
		t.Fatalf("leave went to %q", leave.location())
	}
	if dir := b.get("/t/calm/groups"); !dir.has(`aria-label="Join Vestibular migraine"`) {
		t.Error("after leaving, the directory does not offer Join")
	}
}

func TestPagesTenantIsolation(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	other := h.createTenant("other")
	other.api("POST", "/groups", map[string]any{"slug": "private-room", "name": "Private room", "diagnosis": "chronic"}).must(t, http.StatusCreated)

	b := h.browser()
	b.signUp("calm", "Moth")
	// The calm session means nothing on the other community's pages.
	p := b.get("/t/other/groups").must(t, http.StatusSeeOther)
	if !strings.HasPrefix(p.location(), "/t/other/signin") {
		t.Errorf("other tenant's directory went to %q", p.location())
	}
	// Another tenant's group does not exist here, and the answer is a page.
	nf := b.get("/t/calm/groups/private-room").must(t, http.StatusNotFound)
	if !strings.HasPrefix(nf.Header.Get("Content-Type"), "text/html") || nf.has("Private room") {
		t.Errorf("cross-tenant room: %s\n%s", nf.Header.Get("Content-Type"), nf.Body)
	}
	if unknown := b.get("/t/nowhere").must(t, http.StatusNotFound); !unknown.has("<h1>Not found</h1>") {
		t.Errorf("unknown community:\n%s", unknown.Body)
	}
}

func TestPagesSettingsAndDeletion(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	b := h.browser()
	b.signUp("calm", "Kestrel")
	token := b.csrf("/t/calm/settings")

	// Calm defaults: device theme, no motion, sound and notifications off.
	s := b.get("/t/calm/settings").must(t, http.StatusOK)
	if !s.has(`data-theme="auto" data-text-size="100" data-motion="reduce"`) || s.has(`name="sound" checked`) || s.has(`name="notifications" checked`) {
		t.Fatalf("defaults:\n%s", s.Body[:400])
	}

	cases := []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"saved", url.Values{"display_name": {"Kestrel two"}, "theme": {"light"}, "text_size": {"130"}, "sound": {"on"},
			"quiet_hours_start": {"21:30"}, "quiet_hours_end": {"07:00"}},
			http.StatusSeeOther, []string{`data-theme="light" data-text-size="130" data-motion="reduce"`, `value="Kestrel two"`, `name="sound" checked`, `value="21:30"`}},
		{"bad theme", url.Values{"display_name": {"Kestrel"}, "theme": {"neon"}, "text_size": {"100"}},
			http.StatusUnprocessableEntity, []string{`id="theme-error"`}},
		{"bad size and hours", url.Values{"display_name": {"Kestrel"}, "theme": {"dark"}, "text_size": {"400"}, "quiet_hours_start": {"25:00"}, "quiet_hours_end": {""}},
			http.StatusUnprocessableEntity, []string{`id="text_size-error"`, `id="quiet_hours_start-error"`, `id="quiet_hours_end-error"`}},
		{"empty name", url.Values{"display_name": {""}, "theme": {"dark"}, "text_size": {"100"}},
			http.StatusUnprocessableEntity, []string{`id="display_name-error"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("csrf_token", token)
			got := b.post("/t/calm/settings", tc.form).must(t, tc.status)
			if tc.status == http.StatusSeeOther {
				got = b.get(got.location())
			}
			for _, w := range tc.want {
				if !got.has(w) {
					t.Errorf("lacks %s", w)
				}
			}
		})
	}
	// A refused update changed nothing.
	if s := b.get("/t/calm/settings"); !s.has(`data-theme="light"`) || !s.has(`value="Kestrel two"`) {
		t.Error("a refused update changed the settings")
	}

	b.post("/t/calm/settings/delete", url.Values{"csrf_token": {token}, "password": {"wrong password"}}).must(t, http.StatusUnprocessableEntity)
	gone := b.post("/t/calm/settings/delete", url.Values{"csrf_token": {token}, "password": {"a long enough password"}}).must(t, http.StatusSeeOther)
	if gone.location() != "/t/calm?notice=account-deleted" {
		t.Fatalf("deletion went to %q", gone.location())
	}
	h.browser().post("/t/calm/signin", url.Values{"email": {"kestrel@example.org"}, "password": {"a long enough password"}}).must(t, http.StatusUnauthorized)
}

func TestPreferencesAPI(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	m := h.signUp("calm", "Plover", "adult")

	me := m.api("GET", "/me", nil).must(t, http.StatusOK)
	prefs := me.Body["user"].(map[string]any)["preferences"].(map[string]any)
	if prefs["theme"] != "auto" || prefs["motion"] != false || prefs["sound"] != false || prefs["notifications"] != false {
		t.Fatalf("default preferences: %v", prefs)
	}
	// A partial patch changes only what it names.
	up := m.api("PATCH", "/me", map[string]any{"preferences": map[string]any{"theme": "low-contrast", "notifications": true}}).must(t, http.StatusOK)
	prefs = up.Body["preferences"].(map[string]any)
	if prefs["theme"] != "low-contrast" || prefs["notifications"] != true || prefs["text_size"] != float64(100) {
		t.Fatalf("patched preferences: %v", prefs)
	}
	bad := m.api("PATCH", "/me", map[string]any{"preferences": map[string]any{"text_size": 99, "quiet_hours_start": "7pm"}}).must(t, http.StatusUnprocessableEntity)
	if bad.Field("preferences.text_size") == "" || bad.Field("preferences.quiet_hours_start") == "" {
		t.Fatalf("bad preferences: %s", bad.Raw)
	}
	// Other members never see someone's preferences.
	admin := h.client("calm")
	admin.signIn("admin@calm.example.org", "correct horse battery").must(t, http.StatusOK)
	if u := admin.api("GET", "/users/"+m.userID, nil).must(t, http.StatusOK); u.Body["preferences"] != nil {
		t.Errorf("an admin sees preferences: %s", u.Raw)
	}
}
