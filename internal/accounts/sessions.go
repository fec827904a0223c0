package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// ClientInfo describes where a sign-in comes from, for rate limits and the
// member's own list of sessions.
type ClientInfo struct {
	IP        string
	UserAgent string
}

type signinFailure struct {
	ID       string
	TenantID string
	Email    string
	IP       string
	At       time.Time
}

func (signinFailure) TableName() string { return "signin_failures" }

// ErrOtherTenant is returned when a credential is valid but belongs to
// another tenant; callers answer not_found so nothing about this tenant is
// revealed to it.
var ErrOtherTenant = apperr.NotFound("not found")

// SignIn checks an email and password and starts a session. Repeated
// failures for one account or from one address are refused for a while.
func (s *Service) SignIn(ctx context.Context, t *Tenant, email, password string, client ClientInfo) (*Principal, string, error) {
	email, msg := normaliseEmail(email)
	if msg != "" {
		return nil, "", apperr.InvalidField("email", msg)
	}
	if password == "" {
		return nil, "", apperr.InvalidField("password", "is required")
	}
	if len(password) > 256 {
		return nil, "", apperr.InvalidField("password", "must be at most 256 bytes")
	}
	// The attempt is counted before the password is checked, as a
	// failure: a right password takes it back. So a burst of attempts
	// admits exactly the limit, across every hub instance.
	attempt, err := s.reserveAttempt(ctx, signinFailure{}.TableName(), t.ID, email, client.IP, s.cfg.FailureWindow, []limitKey{
		{"email", email, s.cfg.MaxFailuresPerAccount},
		{"ip", client.IP, s.cfg.MaxFailuresPerAddress},
	}, func() *apperr.Error {
		return apperr.New(apperr.CodeRateLimited, "too many failed sign-in attempts: wait a few minutes and try again")
	})
	if err != nil {
		return nil, "", err
	}
	var u User
	err = s.db.WithContext(ctx).Where("tenant_id = ? AND email = ?", t.ID, email).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, "", errors.Join(fmt.Errorf("sign in: %w", err), s.releaseAttempt(ctx, signinFailure{}.TableName(), attempt))
	}
	// An unknown email is checked against a dummy hash, through the same
	// limiter: it costs the same and waits the same.
	ok, err := s.hasher.Verify(ctx, password, u.PasswordHash)
	if err != nil {
		// Not checked (the server was too busy, or the client left): the
		// attempt does not count.
		if rerr := s.releaseAttempt(ctx, signinFailure{}.TableName(), attempt); rerr != nil {
			return nil, "", errors.Join(err, rerr)
		}
		return nil, "", err
	}
	if !ok {
		return nil, "", apperr.New(apperr.CodeUnauthenticated, "that email and password do not match an account here")
	}
	// A success forgives the account's earlier failures (not the
	// address's), this attempt's reservation included.
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND email = ?", t.ID, email).Delete(&signinFailure{}).Error; err != nil {
		return nil, "", fmt.Errorf("clear sign-in failures: %w", err)
	}
	return s.startSession(ctx, t, &u, client)
}

func (s *Service) startSession(ctx context.Context, t *Tenant, u *User, client ClientInfo) (*Principal, string, error) {
	token := store.NewToken(32)
	now := s.now()
	sess := Session{
		ID: hashToken(token), TenantID: t.ID, UserID: u.ID, CSRFToken: store.NewToken(32), Purpose: PurposeSession,
		UserAgent: truncateRunes(client.UserAgent, 200), IP: client.IP,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), LastSeenAt: now,
	}
	if err := s.db.WithContext(ctx).Create(&sess).Error; err != nil {
		return nil, "", fmt.Errorf("start session: %w", err)
	}
	return &Principal{Tenant: *t, User: *u, Session: sess}, token, nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate resolves a session token within tenant t. An expired or
// revoked token is unauthenticated; a token of another tenant is
// ErrOtherTenant.
func (s *Service) Authenticate(ctx context.Context, t *Tenant, token string) (*Principal, error) {
	return s.authenticate(ctx, t, token, PurposeSession)
}

// AuthenticateConnect is Authenticate for opening a WebSocket, which also
// accepts short-lived connect tokens.
func (s *Service) AuthenticateConnect(ctx context.Context, t *Tenant, token string) (*Principal, error) {
	return s.authenticate(ctx, t, token, PurposeSession, PurposeConnect)
}

// ConnectTokenTTL is how long a connect token opens WebSockets.
const ConnectTokenTTL = 2 * time.Minute

// IssueConnectToken returns a short-lived token that opens WebSockets as p
// (and nothing else), for clients such as the load tool that do not hold
// the browser cookie.
func (s *Service) IssueConnectToken(ctx context.Context, p *Principal) (string, time.Time, error) {
	token := store.NewToken(32)
	now := s.now()
	sess := Session{ID: hashToken(token), TenantID: p.Tenant.ID, UserID: p.User.ID, CSRFToken: store.NewToken(32),
		Purpose: PurposeConnect, ParentID: p.Session.ID, CreatedAt: now, ExpiresAt: now.Add(ConnectTokenTTL), LastSeenAt: now}
	if err := s.db.WithContext(ctx).Create(&sess).Error; err != nil {
		return "", time.Time{}, fmt.Errorf("issue connect token: %w", err)
	}
	// Expired connect tokens of this member are pruned as new ones are made.
	s.db.WithContext(ctx).Where("tenant_id = ? AND user_id = ? AND purpose = ? AND expires_at < ?", p.Tenant.ID, p.User.ID, PurposeConnect, now).Delete(&Session{})
	return token, sess.ExpiresAt, nil
}

func (s *Service) authenticate(ctx context.Context, t *Tenant, token string, purposes ...string) (*Principal, error) {
	unauth := apperr.New(apperr.CodeUnauthenticated, "your session has ended: please sign in again")
	if len(token) != 64 {
		return nil, unauth
	}
	var sess Session
	err := s.db.WithContext(ctx).Where("id = ?", hashToken(token)).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, unauth
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if sess.TenantID != t.ID {
		return nil, ErrOtherTenant
	}
	if !slices.Contains(purposes, sess.Purpose) {
		return nil, unauth
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		return nil, unauth
	}
	u, err := s.User(ctx, t.ID, sess.UserID)
	if err != nil {
		return nil, unauth
	}
	// Record activity at most once an hour, so reads stay reads.
	if now.Sub(sess.LastSeenAt) > time.Hour {
		sess.LastSeenAt = now
		s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now)
	}
	return &Principal{Tenant: *t, User: *u, Session: sess}, nil
}

// SignOut ends this session and the connect tokens it issued.
func (s *Service) SignOut(ctx context.Context, p *Principal) error {
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND (id = ? OR parent_id = ?)", p.Tenant.ID, p.Session.ID, p.Session.ID).Delete(&Session{}).Error
	if err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	s.sessionsEnded(ctx, p.Tenant.ID, p.User.ID, p.Session.ID, "")
	return nil
}

// SignOutEverywhere ends every session of the member, this one included,
// and every connect token they issued. It counts the sessions only.
func (s *Service) SignOutEverywhere(ctx context.Context, p *Principal) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("tenant_id = ? AND user_id = ? AND purpose = ?", p.Tenant.ID, p.User.ID, PurposeConnect).Delete(&Session{}).Error; err != nil {
			return err
		}
		res := tx.Where("tenant_id = ? AND user_id = ?", p.Tenant.ID, p.User.ID).Delete(&Session{})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("sign out everywhere: %w", err)
	}
	s.sessionsEnded(ctx, p.Tenant.ID, p.User.ID, "", "")
	return n, nil
}
