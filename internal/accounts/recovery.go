package accounts

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// Token purposes.
const (
	TokenReset = "reset"
)

// ResetTokenTTL is how long a password-reset link works.
const ResetTokenTTL = time.Hour

// accountToken is a one-time token sent by mail; ID is its SHA-256.
type accountToken struct {
	ID        string
	TenantID  string
	UserID    string
	Purpose   string
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (accountToken) TableName() string { return "account_tokens" }

// mailRequest records one request for a mailed link, for rate limits.
type mailRequest struct {
	ID       string
	TenantID string
	Purpose  string
	Email    string
	IP       string
	At       time.Time
}

func (mailRequest) TableName() string { return "account_mail_requests" }

// MailLimits bound requests for mailed links (resets, confirmations).
type MailLimits struct {
	// PerEmail requests for one address within Window get a mail; further
	// ones are answered the same way but send nothing, so nobody can
	// flood a member's inbox and the answer still says nothing.
	PerEmail int
	// PerAddress requests from one client address within Window; further
	// ones are refused with rate_limited.
	PerAddress int
	Window     time.Duration
}

func DefaultMailLimits() MailLimits {
	return MailLimits{PerEmail: 3, PerAddress: 10, Window: time.Hour}
}

var errInvalidToken = apperr.New(apperr.CodeInvalidToken, "this link is not valid any more: it was already used, it is more than an hour old, or it was copied incompletely. Ask for a new one.")

// RequestPasswordReset mails a reset link when email has an account in t.
// It answers the same whether or not it does; only a malformed address or
// too many requests from one client are errors.
func (s *Service) RequestPasswordReset(ctx context.Context, t *Tenant, email string, client ClientInfo) error {
	email, msg := normaliseEmail(email)
	if msg != "" {
		return apperr.InvalidField("email", msg)
	}
	err := s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		send, err := s.admitMailRequest(ctx, tx, t.ID, TokenReset, email, client.IP, true)
		if err != nil || !send {
			return err
		}
		var u User
		err = tx.Where("tenant_id = ? AND email = ?", t.ID, email).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if !u.EmailConfirmed() {
			// An unconfirmed address receives nothing but the
			// confirmation: whoever holds it confirms it first, then asks
			// again.
			return s.mailConfirmation(ctx, stx, t, &u)
		}
		return s.mailReset(ctx, stx, t, &u, false)
	})
	if err != nil {
		return fmt.Errorf("password reset request: %w", err)
	}
	s.mailer().Queued()
	return nil
}

// SendResetLink is an admin mailing a member a reset link from the members
// page. The member's per-address limit still applies.
func (s *Service) SendResetLink(ctx context.Context, p *Principal, userID string) error {
	if !p.IsAdmin() {
		return apperr.Forbidden("only admins send reset links")
	}
	err := s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		var u User
		if err := tx.Where("tenant_id = ? AND id = ?", p.Tenant.ID, userID).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.NotFound("no such member")
			}
			return err
		}
		if !u.EmailConfirmed() {
			return apperr.Conflict("this member has not confirmed their address yet, so it receives nothing but the confirmation mail: use hub admin reset-password to hand them a link")
		}
		send, err := s.admitMailRequest(ctx, tx, p.Tenant.ID, TokenReset, u.Email, "", false)
		if err != nil {
			return err
		}
		if !send {
			e := apperr.New(apperr.CodeRateLimited, "this member was sent %d reset links in the last hour: wait before sending another", s.cfg.MailLimits.PerEmail)
			e.RetryAfterSeconds = int(s.cfg.MailLimits.Window.Seconds())
			return e
		}
		return s.mailReset(ctx, stx, &p.Tenant, &u, true)
	})
	if err != nil {
		return fmt.Errorf("send reset link to %s: %w", userID, err)
	}
	s.mailer().Queued()
	return nil
}

// IssueResetLinkToken makes a one-time reset token without mailing it, for
// `hub admin reset-password` (communities whose hub has no mail yet). The
// operator hands the link to the member.
func (s *Service) IssueResetLinkToken(ctx context.Context, tenantSlug, email string) (*User, string, error) {
	t, err := s.TenantBySlug(ctx, tenantSlug)
	if err != nil {
		return nil, "", err
	}
	email, msg := normaliseEmail(email)
	if msg != "" {
		return nil, "", apperr.InvalidField("email", msg)
	}
	var u User
	err = s.db.WithContext(ctx).Where("tenant_id = ? AND email = ?", t.ID, email).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, "", apperr.NotFound("%s has no account in %s", email, tenantSlug)
	}
	if err != nil {
		return nil, "", fmt.Errorf("find %s: %w", email, err)
	}
	token, err := s.newToken(s.db.WithContext(ctx), t.ID, &u, TokenReset, ResetTokenTTL)
	return &u, token, err
}

func (s *Service) mailReset(ctx context.Context, tx *store.Tx, t *Tenant, u *User, byAdmin bool) error {
	token, err := s.newToken(tx.ORM(ctx), t.ID, u, TokenReset, ResetTokenTTL)
	if err != nil {
		return err
	}
	return s.mailer().PasswordReset(ctx, tx, *t, *u, token, byAdmin)
}

func (s *Service) newToken(tx *gorm.DB, tenantID string, u *User, purpose string, ttl time.Duration) (string, error) {
	token := store.NewToken(32)
	now := s.now()
	row := accountToken{ID: hashToken(token), TenantID: tenantID, UserID: u.ID, Purpose: purpose, Email: u.Email, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := tx.Create(&row).Error; err != nil {
		return "", fmt.Errorf("store %s token: %w", purpose, err)
	}
	// Expired tokens of this member go as new ones are made.
	if err := tx.Where("tenant_id = ? AND user_id = ? AND expires_at < ?", tenantID, u.ID, now).Delete(&accountToken{}).Error; err != nil {
		return "", fmt.Errorf("prune tokens: %w", err)
	}
	return token, nil
}

// admitMailRequest applies the mail limits inside tx and records the
// request. It returns false when the address has had its share (nothing
// is sent, and the caller answers as usual), and rate_limited when the
// client address has. Concurrent requests for one address or from one
// client are serialised (advisory locks on PostgreSQL; SQLite has one
// writer), so 300 requests at once still send PerEmail mails.
func (s *Service) admitMailRequest(ctx context.Context, tx *gorm.DB, tenantID, purpose, email, ip string, limitIP bool) (bool, error) {
	lim := s.cfg.MailLimits
	now := s.now()
	since := now.Add(-lim.Window)
	if s.db.Dialect == store.Postgres {
		// Always email first, then client address: one order, no deadlock.
		for _, key := range []string{"email:" + email, "ip:" + ip} {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", lockKey(tenantID, purpose, key)).Error; err != nil {
				return false, fmt.Errorf("lock mail requests: %w", err)
			}
		}
	}
	if err := tx.Where("tenant_id = ? AND purpose = ? AND at < ?", tenantID, purpose, since).Delete(&mailRequest{}).Error; err != nil {
		return false, fmt.Errorf("prune mail requests: %w", err)
	}
	count := func(where string, args ...any) (int64, error) {
		var n int64
		err := tx.Model(&mailRequest{}).Where("tenant_id = ? AND purpose = ? AND at >= ?", tenantID, purpose, since).Where(where, args...).Count(&n).Error
		return n, err
	}
	if limitIP && ip != "" {
		n, err := count("ip = ?", ip)
		if err != nil {
			return false, fmt.Errorf("count mail requests: %w", err)
		}
		if n >= int64(lim.PerAddress) {
			var oldest mailRequest
			wait := lim.Window
			if err := tx.Where("tenant_id = ? AND purpose = ? AND ip = ? AND at >= ?", tenantID, purpose, ip, since).Order("at").Limit(1).Find(&oldest).Error; err == nil && !oldest.At.IsZero() {
				wait = oldest.At.Add(lim.Window).Sub(now)
			}
			e := apperr.New(apperr.CodeRateLimited, "too many requests from this connection: wait a while and try again")
			e.RetryAfterSeconds = int(math.Max(1, math.Ceil(wait.Seconds())))
			return false, e
		}
	}
	n, err := count("email = ?", email)
	if err != nil {
		return false, fmt.Errorf("count mail requests: %w", err)
	}
	if n >= int64(lim.PerEmail) {
		return false, nil
	}
	if err := tx.Create(&mailRequest{ID: store.NewID(), TenantID: tenantID, Purpose: purpose, Email: email, IP: ip, At: now}).Error; err != nil {
		return false, fmt.Errorf("record mail request: %w", err)
	}
	return true, nil
}

func lockKey(parts ...string) int64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return int64(h.Sum64())
}

// CheckResetToken reports whether a reset token can still be used, so the
// page can say so before the member types a new password.
func (s *Service) CheckResetToken(ctx context.Context, t *Tenant, token string) error {
	_, err := s.liveToken(s.db.WithContext(ctx), t.ID, token, TokenReset)
	return err
}

func (s *Service) liveToken(db *gorm.DB, tenantID, token, purpose string) (*accountToken, error) {
	if len(token) != 64 {
		return nil, errInvalidToken
	}
	var row accountToken
	err := db.Where("id = ? AND tenant_id = ? AND purpose = ?", hashToken(token), tenantID, purpose).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errInvalidToken
	}
	if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	if row.UsedAt != nil || !s.now().Before(row.ExpiresAt) {
		return nil, errInvalidToken
	}
	return &row, nil
}

// ConfirmPasswordReset sets a new password with a mailed token, ends every
// other session of the member (their sockets close) and signs this client
// in. The token works once, for an hour.
func (s *Service) ConfirmPasswordReset(ctx context.Context, t *Tenant, token, password string, client ClientInfo) (*Principal, string, error) {
	row, err := s.liveToken(s.db.WithContext(ctx), t.ID, token, TokenReset)
	if err != nil {
		return nil, "", err
	}
	u, err := s.User(ctx, t.ID, row.UserID)
	if err != nil {
		return nil, "", errInvalidToken
	}
	if msg := checkPassword(password, u.Email); msg != "" {
		return nil, "", apperr.InvalidField("password", msg)
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	sessionToken := store.NewToken(32)
	sess := Session{
		ID: hashToken(sessionToken), TenantID: t.ID, UserID: u.ID, CSRFToken: store.NewToken(32), Purpose: PurposeSession,
		UserAgent: truncateRunes(client.UserAgent, 200), IP: client.IP,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), LastSeenAt: now,
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The conditional update is the single use: of two requests with
		// one token, one updates the row and the other finds it used.
		res := tx.Model(&accountToken{}).Where("id = ? AND tenant_id = ? AND used_at IS NULL AND expires_at > ?", row.ID, t.ID, now).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errInvalidToken
		}
		if err := tx.Model(&User{}).Where("tenant_id = ? AND id = ?", t.ID, u.ID).
			Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		// Every reset link of the member stops working with this one.
		if err := tx.Where("tenant_id = ? AND user_id = ? AND purpose = ? AND id <> ?", t.ID, u.ID, TokenReset, row.ID).Delete(&accountToken{}).Error; err != nil {
			return err
		}
		if err := tx.Where("tenant_id = ? AND user_id = ?", t.ID, u.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		// A reset forgives the account's failed sign-ins.
		if err := tx.Where("tenant_id = ? AND email = ?", t.ID, u.Email).Delete(&signinFailure{}).Error; err != nil {
			return err
		}
		return tx.Create(&sess).Error
	})
	if err != nil {
		if errors.Is(err, errInvalidToken) {
			return nil, "", errInvalidToken
		}
		return nil, "", fmt.Errorf("reset password: %w", err)
	}
	s.sessionsEnded(ctx, t.ID, u.ID, "", sess.ID)
	u.PasswordHash = hash
	return &Principal{Tenant: *t, User: *u, Session: sess}, sessionToken, nil
}
