package main

import (
	"context"

	"quietroom/internal/accounts"
	"quietroom/internal/groups"
	"quietroom/internal/library"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime"
	"quietroom/internal/realtime/conversation"
)

// The real-time and moderation packages do not import each other; these
// adapters let each use the other through the small interface it declares.

// moderationMessages gives moderation the conversations it acts on.
type moderationMessages struct{ rt *realtime.Publisher }

func (m moderationMessages) Message(ctx context.Context, tenantID, groupID, id string) (moderation.Message, error) {
	msg, held, err := m.rt.Lookup(ctx, tenantID, groupID, id)
	if err != nil {
		return moderation.Message{}, err
	}
	return toModeration(msg, held), nil
}

func (m moderationMessages) Around(ctx context.Context, tenantID, groupID string, seq int64, n int) ([]moderation.Message, error) {
	ms, err := m.rt.Around(ctx, tenantID, groupID, seq, n)
	out := make([]moderation.Message, len(ms))
	for i, msg := range ms {
		out[i] = toModeration(msg, false)
	}
	return out, err
}

func (m moderationMessages) Remove(ctx context.Context, tenantID string, c conversation.Conversation, id, reason string) error {
	return m.rt.RemoveMessage(ctx, tenantID, c, id, reason)
}

func (m moderationMessages) Release(ctx context.Context, tenantID string, c conversation.Conversation, heldID string) error {
	return m.rt.ReleaseHeld(ctx, tenantID, c, heldID)
}

func (m moderationMessages) Restore(ctx context.Context, tenantID string, c conversation.Conversation, id, text string) error {
	return m.rt.RestoreMessage(ctx, tenantID, c, id, text)
}

func (m moderationMessages) Post(ctx context.Context, p *accounts.Principal, c conversation.Conversation, text string) error {
	return m.rt.PostAsModerator(ctx, p, c, text)
}

func (m moderationMessages) Reject(ctx context.Context, tenantID, heldID string) error {
	return m.rt.RejectHeld(ctx, tenantID, heldID)
}

func toModeration(msg realtime.Message, held bool) moderation.Message {
	out := moderation.Message{ID: msg.ID, Seq: msg.Seq, AuthorName: msg.AuthorName, Text: msg.Body, At: msg.CreatedAt,
		Held: held, Removed: msg.Status == realtime.StatusRemoved}
	if msg.AuthorID != nil {
		out.AuthorID = *msg.AuthorID
	}
	return out
}

// hubNotifier passes moderation's alerts and notices to connected members.
type hubNotifier struct{ hub *realtime.Hub }

func (n hubNotifier) Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message string, at conversation.Address, itemID string) {
	n.hub.Notify(ctx, tenantID, userIDs, realtime.Event{Type: kind, Code: code, Message: message,
		Group: at.GroupField(), Conversation: at.String(), Item: itemID})
}

// mentoringLive passes mentoring's notices to connected members; they name
// no conversation.
type mentoringLive struct{ hub *realtime.Hub }

func (n mentoringLive) Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message, _, itemID string) {
	n.hub.Notify(ctx, tenantID, userIDs, realtime.Event{Type: kind, Code: code, Message: message, Item: itemID})
}

// screener runs moderation's rules inside the real-time send path.
type screener struct{ mod *moderation.Service }

func (s screener) Screen(ctx context.Context, p *accounts.Principal, c conversation.Conversation, text string) (realtime.Verdict, error) {
	d, err := s.mod.Screen(ctx, p, c, text)
	return realtime.Verdict{Hold: d.Hold, Queue: d.Queue, Crisis: d.Crisis, Notice: d.Notice, Detail: d}, err
}

func (s screener) Review(ctx context.Context, p *accounts.Principal, c conversation.Conversation, r realtime.Review) error {
	d, _ := r.Verdict.Detail.(moderation.Decision)
	return s.mod.Submit(ctx, p, c, moderation.Submission{MessageID: r.MessageID, Text: r.Text, Held: r.Held, HeldByPolicy: r.HeldByPolicy, Decision: d})
}

// libraryArticles lets corrections point into the library.
type libraryArticles struct{ lib *library.Service }

func (l libraryArticles) ArticleTitle(ctx context.Context, tenantID, slug string) (string, error) {
	a, err := l.lib.Article(ctx, tenantID, slug)
	return a.Title, err
}

// moderationGroups is what moderation reads about conversations: the
// directory resolves them (groups and mentorships alike), the groups service
// says who moderates.
type moderationGroups struct {
	*groups.Service
	dir *conversation.Directory
}

func (g moderationGroups) Resolve(ctx context.Context, p *accounts.Principal, at conversation.Address) (conversation.Access, error) {
	return g.dir.Resolve(ctx, p, at)
}
