package conversation

import "quietroom/internal/store"

// Migrations bring conversations stored before addresses existed into the
// scheme: every stored conversation gets its true kind, from the table of
// the domain that owns it (never from how it is spelled), and every stored
// event and moderation item its address beside the older "group". They
// read the groups, mentorships, realtime and moderation tables, so they run
// after all of those (cmd/hub appends them last).
func Migrations() []store.Migration {
	return []store.Migration{{
		ID: "0040_conversation_kinds",
		Statements: []string{
			`UPDATE conversations SET kind = 'mentorship'
			WHERE EXISTS (SELECT 1 FROM mentorships m WHERE m.tenant_id = conversations.tenant_id AND m.id = conversations.id)`,
			`UPDATE conversations SET kind = 'group'
			WHERE EXISTS (SELECT 1 FROM groups g WHERE g.tenant_id = conversations.tenant_id AND g.id = conversations.id)`,
		},
	}, {
		// Stored payloads are JSON objects; the address goes first. Slugs
		// and ids need no JSON escaping (lowercase letters, digits,
		// hyphens). A payload that already has one is left alone.
		ID: "0041_conversation_event_addresses",
		Statements: []string{
			`UPDATE conversation_events SET payload = '{"conversation":"group:' ||
				(SELECT g.slug FROM groups g WHERE g.tenant_id = conversation_events.tenant_id AND g.id = conversation_events.conversation_id) ||
				'",' || substr(payload, 2)
			WHERE payload LIKE '{"%' AND payload NOT LIKE '%"conversation":%'
			AND EXISTS (SELECT 1 FROM groups g WHERE g.tenant_id = conversation_events.tenant_id AND g.id = conversation_events.conversation_id)`,
			`UPDATE conversation_events SET payload = '{"conversation":"mentorship:' || conversation_id || '",' || substr(payload, 2)
			WHERE payload LIKE '{"%' AND payload NOT LIKE '%"conversation":%'
			AND EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = conversation_events.tenant_id
				AND c.id = conversation_events.conversation_id AND c.kind = 'mentorship')`,
		},
	}, {
		// Moderation items name their conversation by address, its kind
		// from the owning domain's table.
		ID: "0043_moderation_item_addresses",
		Statements: []string{
			`UPDATE moderation_items SET conversation = 'group:' ||
				(SELECT g.slug FROM groups g WHERE g.tenant_id = moderation_items.tenant_id AND g.id = moderation_items.group_id)
			WHERE conversation = '' AND EXISTS (SELECT 1 FROM groups g WHERE g.tenant_id = moderation_items.tenant_id AND g.id = moderation_items.group_id)`,
			`UPDATE moderation_items SET conversation = 'mentorship:' || group_id
			WHERE conversation = '' AND EXISTS (SELECT 1 FROM mentorships m WHERE m.tenant_id = moderation_items.tenant_id AND m.id = moderation_items.group_id)`,
		},
	}}
}
