package main

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
)

// queueItem finds the pending queue item of a message, as c sees the queue.
func queueItem(t *testing.T, c *client, messageID string) map[string]any {
	t.Helper()
	q := c.api("GET", "/moderation/queue", nil).must(t, http.StatusOK)
	for _, it := range q.Body["items"].([]any) {
		if m := it.(map[string]any); m["message_id"] == messageID {
			return m
		}
	}
	t.Fatalf("no queue item for %s in %s", messageID, q.Raw)
	return nil
}

func version(it map[string]any) int { return int(it["version"].(float64)) }

func TestHeldMessagesAppearOnlyWhenApproved(t *testing.T) {
	cl := newCluster(t, 2)
	a, b := cl.hubs[0], cl.hubs[1]
	admin := a.createTenant("calm")
	teenA, teenB := a.signUp("calm", "Finch", "teen"), b.signUp("calm", "Robin", "teen")
	for _, c := range []*client{teenA, teenB} {
		c.api("POST", "/groups/teen/join", nil).must(t, http.StatusOK)
	}
	wsA, wsB := teenA.live(a, "teen"), teenB.live(b, "teen")

	// The teen group holds every post: acked as held, seen by nobody yet.
	ack1 := wsA.say("teen", "c1", "first: exams tomorrow and my head is pounding")
	ack2 := wsA.say("teen", "c2", "second: the dark room helped a bit")
	if !ack1.Held || ack1.Seq != 0 || !ack2.Held {
		t.Fatalf("acks of held messages: %+v %+v", ack1, ack2)
	}
	if again := wsA.say("teen", "c1", "first: exams tomorrow and my head is pounding"); again.ID != ack1.ID || !again.Held {
		t.Fatalf("a resend of a held message must get the same held ack: %+v", again)
	}
	wsB.quiet(ofType(realtime.TypeMessage), 300*time.Millisecond)

	it1, it2 := queueItem(t, admin, ack1.ID), queueItem(t, admin, ack2.ID)
	if it1["held"] != true || it1["held_by_policy"] != true {
		t.Fatalf("queue item: %v", it1)
	}
	// Approved in their order, they arrive in that order on both instances.
	admin.api("POST", "/moderation/items/"+it1["id"].(string)+"/actions", map[string]any{"version": version(it1), "action": "approve"}).must(t, http.StatusOK)
	admin.api("POST", "/moderation/items/"+it2["id"].(string)+"/actions", map[string]any{"version": version(it2), "action": "approve"}).must(t, http.StatusOK)
	for _, ws := range []*wsClient{wsA, wsB} {
		got := ws.messages("teen", 2, 10*time.Second)
		if got[0].ID != ack1.ID || got[1].ID != ack2.ID || got[1].Seq != got[0].Seq+1 || got[0].ClientID != "c1" {
			t.Fatalf("released messages: %+v", got)
		}
	}
	// A late retry of an approved message gets its real ack.
	if late := wsA.say("teen", "c2", "second: the dark room helped a bit"); late.Held || late.Seq == 0 || late.ID != ack2.ID {
		t.Fatalf("retry after approval: %+v", late)
	}
	// A removed held message never appears.
	ack3 := wsA.say("teen", "c3", "third: never mind")
	it3 := queueItem(t, admin, ack3.ID)
	admin.api("POST", "/moderation/items/"+it3["id"].(string)+"/actions", map[string]any{"version": version(it3), "action": "remove", "note": "off topic"}).must(t, http.StatusOK)
	wsB.quiet(func(ev wsEvent) bool { return ev.ID == ack3.ID }, 300*time.Millisecond)
	if h := teenB.api("GET", "/groups/teen/messages", nil).must(t, http.StatusOK); strings.Contains(string(h.Raw), "never mind") {
		t.Errorf("rejected message in history: %s", h.Raw)
	}
}

func TestModerationRaceLeaseAndScope(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	other := h.createTenant("other")
	author := h.signUp("calm", "Wren", "adult")
	reporter := h.signUp("calm", "Moth", "adult")
	modA, modB := h.signUp("calm", "Heron", "adult"), h.signUp("calm", "Egret", "adult")
	groupMod := h.signUp("calm", "Plover", "adult")
	for _, m := range []*client{modA, modB} {
		admin.api("PUT", "/users/"+m.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)
		m.signIn(strings.ToLower(map[*client]string{modA: "Heron", modB: "Egret"}[m])+"@example.org", "a long enough password").must(t, http.StatusOK)
	}
	admin.api("PUT", "/groups/chronic/moderators/"+groupMod.userID, nil).must(t, http.StatusNoContent)
	for _, c := range []*client{author, reporter} {
		c.api("POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
	}
	ws := author.live(h, "vestibular")
	ack := ws.say("vestibular", "v1", "Has anyone tried vestibular rehab exercises?")

	// Flags: reason checked, not your own, once per member.
	flagPath := "/groups/vestibular/messages/" + ack.ID + "/flags"
	reporter.api("POST", flagPath, map[string]any{"reason": "rumour"}).must(t, http.StatusUnprocessableEntity)
	reporter.api("POST", flagPath, map[string]any{"reason": "other"}).must(t, http.StatusUnprocessableEntity)
	author.api("POST", flagPath, map[string]any{"reason": "spam"}).must(t, http.StatusUnprocessableEntity)
	reporter.api("POST", flagPath, map[string]any{"reason": "spam", "note": "selling something?"}).must(t, http.StatusCreated)
	reporter.api("POST", flagPath, map[string]any{"reason": "spam"}).must(t, http.StatusConflict)
	other.api("POST", "/groups/vestibular/messages/"+ack.ID+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusNotFound)

	// Scope: another tenant and a moderator of another group see nothing.
	it := queueItem(t, modA, ack.ID)
	itemPath := "/moderation/items/" + it["id"].(string)
	other.api("GET", itemPath, nil).must(t, http.StatusNotFound)
	groupMod.api("GET", itemPath, nil).must(t, http.StatusNotFound)
	if q := groupMod.api("GET", "/moderation/queue", nil).must(t, http.StatusOK); strings.Contains(string(q.Raw), ack.ID) {
		t.Errorf("a moderator of chronic sees a vestibular item: %s", q.Raw)
	}
	reporter.api("GET", "/moderation/queue", nil).must(t, http.StatusForbidden)
	if cs := modA.api("GET", itemPath, nil).must(t, http.StatusOK); len(cs.Body["flags"].([]any)) != 1 || len(cs.Body["context"].([]any)) != 1 {
		t.Errorf("case: %s", cs.Raw)
	}

	// Claims: one holder at a time until the lease runs out.
	v := version(it)
	claimed := modA.api("POST", itemPath+"/claim", map[string]any{"version": v}).must(t, http.StatusOK)
	v = version(claimed.Body)
	modB.api("POST", itemPath+"/claim", map[string]any{"version": v}).must(t, http.StatusConflict)
	modB.api("POST", itemPath+"/actions", map[string]any{"version": v, "action": "dismiss"}).must(t, http.StatusConflict)
	if q := queueItem(t, modB, ack.ID); q["claimed_by_name"] != "Heron" {
		t.Errorf("others see who claimed it: %v", q)
	}
	h.clock.Advance(6 * time.Minute)
	v = version(modB.api("POST", itemPath+"/claim", map[string]any{"version": v}).must(t, http.StatusOK).Body)
	modB.api("POST", itemPath+"/release", map[string]any{"version": v}).must(t, http.StatusOK)
	v++

	// Two moderators act at once on the same version: exactly one wins.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, m := range []*client{modA, modB} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = m.api("POST", itemPath+"/actions", map[string]any{"version": v, "action": "remove", "note": "selling"}).Status
		}()
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 200) {
		t.Fatalf("concurrent actions: %v", statuses)
	}
	removed := ws.next(ofType(realtime.TypeRemoved), 5*time.Second)
	if removed.ID != ack.ID || !strings.Contains(removed.Reason, "selling") {
		t.Errorf("removal event: %+v", removed)
	}
	// The reporter learns the outcome.
	if f := reporter.api("GET", "/me/flags", nil).must(t, http.StatusOK); !strings.Contains(string(f.Raw), `"outcome":"removed"`) {
		t.Errorf("reporter's flags: %s", f.Raw)
	}
	// Everything is in the log, and the CSV export has one row per entry.
	log := admin.api("GET", "/moderation/audit", nil).must(t, http.StatusOK)
	for _, action := range []string{"flagged", "claimed", "released", "remove"} {
		if !strings.Contains(string(log.Raw), fmt.Sprintf(`"action":%q`, action)) {
			t.Errorf("audit lacks %s: %s", action, log.Raw)
		}
	}
	csv := admin.raw("GET", "/api/v1/t/calm/moderation/audit?format=csv", nil, nil).must(t, http.StatusOK)
	if lines := strings.Count(strings.TrimSpace(string(csv.Raw)), "\n"); lines != len(log.Body["entries"].([]any)) {
		t.Errorf("csv has %d rows for %d entries", lines, len(log.Body["entries"].([]any)))
	}
	modA.api("GET", "/moderation/audit", nil).must(t, http.StatusForbidden)
}

func TestCrisisLane(t *testing.T) {
	cl := newCluster(t, 2)
	a, b := cl.hubs[0], cl.hubs[1]
	admin := a.createTenant("calm")
	member, friend := a.signUp("calm", "Lark", "adult"), b.signUp("calm", "Teal", "adult")
	for _, c := range []*client{member, friend} {
		c.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	}
	adminWS, err := admin.dialWS(b) // the moderator is online on the other instance
	if err != nil {
		t.Fatal(err)
	}
	ws, friendWS := member.live(a, "chronic"), friend.live(b, "chronic")

	ack := ws.say("chronic", "k1", "I can't do this anymore, I want to end my life tonight")
	if ack.Held || ack.Seq == 0 {
		t.Fatalf("a crisis message is never held: %+v", ack)
	}
	notice := ws.next(ofType(realtime.TypeNotice), 5*time.Second)
	if notice.Code != "crisis_support" || !strings.Contains(notice.Message, "emergency number") {
		t.Errorf("crisis notice: %+v", notice)
	}
	friendWS.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.ID == ack.ID }, 5*time.Second)
	friendWS.quiet(ofType(realtime.TypeNotice), 200*time.Millisecond)
	alert := adminWS.next(ofType(realtime.TypeModeration), 5*time.Second)
	if alert.Code != "crisis" || alert.Item == "" {
		t.Errorf("moderator alert: %+v", alert)
	}

	// It outranks everything else in the queue.
	friendWS.say("chronic", "k2", "it's just a headache, stop faking it")
	q := admin.api("GET", "/moderation/queue", nil).must(t, http.StatusOK)
	items := q.Body["items"].([]any)
	if len(items) != 2 || items[0].(map[string]any)["message_id"] != ack.ID || items[0].(map[string]any)["crisis"] != true {
		t.Fatalf("queue order: %s", q.Raw)
	}
	if items[1].(map[string]any)["held"] != true {
		t.Errorf("shaming is held for review: %v", items[1])
	}
	// Negated and reported speech passes untouched.
	benign := ws.say("chronic", "k3", "My aunt said it's just a headache and that really hurt.")
	if benign.Held {
		t.Errorf("reported speech held: %+v", benign)
	}
	if q := admin.api("GET", "/moderation/queue", nil).must(t, http.StatusOK); len(q.Body["items"].([]any)) != 2 {
		t.Errorf("benign message queued: %s", q.Raw)
	}
	// Admins can test text against the rules.
	ex := admin.api("POST", "/moderation/screening/test", map[string]any{"text": "there is no cure, but my preventive helps"}).must(t, http.StatusOK)
	if ex.Body["action"] != "" {
		t.Errorf("explain: %s", ex.Raw)
	}
	member.api("POST", "/moderation/screening/test", map[string]any{"text": "x"}).must(t, http.StatusForbidden)
}

func TestTenantScreeningRules(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	admin := h.createTenant("calm")
	other := h.createTenant("other")
	member := h.signUp("calm", "Wren", "adult")
	member.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	ws := member.live(h, "chronic")

	rules := admin.api("GET", "/moderation/rules", nil).must(t, http.StatusOK)
	if !strings.Contains(string(rules.Raw), `"id":"shaming.just-a-headache"`) {
		t.Fatalf("rules: %s", rules.Raw)
	}
	member.api("PATCH", "/moderation/rules/shaming.just-a-headache", map[string]any{"enabled": false}).must(t, http.StatusForbidden)
	admin.api("PATCH", "/moderation/rules/no.such-rule", map[string]any{"enabled": false}).must(t, http.StatusNotFound)

	// Switching a built-in rule off stops that rule; the model still reads
	// the category, so letting such messages through here also takes the
	// category's thresholds (here only: the other community keeps both).
	admin.api("PATCH", "/moderation/rules/shaming.just-a-headache", map[string]any{"enabled": false}).must(t, http.StatusNoContent)
	admin.api("PUT", "/moderation/screening/thresholds/shaming", map[string]any{"uncertain": 0.999, "confident": 1}).must(t, http.StatusOK)
	if ack := ws.say("chronic", "r1", "it's just a headache, stop faking it"); ack.Held {
		t.Errorf("a disabled rule still held: %+v", ack)
	}
	ex := other.api("POST", "/moderation/screening/test", map[string]any{"text": "it's just a headache, stop faking it"}).must(t, http.StatusOK)
	if ex.Body["action"] != "hold" {
		t.Errorf("another community's rules changed: %s", ex.Raw)
	}

	// A new rule in shadow mode records what it would catch and does nothing.
	bad := admin.api("POST", "/moderation/rules", map[string]any{"name": "Bad Name", "category": "gossip", "severity": "huge", "description": "x", "terms": []string{}}).
		must(t, http.StatusUnprocessableEntity)
	for _, f := range []string{"name", "category", "severity", "description", "terms"} {
		if bad.Field(f) == "" {
			t.Errorf("no error for %s: %s", f, bad.Raw)
		}
	}
	admin.api("POST", "/moderation/rules", map[string]any{"name": "beans", "category": "misinformation", "severity": "high",
		"description": "A local scam product", "terms": []string{"magic migraine beans"}, "shadow": true}).must(t, http.StatusCreated)
	if ack := ws.say("chronic", "r2", "You should all buy Magic Migraine Beans"); ack.Held {
		t.Errorf("a shadow rule acted: %+v", ack)
	}
	if log := admin.api("GET", "/moderation/audit", nil).must(t, http.StatusOK); !strings.Contains(string(log.Raw), `"action":"shadow_match"`) ||
		!strings.Contains(string(log.Raw), "tenant.beans") {
		t.Errorf("shadow match not recorded: %s", log.Raw)
	}
	admin.api("PATCH", "/moderation/rules/tenant.beans", map[string]any{"shadow": false}).must(t, http.StatusNoContent)
	if ack := ws.say("chronic", "r3", "magic   m1graine beans fixed me"); !ack.Held {
		t.Errorf("the tenant rule does not hold: %+v", ack)
	}
	admin.api("DELETE", "/moderation/rules/tenant.beans", nil).must(t, http.StatusNoContent)
	admin.api("DELETE", "/moderation/rules/shaming.just-a-headache", nil).must(t, http.StatusNotFound)

	// The crisis notice gives the community's own number and lines.
	admin.api("PUT", "/moderation/settings", map[string]any{"emergency_number": "999", "crisis_lines": "Samaritans: 116 123, day or night."}).must(t, http.StatusOK)
	ws.say("chronic", "r4", "I want to end my life")
	notice := ws.next(ofType(realtime.TypeNotice), 5*time.Second)
	if !strings.Contains(notice.Message, "call 999 now") || !strings.Contains(notice.Message, "Samaritans: 116 123") {
		t.Errorf("crisis notice: %q", notice.Message)
	}
}

func TestRemovalUndoAppealAndAuthorActions(t *testing.T) {
	cl := newCluster(t, 2)
	a, b := cl.hubs[0], cl.hubs[1]
	admin := a.createTenant("calm")
	author, reader := a.signUp("calm", "Wren", "adult"), b.signUp("calm", "Moth", "adult")
	modA, modB := a.signUp("calm", "Heron", "adult"), a.signUp("calm", "Egret", "adult")
	for name, m := range map[string]*client{"heron": modA, "egret": modB} {
		admin.api("PUT", "/users/"+m.userID+"/roles", map[string]any{"roles": []string{"member", "moderator"}}).must(t, http.StatusOK)
		m.signIn(name+"@example.org", "a long enough password").must(t, http.StatusOK)
	}
	for _, c := range []*client{author, reader} {
		c.api("POST", "/groups/menstrual/join", nil).must(t, http.StatusOK)
	}
	wsAuthor, wsReader := author.live(a, "menstrual"), reader.live(b, "menstrual")
	text := "Cycle tracking helped me see the pattern before my period"
	ack := wsAuthor.say("menstrual", "m1", text)
	wsReader.messages("menstrual", 1, 5*time.Second)
	reader.api("POST", "/groups/menstrual/messages/"+ack.ID+"/flags", map[string]any{"reason": "privacy"}).must(t, http.StatusCreated)

	// Removed on hub a, the tombstone reaches the reader on hub b.
	it := queueItem(t, modA, ack.ID)
	itemPath := "/moderation/items/" + it["id"].(string)
	done := modA.api("POST", itemPath+"/actions", map[string]any{"version": version(it), "action": "remove"}).must(t, http.StatusOK)
	if rm := wsReader.next(ofType(realtime.TypeRemoved), 5*time.Second); rm.ID != ack.ID {
		t.Fatalf("removal on the other instance: %+v", rm)
	}
	// Undone within the window: the message comes back, everywhere.
	modA.api("POST", itemPath+"/undo", map[string]any{"version": version(done.Body)}).must(t, http.StatusOK)
	if back := wsReader.next(ofType(realtime.TypeRestored), 5*time.Second); back.ID != ack.ID || back.Text != text {
		t.Fatalf("restore on the other instance: %+v", back)
	}
	// Removed again, and too late to undo.
	it = queueItem(t, modA, ack.ID)
	done = modA.api("POST", itemPath+"/actions", map[string]any{"version": version(it), "action": "remove", "note": "personal details"}).must(t, http.StatusOK)
	a.clock.Advance(6 * time.Minute)
	modA.api("POST", itemPath+"/undo", map[string]any{"version": version(done.Body)}).must(t, http.StatusConflict)

	// The author appeals once; the appeal goes to another moderator.
	appealPath := "/groups/menstrual/messages/" + ack.ID + "/appeal"
	reader.api("POST", appealPath, map[string]any{"text": "not mine"}).must(t, http.StatusNotFound)
	author.api("POST", appealPath, map[string]any{"text": ""}).must(t, http.StatusUnprocessableEntity)
	author.api("POST", appealPath, map[string]any{"text": "It was about my own cycle, nobody else's details."}).must(t, http.StatusOK)
	author.api("POST", appealPath, map[string]any{"text": "again"}).must(t, http.StatusConflict)
	if q := modA.api("GET", "/moderation/queue", nil).must(t, http.StatusOK); strings.Contains(string(q.Raw), ack.ID) {
		t.Errorf("the moderator who removed it sees the appeal: %s", q.Raw)
	}
	modA.api("GET", itemPath, nil).must(t, http.StatusForbidden)
	appeal := queueItem(t, modB, ack.ID)
	if appeal["appeal"] != "It was about my own cycle, nobody else's details." {
		t.Errorf("appeal item: %v", appeal)
	}
	modB.api("POST", itemPath+"/actions", map[string]any{"version": version(appeal), "action": "dismiss"}).must(t, http.StatusUnprocessableEntity)
	modB.api("POST", itemPath+"/actions", map[string]any{"version": version(appeal), "action": "approve"}).must(t, http.StatusOK)
	if back := wsReader.next(ofType(realtime.TypeRestored), 5*time.Second); back.ID != ack.ID {
		t.Fatalf("appeal granted: %+v", back)
	}

	// Warn, mute and escalate.
	ack2 := wsAuthor.say("menstrual", "m2", "Second message")
	reader.api("POST", "/groups/menstrual/messages/"+ack2.ID+"/flags", map[string]any{"reason": "other", "note": "rude"}).must(t, http.StatusCreated)
	it2 := queueItem(t, modA, ack2.ID)
	path2 := "/moderation/items/" + it2["id"].(string) + "/author-actions"
	modA.api("POST", path2, map[string]any{"action": "warn"}).must(t, http.StatusUnprocessableEntity)
	modA.api("POST", path2, map[string]any{"action": "warn", "note": "please keep it kind"}).must(t, http.StatusOK)
	if w := wsAuthor.next(ofType(realtime.TypeNotice), 5*time.Second); w.Code != "warning" || !strings.Contains(w.Message, "please keep it kind") {
		t.Errorf("warning: %+v", w)
	}
	modA.api("POST", path2, map[string]any{"action": "mute", "minutes": 0}).must(t, http.StatusUnprocessableEntity)
	modA.api("POST", path2, map[string]any{"action": "mute", "minutes": 30, "note": "cool down"}).must(t, http.StatusOK)
	wsAuthor.next(func(ev wsEvent) bool { return ev.Type == realtime.TypeUnsubscribed }, 5*time.Second)
	wsAuthor.subscribe("menstrual", nil)
	wsAuthor.send(map[string]any{"type": "send", "group": "menstrual", "client_id": "m3", "text": "am I muted?"})
	if e := wsAuthor.next(ofType(realtime.TypeError), 5*time.Second); e.Code != "muted" {
		t.Errorf("muted author's send: %+v", e)
	}
	modA.api("POST", path2, map[string]any{"action": "escalate", "note": "needs an admin"}).must(t, http.StatusOK)
	if q := modB.api("GET", "/moderation/queue", nil).must(t, http.StatusOK); strings.Contains(string(q.Raw), ack2.ID) {
		t.Errorf("escalated item still shown to a moderator: %s", q.Raw)
	}
	queueItem(t, admin, ack2.ID)

	st := admin.api("GET", "/moderation/stats", nil).must(t, http.StatusOK)
	if st.Body["pending"] != float64(1) || st.Body["actions_by_type"].(map[string]any)["remove"] != float64(2) {
		t.Errorf("stats: %s", st.Raw)
	}
	reader.api("GET", "/moderation/stats", nil).must(t, http.StatusForbidden)
}

func TestCorrectionPointsToTheLibrary(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	admin := h.createTenant("calm")
	member := h.signUp("calm", "Wren", "adult")
	member.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
	ws := member.live(h, "chronic")
	ack := ws.say("chronic", "c1", "Buy my detox tea, it cures migraine forever!")
	if ack.Held {
		t.Fatalf("queued, not held: %+v", ack)
	}
	ws.messages("chronic", 1, 5*time.Second)
	it := queueItem(t, admin, ack.ID)
	path := "/moderation/items/" + it["id"].(string) + "/correction"
	bad := admin.api("POST", path, map[string]any{"version": version(it), "note": "", "article": "no-such-article"}).must(t, http.StatusUnprocessableEntity)
	if bad.Field("note") == "" || bad.Field("article") == "" {
		t.Errorf("correction errors: %s", bad.Raw)
	}
	done := admin.api("POST", path, map[string]any{"version": version(it),
		"note": "There is no cure for migraine yet, but many treatments help.", "article": "treatment-overview"}).must(t, http.StatusOK)
	if done.Body["resolution"] != "correct" {
		t.Errorf("resolved: %s", done.Raw)
	}
	note := ws.messages("chronic", 1, 5*time.Second)[0]
	if !strings.Contains(note.Author.Name, "(moderator)") || note.Author.Role != "admin" || !strings.Contains(note.Text, "/t/calm/library/treatment-overview") ||
		!strings.Contains(note.Text, "Wren's message") {
		t.Errorf("correction message: %+v", note)
	}
	// The corrected message itself stays.
	if hist := member.api("GET", "/groups/chronic/messages", nil).must(t, http.StatusOK); !strings.Contains(string(hist.Raw), "detox tea") {
		t.Errorf("the corrected message was removed: %s", hist.Raw)
	}
}
