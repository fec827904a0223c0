package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/mail"
	"quietroom/internal/mail/mailtest"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime/conversation"
)

// flushNotices lets the settle time pass and makes the waiting notices
// into mails, returning how many it queued.
func flushNotices(t testing.TB, h *testHub) int {
	t.Helper()
	h.clock.Advance(mail.DefaultNotifyConfig().Settle + time.Second)
	n, err := h.app.notices.Flush(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func setMailPrefs(t testing.TB, c *client, prefs map[string]any) {
	t.Helper()
	c.api("PATCH", "/me", map[string]any{"preferences": prefs}).must(t, http.StatusOK)
}

// oneClick unsubscribes the way a mail client does (RFC 8058): a POST to
// the List-Unsubscribe address, no cookie, no CSRF token.
func oneClick(t testing.TB, h *testHub, m mailtest.Mail) {
	t.Helper()
	msg := m.Message(t)
	if msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("no one-click header: %v", msg.Header)
	}
	target := strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")
	if !strings.HasPrefix(target, testPublicURL+"/t/") {
		t.Fatalf("List-Unsubscribe %q", target)
	}
	resp, err := http.Post(h.srv.URL+strings.TrimPrefix(target, testPublicURL), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe answered %d", resp.StatusCode)
	}
}

// TestMentoringMailsOnByDefault: an offer reaches the mentor and an
// accepted match the mentee by mail, with no setting changed; one click
// turns mentoring mail off.
func TestMentoringMailsOnByDefault(t *testing.T) {
	h, smtpd := newMailHub(t)
	admin := h.createTenant("calm")
	mentor := approvedMentor(t, h, admin, "Heron", nil, "vestibular")
	confirmByMail(t, h, smtpd, "calm", "heron@example.org")
	mentee := h.signUp("calm", "Wren", "adult")
	confirmByMail(t, h, smtpd, "calm", "wren@example.org")

	mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	if n, _ := h.app.notices.Flush(context.Background()); n != 0 {
		t.Fatal("a notice went out before its settle time")
	}
	if n := flushNotices(t, h); n != 1 {
		t.Fatalf("%d mails queued, want the offer", n)
	}
	offer := waitMail(t, smtpd, "heron@example.org", "Someone would like you as their mentor")
	if text := mailText(t, offer); !strings.Contains(text, testPublicURL+"/t/calm/mentoring/offers") || !strings.Contains(text, "mentoring mails") {
		t.Fatalf("offer mail:\n%s", text)
	}
	offers := pendingOffers(t, mentor)
	mentor.api("POST", "/mentoring/offers/"+offers[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK)
	flushNotices(t, h)
	matched := waitMail(t, smtpd, "wren@example.org", "A mentor accepted your request")
	oneClick(t, h, matched)
	me := mentee.api("GET", "/me", nil).must(t, http.StatusOK)
	prefs := me.Body["user"].(map[string]any)["preferences"].(map[string]any)
	if email, _ := prefs["email"].(map[string]any); email["mentoring"] != false {
		t.Fatalf("mentoring mail is still on: %s", me.Raw)
	}
}

// TestDigestQuietHoursAndUnsubscribe: notices that arrive close together
// go out as one digest, none during quiet hours; the digest's one-click
// link turns off every kind it carried; kinds left off send nothing.
func TestDigestQuietHoursAndUnsubscribe(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("calm")
	wren := h.signUp("calm", "Wren", "adult")
	confirmByMail(t, h, smtpd, "calm", "wren@example.org")
	ctx := context.Background()
	notify := func(kind, title string) error {
		return h.app.notices.Notify(ctx, nil, mail.Notice{TenantID: h.tenantID(t, "calm"), UserID: wren.userID, Kind: kind,
			Title: title, Body: "Open the room to read it.", Path: "/groups/chronic"})
	}
	// Off by default: nothing is stored, nothing is sent.
	if err := notify(accounts.MailReplies, "Egret replied to you"); err != nil {
		t.Fatal(err)
	}
	if n := flushNotices(t, h); n != 0 {
		t.Fatalf("a reply mail went out with replies off (%d)", n)
	}

	// Quiet hours 22:00 to 08:00 in Wren's zone; it is now 23:00 there.
	loc, _ := time.LoadLocation("America/Chicago")
	setMailPrefs(t, wren, map[string]any{"email": map[string]bool{"mentions": true, "replies": true},
		"quiet_hours_start": "22:00", "quiet_hours_end": "08:00", "time_zone": "America/Chicago"})
	now := h.clock.Now().In(loc)
	at23 := time.Date(now.Year(), now.Month(), now.Day(), 23, 0, 0, 0, loc)
	if at23.Before(now) {
		at23 = at23.Add(24 * time.Hour)
	}
	h.clock.Advance(at23.Sub(now))
	for _, n := range []struct{ kind, title string }{{accounts.MailMentions, "Egret mentioned you"}, {accounts.MailReplies, "Egret replied to you"}, {accounts.MailReplies, "Finch replied to you"}} {
		if err := notify(n.kind, n.title); err != nil {
			t.Fatal(err)
		}
	}
	h.clock.Advance(time.Hour) // past settle and max wait, still 00:00 in quiet hours
	if n := flushNotices(t, h); n != 0 {
		t.Fatalf("%d mails went out in quiet hours", n)
	}
	h.clock.Advance(8 * time.Hour) // 09:00
	if n := flushNotices(t, h); n != 1 {
		t.Fatalf("%d mails after quiet hours, want one digest", n)
	}
	digest := waitMail(t, smtpd, "wren@example.org", "3 updates from Tenant calm")
	text := mailText(t, digest)
	for _, want := range []string{"Egret mentioned you", "Egret replied to you", "Finch replied to you", "mentions and replies mails"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	oneClick(t, h, digest)
	if err := notify(accounts.MailMentions, "Lark mentioned you"); err != nil {
		t.Fatal(err)
	}
	if n := flushNotices(t, h); n != 0 {
		t.Fatal("a mention mail went out after unsubscribing")
	}
	// The unsubscribe page works too, and a bad token is refused.
	b := h.browser()
	if p := b.get("/t/calm/unsubscribe?token="+strings.Repeat("a", 64)).must(t, http.StatusOK); !p.has("Stop these mails") {
		t.Fatal("unsubscribe page")
	}
	b.post("/t/calm/unsubscribe", map[string][]string{"token": {strings.Repeat("a", 64)}}).must(t, http.StatusBadRequest)
}

// TestModerationDecisionMails: a reporter learns the outcome of a flag, an
// author the review of a held post, each only when switched on; a crisis
// notice is never mailed.
func TestModerationDecisionMails(t *testing.T) {
	h, smtpd := newMailHub(t)
	admin := h.createTenant("calm")
	author, reporter := h.signUp("calm", "Finch", "teen"), h.signUp("calm", "Robin", "adult")
	poster := joinedMember(t, h, "calm", "Egret", "chronic")
	for _, c := range []struct {
		c           *client
		addr, group string
	}{{author, "finch@example.org", "teen"}, {reporter, "robin@example.org", "chronic"}} {
		confirmByMail(t, h, smtpd, "calm", c.addr)
		c.c.api("POST", "/groups/"+c.group+"/join", nil).must(t, http.StatusOK)
	}
	setMailPrefs(t, author, map[string]any{"email": map[string]bool{"post_reviews": true}})
	setMailPrefs(t, reporter, map[string]any{"email": map[string]bool{"flag_outcomes": true}})
	ws := author.live(h, "teen")

	// The teen group holds every post: one approved, one removed.
	kept := ws.say("teen", "k1", "exams tomorrow and my head is pounding")
	gone := ws.say("teen", "g1", "off topic for here")
	for _, ack := range []wsEvent{kept, gone} {
		it := queueItem(t, admin, ack.ID)
		action := map[bool]string{true: "approve", false: "remove"}[ack.ID == kept.ID]
		admin.api("POST", "/moderation/items/"+it["id"].(string)+"/actions", map[string]any{"version": version(it), "action": action}).must(t, http.StatusOK)
	}
	// A flag on another member's post, decided: no action needed.
	said := poster.live(h, "chronic").say("chronic", "e1", "Dark glasses indoors help me a lot")
	reporter.api("POST", "/groups/chronic/messages/"+said.ID+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusCreated)
	it := queueItem(t, admin, said.ID)
	admin.api("POST", "/moderation/items/"+it["id"].(string)+"/actions", map[string]any{"version": version(it), "action": "dismiss"}).must(t, http.StatusOK)

	flushNotices(t, h)
	reviews := waitMail(t, smtpd, "finch@example.org", "2 updates from Tenant calm")
	if text := mailText(t, reviews); !strings.Contains(text, "Your post was approved") || !strings.Contains(text, "Your post was not published") || !strings.Contains(text, "appeal") {
		t.Fatalf("author's digest:\n%s", text)
	}
	decided := waitMail(t, smtpd, "robin@example.org", "A flag you raised was decided")
	if text := mailText(t, decided); !strings.Contains(text, "decided it can stay") {
		t.Fatalf("reporter's mail:\n%s", text)
	}

	// Crisis: the entry point refuses it, and a decided crisis item mails nobody.
	err := h.app.notices.Notify(context.Background(), nil, mail.Notice{TenantID: h.tenantID(t, "calm"), UserID: author.userID, Kind: "crisis", Title: "x", Body: "y", Path: "/"})
	if !errors.Is(err, mail.ErrNotMailable) {
		t.Fatalf("a crisis notice was accepted for mail: %v", err)
	}
	before := len(smtpd.Caught())
	if err := decisionMails(h.app.notices)(context.Background(), nil, moderation.ItemDecided{TenantID: h.tenantID(t, "calm"), ItemID: "x",
		GroupSlug: "teen", AuthorID: author.userID, Action: "remove", Outcome: "removed", Held: true, Crisis: true, ReporterIDs: []string{reporter.userID}}); err != nil {
		t.Fatal(err)
	}
	if n := flushNotices(t, h); n != 0 {
		t.Fatalf("a crisis item was mailed (%d)", n)
	}
	waitOutboxDrained(t, h)
	if len(smtpd.Caught()) != before {
		t.Fatal("a crisis item was mailed")
	}
}

// TestUnconfirmedMembersGetNoNotifications: until the address is
// confirmed, not even mentoring mail (on by default) is sent.
func TestUnconfirmedMembersGetNoNotifications(t *testing.T) {
	h, _ := newMailHub(t)
	h.createTenant("calm")
	wren := h.signUp("calm", "Wren", "adult")
	err := h.app.notices.Notify(context.Background(), nil, mail.Notice{TenantID: h.tenantID(t, "calm"), UserID: wren.userID,
		Kind: accounts.MailMentoring, Title: "A mentor accepted your request", Body: "Say hello.", Path: "/mentoring"})
	if err != nil {
		t.Fatal(err)
	}
	if n := flushNotices(t, h); n != 0 {
		t.Fatalf("an unconfirmed address got %d notification mails", n)
	}
}

// A decision on a message in a mentorship links to the mentorship's page
// (not a group's) and names it as such.
func TestDecisionMailAboutAMentorshipLinksToIt(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("calm")
	reporter := h.signUp("calm", "Robin", "adult")
	confirmByMail(t, h, smtpd, "calm", "robin@example.org")
	setMailPrefs(t, reporter, map[string]any{"email": map[string]bool{"flag_outcomes": true}})
	if err := decisionMails(h.app.notices)(context.Background(), nil, moderation.ItemDecided{TenantID: h.tenantID(t, "calm"), ItemID: "x",
		GroupSlug: "mentorship-abc", Conversation: conversation.Address{Kind: conversation.Mentorship, Key: "abc"},
		Action: "dismiss", Outcome: "no action needed", ReporterIDs: []string{reporter.userID}}); err != nil {
		t.Fatal(err)
	}
	flushNotices(t, h)
	text := mailText(t, waitMail(t, smtpd, "robin@example.org", "A flag you raised was decided"))
	if !strings.Contains(text, "/mentoring/m/abc") || !strings.Contains(text, "in your mentorship") || strings.Contains(text, "/groups/") {
		t.Fatalf("reporter's mail about a mentorship:\n%s", text)
	}
}
