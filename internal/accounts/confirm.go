package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// TokenConfirm is the purpose of address-confirmation tokens.
const TokenConfirm = "confirm"

// ConfirmTokenTTL is how long a confirmation link works.
const ConfirmTokenTTL = 48 * time.Hour

// mailSignUp runs inside every accepted sign-up's transaction: a new
// account gets the confirmation mail; the owner of a taken address is told
// that someone tried to sign up with it (or, while that address is itself
// unconfirmed, gets the confirmation again: an unconfirmed address
// receives nothing else). Without a mailer (tests of accounts alone) it
// does nothing.
func (s *Service) mailSignUp(ctx context.Context, tx *store.Tx, req SignUpRequest) error {
	if s.hooks.Mailer == nil {
		return nil
	}
	if req.Existing && req.User.EmailConfirmed() {
		return s.hooks.Mailer.SignUpAttempt(ctx, tx, req.Tenant, req.User)
	}
	return s.mailConfirmation(ctx, tx, &req.Tenant, &req.User)
}

func (s *Service) mailConfirmation(ctx context.Context, tx *store.Tx, t *Tenant, u *User) error {
	token, err := s.newToken(tx.ORM(ctx), t.ID, u, TokenConfirm, ConfirmTokenTTL)
	if err != nil {
		return err
	}
	return s.mailer().ConfirmAddress(ctx, tx, *t, *u, token)
}

// ResendConfirmation mails the signed-in member a new confirmation link,
// within the mail limits.
func (s *Service) ResendConfirmation(ctx context.Context, p *Principal, client ClientInfo) error {
	if p.User.EmailConfirmed() {
		return apperr.Conflict("your address is already confirmed")
	}
	err := s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		send, err := s.admitMailRequest(ctx, tx, p.Tenant.ID, TokenConfirm, p.User.Email, client.IP, true)
		if err != nil {
			return err
		}
		if !send {
			e := apperr.New(apperr.CodeRateLimited, "a confirmation mail was sent %d times in the last hour: check your spam folder, or try again later", s.cfg.MailLimits.PerEmail)
			e.RetryAfterSeconds = int(s.cfg.MailLimits.Window.Seconds())
			return e
		}
		return s.mailConfirmation(ctx, stx, &p.Tenant, &p.User)
	})
	if err != nil {
		return fmt.Errorf("resend confirmation: %w", err)
	}
	s.mailer().Queued()
	return nil
}

// ConfirmAddress marks the address of a confirmation token's member as
// confirmed. The token works once, for 48 hours.
func (s *Service) ConfirmAddress(ctx context.Context, t *Tenant, token string) error {
	row, err := s.liveToken(s.db.WithContext(ctx), t.ID, token, TokenConfirm)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&accountToken{}).Where("id = ? AND tenant_id = ? AND used_at IS NULL AND expires_at > ?", row.ID, t.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errInvalidToken
		}
		// Only the address the token was mailed to is confirmed.
		if err := tx.Model(&User{}).Where("tenant_id = ? AND id = ? AND email = ? AND email_confirmed_at IS NULL", t.ID, row.UserID, row.Email).
			Update("email_confirmed_at", now).Error; err != nil {
			return err
		}
		return tx.Where("tenant_id = ? AND user_id = ? AND purpose = ? AND id <> ?", t.ID, row.UserID, TokenConfirm, row.ID).Delete(&accountToken{}).Error
	})
	if errors.Is(err, errInvalidToken) {
		return errInvalidToken
	}
	if err != nil {
		return fmt.Errorf("confirm address: %w", err)
	}
	return nil
}
