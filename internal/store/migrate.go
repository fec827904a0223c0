package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Migration is one forward step of the schema. Statements may use
// placeholders that expand per dialect, so one migration serves PostgreSQL
// and SQLite: {{ts}} timestamp with zone, {{json}} a JSON document,
// {{blob}} bytes.
type Migration struct {
	ID         string // unique and never renamed, e.g. "0001_accounts"
	Statements []string
}

var placeholders = map[Dialect]*strings.Replacer{
	Postgres: strings.NewReplacer("{{ts}}", "TIMESTAMPTZ", "{{json}}", "JSONB", "{{blob}}", "BYTEA"),
	SQLite:   strings.NewReplacer("{{ts}}", "DATETIME", "{{json}}", "TEXT", "{{blob}}", "BLOB"),
}

// schemaMigration records an applied migration.
type schemaMigration struct {
	ID        string `gorm:"primaryKey"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migrationLockKey is an arbitrary constant that every hub instance uses for
// pg_advisory_lock, so replicas starting together migrate one at a time.
const migrationLockKey = 7_316_021_100

// Migrate applies, in order, every migration not yet recorded in
// schema_migrations, each in its own transaction. It returns the ids it
// applied.
func (db *DB) Migrate(ctx context.Context, migrations []Migration) ([]string, error) {
	if err := checkUnique(migrations); err != nil {
		return nil, err
	}
	var applied []string
	err := db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		if db.Dialect == Postgres {
			if err := conn.Exec("SELECT pg_advisory_lock(?)", migrationLockKey).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
			defer conn.Exec("SELECT pg_advisory_unlock(?)", migrationLockKey)
		}
		if err := conn.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			id TEXT PRIMARY KEY,
			applied_at ` + placeholders[db.Dialect].Replace("{{ts}}") + ` NOT NULL)`).Error; err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var done []schemaMigration
		if err := conn.Find(&done).Error; err != nil {
			return fmt.Errorf("read schema_migrations: %w", err)
		}
		seen := make(map[string]bool, len(done))
		for _, m := range done {
			seen[m.ID] = true
		}
		for _, m := range migrations {
			if seen[m.ID] {
				continue
			}
			err := conn.Transaction(func(tx *gorm.DB) error {
				for i, stmt := range m.Statements {
					if err := tx.Exec(placeholders[db.Dialect].Replace(stmt)).Error; err != nil {
						return fmt.Errorf("statement %d: %w", i+1, err)
					}
				}
				return tx.Create(&schemaMigration{ID: m.ID, AppliedAt: time.Now().UTC()}).Error
			})
			if err != nil {
				return fmt.Errorf("migration %s: %w", m.ID, err)
			}
			applied = append(applied, m.ID)
		}
		return nil
	})
	return applied, err
}

func checkUnique(migrations []Migration) error {
	ids := make(map[string]bool, len(migrations))
	for _, m := range migrations {
		if m.ID == "" || ids[m.ID] {
			return fmt.Errorf("migration id %q is empty or repeated", m.ID)
		}
		ids[m.ID] = true
	}
	return nil
}
