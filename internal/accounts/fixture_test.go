package accounts_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

const password = "a long enough password"

// clock is a settable time source, so lifetimes and windows are tested
// without waiting for them.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	db    *store.DB
	svc   *accounts.Service
	clock *clock
	ended []string // "user only except" of each SessionsEnded call
	mu    sync.Mutex
}

// newFixture builds the accounts service on a fresh database; edit, if
// given, adjusts the config and hooks first.
func newFixture(t *testing.T, d store.Dialect, edit func(*accounts.Config, *accounts.Hooks)) *fixture {
	t.Helper()
	f := &fixture{db: storetest.Open(t, d, accounts.Migrations()), clock: &clock{now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}}
	hasher, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Queue: 1000, MaxWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	cfg := accounts.DefaultConfig()
	hooks := accounts.Hooks{Mailer: discardMailer{}, SessionsEnded: []accounts.SessionsEndedHook{
		func(_ context.Context, _, userID, only, except string) {
			f.mu.Lock()
			f.ended = append(f.ended, strings.Join([]string{userID, only, except}, " "))
			f.mu.Unlock()
		}}}
	if edit != nil {
		edit(&cfg, &hooks)
	}
	f.svc = accounts.NewService(f.db, hasher, cfg, hooks, f.clock.Now)
	return f
}

func eachDialect(t *testing.T, edit func(*accounts.Config, *accounts.Hooks), fn func(t *testing.T, f *fixture)) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, newFixture(t, d, edit)) })
	}
}

func (f *fixture) tenant(t *testing.T, slug string) *accounts.Tenant {
	t.Helper()
	out, err := f.svc.CreateTenant(context.Background(), accounts.CreateTenantInput{Slug: slug, Name: "Community " + slug,
		AdminEmail: "admin@" + slug + ".example", AdminPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	return &out.Tenant
}

func (f *fixture) admin(t *testing.T, tn *accounts.Tenant) *accounts.Principal {
	t.Helper()
	return f.signIn(t, tn, "admin@"+tn.Slug+".example")
}

func emailOf(name string) string { return strings.ToLower(name) + "@example.org" }

// member signs up and signs in.
func (f *fixture) member(t *testing.T, tn *accounts.Tenant, name string) *accounts.Principal {
	t.Helper()
	err := f.svc.SignUp(context.Background(), tn, accounts.SignUpInput{Email: emailOf(name), Password: password, DisplayName: name,
		AgeBracket: accounts.Adult, AcceptGuidelines: true}, accounts.ClientInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return f.signIn(t, tn, emailOf(name))
}

func (f *fixture) signIn(t *testing.T, tn *accounts.Tenant, email string) *accounts.Principal {
	t.Helper()
	p, _, err := f.svc.SignIn(context.Background(), tn, email, password, accounts.ClientInfo{})
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return p
}

func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
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
