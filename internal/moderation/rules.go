package moderation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/moderation/screening"
	"quietroom/internal/textcheck"
)

// TenantRule is a tenant's own rule, or its switches on a built-in one.
type TenantRule struct {
	TenantID    string    `json:"-" gorm:"primaryKey"`
	RuleID      string    `json:"id" gorm:"primaryKey"`
	Builtin     bool      `json:"builtin"`
	Disabled    bool      `json:"disabled"`
	Shadow      bool      `json:"shadow"`
	Category    string    `json:"category"`
	Severity    string    `json:"severity"`
	Description string    `json:"description"`
	Terms       string    `json:"-"` // one phrase per line
	UpdatedAt   time.Time `json:"updated_at"`
}

func (TenantRule) TableName() string { return "moderation_rules" }

// Settings are a tenant's crisis details, shown in the crisis notice.
type Settings struct {
	TenantID        string    `json:"-" gorm:"primaryKey"`
	EmergencyNumber string    `json:"emergency_number"`
	CrisisLines     string    `json:"crisis_lines"`
	UpdatedAt       time.Time `json:"updated_at"`
}

func (Settings) TableName() string { return "moderation_settings" }

// tenantEngine is a tenant's compiled rules and crisis notice.
type tenantEngine struct {
	engine     *screening.Engine
	notice     string
	loadedAt   time.Time
	refreshing bool // a background load is under way
}

// engineTTL is how long another instance may screen with a tenant's old
// rules after an admin changes them; the instance that made the change
// uses the new rules at once.
const engineTTL = 30 * time.Second

// engines caches each tenant's compiled rules.
type engines struct {
	mu  sync.Mutex
	m   map[string]tenantEngine
	gen uint64 // bumped by every forget, so a load that started before a change is not kept
}

// engineFor returns the tenant's compiled rules. Only a tenant's first
// message on this instance waits for the database: after that, an expired
// entry is still used while one background load refreshes it, so
// screening adds no database round trip to the send path.
func (s *Service) engineFor(ctx context.Context, tenantID string) (tenantEngine, error) {
	now := s.now()
	s.engines.mu.Lock()
	e, ok := s.engines.m[tenantID]
	stale := ok && now.Sub(e.loadedAt) >= engineTTL
	refresh := stale && !e.refreshing
	if refresh {
		e.refreshing = true
		s.engines.m[tenantID] = e
	}
	s.engines.mu.Unlock()
	if ok && !stale {
		return e, nil
	}
	if ok {
		if refresh {
			go s.refreshEngine(context.WithoutCancel(ctx), tenantID)
		}
		return e, nil
	}
	return s.loadEngine(ctx, tenantID)
}

// refreshEngine reloads a tenant's rules in the background; on failure
// the old ones stay and the next message tries again.
func (s *Service) refreshEngine(ctx context.Context, tenantID string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := s.loadEngine(ctx, tenantID); err != nil {
		s.engines.mu.Lock()
		if e, ok := s.engines.m[tenantID]; ok {
			e.refreshing = false
			s.engines.m[tenantID] = e
		}
		s.engines.mu.Unlock()
	}
}

func (s *Service) loadEngine(ctx context.Context, tenantID string) (tenantEngine, error) {
	now := s.now()
	s.engines.mu.Lock()
	gen := s.engines.gen
	s.engines.mu.Unlock()
	var rules []TenantRule
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Order("rule_id").Find(&rules).Error; err != nil {
		return tenantEngine{}, fmt.Errorf("screening rules of tenant: %w", err)
	}
	var set Settings
	err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Take(&set).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return tenantEngine{}, fmt.Errorf("moderation settings of tenant: %w", err)
	}
	thr, err := s.tenantThresholds(ctx, tenantID)
	if err != nil {
		return tenantEngine{}, err
	}
	e := tenantEngine{engine: s.engine, notice: crisisNotice(s.cfg.CrisisNotice, set), loadedAt: now}
	if len(rules) > 0 || len(thr) > 0 {
		if e.engine, err = compileTenant(rules, s.model, thr); err != nil {
			return tenantEngine{}, err
		}
	}
	s.engines.mu.Lock()
	if len(s.engines.m) > 4096 {
		clear(s.engines.m)
	}
	if s.engines.gen == gen {
		s.engines.m[tenantID] = e
	}
	s.engines.mu.Unlock()
	return e, nil
}

// forget drops a tenant's cached rules after a change.
func (s *Service) forget(tenantID string) {
	s.engines.mu.Lock()
	s.engines.gen++
	delete(s.engines.m, tenantID)
	s.engines.mu.Unlock()
}

// compileTenant builds the built-in pack with the tenant's switches and
// its own term rules.
func compileTenant(rules []TenantRule, model *screening.Model, thr map[screening.Category]screening.Thresholds) (*screening.Engine, error) {
	pack := screening.BuiltinPack()
	all := pack.Rules
	opts := screening.Options{Model: model, Thresholds: thr}
	opts.Version = pack.Version + "+tenant"
	for _, r := range rules {
		if !r.Builtin {
			rule := screening.TermRule(r.RuleID, screening.Category(r.Category), screening.Severity(r.Severity), r.Description, strings.Split(r.Terms, "\n")...)
			all = append(all, rule)
		}
		if r.Disabled {
			opts.Disable = append(opts.Disable, r.RuleID)
		}
		if r.Shadow {
			opts.Shadow = append(opts.Shadow, r.RuleID)
		}
	}
	e, err := screening.Compile(all, opts)
	if err != nil {
		return nil, fmt.Errorf("compile the tenant's screening rules: %w", err)
	}
	return e, nil
}

// crisisNotice adds the tenant's emergency number and crisis lines.
func crisisNotice(base string, set Settings) string {
	n := base
	if set.EmergencyNumber != "" {
		n = strings.Replace(n, "your local emergency number", set.EmergencyNumber, 1)
	}
	if set.CrisisLines != "" {
		n += " " + set.CrisisLines
	}
	return n
}

// RuleView is a rule as the admin rules page shows it.
type RuleView struct {
	ID          string   `json:"id"`
	Builtin     bool     `json:"builtin"`
	Category    string   `json:"category"`
	Severity    string   `json:"severity"`
	Action      string   `json:"action"`
	Description string   `json:"description"`
	Terms       []string `json:"terms,omitempty"`
	Enabled     bool     `json:"enabled"`
	Shadow      bool     `json:"shadow"`
}

func requireAdmin(p *accounts.Principal) error {
	if !p.IsAdmin() {
		return apperr.Forbidden("only admins change the screening rules")
	}
	return nil
}

// Rules lists the built-in rules and the tenant's own, with switches.
func (s *Service) Rules(ctx context.Context, p *accounts.Principal) ([]RuleView, error) {
	if !p.IsAdmin() && !p.IsModerator() {
		return nil, apperr.Forbidden("only admins and moderators see the screening rules")
	}
	var trs []TenantRule
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID).Find(&trs).Error; err != nil {
		return nil, fmt.Errorf("screening rules: %w", err)
	}
	byID := map[string]TenantRule{}
	for _, r := range trs {
		byID[r.RuleID] = r
	}
	var out []RuleView
	for _, r := range screening.BuiltinPack().Rules {
		v := RuleView{ID: r.ID, Builtin: true, Category: string(r.Category), Severity: string(r.Severity), Action: string(r.Action),
			Description: r.Description, Enabled: !r.Disabled, Shadow: r.Shadow}
		if t, ok := byID[r.ID]; ok {
			v.Enabled, v.Shadow = !t.Disabled, t.Shadow
		}
		out = append(out, v)
	}
	for _, t := range trs {
		if t.Builtin {
			continue
		}
		out = append(out, RuleView{ID: t.RuleID, Category: t.Category, Severity: t.Severity,
			Action:      string(screening.DefaultAction(screening.Category(t.Category), screening.Severity(t.Severity))),
			Description: t.Description, Terms: strings.Split(t.Terms, "\n"), Enabled: !t.Disabled, Shadow: t.Shadow})
	}
	return out, nil
}

// RuleSwitch turns a rule on or off, or into or out of shadow mode.
type RuleSwitch struct {
	Enabled *bool `json:"enabled"`
	Shadow  *bool `json:"shadow"`
}

// SwitchRule applies a switch to a built-in or tenant rule.
func (s *Service) SwitchRule(ctx context.Context, p *accounts.Principal, ruleID string, in RuleSwitch) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	var cur TenantRule
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND rule_id = ?", p.Tenant.ID, ruleID).Take(&cur).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		if !slices.ContainsFunc(screening.BuiltinPack().Rules, func(r screening.Rule) bool { return r.ID == ruleID }) {
			return apperr.NotFound("there is no screening rule %q", ruleID)
		}
		cur = TenantRule{TenantID: p.Tenant.ID, RuleID: ruleID, Builtin: true}
	case err != nil:
		return fmt.Errorf("screening rule %s: %w", ruleID, err)
	}
	before := fmt.Sprintf("enabled=%v shadow=%v", !cur.Disabled, cur.Shadow)
	if in.Enabled != nil {
		cur.Disabled = !*in.Enabled
	}
	if in.Shadow != nil {
		cur.Shadow = *in.Shadow
	}
	cur.UpdatedAt = s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&cur).Error; err != nil {
			return fmt.Errorf("save rule %s: %w", ruleID, err)
		}
		return s.audit(tx, p.Tenant.ID, p, "rule_switched", "", "", ruleID, before, fmt.Sprintf("enabled=%v shadow=%v", !cur.Disabled, cur.Shadow))
	})
	if err == nil {
		s.forget(p.Tenant.ID)
	}
	return err
}

// NewRule is a tenant's own rule: a list of phrases.
type NewRule struct {
	Name        string   `json:"name"` // becomes the id "tenant.{name}"
	Category    string   `json:"category"`
	Severity    string   `json:"severity"`
	Description string   `json:"description"`
	Terms       []string `json:"terms"`
	Shadow      bool     `json:"shadow"`
}

// AddRule adds a tenant rule; new rules often start in shadow mode, to
// see what they would catch before they act.
func (s *Service) AddRule(ctx context.Context, p *accounts.Principal, in NewRule) (RuleView, error) {
	if err := requireAdmin(p); err != nil {
		return RuleView{}, err
	}
	bad := apperr.Fields{}
	if msg := textcheck.Slug(in.Name); msg != "" {
		bad.Add("name", msg)
	}
	if !slices.Contains(screening.Categories(), screening.Category(in.Category)) {
		bad.Add("category", "must be misinformation, shaming, harassment, spam or crisis")
	}
	if in.Severity != "low" && in.Severity != "medium" && in.Severity != "high" {
		bad.Add("severity", "must be low, medium or high")
	}
	desc, msg := textcheck.Line(in.Description, 3, 200)
	if msg != "" {
		bad.Add("description", msg)
	}
	var terms []string
	for _, t := range in.Terms {
		if t = strings.TrimSpace(t); t != "" {
			if v, msg := textcheck.Line(t, 2, 100); msg != "" {
				bad.Add("terms", "each phrase "+msg)
			} else {
				terms = append(terms, v)
			}
		}
	}
	if len(terms) == 0 || len(terms) > 200 {
		bad.Add("terms", "give between 1 and 200 phrases")
	}
	if err := bad.Err(); err != nil {
		return RuleView{}, err
	}
	r := TenantRule{TenantID: p.Tenant.ID, RuleID: "tenant." + in.Name, Shadow: in.Shadow, Category: in.Category,
		Severity: in.Severity, Description: desc, Terms: strings.Join(terms, "\n"), UpdatedAt: s.now()}
	// Compile before saving, so a rule that cannot run is refused here.
	var existing []TenantRule
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID).Find(&existing).Error; err != nil {
		return RuleView{}, fmt.Errorf("screening rules: %w", err)
	}
	if _, err := compileTenant(append(existing, r), s.model, nil); err != nil {
		return RuleView{}, apperr.InvalidField("terms", err.Error())
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			if isUnique(err) || errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.InvalidField("name", "is already used by another rule here")
			}
			return fmt.Errorf("add rule: %w", err)
		}
		return s.audit(tx, p.Tenant.ID, p, "rule_added", "", "", r.RuleID, "", strings.Join(terms, " | "))
	})
	if err != nil {
		return RuleView{}, err
	}
	s.forget(p.Tenant.ID)
	return RuleView{ID: r.RuleID, Category: r.Category, Severity: r.Severity, Description: r.Description, Terms: terms,
		Action: string(screening.DefaultAction(screening.Category(r.Category), screening.Severity(r.Severity))), Enabled: true, Shadow: r.Shadow}, nil
}

// DeleteRule removes a tenant's own rule.
func (s *Service) DeleteRule(ctx context.Context, p *accounts.Principal, ruleID string) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("tenant_id = ? AND rule_id = ? AND builtin = ?", p.Tenant.ID, ruleID, false).Delete(&TenantRule{})
		if res.Error != nil {
			return fmt.Errorf("delete rule %s: %w", ruleID, res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound("there is no rule %q of this community (built-in rules are switched off, not deleted)", ruleID)
		}
		return s.audit(tx, p.Tenant.ID, p, "rule_deleted", "", "", ruleID, "", "")
	})
	if err == nil {
		s.forget(p.Tenant.ID)
	}
	return err
}

// CrisisSettings returns the tenant's crisis details.
func (s *Service) CrisisSettings(ctx context.Context, p *accounts.Principal) (Settings, error) {
	var set Settings
	err := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID).Take(&set).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return Settings{}, fmt.Errorf("moderation settings: %w", err)
	}
	return set, nil
}

// SaveCrisisSettings sets the emergency number and crisis lines the crisis
// notice gives.
func (s *Service) SaveCrisisSettings(ctx context.Context, p *accounts.Principal, in Settings) (Settings, error) {
	if err := requireAdmin(p); err != nil {
		return Settings{}, err
	}
	bad := apperr.Fields{}
	num, msg := textcheck.Line(in.EmergencyNumber, 0, 60)
	if msg != "" {
		bad.Add("emergency_number", msg)
	}
	lines, msg := textcheck.Text(in.CrisisLines, 0, 600)
	if msg != "" {
		bad.Add("crisis_lines", msg)
	}
	if err := bad.Err(); err != nil {
		return Settings{}, err
	}
	set := Settings{TenantID: p.Tenant.ID, EmergencyNumber: num, CrisisLines: lines, UpdatedAt: s.now()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&set).Error; err != nil {
		return Settings{}, fmt.Errorf("save moderation settings: %w", err)
	}
	s.forget(p.Tenant.ID)
	return set, nil
}
