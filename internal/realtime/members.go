package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
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
// rewritten too, so replays and history agree.
func (s *Store) DeleteUser(ctx context.Context, tx *gorm.DB, t accounts.Tenant, userID string) error {
	tx = tx.WithContext(ctx)
	// Messages nobody has seen yet go with the account, whatever the policy.
	if err := tx.Where("tenant_id = ? AND author_id = ?", t.ID, userID).Delete(&HeldMessage{}).Error; err != nil {
		return fmt.Errorf("delete held messages of a deleted member: %w", err)
	}
	var ms []Message
	if err := tx.Where("tenant_id = ? AND author_id = ?", t.ID, userID).Find(&ms).Error; err != nil {
		return fmt.Errorf("find messages of a deleted member: %w", err)
	}
	remove := t.DeletionPolicy == accounts.DeleteRemove
	now := s.now()
	for _, m := range ms {
		updates := map[string]any{"author_id": nil, "author_name": FormerMember}
		if remove && m.Status != StatusRemoved {
			updates["status"], updates["body"], updates["removed_at"] = StatusRemoved, "", now
		}
		if err := tx.Model(&Message{}).Where("tenant_id = ? AND id = ?", t.ID, m.ID).Updates(updates).Error; err != nil {
			return fmt.Errorf("apply deletion policy to message %s: %w", m.ID, err)
		}
		var ev conversationEvent
		err := tx.Where("tenant_id = ? AND conversation_id = ? AND seq = ?", t.ID, m.ConversationID, m.Seq).Take(&ev).Error
		if err != nil {
			return fmt.Errorf("find event of message %s: %w", m.ID, err)
		}
		var e Event
		if err := json.Unmarshal([]byte(ev.Payload), &e); err != nil {
			return fmt.Errorf("decode event of message %s: %w", m.ID, err)
		}
		e.Author = &Author{Name: FormerMember}
		if remove {
			e = Event{Type: TypeRemoved, Group: e.Group, Conversation: e.Conversation, Seq: e.Seq, ID: m.ID, MessageSeq: m.Seq, Reason: "the author deleted their account"}
		}
		payload, _ := json.Marshal(e)
		if err := tx.Model(&conversationEvent{}).Where("tenant_id = ? AND conversation_id = ? AND seq = ?", t.ID, m.ConversationID, m.Seq).
			Update("payload", string(payload)).Error; err != nil {
			return fmt.Errorf("rewrite event of message %s: %w", m.ID, err)
		}
		if remove {
			// Edits of a removed member's message go too.
			if err := forgetText(tx, t.ID, m.ConversationID, m.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
