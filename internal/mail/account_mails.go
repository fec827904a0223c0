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

// ConfirmAddress is the mail a new member gets at sign-up.
func (l Links) ConfirmAddress(r Recipient, token string) Message {
	community := OneLine(r.TenantName)
	return Message{TenantID: r.TenantID, UserID: r.UserID, Kind: "address_confirmation", To: r.Email,
		Content: Content{
			Subject:  "Confirm your address for " + community,
			Greeting: r.greeting(),
			Paragraphs: []string{"Welcome to " + community + ". You can use the community already; confirming this address lets it receive the mails you choose (a reply, a mentoring offer, a password reset).",
				"The link works once, for two days."},
			Action: &Action{Label: "Confirm my address", URL: l.Page(r.TenantSlug, "/confirm", url.Values{"token": {token}})},
			After:  []string{"If you did not sign up, someone may have typed your address by mistake: ignore this mail and nothing more will come."},
			Footer: []string{"This mail is about your account, so it is sent whatever your mail settings are."},
		}}
}

// SignUpAttempt tells the owner of an address that someone tried to sign
// up with it: sign-up answers alike for new and taken addresses, so this
// mail is how the real owner learns of it.
func (l Links) SignUpAttempt(r Recipient) Message {
	community := OneLine(r.TenantName)
	return Message{TenantID: r.TenantID, UserID: r.UserID, Kind: "signup_attempt", To: r.Email,
		Content: Content{
			Subject:  "Someone tried to sign up to " + community + " with your address",
			Greeting: r.greeting(),
			Paragraphs: []string{"Someone just tried to create an account in " + community + " with this address. You already have one, so nothing was created and nothing about your account changed.",
				"If it was you, you can sign in instead. If you forgot your password, choose a new one from the sign-in page."},
			Action: &Action{Label: "Sign in", URL: l.Page(r.TenantSlug, "/signin", nil)},
			After:  []string{"If it was not you, you need do nothing: nobody can sign up with an address that already has an account."},
			Footer: []string{"This mail is about your account, so it is sent whatever your mail settings are."},
		}}
}
