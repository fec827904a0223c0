package moderation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// RestrictionView is a mute or suspension in force, as admins see it.
type RestrictionView struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"` // mute or suspend
	UserID    string    `json:"user_id"`
	UserName  string    `json:"user_name"`
	GroupID   string    `json:"group_id,omitempty"` // empty for a suspension
	Reason    string    `json:"reason"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	Until     time.Time `json:"until"`
}

// ActiveRestrictions lists the mutes and suspensions in force, newest
// first. Admins only: they are the ones who can lift any of them.
func (s *Service) ActiveRestrictions(ctx context.Context, p *accounts.Principal) ([]RestrictionView, error) {
	if !p.IsAdmin() {
		return nil, apperr.Forbidden("only admins list and lift restrictions")
	}
	var rs []Restriction
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND lifted_at IS NULL AND until > ?", p.Tenant.ID, s.now()).
		Order("created_at DESC").Limit(1000).Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("list restrictions: %w", err)
	}
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.UserID)
	}
	var users []accounts.User
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Where("tenant_id = ? AND id IN ?", p.Tenant.ID, ids).Find(&users).Error; err != nil {
			return nil, fmt.Errorf("names of restricted members: %w", err)
		}
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.ID] = u.DisplayName
	}
	out := make([]RestrictionView, len(rs))
	for i, r := range rs {
		name := names[r.UserID]
		if name == "" {
			name = FormerMember
		}
		out[i] = RestrictionView{ID: r.ID, Kind: r.Kind, UserID: r.UserID, UserName: name, GroupID: r.GroupID, Reason: r.Reason,
			CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, Until: r.Until}
	}
	return out, nil
}

// LiftRestriction ends a mute or suspension early, whoever gave it, and
// logs it ("lifted", with the admin's note). Admins only.
func (s *Service) LiftRestriction(ctx context.Context, p *accounts.Principal, id, note string) error {
	if !p.IsAdmin() {
		return apperr.Forbidden("only admins lift restrictions")
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 500 {
		return apperr.InvalidField("note", "must be at most 500 characters")
	}
	var res Restriction
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("tenant_id = ? AND id = ? AND lifted_at IS NULL", p.Tenant.ID, id).Limit(1).Find(&res).Error; err != nil {
			return err
		}
		if res.ID == "" {
			return apperr.NotFound("no such restriction in force")
		}
		up := tx.Model(&Restriction{}).Where("tenant_id = ? AND id = ? AND lifted_at IS NULL", p.Tenant.ID, id).Update("lifted_at", s.now())
		if up.Error != nil {
			return up.Error
		}
		if up.RowsAffected == 0 {
			return apperr.NotFound("no such restriction in force")
		}
		return s.audit(tx, p.Tenant.ID, p, "lifted", "", res.UserID, note, res.Kind+" until "+res.Until.UTC().Format(time.RFC3339), "lifted")
	})
	if err != nil {
		return fmt.Errorf("lift restriction %s: %w", id, err)
	}
	s.restrictions.changed(ctx, res)
	return nil
}
