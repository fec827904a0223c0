package storetest_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

var notes = []store.Migration{{ID: "0001_notes", Statements: []string{`CREATE TABLE notes (id TEXT PRIMARY KEY)`}}}

// Each test gets its own database: what one writes, another never sees,
// and the PostgreSQL database is gone once the test has ended.
func TestEachTestHasItsOwnDatabaseDroppedAfterwards(t *testing.T) {
	ctx := context.Background()
	var name string
	t.Run("writer", func(t *testing.T) {
		db := storetest.OpenPostgres(t, notes)
		if err := db.WithContext(ctx).Exec(`INSERT INTO notes (id) VALUES ('mine')`).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.WithContext(ctx).Raw(`SELECT current_database()`).Scan(&name).Error; err != nil {
			t.Fatal(err)
		}
		other := storetest.OpenPostgres(t, notes)
		var n int64
		if err := other.WithContext(ctx).Table("notes").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("a second test database sees %d notes of the first", n)
		}
	})
	if !strings.HasPrefix(name, "qrtest_") {
		t.Fatalf("test database is called %q, want a qrtest_ name", name)
	}
	admin, err := store.Open(ctx, store.Config{DatabaseURL: storetest.PostgresAdminURL(), MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int64
	if err := admin.WithContext(ctx).Raw(`SELECT COUNT(*) FROM pg_database WHERE datname = ?`, name).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after its test ended", name)
	}
}

func TestCreatePostgresDatabaseKeepsTheServerAndOptions(t *testing.T) {
	admin, err := url.Parse(storetest.PostgresAdminURL())
	if err != nil {
		t.Fatal(err)
	}
	got, err := url.Parse(storetest.CreatePostgresDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != admin.Host || got.RawQuery != admin.RawQuery || got.Path == admin.Path {
		t.Fatalf("test database URL %s, want another database on %s with ?%s", got, admin.Host, admin.RawQuery)
	}
}

func TestEachDialectRunsOnEveryEngine(t *testing.T) {
	var ran []store.Dialect
	storetest.EachDialect(t, notes, func(t *testing.T, db *store.DB) {
		ran = append(ran, db.Dialect)
		if !db.Migrator().HasTable("notes") {
			t.Fatal("the migrations were not applied")
		}
	})
	if len(ran) != len(storetest.Dialects) {
		t.Fatalf("ran on %v, want %v", ran, storetest.Dialects)
	}
}

// Redis key prefixes keep parallel tests apart: unique per call.
func TestPrefixIsUniquePerCall(t *testing.T) {
	a, b := storetest.Prefix(t), storetest.Prefix(t)
	if a == b || !strings.HasPrefix(a, "qrtest:") {
		t.Fatalf("prefixes %q and %q, want two distinct qrtest: prefixes", a, b)
	}
	rdb := storetest.Redis(t)
	ctx := context.Background()
	if err := rdb.Set(ctx, a+"k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	defer rdb.Del(ctx, a+"k")
	if n, err := rdb.Exists(ctx, b+"k").Result(); err != nil || n != 0 {
		t.Fatalf("key under the other prefix exists (%d, %v)", n, err)
	}
}

// The statement counter sees ORM calls and hand-written SQL, inside and
// outside transactions, and nothing once its test has ended.
func TestCountStatements(t *testing.T) {
	storetest.EachDialect(t, notes, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var outer *storetest.Statements
		t.Run("counting", func(t *testing.T) {
			n := storetest.CountStatements(t, db)
			outer = n
			if err := db.WithContext(ctx).Exec(`INSERT INTO notes (id) VALUES ('a')`).Error; err != nil {
				t.Fatal(err)
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO notes (id) VALUES ('b')`); err != nil {
					return err
				}
				var ids []string
				if err := tx.Scan(ctx, &ids, `SELECT id FROM notes`); err != nil {
					return err
				}
				var c int64
				return tx.ORM(ctx).Table("notes").Count(&c).Error
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := n.N(); got != 4 {
				t.Fatalf("counted %d statements, want 4", got)
			}
		})
		before := outer.N()
		if err := db.WithContext(ctx).Exec(`DELETE FROM notes`).Error; err != nil {
			t.Fatal(err)
		}
		if outer.N() != before {
			t.Fatal("the counter still counts after its test ended")
		}
	})
}
