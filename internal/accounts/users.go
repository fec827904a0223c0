package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
	"quietroom/internal/textcheck"
)

// SignUpInput is what a new member gives. No real name is asked for.
type SignUpInput struct {
	Email            string     `json:"email"`
	Password         string     `json:"password"`
	DisplayName      string     `json:"display_name"`
	AgeBracket       AgeBracket `json:"age_bracket"`
	AcceptGuidelines bool       `json:"accept_guidelines"`
}

// SignUpAccepted is the one answer to every well-formed sign-up that is
// not refused for its display name or its rate: the same whether the
// address was new (an account now exists) or already had an account (it
// is left as it was), so sign-up tells nobody which addresses are here.
const SignUpAccepted = "Thank you. If this address is new here, your account is ready: sign in with the email and password you chose. If it already has an account, nothing about that account has changed."

// SignUp handles a sign-up: a new address gets an account (not signed in:
// the member signs in next); an address that already has one is left as
// it is. Both answer alike, and both run the SignUpRequested hooks (the
// email component mails a confirmation, or the owner a "someone tried to
// sign up with your address"). A taken display name is refused either way,
// since names are public. Sign-ups are limited per client address and per
// email.
func (s *Service) SignUp(ctx context.Context, t *Tenant, in SignUpInput, client ClientInfo) error {
	bad := apperr.Fields{}
	email, msg := normaliseEmail(in.Email)
	if msg != "" {
		bad.Add("email", msg)
	}
	if msg := checkPassword(in.Password, email); msg != "" {
		bad.Add("password", msg)
	}
	display, msg := checkDisplayName(in.DisplayName)
	if msg != "" {
		bad.Add("display_name", msg)
	}
	if in.AgeBracket != Teen && in.AgeBracket != Adult {
		bad.Add("age_bracket", "must be teen (13–17) or adult (18 or over)")
	}
	if !in.AcceptGuidelines {
		bad.Add("accept_guidelines", "the community guidelines must be accepted to join")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	// The door first (over a limit: 429 at once), then a place in the
	// hashing limiter (503 at once when there is none, before any
	// database work); then the sign-up is counted before the password is
	// hashed, and taken back if it is refused after all: a burst admits
	// exactly the limits.
	limits := s.signUpLimits(email, client.IP)
	leave, err := s.gate.enter(s.now(), t.ID, limits)
	defer leave()
	if err != nil {
		return err
	}
	ticket, err := s.hasher.AdmitFrom(ctx, client.IP)
	if err != nil {
		return err
	}
	defer ticket.Release()
	attempt, err := s.reserveSignUp(ctx, limits, t.ID, email, client.IP)
	if err != nil {
		return err
	}
	if err := s.signUp(ctx, ticket, t, in, email, display); err != nil {
		if attempt != "" {
			if rerr := s.releaseAttempt(ctx, signupAttempt{}.TableName(), attempt); rerr != nil {
				return errors.Join(err, rerr)
			}
		}
		return err
	}
	return nil
}

func (s *Service) signUp(ctx context.Context, ticket *HashTicket, t *Tenant, in SignUpInput, email, display string) error {
	// The password is hashed whether or not it will be used, so a taken
	// address takes as long as a new one.
	hash, err := ticket.Hash(ctx, in.Password)
	if err != nil {
		return err
	}
	u := s.userWithHash(*t, email, hash, display, in.AgeBracket, Roles{RoleMember})
	err = s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		var n int64
		if err := tx.Model(&User{}).Where("tenant_id = ? AND display_name_key = ?", t.ID, u.DisplayNameKey).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errNameTaken
		}
		// ON CONFLICT DO NOTHING: a failed insert would abort a PostgreSQL
		// transaction; a concurrent sign-up for the same address loses
		// quietly and is answered as a taken address.
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(u)
		if res.Error != nil {
			return res.Error
		}
		req := SignUpRequest{Tenant: *t, Email: email, User: *u}
		if res.RowsAffected == 0 {
			var owner User
			err := tx.Where("tenant_id = ? AND email = ?", t.ID, email).Take(&owner).Error
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errNameTaken // the name was taken in the meantime
			}
			if err != nil {
				return err
			}
			req.User, req.Existing = owner, true
		}
		for _, hook := range s.hooks.SignUpRequested {
			if err := hook(ctx, stx, req); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sign up: %w", err)
	}
	return nil
}

var errNameTaken = apperr.InvalidField("display_name", "is already used by someone here: pick another")

// signupAttempt is one accepted sign-up request, kept for the rate limits.
type signupAttempt struct {
	ID       string
	TenantID string
	Email    string
	IP       string
	At       time.Time
}

func (signupAttempt) TableName() string { return "signup_attempts" }

// signUpLimits are the limits of sign-ups per email and per client
// address.
func (s *Service) signUpLimits(email, ip string) limitedAction {
	return limitedAction{table: signupAttempt{}.TableName(), window: s.cfg.SignUpWindow, keys: []limitKey{
		{"email", email, s.cfg.MaxSignUpsPerEmail},
		{"ip", ip, s.cfg.MaxSignUpsPerAddress},
	}, refused: func() *apperr.Error {
		return apperr.New(apperr.CodeRateLimited, "too many sign-ups: wait a while and try again")
	}}
}

// reserveSignUp counts a sign-up against the limits per email and per
// client address, or refuses it; it returns "" when no limit applies.
func (s *Service) reserveSignUp(ctx context.Context, limits limitedAction, tenantID, email, ip string) (string, error) {
	if s.cfg.SignUpWindow <= 0 || (s.cfg.MaxSignUpsPerEmail <= 0 && s.cfg.MaxSignUpsPerAddress <= 0) {
		return "", nil
	}
	return s.reserveAttempt(ctx, limits, tenantID, email, ip)
}

func checkDisplayName(raw string) (string, string) {
	v, msg := textcheck.Name(raw, 2, 40)
	if msg != "" {
		return "", msg
	}
	if strings.Contains(v, "@") {
		return "", "must not contain @: choose a name that is not your email"
	}
	return v, ""
}

func (s *Service) newUser(ctx context.Context, t Tenant, email, password, display string, age AgeBracket, roles Roles) (*User, error) {
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	return s.userWithHash(t, email, hash, display, age, roles), nil
}

func (s *Service) userWithHash(t Tenant, email, hash, display string, age AgeBracket, roles Roles) *User {
	now := s.now()
	return &User{
		ID: store.NewID(), TenantID: t.ID, Email: email, DisplayName: display, DisplayNameKey: textcheck.Key(display),
		PasswordHash: hash, AgeBracket: age, RolesText: roles.normalise().String(),
		GuidelinesVersion: t.GuidelinesVersion, GuidelinesAcceptedAt: now, PreferencesJSON: "{}", CreatedAt: now, UpdatedAt: now,
	}
}

// insertUser maps unique-index violations to field errors.
func insertUser(db *gorm.DB, u *User) error {
	err := db.Create(u).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		var n int64
		db.Model(&User{}).Where("tenant_id = ? AND email = ?", u.TenantID, u.Email).Count(&n)
		if n > 0 {
			return apperr.InvalidField("email", "already has an account here: sign in instead")
		}
		return apperr.InvalidField("display_name", "is already used by someone here: pick another")
	}
	return err
}

// User returns a user of the tenant; users of other tenants are not_found.
func (s *Service) User(ctx context.Context, tenantID, userID string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", tenantID, userID).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("no such member")
	}
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", userID, err)
	}
	return &u, nil
}

// ListUsers is for admins and moderators.
func (s *Service) ListUsers(ctx context.Context, p *Principal) ([]User, error) {
	if !p.IsAdmin() && !p.IsModerator() {
		return nil, apperr.Forbidden("only admins and moderators list members")
	}
	var us []User
	err := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID).Order("display_name_key").Limit(5000).Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// SetRoles replaces a user's roles. The last admin cannot drop their own.
func (s *Service) SetRoles(ctx context.Context, p *Principal, userID string, roles []Role) (*User, error) {
	if !p.IsAdmin() {
		return nil, apperr.Forbidden("only admins change roles")
	}
	set := Roles{}
	for _, r := range roles {
		if !ParseRoles(string(r)).Has(r) || strings.ContainsAny(string(r), " \t") {
			return nil, apperr.InvalidField("roles", fmt.Sprintf("%q is not a role: use member, mentor, moderator or admin", r))
		}
		set = append(set, r)
	}
	set = set.normalise()
	var out *User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("tenant_id = ? AND id = ?", p.Tenant.ID, userID).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.NotFound("no such member")
			}
			return err
		}
		if u.Roles().Has(RoleAdmin) && !set.Has(RoleAdmin) {
			if err := s.ensureAnotherAdmin(tx, p.Tenant.ID, u.ID); err != nil {
				return err
			}
		}
		u.RolesText = set.String()
		u.UpdatedAt = s.now()
		if err := tx.Model(&User{}).Where("tenant_id = ? AND id = ?", p.Tenant.ID, u.ID).
			Updates(map[string]any{"roles": u.RolesText, "updated_at": u.UpdatedAt}).Error; err != nil {
			return err
		}
		out = &u
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set roles of %s: %w", userID, err)
	}
	for _, hook := range s.hooks.RolesChanged {
		hook(ctx, p.Tenant.ID, userID)
	}
	return out, nil
}

// checkCurrentPassword checks the signed-in member's password, typed
// again, as a sign-in attempt for their account.
func (s *Service) checkCurrentPassword(ctx context.Context, p *Principal, password string, client ClientInfo) (bool, error) {
	if password == "" || len(password) > 256 {
		return false, nil
	}
	return s.checkPasswordAttempt(ctx, p.Tenant.ID, p.User.Email, client.IP, password, false, func(ctx context.Context) (string, error) {
		var hash []string
		err := s.db.WithContext(ctx).Model(&User{}).Where("tenant_id = ? AND id = ?", p.Tenant.ID, p.User.ID).Pluck("password_hash", &hash).Error
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if len(hash) == 0 {
			return "", nil // deleted meanwhile: nothing matches
		}
		return hash[0], nil
	})
}

func (s *Service) ensureAnotherAdmin(tx *gorm.DB, tenantID, userID string) error {
	var admins []User
	if err := tx.Where("tenant_id = ? AND id <> ?", tenantID, userID).Find(&admins).Error; err != nil {
		return err
	}
	for _, a := range admins {
		if a.Roles().Has(RoleAdmin) {
			return nil
		}
	}
	return apperr.Conflict("a community needs at least one admin: appoint another first")
}

// ProfileUpdate holds the fields a member changes about themself.
type ProfileUpdate struct {
	DisplayName *string `json:"display_name"`
	// AcceptGuidelines accepts the tenant's current guidelines version.
	AcceptGuidelines *bool             `json:"accept_guidelines"`
	Preferences      *PreferencesPatch `json:"preferences"`
}

func (s *Service) UpdateProfile(ctx context.Context, p *Principal, in ProfileUpdate) (*User, error) {
	u := p.User
	updates := map[string]any{}
	bad := apperr.Fields{}
	if in.DisplayName != nil {
		v, msg := checkDisplayName(*in.DisplayName)
		if msg != "" {
			bad.Add("display_name", msg)
		}
		u.DisplayName, u.DisplayNameKey = v, textcheck.Key(v)
		updates["display_name"], updates["display_name_key"] = u.DisplayName, u.DisplayNameKey
	}
	if in.Preferences != nil {
		prefs := in.Preferences.apply(u.Preferences(), bad)
		encoded, err := encodePreferences(prefs)
		if err != nil {
			return nil, err
		}
		u.PreferencesJSON = encoded
		updates["preferences"] = encoded
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	if in.AcceptGuidelines != nil && *in.AcceptGuidelines {
		u.GuidelinesVersion, u.GuidelinesAcceptedAt = p.Tenant.GuidelinesVersion, s.now()
		updates["guidelines_version"], updates["guidelines_accepted_at"] = u.GuidelinesVersion, u.GuidelinesAcceptedAt
	}
	if len(updates) == 0 {
		return &u, nil
	}
	u.UpdatedAt = s.now()
	updates["updated_at"] = u.UpdatedAt
	err := s.db.WithContext(ctx).Model(&User{}).Where("tenant_id = ? AND id = ?", u.TenantID, u.ID).Updates(updates).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, apperr.InvalidField("display_name", "is already used by someone here: pick another")
	}
	if err != nil {
		return nil, fmt.Errorf("update profile: %w", err)
	}
	return &u, nil
}

// Export gathers everything the service holds about the signed-in member.
func (s *Service) Export(ctx context.Context, p *Principal) (map[string]any, error) {
	var sessions []Session
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND user_id = ?", p.Tenant.ID, p.User.ID).Order("created_at").Find(&sessions).Error; err != nil {
		return nil, fmt.Errorf("export sessions: %w", err)
	}
	type sessionView struct {
		CreatedAt  any    `json:"created_at"`
		ExpiresAt  any    `json:"expires_at"`
		LastSeenAt any    `json:"last_seen_at"`
		UserAgent  string `json:"user_agent"`
		IP         string `json:"ip"`
	}
	views := make([]sessionView, len(sessions))
	for i, ss := range sessions {
		views[i] = sessionView{ss.CreatedAt, ss.ExpiresAt, ss.LastSeenAt, ss.UserAgent, ss.IP}
	}
	out := map[string]any{
		"exported_at": s.now(),
		"community":   map[string]string{"slug": p.Tenant.Slug, "name": p.Tenant.Name},
		"account": map[string]any{
			"id": p.User.ID, "email": p.User.Email, "display_name": p.User.DisplayName,
			"age_bracket": p.User.AgeBracket, "roles": p.User.Roles(),
			"guidelines_version": p.User.GuidelinesVersion, "guidelines_accepted_at": p.User.GuidelinesAcceptedAt,
			"preferences": p.User.Preferences(), "attack_mode": p.User.AttackMode(s.now()),
			"created_at": p.User.CreatedAt, "updated_at": p.User.UpdatedAt,
		},
		"sessions": views,
	}
	for _, e := range s.hooks.Exporters {
		name, data, err := e.ExportUser(ctx, p.Tenant.ID, p.User.ID)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", name, err)
		}
		out[name] = data
	}
	return out, nil
}

// DeleteAccount removes the member after checking their password again
// (counted like a sign-in attempt: see checkPasswordAttempt). What happens
// to their messages follows the tenant's deletion policy.
func (s *Service) DeleteAccount(ctx context.Context, p *Principal, password string, client ClientInfo) error {
	ok, err := s.checkCurrentPassword(ctx, p, password, client)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.InvalidField("password", "is not your current password")
	}
	err = s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		if p.User.Roles().Has(RoleAdmin) {
			if err := s.ensureAnotherAdmin(tx, p.Tenant.ID, p.User.ID); err != nil {
				return err
			}
		}
		for _, hook := range s.hooks.UserDeleted {
			if err := hook(ctx, stx, p.Tenant, p.User.ID); err != nil {
				return fmt.Errorf("delete account: %w", err)
			}
		}
		if err := tx.Where("tenant_id = ? AND user_id = ?", p.Tenant.ID, p.User.ID).Delete(&Session{}).Error; err != nil {
			return fmt.Errorf("delete sessions: %w", err)
		}
		if err := tx.Where("tenant_id = ? AND email = ?", p.Tenant.ID, p.User.Email).Delete(&signinFailure{}).Error; err != nil {
			return fmt.Errorf("delete sign-in records: %w", err)
		}
		if err := tx.Where("tenant_id = ? AND id = ?", p.Tenant.ID, p.User.ID).Delete(&User{}).Error; err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		return nil
	})
	if err == nil {
		s.sessionsEnded(ctx, p.Tenant.ID, p.User.ID, "", "")
	}
	return err
}

// ChangePassword replaces the member's password after checking the current
// one (counted like a sign-in attempt: someone at an unlocked device gets
// no more guesses than at the sign-in form), and ends every other session
// (a changed password should lock out whoever else may have had it).
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string, client ClientInfo) error {
	ok, err := s.checkCurrentPassword(ctx, p, current, client)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.InvalidField("current_password", "is not your current password")
	}
	if msg := checkPassword(next, p.User.Email); msg != "" {
		return apperr.InvalidField("new_password", msg)
	}
	ticket, err := s.hasher.AdmitFrom(ctx, client.IP)
	if err != nil {
		return err
	}
	defer ticket.Release()
	hash, err := ticket.Hash(ctx, next)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("tenant_id = ? AND id = ?", p.Tenant.ID, p.User.ID).
			Updates(map[string]any{"password_hash": hash, "updated_at": s.now()}).Error; err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		// This session and the connect tokens it issued stay.
		return tx.Where("tenant_id = ? AND user_id = ? AND id <> ? AND parent_id <> ?", p.Tenant.ID, p.User.ID, p.Session.ID, p.Session.ID).Delete(&Session{}).Error
	})
	if err == nil {
		s.sessionsEnded(ctx, p.Tenant.ID, p.User.ID, "", p.Session.ID)
	}
	return err
}
