package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// Publisher stores changes to conversations and publishes them to every
// instance: what moderators do to messages (remove, restore, release or
// reject a held one, post a correction) and the reads that need. It needs
// nothing from moderation, so moderation is built on it before the Service
// that screens sends through moderation.
type Publisher struct {
	store  *Store
	hub    *Hub
	broker Broker
	log    *slog.Logger
	// maxTextRunes bounds a correction like a member's message.
	maxTextRunes int
}

func NewPublisher(st *Store, hub *Hub, broker Broker, cfg ServiceConfig, log *slog.Logger) *Publisher {
	return &Publisher{store: st, hub: hub, broker: broker, log: log, maxTextRunes: cfg.MaxTextRunes}
}

// Hub returns the instance's hub (for shutdown and metrics).
func (s *Publisher) Hub() *Hub { return s.hub }

// ReleaseHeld approves a held message: it joins the conversation now, at
// the end, on every instance. Moderation calls it.
func (s *Publisher) ReleaseHeld(ctx context.Context, tenantID string, g conversation.Conversation, heldID string) error {
	c, err := s.store.releaseHeld(ctx, tenantID, g, heldID)
	if err != nil {
		return err
	}
	s.hub.metrics.sent.Inc()
	s.publish(ctx, tenantID, g.ID, StoredEvent{Seq: c.Seq, Payload: c.Payload})
	return nil
}

// RejectHeld drops a held message a moderator refused.
func (s *Publisher) RejectHeld(ctx context.Context, tenantID, heldID string) error {
	return s.store.rejectHeld(ctx, tenantID, heldID)
}

// publish hands a committed event to local subscribers and to every other
// instance. A broker failure loses nothing: other instances fill the gap
// from the store when the broker returns.
func (s *Publisher) publish(ctx context.Context, tenantID, convID string, ev StoredEvent) {
	s.hub.offerLocal(tenantID, convID, ev)
	env, _ := json.Marshal(envelope{Tenant: tenantID, Conv: convID, Seq: ev.Seq, Event: ev.Payload})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.broker.Publish(pctx, ChannelName(tenantID, convID), env); err != nil {
		s.log.Warn("broker publish failed; other instances will fill from the store", "seq", ev.Seq, "err", err)
	}
}

// RemoveMessage tombstones a message; the removal reaches every client on
// every instance. Moderation calls it.
func (s *Publisher) RemoveMessage(ctx context.Context, tenantID string, g conversation.Conversation, messageID, reason string) error {
	c, err := s.store.RemoveMessage(ctx, tenantID, g.ID, g.Address(), messageID, reason)
	if err != nil {
		return err
	}
	s.publish(ctx, tenantID, g.ID, StoredEvent{Seq: c.Seq, Payload: c.Payload})
	return nil
}

// PostAsModerator adds a moderator's message (a correction) to a group,
// past the posting policy and screening: moderators speak for the group.
// Moderation has checked that p moderates g, so the message carries p's
// staff role.
func (s *Publisher) PostAsModerator(ctx context.Context, p *accounts.Principal, g conversation.Conversation, text string) error {
	if fe := checkText(text, s.maxTextRunes); fe != nil {
		return apperr.InvalidField("note", fe.Message)
	}
	role := "moderator"
	if p.IsAdmin() {
		role = "admin"
	}
	c, err := s.store.AppendMessage(ctx, NewMessage{TenantID: p.Tenant.ID, ConversationID: g.ID, Kind: g.Kind, Address: g.Address(),
		AuthorID: p.User.ID, AuthorName: p.User.DisplayName + " (moderator)", AuthorRole: role, ClientID: "moderation-" + store.NewID(), Text: text})
	if err != nil {
		return err
	}
	s.publish(ctx, p.Tenant.ID, g.ID, StoredEvent{Seq: c.Seq, Payload: c.Payload})
	return nil
}

// RestoreMessage brings a removed message back for every client on every
// instance. Moderation calls it (undo, appeal granted).
func (s *Publisher) RestoreMessage(ctx context.Context, tenantID string, g conversation.Conversation, messageID, text string) error {
	c, err := s.store.RestoreMessage(ctx, tenantID, g.ID, g.Address(), messageID, text)
	if err != nil {
		return err
	}
	s.publish(ctx, tenantID, g.ID, StoredEvent{Seq: c.Seq, Payload: c.Payload})
	return nil
}

// Lookup finds a message in a conversation by id, delivered or held; held
// reports which. Moderation uses it to check flags and show cases.
func (s *Publisher) Lookup(ctx context.Context, tenantID, convID, id string) (m Message, held bool, err error) {
	err = s.store.db.WithContext(ctx).Where("tenant_id = ? AND conversation_id = ? AND id = ?", tenantID, convID, id).Take(&m).Error
	if err == nil {
		return m, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return Message{}, false, fmt.Errorf("message %s: %w", id, err)
	}
	h, err := s.store.Held(ctx, tenantID, id)
	if err != nil || h.ConversationID != convID {
		return Message{}, false, apperr.NotFound("there is no such message")
	}
	author := h.AuthorID
	return Message{ID: h.ID, TenantID: tenantID, ConversationID: convID, AuthorID: &author, AuthorName: h.AuthorName, AuthorRole: h.AuthorRole,
		ClientID: h.ClientID, Body: h.Body, Status: StatusVisible, CreatedAt: h.CreatedAt}, true, nil
}

// Around returns up to n messages either side of seq, oldest first.
func (s *Publisher) Around(ctx context.Context, tenantID, convID string, seq int64, n int) ([]Message, error) {
	var ms []Message
	err := s.store.db.WithContext(ctx).Where("tenant_id = ? AND conversation_id = ? AND seq BETWEEN ? AND ?", tenantID, convID, seq-int64(n), seq+int64(n)).
		Order("seq").Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("messages around %d: %w", seq, err)
	}
	return ms, nil
}
