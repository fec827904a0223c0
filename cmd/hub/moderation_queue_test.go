package main

import (
	"net/http"
	"strings"
	"testing"

	"quietroom/internal/store"
)

// queueIDs lists the message ids of c's pending queue.
func queueIDs(t *testing.T, c *client) []string {
	t.Helper()
	q := c.api("GET", "/moderation/queue", nil).must(t, http.StatusOK)
	var ids []string
	for _, it := range q.Body["items"].([]any) {
		ids = append(ids, it.(map[string]any)["message_id"].(string))
	}
	return ids
}

// stats reads c's queue figures.
func stats(t *testing.T, c *client) (pending int, byReason map[string]any, hidden map[string]any) {
	t.Helper()
	st := c.api("GET", "/moderation/stats", nil).must(t, http.StatusOK)
	return int(st.Body["pending"].(float64)), st.Body["pending_by_reason"].(map[string]any), st.Body["hidden"].(map[string]any)
}

func num(m map[string]any, k string) int {
	v, _ := m[k].(float64)
	return int(v)
}

// The queue's counts agree with its list; items a moderator may not decide
// are counted apart and explained; with one moderator, items involving
// them go to the admins; groups are named by their display names.
func TestQueueCountsAgreeAndInvolvedItemsGoElsewhere(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	mod := h.signUp("calm", "Heron", "adult")
	admin.api("PUT", "/users/"+mod.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)
	mod.signIn("heron@example.org", "a long enough password").must(t, http.StatusOK)
	member, other := h.signUp("calm", "Wren", "adult"), h.signUp("calm", "Moth", "adult")
	for _, c := range []*client{mod, member, other} {
		c.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	}
	wsMod, wsMember := mod.live(h, "chronic"), member.live(h, "chronic")

	// 1. A member's message flagged by another member: the moderator's to decide.
	plain := wsMember.say("chronic", "m1", "Has anyone tried a cold pack on the neck?")
	other.api("POST", "/groups/chronic/messages/"+plain.ID+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusCreated)
	// 2. The moderator's own message, flagged by a member: the only moderator is involved.
	own := wsMod.say("chronic", "o1", "Coffee fixes every attack for me")
	f := member.api("POST", "/groups/chronic/messages/"+own.ID+"/flags", map[string]any{"reason": "misinformation"}).must(t, http.StatusCreated)
	if f.Body["notice"] != nil {
		t.Errorf("the admin can decide: the reporter needs no notice, got %v", f.Body["notice"])
	}
	// 3. A member's message the moderator flagged.
	flagged := wsMember.say("chronic", "m2", "Ginger tea is all anyone needs")
	mod.api("POST", "/groups/chronic/messages/"+flagged.ID+"/flags", map[string]any{"reason": "misinformation"}).must(t, http.StatusCreated)

	// The moderator's list holds the one item they may decide, and the counts say so.
	if ids := queueIDs(t, mod); len(ids) != 1 || ids[0] != plain.ID {
		t.Fatalf("moderator's queue: %v, want only %s", ids, plain.ID)
	}
	pending, byReason, hidden := stats(t, mod)
	if pending != 1 || num(byReason, "spam") != 1 || num(byReason, "misinformation") != 0 {
		t.Errorf("moderator's counts: pending %d by reason %v, want 1 spam", pending, byReason)
	}
	if num(hidden, "total") != 2 || num(hidden, "involve_you") != 2 || num(hidden, "no_one_else") != 0 {
		t.Errorf("moderator's hidden items: %v, want 2 involving them, all decidable by someone", hidden)
	}
	// Both went to the admin, who sees all three, named by the group's name.
	q := admin.api("GET", "/moderation/queue", nil).must(t, http.StatusOK)
	items := map[string]map[string]any{}
	for _, it := range q.Body["items"].([]any) {
		m := it.(map[string]any)
		items[m["message_id"].(string)] = m
	}
	for _, id := range []string{plain.ID, own.ID, flagged.ID} {
		it, ok := items[id]
		if !ok {
			t.Fatalf("admin's queue lacks %s: %s", id, q.Raw)
		}
		if it["group_name"] != "Chronic migraine" || it["group"] != "chronic" {
			t.Errorf("group names: %v / %v", it["group_name"], it["group"])
		}
		if want := id != plain.ID; it["escalated"] != want {
			t.Errorf("item about %s: escalated %v, want %v", id, it["escalated"], want)
		}
	}
	if p, _, hid := stats(t, admin); p != 3 || num(hid, "total") != 0 {
		t.Errorf("admin's counts: %d pending, hidden %v; want 3 and none", p, hid)
	}
	// The log says why they went to the admins.
	if log := admin.api("GET", "/moderation/audit", nil).must(t, http.StatusOK); !strings.Contains(string(log.Raw), "sent to the admins") {
		t.Errorf("the log does not say why items went to the admins: %s", log.Raw)
	}
	// The case page names the group too; the moderator still may not open the others.
	cs := admin.api("GET", "/moderation/items/"+items[own.ID]["id"].(string), nil).must(t, http.StatusOK)
	if cs.Body["group_name"] != "Chronic migraine" {
		t.Errorf("case group_name: %v", cs.Body["group_name"])
	}
	mod.api("GET", "/moderation/items/"+items[own.ID]["id"].(string), nil).must(t, http.StatusForbidden)
	mod.api("GET", "/moderation/items/"+items[flagged.ID]["id"].(string), nil).must(t, http.StatusForbidden)

	// The queue page says it in words, with the counts of the list.
	page := mod.raw("GET", "/t/calm/moderation", nil, map[string]string{"Accept": "text/html"}).must(t, http.StatusOK)
	body := string(page.Raw)
	for _, want := range []string{"<strong>1</strong> waiting for you", "2 more involve you", "another moderator must decide", "Wren in Chronic migraine"} {
		if !strings.Contains(body, want) {
			t.Errorf("queue page lacks %q", want)
		}
	}
	if strings.Count(body, `class="queue-item`) != 1 {
		t.Errorf("queue page lists %d items, want 1", strings.Count(body, `class="queue-item`))
	}
}

// A crisis item is never left with no one able to act: where the only
// moderator (the admin) flagged it, it stays in their queue; where the only
// moderator wrote it, the reporter is told no moderator can look.
func TestCrisisNeverLeftWithNoOneToAct(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm") // the admin is the community's only moderator
	member, other := h.signUp("calm", "Wren", "adult"), h.signUp("calm", "Moth", "adult")
	for _, c := range []*client{admin, member, other} {
		c.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	}
	wsAdmin, wsMember := admin.live(h, "chronic"), member.live(h, "chronic")

	// The admin flags a member's message as crisis: nobody else could decide it, so the admin may.
	low := wsMember.say("chronic", "m1", "Another long week, I am so tired of all this")
	f := admin.api("POST", "/groups/chronic/messages/"+low.ID+"/flags", map[string]any{"reason": "crisis", "note": "please check on her"}).must(t, http.StatusCreated)
	if n, _ := f.Body["notice"].(string); !strings.Contains(n, "your own queue") {
		t.Errorf("the reporting admin is told it is theirs: %q", n)
	}
	if ids := queueIDs(t, admin); len(ids) != 1 || ids[0] != low.ID {
		t.Fatalf("admin's queue: %v, want the crisis item they flagged", ids)
	}
	it := queueItem(t, admin, low.ID)
	admin.api("POST", "/moderation/items/"+it["id"].(string)+"/claim", map[string]any{"version": version(it)}).must(t, http.StatusOK)

	// A non-crisis flag by the admin stays out of their queue, counted as nobody's.
	spam := wsMember.say("chronic", "m2", "Buy my headache gadget")
	f = admin.api("POST", "/groups/chronic/messages/"+spam.ID+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusCreated)
	if n, _ := f.Body["notice"].(string); !strings.Contains(n, "no moderator is able") {
		t.Errorf("notice for a flag nobody can decide: %q", n)
	}
	if _, _, hidden := stats(t, admin); num(hidden, "involve_you") != 1 || num(hidden, "no_one_else") != 1 {
		t.Errorf("admin's hidden counts: %v", hidden)
	}

	// The only moderator wrote the message: a member's crisis flag is told the truth.
	mine := wsAdmin.say("chronic", "a1", "Some days I cannot see the point any more")
	f = other.api("POST", "/groups/chronic/messages/"+mine.ID+"/flags", map[string]any{"reason": "crisis"}).must(t, http.StatusCreated)
	if n, _ := f.Body["notice"].(string); !strings.Contains(n, "no moderator is able") || !strings.Contains(n, "emergency number") {
		t.Errorf("the reporter is not told the truth: %q", n)
	}
	// With a second moderator, the same flag would need no notice.
	mod := h.signUp("calm", "Heron", "adult")
	admin.api("PUT", "/users/"+mod.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)
	again := wsAdmin.say("chronic", "a2", "Nobody would notice if I was gone")
	f = other.api("POST", "/groups/chronic/messages/"+again.ID+"/flags", map[string]any{"reason": "crisis"}).must(t, http.StatusCreated)
	if f.Body["notice"] != nil {
		t.Errorf("a moderator can decide: no notice wanted, got %v", f.Body["notice"])
	}
}
