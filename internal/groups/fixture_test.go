package groups_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// fixture is the groups service on a real database, with accounts under it
// (groups reads users and is provisioned when a tenant is created).
type fixture struct {
	db       *store.DB
	accounts *accounts.Service
	groups   *groups.Service
}

func migrations() []store.Migration {
	return append(accounts.Migrations(), groups.Migrations()...)
}

func newFixture(t *testing.T, d store.Dialect) *fixture {
	t.Helper()
	db := storetest.Open(t, d, migrations())
	hasher, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Queue: 1000, MaxWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	g := groups.NewService(db, nil)
	cfg := accounts.DefaultConfig()
	cfg.MaxSignUpsPerAddress, cfg.MaxSignUpsPerEmail = 0, 0
	acc := accounts.NewService(db, hasher, cfg, accounts.Hooks{
		TenantCreated: []accounts.TenantHook{g.SeedCatalogue},
		Mailer:        discardMailer{},
	}, nil)
	return &fixture{db: db, accounts: acc, groups: g}
}

// eachDialect runs fn on a fresh fixture on PostgreSQL and on SQLite.
func eachDialect(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, newFixture(t, d)) })
	}
}

const password = "a long enough password"

// tenant creates a community with its default catalogue and returns its
// admin, signed in.
func (f *fixture) tenant(t *testing.T, slug string) *accounts.Principal {
	t.Helper()
	ctx := context.Background()
	out, err := f.accounts.CreateTenant(ctx, accounts.CreateTenantInput{Slug: slug, Name: "Community " + slug,
		AdminEmail: "admin@" + slug + ".example", AdminPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := f.accounts.SignIn(ctx, &out.Tenant, "admin@"+slug+".example", password, accounts.ClientInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// member signs a new member up to the admin's tenant and signs them in.
func (f *fixture) member(t *testing.T, admin *accounts.Principal, name string, age accounts.AgeBracket) *accounts.Principal {
	t.Helper()
	ctx := context.Background()
	email := strings.ReplaceAll(strings.ToLower(name), " ", ".") + "@" + admin.Tenant.Slug + ".example"
	err := f.accounts.SignUp(ctx, &admin.Tenant, accounts.SignUpInput{Email: email, Password: password, DisplayName: name,
		AgeBracket: age, AcceptGuidelines: true}, accounts.ClientInfo{})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := f.accounts.SignIn(ctx, &admin.Tenant, email, password, accounts.ClientInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// wantCode fails unless err carries the domain error code.
func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// result carries a call's two results, so ok(call()).must(t, what) reads
// as one line.
type result[T any] struct {
	v   T
	err error
}

func ok[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) must(t *testing.T, what string) T {
	t.Helper()
	if r.err != nil {
		t.Fatalf("%s: %v", what, r.err)
	}
	return r.v
}

func slugs(vs []groups.View) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Slug
	}
	return out
}

func listed(t *testing.T, f *fixture, p *accounts.Principal, filter groups.Filter) []string {
	t.Helper()
	return slugs(ok(f.groups.List(context.Background(), p, filter)).must(t, "list"))
}

func memberIDs(ms []groups.MemberView) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.UserID
	}
	slices.Sort(out)
	return out
}

func entry(vs []groups.View, slug string) *groups.View {
	for i := range vs {
		if vs[i].Slug == slug {
			return &vs[i]
		}
	}
	return nil
}

// discardMailer accepts account mails (sign-up confirmations) and sends
// nothing: these tests are about groups.
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

func errorsAs(err error, target **apperr.Error) bool { return errors.As(err, target) }
