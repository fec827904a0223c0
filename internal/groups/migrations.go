package groups

import "quietroom/internal/store"

// Migrations creates and evolves the groups tables. Append only; they run
// after the accounts migrations.
func Migrations() []store.Migration {
	return []store.Migration{{
		ID: "0002_groups",
		Statements: []string{
			`CREATE TABLE groups (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				slug TEXT NOT NULL,
				name TEXT NOT NULL,
				description TEXT NOT NULL,
				diagnosis TEXT NOT NULL,
				audience TEXT NOT NULL,
				visibility TEXT NOT NULL,
				posting_policy TEXT NOT NULL,
				held_posts INTEGER NOT NULL DEFAULT 0,
				archived_at {{ts}},
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL)`,
			`CREATE UNIQUE INDEX groups_tenant_slug ON groups (tenant_id, slug)`,
			`CREATE TABLE group_memberships (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				lurking BOOLEAN NOT NULL DEFAULT FALSE,
				joined_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, group_id, user_id))`,
			`CREATE INDEX group_memberships_user ON group_memberships (tenant_id, user_id)`,
			`CREATE TABLE group_invites (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				invited_by TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, group_id, user_id))`,
			`CREATE TABLE group_moderators (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				created_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, group_id, user_id))`,
		},
	}}
}
