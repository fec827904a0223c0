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
	TenantID           string `gorm:"primaryKey"`
	Weights            string
	OfferHours         int
	BatchWindowMinutes *int // nil: DefaultBatchWindowMinutes
	UpdatedAt          time.Time
}

func (settingsRow) TableName() string { return "mentoring_settings" }

// Settings are a tenant's matcher weights, offer deadline and batch
// window.
type Settings struct {
	Weights    match.Weights `json:"weights"`
	OfferHours int           `json:"offer_hours"`
	// BatchWindowMinutes: new requests wait until the window they arrived
	// in closes (windows are consecutive stretches of this many minutes
	// of UTC time) and are then matched together by the batch matcher; 0
	// offers each request as it arrives. Always set on the way out; left
	// out of a save, the community follows the hub's default
	// (Config.BatchWindow, 5 minutes unless the operator changed it).
	BatchWindowMinutes *int `json:"batch_window_minutes"`
}

// MaxBatchWindowMinutes bounds the window: a mentee should not wait an
// hour just to be looked at.
const MaxBatchWindowMinutes = 60

// batchWindow is the settings' window as a duration.
func (st Settings) batchWindow() time.Duration {
	if st.BatchWindowMinutes == nil {
		return 0
	}
	return time.Duration(*st.BatchWindowMinutes) * time.Minute
}

// windowOpened is when the batch window holding now opened: requests that
// arrived before it are due. Windows are whole multiples of the window
// length since the zero time, so every instance agrees on them.
func windowOpened(now time.Time, window time.Duration) time.Time {
	if window <= 0 {
		return now.Add(time.Nanosecond) // everything waiting is due
	}
	return now.UTC().Truncate(window)
}

// settings returns the tenant's tuning, or the defaults.
func (s *Service) settings(ctx context.Context, tenantID string) (Settings, error) {
	window := s.defaultWindowMinutes()
	out := Settings{Weights: match.DefaultWeights(), OfferHours: int(s.cfg.OfferTTL / time.Hour), BatchWindowMinutes: &window}
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
	if row.BatchWindowMinutes != nil && *row.BatchWindowMinutes >= 0 && *row.BatchWindowMinutes <= MaxBatchWindowMinutes {
		out.BatchWindowMinutes = row.BatchWindowMinutes
	}
	if w, ok := storedWeights(row.Weights); ok {
		out.Weights = w
	}
	return out, nil
}

// defaultWindowMinutes is the hub's default batch window, in minutes.
func (s *Service) defaultWindowMinutes() int {
	return min(max(int(s.cfg.BatchWindow/time.Minute), 0), MaxBatchWindowMinutes)
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

// SaveSettings changes the weights, offer deadline and batch window
// (admins).
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
	var stored *int // nil: follow the hub's default
	if in.BatchWindowMinutes == nil {
		window := s.defaultWindowMinutes()
		in.BatchWindowMinutes = &window
	} else if w := *in.BatchWindowMinutes; w >= 0 && w <= MaxBatchWindowMinutes {
		stored = &w
	} else {
		bad.Add("batch_window_minutes", fmt.Sprintf("must be from 0 (offer each request as it arrives) to %d minutes", MaxBatchWindowMinutes))
	}
	if err := bad.Err(); err != nil {
		return Settings{}, err
	}
	b, _ := json.Marshal(in.Weights)
	row := settingsRow{TenantID: p.Tenant.ID, Weights: string(b), OfferHours: in.OfferHours, BatchWindowMinutes: stored, UpdatedAt: s.now()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
		return Settings{}, fmt.Errorf("save mentoring settings: %w", err)
	}
	return in, nil
}
