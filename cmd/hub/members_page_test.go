package main

import (
	"quietroom/internal/accounts"

	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Issue 17 item 5: an admin sends a member a reset link from the members
// page: a plain form with the CSRF token, no script. The page lists the
// community's members only, each with their role and when they joined.
func TestMembersPageSendsResetLinks(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("calm")
	wren := h.signUp("calm", "Wren", "adult")
	confirmByMail(t, h, smtpd, "calm", "wren@example.org")
	h.signUp("calm", "Tern", "adult") // not confirmed
	h.createTenant("other")
	h.signUp("other", "Stranger", "adult")

	admin := h.browser()
	admin.post("/t/calm/signin", url.Values{"email": {qaAdminEmail("calm")}, "password": {"correct horse battery"}}).must(t, http.StatusSeeOther)
	pg := admin.get("/t/calm/members").must(t, http.StatusOK)
	for _, want := range []string{"<h1>Members</h1>", "Wren", "Tern", `<span class="tag">Admin`, `<span class="tag">Member</span>`,
		`id="member-` + wren.userID + `"`, `action="/t/calm/members/` + wren.userID + `/reset-link"`, `name="csrf_token"`,
		"Has not confirmed their address yet", `aria-current="page">Members</a>`} {
		if !pg.has(want) {
			t.Errorf("members page lacks %s", want)
		}
	}
	if pg.has("Stranger") || pg.has("wren@example.org") || pg.has("<script>") {
		t.Errorf("members page shows another community's member, an email address or a script:\n%s", pg.Body)
	}
	if n := len(regexp.MustCompile(`Send a reset link</button>`).FindAllString(pg.Body, -1)); n != 2 {
		t.Errorf("%d reset buttons, want 2 (the admin and Wren; Tern has not confirmed)", n)
	}
	token := csrfMeta.FindStringSubmatch(pg.Body)[1]

	// Without the CSRF token nothing is sent.
	admin.post("/t/calm/members/"+wren.userID+"/reset-link", url.Values{}).must(t, http.StatusForbidden)
	sent := admin.post("/t/calm/members/"+wren.userID+"/reset-link", url.Values{"csrf_token": {token}}).must(t, http.StatusSeeOther)
	if sent.location() != "/t/calm/members?notice=reset-link-sent#member-"+wren.userID {
		t.Fatalf("after sending: %q", sent.location())
	}
	if !admin.get(sent.location()).has("The reset link is on its way") {
		t.Error("no notice after sending")
	}
	link := mailLink(t, waitMail(t, smtpd, "wren@example.org", "Choose a new password"))
	if !strings.HasPrefix(link, testPublicURL+"/t/calm/reset?token=") {
		t.Fatalf("reset link %q", link)
	}

	// An unconfirmed member: the page says why, beside the list.
	var ternID string
	h.app.db.Table("users").Where("email = ?", "tern@example.org").Pluck("id", &ternID)
	refused := admin.post("/t/calm/members/"+ternID+"/reset-link", url.Values{"csrf_token": {token}}).must(t, http.StatusConflict)
	if !refused.has(`class="form-errors" role="alert"`) || !refused.has("has not confirmed their address") || !refused.has(`data-failed`) {
		t.Fatalf("unconfirmed member:\n%s", refused.Body)
	}

	// A member, not an admin, sees no members page and sends nothing.
	member := h.browser()
	member.post("/t/calm/signin", url.Values{"email": {"wren@example.org"}, "password": {qaPassword}}).must(t, http.StatusSeeOther)
	if member.get("/t/calm/groups").has(`/t/calm/members"`) {
		t.Error("a member's menu links to the members page")
	}
	member.get("/t/calm/members").must(t, http.StatusForbidden)
	mtoken := member.csrf("/t/calm/groups")
	member.post("/t/calm/members/"+wren.userID+"/reset-link", url.Values{"csrf_token": {mtoken}}).must(t, http.StatusForbidden)
}

// Another community's member is not found from this community's members
// page, and this admin's session does not open another community's page.
func TestMembersPageIsTenantScoped(t *testing.T) {
	h, _ := newMailHub(t)
	h.createTenant("calm")
	h.createTenant("other")
	stranger := h.signUp("other", "Stranger", "adult")
	if err := h.app.db.Table("users").Where("email = ?", "stranger@example.org").Update("email_confirmed_at", h.clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	admin := h.browser()
	admin.post("/t/calm/signin", url.Values{"email": {qaAdminEmail("calm")}, "password": {"correct horse battery"}}).must(t, http.StatusSeeOther)
	token := admin.csrf("/t/calm/members")
	admin.post("/t/calm/members/"+stranger.userID+"/reset-link", url.Values{"csrf_token": {token}}).must(t, http.StatusNotFound)
	var n int64
	h.app.db.Table("account_tokens").Where("email = ? AND purpose = ?", "stranger@example.org", accounts.TokenReset).Count(&n)
	if n != 0 {
		t.Fatalf("%d reset tokens made for another community's member", n)
	}
	if pg := admin.get("/t/other/members"); pg.Status == http.StatusOK || strings.Contains(pg.Body, "Stranger") {
		t.Fatalf("calm's admin opened other's members page: %d", pg.Status)
	}
}
