package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/groups"
	"quietroom/internal/library"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
	"quietroom/web"
)

func init() { gin.SetMode(gin.TestMode) }

const password = "a long enough password"

// site is the pages on real services, behind the tenant, session and CSRF
// middleware the hub puts in front of them.
type site struct {
	router   http.Handler
	accounts *accounts.Service
	mentor   *mentoring.Service
	tenant   *accounts.Tenant
}

func newSite(t *testing.T, d store.Dialect) *site {
	t.Helper()
	ctx := context.Background()
	var ms []store.Migration
	ms = append(ms, accounts.Migrations()...)
	ms = append(ms, groups.Migrations()...)
	ms = append(ms, moderation.Migrations()...)
	ms = append(ms, library.Migrations()...)
	ms = append(ms, mentoring.Migrations()...)
	db := storetest.Open(t, d, ms)
	hasher, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Queue: 1000, MaxWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	grp := groups.NewService(db, nil)
	cfg := accounts.DefaultConfig()
	cfg.MaxSignUpsPerAddress, cfg.MaxSignUpsPerEmail = 0, 0
	acc := accounts.NewService(db, hasher, cfg, accounts.Hooks{TenantCreated: []accounts.TenantHook{grp.SeedCatalogue}, Mailer: discardMailer{}}, nil)
	lib, err := library.NewService(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := moderation.NewService(db, nil, nil, nil, nil, nil, moderation.DefaultConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ment := mentoring.NewService(db, nil, nil, nil, mentoring.DefaultConfig(), nil, nil)
	pages, err := web.NewHandler(acc, grp, lib, mod, ment, "")
	if err != nil {
		t.Fatal(err)
	}
	out, err := acc.CreateTenant(ctx, accounts.CreateTenantInput{Slug: "calm", Name: "Calm"})
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	p := r.Group("/t/:tenant", pages.Pages(), accounts.NewHandler(acc, "").Tenant(), accounts.NewHandler(acc, "").Authenticate(), accounts.CSRF())
	p.GET("/signin", pages.SignInForm)
	p.POST("/signin", pages.SignIn)
	p.GET("/groups", pages.Directory)
	p.GET("/mentoring/mentor", pages.MentorForm)
	p.POST("/mentoring/mentor", pages.MentorApply)
	return &site{router: r, accounts: acc, mentor: ment, tenant: &out.Tenant}
}

// browser keeps the session cookie and the page's CSRF token.
type browser struct {
	s      *site
	cookie *http.Cookie
	csrf   string
	p      *accounts.Principal
}

func (s *site) do(method, path string, form url.Values, cookie *http.Cookie) *httptest.ResponseRecorder {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://"+req.Host)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, req)
	return w
}

// member signs up through the service and signs in through the page.
func (s *site) member(t *testing.T, name, next string) (*browser, *httptest.ResponseRecorder) {
	t.Helper()
	ctx := context.Background()
	email := strings.ToLower(name) + "@example.org"
	if err := s.accounts.SignUp(ctx, s.tenant, accounts.SignUpInput{Email: email, Password: password, DisplayName: name,
		AgeBracket: accounts.Adult, AcceptGuidelines: true}, accounts.ClientInfo{}); err != nil {
		t.Fatal(err)
	}
	w := s.do("POST", "/t/calm/signin", url.Values{"email": {email}, "password": {password}, "next": {next}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign-in page answered %d: %s", w.Code, w.Body)
	}
	b := &browser{s: s}
	for _, c := range w.Result().Cookies() {
		if c.Name == accounts.CookieName("calm") {
			b.cookie = c
		}
	}
	if b.cookie == nil {
		t.Fatal("sign-in set no session cookie")
	}
	p, err := s.accounts.Authenticate(ctx, s.tenant, b.cookie.Value)
	if err != nil {
		t.Fatal(err)
	}
	b.p, b.csrf = p, p.Session.CSRFToken
	return b, w
}

// After signing in, the page goes where it was asked to, but only within
// this community: never to another site or another community.
func TestSignInReturnsOnlyToPagesOfThisCommunity(t *testing.T) {
	s := newSite(t, store.SQLite)
	cases := []struct{ next, want string }{
		{"/t/calm/library", "/t/calm/library"},
		{"/t/calm", "/t/calm"},
		{"/t/calm/groups/chronic?tab=members", "/t/calm/groups/chronic?tab=members"},
		{"", "/t/calm/groups"},
		{"https://evil.example/t/calm", "/t/calm/groups"},
		{"//evil.example/t/calm/", "/t/calm/groups"},
		{"/t/calm//evil.example", "/t/calm/groups"},
		{"/t/calm/\\evil.example", "/t/calm/groups"},
		{"/t/calmer/groups", "/t/calm/groups"},
		{"/t/other/groups", "/t/calm/groups"},
		{"/t/calm/x\r\nSet-Cookie: a=b", "/t/calm/groups"},
	}
	for i, tc := range cases {
		_, w := s.member(t, "Member"+string(rune('a'+i)), tc.next)
		if got := w.Header().Get("Location"); got != tc.want {
			t.Errorf("next %q: sent to %q, want %q", tc.next, got, tc.want)
		}
	}
}

var checked = regexp.MustCompile(`name="availability" value="([a-z]+-[a-z]+)" checked`)

// The availability grid is in the member's own time; the stored week is in
// UTC hours. A block saved at one offset shows as the same block, and its
// hours land where the offset puts them, across the end of the week too.
func TestMentorAvailabilityIsShownInTheMembersOwnTime(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			s := newSite(t, d)
			cases := []struct {
				name      string
				offset    string
				blocks    []string
				utcHours  []int // hours of the stored week (0 = Monday 00:00 UTC)
				otherThan string
			}{
				// UTC+5:30: Monday 17:00-22:00 is 11:30-16:30 UTC; a UTC hour
				// counts when a local hour starts in it.
				{"Asha", "330", []string{"mon-evening"}, []int{11, 12, 13, 14, 15}, ""},
				// UTC-10: Sunday evening is early Monday in UTC.
				{"Keoni", "-600", []string{"sun-evening"}, []int{3, 4, 5, 6, 7}, ""},
				// UTC+14: Monday morning is Sunday afternoon in UTC.
				{"Tavita", "840", []string{"mon-morning", "wed-afternoon"}, []int{6*24 + 18, 6*24 + 19, 6*24 + 20, 6*24 + 21,
					2*24 - 2, 2*24 - 1, 2 * 24, 2*24 + 1, 2*24 + 2}, ""},
			}
			for _, tc := range cases {
				b, _ := s.member(t, tc.name, "")
				form := url.Values{"csrf_token": {b.csrf}, "types": {"chronic"}, "topics": {"work"}, "languages": {"en"},
					"years": {"3"}, "capacity": {"2"}, "tz_offset_minutes": {tc.offset}, "availability": tc.blocks}
				w := s.do("POST", "/t/calm/mentoring/mentor", form, b.cookie)
				if w.Code != http.StatusSeeOther {
					t.Fatalf("%s: applying answered %d: %s", tc.name, w.Code, w.Body)
				}
				prof, err := s.mentor.MyProfile(context.Background(), b.p)
				if err != nil {
					t.Fatal(err)
				}
				want := []byte(strings.Repeat("0", 168))
				for _, h := range tc.utcHours {
					want[h] = '1'
				}
				if prof.Availability != string(want) {
					t.Errorf("%s: stored week\n%s\nwant\n%s", tc.name, prof.Availability, want)
				}
				page := s.do("GET", "/t/calm/mentoring/mentor", nil, b.cookie)
				var shown []string
				for _, m := range checked.FindAllStringSubmatch(page.Body.String(), -1) {
					shown = append(shown, m[1])
				}
				if strings.Join(shown, " ") != strings.Join(tc.blocks, " ") {
					t.Errorf("%s: the form shows %v checked, want %v", tc.name, shown, tc.blocks)
				}
			}
		})
	}
}

// A refused application comes back as the form, with the member's choices
// kept and the field named, and stores nothing.
func TestRefusedApplicationKeepsTheForm(t *testing.T) {
	s := newSite(t, store.Postgres)
	b, _ := s.member(t, "Rowan", "")
	form := url.Values{"csrf_token": {b.csrf}, "types": {"chronic"}, "topics": {"work"}, "languages": {"en"},
		"years": {"many"}, "capacity": {"2"}, "tz_offset_minutes": {"60"}, "availability": {"tue-morning"}}
	w := s.do("POST", "/t/calm/mentoring/mentor", form, b.cookie)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a bad application answered %d, want 422", w.Code)
	}
	body := w.Body.String()
	if !strings.Contains(body, `value="tue-morning" checked`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("the form lost the member's choices or does not mark the bad field:\n%s", body)
	}
	if _, err := s.mentor.MyProfile(context.Background(), b.p); err == nil {
		t.Error("a refused application was stored")
	}
	noToken := url.Values{"types": {"chronic"}, "topics": {"work"}, "languages": {"en"}, "years": {"3"}, "capacity": {"2"}, "tz_offset_minutes": {"60"}}
	if w := s.do("POST", "/t/calm/mentoring/mentor", noToken, b.cookie); w.Code != http.StatusForbidden {
		t.Errorf("a form without its CSRF token answered %d, want 403", w.Code)
	}
}

type discardMailer struct{}

func (discardMailer) PasswordReset(context.Context, *store.Tx, accounts.Tenant, accounts.User, string, bool) error {
	return nil
}
func (discardMailer) ConfirmAddress(context.Context, *store.Tx, accounts.Tenant, accounts.User, string) error {
	return nil
}
func (discardMailer) SignUpAttempt(context.Context, *store.Tx, accounts.Tenant, accounts.User) error {
	return nil
}
func (discardMailer) Queued() {}
