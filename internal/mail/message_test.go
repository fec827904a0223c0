package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"quietroom/internal/mail/mailtest"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

func TestRenderIsCalmAndEscaped(t *testing.T) {
	r, err := render(Message{TenantID: "t", Kind: "mention", To: "a@example.org", Unsubscribe: "https://hub.example.org/t/x/unsubscribe?token=u1",
		Content: Content{Subject: "New reply", Greeting: "Hello <script>alert(1)</script>,",
			Paragraphs: []string{`Someone said "hi" & more`}, Action: &Action{Label: "Open", URL: "https://hub.example.org/t/x/groups/g"},
			Footer: []string{"You get this because you asked to."}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"<script", "<img", "src=", "url(", "@import", "<link", "<iframe"} {
		if strings.Contains(strings.ToLower(r.HTML), banned) {
			t.Errorf("HTML part contains %q", banned)
		}
	}
	if !strings.Contains(r.HTML, "&lt;script&gt;") || !strings.Contains(r.Text, "Hello <script>alert(1)</script>,") {
		t.Errorf("member text is not escaped in HTML or not kept in text")
	}
	for _, part := range []string{r.Text, r.HTML} {
		if !strings.Contains(part, "https://hub.example.org/t/x/groups/g") {
			t.Errorf("a part lacks the action link:\n%s", part)
		}
	}
	if r.Headers["List-Unsubscribe"] != "<https://hub.example.org/t/x/unsubscribe?token=u1>" || r.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers %v", r.Headers)
	}
}

func TestRenderRefusesBadInput(t *testing.T) {
	ok := Message{TenantID: "t", Kind: "k", To: "a@example.org", Content: Content{Subject: "s"}}
	cases := map[string]func(m *Message){
		"no subject":           func(m *Message) { m.Content.Subject = " \r\n " },
		"bad recipient":        func(m *Message) { m.To = "not an address" },
		"recipient with CRLF":  func(m *Message) { m.To = "a@example.org\r\nBcc: b@example.org" },
		"javascript link":      func(m *Message) { m.Content.Action = &Action{Label: "x", URL: "javascript:alert(1)"} },
		"link with line break": func(m *Message) { m.Content.Action = &Action{Label: "x", URL: "https://a.example/\r\nX: y"} },
		"bad unsubscribe":      func(m *Message) { m.Unsubscribe = "mailto:x@example.org\r\nBcc: y" },
		"no kind":              func(m *Message) { m.Kind = "" },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			m := ok
			spoil(&m)
			if _, err := render(m); err == nil {
				t.Fatal("rendered")
			}
		})
	}
	if _, err := render(ok); err != nil {
		t.Fatalf("the good message failed: %v", err)
	}
}

// TestHeaderInjectionIsImpossible sends mails whose subject and names hold
// line breaks and header text through a real SMTP server, and checks that
// what arrives has no extra header and no extra recipient.
func TestHeaderInjectionIsImpossible(t *testing.T) {
	db := storetest.Open(t, store.SQLite, testMigrations())
	ctx := context.Background()
	tenant := addTenant(t, db)
	smtpd := mailtest.Start(t, "")
	o := NewOutbox(db, DefaultConfig(), nil, nil)
	evil := []string{
		"Hi\r\nBcc: victim@example.org",
		"Hi\nBcc: victim@example.org",
		"Hi\rBcc: victim@example.org",
		"Hi\u2028Bcc: victim@example.org",
		"Hi\u0085Bcc: victim@example.org",
		"=?utf-8?q?Hi=0D=0ABcc:_victim@example.org?=",
	}
	for _, s := range evil {
		m := testMessage(tenant, 1)
		m.Content.Subject = "Reply from " + s
		m.Content.Greeting = "Hello " + s
		if _, err := o.Enqueue(ctx, nil, m); err != nil {
			t.Fatal(err)
		}
	}
	w := NewWorker(o, smtpSender(t, smtpd.Addr, 30*time.Second), testFrom, DefaultWorkerConfig(), quietLog())
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, got := range smtpd.WaitFor(len(evil)) {
		if len(got.To) != 1 || got.To[0] != "member1@example.org" {
			t.Errorf("recipients %v", got.To)
		}
		msg := got.Message(t)
		for _, h := range []string{"Bcc", "Cc"} {
			if v := msg.Header.Get(h); v != "" {
				t.Errorf("injected %s: %q\n%s", h, v, got.Data)
			}
		}
		head, _, _ := strings.Cut(string(got.Data), "\r\n\r\n")
		for _, line := range strings.Split(head, "\r\n") {
			if strings.HasPrefix(strings.ToLower(line), "bcc:") {
				t.Errorf("header block has a Bcc line: %q", line)
			}
		}
	}
}

func TestParseSMTPURL(t *testing.T) {
	cases := []struct {
		in      string
		want    SMTPServer
		wantErr bool
	}{
		{in: "smtp://user:p%40ss@mail.example.org:587", want: SMTPServer{Host: "mail.example.org", Port: 587, Username: "user", Password: "p@ss"}},
		{in: "smtp://mail.example.org", want: SMTPServer{Host: "mail.example.org", Port: 587}},
		{in: "smtps://u:p@mail.example.org", want: SMTPServer{Host: "mail.example.org", Port: 465, Username: "u", Password: "p", ImplicitTLS: true}},
		{in: "smtp://127.0.0.1:25", want: SMTPServer{Host: "127.0.0.1", Port: 25, PlainAllowed: true}},
		{in: "smtp://localhost:1025", want: SMTPServer{Host: "localhost", Port: 1025, PlainAllowed: true}},
		{in: "smtp://[::1]:25", want: SMTPServer{Host: "::1", Port: 25, PlainAllowed: true}},
		{in: "smtp://mailpit:1025?skip_verify=true", want: SMTPServer{Host: "mailpit", Port: 1025, SkipVerify: true}},
		{in: "http://mail.example.org", wantErr: true},
		{in: "smtp://", wantErr: true},
		{in: "smtp://mail.example.org:99999", wantErr: true},
		{in: "smtp://mail.example.org/path", wantErr: true},
		{in: "smtp://mail.example.org?tls=off", wantErr: true},
	}
	for _, c := range cases {
		got, err := ParseSMTPURL(c.in)
		if (err != nil) != c.wantErr || (!c.wantErr && got != c.want) {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v (error %v)", c.in, got, err, c.want, c.wantErr)
		}
	}
	if s := (SMTPServer{Host: "h", Port: 587, Password: "secret"}).String(); strings.Contains(s, "secret") {
		t.Errorf("String shows the password: %s", s)
	}
}
