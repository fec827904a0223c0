package main

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"quietroom/internal/accounts"
	"quietroom/internal/mail"
	"quietroom/internal/store"
)

// newMail builds the outbox and, when a mail server is configured (or a
// test passes a sender), the worker that empties it.
func newMail(d appDeps, reg *prometheus.Registry) (*mail.Outbox, *mail.Worker) {
	cfg := mail.DefaultConfig()
	if d.mailCfg != nil {
		cfg = *d.mailCfg
	}
	outbox := mail.NewOutbox(d.db, cfg, mail.NewMetrics(reg), d.now)
	mail.RegisterOutboxGauge(reg, outbox)
	wcfg := mail.DefaultWorkerConfig()
	if d.mailWorkerCfg != nil {
		wcfg = *d.mailWorkerCfg
	}
	sender := d.mailSender
	if sender == nil && d.cfg.SMTP != nil {
		sender = mail.NewSMTPSender(*d.cfg.SMTP, wcfg.SendTimeout)
	}
	if sender == nil {
		return outbox, nil
	}
	from := d.cfg.MailFrom
	if from == nil {
		from, _ = mail.ParseAddress("Quietroom <no-reply@localhost>")
	}
	return outbox, mail.NewWorker(outbox, sender, from, wcfg, d.log)
}

// accountMailer queues account mails in the outbox (accounts.Mailer).
type accountMailer struct {
	outbox *mail.Outbox
	links  mail.Links
}

func recipientOf(t accounts.Tenant, u accounts.User) mail.Recipient {
	return mail.Recipient{TenantID: t.ID, TenantSlug: t.Slug, TenantName: t.Name, UserID: u.ID, DisplayName: u.DisplayName, Email: u.Email}
}

func (m accountMailer) PasswordReset(ctx context.Context, tx *store.Tx, t accounts.Tenant, u accounts.User, token string, byAdmin bool) error {
	_, err := m.outbox.Enqueue(ctx, tx, m.links.PasswordReset(recipientOf(t, u), token, byAdmin))
	return err
}

func (m accountMailer) Queued() { m.outbox.Queued() }

func (m accountMailer) ConfirmAddress(ctx context.Context, tx *store.Tx, t accounts.Tenant, u accounts.User, token string) error {
	_, err := m.outbox.Enqueue(ctx, tx, m.links.ConfirmAddress(recipientOf(t, u), token))
	return err
}

func (m accountMailer) SignUpAttempt(ctx context.Context, tx *store.Tx, t accounts.Tenant, u accounts.User) error {
	_, err := m.outbox.Enqueue(ctx, tx, m.links.SignUpAttempt(recipientOf(t, u)))
	return err
}
