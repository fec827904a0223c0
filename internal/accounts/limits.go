package accounts

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// attemptRow is one counted attempt of a rate-limited action: a sign-in
// (signin_failures) or a sign-up (signup_attempts). Both tables have this
// shape.
type attemptRow struct {
	ID       string
	TenantID string
	Email    string
	IP       string
	At       time.Time
}

// limitKey is one count of a limit: rows of table whose column equals
// value, at most max of them within the window. max 0 is no limit.
type limitKey struct {
	column, value string
	max           int
}

// limitedAction is one rate-limited action: its attempts are rows of
// table, at most each key's max within window; refused is the error for a
// full key.
type limitedAction struct {
	table   string
	window  time.Duration
	keys    []limitKey
	refused func() *apperr.Error
}

// signInLimits are the limits of a password check: a sign-in, or the
// current password typed again to change it or delete the account. All
// count as sign-in attempts for the account and the client address.
func (s *Service) signInLimits(email, ip string) limitedAction {
	return limitedAction{table: signinFailure{}.TableName(), window: s.cfg.FailureWindow, keys: []limitKey{
		{"email", email, s.cfg.MaxFailuresPerAccount},
		{"ip", ip, s.cfg.MaxFailuresPerAddress},
	}, refused: func() *apperr.Error {
		return apperr.New(apperr.CodeRateLimited, "too many failed sign-in attempts: wait a few minutes and try again")
	}}
}

// reserveAttempt counts an attempt before the action is tried: within one
// transaction it counts each key's rows in the window and, when every key
// has room, inserts the attempt's row. Concurrent reservations for one key
// are serialised (advisory locks on PostgreSQL, which hold across hub
// instances; SQLite has one writer), so a burst of N attempts admits
// exactly the limit. It returns the row's id, to be released if the
// action turns out not to count. A refusal is also remembered at this
// instance's door (attemptGate).
func (s *Service) reserveAttempt(ctx context.Context, a limitedAction, tenantID, email, ip string) (string, error) {
	now := s.now()
	since := now.Add(-a.window)
	db := s.db.WithContext(ctx)
	// Forget this tenant's attempts older than the window, at most once a
	// minute (a burst would otherwise queue a delete per attempt): keeps
	// the table small. Outside the transaction, so it never waits on the
	// locks; the counts below only look inside the window anyway.
	if s.prunes.due(a.table+"\x00"+tenantID, now) {
		if err := db.Table(a.table).Where("tenant_id = ? AND at < ?", tenantID, since).Delete(&attemptRow{}).Error; err != nil {
			return "", fmt.Errorf("prune %s: %w", a.table, err)
		}
	}
	row := attemptRow{ID: store.NewID(), TenantID: tenantID, Email: email, IP: ip, At: now}
	err := db.Transaction(func(tx *gorm.DB) error {
		if s.db.Dialect == store.Postgres {
			// Always in the order the keys are given: one order, no deadlock.
			for _, k := range a.keys {
				if k.max > 0 && k.value != "" {
					if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", lockKey(tenantID, a.table, k.column, k.value)).Error; err != nil {
						return fmt.Errorf("lock %s: %w", a.table, err)
					}
				}
			}
		}
		for _, k := range a.keys {
			if k.max <= 0 || k.value == "" {
				continue
			}
			// The oldest rows in the window, up to the limit: the first one
			// decides when the key reopens. Rows, not MIN(at): SQLite returns
			// aggregates untyped.
			var recent []attemptRow
			if err := tx.Table(a.table).Where("tenant_id = ? AND at >= ? AND "+k.column+" = ?", tenantID, since, k.value).
				Order("at").Limit(k.max).Find(&recent).Error; err != nil {
				return fmt.Errorf("count %s: %w", a.table, err)
			}
			if len(recent) < k.max {
				continue
			}
			reopens := recent[0].At.Add(a.window)
			s.gate.remember(now, gateKey(a.table, tenantID, k), reopens)
			e := a.refused()
			e.RetryAfterSeconds = retryAfter(reopens.Sub(now))
			return e
		}
		if err := tx.Table(a.table).Create(&row).Error; err != nil {
			return fmt.Errorf("record %s: %w", a.table, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return row.ID, nil
}

func retryAfter(wait time.Duration) int {
	return int(math.Max(1, math.Ceil(wait.Seconds())))
}

// releaseAttempt removes a reserved attempt that turned out not to count
// (the password was right, the server was too busy to check it, the
// sign-up was refused). It runs even when the request was cancelled.
func (s *Service) releaseAttempt(ctx context.Context, table, id string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.db.WithContext(ctx).Table(table).Where("id = ?", id).Delete(&attemptRow{}).Error; err != nil {
		return fmt.Errorf("release %s: %w", table, err)
	}
	return nil
}

// pruneClock remembers when each table was last pruned for each tenant.
type pruneClock struct {
	mu   sync.Mutex
	last map[string]time.Time
}

// due reports whether key was last pruned a minute or more before now,
// and if so records now.
func (p *pruneClock) due(key string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.last == nil {
		p.last = map[string]time.Time{}
	}
	if last, ok := p.last[key]; ok && now.Sub(last) < time.Minute && !now.Before(last) {
		return false
	}
	p.last[key] = now
	return true
}

// attemptGate is each hub instance's door to the rate limits, in memory,
// in front of the hashing limiter and the database. A key with as many of
// its attempts in flight here as its limit allows, or one the database
// refused a moment ago, is refused at once: so a burst from one address
// gets its 429s without a place in the hashing limiter or a database
// write (on SQLite every one would queue behind the single writer), and
// the attempts let through are few enough to wait their turn for
// hashing. The database stays the judge of what is let through: it
// counts across instances and windows.
type attemptGate struct {
	mu       sync.Mutex
	inFlight map[string]int
	refused  map[string]gateRefusal
	swept    time.Time
}

// gateRefusal is a refusal by the database: the key reopens at reopens;
// the gate repeats it until forget (a few seconds: enough to absorb a
// burst, short enough that a key freed meanwhile, by an attempt released
// or an account's failures forgiven, is soon asked about again).
type gateRefusal struct {
	reopens, forget time.Time
}

// refusalMemory is how long the gate repeats a database refusal.
const refusalMemory = 5 * time.Second

func gateKey(table, tenantID string, k limitKey) string {
	return table + "\x00" + tenantID + "\x00" + k.column + "\x00" + k.value
}

// enter lets an attempt in, or refuses it with a's rate_limited error;
// leave (always non-nil) ends the attempt's time in flight.
func (g *attemptGate) enter(now time.Time, tenantID string, a limitedAction) (leave func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	var keys []string
	for _, k := range a.keys {
		if k.max <= 0 || k.value == "" {
			continue
		}
		key := gateKey(a.table, tenantID, k)
		if r, ok := g.refused[key]; ok && now.Before(r.forget) {
			e := a.refused()
			e.RetryAfterSeconds = retryAfter(r.reopens.Sub(now))
			return func() {}, e
		}
		if g.inFlight[key] >= k.max {
			// Each attempt in flight counts until it is known not to
			// (the database does the same with reserved rows). How long
			// until the key reopens is the database's to say: ask again
			// in a second.
			e := a.refused()
			e.RetryAfterSeconds = 1
			return func() {}, e
		}
		keys = append(keys, key)
	}
	if g.inFlight == nil {
		g.inFlight = map[string]int{}
	}
	for _, key := range keys {
		g.inFlight[key]++
	}
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, key := range keys {
			if g.inFlight[key]--; g.inFlight[key] <= 0 {
				delete(g.inFlight, key)
			}
		}
	}, nil
}

// remember notes that the database refused key until reopens.
func (g *attemptGate) remember(now time.Time, key string, reopens time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.refused == nil {
		g.refused = map[string]gateRefusal{}
	}
	// Forgotten refusals are swept out as new ones come, at most once per
	// refusalMemory: the map holds only the last few seconds' keys.
	if now.Sub(g.swept) >= refusalMemory || now.Before(g.swept) {
		for k, r := range g.refused {
			if !now.Before(r.forget) {
				delete(g.refused, k)
			}
		}
		g.swept = now
	}
	g.refused[key] = gateRefusal{reopens: reopens, forget: minTime(reopens, now.Add(refusalMemory))}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
