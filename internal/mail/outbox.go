package mail

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// Outbox states.
const (
	StatusPending = "pending" // waiting for its (next) attempt
	StatusSending = "sending" // claimed by a worker until lease_until
	StatusSent    = "sent"    // accepted by the mail server
	StatusDead    = "dead"    // MaxAttempts failed; `hub mail retry` queues it again
)

// Mail is one row of the outbox.
type Mail struct {
	ID            string
	TenantID      string
	UserID        string
	Kind          string
	ToAddr        string
	Subject       string
	BodyText      string
	BodyHTML      string
	Headers       string
	Status        string
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	Claim         string
	LeaseUntil    *time.Time
	CreatedAt     time.Time
	SentAt        *time.Time
}

func (Mail) TableName() string { return "mail_outbox" }

// HeaderMap returns the extra headers (List-Unsubscribe …) of the mail.
func (m Mail) HeaderMap() map[string]string { return decodeHeaders(m.Headers) }

// Config tunes retries and claims.
type Config struct {
	// MaxAttempts failed sends move a mail to the dead state.
	MaxAttempts int
	// FirstRetry is the wait after the first failure; each further failure
	// doubles it, up to MaxRetry (with ±20% jitter, so instances that
	// failed together do not retry together).
	FirstRetry time.Duration
	MaxRetry   time.Duration
	// Lease is how long a claimed mail belongs to one worker. It must be
	// longer than a send can take (the sender's timeout bounds that); a
	// worker that dies mid-send frees its mails when the lease runs out.
	Lease time.Duration
	// Batch is how many mails one claim takes.
	Batch int
	// Keep is how long sent and dead mails stay in the outbox.
	Keep time.Duration
}

func DefaultConfig() Config {
	return Config{MaxAttempts: 8, FirstRetry: 30 * time.Second, MaxRetry: time.Hour, Lease: 5 * time.Minute, Batch: 20, Keep: 30 * 24 * time.Hour}
}

// Outbox stores mails until a worker has sent them.
type Outbox struct {
	db      *store.DB
	cfg     Config
	metrics *Metrics
	now     func() time.Time
	// wake nudges this instance's worker when a mail was queued here.
	wake chan struct{}
}

func NewOutbox(db *store.DB, cfg Config, metrics *Metrics, now func() time.Time) *Outbox {
	if now == nil {
		now = time.Now
	}
	if metrics == nil {
		metrics = NewMetrics(nil)
	}
	return &Outbox{db: db, cfg: cfg, metrics: metrics, now: func() time.Time { return now().UTC() }, wake: make(chan struct{}, 1)}
}

// Enqueue renders m and writes it to the outbox through tx, the
// transaction of the event that causes the mail (nil: a transaction of its
// own). Call Queued after the transaction commits, so the local worker
// sends it at once rather than at its next poll.
func (o *Outbox) Enqueue(ctx context.Context, tx *store.Tx, m Message) (string, error) {
	r, err := render(m)
	if err != nil {
		return "", err
	}
	db := o.db.WithContext(ctx)
	if tx != nil {
		db = tx.ORM(ctx)
	}
	now := o.now()
	row := Mail{ID: store.NewID(), TenantID: m.TenantID, UserID: m.UserID, Kind: m.Kind, ToAddr: strings.ToLower(m.To),
		Subject: r.Subject, BodyText: r.Text, BodyHTML: r.HTML, Headers: encodeHeaders(r.Headers),
		Status: StatusPending, NextAttemptAt: now, CreatedAt: now}
	if err := db.Create(&row).Error; err != nil {
		return "", fmt.Errorf("queue %s mail: %w", m.Kind, err)
	}
	o.metrics.queued.WithLabelValues(m.Kind).Inc()
	return row.ID, nil
}

// Queued tells the local worker that a mail is waiting.
func (o *Outbox) Queued() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// ListFilter selects mails for `hub mail list`.
type ListFilter struct {
	Status string // "" for every state
	Limit  int
}

// List returns the newest mails first.
func (o *Outbox) List(ctx context.Context, f ListFilter) ([]Mail, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	q := o.db.WithContext(ctx).Order("created_at DESC, id").Limit(f.Limit)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var out []Mail
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list mail: %w", err)
	}
	return out, nil
}

// Get finds a mail by its id, or by a prefix of at least 6 characters
// that only one mail has.
func (o *Outbox) Get(ctx context.Context, id string) (*Mail, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 6 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, apperr.InvalidField("id", "give a mail id (at least its first 6 characters) as `hub mail list` prints it")
	}
	var found []Mail
	if err := o.db.WithContext(ctx).Where("id LIKE ?", id+"%").Limit(2).Find(&found).Error; err != nil {
		return nil, fmt.Errorf("find mail %s: %w", id, err)
	}
	switch len(found) {
	case 0:
		return nil, apperr.NotFound("no mail with id %s", id)
	case 1:
		return &found[0], nil
	}
	return nil, apperr.Conflict("more than one mail starts with %s: give more of the id", id)
}

// Retry queues a dead mail again, with a fresh count of attempts.
func (o *Outbox) Retry(ctx context.Context, id string) (*Mail, error) {
	m, err := o.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.Status != StatusDead {
		return nil, apperr.Conflict("mail %s is %s: only dead mail is retried", m.ID, m.Status)
	}
	res := o.db.WithContext(ctx).Model(&Mail{}).Where("id = ? AND status = ?", m.ID, StatusDead).
		Updates(map[string]any{"status": StatusPending, "attempts": 0, "next_attempt_at": o.now(), "claim": ""})
	if res.Error != nil {
		return nil, fmt.Errorf("retry mail %s: %w", m.ID, res.Error)
	}
	o.Queued()
	m.Status = StatusPending
	return m, nil
}

// DeleteUser removes the mail queued for a member whose account is being
// deleted, inside that transaction.
func (o *Outbox) DeleteUser(ctx context.Context, tx *store.Tx, tenantID, userID string) error {
	if err := tx.ORM(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).Delete(&Mail{}).Error; err != nil {
		return fmt.Errorf("delete queued mail: %w", err)
	}
	return nil
}

// claim takes up to Batch due mails for one worker: pending mails whose
// time has come, and mails whose previous claim's lease ran out. The
// claim token makes the later update conditional, so a worker whose lease
// was taken over cannot overwrite the new owner's result.
func (o *Outbox) claim(ctx context.Context) ([]Mail, string, error) {
	now := o.now()
	token := store.NewID()
	lock := ""
	if o.db.Dialect == store.Postgres {
		// Concurrent claimers skip each other's rows instead of waiting;
		// SQLite has one writer, which makes the UPDATE atomic by itself.
		lock = " FOR UPDATE SKIP LOCKED"
	}
	q := `UPDATE mail_outbox SET status = ?, claim = ?, lease_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM mail_outbox
			WHERE (status = ? AND next_attempt_at <= ?) OR (status = ? AND lease_until < ?)
			ORDER BY next_attempt_at LIMIT ?` + lock + `)
		RETURNING *`
	var out []Mail
	err := o.db.WithContext(ctx).Raw(q, StatusSending, token, now.Add(o.cfg.Lease),
		StatusPending, now, StatusSending, now, o.cfg.Batch).Scan(&out).Error
	if err != nil {
		return nil, "", fmt.Errorf("claim mail: %w", err)
	}
	return out, token, nil
}

// markSent records a delivery. The body is cleared: it may hold a one-time
// link, and the mail server has it now.
func (o *Outbox) markSent(ctx context.Context, m Mail, token string) error {
	now := o.now()
	res := o.db.WithContext(ctx).Model(&Mail{}).Where("id = ? AND claim = ?", m.ID, token).
		Updates(map[string]any{"status": StatusSent, "sent_at": now, "last_error": "", "body_text": "", "body_html": "", "lease_until": nil})
	if res.Error != nil {
		return fmt.Errorf("mark mail %s sent: %w", m.ID, res.Error)
	}
	o.metrics.sent.WithLabelValues(m.Kind).Inc()
	return nil
}

// markFailed schedules the next attempt, or moves the mail to the dead
// state when it has had MaxAttempts.
func (o *Outbox) markFailed(ctx context.Context, m Mail, token string, sendErr error) (dead bool, err error) {
	msg := sendErr.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	updates := map[string]any{"status": StatusPending, "last_error": msg, "lease_until": nil,
		"next_attempt_at": o.now().Add(o.backoff(m.Attempts))}
	if m.Attempts >= o.cfg.MaxAttempts {
		dead = true
		updates["status"] = StatusDead
	}
	res := o.db.WithContext(ctx).Model(&Mail{}).Where("id = ? AND claim = ?", m.ID, token).Updates(updates)
	if res.Error != nil {
		return false, fmt.Errorf("record failed mail %s: %w", m.ID, res.Error)
	}
	o.metrics.failures.WithLabelValues(m.Kind).Inc()
	if dead {
		o.metrics.dead.WithLabelValues(m.Kind).Inc()
	}
	return dead, nil
}

// backoff is the wait after the n-th failed attempt.
func (o *Outbox) backoff(n int) time.Duration {
	d := o.cfg.FirstRetry
	for i := 1; i < n && d < o.cfg.MaxRetry; i++ {
		d *= 2
	}
	d = min(d, o.cfg.MaxRetry)
	jitter := time.Duration(float64(d) * 0.2 * (2*rand.Float64() - 1))
	return max(d+jitter, 0)
}

// prune forgets sent and dead mails older than Keep.
func (o *Outbox) prune(ctx context.Context) error {
	cut := o.now().Add(-o.cfg.Keep)
	err := o.db.WithContext(ctx).Where("status IN ? AND created_at < ?", []string{StatusSent, StatusDead}, cut).Delete(&Mail{}).Error
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("prune outbox: %w", err)
	}
	return nil
}

// counts returns how many mails are in each state, for /metrics.
func (o *Outbox) counts(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	if err := o.db.WithContext(ctx).Model(&Mail{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]int64{StatusPending: 0, StatusSending: 0, StatusSent: 0, StatusDead: 0}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}
