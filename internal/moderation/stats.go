package moderation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"quietroom/internal/accounts"
)

// Stats is the state of a tenant's moderation, for the queue's charts.
type Stats struct {
	// PendingByReason counts waiting items per reason (an item with two
	// reasons counts under both).
	PendingByReason map[string]int `json:"pending_by_reason"`
	Pending         int            `json:"pending"`
	// OldestPendingSeconds is how long the oldest waiting item has waited.
	OldestPendingSeconds int64 `json:"oldest_pending_seconds"`
	// MedianFirstActionSeconds: over items opened in the last 7 days, the
	// median time from opening to a moderator's first claim or decision.
	MedianFirstActionSeconds int64 `json:"median_first_action_seconds"`
	// ActionsByType counts moderators' actions in the last 7 days.
	ActionsByType map[string]int `json:"actions_by_type"`
	// Hidden counts the waiting items in the viewer's scope that their
	// queue leaves out, and why; Pending and PendingByReason count only
	// what the queue lists.
	Hidden HiddenCounts `json:"hidden"`
}

// HiddenCounts are the waiting items a moderator may not decide.
type HiddenCounts struct {
	Total int `json:"total"`
	// InvolveYou: about your own messages, flagged by you, or an appeal
	// against your removal; another moderator must decide.
	InvolveYou int `json:"involve_you"`
	// Escalated: sent to the admins (by a moderator, or because every
	// moderator who could decide was involved).
	Escalated int `json:"escalated"`
	// NoOneElse: of the hidden items, those nobody at all may decide now.
	NoOneElse int `json:"no_one_else"`
}

// Stats summarises the queue p can see.
func (s *Service) Stats(ctx context.Context, p *accounts.Principal) (Stats, error) {
	sc, err := s.scopeOf(ctx, p)
	if err != nil {
		return Stats{}, err
	}
	now := s.now()
	since := now.Add(-7 * 24 * time.Hour)
	q := s.db.WithContext(ctx).Where("tenant_id = ? AND (status = ? OR created_at >= ?)", p.Tenant.ID, StatusPending, since)
	if !sc.all {
		q = q.Where("group_id IN ?", sc.groups)
	}
	var items []Item
	if err := q.Find(&items).Error; err != nil {
		return Stats{}, fmt.Errorf("moderation stats: %w", err)
	}
	r, err := s.reviewersOf(ctx, s.db.DB, p.Tenant.ID, items)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{PendingByReason: map[string]int{}, ActionsByType: map[string]int{}}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID)
		if it.Status != StatusPending {
			continue
		}
		if why := r.whyHidden(it, p); why != "" {
			st.Hidden.Total++
			if why == HiddenEscalated {
				st.Hidden.Escalated++
			} else {
				st.Hidden.InvolveYou++
			}
			if len(r.eligible(it)) == 0 {
				st.Hidden.NoOneElse++
			}
			continue
		}
		st.Pending++
		st.OldestPendingSeconds = max(st.OldestPendingSeconds, int64(now.Sub(it.CreatedAt).Seconds()))
		for _, r := range s.entry(it, p, now).Reasons {
			st.PendingByReason[r]++
		}
	}
	// First moderator action per item, from the log.
	var firsts []struct {
		ItemID string
		First  time.Time
	}
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Model(&AuditEntry{}).Select("item_id, MIN(at) AS first").
			Where("tenant_id = ? AND item_id IN ? AND actor_id <> '' AND action IN ?", p.Tenant.ID, ids,
				[]string{"claimed", ActionApprove, ActionRemove, ActionDismiss}).
			Group("item_id").Scan(&firsts).Error; err != nil {
			return Stats{}, fmt.Errorf("first actions: %w", err)
		}
	}
	opened := map[string]time.Time{}
	for _, it := range items {
		opened[it.ID] = it.CreatedAt
	}
	var waits []int64
	for _, f := range firsts {
		if at, ok := opened[f.ItemID]; ok && !at.Before(since) {
			waits = append(waits, int64(f.First.Sub(at).Seconds()))
		}
	}
	if len(waits) > 0 {
		slices.Sort(waits)
		st.MedianFirstActionSeconds = waits[len(waits)/2]
	}
	var actions []struct {
		Action string
		N      int
	}
	aq := s.db.WithContext(ctx).Model(&AuditEntry{}).Select("action, COUNT(*) AS n").
		Where("tenant_id = ? AND at >= ? AND actor_id <> ''", p.Tenant.ID, since)
	if !sc.all {
		aq = aq.Where("item_id IN ?", append(ids, ""))
	}
	if err := aq.Group("action").Scan(&actions).Error; err != nil {
		return Stats{}, fmt.Errorf("actions by type: %w", err)
	}
	for _, a := range actions {
		if !strings.HasPrefix(a.Action, "rule_") {
			st.ActionsByType[a.Action] = a.N
		}
	}
	return st, nil
}
