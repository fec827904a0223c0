package library

import "quietroom/internal/store"

// Migrations creates the table of tenants' own library resources. Append
// only. Built-in articles live in the binary, not here.
func Migrations() []store.Migration {
	return []store.Migration{{
		ID: "0007_library_resources",
		Statements: []string{
			`CREATE TABLE library_resources (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				kind TEXT NOT NULL,
				slug TEXT NOT NULL,
				title TEXT NOT NULL,
				summary TEXT NOT NULL,
				body TEXT NOT NULL,
				url TEXT NOT NULL,
				topic TEXT NOT NULL,
				tags TEXT NOT NULL,
				created_by TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL)`,
			`CREATE UNIQUE INDEX library_resources_tenant_slug ON library_resources (tenant_id, slug)`,
		},
	}}
}
