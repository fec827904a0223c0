package accounts

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// Mailer queues account mails inside the transaction that causes them, so
// a token and the mail that carries it are committed together. cmd/hub
// implements it with the mail outbox; accounts never imports mail.
type Mailer interface {
	// PasswordReset mails u a one-time link carrying token. byAdmin says
	// an admin of the community sent it rather than the member.
	PasswordReset(ctx context.Context, tx *gorm.DB, t Tenant, u User, token string, byAdmin bool) error
	// Queued runs after the transaction commits, so the mail goes at once.
	Queued()
}

// noMailer refuses, so a service built without a mailer fails loudly
// instead of issuing tokens nobody receives.
type noMailer struct{}

var errNoMailer = errors.New("accounts: no mailer is wired")

func (noMailer) PasswordReset(context.Context, *gorm.DB, Tenant, User, string, bool) error {
	return errNoMailer
}
func (noMailer) Queued() {}
