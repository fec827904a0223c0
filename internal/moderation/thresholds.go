package moderation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/moderation/screening"
)

// TenantThreshold is a tenant's own model thresholds for one category:
// where a message becomes uncertain (delivered and queued) and confident
// (queued at high severity, or the crisis lane; the model alone never holds).
type TenantThreshold struct {
	TenantID  string    `json:"-" gorm:"primaryKey"`
	Category  string    `json:"category" gorm:"primaryKey"`
	Uncertain float64   `json:"uncertain"`
	Confident float64   `json:"confident"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (TenantThreshold) TableName() string { return "moderation_thresholds" }

// BandView is one category's thresholds as admins see them.
type BandView struct {
	Category         string  `json:"category"`
	Uncertain        float64 `json:"uncertain"`
	Confident        float64 `json:"confident"`
	DefaultUncertain float64 `json:"default_uncertain"`
	DefaultConfident float64 `json:"default_confident"`
	Custom           bool    `json:"custom"` // the tenant moved them
}

// Thresholds lists every category's thresholds, the tenant's or the
// calibrated defaults.
func (s *Service) Thresholds(ctx context.Context, p *accounts.Principal) ([]BandView, error) {
	if !p.IsAdmin() && !p.IsModerator() {
		return nil, apperr.Forbidden("only admins and moderators see the screening thresholds")
	}
	own, err := s.tenantThresholds(ctx, p.Tenant.ID)
	if err != nil {
		return nil, err
	}
	out := make([]BandView, 0, len(screening.Categories()))
	for _, c := range screening.Categories() {
		def := s.model.CategoryThresholds(c)
		v := BandView{Category: string(c), Uncertain: round3(def.Uncertain), Confident: round3(def.Confident),
			DefaultUncertain: round3(def.Uncertain), DefaultConfident: round3(def.Confident)}
		if t, ok := own[c]; ok {
			v.Uncertain, v.Confident, v.Custom = t.Uncertain, t.Confident, true
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Service) tenantThresholds(ctx context.Context, tenantID string) (map[screening.Category]screening.Thresholds, error) {
	var rows []TenantThreshold
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("screening thresholds of tenant: %w", err)
	}
	out := map[screening.Category]screening.Thresholds{}
	for _, r := range rows {
		out[screening.Category(r.Category)] = screening.Thresholds{Uncertain: r.Uncertain, Confident: r.Confident}
	}
	return out, nil
}

// SetThresholds moves one category's thresholds for the tenant.
func (s *Service) SetThresholds(ctx context.Context, p *accounts.Principal, category string, t screening.Thresholds) (BandView, error) {
	if err := requireAdmin(p); err != nil {
		return BandView{}, err
	}
	if !slices.Contains(screening.Categories(), screening.Category(category)) {
		return BandView{}, apperr.NotFound("there is no screening category %q", category)
	}
	if msg := t.Valid(); msg != "" {
		return BandView{}, apperr.InvalidField("confident", msg)
	}
	row := TenantThreshold{TenantID: p.Tenant.ID, Category: category, Uncertain: t.Uncertain, Confident: t.Confident, UpdatedAt: s.now()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("save thresholds of %s: %w", category, err)
		}
		return s.audit(tx, p.Tenant.ID, p, "thresholds_set", "", "", category, "",
			fmt.Sprintf("uncertain=%.2f confident=%.2f", t.Uncertain, t.Confident))
	})
	if err != nil {
		return BandView{}, err
	}
	s.forget(p.Tenant.ID)
	def := s.model.CategoryThresholds(screening.Category(category))
	return BandView{Category: category, Uncertain: t.Uncertain, Confident: t.Confident,
		DefaultUncertain: round3(def.Uncertain), DefaultConfident: round3(def.Confident), Custom: true}, nil
}

// ResetThresholds puts a category back on the calibrated defaults.
func (s *Service) ResetThresholds(ctx context.Context, p *accounts.Principal, category string) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("tenant_id = ? AND category = ?", p.Tenant.ID, category).Delete(&TenantThreshold{})
		if res.Error != nil {
			return fmt.Errorf("reset thresholds of %s: %w", category, res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound("the %q thresholds are already the defaults", category)
		}
		return s.audit(tx, p.Tenant.ID, p, "thresholds_reset", "", "", category, "", "")
	})
	if err == nil {
		s.forget(p.Tenant.ID)
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.NotFound("no thresholds of %q", category)
	}
	return err
}
