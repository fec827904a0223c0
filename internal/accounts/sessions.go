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
	var u User
	ok, err := s.checkPasswordAttempt(ctx, t.ID, email, client.IP, password, true, func(ctx context.Context) (string, error) {
		err := s.db.WithContext(ctx).Where("tenant_id = ? AND email = ?", t.ID, email).Take(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			// An unknown email is checked against a dummy hash, through
			// the same limiter: it costs the same and waits the same.
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("sign in: %w", err)
		}
		return u.PasswordHash, nil
	})
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", apperr.New(apperr.CodeUnauthenticated, "that email and password do not match an account here")
	}
	return s.startSession(ctx, t, &u, client)
}

// checkPasswordAttempt checks password against the hash hashOf finds, as
// one sign-in attempt for email from ip: a sign-in, or the current
// password typed again to change it or delete the account, all under the
// same limits. In order, each step cheaper than the next:
//  1. the door (attemptGate): over a limit is 429 at once;
//  2. a place in the hashing limiter (503 at once when there is none;
//     requests from one address wait their turn for that address's place);
//  3. the attempt is counted in the database, as a failure, before the
//     password is checked, so a burst admits exactly the limit across
//     every hub instance;
//  4. the check. A right password forgives the account's failures (this
//     attempt's included) and, when rehash is set and the stored hash was
//     made with other parameters, stores the password hashed again with
//     today's. A check that did not happen (busy, client gone) does not
//     count.
func (s *Service) checkPasswordAttempt(ctx context.Context, tenantID, email, ip, password string, rehash bool, hashOf func(context.Context) (string, error)) (bool, error) {
	limits := s.signInLimits(email, ip)
	leave, err := s.gate.enter(s.now(), tenantID, limits)
	defer leave()
	if err != nil {
		return false, err
	}
	ticket, err := s.hasher.AdmitFrom(ctx, ip)
	if err != nil {
		return false, err
	}
	defer ticket.Release()
	attempt, err := s.reserveAttempt(ctx, limits, tenantID, email, ip)
	if err != nil {
		return false, err
	}
	hash, err := hashOf(ctx)
	if err != nil {
		return false, errors.Join(err, s.releaseAttempt(ctx, limits.table, attempt))
	}
	var ok bool
	var fresh string
	if rehash {
		ok, fresh, err = ticket.VerifyAndRehash(ctx, password, hash)
	} else {
		ok, err = ticket.Verify(ctx, password, hash)
	}
	if err != nil {
		return false, errors.Join(err, s.releaseAttempt(ctx, limits.table, attempt))
	}
	if !ok {
		return false, nil
	}
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND email = ?", tenantID, email).Delete(&signinFailure{}).Error; err != nil {
		return false, fmt.Errorf("clear sign-in failures: %w", err)
	}
	if fresh != "" {
		// Only over the hash just checked: a password changed meanwhile
		// stays changed.
		err := s.db.WithContext(ctx).Model(&User{}).Where("tenant_id = ? AND email = ? AND password_hash = ?", tenantID, email, hash).
			Update("password_hash", fresh).Error
		if err != nil {
			return false, fmt.Errorf("store rehashed password: %w", err)
		}
	}
	return true, nil
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
