package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// privateCircle makes a tenant with a community moderator (not invited) and
// an invite-only group "private" whose members are insider and reporter,
// with assigned as its own moderator.
func privateCircle(t *testing.T, h *testHub, tenant string) (admin, mod, insider, reporter, assigned *client) {
	t.Helper()
	admin = h.createTenant(tenant)
	mod = h.signUp(tenant, "Commod", "adult")
	admin.api("PUT", "/users/"+mod.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)
	insider = h.signUp(tenant, "Insider", "adult")
	reporter = h.signUp(tenant, "Reporter", "adult")
	assigned = h.signUp(tenant, "Assigned", "adult")
	admin.api("POST", "/groups", map[string]any{"slug": "private", "name": "Private circle", "visibility": "invite_only"}).must(t, http.StatusCreated)
	for _, c := range []*client{insider, reporter} {
		admin.api("POST", "/groups/private/invites", map[string]any{"user_id": c.userID}).must(t, http.StatusNoContent)
		c.api("POST", "/groups/private/join", nil).must(t, http.StatusOK)
	}
	admin.api("PUT", "/groups/private/moderators/"+assigned.userID, nil).must(t, http.StatusNoContent)
	return admin, mod, insider, reporter, assigned
}

// Issue 14, item 8: invite-only and archived groups stay closed to
// community moderators who were not invited or assigned. They reach such a
// group only through a queue item that needs their decision, and see only
// that item's context.
func TestClosedGroupsStayClosedToUninvitedModerators(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin, mod, insider, reporter, assigned := privateCircle(t, h, "closed")
		teen := h.signUp("closed", "Youngone", "teen")
		ws := insider.live(h, "private")
		ws.say("private", "p1", "something only this circle should read")
		flagged := ws.say("private", "p2", "buy my miracle detox, it cures everything")

		// Archived: a group the moderator could read before, archived now.
		insider.api("POST", "/groups/retinal/join", nil).must(t, http.StatusOK)
		insider.live(h, "retinal").say("retinal", "r1", "an old message in retinal")
		admin.api("PATCH", "/groups/retinal", map[string]any{"archived": true}).must(t, http.StatusOK)

		for _, slug := range []string{"private", "retinal"} {
			for _, req := range []struct{ method, path string }{
				{"GET", "/groups/" + slug},
				{"GET", "/groups/" + slug + "/members"},
				{"GET", "/groups/" + slug + "/messages"},
				{"POST", "/groups/" + slug + "/join"},
			} {
				if r := mod.api(req.method, req.path, nil); r.Status != http.StatusNotFound {
					t.Errorf("community moderator %s %s: %d %s, want 404", req.method, req.path, r.Status, qaShort(r.Raw))
				}
			}
			for _, who := range []string{mod.userID, teen.userID} {
				if r := mod.api("POST", "/groups/"+slug+"/invites", map[string]any{"user_id": who}); r.Status != http.StatusNotFound {
					t.Errorf("community moderator invites into %s: %d %s, want 404", slug, r.Status, qaShort(r.Raw))
				}
			}
			for _, q := range []string{"", "?archived=true"} {
				if slugs := qaGroupSlugs(mod.api("GET", "/groups"+q, nil).must(t, http.StatusOK)); slices.Contains(slugs, slug) {
					t.Errorf("community moderator lists %s (%q)", slug, q)
				}
			}
		}
		// No socket subscription either.
		mws, err := mod.dialWS(h)
		if err != nil {
			t.Fatal(err)
		}
		mws.send(map[string]any{"type": "subscribe", "group": "private"})
		if ev := mws.next(func(ev wsEvent) bool { return ev.Type == "error" || ev.Type == "subscribed" }, 10*time.Second); ev.Type != "error" {
			t.Errorf("community moderator subscribed to the invite-only group: %+v", ev)
		}

		// A queue item in the group reaches them, with its context only.
		reporter.api("POST", "/groups/private/messages/"+flagged.ID+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusCreated)
		it := queueItem(t, mod, flagged.ID)
		cs := mod.api("GET", "/moderation/items/"+it["id"].(string), nil).must(t, http.StatusOK)
		if !strings.Contains(string(cs.Raw), "miracle detox") {
			t.Errorf("the case lacks the flagged message: %s", cs.Raw)
		}
		mod.api("POST", "/moderation/items/"+it["id"].(string)+"/actions", map[string]any{"version": version(it), "action": "remove"}).must(t, http.StatusOK)
		// Still closed afterwards.
		mod.api("GET", "/groups/private/messages", nil).must(t, http.StatusNotFound)

		// Admins and the group's assigned moderator still reach it.
		admin.api("GET", "/groups/private/members", nil).must(t, http.StatusOK)
		assigned.api("GET", "/groups/private/messages", nil).must(t, http.StatusOK)
		assigned.api("POST", "/groups/private/invites", map[string]any{"user_id": mod.userID}).must(t, http.StatusNoContent)
		// Once invited, the moderator sees it like any invitee.
		mod.api("GET", "/groups/private", nil).must(t, http.StatusOK)
	})
}
