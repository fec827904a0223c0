package groups

import (
	"context"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
)

// ReservedSlugPrefix starts no group's slug: the protocol's older "group"
// field spells a mentorship's conversation "mentorship-{id}", so a group
// slugged that way could be mistaken for one.
const ReservedSlugPrefix = "mentorship-"

// Conversation is the group's room as the real-time service sees it.
func (g Group) Conversation() conversation.Conversation {
	return conversation.Conversation{ID: g.ID, Kind: conversation.Group, TenantID: g.TenantID, Key: g.Slug, Name: g.Name,
		Policy: conversation.Policy{Posting: conversation.PostingPolicy(g.PostingPolicy), HeldPosts: g.HeldPosts, Audience: string(g.Audience)}}
}

// Resolve is the groups' conversation.Resolver: the group with slug key,
// and what p may do in its room.
func (s *Service) Resolve(ctx context.Context, p *accounts.Principal, slug string) (conversation.Access, error) {
	a, err := s.Access(ctx, p, slug)
	if err != nil {
		return conversation.Access{}, err
	}
	return conversation.Access{Conversation: a.Group.Conversation(), CanRead: a.CanRead, CanPost: a.CanPost, Lurking: a.Lurking,
		Moderating: a.Moderating, StaffRole: staffRole(p, a.Moderating), Reason: a.Reason}, nil
}

// staffRole is the staff mark p's messages in a group carry: admins are
// "admin" everywhere; whoever else moderates the group (its assigned
// moderators, community moderators where the group is not closed) is
// "moderator".
func staffRole(p *accounts.Principal, moderating bool) string {
	switch {
	case p.IsAdmin():
		return "admin"
	case moderating:
		return "moderator"
	}
	return ""
}
