package accounts_test

import (
	"context"
	"sync"
	"testing"

	"quietroom/internal/accounts"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// The SignUpRequested hook sees every accepted sign-up inside its
// transaction: a new account, or the existing owner of a taken address
// (the email component mails a confirmation or a warning from it).
func TestSignUpRequestedHookSeesNewAndTakenAddresses(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, d, accounts.Migrations())
			hasher, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{})
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var seen []accounts.SignUpRequest
			hooks := accounts.Hooks{SignUpRequested: []accounts.SignUpHook{func(ctx context.Context, tx *store.Tx, req accounts.SignUpRequest) error {
				// The hook runs in the sign-up's transaction: a new account
				// is visible to it.
				var n int64
				if err := tx.ORM(ctx).Model(&accounts.User{}).Where("tenant_id = ? AND email = ?", req.Tenant.ID, req.Email).Count(&n).Error; err != nil {
					return err
				}
				if n != 1 {
					t.Errorf("hook for %s sees %d accounts, want 1", req.Email, n)
				}
				mu.Lock()
				seen = append(seen, req)
				mu.Unlock()
				return nil
			}}}
			svc := accounts.NewService(db, hasher, accounts.DefaultConfig(), hooks, nil)
			out, err := svc.CreateTenant(ctx, accounts.CreateTenantInput{Slug: "hooks", Name: "Hooks"})
			if err != nil {
				t.Fatal(err)
			}
			in := accounts.SignUpInput{Email: "moth@example.org", Password: "a long enough password", DisplayName: "Moth",
				AgeBracket: accounts.Adult, AcceptGuidelines: true}
			if err := svc.SignUp(ctx, &out.Tenant, in, accounts.ClientInfo{IP: "192.0.2.1"}); err != nil {
				t.Fatal(err)
			}
			in.DisplayName, in.Password = "Someone", "another long password"
			if err := svc.SignUp(ctx, &out.Tenant, in, accounts.ClientInfo{IP: "192.0.2.2"}); err != nil {
				t.Fatal(err)
			}
			if len(seen) != 2 {
				t.Fatalf("hook ran %d times, want 2", len(seen))
			}
			if seen[0].Existing || seen[0].User.DisplayName != "Moth" || seen[0].Email != "moth@example.org" {
				t.Errorf("first sign-up: %+v, want a new account for Moth", seen[0])
			}
			if !seen[1].Existing || seen[1].User.ID != seen[0].User.ID || seen[1].User.DisplayName != "Moth" {
				t.Errorf("second sign-up: %+v, want the existing owner Moth", seen[1])
			}
		})
	}
}
