package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Envelope is one mail as a Sender sees it.
type Envelope struct {
	// ID is the outbox row's id; it becomes the Message-ID, so a mail sent
	// twice after a crash can be recognised as one by the receiving side.
	ID      string
	From    *netmail.Address
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
	Date    time.Time
}

// Sender hands mail to a mail server.
type Sender interface {
	Send(ctx context.Context, e Envelope) error
}

// ParseAddress reads an address such as "Quietroom <no-reply@example.org>"
// or "name@example.org".
func ParseAddress(s string) (*netmail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("an address is one line")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not an email address: %w", s, err)
	}
	return a, nil
}

// SMTPServer is a parsed HUB_SMTP_URL.
type SMTPServer struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS is smtps:// (TLS from the first byte, usually port 465);
	// otherwise STARTTLS is required, except towards a loopback host.
	ImplicitTLS bool
	// PlainAllowed is true only for loopback hosts: a mail catcher on the
	// same machine may speak without TLS.
	PlainAllowed bool
	// SkipVerify accepts any certificate: only for a development mail
	// catcher with a self-signed one (?skip_verify=true).
	SkipVerify bool
}

// ParseSMTPURL reads smtp://user:pass@host:587 (STARTTLS required),
// smtps://user:pass@host:465 (implicit TLS) or smtp://127.0.0.1:25 (plain
// allowed only on loopback).
func ParseSMTPURL(raw string) (SMTPServer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPServer{}, fmt.Errorf("HUB_SMTP_URL is not a URL")
	}
	var s SMTPServer
	switch u.Scheme {
	case "smtp":
		s.Port = 587
	case "smtps":
		s.Port, s.ImplicitTLS = 465, true
	default:
		return SMTPServer{}, fmt.Errorf("HUB_SMTP_URL must start with smtp:// or smtps://")
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return SMTPServer{}, fmt.Errorf("HUB_SMTP_URL needs a host, as in smtp://user:pass@mail.example.org:587")
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return SMTPServer{}, fmt.Errorf("HUB_SMTP_URL has a bad port %q", p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return SMTPServer{}, fmt.Errorf("HUB_SMTP_URL takes no path")
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	for k, v := range u.Query() {
		switch {
		case k == "skip_verify" && len(v) == 1 && (v[0] == "true" || v[0] == "false"):
			s.SkipVerify = v[0] == "true"
		default:
			return SMTPServer{}, fmt.Errorf("HUB_SMTP_URL: unknown option %q (the only one is skip_verify=true, for a development mail catcher)", k)
		}
	}
	s.PlainAllowed = !s.ImplicitTLS && isLoopback(s.Host)
	return s, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the server for logs, without the password.
func (s SMTPServer) String() string {
	mode := "starttls"
	switch {
	case s.ImplicitTLS:
		mode = "tls"
	case s.PlainAllowed:
		mode = "plain allowed (loopback)"
	}
	return fmt.Sprintf("%s:%d (%s)", s.Host, s.Port, mode)
}

// SMTPSender sends each mail over its own SMTP session with go-mail.
type SMTPSender struct {
	server  SMTPServer
	timeout time.Duration
}

// NewSMTPSender sends through server; timeout bounds every step of a
// session (connect, each command, the data), so a server that stalls
// fails the attempt instead of holding the worker.
func NewSMTPSender(server SMTPServer, timeout time.Duration) *SMTPSender {
	return &SMTPSender{server: server, timeout: timeout}
}

func (s *SMTPSender) options() []gomail.Option {
	srv := s.server
	opts := []gomail.Option{gomail.WithPort(srv.Port), gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: srv.Host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: srv.SkipVerify})} //nolint:gosec // opt-in for development catchers
	switch {
	case srv.ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case srv.PlainAllowed:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if srv.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(srv.Username), gomail.WithPassword(srv.Password))
	}
	return opts
}

// Send delivers one mail.
func (s *SMTPSender) Send(ctx context.Context, e Envelope) error {
	msg, err := buildMsg(e)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.server.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", s.server, err)
	}
	return nil
}

func buildMsg(e Envelope) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	msg.FromMailAddress(e.From)
	if err := msg.To(e.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(oneLine(e.Subject, 150))
	domain := "quietroom.invalid"
	if at := strings.LastIndex(e.From.Address, "@"); at >= 0 {
		domain = e.From.Address[at+1:]
	}
	msg.SetMessageIDWithValue(e.ID + "@" + domain)
	msg.SetDateWithValue(e.Date)
	// RFC 3834: no out-of-office replies to a machine.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	for k, v := range e.Headers {
		if strings.ContainsAny(k+v, "\r\n") {
			return nil, fmt.Errorf("header %q holds a line break", k)
		}
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, e.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	return msg, nil
}
