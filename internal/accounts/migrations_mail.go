package accounts

import "quietroom/internal/store"

// mailMigrations are the accounts tables of issue 17 (ids 0060-0069):
// one-time tokens sent by mail, the log that rate-limits asking for them,
// and whether a member's address is confirmed.
func mailMigrations() []store.Migration {
	return []store.Migration{{
		ID: "0061_account_tokens",
		Statements: []string{
			// id is the SHA-256 of the token the mail carries: a leaked
			// table holds no usable link.
			`CREATE TABLE account_tokens (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				purpose TEXT NOT NULL,
				email TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				expires_at {{ts}} NOT NULL,
				used_at {{ts}})`,
			`CREATE INDEX account_tokens_user ON account_tokens (tenant_id, user_id, purpose)`,
			`CREATE TABLE account_mail_requests (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				purpose TEXT NOT NULL,
				email TEXT NOT NULL,
				ip TEXT NOT NULL,
				at {{ts}} NOT NULL)`,
			`CREATE INDEX account_mail_requests_email ON account_mail_requests (tenant_id, purpose, email, at)`,
			`CREATE INDEX account_mail_requests_ip ON account_mail_requests (tenant_id, purpose, ip, at)`,
		},
	}, {
		// Addresses of members who were here before confirmation existed
		// count as confirmed: they have used the hub with them.
		ID: "0062_users_email_confirmed",
		Statements: []string{
			`ALTER TABLE users ADD COLUMN email_confirmed_at {{ts}}`,
			`UPDATE users SET email_confirmed_at = created_at`,
		},
	}}
}
