package realtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// HeldMessage is a message waiting for a moderator: by the group's posting
// policy or because screening asked. It has no sequence number until it is
// released, so the conversation's stream stays gap-free; released, it
// becomes a message with the same id at the end of the conversation.
type HeldMessage struct {
	ID             string
	TenantID       string
	ConversationID string
	GroupSlug      string
	AuthorID       string
	AuthorName     string
	AuthorRole     string
	ClientID       string
	Body           string
	CreatedAt      time.Time
}

// holdMessage stores a held message. A repeated client id returns the one
// already held (or already released).
func (s *Store) holdMessage(ctx context.Context, in NewMessage) (HeldMessage, bool, error) {
	h := HeldMessage{ID: store.NewID(), TenantID: in.TenantID, ConversationID: in.ConversationID, GroupSlug: in.Address.GroupField(),
		AuthorID: in.AuthorID, AuthorName: in.AuthorName, AuthorRole: in.AuthorRole, ClientID: in.ClientID, Body: in.Text, CreatedAt: s.now()}
	err := s.db.WithContext(ctx).Create(&h).Error
	if !isUniqueViolation(err) {
		if err != nil {
			return HeldMessage{}, false, fmt.Errorf("hold message: %w", err)
		}
		return h, false, nil
	}
	var prev HeldMessage
	err = s.db.WithContext(ctx).Where("tenant_id = ? AND conversation_id = ? AND author_id = ? AND client_id = ?",
		in.TenantID, in.ConversationID, in.AuthorID, in.ClientID).Take(&prev).Error
	if err != nil {
		return HeldMessage{}, false, fmt.Errorf("find held message by client id: %w", err)
	}
	return prev, true, nil
}

// Held returns a held message by id.
func (s *Store) Held(ctx context.Context, tenantID, id string) (HeldMessage, error) {
	var h HeldMessage
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&h).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return HeldMessage{}, apperr.NotFound("no such held message")
	}
	if err != nil {
		return HeldMessage{}, fmt.Errorf("held message %s: %w", id, err)
	}
	return h, nil
}

// releaseHeld appends a held message to its conversation under the next
// sequence number and forgets the hold, in one transaction.
func (s *Store) releaseHeld(ctx context.Context, tenantID string, conv conversation.Conversation, id string) (Committed, error) {
	var out Committed
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var h HeldMessage
		err := tx.Where("tenant_id = ? AND id = ?", tenantID, id).Take(&h).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.NotFound("no such held message")
		}
		if err != nil {
			return err
		}
		if h.ConversationID != conv.ID {
			return apperr.NotFound("no such held message in this conversation")
		}
		if err := ensureConversation(tx, tenantID, h.ConversationID, conv.Kind, s.now()); err != nil {
			return err
		}
		seq, err := nextSeq(tx, tenantID, h.ConversationID)
		if err != nil {
			return err
		}
		author := h.AuthorID
		// Sent when it was written, shown when it was approved: the
		// sequence decides the order, the time says when it was said.
		m := Message{ID: h.ID, TenantID: tenantID, ConversationID: h.ConversationID, Seq: seq, AuthorID: &author,
			AuthorName: h.AuthorName, AuthorRole: h.AuthorRole, ClientID: h.ClientID, Body: h.Body, Status: StatusVisible, CreatedAt: h.CreatedAt}
		if err := tx.Create(&m).Error; err != nil {
			return fmt.Errorf("insert released message: %w", err)
		}
		payload, err := insertEvent(tx, tenantID, h.ConversationID, seq, messageEvent(conv.Address(), m), s.now())
		if err != nil {
			return err
		}
		if err := tx.Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&HeldMessage{}).Error; err != nil {
			return fmt.Errorf("forget hold: %w", err)
		}
		out = Committed{Message: m, Seq: seq, Payload: payload}
		return nil
	})
	if err != nil {
		return Committed{}, fmt.Errorf("release held message %s: %w", id, err)
	}
	return out, nil
}

// rejectHeld drops a held message that a moderator refused.
func (s *Store) rejectHeld(ctx context.Context, tenantID, id string) error {
	res := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&HeldMessage{})
	if res.Error != nil {
		return fmt.Errorf("reject held message %s: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.NotFound("no such held message")
	}
	return nil
}

// postsBy counts the author's messages that reached the conversation,
// for the "hold a new member's first posts" policy.
func (s *Store) postsBy(ctx context.Context, tenantID, convID, authorID string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Message{}).
		Where("tenant_id = ? AND conversation_id = ? AND author_id = ?", tenantID, convID, authorID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count posts: %w", err)
	}
	return n, nil
}

// heldBy lists the author's own messages still waiting for a moderator in a
// conversation, oldest first: the author sees them after a reload and on
// another device; nobody else does.
func (s *Store) heldBy(ctx context.Context, tenantID, convID, authorID string) ([]HeldMessage, error) {
	var hs []HeldMessage
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND conversation_id = ? AND author_id = ?", tenantID, convID, authorID).
		Order("created_at, id").Limit(200).Find(&hs).Error
	if err != nil {
		return nil, fmt.Errorf("list held messages: %w", err)
	}
	return hs, nil
}

// PendingPost is one of the member's own held messages as the API shows it.
type PendingPost struct {
	ID           string    `json:"id"`
	Conversation string    `json:"conversation"`
	ClientID     string    `json:"client_id"`
	Text         string    `json:"text"`
	CreatedAt    time.Time `json:"created_at"`
	Status       string    `json:"status"`
}

// PendingPage answers GET /conversations/:conversation/held.
type PendingPage struct {
	Held []PendingPost `json:"held"`
}

// MyHeld returns the caller's own held messages in a conversation they may
// read. Other members' held messages are never listed.
func (s *Service) MyHeld(ctx context.Context, p *accounts.Principal, at conversation.Address) (PendingPage, error) {
	access, err := s.dir.Resolve(ctx, p, at)
	if err != nil {
		return PendingPage{}, err
	}
	if !access.CanRead {
		return PendingPage{}, apperr.Forbidden("%s", access.Reason)
	}
	hs, err := s.store.heldBy(ctx, p.Tenant.ID, access.Conversation.ID, p.User.ID)
	if err != nil {
		return PendingPage{}, err
	}
	page := PendingPage{Held: make([]PendingPost, len(hs))}
	for i, h := range hs {
		page.Held[i] = PendingPost{ID: h.ID, Conversation: at.String(), ClientID: h.ClientID, Text: h.Body,
			CreatedAt: h.CreatedAt.UTC(), Status: "waiting_for_moderator"}
	}
	return page, nil
}
