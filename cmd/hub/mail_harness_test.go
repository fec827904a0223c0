package main

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/mail"
	"quietroom/internal/mail/mailtest"
	"quietroom/internal/realtime"
	"quietroom/internal/store/storetest"
)

const testPublicURL = "https://hub.example.org"

// withMail makes a test hub send through a real SMTP server.
func withMail(t testing.TB, smtpd *mailtest.Catcher) func(*appDeps) {
	return func(d *appDeps) {
		srv, err := mail.ParseSMTPURL("smtp://" + smtpd.Addr)
		if err != nil {
			t.Fatal(err)
		}
		d.cfg.PublicURL = testPublicURL
		d.mailSender = mail.NewSMTPSender(srv, 30*time.Second)
		wcfg := mail.DefaultWorkerConfig()
		wcfg.Poll = 50 * time.Millisecond
		d.mailWorkerCfg = &wcfg
	}
}

// newMailHub is a PostgreSQL test hub whose mail worker runs, with the
// SMTP server it sends to.
func newMailHub(t *testing.T) (*testHub, *mailtest.Catcher) {
	t.Helper()
	smtpd := mailtest.Start(t, "")
	h := newTestHubOn(t, storetest.OpenPostgres(t, migrations()), realtime.NewMemoryBroker(), withMail(t, smtpd))
	startMailWorker(t, h)
	return h, smtpd
}

func startMailWorker(t testing.TB, h *testHub) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.app.mailWorker.Run(ctx) }()
	t.Cleanup(func() { stop(); <-done })
}

// mailText returns the decoded plain-text part of a caught mail.
func mailText(t testing.TB, m mailtest.Mail) string {
	t.Helper()
	msg := m.Message(t)
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := r.NextPart()
		if err != nil {
			t.Fatalf("no text/plain part: %v", err)
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/plain") {
			var body io.Reader = part
			if strings.EqualFold(part.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
				body = quotedprintable.NewReader(part)
			}
			b, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}

var linkRE = regexp.MustCompile(`https://hub\.example\.org/t/[a-z0-9-]+/[a-z-]+\?token=[0-9a-f]{64}`)

// mailLink returns the one hub link with a token in a mail's text.
func mailLink(t testing.TB, m mailtest.Mail) string {
	t.Helper()
	text := mailText(t, m)
	link := linkRE.FindString(text)
	if link == "" {
		t.Fatalf("no link in the mail:\n%s", text)
	}
	return link
}

func tokenOf(link string) string {
	_, token, _ := strings.Cut(link, "token=")
	return token
}

// mailsTo returns the caught mails sent to addr.
func mailsTo(all []mailtest.Mail, addr string) []mailtest.Mail {
	var out []mailtest.Mail
	for _, m := range all {
		if len(m.To) == 1 && m.To[0] == addr {
			out = append(out, m)
		}
	}
	return out
}

// waitOutboxDrained waits until no mail is pending or being sent.
func waitOutboxDrained(t testing.TB, h *testHub) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var busy int64
		for _, st := range []string{mail.StatusPending, mail.StatusSending} {
			ms, err := h.app.outbox.List(context.Background(), mail.ListFilter{Status: st, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			busy += int64(len(ms))
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails still waiting after a minute", busy)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func accountsClient() accounts.ClientInfo {
	return accounts.ClientInfo{IP: "127.0.0.1", UserAgent: "test"}
}

func mailFilterAll() mail.ListFilter { return mail.ListFilter{Limit: 1000} }

// waitMail waits for a mail to addr whose subject contains subject, and
// returns the newest such mail.
func waitMail(t testing.TB, smtpd *mailtest.Catcher, addr, subject string) mailtest.Mail {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		found := mailsAbout(t, smtpd.Caught(), addr, subject)
		if len(found) > 0 {
			return found[len(found)-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s about %q within a minute (caught %d mails)", addr, subject, len(smtpd.Caught()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mailsAbout filters caught mails by recipient and subject.
func mailsAbout(t testing.TB, all []mailtest.Mail, addr, subject string) []mailtest.Mail {
	var out []mailtest.Mail
	for _, m := range mailsTo(all, addr) {
		if strings.Contains(m.Message(t).Header.Get("Subject"), subject) {
			out = append(out, m)
		}
	}
	return out
}

// confirmByMail follows the confirmation mail sent to addr.
func confirmByMail(t testing.TB, h *testHub, smtpd *mailtest.Catcher, tenant, addr string) {
	t.Helper()
	link := mailLink(t, waitMail(t, smtpd, addr, "Confirm your address"))
	h.client(tenant).api("POST", "/auth/confirm-email", map[string]any{"token": tokenOf(link)}).must(t, http.StatusOK)
}

// confirmedMember is joinedMember whose address is confirmed by its mail.
func confirmedMember(t *testing.T, h *testHub, smtpd *mailtest.Catcher, tenant, name, group string) *client {
	t.Helper()
	m := joinedMember(t, h, tenant, name, group)
	confirmByMail(t, h, smtpd, tenant, strings.ToLower(name)+"@example.org")
	return m
}

// tenantID returns the id of a tenant by slug.
func (h *testHub) tenantID(t testing.TB, slug string) string {
	t.Helper()
	tn, err := h.app.accounts.TenantBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}
