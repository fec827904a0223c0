package main

import (
	"net/http"
	"strings"
	"testing"
)

// Same class as issue 14 item 8: a community moderator who was not invited
// to an invite-only or archived group sees its queue items only while they
// need a decision (and the ones they decided themselves, to undo or
// correct). Items someone else resolved there stay out of their queue,
// resolved or all, and their cases answer 404.
func TestResolvedItemsOfClosedGroupsLeaveUninvitedModeratorsQueues(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin, mod, insider, reporter, assigned := privateCircle(t, h, "closedq")
		ws := insider.live(h, "private")
		byAdmin := ws.say("private", "p1", "my cousin's private story, told in confidence")
		byMod := ws.say("private", "p2", "buy my miracle detox, it cures everything")
		for _, m := range []string{byAdmin.ID, byMod.ID} {
			reporter.api("POST", "/groups/private/messages/"+m+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusCreated)
		}

		// Both wait for a decision: the moderator sees both.
		adminItem, modItem := queueItem(t, mod, byAdmin.ID), queueItem(t, mod, byMod.ID)
		admin.api("POST", "/moderation/items/"+adminItem["id"].(string)+"/actions", map[string]any{"version": version(adminItem), "action": "dismiss"}).must(t, http.StatusOK)
		mod.api("POST", "/moderation/items/"+modItem["id"].(string)+"/actions", map[string]any{"version": version(modItem), "action": "remove"}).must(t, http.StatusOK)

		for _, status := range []string{"resolved", "all"} {
			q := mod.api("GET", "/moderation/queue?status="+status, nil).must(t, http.StatusOK)
			if strings.Contains(string(q.Raw), byAdmin.ID) || strings.Contains(string(q.Raw), "in confidence") {
				t.Errorf("status=%s: the moderator sees an item of the closed group that someone else resolved: %s", status, qaShort(q.Raw))
			}
			if !strings.Contains(string(q.Raw), byMod.ID) {
				t.Errorf("status=%s: the moderator lost the item they decided themselves: %s", status, qaShort(q.Raw))
			}
			for name, who := range map[string]*client{"the admin": admin, "the assigned moderator": assigned} {
				if q := who.api("GET", "/moderation/queue?status="+status, nil).must(t, http.StatusOK); !strings.Contains(string(q.Raw), byAdmin.ID) {
					t.Errorf("status=%s: %s no longer sees the resolved item: %s", status, name, qaShort(q.Raw))
				}
			}
		}
		mod.api("GET", "/moderation/items/"+adminItem["id"].(string), nil).must(t, http.StatusNotFound)
		mod.api("GET", "/moderation/items/"+modItem["id"].(string), nil).must(t, http.StatusOK)
		assigned.api("GET", "/moderation/items/"+adminItem["id"].(string), nil).must(t, http.StatusOK)
	})
}
