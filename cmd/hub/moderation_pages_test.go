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

func TestModerationAdminPagesAndAppeal(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("calm")
	admin := h.browser()
	admin.post("/t/calm/signin", url.Values{"email": {"admin@calm.example.org"}, "password": {"correct horse battery"}}).must(t, http.StatusSeeOther)
	token := admin.csrf("/t/calm/moderation/rules")

	tested := admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"test"}, "text": {"my aunt said it's just a headache"}}).must(t, http.StatusOK)
	if !tested.has("goes through") || !tested.has("suppressed") {
		t.Errorf("test box:\n%s", tested.Body)
	}
	admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"switch"}, "rule": {"shaming.just-a-headache"}, "what": {"shadow"}, "value": {"on"}}).
		must(t, http.StatusSeeOther)
	if r := admin.get("/t/calm/moderation/rules"); !regexp.MustCompile(`shaming.just-a-headache</code>[\s\S]*?<td>shadow</td>`).MatchString(r.Body) {
		t.Errorf("rule not in shadow:\n%s", r.Body)
	}
	bad := admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"add"}, "name": {"Bad Name"}, "category": {"spam"},
		"severity": {"low"}, "description": {"x"}, "terms": {""}}).must(t, http.StatusUnprocessableEntity)
	if !bad.has(`id="rule-name-error"`) || !bad.has(`id="rule-terms-error"`) {
		t.Errorf("add rule errors:\n%s", bad.Body)
	}
	admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"settings"}, "emergency_number": {"112"}, "crisis_lines": {"Helpline 0800 000"}}).
		must(t, http.StatusSeeOther)
	if r := admin.get("/t/calm/moderation/rules"); !r.has(`value="112"`) {
		t.Errorf("crisis settings not kept")
	}

	// A removal the author appeals from Settings.
	author := h.client("calm")
	author.api("POST", "/auth/signup", map[string]any{"email": "wren@example.org", "password": "a long enough password",
		"display_name": "Wren", "age_bracket": "adult", "accept_guidelines": true}).must(t, http.StatusAccepted)
	authorPage := h.browser()
	authorPage.post("/t/calm/signin", url.Values{"email": {"wren@example.org"}, "password": {"a long enough password"}}).must(t, http.StatusSeeOther)
	signedAuthor := h.client("calm")
	signedAuthor.signIn("wren@example.org", "a long enough password").must(t, http.StatusOK)
	signedAuthor.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	ws := signedAuthor.live(h, "chronic")
	ack := ws.say("chronic", "a1", "Buy my detox tea, it cures migraine forever!")
	adminAPI := h.client("calm")
	adminAPI.signIn("admin@calm.example.org", "correct horse battery").must(t, http.StatusOK)
	it := queueItem(t, adminAPI, ack.ID)
	adminAPI.api("POST", "/moderation/items/"+it["id"].(string)+"/actions", map[string]any{"version": version(it), "action": "remove", "note": "selling"}).must(t, http.StatusOK)

	settings := authorPage.get("/t/calm/settings").must(t, http.StatusOK)
	if !settings.has("Your removed messages") || !settings.has("detox tea") {
		t.Fatalf("author settings:\n%s", settings.Body)
	}
	at := authorPage.csrf("/t/calm/settings")
	sent := authorPage.post("/t/calm/settings/appeal/"+ack.ID, url.Values{"csrf_token": {at}, "text": {"It was a joke"}}).must(t, http.StatusSeeOther)
	if sent.location() != "/t/calm/settings?notice=appeal-sent" {
		t.Fatalf("appeal went to %q", sent.location())
	}
	if s := authorPage.get("/t/calm/settings"); !s.has("Your appeal is waiting") {
		t.Errorf("appeal not shown:\n%s", s.Body)
	}

	queue := admin.get("/t/calm/moderation").must(t, http.StatusOK)
	// The appeal is against the admin's own removal, and nobody else moderates
	// here: the count says so rather than promising an item the list lacks.
	if !queue.has(`class="bar-chart"`) || !queue.has("At a glance") || !queue.has(">0</strong> waiting for you") ||
		!queue.has("1 more involves you") || !queue.has("nobody able to decide") {
		t.Errorf("queue charts:\n%s", queue.Body)
	}
	log := admin.get("/t/calm/moderation/audit").must(t, http.StatusOK)
	for _, want := range []string{"appealed", "remove", "rule_switched", "Download CSV"} {
		if !log.has(want) {
			t.Errorf("audit page lacks %s", want)
		}
	}
	authorPage.get("/t/calm/moderation/rules").must(t, http.StatusForbidden)
	authorPage.get("/t/calm/moderation/audit").must(t, http.StatusForbidden)
}
