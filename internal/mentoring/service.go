package mentoring

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"quietroom/internal/store"
)

// Notifier reaches members who are connected now (offers, reminders).
type Notifier interface {
	Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message, group, itemID string)
}

// Mailer queues a notice as mail in the transaction of the event that
// causes it (the mail outbox): the mail exists exactly when the event
// does, whatever fails after. It decides which notices are mailed.
type Mailer interface {
	MailNotice(ctx context.Context, tx *store.Tx, tenantID, userID, code, message string) error
}

// The notices that are also mailed (the Mailer decides how).
const (
	codeOffer            = "mentor_offer"
	messageOffer         = "Someone newly finding their way with migraine would like a mentor. Your inbox shows how long you have to answer."
	codeOfferReminder    = "mentor_offer_reminder"
	messageOfferReminder = "A reminder: an offer to mentor is waiting for your answer, and its deadline is close."
	codeMatched          = "mentor_matched"
	messageMatched       = "A mentor has accepted your request. Say hello in your private conversation when you feel ready."
)

// Resting says which members of a community are in attack mode now: no
// offer waits on them (accounts.AttackModes implements it).
type Resting interface {
	InAttack(ctx context.Context, tenantID string) (map[string]bool, error)
}

// Config sets mentoring's timings.
type Config struct {
	// OfferTTL is how long a mentor has to answer an offer.
	OfferTTL time.Duration
	// RemindBefore is when, before the deadline, the mentor is reminded.
	RemindBefore time.Duration
	// Tick is how often the worker expires offers and sends reminders.
	Tick time.Duration
	// BatchWindow is the batch window of a community that has not chosen
	// one (see Settings.BatchWindowMinutes); 0 offers each request as it
	// arrives. Whole minutes, at most MaxBatchWindowMinutes.
	BatchWindow time.Duration
}

// DefaultConfig: 48 hours to answer, a reminder 12 hours before, requests
// matched together in windows of 5 minutes.
func DefaultConfig() Config {
	return Config{OfferTTL: 48 * time.Hour, RemindBefore: 12 * time.Hour, Tick: time.Minute, BatchWindow: 5 * time.Minute}
}

// Service is peer mentoring for every tenant.
type Service struct {
	db       *store.DB
	notifier Notifier
	mailer   Mailer
	resting  Resting // nil: nobody rests
	cfg      Config
	now      func() time.Time
	log      *slog.Logger

	// onAccess is told when a mentorship's conversation access changes
	// (it started or ended), so open sockets re-check it.
	onAccess []func(ctx context.Context, tenantID, conversationID, userID string)

	// matchMu serialises offer-making per instance: two offers for one
	// request are also prevented by the request's status guard.
	matchMu sync.Mutex

	// wake tells Run that a request arrived, so it can wake when that
	// request's batch window closes rather than at the next tick.
	wake chan struct{}
}

// NewService makes the mentoring service. notifier tells connected
// members at once; mailer (may be nil) queues the mails of offers,
// reminders and accepted matches; resting (may be nil) says who is in
// attack mode. onAccess is told when a mentorship's conversation opens or
// closes (the real-time hub, so open sockets re-check it).
func NewService(db *store.DB, notifier Notifier, mailer Mailer, resting Resting, cfg Config, now func() time.Time, log *slog.Logger,
	onAccess ...func(ctx context.Context, tenantID, conversationID, userID string)) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, notifier: notifier, mailer: mailer, resting: resting, cfg: cfg, now: now, log: log, onAccess: onAccess, wake: make(chan struct{}, 1)}
}

func (s *Service) accessChanged(ctx context.Context, tenantID, conversationID string) {
	for _, h := range s.onAccess {
		h(ctx, tenantID, conversationID, "")
	}
}

// mail queues the mail of a notice in tx, the event's transaction.
func (s *Service) mail(ctx context.Context, tx *store.Tx, tenantID, userID, code, message string) error {
	if s.mailer == nil {
		return nil
	}
	if err := s.mailer.MailNotice(ctx, tx, tenantID, userID, code, message); err != nil {
		return fmt.Errorf("queue %s mail: %w", code, err)
	}
	return nil
}

// notify tells connected members, after the event's commit.
func (s *Service) notify(ctx context.Context, tenantID, userID, code, message string) {
	if s.notifier != nil {
		s.notifier.Notify(ctx, tenantID, []string{userID}, "notice", code, message, "", "")
	}
}

// Run expires offers, sends reminders and offers the requests of batch
// windows as they close, until ctx ends; the app owns it. It ticks every
// cfg.Tick, and also wakes when the earliest open batch window closes, so
// a request waits no longer than its window (on the instance that took
// it; the others catch up at their next tick).
func (s *Service) Run(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	nextTick := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
			if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("mentoring tick failed; trying again next tick", "err", err)
			}
			nextTick = time.Now().Add(s.cfg.Tick)
		case <-s.wake:
		}
		wait := time.Until(nextTick)
		if at, ok, err := s.NextWindowClose(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("mentoring: when does the next batch window close", "err", err)
		} else if ok {
			wait = min(wait, at.Sub(s.now()))
		}
		timer.Reset(max(wait, 0))
	}
}

// poke tells Run to look again at when to wake.
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
