package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// A password stored under older argon2id parameters is hashed again with
// the current ones the next time its owner signs in with it, and only
// then: a wrong password changes nothing, and a current hash is left as
// it is.
func TestSignInRehashesPasswordsStoredWithOtherParameters(t *testing.T) {
	eachDialect(t, nil, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn := f.tenant(t, "rehash")
		f.member(t, tn, "Holly") // hashed with FastHashParams: 1 MiB, one pass
		stored := func() string {
			t.Helper()
			var hashes []string
			if err := f.db.Table("users").Where("email = ?", emailOf("Holly")).Pluck("password_hash", &hashes).Error; err != nil || len(hashes) != 1 {
				t.Fatalf("read hash: %v %v", hashes, err)
			}
			return hashes[0]
		}
		old := stored()
		if !strings.HasPrefix(old, "$argon2id$v=19$m=1024,t=1,p=1$") {
			t.Fatalf("stored hash %q, want the fixture's parameters", old)
		}

		// The operator raises the parameters: a new hub process.
		hasher, err := accounts.NewPasswordHasher(accounts.HashParams(2048, 2, 1), accounts.HashLimits{ReleaseAfter: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer hasher.Close()
		if !hasher.NeedsRehash(old) {
			t.Fatal("NeedsRehash says a 1 MiB one-pass hash suits 2 MiB two-pass parameters")
		}
		svc := accounts.NewService(f.db, hasher, accounts.DefaultConfig(), accounts.Hooks{Mailer: discardMailer{}}, f.clock.Now)

		_, _, err = svc.SignIn(ctx, tn, emailOf("Holly"), "not the password", accounts.ClientInfo{IP: "192.0.2.7"})
		wantCode(t, "wrong password", err, apperr.CodeUnauthenticated)
		if got := stored(); got != old {
			t.Fatalf("a wrong password changed the stored hash to %q", got)
		}

		if _, _, err := svc.SignIn(ctx, tn, emailOf("Holly"), password, accounts.ClientInfo{IP: "192.0.2.7"}); err != nil {
			t.Fatal(err)
		}
		fresh := stored()
		if !strings.HasPrefix(fresh, "$argon2id$v=19$m=2048,t=2,p=1$") || hasher.NeedsRehash(fresh) {
			t.Fatalf("after signing in the stored hash is %q, want one made with m=2048,t=2,p=1", fresh)
		}
		// The new hash is the same password, and is not made again.
		if _, _, err := svc.SignIn(ctx, tn, emailOf("Holly"), password, accounts.ClientInfo{IP: "192.0.2.7"}); err != nil {
			t.Fatalf("sign in with the rehashed password: %v", err)
		}
		if got := stored(); got != fresh {
			t.Fatal("a hash made with the current parameters was made again")
		}
	})
}

// A rehash never overwrites a password changed while the sign-in that
// found the old hash was being checked.
func TestRehashLeavesAPasswordChangedMeanwhile(t *testing.T) {
	f := newFixture(t, store.SQLite, nil)
	ctx := context.Background()
	tn := f.tenant(t, "rehash-race")
	p := f.member(t, tn, "Aspen")
	hasher, err := accounts.NewPasswordHasher(accounts.HashParams(2048, 1, 1), accounts.HashLimits{Concurrent: 1, Queue: 1, MaxWait: time.Minute, ReleaseAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer hasher.Close()
	svc := accounts.NewService(f.db, hasher, accounts.DefaultConfig(), accounts.Hooks{Mailer: discardMailer{}}, f.clock.Now)
	// Hold the only hashing slot so the sign-in waits after reading the
	// old hash; change the password meanwhile through the old service.
	release, err := hasher.Hold(ctx)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := svc.SignIn(ctx, tn, emailOf("Aspen"), password, accounts.ClientInfo{IP: "192.0.2.8"})
		done <- err
	}()
	waitFor(t, "the sign-in waiting for a slot", func() bool { return hasher.Stats().Waiting == 1 })
	if err := f.svc.ChangePassword(ctx, p, password, "a changed long password", accounts.ClientInfo{IP: "192.0.2.9"}); err != nil {
		t.Fatal(err)
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("sign-in with the password it read: %v", err)
	}
	if _, _, err := f.svc.SignIn(ctx, tn, emailOf("Aspen"), "a changed long password", accounts.ClientInfo{IP: "192.0.2.9"}); err != nil {
		t.Fatalf("the changed password no longer works: %v", err)
	}
}
