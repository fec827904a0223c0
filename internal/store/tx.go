package store

import (
	"context"

	"gorm.io/gorm"
)

// Tx is a transaction owned by this package. It is what one domain hands
// another when work must commit together (a new tenant and its groups; a
// deleted account and every domain's data about the member; a token and the
// mail that carries it): the receiving domain writes through it without
// knowing how the caller reaches the database, and it never outlives the
// callback that received it.
type Tx struct {
	tx      *gorm.DB
	Dialect Dialect
}

// InTx runs fn in one transaction: committed when fn returns nil, rolled
// back when it returns an error or panics.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.DB.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return fn(&Tx{tx: g, Dialect: db.Dialect})
	})
}

// Exec runs one hand-written statement and returns the rows it changed.
func (tx *Tx) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	res := tx.tx.WithContext(ctx).Exec(sql, args...)
	return res.RowsAffected, res.Error
}

// Scan runs one hand-written query and scans its rows into dst: a pointer
// to a slice (of structs or of single values), a struct or a value.
func (tx *Tx) Scan(ctx context.Context, dst any, sql string, args ...any) error {
	return tx.tx.WithContext(ctx).Raw(sql, args...).Scan(dst).Error
}

// ORM is the transaction as gorm sees it, for the receiving domain's CRUD
// on its own models (the rule in the README's architecture notes: gorm for
// a domain's own rows, hand-written SQL for set-based and hot-path work).
func (tx *Tx) ORM(ctx context.Context) *gorm.DB { return tx.tx.WithContext(ctx) }
