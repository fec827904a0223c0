package store_test

import (
	"context"
	"strings"
	"testing"

	"quietroom/internal/store"
)

// A URL that is not PostgreSQL's is refused before connecting, and the
// error never repeats the password it carried.
func TestOpenRefusesOtherURLsWithoutShowingThePassword(t *testing.T) {
	_, err := store.Open(context.Background(), store.Config{DatabaseURL: "mysql://hub:s3cret-word@db.example:3306/hub"})
	if err == nil {
		t.Fatal("opened a mysql:// URL")
	}
	if strings.Contains(err.Error(), "s3cret-word") {
		t.Fatalf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("error does not say what is expected: %v", err)
	}
}

// With no URL the hub runs on an SQLite file in the data directory, which
// keeps what was written across a reopen.
func TestEmbeddedSQLiteKeepsDataAcrossReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	steps := []store.Migration{{ID: "0001_kv", Statements: []string{`CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`}}}
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if db.Dialect != store.SQLite || !strings.HasPrefix(db.Location, dir) {
		t.Fatalf("dialect %s at %s, want sqlite under %s", db.Dialect, db.Location, dir)
	}
	if _, err := db.Migrate(ctx, steps); err != nil {
		t.Fatal(err)
	}
	if err := db.WithContext(ctx).Exec(`INSERT INTO kv (k, v) VALUES ('theme', 'dark')`).Error; err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if applied, err := db.Migrate(ctx, steps); err != nil || len(applied) != 0 {
		t.Fatalf("reopen migrated %v (%v), want nothing", applied, err)
	}
	var v string
	if err := db.WithContext(ctx).Raw(`SELECT v FROM kv WHERE k = 'theme'`).Scan(&v).Error; err != nil || v != "dark" {
		t.Fatalf("read %q (%v), want dark", v, err)
	}
}

func TestIDsAndTokensAreDistinctHex(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := store.NewID()
		if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("NewID() = %q, want 32 hex characters", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %s", id)
		}
		seen[id] = true
	}
	if tok := store.NewToken(32); len(tok) != 64 {
		t.Fatalf("NewToken(32) has %d characters, want 64", len(tok))
	}
}
