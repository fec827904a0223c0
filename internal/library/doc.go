// Package library is Quietroom's migraine library: the articles that ship
// with it, the Markdown rendering shared with articles tenants write, and
// an in-memory search over both.
//
// A typical start-up:
//
//	articles, err := library.LoadBuiltin() // parsed, checked and rendered
//	ix := library.NewIndex(articles)       // immutable, share it freely
//
// and per tenant, with that tenant's own prepared articles:
//
//	view := ix.With(tenantArticles) // cache it until they change
//	results := view.Search("vertigo dizzy", 10)
//
// The package holds no mutable state: an Index never changes once built,
// and a tenant's view is a separate value that shares the built-in index
// read-only. Nothing here talks to HTTP or a database.
//
// Every article page should show MedicalNote; article bodies do not
// repeat it.
package library
