package main

import (
	"net/http"
	"testing"
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
