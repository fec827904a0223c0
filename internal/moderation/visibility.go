package moderation

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
)

// Why a waiting item in a moderator's scope is not in their queue. The
// queue's list and its counts both come from whoFor, so they agree.
const (
	HiddenOwn       = "own"       // about the moderator's own message
	HiddenFlagged   = "flagged"   // the moderator flagged it
	HiddenDecided   = "decided"   // the moderator removed it: the appeal is for someone else
	HiddenEscalated = "escalated" // escalated to the admins
)

// reviewers is who may decide what, for a batch of items.
type reviewers struct {
	mods      map[string][]string // group id -> everyone who moderates it (admins included)
	admins    []string
	reporters map[string][]string // item id -> who flagged it
}

// reviewersOf loads the moderators, admins and reporters of items; the
// reporters are read through db (a transaction that just added one).
func (s *Service) reviewersOf(ctx context.Context, db *gorm.DB, tenantID string, items []Item) (reviewers, error) {
	r, err := s.moderatorsOf(ctx, tenantID, items)
	if err != nil || len(items) == 0 {
		return r, err
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	for chunk := range slices.Chunk(ids, 500) {
		var part []Flag
		if err := db.WithContext(ctx).Select("item_id", "reporter_id").Where("tenant_id = ? AND item_id IN ?", tenantID, chunk).
			Find(&part).Error; err != nil {
			return r, fmt.Errorf("reporters of queue items: %w", err)
		}
		for _, f := range part {
			r.reporters[f.ItemID] = append(r.reporters[f.ItemID], f.ReporterID)
		}
	}
	return r, nil
}

// moderatorsOf loads who moderates the items' groups, and the admins.
func (s *Service) moderatorsOf(ctx context.Context, tenantID string, items []Item) (reviewers, error) {
	r := reviewers{mods: map[string][]string{}, reporters: map[string][]string{}}
	if len(items) == 0 || s.groups == nil {
		// Without a groups directory (a service built for screening alone)
		// nobody is known: nothing is routed, nobody is hidden for it.
		return r, nil
	}
	var err error
	if r.admins, err = s.groups.AdminIDs(ctx, tenantID); err != nil {
		return r, err
	}
	for _, it := range items {
		if _, ok := r.mods[it.GroupID]; ok {
			continue
		}
		if r.mods[it.GroupID], err = s.groups.ModeratorIDs(ctx, tenantID, it.GroupID); err != nil {
			return r, err
		}
	}
	return r, nil
}

// involved reports whether userID wrote, flagged or first decided the item.
func (r reviewers) involved(it Item, userID string) bool {
	return it.AuthorID == userID || it.FirstResolvedBy == userID || slices.Contains(r.reporters[it.ID], userID)
}

// eligible lists who may decide the item: its group's moderators (only the
// admins once escalated), except anyone involved in it.
func (r reviewers) eligible(it Item) []string {
	var out []string
	for _, id := range r.mods[it.GroupID] {
		if it.Escalated && !slices.Contains(r.admins, id) {
			continue
		}
		if !r.involved(it, id) {
			out = append(out, id)
		}
	}
	return out
}

// whyHidden says why p's queue leaves out a waiting item in p's scope, or
// "" when p may decide it. A crisis item that p flagged stays p's to act
// on when nobody else may decide it: someone must reach the member.
func (r reviewers) whyHidden(it Item, p *accounts.Principal) string {
	switch {
	case it.AuthorID == p.User.ID:
		return HiddenOwn
	case it.FirstResolvedBy == p.User.ID:
		return HiddenDecided
	case slices.Contains(r.reporters[it.ID], p.User.ID):
		if it.Crisis && len(r.eligible(it)) == 0 {
			return ""
		}
		return HiddenFlagged
	case it.Escalated && !p.IsAdmin():
		return HiddenEscalated
	}
	return ""
}

// routesAway reports whether an item should go to the admins because
// every moderator who is not an admin, and could decide it, is involved
// in it: in a community with one moderator, items about that moderator's
// messages (or that they flagged) go to the admins instead of waiting for
// nobody. An item no admin may decide either stays where it is.
func (r reviewers) routesAway(it Item) bool {
	if it.Escalated || it.Status != StatusPending {
		return false
	}
	moderators, free := 0, 0
	for _, id := range r.mods[it.GroupID] {
		if slices.Contains(r.admins, id) {
			continue
		}
		moderators++
		if !r.involved(it, id) {
			free++
		}
	}
	adminFree := slices.ContainsFunc(r.admins, func(id string) bool { return !r.involved(it, id) })
	return moderators > 0 && free == 0 && adminFree
}

// whyRoutedAway is the log's word for an item routesAway sent to the admins.
const whyRoutedAway = "every moderator who could decide it is involved in it: sent to the admins"

// notice is what reporter p is told when nobody else can decide the item
// they flagged; "" when someone can. The truth, not "a moderator will
// look", when none will.
func (r reviewers) notice(it Item, p *accounts.Principal) string {
	if len(r.eligible(it)) > 0 {
		return ""
	}
	if it.Crisis && slices.Contains(r.mods[it.GroupID], p.User.ID) && (!it.Escalated || p.IsAdmin()) {
		return "No other moderator can decide this one, so it is in your own queue: please look at it now."
	}
	if it.Crisis {
		return "Thank you. Right now no moderator is able to look at this. If someone may be in danger, " +
			"call your local emergency number; you can also reach out to them directly if you feel able."
	}
	return "Thank you. Right now no moderator is able to look at this; it waits until one can."
}
