package accounts_test

import (
	"context"
	"errors"
	"testing"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

func ptr[T any](v T) *T { return &v }

// Preferences start calm, change field by field, and a patch with a bad
// value names the field and changes nothing.
func TestPreferencesArePatchedAndChecked(t *testing.T) {
	eachDialect(t, nil, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn := f.tenant(t, "prefs")
		p := f.member(t, tn, "Aster")
		if got, want := p.User.Preferences(), accounts.DefaultPreferences(); got.Theme != want.Theme || got.Motion || got.Sound || got.TextSize != 100 {
			t.Errorf("new member's preferences %+v, want the calm defaults %+v", got, want)
		}
		u, err := f.svc.UpdateProfile(ctx, p, accounts.ProfileUpdate{Preferences: &accounts.PreferencesPatch{
			Theme: ptr(accounts.ThemeDark), TextSize: ptr(130), QuietHoursStart: ptr("23:30")}})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := f.svc.User(ctx, tn.ID, p.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range []accounts.Preferences{u.Preferences(), stored.Preferences()} {
			if got.Theme != accounts.ThemeDark || got.TextSize != 130 || got.QuietHoursStart != "23:30" || got.QuietHoursEnd != "08:00" {
				t.Errorf("after the patch: %+v, want dark, 130, 23:30-08:00", got)
			}
		}
		p.User = *stored
		cases := []struct {
			name  string
			patch accounts.PreferencesPatch
			field string
		}{
			{"theme", accounts.PreferencesPatch{Theme: ptr("neon"), TextSize: ptr(150)}, "preferences.theme"},
			{"text size", accounts.PreferencesPatch{TextSize: ptr(99)}, "preferences.text_size"},
			{"quiet hours", accounts.PreferencesPatch{QuietHoursEnd: ptr("25:00")}, "preferences.quiet_hours_end"},
			{"time zone", accounts.PreferencesPatch{TimeZone: ptr("Mars/Olympus")}, "preferences.time_zone"},
		}
		for _, tc := range cases {
			_, err := f.svc.UpdateProfile(ctx, p, accounts.ProfileUpdate{Preferences: &tc.patch})
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.CodeInvalid || ae.Fields[tc.field] == "" {
				t.Errorf("%s: %v, want invalid with a message for %s", tc.name, err, tc.field)
			}
		}
		after, err := f.svc.User(ctx, tn.ID, p.User.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.PreferencesJSON != stored.PreferencesJSON {
			t.Errorf("refused patches changed the preferences: %s, was %s", after.PreferencesJSON, stored.PreferencesJSON)
		}
	})
}

// Display names are unique per community whatever their case or width;
// another community may use the same name.
func TestDisplayNamesAreUniquePerTenant(t *testing.T) {
	eachDialect(t, nil, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn, other := f.tenant(t, "names"), f.tenant(t, "other-names")
		rowan := f.member(t, tn, "Rowan")
		tansy := f.member(t, tn, "Tansy")
		for _, name := range []string{"rOWAN", "  Rowan ", "\uff32owan"} {
			_, err := f.svc.UpdateProfile(ctx, tansy, accounts.ProfileUpdate{DisplayName: ptr(name)})
			wantCode(t, "rename onto "+name, err, apperr.CodeInvalid)
		}
		if _, err := f.svc.UpdateProfile(ctx, rowan, accounts.ProfileUpdate{DisplayName: ptr("ROWAN")}); err != nil {
			t.Errorf("renaming to another case of one's own name: %v", err)
		}
		f.member(t, other, "Rowan")
	})
}

// The last admin can neither drop the role nor delete the account; once
// another admin exists, both work. Only admins change roles.
func TestLastAdminIsKept(t *testing.T) {
	eachDialect(t, nil, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn := f.tenant(t, "admins")
		admin := f.admin(t, tn)
		member := f.member(t, tn, "Hazel")
		_, err := f.svc.SetRoles(ctx, member, member.User.ID, []accounts.Role{accounts.RoleAdmin})
		wantCode(t, "member makes themself admin", err, apperr.CodeForbidden)
		_, err = f.svc.SetRoles(ctx, admin, admin.User.ID, []accounts.Role{accounts.RoleMember})
		wantCode(t, "last admin drops the role", err, apperr.CodeConflict)
		wantCode(t, "last admin deletes the account", f.svc.DeleteAccount(ctx, admin, password, accounts.ClientInfo{IP: "192.0.2.1"}), apperr.CodeConflict)
		_, err = f.svc.SetRoles(ctx, admin, member.User.ID, []accounts.Role{"overlord"})
		wantCode(t, "unknown role", err, apperr.CodeInvalid)
		u, err := f.svc.SetRoles(ctx, admin, member.User.ID, []accounts.Role{accounts.RoleAdmin, accounts.RoleMember})
		if err != nil || !u.Roles().Has(accounts.RoleAdmin) {
			t.Fatalf("appointing a second admin: %v %v", u, err)
		}
		if err := f.svc.DeleteAccount(ctx, admin, password, accounts.ClientInfo{IP: "192.0.2.1"}); err != nil {
			t.Errorf("deleting the first admin once another exists: %v", err)
		}
	})
}

// Deleting an account runs every domain's hook inside its transaction: a
// hook that fails leaves the account, its sessions and the other hooks'
// work exactly as they were.
func TestAccountDeletionIsAllOrNothing(t *testing.T) {
	var failing bool
	hooks := func(_ *accounts.Config, h *accounts.Hooks) {
		h.UserDeleted = []accounts.UserDeletionHook{
			func(ctx context.Context, tx *store.Tx, tn accounts.Tenant, userID string) error {
				_, err := tx.Exec(ctx, `UPDATE users SET display_name = 'changed by the first hook' WHERE tenant_id = ? AND id = ?`, tn.ID, userID)
				return err
			},
			func(ctx context.Context, tx *store.Tx, tn accounts.Tenant, userID string) error {
				if failing {
					return errors.New("the second domain cannot let go")
				}
				return nil
			},
		}
	}
	eachDialect(t, hooks, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		tn := f.tenant(t, "del")
		p := f.member(t, tn, "Leaver")
		wantCode(t, "wrong password", f.svc.DeleteAccount(ctx, p, "not my password", accounts.ClientInfo{IP: "192.0.2.1"}), apperr.CodeInvalid)
		failing = true
		if err := f.svc.DeleteAccount(ctx, p, password, accounts.ClientInfo{IP: "192.0.2.1"}); err == nil {
			t.Fatal("deletion succeeded although a hook failed")
		}
		u, err := f.svc.User(ctx, tn.ID, p.User.ID)
		if err != nil || u.DisplayName != "Leaver" {
			t.Fatalf("after a failed deletion: %+v, %v; want Leaver untouched", u, err)
		}
		if _, err := f.svc.Authenticate(ctx, tn, bystanderToken(t, f, tn, p)); err != nil {
			t.Fatalf("cannot sign in after a failed deletion: %v", err)
		}
		failing = false
		if err := f.svc.DeleteAccount(ctx, p, password, accounts.ClientInfo{IP: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.User(ctx, tn.ID, p.User.ID)
		wantCode(t, "deleted member", err, apperr.CodeNotFound)
		_, _, err = f.svc.SignIn(ctx, tn, emailOf("Leaver"), password, accounts.ClientInfo{})
		wantCode(t, "deleted member signs in", err, apperr.CodeUnauthenticated)
	})
}
