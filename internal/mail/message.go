package mail

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"unicode"
)

// Content is what one mail says, written once: the plain-text and the HTML
// parts are both rendered from it, so they never disagree. Every field is
// plain text; the HTML template escapes it.
type Content struct {
	Subject    string
	Greeting   string
	Paragraphs []string
	// Action is the one link the mail is about (reset, confirm, open).
	Action *Action
	After  []string
	// Footer says why the mail came and, for notifications, how to stop it.
	Footer []string
}

// Action is a labelled link.
type Action struct {
	Label string
	URL   string
}

// Message is a mail to queue: who it is for, what kind it is, and what it
// says.
type Message struct {
	TenantID string
	// UserID is the recipient's account, so deleting the account deletes
	// its queued mail.
	UserID  string
	Kind    string
	To      string
	Content Content
	// Unsubscribe is the one-click address that turns this kind of mail
	// off. Every notification mail has one; account mails (reset,
	// confirmation) have none.
	Unsubscribe string
}

//go:embed templates
var templateFS embed.FS

var (
	textTemplate = texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/text.tmpl"))
	htmlTemplate = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/html.tmpl"))
)

// rendered is a Message as it is stored and sent.
type rendered struct {
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
}

// render checks a message and renders both parts. Whatever a member typed
// (display names, group names) reaches headers only through oneLine, so a
// line break can never start a header of its own.
func render(m Message) (rendered, error) {
	if m.TenantID == "" || m.Kind == "" {
		return rendered{}, fmt.Errorf("mail: tenant and kind are required")
	}
	if _, err := ParseAddress(m.To); err != nil {
		return rendered{}, fmt.Errorf("mail to %q: %w", m.To, err)
	}
	c := m.Content
	c.Subject = oneLine(c.Subject, 150)
	if c.Subject == "" {
		return rendered{}, fmt.Errorf("mail %s: subject is required", m.Kind)
	}
	if c.Action != nil {
		if err := checkLink(c.Action.URL); err != nil {
			return rendered{}, fmt.Errorf("mail %s: %w", m.Kind, err)
		}
	}
	headers := map[string]string{}
	if m.Unsubscribe != "" {
		if err := checkLink(m.Unsubscribe); err != nil {
			return rendered{}, fmt.Errorf("mail %s unsubscribe: %w", m.Kind, err)
		}
		// RFC 2369 and RFC 8058: mail clients show an unsubscribe button
		// that POSTs List-Unsubscribe=One-Click to this address.
		headers["List-Unsubscribe"] = "<" + m.Unsubscribe + ">"
		headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
	}
	var text, html bytes.Buffer
	if err := textTemplate.Execute(&text, c); err != nil {
		return rendered{}, fmt.Errorf("render %s text: %w", m.Kind, err)
	}
	if err := htmlTemplate.Execute(&html, c); err != nil {
		return rendered{}, fmt.Errorf("render %s html: %w", m.Kind, err)
	}
	return rendered{Subject: c.Subject, Text: text.String(), HTML: html.String(), Headers: headers}, nil
}

func encodeHeaders(h map[string]string) string {
	b, _ := json.Marshal(h)
	return string(b)
}

func decodeHeaders(s string) map[string]string {
	h := map[string]string{}
	_ = json.Unmarshal([]byte(s), &h)
	return h
}

// checkLink accepts the absolute http(s) links the hub builds; anything
// else (a javascript: URL, a line break) is a bug upstream.
func checkLink(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(raw, " \r\n\t<>\"") {
		return fmt.Errorf("link %q is not an absolute http(s) URL", raw)
	}
	return nil
}

// oneLine makes s safe for a header: control characters and line or
// paragraph separators become spaces, runs of space collapse, and the
// result is cut to max runes.
func oneLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}

// OneLine is oneLine for composers that put member-chosen names into a
// subject or greeting.
func OneLine(s string) string { return oneLine(s, 80) }
