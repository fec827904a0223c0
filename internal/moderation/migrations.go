package moderation

import "quietroom/internal/store"

// Migrations creates the moderation tables. Append only.
func Migrations() []store.Migration {
	return []store.Migration{{
		ID: "0005_moderation_restrictions",
		Statements: []string{
			`CREATE TABLE moderation_restrictions (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				group_id TEXT NOT NULL,
				kind TEXT NOT NULL,
				reason TEXT NOT NULL,
				created_by TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				until {{ts}} NOT NULL,
				lifted_at {{ts}})`,
			`CREATE INDEX moderation_restrictions_user ON moderation_restrictions (tenant_id, user_id, until)`,
		},
	}, {
		ID: "0009_moderation_queue",
		Statements: []string{
			// One item per message under review, whatever brought it here
			// (flags, screening, posting policy); version guards every change.
			`CREATE TABLE moderation_items (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				group_id TEXT NOT NULL,
				group_slug TEXT NOT NULL,
				message_id TEXT NOT NULL,
				author_id TEXT NOT NULL,
				author_name TEXT NOT NULL,
				excerpt TEXT NOT NULL,
				held BOOLEAN NOT NULL,
				held_by_policy BOOLEAN NOT NULL,
				crisis BOOLEAN NOT NULL,
				severity INTEGER NOT NULL,
				categories TEXT NOT NULL,
				matches TEXT NOT NULL,
				flag_count INTEGER NOT NULL,
				status TEXT NOT NULL,
				resolution TEXT NOT NULL,
				resolution_note TEXT NOT NULL,
				resolved_by TEXT NOT NULL,
				resolved_at {{ts}},
				claimed_by TEXT NOT NULL,
				claimed_by_name TEXT NOT NULL,
				claim_expires_at {{ts}},
				version INTEGER NOT NULL,
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL)`,
			`CREATE UNIQUE INDEX moderation_items_message ON moderation_items (tenant_id, message_id)`,
			`CREATE INDEX moderation_items_status ON moderation_items (tenant_id, status, group_id)`,
			`CREATE TABLE moderation_flags (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				item_id TEXT NOT NULL,
				message_id TEXT NOT NULL,
				reporter_id TEXT NOT NULL,
				reason TEXT NOT NULL,
				note TEXT NOT NULL,
				outcome TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				resolved_at {{ts}})`,
			`CREATE UNIQUE INDEX moderation_flags_once ON moderation_flags (tenant_id, message_id, reporter_id)`,
			`CREATE INDEX moderation_flags_reporter ON moderation_flags (tenant_id, reporter_id)`,
			// Append only: nothing updates or deletes a row here.
			`CREATE TABLE moderation_audit (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				at {{ts}} NOT NULL,
				actor_id TEXT NOT NULL,
				actor_name TEXT NOT NULL,
				action TEXT NOT NULL,
				item_id TEXT NOT NULL,
				subject_id TEXT NOT NULL,
				why TEXT NOT NULL,
				before TEXT NOT NULL,
				after TEXT NOT NULL)`,
			`CREATE INDEX moderation_audit_at ON moderation_audit (tenant_id, at)`,
		},
	}, {
		ID: "0010_moderation_rules",
		Statements: []string{
			// A tenant's own rules, and its switches on built-in ones
			// (builtin true: only disabled and shadow apply).
			`CREATE TABLE moderation_rules (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				rule_id TEXT NOT NULL,
				builtin BOOLEAN NOT NULL,
				disabled BOOLEAN NOT NULL,
				shadow BOOLEAN NOT NULL,
				category TEXT NOT NULL,
				severity TEXT NOT NULL,
				description TEXT NOT NULL,
				terms TEXT NOT NULL,
				updated_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, rule_id))`,
			`CREATE TABLE moderation_settings (
				tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
				emergency_number TEXT NOT NULL,
				crisis_lines TEXT NOT NULL,
				updated_at {{ts}} NOT NULL)`,
		},
	}, {
		// Escalation to admins, and one appeal per removal, which goes to
		// another moderator than the one who removed.
		ID: "0011_moderation_escalation_appeals",
		Statements: []string{
			`ALTER TABLE moderation_items ADD COLUMN escalated BOOLEAN NOT NULL DEFAULT FALSE`,
			`ALTER TABLE moderation_items ADD COLUMN appeal TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE moderation_items ADD COLUMN appealed_at {{ts}}`,
			`ALTER TABLE moderation_items ADD COLUMN first_resolved_by TEXT NOT NULL DEFAULT ''`,
			// Flags weighted by the reporter's standing, for the queue's order.
			`ALTER TABLE moderation_items ADD COLUMN flag_weight INTEGER NOT NULL DEFAULT 0`,
		},
	}, {
		// Queue hygiene: repeats of one rule by one author in a short
		// window join one pending item (burst_key) and count there,
		// instead of opening an item and an audit row per message.
		ID: "0020_moderation_repeats",
		Statements: []string{
			`ALTER TABLE moderation_items ADD COLUMN burst_key TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE moderation_items ADD COLUMN repeat_count INTEGER NOT NULL DEFAULT 1`,
			`ALTER TABLE moderation_items ADD COLUMN repeat_ids TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE moderation_items ADD COLUMN last_repeat_at {{ts}}`,
			// At most one open burst per key, whoever races to open it.
			`CREATE UNIQUE INDEX moderation_items_burst ON moderation_items (tenant_id, burst_key) WHERE status = 'pending' AND burst_key <> ''`,
		},
	}, {
		// A tenant's own model thresholds per category (uncertain,
		// confident); missing rows use the calibrated defaults.
		ID: "0021_moderation_thresholds",
		Statements: []string{
			`CREATE TABLE moderation_thresholds (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				category TEXT NOT NULL,
				uncertain DOUBLE PRECISION NOT NULL,
				confident DOUBLE PRECISION NOT NULL,
				updated_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, category))`,
		},
	}, {
		// Each item names its conversation by address (group:{slug},
		// mentorship:{id}); conversation.Migrations fills older items.
		ID: "0042_moderation_item_conversations",
		Statements: []string{
			`ALTER TABLE moderation_items ADD COLUMN conversation TEXT NOT NULL DEFAULT ''`,
		},
	}}
}
