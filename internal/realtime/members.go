package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/store"
)

// FormerMember is how a deleted account's messages are attributed.
const FormerMember = "former member"

// ExportUser is the messages section of a member's data export.
func (s *Store) ExportUser(ctx context.Context, tenantID, userID string) (string, any, error) {
	type row struct {
		ID string `json:"id"`
		// Conversation is the address (group:{slug}, mentorship:{id});
		// Group its older spelling.
		Conversation string    `json:"conversation"`
		Group        string    `json:"group"`
		Seq          int64     `json:"seq"`
		Text         string    `json:"text"`
		Status       string    `json:"status"`
		CreatedAt    time.Time `json:"created_at"`
	}
	var rows []row
	err := s.db.WithContext(ctx).Raw(`
		SELECT m.id, CASE WHEN g.id IS NULL THEN 'mentorship:' || m.conversation_id ELSE 'group:' || g.slug END AS conversation,
			COALESCE(g.slug, m.conversation_id) AS "group", m.seq, m.body AS text, m.status, m.created_at AS created_at
		FROM messages m LEFT JOIN groups g ON g.tenant_id = m.tenant_id AND g.id = m.conversation_id
		WHERE m.tenant_id = ? AND m.author_id = ?
		UNION ALL
		SELECT h.id, CASE WHEN g.id IS NULL THEN 'mentorship:' || h.conversation_id ELSE 'group:' || g.slug END AS conversation,
			h.group_slug AS "group", 0 AS seq, h.body AS text, 'held' AS status, h.created_at AS created_at
		FROM held_messages h LEFT JOIN groups g ON g.tenant_id = h.tenant_id AND g.id = h.conversation_id
		WHERE h.tenant_id = ? AND h.author_id = ?
		ORDER BY created_at`, tenantID, userID, tenantID, userID).Scan(&rows).Error
	return "messages", rows, err
}

// DeleteUser applies the tenant's deletion policy to the member's
// messages inside the account-deletion transaction: "anonymise" keeps them
// as a former member's, "remove" tombstones them. The stored events are
// rewritten too, so replays and history agree. It is set-based: a handful
// of statements whatever the number of messages (on single-connection
// SQLite a statement per message would hold the only writer meanwhile).
func (s *Store) DeleteUser(ctx context.Context, tx *store.Tx, t accounts.Tenant, userID string) error {
	// Messages nobody has seen yet go with the account, whatever the policy.
	if _, err := tx.Exec(ctx, `DELETE FROM held_messages WHERE tenant_id = ? AND author_id = ?`, t.ID, userID); err != nil {
		return fmt.Errorf("delete held messages of a deleted member: %w", err)
	}
	remove := t.DeletionPolicy == accounts.DeleteRemove
	// The events to rewrite: each message's own event and, when the words
	// go, every later event that carries words of it (edits, restores).
	var evs []struct {
		MessageID      string
		MessageSeq     int64
		ConversationID string
		Seq            int64
		Payload        string
	}
	query := `SELECT m.id AS message_id, m.seq AS message_seq, e.conversation_id, e.seq, e.payload
		FROM messages m JOIN conversation_events e
			ON e.tenant_id = m.tenant_id AND e.conversation_id = m.conversation_id AND e.seq = m.seq
		WHERE m.tenant_id = ? AND m.author_id = ?`
	args := []any{t.ID, userID}
	if remove {
		args = append(args, t.ID, userID)
		query += `
		UNION ALL
		SELECT m.id, m.seq, e.conversation_id, e.seq, e.payload
		FROM messages m JOIN conversation_events e
			ON e.tenant_id = m.tenant_id AND e.conversation_id = m.conversation_id AND e.seq > m.seq
			AND e.payload LIKE '%"id":"' || m.id || '"%'
		WHERE m.tenant_id = ? AND m.author_id = ?`
	}
	if err := tx.Scan(ctx, &evs, query, args...); err != nil {
		return fmt.Errorf("find events of a deleted member's messages: %w", err)
	}
	if len(evs) == 0 {
		return nil
	}
	if remove {
		// Earlier versions of their messages go too.
		if _, err := tx.Exec(ctx, `DELETE FROM message_edits WHERE tenant_id = ? AND message_id IN
			(SELECT id FROM messages WHERE tenant_id = ? AND author_id = ?)`, t.ID, t.ID, userID); err != nil {
			return fmt.Errorf("delete earlier versions of a deleted member's messages: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE messages SET author_id = NULL, author_name = ?, author_role = '',
			removed_at = CASE WHEN status = ? THEN removed_at ELSE ? END, body = '', status = ?
			WHERE tenant_id = ? AND author_id = ?`, FormerMember, StatusRemoved, s.now(), StatusRemoved, t.ID, userID); err != nil {
			return fmt.Errorf("remove a deleted member's messages: %w", err)
		}
	} else if _, err := tx.Exec(ctx, `UPDATE messages SET author_id = NULL, author_name = ?, author_role = '' WHERE tenant_id = ? AND author_id = ?`,
		FormerMember, t.ID, userID); err != nil {
		return fmt.Errorf("anonymise a deleted member's messages: %w", err)
	}
	rewritten := make([]eventPayload, 0, len(evs))
	for _, ev := range evs {
		var e Event
		if err := json.Unmarshal([]byte(ev.Payload), &e); err != nil {
			return fmt.Errorf("decode event %d of message %s: %w", ev.Seq, ev.MessageID, err)
		}
		switch {
		case ev.Seq == ev.MessageSeq && remove:
			e = Event{Type: TypeRemoved, Group: e.Group, Conversation: e.Conversation, Seq: e.Seq, ID: ev.MessageID, MessageSeq: ev.MessageSeq,
				Reason: "the author deleted their account"}
		case ev.Seq == ev.MessageSeq:
			e.Author = &Author{Name: FormerMember}
		case e.ID == ev.MessageID && e.Text != "" && (e.Type == TypeMessage || e.Type == TypeEdited || e.Type == TypeRestored):
			e.Text = "" // a later event that carried their words
		default:
			continue // another message's event that only mentions the id
		}
		payload, err := json.Marshal(e)
		if err != nil {
			return err
		}
		rewritten = append(rewritten, eventPayload{ev.ConversationID, ev.Seq, string(payload)})
	}
	return rewriteEvents(ctx, tx, t.ID, rewritten)
}

// eventPayload is a stored event's new text.
type eventPayload struct {
	conversationID string
	seq            int64
	payload        string
}

// rewriteEventsChunk bounds one statement's parameters (three per event):
// well under PostgreSQL's 65,535 and SQLite's 32,766.
const rewriteEventsChunk = 1000

// rewriteEvents replaces the payloads of many events, a chunk of them per
// statement.
func rewriteEvents(ctx context.Context, tx *store.Tx, tenantID string, evs []eventPayload) error {
	for len(evs) > 0 {
		chunk := evs[:min(len(evs), rewriteEventsChunk)]
		evs = evs[len(chunk):]
		var set, where strings.Builder
		args := make([]any, 0, 5*len(chunk)+1)
		for i, e := range chunk {
			set.WriteString(" WHEN conversation_id = ? AND seq = ? THEN ?")
			args = append(args, e.conversationID, e.seq, e.payload)
			if i > 0 {
				where.WriteString(" OR ")
			}
			where.WriteString("(conversation_id = ? AND seq = ?)")
		}
		args = append(args, tenantID)
		for _, e := range chunk {
			args = append(args, e.conversationID, e.seq)
		}
		if _, err := tx.Exec(ctx, `UPDATE conversation_events SET payload = CASE`+set.String()+` ELSE payload END
			WHERE tenant_id = ? AND (`+where.String()+`)`, args...); err != nil {
			return fmt.Errorf("rewrite %d events: %w", len(chunk), err)
		}
	}
	return nil
}
