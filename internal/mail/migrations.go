package mail

import "quietroom/internal/store"

// Migrations creates the outbox. Append only; issue 17 owns ids 0060-0069.
func Migrations() []store.Migration {
	return []store.Migration{{
		ID: "0060_mail_outbox",
		Statements: []string{
			`CREATE TABLE mail_outbox (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL DEFAULT '',
				kind TEXT NOT NULL,
				to_addr TEXT NOT NULL,
				subject TEXT NOT NULL,
				body_text TEXT NOT NULL,
				body_html TEXT NOT NULL,
				headers TEXT NOT NULL DEFAULT '{}',
				status TEXT NOT NULL,
				attempts INTEGER NOT NULL DEFAULT 0,
				last_error TEXT NOT NULL DEFAULT '',
				next_attempt_at {{ts}} NOT NULL,
				claim TEXT NOT NULL DEFAULT '',
				lease_until {{ts}},
				created_at {{ts}} NOT NULL,
				sent_at {{ts}})`,
			`CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at)`,
			`CREATE INDEX mail_outbox_user ON mail_outbox (tenant_id, user_id)`,
			`CREATE INDEX mail_outbox_created ON mail_outbox (created_at)`,
		},
	}}
}
