package moderation

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/moderation/screening"
)

// scope is which groups' items a moderator may see: all, or some.
type scope struct {
	all    bool
	groups []string
}

func (s *Service) scopeOf(ctx context.Context, p *accounts.Principal) (scope, error) {
	if p.IsAdmin() || p.IsModerator() {
		return scope{all: true}, nil
	}
	ids, err := s.groups.ModeratedGroupIDs(ctx, p)
	if err != nil {
		return scope{}, err
	}
	if len(ids) == 0 {
		return scope{}, apperr.Forbidden("only moderators see the moderation queue")
	}
	return scope{groups: ids}, nil
}

func (sc scope) covers(groupID string) bool { return sc.all || slices.Contains(sc.groups, groupID) }

// QueueFilter narrows the queue.
type QueueFilter struct {
	Group  string // group slug
	Reason string // a screening category, a flag reason, "policy" or "crisis"
	Status string // pending (default), resolved or all
}

// QueueEntry is an item in the queue with its place in it.
type QueueEntry struct {
	Item
	Reasons  []string `json:"reasons"`
	Priority float64  `json:"priority"`
	// WaitingSeconds is how long the item has waited for a first action.
	WaitingSeconds int64 `json:"waiting_seconds"`
	ClaimedByYou   bool  `json:"claimed_by_you"`
	// GroupName is the group's display name (Group is its slug).
	GroupName string `json:"group_name"`
}

// maxQueue bounds one queue page; a queue longer than this is a problem
// the stats show, and the most urgent items still come first.
const maxQueue = 500

// Queue lists the items p may act on, most urgent first: crisis items,
// then by severity, number of flags and waiting time. Items about p's own
// messages, that p flagged or whose removal p decided are for someone else
// (whoFor); Stats counts them apart, so the counts and the list agree.
func (s *Service) Queue(ctx context.Context, p *accounts.Principal, f QueueFilter) ([]QueueEntry, error) {
	sc, err := s.scopeOf(ctx, p)
	if err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID)
	switch f.Status {
	case "", StatusPending:
		q = q.Where("status = ?", StatusPending)
	case StatusResolved:
		q = q.Where("status = ?", StatusResolved)
	case "all":
	default:
		return nil, apperr.InvalidField("status", "must be pending, resolved or all")
	}
	if !sc.all {
		q = q.Where("group_id IN ?", sc.groups)
	}
	if f.Group != "" {
		q = q.Where("group_slug = ?", f.Group)
	}
	var items []Item
	if err := q.Order("created_at").Limit(maxQueue).Find(&items).Error; err != nil {
		return nil, fmt.Errorf("moderation queue: %w", err)
	}
	r, err := s.reviewersOf(ctx, s.db.DB, p.Tenant.ID, items)
	if err != nil {
		return nil, err
	}
	names, err := s.groupNames(ctx, p.Tenant.ID, items)
	if err != nil {
		return nil, err
	}
	closed, err := s.closedTo(ctx, p, items)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]QueueEntry, 0, len(items))
	for _, it := range items {
		if r.whyHidden(it, p) != "" || closed[it.GroupID] && !decisionOf(it, p) {
			continue
		}
		e := s.entry(it, p, now)
		if f.Reason != "" && !slices.Contains(e.Reasons, f.Reason) {
			continue
		}
		e.GroupName = cmp.Or(names[it.GroupID], it.GroupSlug)
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b QueueEntry) int { return cmp.Compare(b.Priority, a.Priority) })
	return out, nil
}

// closedTo lists the groups of items that p, a community moderator, does
// not moderate: invite-only and archived groups they were not invited to
// or assigned (see groups.CanModerate). There they see only the items that
// need their decision (decisionOf), not the group's past.
func (s *Service) closedTo(ctx context.Context, p *accounts.Principal, items []Item) (map[string]bool, error) {
	closed := map[string]bool{}
	if p.IsAdmin() {
		return closed, nil
	}
	asked := map[string]bool{}
	for _, it := range items {
		if it.Status == StatusPending || asked[it.GroupID] {
			continue
		}
		asked[it.GroupID] = true
		ok, err := s.groups.CanModerate(ctx, p, it.GroupID)
		if err != nil {
			return nil, err
		}
		closed[it.GroupID] = !ok
	}
	return closed, nil
}

// decisionOf reports whether an item in a group p does not moderate is
// still p's to see: it waits for a decision, or p made the decision (and
// may undo or correct it).
func decisionOf(it Item, p *accounts.Principal) bool {
	return it.Status == StatusPending || it.ResolvedBy == p.User.ID
}

// groupNames maps the items' group ids to the groups' display names.
func (s *Service) groupNames(ctx context.Context, tenantID string, items []Item) (map[string]string, error) {
	var ids []string
	for _, it := range items {
		if !slices.Contains(ids, it.GroupID) {
			ids = append(ids, it.GroupID)
		}
	}
	return s.groups.Names(ctx, tenantID, ids)
}

// crisisPriority puts crisis items above anything a score can reach.
const crisisPriority = 1e6

func (s *Service) entry(it Item, p *accounts.Principal, now time.Time) QueueEntry {
	e := QueueEntry{Item: it, Reasons: strings.Fields(it.Categories), ClaimedByYou: it.ClaimedBy == p.User.ID && s.claimLive(it, now)}
	if it.Crisis && !slices.Contains(e.Reasons, ReasonCrisis) {
		e.Reasons = append(e.Reasons, ReasonCrisis)
	}
	if !s.claimLive(it, now) {
		e.ClaimedBy, e.ClaimedByName, e.ClaimExpiresAt = "", "", nil
	}
	end := now
	if it.ResolvedAt != nil {
		end = *it.ResolvedAt
	}
	waited := end.Sub(it.CreatedAt)
	e.WaitingSeconds = int64(waited.Seconds())
	// Severity counts most, each flag a little (more from reporters in good
	// standing), and waiting slowly raises anything so that nothing waits
	// for ever behind newer items.
	e.Priority = float64(it.Severity)*10 + float64(it.FlagWeight)*4 + waited.Minutes()/15
	if it.Crisis {
		e.Priority += crisisPriority
	}
	return e
}

func (s *Service) claimLive(it Item, now time.Time) bool {
	return it.ClaimedBy != "" && it.ClaimExpiresAt != nil && it.ClaimExpiresAt.After(now)
}

// load finds an item p may act on: in p's scope, not about p's own
// message, not flagged by p. Anything else is not found.
func (s *Service) load(ctx context.Context, p *accounts.Principal, itemID string) (Item, error) {
	var it Item
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.Tenant.ID, itemID).Take(&it).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Item{}, apperr.NotFound("there is no queue item %s", itemID)
	}
	if err != nil {
		return Item{}, fmt.Errorf("queue item %s: %w", itemID, err)
	}
	sc, err := s.scopeOf(ctx, p)
	if err != nil {
		return Item{}, err
	}
	if !sc.covers(it.GroupID) {
		return Item{}, apperr.NotFound("there is no queue item %s", itemID)
	}
	closed, err := s.closedTo(ctx, p, []Item{it})
	if err != nil {
		return Item{}, err
	}
	if closed[it.GroupID] && !decisionOf(it, p) {
		return Item{}, apperr.NotFound("there is no queue item %s", itemID)
	}
	r, err := s.reviewersOf(ctx, s.db.DB, p.Tenant.ID, []Item{it})
	if err != nil {
		return Item{}, err
	}
	switch r.whyHidden(it, p) {
	case HiddenEscalated:
		return Item{}, apperr.NotFound("there is no queue item %s", itemID)
	case HiddenOwn:
		return Item{}, apperr.Forbidden("this item is about your own message: another moderator will review it")
	case HiddenDecided:
		return Item{}, apperr.Forbidden("you removed this message: another moderator decides its appeal")
	case HiddenFlagged:
		return Item{}, apperr.Forbidden("you flagged this message: another moderator will review it")
	}
	return it, nil
}

// Case is everything a moderator needs to decide about one item.
type Case struct {
	QueueEntry
	Matches []screening.Match `json:"matches"`
	Flags   []Flag            `json:"flags"`
	// Context is the conversation around the message (delivered messages only).
	Context []Message `json:"context"`
	// AuthorHistory: the author's earlier items and how they ended.
	AuthorHistory map[string]int `json:"author_history"`
}

// Case loads an item with its flags, matches, context and the author's
// moderation history.
func (s *Service) Case(ctx context.Context, p *accounts.Principal, itemID string) (Case, error) {
	it, err := s.load(ctx, p, itemID)
	if err != nil {
		return Case{}, err
	}
	c := Case{QueueEntry: s.entry(it, p, s.now()), AuthorHistory: map[string]int{}}
	names, err := s.groupNames(ctx, p.Tenant.ID, []Item{it})
	if err != nil {
		return Case{}, err
	}
	c.GroupName = cmp.Or(names[it.GroupID], it.GroupSlug)
	_ = json.Unmarshal([]byte(it.Matches), &c.Matches)
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND item_id = ?", p.Tenant.ID, it.ID).Order("created_at").Find(&c.Flags).Error; err != nil {
		return Case{}, fmt.Errorf("flags of item %s: %w", it.ID, err)
	}
	var history []struct {
		Resolution string
		N          int
	}
	if err := s.db.WithContext(ctx).Model(&Item{}).Select("resolution, count(*) AS n").
		Where("tenant_id = ? AND author_id = ? AND id <> ? AND status = ?", p.Tenant.ID, it.AuthorID, it.ID, StatusResolved).
		Group("resolution").Scan(&history).Error; err != nil {
		return Case{}, fmt.Errorf("author history: %w", err)
	}
	for _, h := range history {
		c.AuthorHistory[h.Resolution] = h.N
	}
	if !it.Held {
		msg, err := s.messages.Message(ctx, p.Tenant.ID, it.GroupID, it.MessageID)
		if err == nil && msg.Seq > 0 {
			if c.Context, err = s.messages.Around(ctx, p.Tenant.ID, it.GroupID, msg.Seq, 5); err != nil {
				return Case{}, err
			}
		}
	}
	return c, nil
}

// Claim takes (or renews) the lease on an item for p. version must be the
// item's current version: a moderator acting on a stale view is told.
func (s *Service) Claim(ctx context.Context, p *accounts.Principal, itemID string, version int) (Item, error) {
	it, err := s.load(ctx, p, itemID)
	if err != nil {
		return Item{}, err
	}
	now := s.now()
	if err := s.checkActable(it, p, version, now); err != nil {
		return Item{}, err
	}
	until := now.Add(s.cfg.Lease)
	return s.change(ctx, p, it, "claimed", "", map[string]any{
		"claimed_by": p.User.ID, "claimed_by_name": p.User.DisplayName, "claim_expires_at": until,
	})
}

// Release gives up p's claim.
func (s *Service) Release(ctx context.Context, p *accounts.Principal, itemID string, version int) (Item, error) {
	it, err := s.load(ctx, p, itemID)
	if err != nil {
		return Item{}, err
	}
	now := s.now()
	if err := s.checkActable(it, p, version, now); err != nil {
		return Item{}, err
	}
	if it.ClaimedBy != p.User.ID || !s.claimLive(it, now) {
		return Item{}, apperr.Conflict("you do not hold a claim on this item")
	}
	return s.change(ctx, p, it, "released", "", map[string]any{"claimed_by": "", "claimed_by_name": "", "claim_expires_at": nil})
}

// checkActable refuses stale versions, closed items and others' live claims.
func (s *Service) checkActable(it Item, p *accounts.Principal, version int, now time.Time) error {
	switch {
	case it.Status != StatusPending:
		return apperr.Conflict("this item was already resolved (%s)", it.Resolution)
	case version != it.Version:
		return apperr.Conflict("this item changed since you loaded it: reload to see what happened")
	case s.claimLive(it, now) && it.ClaimedBy != p.User.ID:
		return apperr.Conflict("%s is working on this item until %s", it.ClaimedByName, it.ClaimExpiresAt.Format("15:04"))
	}
	return nil
}

// change applies updates to an item at its version, bumping the version,
// and logs why; a concurrent change makes it a conflict.
func (s *Service) change(ctx context.Context, p *accounts.Principal, it Item, action, why string, updates map[string]any) (Item, error) {
	updates["version"] = it.Version + 1
	updates["updated_at"] = s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Item{}).Where("tenant_id = ? AND id = ? AND version = ?", it.TenantID, it.ID, it.Version).Updates(updates)
		if res.Error != nil {
			return fmt.Errorf("%s item %s: %w", action, it.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict("this item changed since you loaded it: reload to see what happened")
		}
		return s.audit(tx, it.TenantID, p, action, it.ID, it.AuthorID, why, fmt.Sprintf("version %d", it.Version), fmt.Sprintf("version %d", it.Version+1))
	})
	if err != nil {
		return Item{}, err
	}
	var out Item
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", it.TenantID, it.ID).Take(&out).Error; err != nil {
		return Item{}, fmt.Errorf("reload item %s: %w", it.ID, err)
	}
	s.alert(ctx, it.TenantID, it.GroupID, it.conversation().Address(), out, "item_"+action)
	return out, nil
}

// Act resolves an item: approve (release a held message, dismiss flags),
// remove (tombstone the message for everyone, or drop it if held) or
// dismiss. The version makes sure two moderators never both act.
func (s *Service) Act(ctx context.Context, p *accounts.Principal, itemID string, version int, action, note string) (Item, error) {
	it, err := s.load(ctx, p, itemID)
	if err != nil {
		return Item{}, err
	}
	switch action {
	case ActionApprove, ActionRemove:
	case ActionDismiss:
		if it.Held || it.Appeal != "" {
			return Item{}, apperr.InvalidField("action", "a held message or an appeal must be approved or removed")
		}
	default:
		return Item{}, apperr.InvalidField("action", "must be approve, remove or dismiss")
	}
	note = strings.TrimSpace(note)
	if len(note) > 500 {
		return Item{}, apperr.InvalidField("note", "must be at most 500 characters")
	}
	if err := s.checkActable(it, p, version, s.now()); err != nil {
		return Item{}, err
	}
	if action == ActionRemove {
		if err := s.checkOutranks(ctx, p, it); err != nil {
			return Item{}, err
		}
	}
	now := s.now()
	resolved, err := s.change(ctx, p, it, action, note, map[string]any{
		"status": StatusResolved, "resolution": action, "resolution_note": note, "resolved_by": p.User.ID, "resolved_at": now,
		"claimed_by": "", "claimed_by_name": "", "claim_expires_at": nil, "burst_key": "",
	})
	if err != nil {
		return Item{}, err
	}
	if err := s.apply(ctx, p, it, action, note); err != nil {
		// The message did not change, so the item must not look resolved.
		return Item{}, errors.Join(err, s.reopen(ctx, resolved))
	}
	outcome := map[string]string{ActionApprove: "no action needed", ActionDismiss: "no action needed", ActionRemove: "removed"}[action]
	if it.Appeal != "" {
		outcome = map[string]string{ActionApprove: "restored after the author's appeal", ActionRemove: "removed"}[action]
	}
	if err := s.decided(ctx, it, action, outcome, now); err != nil {
		return Item{}, err
	}
	return resolved, nil
}

// apply does to the item's messages (the first and any repeats) what
// the action says.
func (s *Service) apply(ctx context.Context, p *accounts.Principal, it Item, action, note string) error {
	var errs []error
	for _, id := range append([]string{it.MessageID}, strings.Fields(it.RepeatIDs)...) {
		if err := s.applyTo(ctx, it, id, action, note); err != nil {
			errs = append(errs, fmt.Errorf("message %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Service) applyTo(ctx context.Context, it Item, messageID, action, note string) error {
	g := it.conversation()
	switch {
	case it.Appeal != "" && action == ActionApprove:
		// Appeal granted: the message comes back. Only the first message
		// of a burst carries its text here; repeats stay removed.
		if messageID != it.MessageID {
			return nil
		}
		return s.messages.Restore(ctx, it.TenantID, g, messageID, it.Excerpt)
	case it.Appeal != "":
		return nil // appeal refused: the removal stands
	case action == ActionApprove && it.Held:
		return s.messages.Release(ctx, it.TenantID, g, messageID)
	case action == ActionRemove && it.Held:
		return s.messages.Reject(ctx, it.TenantID, messageID)
	case action == ActionRemove:
		reason := "removed by a moderator"
		if note != "" {
			reason += ": " + note
		}
		err := s.messages.Remove(ctx, it.TenantID, g, messageID, reason)
		if apperr.CodeOf(err) == apperr.CodeConflict {
			return nil // already removed (by the author's deletion, say)
		}
		return err
	}
	return nil
}

// reopen puts an item back in the queue after its action failed.
func (s *Service) reopen(ctx context.Context, it Item) error {
	ctx = context.WithoutCancel(ctx)
	err := s.db.WithContext(ctx).Model(&Item{}).Where("tenant_id = ? AND id = ?", it.TenantID, it.ID).Updates(map[string]any{
		"status": StatusPending, "resolution": "", "resolution_note": "", "resolved_by": "", "resolved_at": nil,
		"version": it.Version + 1, "updated_at": s.now(),
	}).Error
	if err != nil {
		return fmt.Errorf("reopen item %s after its action failed: %w", it.ID, err)
	}
	return nil
}
