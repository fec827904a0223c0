package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// openEmpty opens a fresh, unmigrated database of the dialect.
func openEmpty(t *testing.T, d store.Dialect) *store.DB {
	t.Helper()
	return storetest.Open(t, d, nil)
}

// Later migrations build on earlier ones, so they must run in the order
// given; a second run applies nothing; a new migration appended later is
// the only one applied next time.
func TestMigrateAppliesInOrderAndOnlyOnce(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := openEmpty(t, d)
			steps := []store.Migration{
				{ID: "0001_notes", Statements: []string{`CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)`}},
				{ID: "0002_notes_at", Statements: []string{
					`ALTER TABLE notes ADD COLUMN written_at {{ts}}`,
					`INSERT INTO notes (id, body, written_at) VALUES ('a', 'first', CURRENT_TIMESTAMP)`,
				}},
			}
			applied, err := db.Migrate(ctx, steps)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(applied, ",") != "0001_notes,0002_notes_at" {
				t.Fatalf("applied %v, want both in order", applied)
			}
			again, err := db.Migrate(ctx, steps)
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			if len(again) != 0 {
				t.Fatalf("second run applied %v, want nothing", again)
			}
			steps = append(steps, store.Migration{ID: "0003_more", Statements: []string{`INSERT INTO notes (id, body) VALUES ('b', 'second')`}})
			next, err := db.Migrate(ctx, steps)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(next, ",") != "0003_more" {
				t.Fatalf("third run applied %v, want only 0003_more", next)
			}
			var n int64
			if err := db.WithContext(ctx).Table("notes").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Fatalf("%d notes, want 2 (each insert ran once)", n)
			}
			var recorded []string
			if err := db.WithContext(ctx).Table("schema_migrations").Order("id").Pluck("id", &recorded).Error; err != nil {
				t.Fatal(err)
			}
			if strings.Join(recorded, ",") != "0001_notes,0002_notes_at,0003_more" {
				t.Fatalf("schema_migrations holds %v", recorded)
			}
		})
	}
}

// A migration that fails part-way leaves nothing behind (its statements
// and its record roll back together), names itself in the error, and
// runs again once fixed.
func TestFailedMigrationRollsBackAndRunsAgainWhenFixed(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := openEmpty(t, d)
			good := store.Migration{ID: "0001_a", Statements: []string{`CREATE TABLE a (id TEXT PRIMARY KEY)`}}
			broken := store.Migration{ID: "0002_b", Statements: []string{
				`CREATE TABLE b (id TEXT PRIMARY KEY)`,
				`INSERT INTO no_such_table VALUES (1)`,
			}}
			applied, err := db.Migrate(ctx, []store.Migration{good, broken})
			if err == nil || !strings.Contains(err.Error(), "0002_b") || !strings.Contains(err.Error(), "statement 2") {
				t.Fatalf("err = %v, want one naming migration 0002_b, statement 2", err)
			}
			if strings.Join(applied, ",") != "0001_a" {
				t.Fatalf("applied %v before the failure, want 0001_a", applied)
			}
			if db.Migrator().HasTable("b") {
				t.Fatal("table b exists: the failed migration was not rolled back")
			}
			fixed := store.Migration{ID: "0002_b", Statements: []string{`CREATE TABLE b (id TEXT PRIMARY KEY)`}}
			applied, err = db.Migrate(ctx, []store.Migration{good, fixed})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(applied, ",") != "0002_b" {
				t.Fatalf("applied %v after the fix, want 0002_b", applied)
			}
			if !db.Migrator().HasTable("b") {
				t.Fatal("table b missing after the fixed migration")
			}
		})
	}
}

func TestMigrateRefusesEmptyOrRepeatedIDs(t *testing.T) {
	db := openEmpty(t, store.SQLite)
	for name, ms := range map[string][]store.Migration{
		"repeated": {{ID: "0001_x", Statements: []string{`CREATE TABLE x (id TEXT)`}}, {ID: "0001_x"}},
		"empty":    {{ID: "", Statements: []string{`CREATE TABLE y (id TEXT)`}}},
	} {
		t.Run(name, func(t *testing.T) {
			applied, err := db.Migrate(context.Background(), ms)
			if err == nil {
				t.Fatalf("applied %v, want a refusal", applied)
			}
			if db.Migrator().HasTable("x") || db.Migrator().HasTable("y") {
				t.Fatal("a table was created although the list was refused")
			}
		})
	}
}

// Replicas start together and each migrates the shared PostgreSQL: every
// migration runs exactly once, and none of them fails for the other's work.
// The migrations are deliberately not idempotent (a bare CREATE TABLE and an
// INSERT), so running one twice would show.
func TestConcurrentMigrateFromSeveralInstances(t *testing.T) {
	ctx := context.Background()
	url := storetest.CreatePostgresDatabase(t)
	steps := []store.Migration{
		{ID: "0001_counter", Statements: []string{`CREATE TABLE counter (n INTEGER NOT NULL)`}},
		{ID: "0002_one", Statements: []string{`INSERT INTO counter (n) VALUES (1)`}},
		{ID: "0003_slow", Statements: []string{`SELECT pg_sleep(0.05)`, `INSERT INTO counter (n) VALUES (3)`}},
	}
	const instances = 4
	dbs := make([]*store.DB, instances)
	for i := range dbs {
		db, err := store.Open(ctx, store.Config{DatabaseURL: url, MaxOpenConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		mu      sync.Mutex
		applied = map[string]int{}
		errs    []error
	)
	for _, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ids, err := db.Migrate(ctx, steps)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			for _, id := range ids {
				applied[id]++
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("concurrent migrate failed: %v", errs)
	}
	for _, m := range steps {
		if applied[m.ID] != 1 {
			t.Errorf("%s applied by %d instances, want exactly 1", m.ID, applied[m.ID])
		}
	}
	var ns []int
	if err := dbs[0].WithContext(ctx).Table("counter").Order("n").Pluck("n", &ns).Error; err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || ns[0] != 1 || ns[1] != 3 {
		t.Fatalf("counter holds %v, want [1 3]", ns)
	}
}

// The {{ts}}, {{json}} and {{blob}} placeholders become each engine's
// types, and what is stored in them comes back.
func TestPlaceholdersExpandPerDialect(t *testing.T) {
	storetest.EachDialect(t, []store.Migration{{ID: "0001_typed", Statements: []string{
		`CREATE TABLE typed (id TEXT PRIMARY KEY, at {{ts}} NOT NULL, doc {{json}} NOT NULL, raw {{blob}} NOT NULL)`,
	}}}, func(t *testing.T, db *store.DB) {
		type typed struct {
			ID  string
			At  time.Time
			Doc string
			Raw []byte
		}
		at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		in := typed{ID: "x", At: at, Doc: `{"a":1}`, Raw: []byte{0, 1, 2, 255}}
		ctx := context.Background()
		if err := db.WithContext(ctx).Table("typed").Create(&in).Error; err != nil {
			t.Fatal(err)
		}
		var out typed
		if err := db.WithContext(ctx).Table("typed").Where("id = ?", "x").Take(&out).Error; err != nil {
			t.Fatal(err)
		}
		if !out.At.Equal(at) || string(out.Raw) != string(in.Raw) || !strings.Contains(strings.ReplaceAll(out.Doc, " ", ""), `"a":1`) {
			t.Fatalf("read back %+v, want %+v", out, in)
		}
	})
}
