package main

import (
	"net/http"
	"testing"
	"time"

	"quietroom/internal/realtime"
)

// Issue 14, item 9 (staff marks): a message carries its author's staff role
// in the group as it was when it was sent (author.role, docs/protocol.md
// "message"), in the live event on every instance, in history and in a
// replay. The server sets it from the account, so a member whose name says
// "Moderator" gets none; stepping down or being promoted does not rewrite
// old messages, and a deleted account's messages lose it.
func TestMessageEventsCarryTheAuthorsStaffRole(t *testing.T) {
	cl := newCluster(t, 2)
	a, b := cl.hubs[0], cl.hubs[1]
	admin := a.createTenant("marks")
	gmod := a.signUp("marks", "Warden", "adult")
	admin.api("PUT", "/groups/chronic/moderators/"+gmod.userID, nil).must(t, http.StatusNoContent)
	tmod := a.signUp("marks", "Commod", "adult")
	admin.api("PUT", "/users/"+tmod.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)
	// Member-chosen names that claim a role get no mark.
	pretender := a.signUp("marks", "ModeratorTeam", "adult")
	reader := b.signUp("marks", "Reader", "adult")
	for _, c := range []*client{admin, gmod, tmod, pretender, reader} {
		c.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	}
	watch := reader.live(b, "chronic")

	want := map[string]string{} // message id -> the role it must carry
	say := func(c *client, clientID, text, role string) string {
		t.Helper()
		ack := c.live(a, "chronic").say("chronic", clientID, text)
		if ack.Seq == 0 {
			t.Fatalf("%s was not delivered: %+v", text, ack)
		}
		ev := watch.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == ack.ID }, 10*time.Second)
		if ev.Author == nil || ev.Author.Role != role {
			t.Errorf("live event of %q on the other instance: author %+v, want role %q", text, ev.Author, role)
		}
		want[ack.ID] = role
		return ack.ID
	}
	say(admin, "a1", "Welcome, everyone, take your time here", "admin")
	wardenOld := say(gmod, "g1", "I moderate this group: ask me anything", "moderator")
	say(tmod, "t1", "Community moderator here, saying hello", "moderator")
	pretenderOld := say(pretender, "p1", "Hello from the moderator team (not really)", "")
	say(reader, "r1", "Glad to be here, quiet evening", "")

	// Roles change: the old messages keep theirs, new ones carry the new role.
	admin.api("DELETE", "/groups/chronic/moderators/"+gmod.userID, nil).must(t, http.StatusNoContent)
	admin.api("PUT", "/groups/chronic/moderators/"+pretender.userID, nil).must(t, http.StatusNoContent)
	say(gmod, "g2", "Stepped down, still around as a member", "")
	say(pretender, "p2", "Now I really do moderate here", "moderator")

	checkHistory := func() map[string]map[string]any {
		t.Helper()
		hist := reader.api("GET", "/groups/chronic/messages", nil).must(t, http.StatusOK)
		byID := map[string]map[string]any{}
		for _, m := range hist.Body["messages"].([]any) {
			m := m.(map[string]any)
			byID[m["id"].(string)] = m["author"].(map[string]any)
		}
		return byID
	}
	hist := checkHistory()
	for id, role := range want {
		author, ok := hist[id]
		if !ok {
			t.Errorf("history lacks message %s", id)
			continue
		}
		if got, _ := author["role"].(string); got != role {
			t.Errorf("history: message %s by %v has role %q, want %q", id, author["name"], got, role)
		}
		if _, present := author["role"]; role == "" && present {
			t.Errorf("history: message %s by %v has a role field for a non-staff author: %v", id, author["name"], author)
		}
	}

	// A client resuming from the start replays the same roles.
	resume, err := reader.dialWS(a)
	if err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	resume.subscribe("chronic", &zero)
	for range want {
		ev := resume.next(func(ev wsEvent) bool { _, ok := want[ev.ID]; return ev.Type == realtime.TypeMessage && ok }, 10*time.Second)
		if ev.Author == nil || ev.Author.Role != want[ev.ID] {
			t.Errorf("replayed message %s: author %+v, want role %q", ev.ID, ev.Author, want[ev.ID])
		}
	}

	// A deleted account's messages become a former member's, with no mark.
	gmod.api("DELETE", "/me", map[string]any{"password": qaPassword}).must(t, http.StatusNoContent)
	hist = checkHistory()
	if author := hist[wardenOld]; author["name"] != realtime.FormerMember || author["role"] != nil {
		t.Errorf("a deleted moderator's message shows %v, want a former member without a role", author)
	}
	if author := hist[pretenderOld]; author["role"] != nil {
		t.Errorf("an earlier message of a member made moderator later shows %v", author)
	}
	replay, err := reader.dialWS(b)
	if err != nil {
		t.Fatal(err)
	}
	replay.subscribe("chronic", &zero)
	ev := replay.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == wardenOld }, 10*time.Second)
	if ev.Author == nil || ev.Author.Role != "" || ev.Author.Name != realtime.FormerMember {
		t.Errorf("replayed message of a deleted moderator: author %+v", ev.Author)
	}
}

// In a closed group a community moderator who was invited as a member is
// not staff there, and their messages carry no mark; the group's assigned
// moderator's do.
func TestStaffRoleInClosedGroupsIsTheGroupsOwn(t *testing.T) {
	cl := newCluster(t, 1)
	h := cl.hubs[0]
	admin, mod, insider, _, assigned := privateCircle(t, h, "closedmarks")
	admin.api("POST", "/groups/private/invites", map[string]any{"user_id": mod.userID}).must(t, http.StatusNoContent)
	mod.api("POST", "/groups/private/join", nil).must(t, http.StatusOK)
	for _, c := range []*client{assigned, admin} {
		admin.api("POST", "/groups/private/invites", map[string]any{"user_id": c.userID}).must(t, http.StatusNoContent)
		c.api("POST", "/groups/private/join", nil).must(t, http.StatusOK)
	}
	watch := insider.live(h, "private")
	for _, tc := range []struct {
		who  *client
		role string
	}{{mod, ""}, {assigned, "moderator"}, {admin, "admin"}, {insider, ""}} {
		ack := tc.who.live(h, "private").say("private", "m-"+tc.who.userID[:6], "a quiet word in the circle")
		ev := watch.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == ack.ID }, 10*time.Second)
		if ev.Author == nil || ev.Author.Role != tc.role {
			t.Errorf("%s's message in the closed group: author %+v, want role %q", tc.who.userID, ev.Author, tc.role)
		}
	}
}

// Roles changed while a member is connected take effect on the sockets
// they already have, on every instance: an admin demoted to member can no
// longer subscribe to a closed group they only read as admin, a moderator
// who steps down posts without the mark, and a member made moderator
// posts with it, without reconnecting.
func TestRolesChangedWhileConnectedTakeEffectOnOpenSockets(t *testing.T) {
	cl := newCluster(t, 2)
	a, b := cl.hubs[0], cl.hubs[1]
	admin, mod, _, _, _ := privateCircle(t, a, "rolechange")
	deputy := a.signUp("rolechange", "Deputy", "adult")
	plain := a.signUp("rolechange", "Plainly", "adult")
	admin.api("PUT", "/users/"+deputy.userID+"/roles", map[string]any{"roles": []string{"member", "admin"}}).must(t, http.StatusOK)
	for _, c := range []*client{mod, plain} {
		c.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	}
	// Sockets opened before the changes, on the other instance.
	wsDeputy, err := deputy.dialWS(b)
	if err != nil {
		t.Fatal(err)
	}
	wsDeputy.subscribe("private", nil)
	wsMod, wsPlain := mod.live(b, "chronic"), plain.live(b, "chronic")
	watch := admin.live(a, "chronic")
	roleOf := func(ws *wsClient, clientID, text string) string {
		t.Helper()
		ack := ws.say("chronic", clientID, text)
		ev := watch.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == ack.ID }, 10*time.Second)
		return ev.Author.Role
	}
	if got := roleOf(wsMod, "m1", "Moderating this evening"); got != "moderator" {
		t.Fatalf("before: the moderator's role is %q", got)
	}

	admin.api("PUT", "/users/"+deputy.userID+"/roles", map[string]any{"roles": []string{"member"}}).must(t, http.StatusOK)
	admin.api("PUT", "/users/"+mod.userID+"/roles", map[string]any{"roles": []string{"member"}}).must(t, http.StatusOK)
	admin.api("PUT", "/users/"+plain.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)

	// The deputy's read of the closed group ends, and it cannot be taken up again.
	wsDeputy.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeUnsubscribed && ev.Group == "private" }, 10*time.Second)
	wsDeputy.send(map[string]any{"type": "subscribe", "group": "private"})
	ev := wsDeputy.next(func(ev wsEvent) bool {
		return ev.Group == "private" && (ev.Type == realtime.TypeSubscribed || ev.Type == realtime.TypeError)
	}, 10*time.Second)
	if ev.Type != realtime.TypeError {
		t.Errorf("a demoted admin subscribed again to an invite-only group on a socket opened before: %+v", ev)
	}
	// Marks follow the roles as they are now.
	for _, ws := range []*wsClient{wsMod, wsPlain} {
		ws.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeUnsubscribed && ev.Group == "chronic" }, 10*time.Second)
		ws.subscribe("chronic", nil)
	}
	if got := roleOf(wsMod, "m2", "Just a member now"); got != "" {
		t.Errorf("a moderator who stepped down posts with role %q", got)
	}
	if got := roleOf(wsPlain, "p1", "Moderating from today"); got != "moderator" {
		t.Errorf("a member made moderator posts with role %q", got)
	}
}
