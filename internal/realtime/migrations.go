package realtime

import "quietroom/internal/store"

// Migrations creates the conversation tables. A conversation's events (new
// messages, edits, removals) share one gap-free sequence; messages hold the
// current state of each message for history pages.
func Migrations() []store.Migration {
	return append(migrations(), editsMigration, authorRoleMigration)
}

// authorRoleMigration keeps each message's author's staff role as it was
// when they sent it (Author.Role). Older messages have none.
var authorRoleMigration = store.Migration{
	ID: "0034_realtime_message_author_role",
	Statements: []string{
		`ALTER TABLE messages ADD COLUMN author_role TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE held_messages ADD COLUMN author_role TEXT NOT NULL DEFAULT ''`,
	},
}

func migrations() []store.Migration {
	return []store.Migration{{
		ID: "0004_realtime",
		Statements: []string{
			`CREATE TABLE conversations (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				id TEXT NOT NULL,
				kind TEXT NOT NULL,
				last_seq BIGINT NOT NULL DEFAULT 0,
				created_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, id))`,
			`CREATE TABLE conversation_events (
				tenant_id TEXT NOT NULL,
				conversation_id TEXT NOT NULL,
				seq BIGINT NOT NULL,
				payload TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, conversation_id, seq),
				FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id) ON DELETE CASCADE)`,
			`CREATE TABLE messages (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL,
				conversation_id TEXT NOT NULL,
				seq BIGINT NOT NULL,
				author_id TEXT,
				author_name TEXT NOT NULL,
				client_id TEXT NOT NULL,
				body TEXT NOT NULL,
				status TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				edited_at {{ts}},
				removed_at {{ts}},
				FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id) ON DELETE CASCADE)`,
			`CREATE UNIQUE INDEX messages_seq ON messages (tenant_id, conversation_id, seq)`,
			`CREATE UNIQUE INDEX messages_client ON messages (tenant_id, conversation_id, author_id, client_id)`,
			`CREATE INDEX messages_author ON messages (tenant_id, author_id)`,
		},
	}, {
		// Messages waiting for a moderator (posting policy or screening).
		// They take no sequence number until released.
		ID: "0008_realtime_held_messages",
		Statements: []string{
			`CREATE TABLE held_messages (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				conversation_id TEXT NOT NULL,
				group_slug TEXT NOT NULL,
				author_id TEXT NOT NULL,
				author_name TEXT NOT NULL,
				client_id TEXT NOT NULL,
				body TEXT NOT NULL,
				created_at {{ts}} NOT NULL)`,
			`CREATE UNIQUE INDEX held_messages_client ON held_messages (tenant_id, conversation_id, author_id, client_id)`,
		},
	}}
}
