package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSignUpConfirmsTheAddressByMail: a new member can use the hub at once;
// the confirmation link (one use) marks the address confirmed.
func TestSignUpConfirmsTheAddressByMail(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura")
	m := joinedMember(t, h, "aura", "Finch", "chronic") // usable at once: joined a group
	if me := m.api("GET", "/me", nil).must(t, http.StatusOK); me.Body["user"].(map[string]any)["email_confirmed"] != false {
		t.Fatalf("a new address is confirmed: %s", me.Raw)
	}
	mail := waitMail(t, smtpd, "finch@example.org", "Confirm your address")
	link := mailLink(t, mail)
	if !strings.HasPrefix(link, testPublicURL+"/t/aura/confirm?token=") {
		t.Fatalf("link %s", link)
	}
	if msg := mail.Message(t); msg.Header.Get("List-Unsubscribe") != "" {
		t.Error("an account mail carries List-Unsubscribe")
	}
	// Another community cannot use the token.
	h.createTenant("bloom")
	h.client("bloom").api("POST", "/auth/confirm-email", map[string]any{"token": tokenOf(link)}).must(t, http.StatusBadRequest)
	h.client("aura").api("POST", "/auth/confirm-email", map[string]any{"token": tokenOf(link)}).must(t, http.StatusOK)
	if me := m.api("GET", "/me", nil).must(t, http.StatusOK); me.Body["user"].(map[string]any)["email_confirmed"] != true {
		t.Fatalf("still unconfirmed: %s", me.Raw)
	}
	again := h.client("aura").api("POST", "/auth/confirm-email", map[string]any{"token": tokenOf(link)})
	if again.Status != http.StatusBadRequest || again.ErrorCode() != "invalid_token" {
		t.Fatalf("second use: %d %s", again.Status, again.Raw)
	}
	m.api("POST", "/me/confirm-email", nil).must(t, http.StatusConflict)
}

// TestTakenAddressSignUpAnswersAlikeAndMailsTheOwner: signing up with an
// address that has an account answers exactly like a new sign-up, and the
// owner is told by mail instead.
func TestTakenAddressSignUpAnswersAlikeAndMailsTheOwner(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura") // its admin, admin@aura.example.org, was made by the operator: confirmed
	signUp := func(email, name string) response {
		return h.client("aura").api("POST", "/auth/signup", map[string]any{"email": email, "password": "a long enough password",
			"display_name": name, "age_bracket": "adult", "accept_guidelines": true}).must(t, http.StatusAccepted)
	}
	fresh := signUp("newcomer@example.org", "Newcomer")
	taken := signUp("admin@aura.example.org", "Impostor")
	if !bytes.Equal(fresh.Raw, taken.Raw) {
		t.Fatalf("answers differ:\n%s\n%s", fresh.Raw, taken.Raw)
	}
	note := waitMail(t, smtpd, "admin@aura.example.org", "Someone tried to sign up")
	if text := mailText(t, note); !strings.Contains(text, "nothing was created") || !strings.Contains(text, testPublicURL+"/t/aura/signin") {
		t.Fatalf("owner's mail:\n%s", text)
	}
	waitMail(t, smtpd, "newcomer@example.org", "Confirm your address")
	waitOutboxDrained(t, h)
	if n := len(mailsAbout(t, smtpd.Caught(), "admin@aura.example.org", "Confirm your address")); n != 0 {
		t.Fatalf("the confirmed owner got %d confirmation mails", n)
	}
	// The account was not touched: the owner's password still works.
	h.client("aura").signIn("admin@aura.example.org", "correct horse battery").must(t, http.StatusOK)
}

// TestUnconfirmedAddressReceivesOnlyTheConfirmation: a reset request for an
// unconfirmed address mails the confirmation instead; admins cannot mail
// it a reset link.
func TestUnconfirmedAddressReceivesOnlyTheConfirmation(t *testing.T) {
	h, smtpd := newMailHub(t)
	admin := h.createTenant("aura")
	m := joinedMember(t, h, "aura", "Finch", "chronic")
	waitMail(t, smtpd, "finch@example.org", "Confirm your address")
	h.client("aura").api("POST", "/auth/password-reset", map[string]any{"email": "finch@example.org"}).must(t, http.StatusAccepted)
	admin.api("POST", "/users/"+m.userID+"/password-reset", nil).must(t, http.StatusConflict)
	m.api("POST", "/me/confirm-email", nil).must(t, http.StatusAccepted)
	waitOutboxDrained(t, h)
	if n := len(mailsAbout(t, smtpd.Caught(), "finch@example.org", "Confirm your address")); n != 3 {
		t.Errorf("%d confirmation mails, want 3 (sign-up, reset request, resend)", n)
	}
	for _, m := range mailsTo(smtpd.Caught(), "finch@example.org") {
		if s := m.Message(t).Header.Get("Subject"); !strings.Contains(s, "Confirm your address") {
			t.Errorf("an unconfirmed address received %q", s)
		}
	}
}

// TestConfirmPageNeedsAButton: opening the link (as a mail scanner would)
// confirms nothing; the button does, without JavaScript.
func TestConfirmPageNeedsAButton(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura")
	b := h.browser()
	b.signUp("aura", "Wren")
	link := mailLink(t, waitMail(t, smtpd, "wren@example.org", "Confirm your address"))
	path := strings.TrimPrefix(link, testPublicURL)
	settings := b.get("/t/aura/settings").must(t, http.StatusOK)
	if !settings.has("Your address is not confirmed yet") {
		t.Fatal("settings do not say the address is unconfirmed")
	}
	form := h.browser().get(path).must(t, http.StatusOK)
	if !form.has(`name="token" value="`+tokenOf(link)+`"`) || !form.has("Confirm my address") {
		t.Fatalf("confirm page:\n%s", form.Body)
	}
	if s := b.get("/t/aura/settings").must(t, http.StatusOK); !s.has("Your address is not confirmed yet") {
		t.Fatal("opening the link confirmed the address")
	}
	h.browser().post("/t/aura/confirm", url.Values{"token": {tokenOf(link)}}).must(t, http.StatusOK)
	if s := b.get("/t/aura/settings").must(t, http.StatusOK); s.has("Your address is not confirmed yet") {
		t.Fatal("the button did not confirm the address")
	}
	used := h.browser().post("/t/aura/confirm", url.Values{"token": {tokenOf(link)}}).must(t, http.StatusBadRequest)
	if !used.has("This link does not work any more") {
		t.Fatalf("used link:\n%s", used.Body)
	}
}
