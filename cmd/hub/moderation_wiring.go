package main

import (
	"context"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/library"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime"
	"quietroom/internal/realtime/conversation"
)

// The real-time and moderation packages do not import each other; these
// adapters let each use the other through the small interface it declares.

// moderationMessages gives moderation the conversations it acts on.
type moderationMessages struct {
	rt     *realtime.Publisher
	groups *groups.Service
}

// conversationOf is the conversation a moderation item's group stands for.
// Whether it is a group is the groups service's to say, by id: nothing is
// read from the spelling of its name.
func (m moderationMessages) conversationOf(ctx context.Context, tenantID string, g groups.Group) (conversation.Conversation, error) {
	names, err := m.groups.Names(ctx, tenantID, []string{g.ID})
	if err != nil {
		return conversation.Conversation{}, err
	}
	c := conversation.Conversation{ID: g.ID, TenantID: tenantID, Kind: conversation.Group, Key: g.Slug, Name: g.Name,
		Policy: conversation.Policy{Posting: conversation.PostingPolicy(g.PostingPolicy), HeldPosts: g.HeldPosts, Audience: string(g.Audience)}}
	if _, ok := names[g.ID]; !ok {
		c.Kind, c.Key = conversation.Mentorship, g.ID
	}
	return c, nil
}

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
	c, err := m.conversationOf(ctx, tenantID, g)
	if err != nil {
		return err
	}
	return m.rt.RemoveMessage(ctx, tenantID, c, id, reason)
}

func (m moderationMessages) Release(ctx context.Context, tenantID string, g groups.Group, heldID string) error {
	c, err := m.conversationOf(ctx, tenantID, g)
	if err != nil {
		return err
	}
	return m.rt.ReleaseHeld(ctx, tenantID, c, heldID)
}

func (m moderationMessages) Restore(ctx context.Context, tenantID string, g groups.Group, id, text string) error {
	c, err := m.conversationOf(ctx, tenantID, g)
	if err != nil {
		return err
	}
	return m.rt.RestoreMessage(ctx, tenantID, c, id, text)
}

func (m moderationMessages) Post(ctx context.Context, p *accounts.Principal, g groups.Group, text string) error {
	c, err := m.conversationOf(ctx, p.Tenant.ID, g)
	if err != nil {
		return err
	}
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

// hubNotifier passes moderation's alerts to connected members.
type hubNotifier struct{ hub *realtime.Hub }

func (n hubNotifier) Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message, group, itemID string) {
	ev := realtime.Event{Type: kind, Code: code, Message: message, Group: group, Item: itemID}
	if at, err := conversation.FromGroupField(group); group != "" && err == nil {
		ev.Conversation = at.String()
	}
	n.hub.Notify(ctx, tenantID, userIDs, ev)
}

// screener runs moderation's rules inside the real-time send path.
type screener struct{ mod *moderation.Service }

func (s screener) Screen(ctx context.Context, p *accounts.Principal, c conversation.Conversation, text string) (realtime.Verdict, error) {
	d, err := s.mod.Screen(ctx, p, groupOf(c), text)
	return realtime.Verdict{Hold: d.Hold, Queue: d.Queue, Crisis: d.Crisis, Notice: d.Notice, Detail: d}, err
}

func (s screener) Review(ctx context.Context, p *accounts.Principal, c conversation.Conversation, r realtime.Review) error {
	d, _ := r.Verdict.Detail.(moderation.Decision)
	return s.mod.Submit(ctx, p, groupOf(c), moderation.Submission{MessageID: r.MessageID, Text: r.Text, Held: r.Held, HeldByPolicy: r.HeldByPolicy, Decision: d})
}

// libraryArticles lets corrections point into the library.
type libraryArticles struct{ lib *library.Service }

func (l libraryArticles) ArticleTitle(ctx context.Context, tenantID, slug string) (string, error) {
	a, err := l.lib.Article(ctx, tenantID, slug)
	return a.Title, err
}

// moderationGroups is the groups service as moderation sees it, with
// mentorship conversations resolved too, so their messages can be flagged.
// Moderation still names a conversation by its group-field spelling
// (conversation.Address.GroupField); conversation.FromGroupField reads it.
type moderationGroups struct {
	*groups.Service
	dir *conversation.Directory
}

func (g moderationGroups) Access(ctx context.Context, p *accounts.Principal, where string) (groups.Access, error) {
	at, err := conversation.FromGroupField(where)
	if err != nil {
		return groups.Access{}, apperr.NotFound("there is no such conversation: %s", err.Error())
	}
	a, err := g.dir.Resolve(ctx, p, at)
	if err != nil {
		return groups.Access{}, err
	}
	return groups.Access{Group: groupOf(a.Conversation), CanRead: a.CanRead, CanPost: a.CanPost, Lurking: a.Lurking,
		Moderating: a.Moderating, Reason: a.Reason}, nil
}

// groupOf is a conversation as moderation's group-shaped view holds it.
func groupOf(c conversation.Conversation) groups.Group {
	return groups.Group{ID: c.ID, TenantID: c.TenantID, Slug: c.Address().GroupField(), Name: c.Name,
		PostingPolicy: groups.PostingPolicy(c.Policy.Posting), HeldPosts: c.Policy.HeldPosts, Audience: groups.Audience(c.Policy.Audience)}
}
