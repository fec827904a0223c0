package store_test

import (
	"context"
	"errors"
	"testing"

	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

var counters = []store.Migration{{ID: "0001_counters", Statements: []string{
	`CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
	`INSERT INTO counters (name, n) VALUES ('a', 0), ('b', 0), ('c', 0)`,
}}}

// What a transaction's callback writes commits together, or not at all
// when it returns an error or panics.
func TestInTxCommitsTogetherOrNotAtAll(t *testing.T) {
	storetest.EachDialect(t, counters, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sum := func() (n int) {
			t.Helper()
			if err := db.WithContext(ctx).Raw(`SELECT COALESCE(SUM(n), 0) FROM counters`).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if tx.Dialect != db.Dialect {
				t.Errorf("transaction dialect %s, want %s", tx.Dialect, db.Dialect)
			}
			n, err := tx.Exec(ctx, `UPDATE counters SET n = n + 1`)
			if err != nil || n != 3 {
				t.Errorf("update changed %d rows (%v), want 3", n, err)
			}
			var inside int
			if err := tx.Scan(ctx, &inside, `SELECT SUM(n) FROM counters`); err != nil || inside != 3 {
				t.Errorf("the transaction sees a sum of %d (%v), want its own 3", inside, err)
			}
			return tx.ORM(ctx).Exec(`UPDATE counters SET n = n + 10 WHERE name = ?`, "a").Error
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := sum(); got != 13 {
			t.Fatalf("after a commit the sum is %d, want 13", got)
		}
		refused := errors.New("refused")
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE counters SET n = n + 100`); err != nil {
				return err
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatalf("InTx returned %v, want the callback's error", err)
		}
		func() {
			defer func() { recover() }()
			_ = db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `UPDATE counters SET n = n + 1000`); err != nil {
					return err
				}
				panic("a bug half-way")
			})
		}()
		if got := sum(); got != 13 {
			t.Fatalf("after a failed and a panicking transaction the sum is %d, want 13", got)
		}
		var names []string
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.Scan(ctx, &names, `SELECT name FROM counters WHERE n > ? ORDER BY name`, 1)
		}); err != nil || len(names) != 1 || names[0] != "a" {
			t.Fatalf("scan into a slice: %v (%v), want [a]", names, err)
		}
	})
}
