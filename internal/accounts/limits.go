package accounts

import (
	"context"
	"fmt"
	"math"
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

// reserveAttempt counts an attempt before the action is tried: within one
// transaction it counts each key's rows in the window and, when every key
// has room, inserts the attempt's row. Concurrent reservations for one key
// are serialised (advisory locks on PostgreSQL, which hold across hub
// instances; SQLite has one writer), so a burst of N attempts admits
// exactly the limit. It returns the row's id, to be released if the
// action turns out not to count; refused is the error for a full key.
func (s *Service) reserveAttempt(ctx context.Context, table, tenantID, email, ip string, window time.Duration, keys []limitKey, refused func() *apperr.Error) (string, error) {
	now := s.now()
	since := now.Add(-window)
	db := s.db.WithContext(ctx)
	// Forget this tenant's attempts older than the window: keeps the table
	// small. Outside the transaction, so it never waits on the locks.
	if err := db.Table(table).Where("tenant_id = ? AND at < ?", tenantID, since).Delete(&attemptRow{}).Error; err != nil {
		return "", fmt.Errorf("prune %s: %w", table, err)
	}
	row := attemptRow{ID: store.NewID(), TenantID: tenantID, Email: email, IP: ip, At: now}
	err := db.Transaction(func(tx *gorm.DB) error {
		if s.db.Dialect == store.Postgres {
			// Always in the order the keys are given: one order, no deadlock.
			for _, k := range keys {
				if k.max > 0 && k.value != "" {
					if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", lockKey(tenantID, table, k.column, k.value)).Error; err != nil {
						return fmt.Errorf("lock %s: %w", table, err)
					}
				}
			}
		}
		for _, k := range keys {
			if k.max <= 0 || k.value == "" {
				continue
			}
			// The oldest rows in the window, up to the limit: the first one
			// decides when the key reopens. Rows, not MIN(at): SQLite returns
			// aggregates untyped.
			var recent []attemptRow
			if err := tx.Table(table).Where("tenant_id = ? AND at >= ? AND "+k.column+" = ?", tenantID, since, k.value).
				Order("at").Limit(k.max).Find(&recent).Error; err != nil {
				return fmt.Errorf("count %s: %w", table, err)
			}
			if len(recent) < k.max {
				continue
			}
			e := refused()
			wait := recent[0].At.Add(window).Sub(now)
			e.RetryAfterSeconds = int(math.Max(1, math.Ceil(wait.Seconds())))
			return e
		}
		if err := tx.Table(table).Create(&row).Error; err != nil {
			return fmt.Errorf("record %s: %w", table, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return row.ID, nil
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
