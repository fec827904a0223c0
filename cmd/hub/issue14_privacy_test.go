package main

import (
	"net/http"
	"strings"
	"testing"
)

// Issue 14, item 13: after DELETE /me the moderation log keeps what was
// done but not who did it or what they wrote: the member becomes "former
// member", and their flag notes and appeal words go.
func TestDeletedMemberBecomesFormerMemberInTheModerationLog(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("forget")
		author := joinedMember(t, h, "forget", "Author", "chronic")
		reporter := joinedMember(t, h, "forget", "Quillwort", "chronic")
		ws := author.live(h, "chronic")
		ack := ws.say("chronic", "m1", "I think the new tablets are doing something for me")
		reporter.api("POST", "/groups/chronic/messages/"+ack.ID+"/flags", map[string]any{
			"reason": "other", "note": "private note from quill about my neighbour at 12 Elm Street"}).must(t, http.StatusCreated)

		before := admin.api("GET", "/moderation/audit", nil).must(t, http.StatusOK)
		if !strings.Contains(string(before.Raw), "Quillwort") || !strings.Contains(string(before.Raw), "12 Elm Street") {
			t.Fatalf("the log should name the reporter and hold the note before deletion: %s", before.Raw)
		}
		reporter.api("DELETE", "/me", map[string]any{"password": qaPassword}).must(t, http.StatusNoContent)

		after := admin.api("GET", "/moderation/audit", nil).must(t, http.StatusOK)
		for _, gone := range []string{"Quillwort", "12 Elm Street", reporter.userID} {
			if strings.Contains(string(after.Raw), gone) {
				t.Errorf("the log still holds %q after the member's deletion: %s", gone, after.Raw)
			}
		}
		entries, _ := after.Body["entries"].([]any)
		found := false
		for _, e := range entries {
			m := e.(map[string]any)
			if m["action"] == "flagged" {
				found = true
				if m["actor_name"] != "former member" {
					t.Errorf("flag entry actor %v, want \"former member\"", m["actor_name"])
				}
				if why, _ := m["why"].(string); why != "other" {
					t.Errorf("flag entry why %q, want the reason only", why)
				}
			}
		}
		if !found {
			t.Fatalf("the log lost the flag action itself: %s", after.Raw)
		}
		csv := admin.raw("GET", "/api/v1/t/forget/moderation/audit?format=csv", nil, nil).must(t, http.StatusOK)
		if strings.Contains(string(csv.Raw), "Quillwort") || strings.Contains(string(csv.Raw), "Elm Street") {
			t.Errorf("the CSV export still names the deleted member: %s", csv.Raw)
		}
	})
}
