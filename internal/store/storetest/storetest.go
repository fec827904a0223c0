// Package storetest gives each test its own real database: a fresh
// PostgreSQL database (created on the server named by TEST_DATABASE_URL,
// dropped afterwards) or a fresh SQLite file, plus a Redis client. It never
// skips: a missing server fails the test with what to do about it.
package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"quietroom/internal/store"
)

const (
	defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedis    = "redis://127.0.0.1:6379/0"
	hint            = "run the tests with `make test`, which finds or starts PostgreSQL and Redis, or set TEST_DATABASE_URL / TEST_REDIS_URL"
)

// PostgresAdminURL is the server tests create their databases on.
func PostgresAdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return defaultPostgres
}

// RedisURL is the Redis tests use.
func RedisURL() string {
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		return u
	}
	return defaultRedis
}

// Dialects lists the engines that store-level tests run on.
var Dialects = []store.Dialect{store.Postgres, store.SQLite}

// Open returns a migrated, empty database of the given dialect that lives
// only as long as the test.
func Open(t testing.TB, dialect store.Dialect, migrations []store.Migration) *store.DB {
	t.Helper()
	ctx := context.Background()
	var cfg store.Config
	switch dialect {
	case store.Postgres:
		cfg.DatabaseURL = CreatePostgresDatabase(t)
		cfg.MaxOpenConns = 10
	case store.SQLite:
		cfg.DataDir = t.TempDir()
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s: %v (%s)", dialect, err, hint)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, migrations); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// OpenPostgres is Open(t, store.Postgres, migrations).
func OpenPostgres(t testing.TB, migrations []store.Migration) *store.DB {
	t.Helper()
	return Open(t, store.Postgres, migrations)
}

// EachDialect runs fn as a subtest on a fresh database of every dialect.
func EachDialect(t *testing.T, migrations []store.Migration, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d, migrations))
		})
	}
}

// CreatePostgresDatabase creates an empty database for this test and
// returns its URL; the database is dropped when the test ends.
func CreatePostgresDatabase(t testing.TB) string {
	t.Helper()
	adminURL := PostgresAdminURL()
	admin, err := gorm.Open(postgres.Open(adminURL), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect to PostgreSQL at %s: %v (%s)", adminURL, err, hint)
	}
	sqlAdmin, _ := admin.DB()
	defer sqlAdmin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sqlAdmin.PingContext(ctx); err != nil {
		t.Fatalf("PostgreSQL at %s does not answer: %v (%s)", adminURL, err, hint)
	}
	name := "qrtest_" + store.NewToken(8)
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := gorm.Open(postgres.Open(adminURL), &gorm.Config{Logger: logger.Discard})
		if err != nil {
			t.Errorf("reconnect to drop %s: %v", name, err)
			return
		}
		sqlAdmin, _ := admin.DB()
		defer sqlAdmin.Close()
		if err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error; err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Redis returns a client for the test Redis; keys and channels a test uses
// should carry Prefix(t) so parallel tests never meet.
func Redis(t testing.TB) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(RedisURL())
	if err != nil {
		t.Fatalf("parse TEST_REDIS_URL %q: %v", RedisURL(), err)
	}
	c := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		t.Fatalf("Redis at %s does not answer: %v (%s)", RedisURL(), err, hint)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Prefix is a namespace unique to this test run, for Redis keys and channels.
func Prefix(t testing.TB) string {
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if len(name) > 40 {
		name = name[:40]
	}
	return fmt.Sprintf("qrtest:%s:%s:", name, store.NewToken(4))
}
