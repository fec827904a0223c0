// Package moderation owns what moderators do about members and messages.
// This file holds restrictions: mutes in one group and suspensions from a
// whole tenant, which the real-time service checks before every send.
package moderation

import (
	"context"
	"fmt"
	"time"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// Restriction kinds.
const (
	KindMute    = "mute"    // no posting in one group
	KindSuspend = "suspend" // no posting anywhere in the tenant
)

// Restriction stops a member posting until a time.
type Restriction struct {
	ID        string
	TenantID  string
	UserID    string
	GroupID   string // empty for suspensions
	Kind      string
	Reason    string
	CreatedBy string
	CreatedAt time.Time
	Until     time.Time
	LiftedAt  *time.Time
}

func (Restriction) TableName() string { return "moderation_restrictions" }

// Restrictions stores and checks mutes and suspensions.
type Restrictions struct {
	db       *store.DB
	now      func() time.Time
	onChange []func(ctx context.Context, tenantID, groupID, userID string)
}

func (r *Restrictions) changed(ctx context.Context, res Restriction) {
	for _, hook := range r.onChange {
		hook(ctx, res.TenantID, res.GroupID, res.UserID)
	}
}

// NewRestrictions makes the mute and suspension store. onChange is told
// after a restriction is added or lifted (groupID empty for suspensions):
// the real-time hub, so open connections re-check what they may send.
func NewRestrictions(db *store.DB, now func() time.Time, onChange ...func(ctx context.Context, tenantID, groupID, userID string)) *Restrictions {
	if now == nil {
		now = time.Now
	}
	return &Restrictions{db: db, now: func() time.Time { return now().UTC() }, onChange: onChange}
}

// Add records a mute (groupID set) or a suspension (groupID empty).
func (r *Restrictions) Add(ctx context.Context, tenantID, userID, groupID, by, reason string, d time.Duration) (Restriction, error) {
	if d <= 0 {
		return Restriction{}, apperr.InvalidField("duration", "must be positive")
	}
	kind := KindMute
	if groupID == "" {
		kind = KindSuspend
	}
	now := r.now()
	res := Restriction{ID: store.NewID(), TenantID: tenantID, UserID: userID, GroupID: groupID, Kind: kind,
		Reason: reason, CreatedBy: by, CreatedAt: now, Until: now.Add(d)}
	if err := r.db.WithContext(ctx).Create(&res).Error; err != nil {
		return Restriction{}, fmt.Errorf("add %s: %w", kind, err)
	}
	r.changed(ctx, res)
	return res, nil
}

// Lift ends a restriction early.
func (r *Restrictions) Lift(ctx context.Context, tenantID, id string) error {
	var res Restriction
	err := r.db.WithContext(ctx).Where("tenant_id = ? AND id = ? AND lifted_at IS NULL", tenantID, id).Limit(1).Find(&res).Error
	if err != nil {
		return fmt.Errorf("lift restriction %s: %w", id, err)
	}
	if res.ID == "" {
		return apperr.NotFound("no such restriction in force")
	}
	if err := r.db.WithContext(ctx).Model(&Restriction{}).Where("tenant_id = ? AND id = ?", tenantID, id).Update("lifted_at", r.now()).Error; err != nil {
		return fmt.Errorf("lift restriction %s: %w", id, err)
	}
	r.changed(ctx, res)
	return nil
}

// BlockedUntil reports whether the member may not post in the group (a
// mute there, or a suspension from the tenant): until is when the longest
// restriction in force ends (zero when none is), message says why in
// words for the member.
func (r *Restrictions) BlockedUntil(ctx context.Context, tenantID, groupID, userID string) (time.Time, string, error) {
	var active Restriction
	err := r.db.WithContext(ctx).
		Where("tenant_id = ? AND user_id = ? AND (group_id = ? OR group_id = '') AND lifted_at IS NULL AND until > ?", tenantID, userID, groupID, r.now()).
		Order("until DESC").Limit(1).Find(&active).Error
	if err != nil {
		return time.Time{}, "", fmt.Errorf("check restrictions: %w", err)
	}
	switch {
	case active.ID == "":
		return time.Time{}, "", nil
	case active.Kind == KindSuspend:
		return active.Until, fmt.Sprintf("your account is suspended from posting until %s", active.Until.Format(time.RFC1123)), nil
	}
	return active.Until, fmt.Sprintf("you are muted in this group until %s", active.Until.Format(time.RFC1123)), nil
}
