package storetest

import (
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"quietroom/internal/store"
)

// Statements counts the SQL statements a database runs (queries, inserts,
// updates, deletes and hand-written SQL alike; BEGIN and COMMIT are not
// counted). Tests use it to prove that work is set-based: the count does
// not grow with the rows it touches.
type Statements struct{ n atomic.Int64 }

// N is the number counted so far.
func (s *Statements) N() int64 { return s.n.Load() }

// CountStatements starts counting what db runs, from any goroutine, until
// the test ends.
func CountStatements(t testing.TB, db *store.DB) *Statements {
	t.Helper()
	s := &Statements{}
	name := "storetest:count:" + store.NewToken(4)
	cb := db.DB.Callback()
	for _, proc := range []interface {
		Register(string, func(*gorm.DB)) error
		Remove(string) error
	}{cb.Query(), cb.Create(), cb.Update(), cb.Delete(), cb.Row(), cb.Raw()} {
		if err := proc.Register(name, func(*gorm.DB) { s.n.Add(1) }); err != nil {
			t.Fatalf("count statements: %v", err)
		}
		t.Cleanup(func() { _ = proc.Remove(name) })
	}
	return s
}
