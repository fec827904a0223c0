package accounts

import (
	"context"
	"errors"

	"quietroom/internal/store"
)

// Mailer queues account mails inside the transaction that causes them, so
// a token and the mail that carries it are committed together. cmd/hub
// implements it with the mail outbox; accounts never imports mail.
type Mailer interface {
	// PasswordReset mails u a one-time link carrying token. byAdmin says
	// an admin of the community sent it rather than the member.
	PasswordReset(ctx context.Context, tx *store.Tx, t Tenant, u User, token string, byAdmin bool) error
	// ConfirmAddress mails a new member the link that confirms the address.
	ConfirmAddress(ctx context.Context, tx *store.Tx, t Tenant, u User, token string) error
	// SignUpAttempt tells the owner of an address that someone tried to
	// sign up with it.
	SignUpAttempt(ctx context.Context, tx *store.Tx, t Tenant, u User) error
	// Queued runs after the transaction commits, so the mail goes at once.
	Queued()
}

// noMailer refuses, so a service built without a mailer fails loudly
// instead of issuing tokens nobody receives.
type noMailer struct{}

var errNoMailer = errors.New("accounts: no mailer is wired")

func (noMailer) PasswordReset(context.Context, *store.Tx, Tenant, User, string, bool) error {
	return errNoMailer
}
func (noMailer) ConfirmAddress(context.Context, *store.Tx, Tenant, User, string) error {
	return errNoMailer
}
func (noMailer) SignUpAttempt(context.Context, *store.Tx, Tenant, User) error { return errNoMailer }
func (noMailer) Queued()                                                      {}
