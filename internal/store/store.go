// Package store opens the database (PostgreSQL in production, pure-Go SQLite
// as the embedded default), applies versioned migrations and hands out ids.
// Domain packages own their tables and queries; this package only knows how
// to connect and how to move the schema forward.
package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is a gorm handle that remembers which engine it talks to, because the
// migrations and a few statements (locks, upserts) differ between the two.
type DB struct {
	*gorm.DB
	Dialect Dialect
	// Location describes where the data lives, for start-up logs (never
	// includes a password).
	Location string
}

// Config selects and tunes the database.
type Config struct {
	// DatabaseURL is a postgres:// URL; empty means embedded SQLite.
	DatabaseURL string
	// DataDir holds the SQLite file when DatabaseURL is empty.
	DataDir      string
	MaxOpenConns int
	Logger       *slog.Logger
}

// Open connects to PostgreSQL when cfg.DatabaseURL is set, otherwise to an
// SQLite file under cfg.DataDir.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		TranslateError:         true,
	}
	var (
		db  *DB
		err error
	)
	if cfg.DatabaseURL != "" {
		db, err = openPostgres(cfg, gcfg)
	} else {
		db, err = openSQLite(cfg, gcfg)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openPostgres(cfg Config, gcfg *gorm.Config) (*DB, error) {
	if !strings.HasPrefix(cfg.DatabaseURL, "postgres://") && !strings.HasPrefix(cfg.DatabaseURL, "postgresql://") {
		return nil, fmt.Errorf("DATABASE_URL must start with postgres:// (got %q)", redact(cfg.DatabaseURL))
	}
	g, err := gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(cfg.DatabaseURL), err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("postgres pool: %w", err)
	}
	maxOpen := cfg.MaxOpenConns
	if maxOpen <= 0 {
		maxOpen = 20
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxOpen)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{DB: g, Dialect: Postgres, Location: redact(cfg.DatabaseURL)}, nil
}

func openSQLite(cfg Config, gcfg *gorm.Config) (*DB, error) {
	dir := cfg.DataDir
	if dir == "" {
		dir = "data"
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", dir, err)
	}
	path := filepath.Join(dir, "quietroom.db")
	return openSQLiteFile(path, gcfg)
}

func openSQLiteFile(path string, gcfg *gorm.Config) (*DB, error) {
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	g, err := gorm.Open(sqlite.Open(dsn), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("sqlite pool: %w", err)
	}
	// SQLite allows one writer; a single connection turns lock contention
	// into queueing inside database/sql instead of SQLITE_BUSY errors.
	sqlDB.SetMaxOpenConns(1)
	return &DB{DB: g, Dialect: SQLite, Location: path}, nil
}

// Ping checks the database answers; /readyz calls it.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.Dialect, err)
	}
	return nil
}

// Close releases the pool.
func (db *DB) Close() error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// WithContext is gorm's WithContext, kept on *DB so callers need not reach in.
func (db *DB) WithContext(ctx context.Context) *gorm.DB { return db.DB.WithContext(ctx) }

// NewID returns a random 128-bit identifier as 32 hex characters. Random ids
// (rather than sequences) reveal nothing about other tenants' volumes.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return hex.EncodeToString(b[:])
}

// NewToken returns n random bytes, hex-encoded, for secrets such as session
// tokens.
func NewToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return hex.EncodeToString(b)
}

// redact hides the password in a connection URL.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	userinfo := url[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return url[:scheme+3] + userinfo[:i] + ":***" + url[at:]
	}
	return url
}
