package moderation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// FlagInput is a member's report.
type FlagInput struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

// Flag reports a message p can read. One flag per member per message;
// flagging your own message is refused. The message's queue item is
// opened, or reopened if it had been closed without removal.
func (s *Service) Flag(ctx context.Context, p *accounts.Principal, at conversation.Address, messageID string, in FlagInput) (Flag, error) {
	access, err := s.groups.Resolve(ctx, p, at)
	if err != nil {
		return Flag{}, err
	}
	if !access.CanRead {
		return Flag{}, apperr.NotFound("there is no such message")
	}
	bad := apperr.Fields{}
	if !slices.ContainsFunc(FlagReasons(), func(r struct{ Key, Label string }) bool { return r.Key == in.Reason }) {
		bad.Add("reason", "must be one of misinformation, harassment, shaming, crisis, spam, privacy, other")
	}
	in.Note = strings.TrimSpace(in.Note)
	switch {
	case in.Reason == ReasonOther && in.Note == "":
		bad.Add("note", "say briefly what is wrong")
	case len([]rune(in.Note)) > 500:
		bad.Add("note", "must be at most 500 characters")
	}
	if err := bad.Err(); err != nil {
		return Flag{}, err
	}
	conv := access.Conversation
	msg, err := s.messages.Message(ctx, p.Tenant.ID, conv.ID, messageID)
	if err != nil {
		return Flag{}, err
	}
	if msg.Held || msg.Removed {
		return Flag{}, apperr.NotFound("there is no such message")
	}
	if msg.AuthorID == p.User.ID {
		return Flag{}, apperr.InvalidField("message", "you cannot flag your own message")
	}

	// Who could decide it, read before the transaction (its reporters, inside).
	mods, err := s.moderatorsOf(ctx, p.Tenant.ID, []Item{{GroupID: conv.ID}})
	if err != nil {
		return Flag{}, err
	}

	now := s.now()
	flag := Flag{ID: store.NewID(), TenantID: p.Tenant.ID, MessageID: msg.ID, ReporterID: p.User.ID, Reason: in.Reason,
		Note: in.Note, Outcome: "pending", CreatedAt: now}
	var item Item
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if item, err = s.itemFor(tx, p, conv, msg); err != nil {
			return err
		}
		flag.ItemID = item.ID
		if err := tx.Create(&flag).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) || isUnique(err) {
				return apperr.Conflict("you already flagged this message: thank you, a moderator will look")
			}
			return fmt.Errorf("store flag: %w", err)
		}
		weight, err := s.standing(tx, p)
		if err != nil {
			return err
		}
		cats := compact(append(strings.Fields(item.Categories), in.Reason))
		updates := map[string]any{
			"flag_count": gorm.Expr("flag_count + 1"), "flag_weight": gorm.Expr("flag_weight + ?", weight), "categories": strings.Join(cats, " "),
			"version": gorm.Expr("version + 1"), "updated_at": now,
		}
		if in.Reason == ReasonCrisis {
			updates["crisis"] = true
		}
		if item.Status == StatusResolved {
			// Flagged again after a dismissal: a fresh look.
			updates["status"], updates["resolution"], updates["resolved_at"] = StatusPending, "", nil
		}
		if err := tx.Model(&Item{}).Where("tenant_id = ? AND id = ?", item.TenantID, item.ID).Updates(updates).Error; err != nil {
			return fmt.Errorf("add flag to item: %w", err)
		}
		if err := s.audit(tx, p.Tenant.ID, p, "flagged", item.ID, msg.AuthorID, in.Reason+" "+in.Note, "", ""); err != nil {
			return err
		}
		return s.routeFlagged(ctx, tx, p, mods, item.ID, &flag)
	})
	if err != nil {
		return Flag{}, err
	}
	item.Crisis = item.Crisis || in.Reason == ReasonCrisis
	s.alert(ctx, p.Tenant.ID, conv.ID, conv.Address(), item, "item_created")
	return flag, nil
}

// standing weighs a reporter's flag: 1, plus 1 for a moderator or admin,
// plus 1 when an earlier flag of theirs led to a removal, minus 1 (not
// below 1) when three or more of their flags were found to need nothing.
func (s *Service) standing(tx *gorm.DB, p *accounts.Principal) (int, error) {
	var past []struct {
		Outcome string
		N       int
	}
	if err := tx.Model(&Flag{}).Select("outcome, COUNT(*) AS n").Where("tenant_id = ? AND reporter_id = ?", p.Tenant.ID, p.User.ID).
		Group("outcome").Scan(&past).Error; err != nil {
		return 0, fmt.Errorf("reporter standing: %w", err)
	}
	w := 1
	if p.IsModerator() || p.IsAdmin() {
		w++
	}
	for _, o := range past {
		switch {
		case o.Outcome == "removed" && o.N > 0:
			w++
		case o.Outcome == "no action needed" && o.N >= 3:
			w--
		}
	}
	return max(w, 1), nil
}

// itemFor returns the message's queue item, creating it if needed.
func (s *Service) itemFor(tx *gorm.DB, p *accounts.Principal, conv conversation.Conversation, msg Message) (Item, error) {
	var it Item
	err := tx.Where("tenant_id = ? AND message_id = ?", p.Tenant.ID, msg.ID).Take(&it).Error
	if err == nil {
		return it, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return Item{}, fmt.Errorf("find item: %w", err)
	}
	now := s.now()
	it = Item{ID: store.NewID(), TenantID: p.Tenant.ID, GroupID: conv.ID, GroupSlug: conv.Address().GroupField(),
		Conversation: conv.Address().String(), MessageID: msg.ID,
		AuthorID: msg.AuthorID, AuthorName: msg.AuthorName, Excerpt: msg.Text, Matches: "[]", Status: StatusPending,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&it).Error; err != nil {
		return Item{}, fmt.Errorf("open item: %w", err)
	}
	return it, nil
}

// MyFlags lists p's flags with their outcomes, newest first.
func (s *Service) MyFlags(ctx context.Context, p *accounts.Principal) ([]Flag, error) {
	var fs []Flag
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND reporter_id = ?", p.Tenant.ID, p.User.ID).
		Order("created_at DESC").Limit(200).Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("my flags: %w", err)
	}
	return fs, nil
}

func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "23505") || strings.Contains(strings.ToLower(err.Error()), "unique"))
}

// routeFlagged sends a flagged item to the admins when every moderator who
// could decide it is involved, and tells the reporter the truth when no one
// can (flag.Notice).
func (s *Service) routeFlagged(ctx context.Context, tx *gorm.DB, p *accounts.Principal, mods reviewers, itemID string, flag *Flag) error {
	var it Item
	if err := tx.Where("tenant_id = ? AND id = ?", p.Tenant.ID, itemID).Take(&it).Error; err != nil {
		return fmt.Errorf("reload flagged item %s: %w", itemID, err)
	}
	var reporters []string
	if err := tx.Model(&Flag{}).Where("tenant_id = ? AND item_id = ?", p.Tenant.ID, itemID).Pluck("reporter_id", &reporters).Error; err != nil {
		return fmt.Errorf("reporters of item %s: %w", itemID, err)
	}
	r := reviewers{mods: mods.mods, admins: mods.admins, reporters: map[string][]string{itemID: reporters}}
	if r.routesAway(it) {
		if err := tx.Model(&Item{}).Where("tenant_id = ? AND id = ?", p.Tenant.ID, itemID).
			Updates(map[string]any{"escalated": true, "version": it.Version + 1}).Error; err != nil {
			return fmt.Errorf("send item %s to the admins: %w", itemID, err)
		}
		if err := s.audit(tx, p.Tenant.ID, nil, "escalated", itemID, it.AuthorID, whyRoutedAway, "", ""); err != nil {
			return err
		}
		it.Escalated = true
	}
	flag.Notice = r.notice(it, p)
	return nil
}
