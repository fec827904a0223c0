package main

import (
	"net/http"
	"strings"
	"testing"
)

// Issue 14, item 7: the order admin > tenant moderator > group moderator >
// member holds; nobody acts up it; admins lift any restriction, logged.
func TestModeratorsCannotActUpTheRoleOrder(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("order")
		admin.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
		mod := joinedMember(t, h, "order", "Tenmod", "chronic")
		admin.api("PUT", "/users/"+mod.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)
		gmod := joinedMember(t, h, "order", "Grpmod", "chronic")
		admin.api("PUT", "/groups/chronic/moderators/"+gmod.userID, nil).must(t, http.StatusNoContent)
		member := joinedMember(t, h, "order", "Plainly", "chronic")
		reporter := joinedMember(t, h, "order", "Reporter", "chronic")

		// Each posts once; the reporter flags every message.
		item := map[string]map[string]any{}
		for name, c := range map[string]*client{"admin": admin, "mod": mod, "gmod": gmod, "member": member} {
			ws := c.live(h, "chronic")
			ack := ws.say("chronic", "m-"+name, "a message from "+name+" about pacing")
			reporter.api("POST", "/groups/chronic/messages/"+ack.ID+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusCreated)
			viewer := admin // nobody sees items about their own messages
			if name == "admin" {
				viewer = mod
			}
			item[name] = queueItem(t, viewer, ack.ID)
		}
		path := func(name string) string { return "/moderation/items/" + item[name]["id"].(string) }

		refused := []struct {
			who    string
			actor  *client
			target string
			body   map[string]any
			suffix string
		}{
			{"group moderator removes the admin's message", gmod, "admin", map[string]any{"action": "remove"}, "/actions"},
			{"group moderator mutes the admin", gmod, "admin", map[string]any{"action": "mute", "minutes": 60}, "/author-actions"},
			{"group moderator warns the admin", gmod, "admin", map[string]any{"action": "warn", "note": "careful"}, "/author-actions"},
			{"group moderator removes a tenant moderator's message", gmod, "mod", map[string]any{"action": "remove"}, "/actions"},
			{"group moderator mutes a tenant moderator", gmod, "mod", map[string]any{"action": "mute", "minutes": 60}, "/author-actions"},
			{"tenant moderator suspends the admin", mod, "admin", map[string]any{"action": "suspend", "minutes": 525600}, "/author-actions"},
			{"tenant moderator removes the admin's message", mod, "admin", map[string]any{"action": "remove"}, "/actions"},
			{"tenant moderator corrects and removes the admin's message", mod, "admin", map[string]any{"note": "not so", "remove": true}, "/correction"},
		}
		for _, tc := range refused {
			body := map[string]any{}
			if tc.suffix != "/author-actions" {
				body["version"] = version(item[tc.target])
			}
			for k, v := range tc.body {
				body[k] = v
			}
			r := tc.actor.api("POST", path(tc.target)+tc.suffix, body)
			if r.Status != http.StatusForbidden || r.ErrorCode() != "forbidden" {
				t.Errorf("%s: %d %s, want 403 forbidden", tc.who, r.Status, r.Raw)
			}
		}
		// Nothing of that happened: the admin can post, no restriction.
		admin.live(h, "chronic").say("chronic", "after", "still able to post")
		// Escalating is always open: that is how a lower moderator asks.
		gmod.api("POST", path("admin")+"/author-actions", map[string]any{"action": "escalate", "note": "needs an admin"}).must(t, http.StatusOK)

		// Down the order works: the tenant moderator on a group
		// moderator, the group moderator on a member.
		mod.api("POST", path("gmod")+"/author-actions", map[string]any{"action": "warn", "note": "keep it kind"}).must(t, http.StatusOK)
		gmod.api("POST", path("member")+"/author-actions", map[string]any{"action": "mute", "minutes": 60}).must(t, http.StatusOK)
		mod.api("POST", path("member")+"/author-actions", map[string]any{"action": "suspend", "minutes": 60 * 24 * 365}).must(t, http.StatusOK)

		// Admins see restrictions in force and lift any of them; others may not.
		list := admin.api("GET", "/moderation/restrictions", nil).must(t, http.StatusOK)
		rs, _ := list.Body["restrictions"].([]any)
		if len(rs) != 2 {
			t.Fatalf("restrictions in force: %s, want the mute and the suspension", list.Raw)
		}
		gmod.api("GET", "/moderation/restrictions", nil).must(t, http.StatusForbidden)
		for _, r := range rs {
			id := r.(map[string]any)["id"].(string)
			mod.api("POST", "/moderation/restrictions/"+id+"/lift", map[string]any{"note": "x"}).must(t, http.StatusForbidden)
			admin.api("POST", "/moderation/restrictions/"+id+"/lift", map[string]any{"note": "lifted after review"}).must(t, http.StatusOK)
			admin.api("POST", "/moderation/restrictions/"+id+"/lift", map[string]any{"note": "again"}).must(t, http.StatusNotFound)
		}
		member.live(h, "chronic").say("chronic", "free", "thank you, back again")
		if left := admin.api("GET", "/moderation/restrictions", nil).must(t, http.StatusOK); strings.Contains(string(left.Raw), member.userID) {
			t.Errorf("lifted restrictions still listed: %s", left.Raw)
		}
		log := admin.api("GET", "/moderation/audit", nil).must(t, http.StatusOK)
		if n := strings.Count(string(log.Raw), `"action":"lifted"`); n != 2 || !strings.Contains(string(log.Raw), "lifted after review") {
			t.Errorf("want two lifted entries with the note in the log: %s", log.Raw)
		}
	})
}
