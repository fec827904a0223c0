package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"quietroom/internal/accounts"
	"quietroom/internal/store"
)

// qaTwoTenants is tenant alpha (A) and tenant bravo (B), each with an admin
// and a member; B has a group of its own with a distinctive name, and B's
// member has joined B's vestibular group.
type qaTwoTenants struct {
	adminA, memberA, adminB, memberB *client
	// secretsB are strings only B's data holds.
	secretsB []string
}

const (
	qaSecretSlug = "bravo-hidden-harbour"
	qaSecretName = "Bravo Zanzibar Quillwort circle"
)

func qaSetUpTwoTenants(t *testing.T, h *testHub) qaTwoTenants {
	t.Helper()
	w := qaTwoTenants{adminA: h.createTenant("alpha"), adminB: h.createTenant("bravo")}
	w.memberA = h.signUp("alpha", "Aster", "adult")
	w.memberB = h.signUp("bravo", "Brackenridge", "adult")
	w.adminB.qaAPI(t, "POST", "/groups", map[string]any{
		"slug": qaSecretSlug, "name": qaSecretName, "description": "Only bravo has this one.",
	}).must(t, http.StatusCreated)
	w.memberB.qaAPI(t, "POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
	w.memberB.qaAPI(t, "POST", "/groups/"+qaSecretSlug+"/join", nil).must(t, http.StatusOK)
	w.secretsB = []string{w.memberB.userID, w.adminB.userID, qaEmail("Brackenridge"), qaAdminEmail("bravo"),
		"Brackenridge", qaSecretName, qaSecretSlug, "Tenant bravo"}
	for _, s := range w.secretsB[:2] {
		if s == "" {
			t.Fatal("set-up: a bravo user id is empty")
		}
	}
	return w
}

// qaCrossRequest is one request aimed at another tenant's data.
type qaCrossRequest struct {
	method, path string
	body         any
}

func qaBravoURLs(w qaTwoTenants) []qaCrossRequest {
	return []qaCrossRequest{
		{"GET", "/groups", nil},
		{"GET", "/groups/vestibular", nil},
		{"GET", "/groups/" + qaSecretSlug, nil},
		{"POST", "/groups/vestibular/join", nil},
		{"POST", "/groups/" + qaSecretSlug + "/join", map[string]any{"lurking": true}},
		{"GET", "/groups/vestibular/members", nil},
		{"GET", "/groups/" + qaSecretSlug + "/members", nil},
		{"GET", "/users", nil},
		{"GET", "/users/" + w.memberB.userID, nil},
		{"PATCH", "/groups/vestibular", map[string]any{"name": "Taken over by alpha"}},
		{"PATCH", "/groups/" + qaSecretSlug, map[string]any{"archived": true}},
		{"PUT", "/users/" + w.memberB.userID + "/roles", map[string]any{"roles": []string{"member", "admin"}}},
		{"PUT", "/groups/vestibular/moderators/" + w.memberB.userID, nil},
		{"POST", "/groups/vestibular/invites", map[string]any{"user_id": w.memberB.userID}},
		{"GET", "/me", nil},
		{"GET", "/me/export", nil},
		{"PATCH", "/settings", map[string]any{"name": "Owned by alpha"}},
	}
}

// qaCheckBravoUntouched verifies, as B's admin, that none of the cross-tenant
// attempts changed anything of B.
func qaCheckBravoUntouched(t *testing.T, w qaTwoTenants) {
	t.Helper()
	g := w.adminB.qaAPI(t, "GET", "/groups/vestibular", nil).must(t, http.StatusOK)
	if g.Body["name"] != "Vestibular migraine" {
		t.Errorf("bravo's vestibular group was renamed: %s", g.Raw)
	}
	s := w.adminB.qaAPI(t, "GET", "/groups/"+qaSecretSlug, nil).must(t, http.StatusOK)
	if s.Body["archived_at"] != nil {
		t.Errorf("bravo's own group was archived: %s", s.Raw)
	}
	u := w.adminB.qaAPI(t, "GET", "/users/"+w.memberB.userID, nil).must(t, http.StatusOK)
	if roles, _ := u.Body["roles"].([]any); len(roles) != 1 || roles[0] != "member" {
		t.Errorf("bravo's member's roles changed: %s", u.Raw)
	}
	users := w.adminB.qaAPI(t, "GET", "/users", nil).must(t, http.StatusOK)
	if ids := qaUserIDs(users); len(ids) != 2 {
		t.Errorf("bravo has %d users, want its admin and member only: %s", len(ids), users.Raw)
	}
	for _, slug := range []string{"vestibular", qaSecretSlug} {
		m := w.adminB.qaAPI(t, "GET", "/groups/"+slug+"/members", nil).must(t, http.StatusOK)
		if ids := qaMemberIDs(m); !slices.Equal(ids, []string{w.memberB.userID}) {
			t.Errorf("bravo's %s members = %v, want only %s", slug, ids, w.memberB.userID)
		}
	}
	tv := w.adminB.qaAPI(t, "GET", "", nil).must(t, http.StatusOK)
	if tv.Body["name"] != "Tenant bravo" {
		t.Errorf("bravo's settings changed: %s", tv.Raw)
	}
}

func TestTenantIsolation(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		w := qaSetUpTwoTenants(t, h)

		// (a) A's browser sessions on B's URLs. The session cookie is named
		// per tenant, so A's cookie is no credential at B at all: the request
		// is anonymous there and is refused before anything of B is read.
		for _, who := range []struct {
			name string
			c    *client
		}{{"admin", w.adminA}, {"member", w.memberA}} {
			t.Run("cookie of alpha "+who.name+" on bravo", func(t *testing.T) {
				onB := *who.c
				onB.tenant = "bravo"
				for _, rq := range qaBravoURLs(w) {
					what := who.name + " " + rq.method + " /t/bravo" + rq.path
					r := onB.qaAPI(t, rq.method, rq.path, rq.body)
					// The brief asked for 404 here; see the report: a cookie of
					// another tenant is not sent under bravo's cookie name, so
					// the hub sees an anonymous request and answers 401.
					if r.Status != http.StatusUnauthorized && r.Status != http.StatusNotFound {
						t.Errorf("%s: status %d, want 401 or 404: %s", what, r.Status, qaShort(r.Raw))
					}
					qaNoLeak(t, what, rq.path, r, w.secretsB)
				}
			})
		}

		// The same session token presented under bravo's cookie name is a
		// credential of another tenant: 404, as if nothing existed.
		t.Run("alpha token under bravo's cookie name", func(t *testing.T) {
			token := w.memberA.qaSessionCookie(t)
			if token == "" {
				t.Fatal("alpha member has no session cookie")
			}
			forged := h.client("bravo")
			for _, rq := range qaBravoURLs(w) {
				what := rq.method + " /t/bravo" + rq.path
				r := forged.qaAPIH(t, rq.method, rq.path, rq.body, map[string]string{
					"Cookie": accounts.CookieName("bravo") + "=" + token, accounts.CSRFHeader: w.memberA.csrf,
				})
				qaExpectError(t, what, r, http.StatusNotFound, "not_found")
				qaNoLeak(t, what, rq.path, r, w.secretsB)
			}
		})

		// (b) A's own URLs with B's object ids: the admin gets 404 exactly as
		// for an id that exists nowhere; the member is refused by role before
		// any lookup, identically for both ids.
		t.Run("bravo ids through alpha URLs", func(t *testing.T) {
			ghost := store.NewID()
			for _, who := range []struct {
				name   string
				c      *client
				status int
				code   string
			}{{"admin", w.adminA, http.StatusNotFound, "not_found"}, {"member", w.memberA, http.StatusForbidden, "forbidden"}} {
				for _, mk := range []func(id string) qaCrossRequest{
					func(id string) qaCrossRequest { return qaCrossRequest{"GET", "/users/" + id, nil} },
					func(id string) qaCrossRequest {
						return qaCrossRequest{"PUT", "/users/" + id + "/roles", map[string]any{"roles": []string{"member", "moderator"}}}
					},
					func(id string) qaCrossRequest {
						return qaCrossRequest{"PUT", "/groups/vestibular/moderators/" + id, nil}
					},
					func(id string) qaCrossRequest {
						return qaCrossRequest{"DELETE", "/groups/vestibular/moderators/" + id, nil}
					},
					func(id string) qaCrossRequest {
						return qaCrossRequest{"POST", "/groups/vestibular/invites", map[string]any{"user_id": id}}
					},
				} {
					rb, rg := mk(w.memberB.userID), mk(ghost)
					what := who.name + " " + rb.method + " /t/alpha" + rb.path
					r := who.c.qaAPI(t, rb.method, rb.path, rb.body)
					qaExpectError(t, what, r, who.status, who.code)
					qaNoLeak(t, what, rb.path+w.memberB.userID, r, w.secretsB)
					g := who.c.qaAPI(t, rg.method, rg.path, rg.body)
					if g.Status != r.Status || g.ErrorCode() != r.ErrorCode() {
						t.Errorf("%s: a bravo id answers %d %s but an unknown id %d %s: the difference tells ids apart",
							what, r.Status, r.ErrorCode(), g.Status, g.ErrorCode())
					}
				}
				// B's group slug through A's URLs does not exist for A.
				r := who.c.qaAPI(t, "GET", "/groups/"+qaSecretSlug, nil)
				qaExpectError(t, who.name+" GET alpha/groups/"+qaSecretSlug, r, http.StatusNotFound, "not_found")
			}
		})

		// (c) A bearer token of A on B's URLs: 404 for every one.
		t.Run("bearer of alpha on bravo", func(t *testing.T) {
			for _, who := range []struct{ name, email, password string }{
				{"admin", qaAdminEmail("alpha"), qaAdminPassword}, {"member", qaEmail("Aster"), qaPassword},
			} {
				b := h.qaBearerClient(t, "alpha", who.email, who.password)
				b.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK) // works at home
				onB := *b
				onB.tenant = "bravo"
				reqs := append(qaBravoURLs(w),
					qaCrossRequest{"POST", "/auth/signin", map[string]any{"email": qaEmail("Brackenridge"), "password": qaPassword}},
					qaCrossRequest{"POST", "/auth/signout", nil},
				)
				for _, rq := range reqs {
					what := who.name + " bearer " + rq.method + " /t/bravo" + rq.path
					r := onB.qaAPI(t, rq.method, rq.path, rq.body)
					qaExpectError(t, what, r, http.StatusNotFound, "not_found")
					qaNoLeak(t, what, rq.path, r, w.secretsB)
				}
				b.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK) // still works at home
			}
		})

		// (d) Each tenant's directory is its own.
		t.Run("group lists are separate", func(t *testing.T) {
			for _, who := range []struct {
				name string
				c    *client
			}{{"alpha admin", w.adminA}, {"alpha member", w.memberA}} {
				r := who.c.qaAPI(t, "GET", "/groups?archived=true", nil).must(t, http.StatusOK)
				slugs := qaGroupSlugs(r)
				if len(slugs) != 13 || slices.Contains(slugs, qaSecretSlug) {
					t.Errorf("%s sees %d groups %v, want alpha's 13 default groups only", who.name, len(slugs), slugs)
				}
				qaNoLeak(t, who.name+" GET /groups", "", r, w.secretsB)
				if v := qaGroupFrom(r, "vestibular"); v == nil || qaNumber(v["member_count"]) != 0 {
					t.Errorf("%s: alpha's vestibular should have no members (bravo's member joined bravo's): %v", who.name, v)
				}
			}
			ra := w.adminA.qaAPI(t, "GET", "/groups/vestibular", nil).must(t, http.StatusOK)
			rb := w.adminB.qaAPI(t, "GET", "/groups/vestibular", nil).must(t, http.StatusOK)
			if ra.Body["id"] == rb.Body["id"] {
				t.Errorf("alpha and bravo share the vestibular group id %v", ra.Body["id"])
			}
			listB := w.memberB.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)
			if slugs := qaGroupSlugs(listB); len(slugs) != 14 || !slices.Contains(slugs, qaSecretSlug) {
				t.Errorf("bravo member sees %v, want bravo's 13 defaults and its own group", slugs)
			}
			users := w.adminA.qaAPI(t, "GET", "/users", nil).must(t, http.StatusOK)
			qaNoLeak(t, "alpha admin GET /users", "", users, w.secretsB)
			if ids := qaUserIDs(users); len(ids) != 2 || !slices.Contains(ids, w.memberA.userID) {
				t.Errorf("alpha's users = %v, want alpha's admin and member", ids)
			}
			members := w.adminA.qaAPI(t, "GET", "/groups/vestibular/members", nil).must(t, http.StatusOK)
			if ids := qaMemberIDs(members); len(ids) != 0 {
				t.Errorf("alpha's vestibular lists members %v", ids)
			}
		})

		qaCheckBravoUntouched(t, w)

		// Unknown tenants are 404 whoever asks.
		r := w.adminA.qaRaw(t, "GET", "/api/v1/t/charlie/groups", nil, nil)
		qaExpectError(t, "GET /t/charlie/groups", r, http.StatusNotFound, "not_found")
		if strings.Contains(string(r.Raw), "alpha") {
			t.Errorf("unknown tenant answer mentions alpha: %s", r.Raw)
		}
	})
}
