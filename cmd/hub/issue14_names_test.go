package main

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quietroom/internal/store"
)

// Issue 14, item 9: a name that looks like another is refused as taken:
// letters from other scripts swapped in, doubled spaces, and characters
// that render blank.
func TestLookAlikeNamesAreRefused(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("alike-names")
		admin.api("PATCH", "/me", map[string]any{"display_name": "alpha Moderator"}).must(t, http.StatusOK)
		taken := []struct{ why, name string }{
			{"Cyrillic а", "\u0430lpha Moderator"},
			{"Greek Α and Cyrillic о", "Alpha M\u043ederator"},
			{"Greek capital Mu", "alpha \u039coderator"},
			{"double space", "alpha  Moderator"},
			{"ideographic space", "alpha\u3000Moderator"},
			{"fullwidth letters", "\uff41lpha Moderator"},
			{"digit one for l", "a1pha Moderator"},
		}
		for i, tc := range taken {
			r := h.client("alike-names").api("POST", "/auth/signup", signUpBody("lookalike"+itoaSmall(i)+"@example.org", tc.name))
			if r.Status != http.StatusUnprocessableEntity || r.Field("display_name") == "" {
				t.Errorf("%s (%q): %d %s, want 422 display_name taken", tc.why, tc.name, r.Status, r.Raw)
			}
		}
		blank := []struct{ why, name string }{
			{"trailing Hangul filler", "alpha Moderator\u3164"},
			{"Hangul filler alone in a name", "Quiet\u3164One"},
			{"halfwidth Hangul filler", "Quiet\uffa0One"},
			{"blank Braille pattern", "Quiet\u2800One"},
			{"zero-width space", "Quiet\u200bOne"},
		}
		for i, tc := range blank {
			r := h.client("alike-names").api("POST", "/auth/signup", signUpBody("blank"+itoaSmall(i)+"@example.org", tc.name))
			if r.Status != http.StatusUnprocessableEntity || r.Field("display_name") == "" {
				t.Errorf("%s (%q): %d %s, want 422 display_name", tc.why, tc.name, r.Status, r.Raw)
			}
		}
		// Renaming onto a look-alike is refused the same way.
		m := h.signUp("alike-names", "Wren", "adult")
		if r := m.api("PATCH", "/me", map[string]any{"display_name": "\u0430lpha Moderator"}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("rename onto a look-alike: %d %s", r.Status, r.Raw)
		}
		// Names with doubled spaces are stored with one; distinct names pass.
		h.client("alike-names").api("POST", "/auth/signup", signUpBody("quiet@example.org", "Quiet   Heron")).must(t, http.StatusAccepted)
		q := h.client("alike-names")
		r := q.signIn("quiet@example.org", qaPassword).must(t, http.StatusOK)
		if got := r.Body["user"].(map[string]any)["display_name"]; got != "Quiet Heron" {
			t.Errorf("stored name %q, want one space", got)
		}
		h.client("alike-names").api("POST", "/auth/signup", signUpBody("beta@example.org", "beta Moderator")).must(t, http.StatusAccepted)
	})
}

func itoaSmall(i int) string { return string(rune('a' + i)) }

// Staff names are marked in the room: the page tells room.js who the
// admins and moderators of the group are (data-staff), by id, so a
// look-alike name shows no badge.
func TestRoomMarksStaffNames(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	admin := h.createTenant("staffmark")
	gmod := h.signUp("staffmark", "Warden", "adult")
	admin.api("PUT", "/groups/chronic/moderators/"+gmod.userID, nil).must(t, http.StatusNoContent)
	plain := h.signUp("staffmark", "Plainly", "adult")
	plain.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	b := h.browser()
	b.signUp("staffmark", "Reader")
	b.post("/t/staffmark/groups/chronic/join", url.Values{"csrf_token": {b.csrf("/t/staffmark/groups")}}).must(t, http.StatusSeeOther)
	page := b.get("/t/staffmark/groups/chronic").must(t, http.StatusOK)
	staff := html.UnescapeString(page.Body)
	i := strings.Index(staff, `data-staff="`)
	if i < 0 {
		t.Fatalf("the room has no data-staff attribute:\n%s", page.Body)
	}
	staff = staff[i+len(`data-staff="`):]
	staff = staff[:strings.Index(staff, `"}`)+2]
	var roles map[string]string
	if err := json.Unmarshal([]byte(staff), &roles); err != nil {
		t.Fatalf("data-staff %q: %v", staff, err)
	}
	if roles[admin.userID] != "admin" || roles[gmod.userID] != "moderator" || roles[plain.userID] != "" || len(roles) != 2 {
		t.Errorf("staff = %v, want the admin and the group's moderator only", roles)
	}
}
