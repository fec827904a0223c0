package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestAccountExport(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		h.createTenant("exp")
		m := h.signUp("exp", "Exporter", "adult")
		cookie := m.qaSessionCookie(t)
		b := h.qaBearerClient(t, "exp", qaEmail("Exporter"), qaPassword)
		m.qaAPI(t, "POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
		m.qaAPI(t, "POST", "/groups/chronic/join", map[string]any{"lurking": true}).must(t, http.StatusOK)

		r := m.qaAPI(t, "GET", "/me/export", nil).must(t, http.StatusOK)
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
			t.Errorf("Content-Disposition = %q, want an attachment", cd)
		}
		if r.Body == nil {
			t.Fatalf("export is not a JSON object: %s", qaShort(r.Raw))
		}
		acct, _ := r.Body["account"].(map[string]any)
		if acct["id"] != m.userID || acct["email"] != qaEmail("Exporter") || acct["display_name"] != "Exporter" {
			t.Errorf("export account = %v", acct)
		}
		sessions, _ := r.Body["sessions"].([]any)
		if len(sessions) != 2 {
			t.Errorf("export lists %d sessions, want 2 (sign-up and bearer sign-in)", len(sessions))
		}
		for _, s := range sessions {
			sm, _ := s.(map[string]any)
			for k := range sm {
				if strings.Contains(k, "token") || strings.Contains(k, "csrf") || k == "id" {
					t.Errorf("an exported session carries %q", k)
				}
			}
		}
		var groups []string
		memberships, _ := r.Body["group_memberships"].([]any)
		for _, g := range memberships {
			gm, _ := g.(map[string]any)
			s, _ := gm["group"].(string)
			groups = append(groups, s)
			if s == "chronic" && gm["lurking"] != true {
				t.Errorf("export does not say the member lurks in chronic: %v", gm)
			}
		}
		if !slices.Equal(groups, []string{"chronic", "vestibular"}) {
			t.Errorf("exported memberships = %v, want chronic and vestibular", groups)
		}
		raw := string(r.Raw)
		for name, secret := range map[string]string{"csrf token": m.csrf, "session cookie": cookie, "bearer token": b.bearer} {
			if secret != "" && strings.Contains(raw, secret) {
				t.Errorf("the export contains the %s", name)
			}
		}
		for _, s := range []string{"$argon2", "password"} {
			if strings.Contains(raw, s) {
				t.Errorf("the export contains %q", s)
			}
		}
		// Exports are one's own: a bearer export shows the same account.
		rb := b.qaAPI(t, "GET", "/me/export", nil).must(t, http.StatusOK)
		if a, _ := rb.Body["account"].(map[string]any); a["id"] != m.userID {
			t.Errorf("bearer export is of %v", a["id"])
		}
		qaExpectError(t, "anonymous export", h.client("exp").qaAPI(t, "GET", "/me/export", nil), http.StatusUnauthorized, "unauthenticated")
	})
}

func TestAccountDeletion(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("del")
		m := h.signUp("del", "Departing", "adult")
		stay := h.signUp("del", "Staying", "adult")
		for _, c := range []*client{m, stay} {
			c.qaAPI(t, "POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
		}
		admin.qaAPI(t, "POST", "/groups", map[string]any{"slug": "private", "name": "Private", "visibility": "invite_only"}).must(t, http.StatusCreated)
		admin.qaAPI(t, "POST", "/groups/private/invites", map[string]any{"user_id": m.userID}).must(t, http.StatusNoContent)
		admin.qaAPI(t, "PUT", "/groups/teen/moderators/"+m.userID, nil).must(t, http.StatusNoContent)

		for _, body := range []any{map[string]any{"password": "not my password"}, map[string]any{"password": ""}, map[string]any{}} {
			r := m.qaAPI(t, "DELETE", "/me", body)
			qaExpectError(t, "delete with a wrong password", r, http.StatusUnprocessableEntity, "invalid")
			if r.Field("password") == "" {
				t.Errorf("want error.fields.password: %s", r.Raw)
			}
		}
		m.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
		h.qaSignInAs(t, "del", qaEmail("Departing"), qaPassword)

		r := m.qaAPI(t, "DELETE", "/me", map[string]any{"password": qaPassword}).must(t, http.StatusNoContent)
		if ck := qaSetCookie(t, r, "del"); ck == nil || ck.MaxAge >= 0 {
			t.Errorf("deleting the account did not clear the cookie: %v", ck)
		}
		qaExpectError(t, "session after deletion", m.qaAPI(t, "GET", "/me", nil), http.StatusUnauthorized, "unauthenticated")
		qaExpectError(t, "sign-in after deletion", h.client("del").qaAPI(t, "POST", "/auth/signin",
			map[string]any{"email": qaEmail("Departing"), "password": qaPassword}), http.StatusUnauthorized, "unauthenticated")
		for _, who := range []*client{admin, stay} {
			ms := who.qaAPI(t, "GET", "/groups/vestibular/members", nil).must(t, http.StatusOK)
			if ids := qaMemberIDs(ms); slices.Contains(ids, m.userID) || !slices.Contains(ids, stay.userID) {
				t.Errorf("vestibular members after deletion = %v", ids)
			}
			if n := qaNumber(who.qaAPI(t, "GET", "/groups/vestibular", nil).must(t, http.StatusOK).Body["member_count"]); n != 1 {
				t.Errorf("member_count after deletion = %d, want 1", n)
			}
		}
		if ids := qaUserIDs(admin.qaAPI(t, "GET", "/users", nil).must(t, http.StatusOK)); slices.Contains(ids, m.userID) {
			t.Errorf("deleted account still listed")
		}
		qaExpectError(t, "deleted user by id", admin.qaAPI(t, "GET", "/users/"+m.userID, nil), http.StatusNotFound, "not_found")
		// The teen group's moderator assignment went with the account.
		if ids := qaMemberIDs(admin.qaAPI(t, "GET", "/groups/teen/members", nil).must(t, http.StatusOK)); len(ids) != 0 {
			t.Errorf("teen members after deletion = %v", ids)
		}
		// The email and the display name are free again.
		again := h.signUp("del", "Departing", "adult")
		if again.userID == m.userID {
			t.Errorf("a new account reused the deleted id")
		}
		if g := again.qaAPI(t, "GET", "/groups/private", nil); g.Status != http.StatusNotFound {
			t.Errorf("the old account's invitation carried over to the new one: %d %s", g.Status, qaShort(g.Raw))
		}
	})
}

func TestLastAdminIsKept(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("boss")
		m := h.signUp("boss", "Deputy", "adult")

		qaExpectError(t, "last admin deletes themself", admin.qaAPI(t, "DELETE", "/me", map[string]any{"password": qaAdminPassword}),
			http.StatusConflict, "conflict")
		for _, roles := range [][]string{{"member"}, {"member", "moderator"}, {}} {
			qaExpectError(t, "last admin drops admin", admin.qaAPI(t, "PUT", "/users/"+admin.userID+"/roles", map[string]any{"roles": roles}),
				http.StatusConflict, "conflict")
		}
		me := admin.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
		if u, _ := me.Body["user"].(map[string]any); !slices.Contains(u["roles"].([]any), any("admin")) {
			t.Fatalf("the last admin lost the role: %s", me.Raw)
		}
		// With a second admin, the first may step down, and then the second
		// is the last one.
		admin.qaAPI(t, "PUT", "/users/"+m.userID+"/roles", map[string]any{"roles": []string{"admin"}}).must(t, http.StatusOK)
		r := admin.qaAPI(t, "PUT", "/users/"+admin.userID+"/roles", map[string]any{"roles": []string{"member"}}).must(t, http.StatusOK)
		if roles, _ := r.Body["roles"].([]any); len(roles) != 1 || roles[0] != "member" {
			t.Errorf("roles after stepping down = %v", r.Body["roles"])
		}
		// The former admin has lost admin powers at once.
		qaExpectError(t, "former admin sets roles", admin.qaAPI(t, "PUT", "/users/"+m.userID+"/roles", map[string]any{"roles": []string{"member"}}),
			http.StatusForbidden, "forbidden")
		qaExpectError(t, "new last admin deletes themself", m.qaAPI(t, "DELETE", "/me", map[string]any{"password": qaPassword}),
			http.StatusConflict, "conflict")
		// The former admin may now delete their account.
		admin.qaAPI(t, "DELETE", "/me", map[string]any{"password": qaAdminPassword}).must(t, http.StatusNoContent)
		m.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
	})
}

func TestRoles(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("roles")
		m := h.signUp("roles", "Plain", "adult")
		mod := h.signUp("roles", "Warden", "adult")

		// Members set no roles, not even their own.
		for _, target := range []string{m.userID, mod.userID, admin.userID} {
			qaExpectError(t, "member sets roles", m.qaAPI(t, "PUT", "/users/"+target+"/roles", map[string]any{"roles": []string{"member", "admin"}}),
				http.StatusForbidden, "forbidden")
		}
		bad := []any{
			[]string{"superuser"},
			[]string{"member", "owner"},
			[]string{"Admin"},
			[]string{"admin moderator"},
			[]string{""},
			[]string{" admin"},
		}
		for _, roles := range bad {
			r := admin.qaAPI(t, "PUT", "/users/"+m.userID+"/roles", map[string]any{"roles": roles})
			qaExpectError(t, "unknown role", r, http.StatusUnprocessableEntity, "invalid")
			if r.Field("roles") == "" {
				t.Errorf("roles %v: want error.fields.roles: %s", roles, r.Raw)
			}
		}
		for _, body := range []map[string]any{{}, {"roles": nil}} {
			r := admin.qaAPI(t, "PUT", "/users/"+m.userID+"/roles", body)
			qaExpectError(t, "no roles", r, http.StatusUnprocessableEntity, "invalid")
			if r.Field("roles") == "" {
				t.Errorf("%v: want error.fields.roles: %s", body, r.Raw)
			}
		}
		u := admin.qaAPI(t, "GET", "/users/"+m.userID, nil).must(t, http.StatusOK)
		if roles, _ := u.Body["roles"].([]any); len(roles) != 1 {
			t.Errorf("refused role changes changed roles: %v", u.Body["roles"])
		}
		qaExpectError(t, "roles of nobody", admin.qaAPI(t, "PUT", "/users/nobody/roles", map[string]any{"roles": []string{"member"}}),
			http.StatusNotFound, "not_found")

		// Roles are normalised: member always, canonical order, no repeats.
		r := admin.qaAPI(t, "PUT", "/users/"+mod.userID+"/roles", map[string]any{"roles": []string{"moderator", "mentor", "moderator"}}).must(t, http.StatusOK)
		got, _ := json.Marshal(r.Body["roles"])
		if string(got) != `["member","mentor","moderator"]` {
			t.Errorf("roles = %s, want member, mentor, moderator", got)
		}

		// Moderators list and look up members; members do not.
		users := mod.qaAPI(t, "GET", "/users", nil).must(t, http.StatusOK)
		if ids := qaUserIDs(users); len(ids) != 3 {
			t.Errorf("moderator sees %d users, want 3", len(ids))
		}
		mod.qaAPI(t, "GET", "/users/"+m.userID, nil).must(t, http.StatusOK)
		qaExpectError(t, "member lists users", m.qaAPI(t, "GET", "/users", nil), http.StatusForbidden, "forbidden")
		qaExpectError(t, "member looks up a user", m.qaAPI(t, "GET", "/users/"+mod.userID, nil), http.StatusForbidden, "forbidden")
		qaExpectError(t, "member looks up themself", m.qaAPI(t, "GET", "/users/"+m.userID, nil), http.StatusForbidden, "forbidden")
		// Moderators do not set roles.
		qaExpectError(t, "moderator sets roles", mod.qaAPI(t, "PUT", "/users/"+m.userID+"/roles", map[string]any{"roles": []string{"moderator"}}),
			http.StatusForbidden, "forbidden")
		// Nor change settings or groups.
		qaExpectError(t, "moderator changes settings", mod.qaAPI(t, "PATCH", "/settings", map[string]any{"name": "Taken"}), http.StatusForbidden, "forbidden")
		qaExpectError(t, "moderator creates a group", mod.qaAPI(t, "POST", "/groups", map[string]any{"slug": "modgroup", "name": "Mod group"}),
			http.StatusForbidden, "forbidden")
		qaExpectError(t, "member changes settings", m.qaAPI(t, "PATCH", "/settings", map[string]any{"name": "Taken"}), http.StatusForbidden, "forbidden")

		// Demoting takes effect on the next request of an existing session.
		admin.qaAPI(t, "PUT", "/users/"+mod.userID+"/roles", map[string]any{"roles": []string{"member"}}).must(t, http.StatusOK)
		qaExpectError(t, "demoted moderator lists users", mod.qaAPI(t, "GET", "/users", nil), http.StatusForbidden, "forbidden")
	})
}
