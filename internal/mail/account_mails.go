package mail

import (
	"net/url"
	"strings"
)

// Links builds the absolute links that mails carry, from HUB_PUBLIC_URL.
type Links struct {
	Base string // e.g. https://hub.example.org, no trailing slash
}

// Page is {Base}/t/{tenant}{path}?{query}.
func (l Links) Page(tenantSlug, path string, query url.Values) string {
	u := strings.TrimSuffix(l.Base, "/") + "/t/" + url.PathEscape(tenantSlug) + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// Recipient is who an account mail goes to, in which community.
type Recipient struct {
	TenantID    string
	TenantSlug  string
	TenantName  string
	UserID      string
	DisplayName string
	Email       string
}

func (r Recipient) greeting() string { return "Hello " + OneLine(r.DisplayName) + "," }

// PasswordReset is the mail with a one-time link to choose a new password.
func (l Links) PasswordReset(r Recipient, token string, byAdmin bool) Message {
	link := l.Page(r.TenantSlug, "/reset", url.Values{"token": {token}})
	community := OneLine(r.TenantName)
	first := "Someone, probably you, asked to reset the password of your " + community + " account."
	if byAdmin {
		first = "An admin of " + community + " sent you this link so you can choose a new password for your account."
	}
	return Message{TenantID: r.TenantID, UserID: r.UserID, Kind: "password_reset", To: r.Email,
		Content: Content{
			Subject:    "Choose a new password for " + community,
			Greeting:   r.greeting(),
			Paragraphs: []string{first, "The link works once, for one hour."},
			Action:     &Action{Label: "Choose a new password", URL: link},
			After: []string{"Choosing a new password signs you out everywhere else.",
				"If you did not ask for this, you can ignore this mail: your password stays as it is."},
			Footer: []string{"This mail is about your account, so it is sent whatever your mail settings are."},
		}}
}
