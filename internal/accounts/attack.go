package accounts

import (
	"context"
	"fmt"
	"time"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// Attack mode is one switch a member flips in the middle of a migraine
// attack: every page goes to its darkest, quietest form, and what the
// service would ask of them waits (offers to mentor pass on, mail digests
// hold, others see them as away). It is state of the account, so every
// device follows it, and it ends when the member turns it off or, unless
// they chose otherwise, after DefaultAttackMinutes.

// Attack-mode durations, in minutes. 0 asks for no end time.
const (
	DefaultAttackMinutes = 240
	MinAttackMinutes     = 30
	MaxAttackMinutes     = 48 * 60
)

// AttackMode is the state as the member's devices show it.
type AttackMode struct {
	On    bool       `json:"on"`
	Since *time.Time `json:"since"`
	// Until is when it ends by itself; nil while on means it lasts until
	// the member turns it off.
	Until *time.Time `json:"until"`
	// Lapsed: it ended by itself and the member has not yet answered
	// "still in an attack?" (turning it on or off answers).
	Lapsed bool `json:"lapsed"`
}

// AttackMode reads the member's attack mode at now.
func (u User) AttackMode(now time.Time) AttackMode {
	if u.AttackSince == nil {
		return AttackMode{}
	}
	m := AttackMode{Since: u.AttackSince, Until: u.AttackUntil, On: true}
	if u.AttackUntil != nil && !now.Before(*u.AttackUntil) {
		m.On, m.Lapsed = false, true
	}
	return m
}

// AttackModeInput turns attack mode on (with an optional duration) or off.
type AttackModeInput struct {
	On *bool `json:"on"`
	// Minutes is how long it lasts: MinAttackMinutes to MaxAttackMinutes,
	// 0 for until turned off; absent: the member's preference
	// (attack_minutes, DefaultAttackMinutes unless changed). Only with on.
	Minutes *int `json:"minutes"`
}

// AttackModeHook is told, after the change is stored, that a member's
// attack mode changed (the real-time hub pushes it to their other devices
// and updates presence; mentoring passes their offers on).
type AttackModeHook func(ctx context.Context, tenantID, userID string, mode AttackMode)

// SetAttackMode turns the signed-in member's attack mode on or off. On
// again while on restarts the clock from now with the new duration; off
// also answers a lapsed mode's "still in an attack?".
func (s *Service) SetAttackMode(ctx context.Context, p *Principal, in AttackModeInput) (AttackMode, error) {
	if in.On == nil {
		return AttackMode{}, apperr.InvalidField("on", "is required: true to turn attack mode on, false to turn it off")
	}
	// Microseconds, as PostgreSQL keeps them: the answer equals what a
	// later read returns.
	now := s.now().Truncate(time.Microsecond)
	var since, until *time.Time
	if *in.On {
		minutes := p.User.Preferences().AttackMinutes
		if in.Minutes != nil {
			minutes = *in.Minutes
		}
		if minutes != 0 && (minutes < MinAttackMinutes || minutes > MaxAttackMinutes) {
			return AttackMode{}, apperr.InvalidField("minutes", fmt.Sprintf("must be from %d to %d, or 0 to last until you turn it off", MinAttackMinutes, MaxAttackMinutes))
		}
		since = &now
		if cur := p.User.AttackMode(now); cur.On {
			since = cur.Since // still the same attack
		}
		if minutes > 0 {
			end := now.Add(time.Duration(minutes) * time.Minute)
			until = &end
		}
	} else if in.Minutes != nil {
		return AttackMode{}, apperr.InvalidField("minutes", "goes only with on: true")
	}
	err := s.db.WithContext(ctx).Model(&User{}).Where("tenant_id = ? AND id = ?", p.Tenant.ID, p.User.ID).
		Updates(map[string]any{"attack_since": since, "attack_until": until, "updated_at": now}).Error
	if err != nil {
		return AttackMode{}, fmt.Errorf("set attack mode: %w", err)
	}
	u := p.User
	u.AttackSince, u.AttackUntil = since, until
	mode := u.AttackMode(now)
	for _, hook := range s.hooks.AttackModeChanged {
		hook(ctx, p.Tenant.ID, p.User.ID, mode)
	}
	return mode, nil
}

// Now is the service's clock (pages place the member's attack mode by it).
func (s *Service) Now() time.Time { return s.now() }

// AttackModes answers which members are in attack mode now. It reads the
// users table only, so the domains built before accounts.Service
// (mentoring) can be given one at construction.
type AttackModes struct {
	db  *store.DB
	now func() time.Time
}

func NewAttackModes(db *store.DB, now func() time.Time) *AttackModes {
	if now == nil {
		now = time.Now
	}
	return &AttackModes{db: db, now: now}
}

// InAttack returns the ids of the tenant's members in attack mode now.
func (a *AttackModes) InAttack(ctx context.Context, tenantID string) (map[string]bool, error) {
	var ids []string
	err := a.db.WithContext(ctx).Model(&User{}).
		Where("tenant_id = ? AND attack_since IS NOT NULL AND (attack_until IS NULL OR attack_until > ?)", tenantID, a.now().UTC()).
		Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("members in attack mode: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
