package main

import (
	"context"

	"quietroom/internal/accounts"
	"quietroom/internal/groups"
	"quietroom/internal/library"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime"
)

// The real-time and moderation packages do not import each other; these
// adapters let each use the other through the small interface it declares.

// moderationMessages gives moderation the conversations it acts on.
type moderationMessages struct{ rt *realtime.Service }

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

func (m moderationMessages) Remove(ctx context.Context, tenantID string, g groups.Group, id, reason string) error {
	return m.rt.RemoveMessage(ctx, tenantID, g, id, reason)
}

func (m moderationMessages) Release(ctx context.Context, tenantID string, g groups.Group, heldID string) error {
	return m.rt.ReleaseHeld(ctx, tenantID, g, heldID)
}

func (m moderationMessages) Restore(ctx context.Context, tenantID string, g groups.Group, id, text string) error {
	return m.rt.RestoreMessage(ctx, tenantID, g, id, text)
}

func (m moderationMessages) Post(ctx context.Context, p *accounts.Principal, g groups.Group, text string) error {
	return m.rt.PostAsModerator(ctx, p, g, text)
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

// hubNotifier passes moderation's alerts to connected members.
type hubNotifier struct{ hub *realtime.Hub }

func (n hubNotifier) Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message, group, itemID string) {
	n.hub.Notify(ctx, tenantID, userIDs, realtime.Event{Type: kind, Code: code, Message: message, Group: group, Item: itemID})
}

// screener runs moderation's rules inside the real-time send path.
type screener struct{ mod *moderation.Service }

func (s screener) Screen(ctx context.Context, p *accounts.Principal, g groups.Group, text string) (realtime.Verdict, error) {
	d, err := s.mod.Screen(ctx, p, g, text)
	return realtime.Verdict{Hold: d.Hold, Queue: d.Queue, Crisis: d.Crisis, Notice: d.Notice, Detail: d}, err
}

func (s screener) Review(ctx context.Context, p *accounts.Principal, g groups.Group, r realtime.Review) error {
	d, _ := r.Verdict.Detail.(moderation.Decision)
	return s.mod.Submit(ctx, p, g, moderation.Submission{MessageID: r.MessageID, Text: r.Text, Held: r.Held, HeldByPolicy: r.HeldByPolicy, Decision: d})
}

// libraryArticles lets corrections point into the library.
type libraryArticles struct{ lib *library.Service }

func (l libraryArticles) ArticleTitle(ctx context.Context, tenantID, slug string) (string, error) {
	a, err := l.lib.Article(ctx, tenantID, slug)
	return a.Title, err
}

// conversations is the real-time Directory: groups by slug, and
// mentorships' private conversations ("mentorship-{id}").
type conversations struct {
	groups    *groups.Service
	mentoring *mentoring.Service
}

func (c conversations) Access(ctx context.Context, p *accounts.Principal, slug string) (groups.Access, error) {
	if mentoring.IsConversation(slug) {
		return c.mentoring.Access(ctx, p, slug)
	}
	return c.groups.Access(ctx, p, slug)
}

// moderationGroups is the groups service as moderation sees it, with
// mentorship conversations resolved too, so their messages can be flagged.
type moderationGroups struct {
	*groups.Service
	conv conversations
}

func (g moderationGroups) Access(ctx context.Context, p *accounts.Principal, slug string) (groups.Access, error) {
	return g.conv.Access(ctx, p, slug)
}
