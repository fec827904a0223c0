package accounts

import "quietroom/internal/store"

// MailMigrations are the accounts tables of issue 17 (ids 0060-0069):
// one-time tokens sent by mail and the log that rate-limits asking for
// them. cmd/hub appends them after the mail outbox.
func MailMigrations() []store.Migration {
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
	}}
}
