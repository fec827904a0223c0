package accounts

import "quietroom/internal/store"

// Migrations creates and evolves the accounts tables. Append only; the
// mailed-token tables of issue 17 follow (migrations_mail.go).
func Migrations() []store.Migration {
	return append([]store.Migration{{
		ID: "0001_accounts",
		Statements: []string{
			`CREATE TABLE tenants (
				id TEXT PRIMARY KEY,
				slug TEXT NOT NULL UNIQUE,
				name TEXT NOT NULL,
				guidelines TEXT NOT NULL,
				guidelines_version INTEGER NOT NULL DEFAULT 1,
				deletion_policy TEXT NOT NULL DEFAULT 'anonymise',
				allowed_origins TEXT NOT NULL DEFAULT '',
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL)`,
			`CREATE TABLE users (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				email TEXT NOT NULL,
				display_name TEXT NOT NULL,
				display_name_key TEXT NOT NULL,
				password_hash TEXT NOT NULL,
				age_bracket TEXT NOT NULL,
				roles TEXT NOT NULL,
				guidelines_version INTEGER NOT NULL,
				guidelines_accepted_at {{ts}} NOT NULL,
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL)`,
			`CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email)`,
			`CREATE UNIQUE INDEX users_tenant_display_name ON users (tenant_id, display_name_key)`,
			`CREATE TABLE sessions (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				csrf_token TEXT NOT NULL,
				user_agent TEXT NOT NULL,
				ip TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				expires_at {{ts}} NOT NULL,
				last_seen_at {{ts}} NOT NULL)`,
			`CREATE INDEX sessions_tenant_user ON sessions (tenant_id, user_id)`,
			`CREATE TABLE signin_failures (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				email TEXT NOT NULL,
				ip TEXT NOT NULL,
				at {{ts}} NOT NULL)`,
			`CREATE INDEX signin_failures_email ON signin_failures (tenant_id, email, at)`,
			`CREATE INDEX signin_failures_ip ON signin_failures (tenant_id, ip, at)`,
		},
	}, {
		// Connect tokens are short-lived sessions that only open WebSockets,
		// for clients that cannot send the cookie.
		ID:         "0003_accounts_session_purpose",
		Statements: []string{`ALTER TABLE sessions ADD COLUMN purpose TEXT NOT NULL DEFAULT 'session'`},
	}, {
		// Display preferences (theme, text size, sound, notifications) as
		// JSON: read and written whole, never queried.
		ID:         "0006_accounts_preferences",
		Statements: []string{`ALTER TABLE users ADD COLUMN preferences TEXT NOT NULL DEFAULT '{}'`},
	}, {
		// A connect token belongs to the session that issued it: ending
		// that session ends the token and the sockets it opened.
		ID: "0030_accounts_connect_token_parent",
		Statements: []string{
			`ALTER TABLE sessions ADD COLUMN parent_id TEXT NOT NULL DEFAULT ''`,
			`CREATE INDEX sessions_parent ON sessions (tenant_id, parent_id)`,
		},
	}, {
		// Accepted sign-ups, kept for an hour or so for the per-address
		// and per-email limits.
		ID: "0031_accounts_signup_attempts",
		Statements: []string{
			`CREATE TABLE signup_attempts (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				email TEXT NOT NULL,
				ip TEXT NOT NULL,
				at {{ts}} NOT NULL)`,
			`CREATE INDEX signup_attempts_email ON signup_attempts (tenant_id, email, at)`,
			`CREATE INDEX signup_attempts_ip ON signup_attempts (tenant_id, ip, at)`,
		},
	}, {
		// How long members may edit their messages (issue 16); 15 minutes
		// unless the community changes it.
		ID:         "0050_accounts_tenant_edit_window",
		Statements: []string{`ALTER TABLE tenants ADD COLUMN edit_window_minutes INTEGER NOT NULL DEFAULT 15`},
	}, {
		// Attack mode (issue 22): since when, and until when (NULL: until
		// the member turns it off). Mentoring asks which members of a
		// community are in it now, hence the index.
		ID: "0090_accounts_attack_mode",
		Statements: []string{
			`ALTER TABLE users ADD COLUMN attack_since {{ts}}`,
			`ALTER TABLE users ADD COLUMN attack_until {{ts}}`,
			`CREATE INDEX users_attack ON users (tenant_id, attack_since)`,
		},
	}}, mailMigrations()...)
}
