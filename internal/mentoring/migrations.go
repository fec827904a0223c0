package mentoring

import "quietroom/internal/store"

// Migrations creates the mentoring tables. Append only.
func Migrations() []store.Migration {
	return []store.Migration{{
		ID: "0012_mentoring",
		Statements: []string{
			`CREATE TABLE mentor_profiles (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				status TEXT NOT NULL,
				display_name TEXT NOT NULL,
				types TEXT NOT NULL,
				treatments TEXT NOT NULL,
				topics TEXT NOT NULL,
				languages TEXT NOT NULL,
				years INTEGER NOT NULL,
				tz_offset_minutes INTEGER NOT NULL,
				availability TEXT NOT NULL,
				capacity INTEGER NOT NULL,
				age_bracket TEXT NOT NULL,
				about TEXT NOT NULL,
				paused BOOLEAN NOT NULL,
				training_completed_at {{ts}},
				youth_approved BOOLEAN NOT NULL,
				vetting_expires_at {{ts}},
				review_reason TEXT NOT NULL,
				reviewed_by TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, user_id))`,
			`CREATE TABLE mentee_requests (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				mentee_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
				status TEXT NOT NULL,
				reason TEXT NOT NULL,
				types TEXT NOT NULL,
				treatments TEXT NOT NULL,
				topics TEXT NOT NULL,
				languages TEXT NOT NULL,
				tz_offset_minutes INTEGER NOT NULL,
				availability TEXT NOT NULL,
				same_type TEXT NOT NULL,
				note TEXT NOT NULL,
				consent BOOLEAN NOT NULL,
				teen BOOLEAN NOT NULL,
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL)`,
			`CREATE INDEX mentee_requests_status ON mentee_requests (tenant_id, status)`,
			`CREATE TABLE mentor_offers (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				request_id TEXT NOT NULL,
				mentor_id TEXT NOT NULL,
				status TEXT NOT NULL,
				score DOUBLE PRECISION NOT NULL,
				reasons TEXT NOT NULL,
				deadline {{ts}} NOT NULL,
				reminded_at {{ts}},
				decline_reason TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				decided_at {{ts}})`,
			`CREATE INDEX mentor_offers_request ON mentor_offers (tenant_id, request_id)`,
			`CREATE INDEX mentor_offers_pending ON mentor_offers (status, deadline)`,
			`CREATE TABLE mentorships (
				id TEXT PRIMARY KEY,
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				request_id TEXT NOT NULL,
				mentor_id TEXT NOT NULL,
				mentee_id TEXT NOT NULL,
				status TEXT NOT NULL,
				teen BOOLEAN NOT NULL,
				started_at {{ts}} NOT NULL,
				ended_at {{ts}},
				ended_by TEXT NOT NULL,
				end_reason TEXT NOT NULL)`,
			`CREATE INDEX mentorships_people ON mentorships (tenant_id, mentor_id, mentee_id)`,
			`CREATE TABLE mentorship_feedback (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				mentorship_id TEXT NOT NULL,
				author_id TEXT NOT NULL,
				rating INTEGER NOT NULL,
				text TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, mentorship_id, author_id))`,
			`CREATE TABLE mentoring_blocks (
				tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
				user_id TEXT NOT NULL,
				blocked_id TEXT NOT NULL,
				created_at {{ts}} NOT NULL,
				PRIMARY KEY (tenant_id, user_id, blocked_id))`,
		},
	}, {
		// A tenant's tuning: matcher weights (JSON of match.Weights) and
		// how long mentors have to answer an offer.
		ID: "0013_mentoring_settings",
		Statements: []string{
			`CREATE TABLE mentoring_settings (
				tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
				weights TEXT NOT NULL,
				offer_hours INTEGER NOT NULL,
				updated_at {{ts}} NOT NULL)`,
		},
	}, {
		// A tenant's batch window: new requests wait until the window they
		// arrived in closes and are matched together. NULL: the default.
		ID:         "0032_mentoring_batch_window",
		Statements: []string{`ALTER TABLE mentoring_settings ADD COLUMN batch_window_minutes INTEGER`},
	}}
}
