package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/mail"
)

// lockedBuffer is an io.Writer the serving goroutine and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// TestMailCommandsPrintTheOutbox: without a mail server, `hub mail list`
// and `hub mail show` are how a person running the demo reads a mail.
func TestMailCommandsPrintTheOutbox(t *testing.T) {
	ctx := context.Background()
	env := envOf(map[string]string{"HUB_DATA_DIR": t.TempDir(), "HUB_PASSWORD_MEMORY_KIB": "1024", "HUB_LOG_LEVEL": "error"})
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"mail", "list"}, env, &out, &errOut); err != nil {
		t.Fatalf("mail list: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "the outbox is empty") {
		t.Fatalf("empty outbox printed %q", out.String())
	}
	if err := run(ctx, []string{"tenant", "create", "--slug", "aura", "--name", "Aura"}, env, &out, &errOut); err != nil {
		t.Fatalf("tenant create: %v", err)
	}
	cfg, err := loadConfig(nil, env, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	a, closeApp, err := opsApp(ctx, cfg, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	tenant, err := a.accounts.TenantBySlug(ctx, "aura")
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.outbox.Enqueue(ctx, nil, mail.Message{TenantID: tenant.ID, Kind: "password_reset", To: "ana@example.org",
		Content: mail.Content{Subject: "Reset your password", Paragraphs: []string{"Someone asked to reset it."},
			Action: &mail.Action{Label: "Choose a new password", URL: "http://localhost:8080/t/aura/reset?token=abc123"}}})
	closeApp()
	if err != nil {
		t.Fatal(err)
	}

	out.Reset()
	if err := run(ctx, []string{"mail", "list", "--status", "pending"}, env, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{id, "pending", "ana@example.org", "Reset your password"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("mail list lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(ctx, []string{"mail", "show", id[:8]}, env, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"To:       ana@example.org", "Subject:  Reset your password", "http://localhost:8080/t/aura/reset?token=abc123"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("mail show lacks %q:\n%s", want, out.String())
		}
	}
	for _, bad := range [][]string{{"mail"}, {"mail", "show"}, {"mail", "show", "nothex!"}, {"mail", "list", "--status", "lost"}, {"mail", "retry", id}} {
		if err := run(ctx, bad, env, &out, &errOut); err == nil {
			t.Errorf("hub %v succeeded", bad)
		}
	}
}

// TestServeSaysOnceThatMailIsNotConfigured starts the real serve command
// without HUB_SMTP_URL.
func TestServeSaysOnceThatMailIsNotConfigured(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env := envOf(map[string]string{"HUB_DATA_DIR": t.TempDir(), "HUB_ADDR": "127.0.0.1:0", "HUB_DEMO": "false", "HUB_PASSWORD_MEMORY_KIB": "1024"})
	var out lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, env, &out, &out) }()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(out.String(), "hub listening") {
		if time.Now().After(deadline) {
			t.Fatalf("the hub did not start:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if n := strings.Count(out.String(), "mail is not configured"); n != 1 {
		t.Fatalf("the log says %d times that mail is not configured:\n%s", n, out.String())
	}
}

func TestMailSettings(t *testing.T) {
	cases := []struct {
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c config)
	}{
		{env: map[string]string{}, check: func(t *testing.T, c config) {
			if c.SMTP != nil || c.PublicURL != "http://localhost:8080" || c.MailFrom.Address != "no-reply@localhost" {
				t.Errorf("defaults: %+v %q %v", c.SMTP, c.PublicURL, c.MailFrom)
			}
		}},
		{env: map[string]string{"HUB_ADDR": "127.0.0.1:9000"}, check: func(t *testing.T, c config) {
			if c.PublicURL != "http://localhost:9000" {
				t.Errorf("public URL %q", c.PublicURL)
			}
		}},
		{env: map[string]string{"HUB_SMTP_URL": "smtp://u:p@mail.example.org:587", "HUB_MAIL_FROM": "Quietroom <no-reply@example.org>", "HUB_PUBLIC_URL": "https://hub.example.org/"},
			check: func(t *testing.T, c config) {
				if c.SMTP == nil || c.SMTP.Host != "mail.example.org" || c.MailFrom.Name != "Quietroom" || c.PublicURL != "https://hub.example.org" {
					t.Errorf("parsed %+v %v %q", c.SMTP, c.MailFrom, c.PublicURL)
				}
			}},
		{env: map[string]string{"HUB_SMTP_URL": "smtp://mail.example.org"}, wantErr: "HUB_MAIL_FROM is required"},
		{env: map[string]string{"HUB_SMTP_URL": "imap://mail.example.org", "HUB_MAIL_FROM": "a@example.org"}, wantErr: "smtp://"},
		{env: map[string]string{"HUB_MAIL_FROM": "Quietroom\r\nBcc: x@example.org <a@example.org>"}, wantErr: "HUB_MAIL_FROM"},
		{env: map[string]string{"HUB_PUBLIC_URL": "hub.example.org"}, wantErr: "HUB_PUBLIC_URL"},
		{env: map[string]string{"HUB_PUBLIC_URL": "https://hub.example.org/app"}, wantErr: "HUB_PUBLIC_URL"},
	}
	for _, c := range cases {
		var stderr bytes.Buffer
		cfg, err := loadConfig(nil, envOf(c.env), &stderr)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%v: error %v, want one naming %q", c.env, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", c.env, err)
			continue
		}
		c.check(t, cfg)
	}
	// Flags override the environment, like every other setting.
	var stderr bytes.Buffer
	cfg, err := loadConfig([]string{"--public-url", "https://flag.example.org"}, envOf(map[string]string{"HUB_PUBLIC_URL": "https://env.example.org"}), &stderr)
	if err != nil || cfg.PublicURL != "https://flag.example.org" {
		t.Errorf("flag override: %q %v", cfg.PublicURL, err)
	}
}
