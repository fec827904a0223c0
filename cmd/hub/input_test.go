package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// qaOddValues are raw JSON string contents (escapes as sent on the wire).
// A text field must refuse each one not in its accept list.
var qaOddValues = []struct {
	id  string
	raw string
}{
	{"NUL byte", `ab\u0000cd`},
	{"lone surrogate", `ab\ud800cd`},
	{"bidi override", `ab\u202ecd`},
	{"zero-width joiner", `ab\u200dcd`},
	{"invalid UTF-8", "ab\xffcd"},
	{"10000 characters", strings.Repeat("a", 10000)},
	{"emoji only", "\U0001F327\U0001F308"},
	{"combining character", `Zoe\u0308`},
	{"stacked combining marks", "Z" + strings.Repeat(`\u0301`, 60)},
	{"combining marks only", `\u0301\u0302\u0303`},
}

// qaTextField is a string field of an endpoint that the odd values go into.
type qaTextField struct {
	name           string
	prefix, suffix string // around the odd value, to keep the rest of it valid
	list           bool   // the field is a list of strings
	// accept lists odd values this field may legitimately take.
	accept []string
}

type qaBodyEndpoint struct {
	name, method, path string
	c                  *client
	header             map[string]string
	valid              func(i int) map[string]any
	wrong              map[string]any // field → value of the wrong JSON type
	text               []qaTextField
	emptyOK            bool // an empty body is a valid request here
	// passwordAttempt: the request checks the member's password, so a
	// wrong one counts as a failed sign-in (docs/api.md, rate limits):
	// that count may change, nothing else.
	passwordAttempt bool
}

const qaPlaceholder = "QA-ODD-VALUE-PLACEHOLDER"

// qaBodyWith encodes body with field set to the raw JSON string literal lit.
func qaBodyWith(t testing.TB, body map[string]any, f qaTextField, lit string) string {
	t.Helper()
	if f.list {
		body[f.name] = []string{qaPlaceholder}
	} else {
		body[f.name] = qaPlaceholder
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(b), `"`+qaPlaceholder+`"`, lit, 1)
}

// qaInputWorld is a tenant with an admin, a member who is in vestibular, a
// target member whose roles and invitations the requests aim at, and an
// invite-only group.
type qaInputWorld struct {
	h                     *testHub
	admin, member, target *client
	operator              *client
}

// snapshot digests everything the requests under test could store: every
// row of the accounts and groups tables (sign-in failures and sessions by
// count). Read straight from the database: far cheaper than a round of GETs
// after each of the several hundred requests, and it sees columns (allowed
// origins, invitations) no GET shows.
func (w qaInputWorld) snapshot(t testing.TB, ep qaBodyEndpoint) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT id, slug, name, guidelines, guidelines_version, deletion_policy, allowed_origins, updated_at FROM tenants ORDER BY id",
		"SELECT id, tenant_id, email, display_name, display_name_key, password_hash, age_bracket, roles, guidelines_version, updated_at FROM users ORDER BY id",
		"SELECT id, tenant_id, slug, name, description, diagnosis, audience, visibility, posting_policy, held_posts, archived_at, updated_at FROM groups ORDER BY id",
		"SELECT tenant_id, group_id, user_id, lurking FROM group_memberships ORDER BY tenant_id, group_id, user_id",
		"SELECT tenant_id, group_id, user_id FROM group_invites ORDER BY tenant_id, group_id, user_id",
		"SELECT tenant_id, group_id, user_id FROM group_moderators ORDER BY tenant_id, group_id, user_id",
		"SELECT COUNT(*) FROM sessions",
		"SELECT COUNT(*) FROM signin_failures",
	} {
		if ep.passwordAttempt && strings.Contains(q, "signin_failures") {
			continue
		}
		rows, err := w.h.app.db.WithContext(t.Context()).Raw(q).Rows()
		if err != nil {
			t.Fatalf("snapshot %q: %v", q, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				t.Fatalf("snapshot %q: %v", q, err)
			}
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s=%v|", cols[i], v)
			}
			b.WriteString("\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("snapshot %q: %v", q, err)
		}
		rows.Close()
	}
	return b.String()
}

func qaInputEndpoints(w qaInputWorld) []qaBodyEndpoint {
	anon := func() *client { return w.h.client("input") }
	// Emoji-only names and a letter with one accent are fine pseudonyms;
	// piles of combining marks are not.
	okNames := []string{"emoji only", "combining character"}
	// In long text the odd value follows valid words, so a few marks are
	// just accents on a space.
	okText := append(slices.Clone(okNames), "combining marks only")
	op := map[string]string{"Authorization": "Bearer " + testOperatorToken}
	return []qaBodyEndpoint{
		{
			name: "sign-up", method: "POST", path: "/api/v1/t/input/auth/signup", c: anon(),
			valid: func(i int) map[string]any {
				return map[string]any{"email": fmt.Sprintf("qa-input-%d@example.org", i), "password": qaPassword,
					"display_name": fmt.Sprintf("Input %d", i), "age_bracket": "adult", "accept_guidelines": true}
			},
			wrong: map[string]any{"email": 5, "accept_guidelines": "yes", "age_bracket": 18, "display_name": []string{"x"}, "bearer_token": "true"},
			text:  []qaTextField{{name: "display_name", accept: okNames}, {name: "email"}},
		},
		{
			name: "sign-in", method: "POST", path: "/api/v1/t/input/auth/signin", c: anon(),
			valid: func(int) map[string]any {
				return map[string]any{"email": "nobody@example.org", "password": "not anybody's password"}
			},
			wrong: map[string]any{"email": true, "password": 12345678901, "bearer_token": "yes"},
			text:  []qaTextField{{name: "email"}},
		},
		{
			name: "PATCH /me", method: "PATCH", path: "/api/v1/t/input/me", c: w.member,
			valid: func(int) map[string]any { return map[string]any{"display_name": "Renamed Member"} },
			wrong: map[string]any{"display_name": 5, "accept_guidelines": "yes"},
			text:  []qaTextField{{name: "display_name", accept: okNames}},
		},
		{
			// The base body never holds the right password.
			name: "DELETE /me", method: "DELETE", path: "/api/v1/t/input/me", c: w.member, passwordAttempt: true,
			valid: func(int) map[string]any { return map[string]any{"password": "not my password at all"} },
			wrong: map[string]any{"password": 5},
			text:  []qaTextField{{name: "password"}},
		},
		{
			// The base body never holds the right current password.
			name: "POST /me/password", method: "POST", path: "/api/v1/t/input/me/password", c: w.member, passwordAttempt: true,
			valid: func(int) map[string]any {
				return map[string]any{"current_password": "not my password at all", "new_password": "another long password"}
			},
			wrong: map[string]any{"current_password": 5, "new_password": true},
			text:  []qaTextField{{name: "current_password"}},
		},
		{
			name: "PATCH /settings", method: "PATCH", path: "/api/v1/t/input/settings", c: w.admin,
			valid: func(int) map[string]any { return map[string]any{"name": "Renamed community"} },
			wrong: map[string]any{"name": 5, "guidelines": map[string]any{}, "deletion_policy": true, "allowed_origins": []string{"https://a.example"}},
			text: []qaTextField{
				{name: "name", accept: okNames},
				{name: "guidelines", prefix: "Guidelines long enough to be valid: ", accept: okText},
				{name: "deletion_policy"},
				{name: "allowed_origins", prefix: "https://", suffix: ".example"},
			},
		},
		{
			name: "PUT /users/{id}/roles", method: "PUT", path: "/api/v1/t/input/users/" + w.target.userID + "/roles", c: w.admin,
			valid: func(int) map[string]any { return map[string]any{"roles": []string{"member", "mentor"}} },
			wrong: map[string]any{"roles": "admin"},
			text:  []qaTextField{{name: "roles", list: true}},
		},
		{
			name: "POST /groups", method: "POST", path: "/api/v1/t/input/groups", c: w.admin,
			valid: func(i int) map[string]any {
				return map[string]any{"slug": fmt.Sprintf("qa-group-%d", i), "name": fmt.Sprintf("QA group %d", i)}
			},
			wrong: map[string]any{"slug": 5, "held_posts": "3", "audience": 1, "visibility": false, "archived": true},
			text: []qaTextField{
				{name: "name", accept: okNames}, {name: "slug"}, {name: "diagnosis"},
				{name: "description", accept: okText},
				{name: "audience"}, {name: "visibility"}, {name: "posting_policy"},
			},
		},
		{
			name: "PATCH /groups/{g}", method: "PATCH", path: "/api/v1/t/input/groups/vestibular", c: w.admin,
			valid: func(int) map[string]any { return map[string]any{"description": "A new description"} },
			wrong: map[string]any{"archived": "yes", "held_posts": 1.5, "visibility": 2, "name": []string{}},
			text: []qaTextField{
				{name: "name", accept: okNames}, {name: "diagnosis"},
				{name: "description", accept: okText},
				{name: "audience"}, {name: "visibility"}, {name: "posting_policy"},
			},
		},
		{
			name: "POST /groups/{g}/join", method: "POST", path: "/api/v1/t/input/groups/vestibular/join", c: w.member,
			valid:   func(int) map[string]any { return map[string]any{"lurking": false} },
			wrong:   map[string]any{"lurking": "yes"},
			emptyOK: true,
		},
		{
			name: "PATCH /groups/{g}/membership", method: "PATCH", path: "/api/v1/t/input/groups/vestibular/membership", c: w.member,
			valid: func(int) map[string]any { return map[string]any{"lurking": false} },
			wrong: map[string]any{"lurking": "no"},
		},
		{
			name: "POST /groups/{g}/invites", method: "POST", path: "/api/v1/t/input/groups/inner/invites", c: w.admin,
			valid: func(int) map[string]any { return map[string]any{"user_id": w.target.userID} },
			wrong: map[string]any{"user_id": 5},
			// A NUL byte in user_id is a 500 on PostgreSQL: reported.
			text: []qaTextField{{name: "user_id"}},
		},
		{
			name: "operator POST /tenants", method: "POST", path: "/api/v1/operator/tenants", c: w.operator, header: op,
			valid: func(i int) map[string]any {
				return map[string]any{"slug": fmt.Sprintf("qa-tenant-%d", i), "name": fmt.Sprintf("QA tenant %d", i),
					"admin_email": fmt.Sprintf("admin%d@qa.example.org", i), "admin_password": qaPassword}
			},
			wrong: map[string]any{"slug": 5, "admin_email": false, "name": map[string]any{}},
			text: []qaTextField{
				{name: "slug"}, {name: "name", accept: okNames}, {name: "admin_email"},
				{name: "admin_display_name", accept: okNames},
			},
		},
	}
}

func TestBadInputIsRefusedAndStoresNothing(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		w := qaInputWorld{h: h, admin: h.createTenant("input"), operator: h.client("")}
		w.member = h.signUp("input", "Member", "adult")
		w.target = h.signUp("input", "Target", "adult")
		w.member.qaAPI(t, "POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
		w.admin.qaAPI(t, "POST", "/groups", map[string]any{"slug": "inner", "name": "Inner", "visibility": "invite_only"}).must(t, http.StatusCreated)

		seq := 0
		for _, ep := range qaInputEndpoints(w) {
			t.Run(ep.name, func(t *testing.T) {
				before := w.snapshot(t, ep)
				send := func(body any, header map[string]string) response {
					t.Helper()
					hdr := map[string]string{}
					for k, v := range ep.header {
						hdr[k] = v
					}
					for k, v := range header {
						hdr[k] = v
					}
					return ep.c.qaRaw(t, ep.method, ep.path, body, hdr)
				}
				// refused checks the status and code, and that nothing changed.
				refused := func(t *testing.T, what string, r response, status int, code string) {
					t.Helper()
					qaExpectError(t, what, r, status, code)
					if after := w.snapshot(t, ep); after != before {
						t.Errorf("%s: a refused request changed what is stored:\n%s", what, qaDiff(before, after))
						before = after
					}
				}
				valid := func() map[string]any { seq++; return ep.valid(seq) }
				validJSON := func() string { b, _ := json.Marshal(valid()); return string(b) }

				generic := []struct {
					name   string
					body   string
					header map[string]string
					status int
					code   string
				}{
					{"truncated JSON", `{"email":`, nil, http.StatusBadRequest, "malformed"},
					{"not JSON", `email=a@b.example`, nil, http.StatusBadRequest, "malformed"},
					{"JSON array", `[]`, nil, http.StatusBadRequest, "malformed"},
					{"JSON array of the object", "[" + validJSON() + "]", nil, http.StatusBadRequest, "malformed"},
					{"JSON string", `"hello"`, nil, http.StatusBadRequest, "malformed"},
					{"JSON number", `42`, nil, http.StatusBadRequest, "malformed"},
					{"two objects", validJSON() + validJSON(), nil, http.StatusBadRequest, "malformed"},
					{"blank body", " \n\t ", nil, http.StatusBadRequest, "malformed"},
					{"nested 10001 deep", `{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`, nil, http.StatusBadRequest, "malformed"},
					{"over 64 KiB", `{"pad":"` + strings.Repeat("a", 70<<10) + `"}`, nil, http.StatusRequestEntityTooLarge, "too_large"},
					{"over 64 KiB of valid-looking JSON", strings.Replace(validJSON(), "{", `{"x":"`+strings.Repeat("b", 65<<10)+`",`, 1), nil, http.StatusRequestEntityTooLarge, "too_large"},
					{"text/plain", validJSON(), map[string]string{"Content-Type": "text/plain"}, http.StatusBadRequest, "malformed"},
					{"form encoded", validJSON(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusBadRequest, "malformed"},
					{"unknown field", strings.Replace(validJSON(), "{", `{"is_admin":true,`, 1), nil, http.StatusUnprocessableEntity, "invalid"},
				}
				if !ep.emptyOK {
					generic = append(generic, struct {
						name   string
						body   string
						header map[string]string
						status int
						code   string
					}{"empty body", "", nil, http.StatusBadRequest, "malformed"})
				}
				for _, g := range generic {
					r := send(g.body, g.header)
					refused(t, g.name, r, g.status, g.code)
					if g.name == "unknown field" && r.Field("is_admin") == "" {
						t.Errorf("unknown field: error.fields does not name is_admin: %s", qaShort(r.Raw))
					}
				}
				if ep.emptyOK {
					r := send("", nil)
					if r.Status != http.StatusOK {
						t.Errorf("empty body: %d, want 200 (documented as valid here): %s", r.Status, qaShort(r.Raw))
					}
					if after := w.snapshot(t, ep); after != before {
						t.Errorf("empty body changed what is stored:\n%s", qaDiff(before, after))
						before = after
					}
				}

				fields := make([]string, 0, len(ep.wrong))
				for f := range ep.wrong {
					fields = append(fields, f)
				}
				slices.Sort(fields)
				for _, f := range fields {
					body := valid()
					body[f] = ep.wrong[f]
					r := send(body, nil)
					refused(t, "wrong type for "+f, r, http.StatusUnprocessableEntity, "invalid")
					if r.Field(f) == "" {
						t.Errorf("wrong type for %s: error.fields does not name %q: %s", f, f, qaShort(r.Raw))
					}
				}

				for _, f := range ep.text {
					for _, odd := range qaOddValues {
						what := fmt.Sprintf("%s = %s", f.name, odd.id)
						lit := `"` + f.prefix + odd.raw + f.suffix + `"`
						r := send(qaBodyWith(t, valid(), f, lit), nil)
						if r.Status/100 == 2 {
							if !slices.Contains(f.accept, odd.id) {
								t.Errorf("%s: accepted (%d), want it refused: %s", what, r.Status, qaShort(r.Raw))
							}
							before = w.snapshot(t, ep)
							continue
						}
						if r.Status/100 != 4 {
							t.Errorf("%s: status %d, want 4xx: %s", what, r.Status, qaShort(r.Raw))
						}
						if after := w.snapshot(t, ep); after != before {
							t.Errorf("%s: a refused request changed what is stored:\n%s", what, qaDiff(before, after))
							before = after
						}
					}
				}
			})
		}
	})
}

// qaDiff shows the first differing line of two snapshots.
func qaDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("before: %s\nafter:  %s", qaShort([]byte(al[i])), qaShort([]byte(bl[i])))
		}
	}
	return fmt.Sprintf("%d lines before, %d after", len(al), len(bl))
}

// Path segments and query values reach the database too: odd ones must be
// a 4xx, never a server error.
func TestOddPathAndQueryValues(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("paths")
		m := h.signUp("paths", "Walker", "adult")
		odd := []string{"%E2%80%AE", "%F0%9F%8C%A7", strings.Repeat("x", 5000), "..%2F..%2Fetc", "%20", "a%2Fb"}
		// A NUL byte or invalid UTF-8 never reaches a query.
		odd = append(odd, "%00", "a%00b", "%FF", "%ED%A0%80")
		for _, seg := range odd {
			for _, rq := range []struct {
				c            *client
				method, path string
				body         any
			}{
				{admin, "GET", "/api/v1/t/" + seg, nil},
				{admin, "GET", "/api/v1/t/" + seg + "/groups", nil},
				{admin, "POST", "/api/v1/t/" + seg + "/auth/signin", map[string]any{"email": "a@b.example", "password": "whatever it is"}},
				{m, "GET", "/api/v1/t/paths/groups/" + seg, nil},
				{m, "POST", "/api/v1/t/paths/groups/" + seg + "/join", nil},
				{admin, "GET", "/api/v1/t/paths/users/" + seg, nil},
				{admin, "PUT", "/api/v1/t/paths/users/" + seg + "/roles", map[string]any{"roles": []string{"member"}}},
				{admin, "PUT", "/api/v1/t/paths/groups/vestibular/moderators/" + seg, nil},
				{admin, "GET", "/api/v1/t/paths/groups?diagnosis=" + seg, nil},
				{admin, "GET", "/api/v1/t/paths/groups?audience=" + seg, nil},
			} {
				r := rq.c.qaRaw(t, rq.method, rq.path, rq.body, nil)
				if r.Status/100 != 4 && !(r.Status == http.StatusOK && strings.Contains(rq.path, "?diagnosis=")) {
					t.Errorf("%s %.120s: %d, want 4xx: %s", rq.method, rq.path, r.Status, qaShort(r.Raw))
				}
			}
		}
		// And the hub still works.
		admin.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)
	})
}

func TestOperatorAPI(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		op := h.client("")
		body := map[string]any{"slug": "newco", "name": "New Co", "admin_email": "boss@newco.example", "admin_password": qaPassword}
		for _, auth := range []struct{ name, header string }{
			{"no token", ""},
			{"wrong token", "Bearer not-the-token"},
			{"token with another scheme", "Basic " + testOperatorToken},
			{"token with a suffix", "Bearer " + testOperatorToken + "x"},
			{"prefix of the token", "Bearer " + testOperatorToken[:len(testOperatorToken)-1]},
			{"lower-case scheme", "bearer " + testOperatorToken},
		} {
			for _, rq := range []struct {
				method string
				body   any
			}{{"POST", body}, {"GET", nil}} {
				r := op.qaRaw(t, rq.method, "/api/v1/operator/tenants", rq.body, map[string]string{"Authorization": auth.header})
				qaExpectError(t, auth.name+" "+rq.method, r, http.StatusUnauthorized, "unauthenticated")
			}
		}
		// A member's session is no operator token.
		h.createTenant("home")
		home := h.qaBearerClient(t, "home", qaAdminEmail("home"), qaAdminPassword)
		qaExpectError(t, "tenant admin bearer", op.qaRaw(t, "POST", "/api/v1/operator/tenants", body,
			map[string]string{"Authorization": "Bearer " + home.bearer}), http.StatusUnauthorized, "unauthenticated")

		auth := map[string]string{"Authorization": "Bearer " + testOperatorToken}
		list := op.qaRaw(t, "GET", "/api/v1/operator/tenants", nil, auth).must(t, http.StatusOK)
		if ts, _ := list.Body["tenants"].([]any); len(ts) != 1 {
			t.Fatalf("refused requests created tenants: %s", list.Raw)
		}
		r := op.qaRaw(t, "POST", "/api/v1/operator/tenants", body, auth).must(t, http.StatusCreated)
		if tv, _ := r.Body["tenant"].(map[string]any); tv["slug"] != "newco" || tv["name"] != "New Co" {
			t.Errorf("created tenant = %v", r.Body["tenant"])
		}
		if r.Body["generated_password"] != nil {
			t.Errorf("a password was generated although one was given")
		}
		boss := h.qaSignInAs(t, "newco", "boss@newco.example", qaPassword)
		groups := boss.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)
		if slugs := qaGroupSlugs(groups); len(slugs) != 13 {
			t.Errorf("new tenant has %d groups, want the 13 of the default catalogue: %v", len(slugs), slugs)
		}
		me := boss.qaAPI(t, "GET", "/me", nil).must(t, http.StatusOK)
		if u, _ := me.Body["user"].(map[string]any); !slices.Contains(u["roles"].([]any), any("admin")) {
			t.Errorf("the first admin is not an admin: %s", me.Raw)
		}

		// Without a password one is generated, shown once, and works.
		g := op.qaRaw(t, "POST", "/api/v1/operator/tenants", map[string]any{"slug": "genco", "name": "Gen Co", "admin_email": "boss@genco.example"}, auth).must(t, http.StatusCreated)
		pw, _ := g.Body["generated_password"].(string)
		if len(pw) < 16 {
			t.Fatalf("no usable generated password: %s", g.Raw)
		}
		h.qaSignInAs(t, "genco", "boss@genco.example", pw)

		for _, tc := range []struct {
			name  string
			edit  map[string]any
			field string
		}{
			{"duplicate slug", map[string]any{"slug": "newco"}, "slug"},
			{"slug with a space and capitals", map[string]any{"slug": "Bad Slug"}, "slug"},
			{"slug with a leading hyphen", map[string]any{"slug": "-x"}, "slug"},
			{"slug with a trailing hyphen", map[string]any{"slug": "x-"}, "slug"},
			{"slug with a double hyphen", map[string]any{"slug": "a--b"}, "slug"},
			{"slug of one character", map[string]any{"slug": "x"}, "slug"},
			{"slug of 49 characters", map[string]any{"slug": strings.Repeat("s", 49)}, "slug"},
			{"slug with an underscore", map[string]any{"slug": "a_b"}, "slug"},
			{"empty slug", map[string]any{"slug": ""}, "slug"},
			{"name of one character", map[string]any{"slug": "okslug", "name": "N"}, "name"},
			{"bad admin email", map[string]any{"slug": "okslug", "admin_email": "boss"}, "admin_email"},
			{"short admin password", map[string]any{"slug": "okslug", "admin_password": "short"}, "admin_password"},
			{"password without email", map[string]any{"slug": "okslug", "admin_email": ""}, "admin_email"},
			{"admin display name with @", map[string]any{"slug": "okslug", "admin_display_name": "boss@home"}, "admin_display_name"},
		} {
			b := map[string]any{}
			for k, v := range body {
				b[k] = v
			}
			for k, v := range tc.edit {
				b[k] = v
			}
			r := op.qaRaw(t, "POST", "/api/v1/operator/tenants", b, auth)
			qaExpectError(t, tc.name, r, http.StatusUnprocessableEntity, "invalid")
			if r.Field(tc.field) == "" {
				t.Errorf("%s: error.fields does not name %s: %s", tc.name, tc.field, qaShort(r.Raw))
			}
		}
		list = op.qaRaw(t, "GET", "/api/v1/operator/tenants", nil, auth).must(t, http.StatusOK)
		if ts, _ := list.Body["tenants"].([]any); len(ts) != 3 {
			t.Errorf("refused creations left tenants behind: %s", list.Raw)
		}
		// A refused admin (display name) left no half-made tenant: its slug is free.
		qaExpectError(t, "okslug is unknown", h.client("okslug").qaAPI(t, "GET", "", nil), http.StatusNotFound, "not_found")
	})
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("routes")
		for _, rq := range []struct {
			c            *client
			method, path string
			status       int
			code         string
		}{
			{admin, "GET", "/api/v1/nope", http.StatusNotFound, "not_found"},
			{admin, "POST", "/api/v1/nope", http.StatusNotFound, "not_found"},
			{admin, "GET", "/nope", http.StatusNotFound, "not_found"},
			{admin, "GET", "/api/v2/t/routes/groups", http.StatusNotFound, "not_found"},
			{admin, "GET", "/api/v1/t/routes/nope", http.StatusNotFound, "not_found"},
			{admin, "GET", "/api/v1/t/nosuchtenant/groups", http.StatusNotFound, "not_found"},
			{admin, "DELETE", "/api/v1/t/routes/groups", http.StatusMethodNotAllowed, "method_not_allowed"},
			{admin, "PUT", "/api/v1/t/routes/me", http.StatusMethodNotAllowed, "method_not_allowed"},
			{admin, "GET", "/api/v1/t/routes/auth/signin", http.StatusMethodNotAllowed, "method_not_allowed"},
			{admin, "DELETE", "/api/v1/operator/tenants", http.StatusMethodNotAllowed, "method_not_allowed"},
			{h.client("routes"), "DELETE", "/api/v1/t/routes/groups", http.StatusMethodNotAllowed, "method_not_allowed"},
		} {
			r := rq.c.qaRaw(t, rq.method, rq.path, nil, nil)
			qaExpectError(t, rq.method+" "+rq.path, r, rq.status, rq.code)
		}
		// The plain endpoints carry the security headers too.
		for _, p := range []string{"/healthz", "/readyz", "/api/v1/t/routes"} {
			admin.qaRaw(t, "GET", p, nil, nil).must(t, http.StatusOK)
		}
	})
}
