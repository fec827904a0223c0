package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"quietroom/internal/store"
)

func TestModerationPages(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("calm")
	author := h.signUp("calm", "Wren", "adult")
	author.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	ws := author.live(h, "chronic")
	held := ws.say("chronic", "p1", "Honestly it's just a headache, stop faking it")
	if !held.Held {
		t.Fatalf("shaming should be held: %+v", held)
	}

	admin := h.browser()
	admin.post("/t/calm/signin", url.Values{"email": {"admin@calm.example.org"}, "password": {"correct horse battery"}}).must(t, http.StatusSeeOther)
	queue := admin.get("/t/calm/moderation").must(t, http.StatusOK)
	link := regexp.MustCompile(`href="(/t/calm/moderation/[0-9a-f]+)"`).FindStringSubmatch(queue.Body)
	if link == nil || !queue.has("stop faking it") || !queue.has("Held: not yet seen by the group") || !queue.has(`href="/t/calm/moderation" aria-current="page"`) {
		t.Fatalf("queue page:\n%s", queue.Body)
	}
	cs := admin.get(link[1]).must(t, http.StatusOK)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(cs.Body)
	if version == nil || !cs.has("What the screening saw") || !cs.has("Approve: show it to the group") || cs.has(">Dismiss<") {
		t.Fatalf("case page:\n%s", cs.Body)
	}
	token := admin.csrf(link[1])

	// A stale version is refused on the page, with the reason.
	stale := admin.post(link[1], url.Values{"csrf_token": {token}, "version": {"99"}, "action": {"remove"}}).must(t, http.StatusConflict)
	if !stale.has("changed since you loaded it") {
		t.Errorf("stale version page:\n%s", stale.Body)
	}
	admin.post(link[1], url.Values{"csrf_token": {token}, "version": {version[1]}, "action": {"claim"}}).must(t, http.StatusSeeOther)
	claimed := admin.get(link[1]).must(t, http.StatusOK)
	if !claimed.has("Let someone else take it") {
		t.Fatalf("after claiming:\n%s", claimed.Body)
	}
	v2 := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(claimed.Body)[1]
	done := admin.post(link[1], url.Values{"csrf_token": {token}, "version": {v2}, "action": {"approve"}}).must(t, http.StatusSeeOther)
	if done.location() != "/t/calm/moderation?notice=item-resolved" {
		t.Fatalf("approve went to %q", done.location())
	}
	if ev := ws.messages("chronic", 1, 5e9)[0]; ev.ID != held.ID {
		t.Errorf("approved message: %+v", ev)
	}
	if q := admin.get("/t/calm/moderation"); !q.has("Nothing is waiting") {
		t.Errorf("queue after approval:\n%s", q.Body)
	}

	// Members have no queue; the author's own item is not theirs to see.
	member := h.browser()
	member.signUp("calm", "Moth")
	member.get("/t/calm/moderation").must(t, http.StatusForbidden)
	if s := member.get("/t/calm/settings"); !s.has("You have not flagged anything") || s.has(">Moderation<") {
		t.Errorf("member settings:\n%s", s.Body)
	}
	if strings.Contains(admin.get("/t/calm/groups").Body, `href="/t/calm/moderation"`) == false {
		t.Error("admins get a Moderation link in the header")
	}
}
