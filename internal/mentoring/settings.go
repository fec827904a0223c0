package mentoring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/mentoring/match"
)

// settingsRow is a tenant's stored tuning.
type settingsRow struct {
	TenantID   string `gorm:"primaryKey"`
	Weights    string
	OfferHours int
	UpdatedAt  time.Time
}

func (settingsRow) TableName() string { return "mentoring_settings" }

// Settings are a tenant's matcher weights and offer deadline.
type Settings struct {
	Weights    match.Weights `json:"weights"`
	OfferHours int           `json:"offer_hours"`
}

// settings returns the tenant's tuning, or the defaults.
func (s *Service) settings(ctx context.Context, tenantID string) (Settings, error) {
	out := Settings{Weights: match.DefaultWeights(), OfferHours: int(s.cfg.OfferTTL / time.Hour)}
	var row settingsRow
	err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return out, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("mentoring settings: %w", err)
	}
	if row.OfferHours > 0 {
		out.OfferHours = row.OfferHours
	}
	if w, ok := storedWeights(row.Weights); ok {
		out.Weights = w
	}
	return out, nil
}

// storedWeights reads saved weights: snake_case keys, or the Go field
// names that rows saved before the API spoke snake_case used.
func storedWeights(saved string) (match.Weights, bool) {
	var w match.Weights
	if strings.Contains(saved, `"TimeZone`) || strings.Contains(saved, `"MaxPending`) {
		var legacy goNamedWeights
		if json.Unmarshal([]byte(saved), &legacy) != nil {
			return w, false
		}
		w = match.Weights(legacy)
	} else if json.Unmarshal([]byte(saved), &w) != nil {
		return w, false
	}
	return w, w.Validate() == nil
}

// goNamedWeights is match.Weights without JSON tags: the shape of rows
// saved before the API spoke snake_case.
type goNamedWeights struct {
	Type, Treatment, Topic, TimeZone, Availability, Experience, Load, Wait float64
	TimeZoneHours, AvailabilityHours, ExperienceYears, WaitDays            float64
	Pending                                                                float64
	MaxPendingPerPlace                                                     int
}

// Settings shows the tenant's tuning to its reviewers.
func (s *Service) Settings(ctx context.Context, p *accounts.Principal) (Settings, error) {
	if err := reviewer(p); err != nil {
		return Settings{}, err
	}
	return s.settings(ctx, p.Tenant.ID)
}

// SaveSettings changes the weights and offer deadline (admins).
func (s *Service) SaveSettings(ctx context.Context, p *accounts.Principal, in Settings) (Settings, error) {
	if !p.IsAdmin() {
		return Settings{}, apperr.Forbidden("only admins tune the matcher")
	}
	bad := apperr.Fields{}
	if err := in.Weights.Validate(); err != nil {
		bad.Add("weights", err.Error())
	}
	if in.OfferHours < 1 || in.OfferHours > 14*24 {
		bad.Add("offer_hours", "must be from 1 hour to 14 days")
	}
	if err := bad.Err(); err != nil {
		return Settings{}, err
	}
	b, _ := json.Marshal(in.Weights)
	row := settingsRow{TenantID: p.Tenant.ID, Weights: string(b), OfferHours: in.OfferHours, UpdatedAt: s.now()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
		return Settings{}, fmt.Errorf("save mentoring settings: %w", err)
	}
	return in, nil
}
