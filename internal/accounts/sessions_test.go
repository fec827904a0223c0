package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// A sign-in returns a token that authenticates as the member in their own
// community only; a wrong password and an unknown address answer alike.
func TestSignInTokenAuthenticatesInItsOwnTenantOnly(t *testing.T) {
	eachDialect(t, nil, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		home, away := f.tenant(t, "home"), f.tenant(t, "away")
		f.member(t, home, "Sorrel")
		p, token, err := f.svc.SignIn(ctx, home, " SORREL@Example.org ", password, accounts.ClientInfo{IP: "192.0.2.7", UserAgent: "test"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Authenticate(ctx, home, token)
		if err != nil {
			t.Fatal(err)
		}
		if got.User.ID != p.User.ID || got.Tenant.ID != home.ID || got.User.DisplayName != "Sorrel" {
			t.Errorf("authenticated as %+v in %s, want Sorrel of home", got.User, got.Tenant.Slug)
		}
		_, err = f.svc.Authenticate(ctx, away, token)
		wantCode(t, "token in another tenant", err, apperr.CodeNotFound)
		if !errors.Is(err, accounts.ErrOtherTenant) {
			t.Errorf("token in another tenant: %v, want ErrOtherTenant", err)
		}
		_, err = f.svc.Authenticate(ctx, home, strings.Repeat("0", 64))
		wantCode(t, "unknown token", err, apperr.CodeUnauthenticated)
		_, _, err = f.svc.SignIn(ctx, away, emailOf("Sorrel"), password, accounts.ClientInfo{})
		wantCode(t, "account of another tenant", err, apperr.CodeUnauthenticated)

		_, _, wrong := f.svc.SignIn(ctx, home, emailOf("Sorrel"), "not the password", accounts.ClientInfo{})
		_, _, unknown := f.svc.SignIn(ctx, home, "nobody@example.org", "not the password", accounts.ClientInfo{})
		wantCode(t, "wrong password", wrong, apperr.CodeUnauthenticated)
		if wrong == nil || unknown == nil || wrong.Error() != unknown.Error() {
			t.Errorf("wrong password (%v) and unknown address (%v) answer differently", wrong, unknown)
		}
		_, err = f.svc.User(ctx, away.ID, p.User.ID)
		wantCode(t, "user of another tenant", err, apperr.CodeNotFound)
	})
}

// Five failures lock the account and twenty lock the client address for the
// window, even for the right password; other accounts are untouched; a
// success forgives the account's failures.
func TestSignInFailuresAreLimited(t *testing.T) {
	eachDialect(t, nil, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn := f.tenant(t, "rl")
		f.member(t, tn, "Yarrow")
		f.member(t, tn, "Bystander")
		f.member(t, tn, "Comfrey")
		for i := range 5 {
			_, _, err := f.svc.SignIn(ctx, tn, emailOf("Yarrow"), fmt.Sprintf("wrong guess %d", i), accounts.ClientInfo{IP: "192.0.2.1"})
			wantCode(t, fmt.Sprintf("failure %d", i+1), err, apperr.CodeUnauthenticated)
		}
		_, _, err := f.svc.SignIn(ctx, tn, strings.ToUpper(emailOf("Yarrow")), password, accounts.ClientInfo{IP: "192.0.2.99"})
		wantCode(t, "sixth attempt with the right password", err, apperr.CodeRateLimited)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.RetryAfterSeconds < 1 || ae.RetryAfterSeconds > 15*60 {
			t.Errorf("rate-limit error %v, want a retry-after between 1 s and 15 min", err)
		}
		f.signIn(t, tn, emailOf("Bystander"))
		f.clock.Advance(16 * time.Minute)
		f.signIn(t, tn, emailOf("Yarrow"))
		_, _, err = f.svc.SignIn(ctx, tn, emailOf("Yarrow"), "wrong again", accounts.ClientInfo{})
		wantCode(t, "a failure after a success", err, apperr.CodeUnauthenticated)

		for i := range 20 {
			_, _, err := f.svc.SignIn(ctx, tn, fmt.Sprintf("guess%d@example.org", i), "not it at all", accounts.ClientInfo{IP: "198.51.100.4"})
			wantCode(t, fmt.Sprintf("address failure %d", i+1), err, apperr.CodeUnauthenticated)
		}
		_, _, err = f.svc.SignIn(ctx, tn, emailOf("Comfrey"), password, accounts.ClientInfo{IP: "198.51.100.4"})
		wantCode(t, "21st attempt from the address", err, apperr.CodeRateLimited)
		if _, _, err := f.svc.SignIn(ctx, tn, emailOf("Comfrey"), password, accounts.ClientInfo{IP: "198.51.100.5"}); err != nil {
			t.Errorf("another address is locked too: %v", err)
		}
		f.clock.Advance(16 * time.Minute)
		if _, _, err := f.svc.SignIn(ctx, tn, emailOf("Comfrey"), password, accounts.ClientInfo{IP: "198.51.100.4"}); err != nil {
			t.Errorf("the address is still locked after the window: %v", err)
		}
	})
}

// Sessions end at their lifetime, at sign-out (with the connect tokens
// they issued) and everywhere at once; the hook hears of each ending so
// open sockets close.
func TestSessionsEnd(t *testing.T) {
	ttl := func(cfg *accounts.Config, _ *accounts.Hooks) { cfg.SessionTTL = time.Hour }
	eachDialect(t, ttl, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn := f.tenant(t, "ttl")
		f.member(t, tn, "Mallow")
		_, token, err := f.svc.SignIn(ctx, tn, emailOf("Mallow"), password, accounts.ClientInfo{})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(59 * time.Minute)
		if _, err := f.svc.Authenticate(ctx, tn, token); err != nil {
			t.Fatalf("at 59 minutes: %v", err)
		}
		f.clock.Advance(2 * time.Minute)
		_, err = f.svc.Authenticate(ctx, tn, token)
		wantCode(t, "expired session", err, apperr.CodeUnauthenticated)

		p, token, err := f.svc.SignIn(ctx, tn, emailOf("Mallow"), password, accounts.ClientInfo{})
		if err != nil {
			t.Fatal(err)
		}
		connect, _, err := f.svc.IssueConnectToken(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateConnect(ctx, tn, connect); err != nil {
			t.Fatalf("connect token: %v", err)
		}
		_, err = f.svc.Authenticate(ctx, tn, connect)
		wantCode(t, "a connect token used as a session", err, apperr.CodeUnauthenticated)
		if err := f.svc.SignOut(ctx, p); err != nil {
			t.Fatal(err)
		}
		for name, tok := range map[string]string{"session": token, "connect token": connect} {
			_, err := f.svc.AuthenticateConnect(ctx, tn, tok)
			wantCode(t, name+" after sign-out", err, apperr.CodeUnauthenticated)
		}

		// A second member with three sessions: the one from signing up and two more.
		f.member(t, tn, "Everywhere")
		tokens := []string{}
		for range 2 {
			_, tok, err := f.svc.SignIn(ctx, tn, emailOf("Everywhere"), password, accounts.ClientInfo{})
			if err != nil {
				t.Fatal(err)
			}
			tokens = append(tokens, tok)
		}
		bystander := f.member(t, tn, "Bystander")
		me, err := f.svc.Authenticate(ctx, tn, tokens[0])
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.svc.SignOutEverywhere(ctx, me)
		if err != nil || n != 3 {
			t.Fatalf("sign out everywhere ended %d sessions (%v), want 3", n, err)
		}
		if _, err := f.svc.Authenticate(ctx, tn, bystanderToken(t, f, tn, p)); err != nil {
			t.Errorf("Mallow's session ended with another member's: %v", err)
		}
		for i, tok := range tokens {
			_, err := f.svc.Authenticate(ctx, tn, tok)
			wantCode(t, fmt.Sprintf("session %d after sign-out everywhere", i), err, apperr.CodeUnauthenticated)
		}
		if _, err := f.svc.Authenticate(ctx, tn, bystanderToken(t, f, tn, bystander)); err != nil {
			t.Errorf("a bystander's session ended too: %v", err)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		want := []string{p.User.ID + " " + p.Session.ID + " ", me.User.ID + "  "}
		if len(f.ended) != 2 || f.ended[0] != want[0] || f.ended[1] != want[1] {
			t.Errorf("sessions-ended hook heard %q, want %q", f.ended, want)
		}
	})
}

func bystanderToken(t *testing.T, f *fixture, tn *accounts.Tenant, p *accounts.Principal) string {
	t.Helper()
	_, tok, err := f.svc.SignIn(context.Background(), tn, p.User.Email, password, accounts.ClientInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Twenty sign-ups of one address at once make one account; the others are
// answered like any taken address.
func TestConcurrentSignUpsOfOneAddressMakeOneAccount(t *testing.T) {
	unlimited := func(cfg *accounts.Config, _ *accounts.Hooks) { cfg.MaxSignUpsPerAddress, cfg.MaxSignUpsPerEmail = 0, 0 }
	eachDialect(t, unlimited, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn := f.tenant(t, "rush")
		const n = 20
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = f.svc.SignUp(ctx, tn, accounts.SignUpInput{Email: "rush@example.org", Password: password,
					DisplayName: fmt.Sprintf("Rusher %d", i), AgeBracket: accounts.Adult, AcceptGuidelines: true}, accounts.ClientInfo{})
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("sign-up %d: %v", i, err)
			}
		}
		users, err := f.svc.ListUsers(ctx, f.admin(t, tn))
		if err != nil {
			t.Fatal(err)
		}
		var mine int
		for _, u := range users {
			if u.Email == "rush@example.org" {
				mine++
			}
		}
		if mine != 1 || len(users) != 2 {
			t.Errorf("%d accounts for the address (%d users in all), want 1 (and the admin)", mine, len(users))
		}
	})
}
