package mentoring

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"quietroom/internal/store"
)

// Notifier reaches members who are connected now (offers, reminders).
type Notifier interface {
	Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message, group, itemID string)
}

// Config sets mentoring's timings.
type Config struct {
	// OfferTTL is how long a mentor has to answer an offer.
	OfferTTL time.Duration
	// RemindBefore is when, before the deadline, the mentor is reminded.
	RemindBefore time.Duration
	// Tick is how often the worker expires offers and sends reminders.
	Tick time.Duration
}

// DefaultConfig: 48 hours to answer, a reminder 12 hours before.
func DefaultConfig() Config {
	return Config{OfferTTL: 48 * time.Hour, RemindBefore: 12 * time.Hour, Tick: time.Minute}
}

// Service is peer mentoring for every tenant.
type Service struct {
	db       *store.DB
	notifier Notifier
	cfg      Config
	now      func() time.Time
	log      *slog.Logger

	// onAccess is told when a mentorship's conversation access changes
	// (it started or ended), so open sockets re-check it.
	onAccess []func(ctx context.Context, tenantID, conversationID, userID string)

	// matchMu serialises offer-making per instance: two offers for one
	// request are also prevented by the request's status guard.
	matchMu sync.Mutex
}

// NewService makes the mentoring service.
// NewService makes the mentoring service. onAccess is told when a
// mentorship's conversation opens or closes (the real-time hub, so open
// sockets re-check it).
func NewService(db *store.DB, notifier Notifier, cfg Config, now func() time.Time, log *slog.Logger,
	onAccess ...func(ctx context.Context, tenantID, conversationID, userID string)) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, notifier: notifier, cfg: cfg, now: now, log: log, onAccess: onAccess}
}

func (s *Service) accessChanged(ctx context.Context, tenantID, conversationID string) {
	for _, h := range s.onAccess {
		h(ctx, tenantID, conversationID, "")
	}
}

func (s *Service) notify(ctx context.Context, tenantID, userID, code, message string) {
	if s.notifier != nil {
		s.notifier.Notify(ctx, tenantID, []string{userID}, "notice", code, message, "", "")
	}
}

// Run expires offers and sends reminders until ctx ends; the app owns it.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Tick)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("mentoring tick failed; trying again next tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
