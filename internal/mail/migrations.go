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
	}, {
		ID: "0063_mail_notifications",
		Statements: []string{
			// Notifications wait here until they go out alone or in a
			// digest; see internal/mail/notifications.go.
			`CREATE TABLE mail_notifications (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				kind TEXT NOT NULL,
				title TEXT NOT NULL,
				body TEXT NOT NULL,
				path TEXT NOT NULL,
				batch TEXT NOT NULL DEFAULT '',
				created_at {{ts}} NOT NULL)`,
			`CREATE INDEX mail_notifications_waiting ON mail_notifications (batch, tenant_id, user_id, created_at)`,
		},
	}}
}
