package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestResetPagesWithoutJavaScript walks the forms: sign-in links to the
// request form, which answers the same for any address; the mailed link
// opens the new-password form; a used link says so.
func TestResetPagesWithoutJavaScript(t *testing.T) {
	h, smtpd := newMailHub(t)
	h.createTenant("aura")
	b := h.browser()
	b.signUp("aura", "Wren")
	confirmByMail(t, h, smtpd, "aura", "wren@example.org")

	anon := h.browser()
	if p := anon.get("/t/aura/signin").must(t, http.StatusOK); !p.has(`href="/t/aura/forgot"`) {
		t.Fatal("sign-in does not link to the reset form")
	}
	anon.get("/t/aura/forgot").must(t, http.StatusOK)
	bad := anon.post("/t/aura/forgot", url.Values{"email": {"not an address"}}).must(t, http.StatusUnprocessableEntity)
	if !bad.has(`aria-invalid="true"`) {
		t.Error("a bad address is not marked on the form")
	}
	known := anon.post("/t/aura/forgot", url.Values{"email": {"wren@example.org"}}).must(t, http.StatusAccepted)
	unknown := anon.post("/t/aura/forgot", url.Values{"email": {"nobody@example.org"}}).must(t, http.StatusAccepted)
	norm := func(s string) string { return strings.ReplaceAll(s, "nobody@example.org", "wren@example.org") }
	if norm(unknown.Body) != known.Body || !known.has("a link to choose a new password is on its way") {
		t.Fatal("the answer differs between a known and an unknown address")
	}
	// A form posted from another site is refused, like every form.
	for _, path := range []string{"/t/aura/forgot", "/t/aura/reset"} {
		req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(url.Values{"email": {"wren@example.org"}, "token": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://elsewhere.example")
		resp, err := anon.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site POST %s: %d, want 403", path, resp.StatusCode)
		}
	}

	link := mailLink(t, waitMail(t, smtpd, "wren@example.org", "Choose a new password"))
	path := strings.TrimPrefix(link, testPublicURL)
	form := anon.get(path).must(t, http.StatusOK)
	if form.Header.Get("Referrer-Policy") != "same-origin" || !form.has(`name="token" value="`+tokenOf(link)+`"`) {
		t.Fatalf("reset form: %v\n%s", form.Header, form.Body)
	}
	weak := anon.post("/t/aura/reset", url.Values{"token": {tokenOf(link)}, "password": {"short"}}).must(t, http.StatusUnprocessableEntity)
	if !weak.has("at least 10 characters") {
		t.Fatal("the weak-password message is missing")
	}
	done := anon.post("/t/aura/reset", url.Values{"token": {tokenOf(link)}, "password": {"a brand new password"}}).must(t, http.StatusSeeOther)
	if done.location() != "/t/aura/groups?notice=password-reset" {
		t.Fatalf("went to %q", done.location())
	}
	if p := anon.get("/t/aura/groups?notice=password-reset").must(t, http.StatusOK); !p.has("Your new password is saved") {
		t.Fatal("no notice after the reset")
	}
	// The member's other browser is signed out.
	if p := b.get("/t/aura/settings"); p.Status != http.StatusSeeOther {
		t.Fatalf("the old browser session still works: %d", p.Status)
	}
	used := h.browser().get(path).must(t, http.StatusBadRequest)
	if !used.has("This link does not work any more") || !used.has(`href="/t/aura/forgot"`) {
		t.Fatalf("a used link:\n%s", used.Body)
	}
	h.browser().post("/t/aura/reset", url.Values{"token": {tokenOf(link)}, "password": {"another new password"}}).must(t, http.StatusBadRequest)
}

// TestAdminResetPasswordCommandPrintsAOneTimeLink runs `hub admin
// reset-password` for a community without mail.
func TestAdminResetPasswordCommandPrintsAOneTimeLink(t *testing.T) {
	ctx := context.Background()
	env := envOf(map[string]string{"HUB_DATA_DIR": t.TempDir(), "HUB_PASSWORD_MEMORY_KIB": "1024", "HUB_LOG_LEVEL": "error",
		"HUB_PUBLIC_URL": "https://hub.example.org"})
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"tenant", "create", "--slug", "aura", "--name", "Aura", "--admin-email", "ana@example.org"}, env, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"admin", "reset-password", "--tenant", "aura", "--email", "ANA@example.org"}, env, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	link := linkRE.FindString(out.String())
	if !strings.HasPrefix(link, "https://hub.example.org/t/aura/reset?token=") {
		t.Fatalf("printed %q", out.String())
	}
	for _, bad := range [][]string{{"admin", "reset-password", "--tenant", "aura", "--email", "nobody@example.org"},
		{"admin", "reset-password", "--tenant", "nowhere", "--email", "ana@example.org"}, {"admin", "reset-password"}} {
		if err := run(ctx, bad, env, &out, &errOut); err == nil {
			t.Errorf("hub %v succeeded", bad)
		}
	}
	cfg, err := loadConfig(nil, env, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	a, closeApp, err := opsApp(ctx, cfg, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	tenant, _ := a.accounts.TenantBySlug(ctx, "aura")
	if _, _, err := a.accounts.ConfirmPasswordReset(ctx, tenant, tokenOf(link), "chosen by ana herself", accountsClient()); err != nil {
		t.Fatalf("the printed link does not work: %v", err)
	}
	if _, _, err := a.accounts.ConfirmPasswordReset(ctx, tenant, tokenOf(link), "chosen by ana again", accountsClient()); err == nil {
		t.Fatal("the printed link worked twice")
	}
	// Nothing was mailed: the operator hands the link over.
	if mails, _ := a.outbox.List(ctx, mailFilterAll()); len(mails) != 0 {
		t.Fatalf("the command queued %d mails", len(mails))
	}
}
