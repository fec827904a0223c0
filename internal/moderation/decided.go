package moderation

import (
	"context"
	"slices"

	"quietroom/internal/realtime/conversation"
)

// ItemDecided is an item's outcome, for whoever tells the people concerned
// by other means than the app (the mail notifications).
type ItemDecided struct {
	TenantID  string
	ItemID    string
	GroupSlug string
	// Conversation is the item's conversation (GroupSlug its older
	// spelling).
	Conversation conversation.Address
	MessageID    string
	AuthorID     string
	// Action is approve, remove or dismiss; Outcome is what reporters
	// read ("removed", "no action needed" …).
	Action  string
	Outcome string
	// Held: the item was a post held for review before anyone saw it.
	Held   bool
	Appeal bool
	// Crisis items are never told by mail.
	Crisis      bool
	ReporterIDs []string
}

func (s *Service) decided(ctx context.Context, it Item, action, outcome string) {
	if len(s.onDecided) == 0 {
		return
	}
	var reporters []string
	if err := s.db.WithContext(ctx).Model(&Flag{}).Where("tenant_id = ? AND item_id = ?", it.TenantID, it.ID).
		Distinct().Pluck("reporter_id", &reporters).Error; err != nil {
		reporters = nil // the flags hold the outcome; the mail is a courtesy
	}
	reporters = slices.DeleteFunc(reporters, func(id string) bool { return id == "" })
	d := ItemDecided{TenantID: it.TenantID, ItemID: it.ID, GroupSlug: it.GroupSlug, Conversation: it.conversation().Address(), MessageID: it.MessageID, AuthorID: it.AuthorID,
		Action: action, Outcome: outcome, Held: it.Held, Appeal: it.Appeal != "", Crisis: it.Crisis, ReporterIDs: reporters}
	for _, h := range s.onDecided {
		h(ctx, d)
	}
}
