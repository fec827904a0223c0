package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// Editing and deleting your own messages (docs/api.md, "Messages"; the
// durable events edited and deleted in docs/protocol.md). An edit is
// allowed within the community's edit window and is screened like a new
// message; a deletion is allowed any time. Earlier versions are kept for
// moderators.

// StatusDeleted is a message its author deleted: a tombstone, like a removal.
const StatusDeleted = "deleted"

// TypeDeleted is the durable event of a deletion by the author.
const TypeDeleted = "deleted"

// messageEdit is one earlier version of a message.
type messageEdit struct {
	ID        string
	TenantID  string
	MessageID string
	Body      string // the text before the edit
	EditedAt  time.Time
}

func (messageEdit) TableName() string { return "message_edits" }

// editsMigration keeps earlier versions of edited messages.
var editsMigration = store.Migration{
	ID: "0051_realtime_message_edits",
	Statements: []string{
		`CREATE TABLE message_edits (
			id TEXT PRIMARY KEY,
			tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
			message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
			body TEXT NOT NULL,
			edited_at {{ts}} NOT NULL)`,
		`CREATE INDEX message_edits_message ON message_edits (tenant_id, message_id, edited_at)`,
	},
}

// EditMessage replaces the text of a visible message by its author and
// stores the edited event; the earlier text goes to message_edits.
func (s *Store) EditMessage(ctx context.Context, tenantID, convID string, at conversation.Address, authorID, messageID, text string, window time.Duration) (Committed, error) {
	now := s.now()
	var before string
	c, err := s.changeMessage(ctx, tenantID, convID, messageID, func(m *Message, seq int64) (map[string]any, Event, error) {
		if err := ownVisible(m, authorID, "edit"); err != nil {
			return nil, Event{}, err
		}
		if window <= 0 {
			return nil, Event{}, apperr.Forbidden("editing messages is switched off in this community")
		}
		if now.Sub(m.CreatedAt) > window {
			return nil, Event{}, apperr.Conflict("the time to edit this message has passed (%s): you can still delete it", windowWords(window))
		}
		before = m.Body
		m.Body, m.EditedAt = text, &now
		return map[string]any{"body": text, "edited_at": now},
			Event{Type: TypeEdited, Group: at.GroupField(), Conversation: at.String(), Seq: seq, ID: m.ID, MessageSeq: m.Seq, Text: text, EditedAt: &now}, nil
	}, func(tx *gorm.DB) error {
		return tx.Create(&messageEdit{ID: store.NewID(), TenantID: tenantID, MessageID: messageID, Body: before, EditedAt: now}).Error
	})
	if err != nil {
		return Committed{}, fmt.Errorf("edit message %s: %w", messageID, err)
	}
	return c, nil
}

// DeleteMessage tombstones a message at its author's wish.
func (s *Store) DeleteMessage(ctx context.Context, tenantID, convID string, at conversation.Address, authorID, messageID string) (Committed, error) {
	now := s.now()
	c, err := s.changeMessage(ctx, tenantID, convID, messageID, func(m *Message, seq int64) (map[string]any, Event, error) {
		if err := ownVisible(m, authorID, "delete"); err != nil {
			return nil, Event{}, err
		}
		m.Status, m.Body, m.RemovedAt = StatusDeleted, "", &now
		return map[string]any{"status": StatusDeleted, "body": "", "removed_at": now},
			Event{Type: TypeDeleted, Group: at.GroupField(), Conversation: at.String(), Seq: seq, ID: m.ID, MessageSeq: m.Seq}, nil
	}, func(tx *gorm.DB) error {
		return forgetText(tx, tenantID, convID, messageID)
	})
	if err != nil {
		return Committed{}, fmt.Errorf("delete message %s: %w", messageID, err)
	}
	return c, nil
}

// forgetText drops every stored copy of a message's words: its earlier
// versions, and the text in its message and edited events, so a replay
// from before the deletion shows no more than history does.
func forgetText(tx *gorm.DB, tenantID, convID, messageID string) error {
	if err := tx.Where("tenant_id = ? AND message_id = ?", tenantID, messageID).Delete(&messageEdit{}).Error; err != nil {
		return fmt.Errorf("drop earlier versions of %s: %w", messageID, err)
	}
	var evs []conversationEvent
	if err := tx.Where("tenant_id = ? AND conversation_id = ? AND payload LIKE ?", tenantID, convID, `%"id":"`+messageID+`"%`).
		Find(&evs).Error; err != nil {
		return fmt.Errorf("events of %s: %w", messageID, err)
	}
	for _, ce := range evs {
		var e Event
		if err := json.Unmarshal([]byte(ce.Payload), &e); err != nil {
			return fmt.Errorf("decode event %d: %w", ce.Seq, err)
		}
		if e.ID != messageID || e.Text == "" || (e.Type != TypeMessage && e.Type != TypeEdited && e.Type != TypeRestored) {
			continue
		}
		e.Text = ""
		payload, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := tx.Model(&conversationEvent{}).Where("tenant_id = ? AND conversation_id = ? AND seq = ?", tenantID, convID, ce.Seq).
			Update("payload", string(payload)).Error; err != nil {
			return fmt.Errorf("rewrite event %d: %w", ce.Seq, err)
		}
	}
	return nil
}

// ownVisible refuses changes to someone else's message, or to one that is
// removed or deleted (a removed message is never edited back in).
func ownVisible(m *Message, authorID, what string) error {
	switch {
	case m.AuthorID == nil || *m.AuthorID != authorID:
		return apperr.Forbidden("you can only %s your own messages", what)
	case m.Status == StatusRemoved:
		return apperr.Conflict("a moderator removed this message: it cannot be changed")
	case m.Status == StatusDeleted:
		return apperr.Conflict("this message was deleted")
	}
	return nil
}

func windowWords(d time.Duration) string {
	if d%time.Hour == 0 {
		if h := int(d / time.Hour); h != 1 {
			return fmt.Sprintf("%d hours", h)
		}
		return "1 hour"
	}
	if m := int(d / time.Minute); m != 1 {
		return fmt.Sprintf("%d minutes", m)
	}
	return "1 minute"
}

// Edit is one earlier version of a message, for moderators.
type Edit struct {
	Text     string    `json:"text"`
	EditedAt time.Time `json:"edited_at"`
}

// edits lists a message's earlier versions, oldest first.
func (s *Store) edits(ctx context.Context, tenantID, messageID string) ([]Edit, error) {
	var rows []messageEdit
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND message_id = ?", tenantID, messageID).Order("edited_at").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("edits of %s: %w", messageID, err)
	}
	out := make([]Edit, len(rows))
	for i, r := range rows {
		out[i] = Edit{Text: r.Body, EditedAt: r.EditedAt}
	}
	return out, nil
}

// EditWindow is how long after sending a member may edit a message, by
// the community's setting (0: editing is off).
func EditWindow(t accounts.Tenant) time.Duration {
	return time.Duration(t.EditWindowMinutes) * time.Minute
}

// Edit changes p's own message in a group. The new text is screened like a
// new message: text that would be held is refused (the message keeps its
// words), and text that asks for a moderator's look is queued.
func (s *Service) Edit(ctx context.Context, p *accounts.Principal, at conversation.Address, messageID, text string) (HistoryMessage, error) {
	if fe := s.CheckText(text); fe != nil {
		return HistoryMessage{}, apperr.InvalidField("text", fe.Message)
	}
	r, err := s.rights(ctx, p, at)
	if err != nil {
		return HistoryMessage{}, err
	}
	access := r.access
	if !access.CanPost {
		return HistoryMessage{}, apperr.Forbidden("%s", access.Reason)
	}
	if s.now().Before(r.blockedUntil) {
		return HistoryMessage{}, apperr.Forbidden("%s", r.blockedWhy)
	}
	conv := access.Conversation
	review, err := s.decide(ctx, p, conv, text)
	if err != nil {
		return HistoryMessage{}, err
	}
	if review.Verdict.Hold {
		return HistoryMessage{}, apperr.InvalidField("text",
			"this edit would need a moderator's review before others could read it, so it was not made: your message is unchanged")
	}
	c, err := s.store.EditMessage(ctx, p.Tenant.ID, conv.ID, conv.Address(), p.User.ID, messageID, text, EditWindow(p.Tenant))
	if err != nil {
		return HistoryMessage{}, err
	}
	s.publish(ctx, p.Tenant.ID, conv.ID, StoredEvent{Seq: c.Seq, Payload: c.Payload})
	if s.screen != nil && (review.Verdict.Queue || review.Verdict.Crisis) {
		review.MessageID, review.Text = c.Message.ID, text
		s.review(ctx, p, conv, review)
	}
	return historyMessage(c.Message), nil
}

// Delete tombstones p's own message in a group, at any time.
func (s *Service) Delete(ctx context.Context, p *accounts.Principal, at conversation.Address, messageID string) error {
	access, err := s.dir.Resolve(ctx, p, at)
	if err != nil {
		return err
	}
	if !access.CanRead {
		return apperr.NotFound("there is no such message")
	}
	conv := access.Conversation
	c, err := s.store.DeleteMessage(ctx, p.Tenant.ID, conv.ID, conv.Address(), p.User.ID, messageID)
	if err != nil {
		return err
	}
	s.publish(ctx, p.Tenant.ID, conv.ID, StoredEvent{Seq: c.Seq, Payload: c.Payload})
	return nil
}

// Edits lists a message's earlier versions for someone who moderates the
// group (the author sees only the current text, like everyone else).
func (s *Service) Edits(ctx context.Context, p *accounts.Principal, at conversation.Address, messageID string) ([]Edit, error) {
	access, err := s.dir.Resolve(ctx, p, at)
	if err != nil {
		return nil, err
	}
	if !access.Moderating {
		return nil, apperr.Forbidden("only the group's moderators see earlier versions of a message")
	}
	var m Message
	err = s.store.db.WithContext(ctx).Where("tenant_id = ? AND conversation_id = ? AND id = ?", p.Tenant.ID, access.Conversation.ID, messageID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("there is no such message")
	}
	if err != nil {
		return nil, fmt.Errorf("message %s: %w", messageID, err)
	}
	return s.store.edits(ctx, p.Tenant.ID, messageID)
}

func historyMessage(m Message) HistoryMessage {
	hm := HistoryMessage{ID: m.ID, Seq: m.Seq, Author: Author{Name: m.AuthorName, Role: m.AuthorRole}, Text: m.Body, At: m.CreatedAt,
		EditedAt: m.EditedAt, Removed: m.Status == StatusRemoved || m.Status == StatusDeleted, RemovedAt: m.RemovedAt,
		Deleted: m.Status == StatusDeleted}
	if m.AuthorID != nil {
		hm.Author.ID = *m.AuthorID
	}
	return hm
}

type editRequest struct {
	Text string `json:"text"`
}

// EditMessage serves PATCH /groups/:group/messages/:message and
// /conversations/:conversation/messages/:message.
func (h *Handler) EditMessage(c *gin.Context) {
	var req editRequest
	if !httpx.Decode(c, &req) {
		return
	}
	at, ok := addressParam(c)
	if !ok {
		return
	}
	m, err := h.svc.Edit(c.Request.Context(), accounts.PrincipalFrom(c.Request.Context()), at, c.Param("message"), req.Text)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

// DeleteMessage serves DELETE /groups/:group/messages/:message and
// /conversations/:conversation/messages/:message.
func (h *Handler) DeleteMessage(c *gin.Context) {
	at, ok := addressParam(c)
	if !ok {
		return
	}
	if err := h.svc.Delete(c.Request.Context(), accounts.PrincipalFrom(c.Request.Context()), at, c.Param("message")); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// MessageEdits serves GET /groups/:group/messages/:message/edits and
// /conversations/:conversation/messages/:message/edits.
func (h *Handler) MessageEdits(c *gin.Context) {
	at, ok := addressParam(c)
	if !ok {
		return
	}
	es, err := h.svc.Edits(c.Request.Context(), accounts.PrincipalFrom(c.Request.Context()), at, c.Param("message"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"edits": es})
}
