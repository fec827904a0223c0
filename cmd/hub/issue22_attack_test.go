package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/mail"
	"quietroom/internal/realtime"
)

// attackMode reads attack_mode from GET /me.
func attackMode(t *testing.T, c *client) map[string]any {
	t.Helper()
	me := c.api("GET", "/me", nil).must(t, http.StatusOK)
	mode, ok := me.Body["user"].(map[string]any)["attack_mode"].(map[string]any)
	if !ok {
		t.Fatalf("no attack_mode in /me: %s", me.Raw)
	}
	return mode
}

// presenceOf returns the presence entry of name in a presence event.
func presenceOf(ev wsEvent, name string) (realtime.Author, bool) {
	for _, a := range ev.Online {
		if a.Name == name {
			return a, true
		}
	}
	return realtime.Author{}, false
}

// Issue 22: attack mode is state of the account. Turned on from one
// device, every open socket of the member on every instance hears it at
// once; others in their groups see them away (never "in an attack"); off
// brings them back the same way.
func TestAttackModeReachesEveryDeviceAndReadsAwayToOthers(t *testing.T) {
	cl := newCluster(t, 2)
	cl.hubs[0].createTenant("calm")
	kit := joinedMember(t, cl.hubs[0], "calm", "Kit", "chronic")
	ash := joinedMember(t, cl.hubs[1], "calm", "Ash", "chronic")

	phone := kit.live(cl.hubs[0], "chronic")  // Kit's phone, on instance 1
	laptop := kit.live(cl.hubs[1], "chronic") // Kit's laptop, on instance 2
	other := ash.live(cl.hubs[1], "chronic")
	present := func(name, status string) func(wsEvent) bool {
		return func(ev wsEvent) bool {
			a, ok := presenceOf(ev, name)
			return ev.Type == realtime.TypePresence && ok && a.Status == status
		}
	}
	other.next(present("Kit", ""), 30*time.Second)

	if m := attackMode(t, kit); m["on"] != false || m["lapsed"] != false {
		t.Fatalf("attack mode of a new member: %v", m)
	}
	on := kit.api("PUT", "/me/attack-mode", map[string]any{"on": true}).must(t, http.StatusOK)
	until, err := time.Parse(time.RFC3339Nano, on.Body["until"].(string))
	if err != nil || on.Body["on"] != true {
		t.Fatalf("turning attack mode on: %s", on.Raw)
	}
	if d := until.Sub(cl.hubs[0].clock.Now()); d < 4*time.Hour-time.Minute || d > 4*time.Hour {
		t.Errorf("it ends by itself after %s, want the default 4 hours", d)
	}
	for name, ws := range map[string]*wsClient{"phone": phone, "laptop (other instance)": laptop} {
		ev := ws.next(ofType(realtime.TypeAttackMode), 10*time.Second)
		if ev.AttackMode == nil || !ev.AttackMode.On || ev.AttackMode.Until == nil || !ev.AttackMode.Until.Equal(until) {
			t.Errorf("%s heard %+v", name, ev.AttackMode)
		}
	}
	away := other.next(present("Kit", realtime.StatusAway), 30*time.Second)
	if a, _ := presenceOf(away, "Ash"); a.Status != "" {
		t.Errorf("Ash is not away: %+v", away.Online)
	}
	other.quiet(ofType(realtime.TypeAttackMode), 300*time.Millisecond) // only Kit's own sockets hear it
	if m := attackMode(t, kit); m["on"] != true {
		t.Errorf("/me after turning it on: %v", m)
	}
	// The member's own next socket starts away too (state of the account).
	late := joinedMember(t, cl.hubs[0], "calm", "Late", "chronic").live(cl.hubs[0], "chronic")
	late.next(present("Kit", realtime.StatusAway), 30*time.Second)

	kit.api("PUT", "/me/attack-mode", map[string]any{"on": false}).must(t, http.StatusOK)
	if ev := laptop.next(ofType(realtime.TypeAttackMode), 10*time.Second); ev.AttackMode.On || ev.AttackMode.Lapsed {
		t.Errorf("laptop heard %+v after off", ev.AttackMode)
	}
	other.next(present("Kit", ""), 30*time.Second)
	if m := attackMode(t, kit); m["on"] != false || m["since"] != nil {
		t.Errorf("/me after turning it off: %v", m)
	}
}

// The duration is chosen (or none: until turned off); nonsense is refused
// with the field named; lapsing by itself asks "still in an attack?"
// until the member answers.
func TestAttackModeDurationLapseAndRefusals(t *testing.T) {
	h := longSessionHub(t)
	h.createTenant("calm")
	kit := h.signUp("calm", "Kit", "adult")
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{}, "on"},
		{map[string]any{"on": true, "minutes": 5}, "minutes"},
		{map[string]any{"on": true, "minutes": 60 * 49}, "minutes"},
		{map[string]any{"on": true, "minutes": -30}, "minutes"},
		{map[string]any{"on": false, "minutes": 60}, "minutes"},
	} {
		if r := kit.api("PUT", "/me/attack-mode", c.body).must(t, http.StatusUnprocessableEntity); r.Field(c.field) == "" {
			t.Errorf("%v: %s", c.body, r.Raw)
		}
	}
	if r := kit.api("PUT", "/me/attack-mode", `{"on": "yes"}`).must(t, http.StatusUnprocessableEntity); r.Field("on") == "" {
		t.Errorf("a string for on: %s", r.Raw)
	}
	if m := attackMode(t, kit); m["on"] != false {
		t.Fatalf("a refused request changed the mode: %v", m)
	}

	open := kit.api("PUT", "/me/attack-mode", map[string]any{"on": true, "minutes": 0}).must(t, http.StatusOK)
	if open.Body["until"] != nil || open.Body["on"] != true {
		t.Fatalf("until turned off: %s", open.Raw)
	}
	h.clock.Advance(72 * time.Hour)
	if m := attackMode(t, kit); m["on"] != true {
		t.Fatalf("an attack mode with no end ended: %v", m)
	}

	r := kit.api("PUT", "/me/attack-mode", map[string]any{"on": true, "minutes": 60}).must(t, http.StatusOK)
	if r.Body["since"] != open.Body["since"] {
		t.Errorf("changing the duration restarted the attack: %s then %s", open.Raw, r.Raw)
	}
	h.clock.Advance(61 * time.Minute)
	m := attackMode(t, kit)
	if m["on"] != false || m["lapsed"] != true {
		t.Fatalf("an hour's attack mode after 61 minutes: %v", m)
	}
	// "Still in an attack?" - "yes" turns it on again, a new attack.
	again := kit.api("PUT", "/me/attack-mode", map[string]any{"on": true}).must(t, http.StatusOK)
	if again.Body["lapsed"] != false || again.Body["since"] == open.Body["since"] {
		t.Errorf("on again after a lapse: %s", again.Raw)
	}
	kit.api("PUT", "/me/attack-mode", map[string]any{"on": false}).must(t, http.StatusOK)
	if m := attackMode(t, kit); m["lapsed"] != false || m["on"] != false {
		t.Errorf("after off: %v", m)
	}
	// The export carries it with the rest of the account.
	exp := kit.api("GET", "/me/export", nil).must(t, http.StatusOK)
	if !strings.Contains(string(exp.Raw), `"attack_mode"`) {
		t.Error("the export leaves attack mode out")
	}
}

// Issue 22 item 3: an offer to a mentor who turns attack mode on passes to
// the next candidate at once, like a pause; while it lasts no new offer
// reaches them (across a mentoring tick), and once it ends they are a
// candidate again.
func TestOfferToAMentorInAttackModePassesOn(t *testing.T) {
	h := longSessionHub(t)
	_, best, second, _ := offerToTheBestOfTwo(t, h)
	best.api("PUT", "/me/attack-mode", map[string]any{"on": true, "minutes": 120}).must(t, http.StatusOK)
	if len(pendingOffers(t, best)) != 0 || len(pendingOffers(t, second)) != 1 {
		t.Fatal("the offer to a mentor in attack mode did not pass to the next candidate")
	}
	offers := best.api("GET", "/mentoring/offers", nil).must(t, http.StatusOK)
	if strings.Contains(strings.ToLower(string(offers.Raw)), "attack") {
		t.Errorf("the withdrawn offer says why in words that reveal the attack: %s", offers.Raw)
	}
	// A second request while Heron rests goes to Egret's remaining place,
	// not to Heron, even after a tick.
	other := h.signUp("calm", "Lark", "adult")
	other.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if n := len(pendingOffers(t, best)); n != 0 {
		t.Fatalf("%d offers reached a mentor in attack mode", n)
	}
	if err := h.app.mentoring.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(pendingOffers(t, best)); n != 0 {
		t.Fatalf("%d offers reached a mentor in attack mode", n)
	}
	// Two hours later it has ended by itself: the next request may be
	// Heron's again.
	h.clock.Advance(121 * time.Minute)
	third := h.signUp("calm", "Robin", "adult")
	third.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if err := h.app.mentoring.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(pendingOffers(t, best)); n == 0 {
		t.Fatal("a mentor whose attack mode ended is never offered again")
	}
}

// An offer made by another instance in the moment the mentor turned attack
// mode on (it read the mentors just before) is passed on by the next tick.
func TestTickPassesOnAnOfferLeftWithAMentorInAttackMode(t *testing.T) {
	h := longSessionHub(t)
	_, best, second, _ := offerToTheBestOfTwo(t, h)
	// Attack mode stored without its hook: as if the offer above raced it.
	now := h.clock.Now().UTC()
	if err := h.app.db.WithContext(t.Context()).Model(&accounts.User{}).Where("id = ?", best.userID).
		Updates(map[string]any{"attack_since": now, "attack_until": now.Add(time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	if err := h.app.mentoring.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(pendingOffers(t, best)) != 0 || len(pendingOffers(t, second)) != 1 {
		t.Fatal("the tick left an offer waiting on a mentor in attack mode")
	}
}

// Issue 22 item 3: mail digests hold while attack mode is on and go out
// once it ends (by itself here); a member not in attack mode is mailed as
// usual meanwhile.
func TestDigestsHoldDuringAttackModeThenSend(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("calm")
	wren := h.signUp("calm", "Wren", "adult")
	confirmByMail(t, h, smtpd, "calm", "wren@example.org")
	lark := h.signUp("calm", "Lark", "adult")
	confirmByMail(t, h, smtpd, "calm", "lark@example.org")
	noQuietHours := map[string]any{"email": map[string]bool{"mentions": true, "replies": true}, "quiet_hours_start": "", "quiet_hours_end": ""}
	setMailPrefs(t, wren, noQuietHours)
	setMailPrefs(t, lark, noQuietHours)
	ctx := context.Background()
	notify := func(c *client, kind, title string) {
		t.Helper()
		err := h.app.notices.Notify(ctx, nil, mail.Notice{TenantID: h.tenantID(t, "calm"), UserID: c.userID, Kind: kind,
			Title: title, Body: "Open the room to read it.", Path: "/groups/chronic"})
		if err != nil {
			t.Fatal(err)
		}
	}
	wren.api("PUT", "/me/attack-mode", map[string]any{"on": true, "minutes": 180}).must(t, http.StatusOK)
	notify(wren, accounts.MailMentions, "Egret mentioned you")
	notify(wren, accounts.MailReplies, "Finch replied to you")
	notify(lark, accounts.MailReplies, "Egret replied to you")
	if n := flushNotices(t, h); n != 1 {
		t.Fatalf("%d mails queued, want Lark's only", n)
	}
	waitMail(t, smtpd, "lark@example.org", "Egret replied to you")
	h.clock.Advance(time.Hour) // past the longest wait: still held
	if n := flushNotices(t, h); n != 0 {
		t.Fatalf("%d mails went out during attack mode", n)
	}
	h.clock.Advance(2 * time.Hour) // it ended by itself
	if n := flushNotices(t, h); n != 1 {
		t.Fatalf("%d mails after attack mode ended, want one digest", n)
	}
	text := mailText(t, waitMail(t, smtpd, "wren@example.org", "2 updates from Tenant calm"))
	for _, want := range []string{"Egret mentioned you", "Finch replied to you"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(strings.ToLower(text), "attack") {
		t.Errorf("the digest mentions the attack:\n%s", text)
	}
}

// Issue 22 item 1 and 2, the pages without JavaScript: the control is in
// the header of every page, one press turns attack mode on and comes back
// to the same page, which renders quiet; the library opens on the "during
// an attack" card with the community's numbers; the duration set in
// settings applies, and a lapsed mode asks "still in an attack?".
func TestAttackModePages(t *testing.T) {
	h := longSessionHub(t)
	admin := h.createTenant("calm")
	admin.api("PUT", "/moderation/settings", map[string]any{"emergency_number": "999", "crisis_lines": "Samaritans: 116 123, any time."}).must(t, http.StatusOK)
	b := h.browser()
	b.signUp("calm", "Kestrel")
	token := b.csrf("/t/calm/settings")

	for _, path := range []string{"/t/calm", "/t/calm/groups", "/t/calm/library", "/t/calm/settings", "/t/calm/mentoring", "/t/calm/groups/chronic"} {
		p := b.get(path).must(t, http.StatusOK)
		if !p.has(`id="attack-control"`) || !p.has(`aria-pressed="false"`) || !p.has(`aria-keyshortcuts="Alt+Shift+A"`) || !p.has("having an attack</button>") {
			t.Errorf("%s: no attack-mode control in the header", path)
		}
		if p.has(`data-attack="on"`) || !p.has(`id="attack-return" class="card attack-return" aria-labelledby="attack-return-heading" hidden`) {
			t.Errorf("%s renders attack mode before it is on", path)
		}
	}
	if h.browser().get("/t/calm/library").must(t, http.StatusOK).has(`id="attack-control"`) {
		t.Error("a visitor who is not signed in gets the control")
	}
	if b.get("/t/calm/library").has("During an attack") {
		t.Error("the library opens on the attack card while attack mode is off")
	}

	b.post("/t/calm/attack-mode", url.Values{"on": {"true"}, "next": {"/t/calm/library"}}).must(t, http.StatusForbidden)
	on := b.post("/t/calm/attack-mode", url.Values{"csrf_token": {token}, "on": {"true"}, "next": {"/t/calm/library"}}).must(t, http.StatusSeeOther)
	if on.location() != "/t/calm/library" {
		t.Fatalf("the control went to %q, not back to the page", on.location())
	}
	lib := b.get("/t/calm/library").must(t, http.StatusOK)
	for _, want := range []string{`data-attack="on" data-attack-until="`, `aria-pressed="true"`, "During an attack", "Call 999.", "Samaritans: 116 123, any time.", "/library/rescue-treatment"} {
		if !lib.has(want) {
			t.Errorf("library in attack mode lacks %q", want)
		}
	}
	if i, j := strings.Index(lib.Body, "During an attack"), strings.Index(lib.Body, `class="topic"`); i < 0 || j < 0 || i > j {
		t.Error("the attack card does not come first")
	}
	off := b.post("/t/calm/attack-mode", url.Values{"csrf_token": {token}, "on": {"false"}, "next": {"https://elsewhere.example/"}}).must(t, http.StatusSeeOther)
	if off.location() != "/t/calm/groups" {
		t.Errorf("a next outside the community went to %q", off.location())
	}

	// The duration chosen in settings applies to the header's one press.
	form := url.Values{"csrf_token": {token}, "display_name": {"Kestrel"}, "theme": {"dark"}, "text_size": {"100"}, "attack_minutes": {"60"}}
	b.post("/t/calm/settings", form).must(t, http.StatusSeeOther)
	if s := b.get("/t/calm/settings"); !s.has(`<option value="60" selected>1 hour</option>`) {
		t.Error("settings do not show the chosen duration")
	}
	form.Set("attack_minutes", "45")
	if bad := b.post("/t/calm/settings", form).must(t, http.StatusUnprocessableEntity); !bad.has(`id="attack_minutes-error"`) {
		t.Error("a duration settings do not offer is not refused with the field named")
	}
	b.post("/t/calm/attack-mode", url.Values{"csrf_token": {token}, "on": {"true"}, "next": {"/t/calm/groups"}}).must(t, http.StatusSeeOther)
	h.clock.Advance(59 * time.Minute)
	if !b.get("/t/calm/groups").has(`data-attack="on"`) {
		t.Fatal("attack mode ended before the hour chosen in settings")
	}
	h.clock.Advance(2 * time.Minute)
	back := b.get("/t/calm/groups").must(t, http.StatusOK)
	if back.has(`data-attack="on"`) || !back.has(`id="attack-return" class="card attack-return" aria-labelledby="attack-return-heading">`) || !back.has("Still in an attack?") {
		t.Fatal("after it lapsed, the page does not ask whether it is still needed")
	}
	b.post("/t/calm/attack-mode", url.Values{"csrf_token": {token}, "on": {"false"}, "next": {"/t/calm/groups"}}).must(t, http.StatusSeeOther)
	if b.get("/t/calm/groups").has(`aria-labelledby="attack-return-heading">`) {
		t.Error("the question stays after it was answered")
	}
}
