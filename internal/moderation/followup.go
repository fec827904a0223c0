package moderation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// UndoWindow is how long a removal or a mute can be taken back.
const UndoWindow = 5 * time.Minute

// AuthorAction is something a moderator does about an item's author,
// beside deciding the item: warn, mute in the group, suspend from the
// tenant, or escalate the item to admins.
type AuthorAction struct {
	Action string `json:"action"` // warn, mute, suspend, escalate
	Note   string `json:"note"`
	// Minutes a mute or suspension lasts.
	Minutes int `json:"minutes"`
}

// ActOnAuthor applies an AuthorAction. It needs no claim or version: it
// does not decide the item, and each action is logged.
func (s *Service) ActOnAuthor(ctx context.Context, p *accounts.Principal, itemID string, in AuthorAction) (Item, error) {
	it, err := s.load(ctx, p, itemID)
	if err != nil {
		return Item{}, err
	}
	note := strings.TrimSpace(in.Note)
	if len([]rune(note)) > 500 {
		return Item{}, apperr.InvalidField("note", "must be at most 500 characters")
	}
	d := time.Duration(in.Minutes) * time.Minute
	switch in.Action {
	case "warn":
		if note == "" {
			return Item{}, apperr.InvalidField("note", "say what the warning is about: the author reads it")
		}
	case "mute", "suspend":
		if in.Minutes < 1 || in.Minutes > 60*24*365 {
			return Item{}, apperr.InvalidField("minutes", "must be from 1 minute to a year")
		}
		if in.Action == "suspend" && !p.IsAdmin() && !p.IsModerator() {
			return Item{}, apperr.Forbidden("only the community's moderators and admins suspend members")
		}
	case "escalate":
	default:
		return Item{}, apperr.InvalidField("action", "must be warn, mute, suspend or escalate")
	}
	if in.Action != "escalate" {
		if err := s.checkOutranks(ctx, p, it); err != nil {
			return Item{}, err
		}
	}
	why := in.Action
	if note != "" {
		why += ": " + note
	}
	switch in.Action {
	case "warn":
		s.notifyAuthor(ctx, it, "warning", "A moderator asks you to take care: "+note)
	case "mute":
		if _, err := s.restrictions.Add(ctx, it.TenantID, it.AuthorID, it.GroupID, p.User.ID, note, d); err != nil {
			return Item{}, err
		}
	case "suspend":
		if _, err := s.restrictions.Add(ctx, it.TenantID, it.AuthorID, "", p.User.ID, note, d); err != nil {
			return Item{}, err
		}
	case "escalate":
		return s.change(ctx, p, it, "escalated", note, map[string]any{"escalated": true, "claimed_by": "", "claimed_by_name": "", "claim_expires_at": nil})
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.audit(tx, it.TenantID, p, in.Action, it.ID, it.AuthorID, why, "", fmt.Sprintf("%d minutes", in.Minutes))
	})
	return it, err
}

func (s *Service) notifyAuthor(ctx context.Context, it Item, code, message string) {
	if s.notifier != nil {
		s.notifier.Notify(ctx, it.TenantID, []string{it.AuthorID}, "notice", code, message, it.conversation().Address(), "")
	}
}

// Undo takes back a removal (the message comes back for everyone) or
// lifts the mutes and suspensions this item led to, within UndoWindow of
// the action, and puts the item back in the queue.
func (s *Service) Undo(ctx context.Context, p *accounts.Principal, itemID string, version int) (Item, error) {
	it, err := s.load(ctx, p, itemID)
	if err != nil {
		return Item{}, err
	}
	now := s.now()
	if it.Version != version {
		return Item{}, apperr.Conflict("this item changed since you loaded it: reload to see what happened")
	}
	var lifted int
	if it.Status == StatusResolved && it.Resolution == ActionRemove && !it.Held {
		if it.ResolvedAt == nil || now.Sub(*it.ResolvedAt) > UndoWindow {
			return Item{}, apperr.Conflict("a removal can be undone for %d minutes only", int(UndoWindow.Minutes()))
		}
		g := it.conversation()
		if err := s.messages.Restore(ctx, it.TenantID, g, it.MessageID, it.Excerpt); err != nil {
			return Item{}, err
		}
	}
	// Restrictions this item's author got from p within the window.
	var recent []Restriction
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND user_id = ? AND created_by = ? AND created_at > ? AND lifted_at IS NULL",
		it.TenantID, it.AuthorID, p.User.ID, now.Add(-UndoWindow)).Find(&recent).Error; err != nil {
		return Item{}, fmt.Errorf("recent restrictions: %w", err)
	}
	for _, r := range recent {
		if err := s.restrictions.Lift(ctx, it.TenantID, r.ID); err != nil {
			return Item{}, err
		}
		lifted++
	}
	if it.Status != StatusResolved && lifted == 0 {
		return Item{}, apperr.Conflict("there is nothing to undo on this item")
	}
	return s.change(ctx, p, it, "undone", fmt.Sprintf("%d restrictions lifted", lifted), map[string]any{
		"status": StatusPending, "resolution": "", "resolution_note": "", "resolved_by": "", "resolved_at": nil,
	})
}

// Appeal lets an author contest the removal of their message, once. The
// item returns to the queue with their words, for a moderator other than
// the one who removed it.
func (s *Service) Appeal(ctx context.Context, p *accounts.Principal, messageID, text string) (Item, error) {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > 1000 {
		return Item{}, apperr.InvalidField("text", "say in up to 1000 characters why the message should come back")
	}
	var it Item
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND message_id = ? AND author_id = ?", p.Tenant.ID, messageID, p.User.ID).Take(&it).Error
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound):
		return Item{}, fmt.Errorf("find removal: %w", err)
	case err == nil && it.Appeal != "":
		return Item{}, apperr.Conflict("you already appealed this removal: a moderator will decide")
	case err != nil || it.Resolution != ActionRemove || it.Held:
		return Item{}, apperr.NotFound("there is no removal of your message to appeal")
	}
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Item{}).Where("tenant_id = ? AND id = ? AND version = ?", it.TenantID, it.ID, it.Version).Updates(map[string]any{
			"appeal": text, "appealed_at": now, "first_resolved_by": it.ResolvedBy, "status": StatusPending, "resolution": "",
			"resolved_by": "", "resolved_at": nil, "version": it.Version + 1, "updated_at": now,
		})
		if res.Error != nil {
			return fmt.Errorf("appeal: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict("the removal is being looked at right now: try again in a moment")
		}
		return s.audit(tx, it.TenantID, p, "appealed", it.ID, it.AuthorID, text, "", "")
	})
	if err != nil {
		return Item{}, err
	}
	it.Appeal, it.Status = text, StatusPending
	s.alert(ctx, it.TenantID, it.GroupID, it.conversation().Address(), it, "item_appealed")
	return it, nil
}

// MyRemovals lists p's removed messages that can still be appealed, or
// whose appeal is waiting, newest first.
func (s *Service) MyRemovals(ctx context.Context, p *accounts.Principal) ([]Item, error) {
	var items []Item
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND author_id = ? AND held = ? AND (resolution = ? OR appeal <> '')",
		p.Tenant.ID, p.User.ID, false, ActionRemove).Order("updated_at DESC").Limit(50).Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("removed messages: %w", err)
	}
	return items, nil
}

// Correction is a moderator's note under a message, pointing to a
// library article: the gentler answer to misinformation.
type Correction struct {
	Note    string `json:"note"`
	Article string `json:"article"` // a library slug
	// Remove also removes the message; otherwise it stays, corrected.
	Remove  bool `json:"remove"`
	Version int  `json:"version"`
}

// Correct posts a moderators' note in the group quoting the article, and
// resolves the item (removing the message if asked).
func (s *Service) Correct(ctx context.Context, p *accounts.Principal, itemID string, in Correction) (Item, error) {
	it, err := s.load(ctx, p, itemID)
	if err != nil {
		return Item{}, err
	}
	if it.Held {
		return Item{}, apperr.InvalidField("action", "a held message is approved or removed; nobody has seen it to need a correction")
	}
	if in.Remove {
		if err := s.checkOutranks(ctx, p, it); err != nil {
			return Item{}, err
		}
	}
	note := strings.TrimSpace(in.Note)
	bad := apperr.Fields{}
	if note == "" || len([]rune(note)) > 600 {
		bad.Add("note", "write the correction in up to 600 characters")
	}
	title := ""
	if in.Article != "" {
		if title, err = s.articles.ArticleTitle(ctx, it.TenantID, in.Article); err != nil {
			if apperr.CodeOf(err) != apperr.CodeNotFound {
				return Item{}, err
			}
			bad.Add("article", "there is no library article with that address")
		}
	}
	if err := bad.Err(); err != nil {
		return Item{}, err
	}
	if err := s.checkActable(it, p, in.Version, s.now()); err != nil {
		return Item{}, err
	}
	text := "A note from the moderators about " + it.AuthorName + "'s message: " + note
	if title != "" {
		text += "\nRead more in the library: " + title + " (/t/" + p.Tenant.Slug + "/library/" + in.Article + ")"
	}
	g := it.conversation()
	if err := s.messages.Post(ctx, p, g, text); err != nil {
		return Item{}, err
	}
	action := "correct"
	if in.Remove {
		return s.Act(ctx, p, it.ID, in.Version, ActionRemove, "corrected: "+note)
	}
	now := s.now()
	return s.change(ctx, p, it, action, note, map[string]any{
		"status": StatusResolved, "resolution": action, "resolution_note": note, "resolved_by": p.User.ID, "resolved_at": now,
		"claimed_by": "", "claimed_by_name": "", "claim_expires_at": nil,
	})
}
