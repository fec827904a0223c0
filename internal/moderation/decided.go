package moderation

import (
	"context"
	"fmt"
	"slices"
	"time"

	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
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

// decided records the item's outcome on its flags and tells the decided
// hooks, in one transaction.
func (s *Service) decided(ctx context.Context, it Item, action, outcome string, now time.Time) error {
	return s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		if err := tx.Model(&Flag{}).Where("tenant_id = ? AND item_id = ?", it.TenantID, it.ID).
			Updates(map[string]any{"outcome": outcome, "resolved_at": now}).Error; err != nil {
			return fmt.Errorf("tell reporters: %w", err)
		}
		if len(s.onDecided) == 0 {
			return nil
		}
		var reporters []string
		if err := tx.Model(&Flag{}).Where("tenant_id = ? AND item_id = ?", it.TenantID, it.ID).
			Distinct().Pluck("reporter_id", &reporters).Error; err != nil {
			return fmt.Errorf("reporters of item %s: %w", it.ID, err)
		}
		reporters = slices.DeleteFunc(reporters, func(id string) bool { return id == "" })
		d := ItemDecided{TenantID: it.TenantID, ItemID: it.ID, GroupSlug: it.GroupSlug, Conversation: it.conversation().Address(), MessageID: it.MessageID, AuthorID: it.AuthorID,
			Action: action, Outcome: outcome, Held: it.Held, Appeal: it.Appeal != "", Crisis: it.Crisis, ReporterIDs: reporters}
		for _, h := range s.onDecided {
			if err := h(ctx, stx, d); err != nil {
				return err
			}
		}
		return nil
	})
}
