package mentoring

import (
	"context"
	"fmt"

	"quietroom/internal/accounts"
	"quietroom/internal/store"
)

// ExportUser is what mentoring holds about a member.
func (s *Service) ExportUser(ctx context.Context, tenantID, userID string) (string, any, error) {
	db := s.db.WithContext(ctx)
	out := map[string]any{}
	var profiles []MentorProfile
	var requests []Request
	var ships []Mentorship
	var feedback []Feedback
	for _, q := range []struct {
		dst   any
		where string
		key   string
	}{
		{&profiles, "tenant_id = ? AND user_id = ?", "mentor_profile"},
		{&requests, "tenant_id = ? AND mentee_id = ?", "requests"},
		{&ships, "tenant_id = ? AND (mentor_id = ? OR mentee_id = ?)", "mentorships"},
		{&feedback, "tenant_id = ? AND author_id = ?", "feedback"},
	} {
		args := []any{tenantID, userID}
		if q.key == "mentorships" {
			args = append(args, userID)
		}
		if err := db.Where(q.where, args...).Find(q.dst).Error; err != nil {
			return "", nil, fmt.Errorf("export %s: %w", q.key, err)
		}
		out[q.key] = q.dst
	}
	return "mentoring", out, nil
}

// DeleteUser runs inside the account-deletion transaction: the member's
// application, requests, offers and feedback go; their mentorships end.
func (s *Service) DeleteUser(ctx context.Context, stx *store.Tx, t accounts.Tenant, userID string) error {
	tx := stx.ORM(ctx)
	now := s.now()
	steps := []struct {
		what string
		run  func() error
	}{
		{"mentor profile", func() error {
			return tx.Where("tenant_id = ? AND user_id = ?", t.ID, userID).Delete(&MentorProfile{}).Error
		}},
		{"requests waiting on them", func() error {
			return tx.Model(&Request{}).Where("tenant_id = ? AND status = ? AND id IN (?)", t.ID, RequestOffered,
				tx.Model(&Offer{}).Select("request_id").Where("tenant_id = ? AND mentor_id = ? AND status = ?", t.ID, userID, OfferPending)).
				Updates(map[string]any{"status": RequestWaiting, "updated_at": now}).Error
		}},
		{"offers", func() error {
			// Offers made to them, and offers on their own requests.
			return tx.Model(&Offer{}).Where("tenant_id = ? AND status = ? AND (mentor_id = ? OR request_id IN (?))", t.ID, OfferPending, userID,
				tx.Model(&Request{}).Select("id").Where("tenant_id = ? AND mentee_id = ?", t.ID, userID)).
				Updates(map[string]any{"status": OfferWithdrawn, "decided_at": now}).Error
		}},
		{"requests", func() error {
			return tx.Where("tenant_id = ? AND mentee_id = ?", t.ID, userID).Delete(&Request{}).Error
		}},
		{"feedback", func() error {
			return tx.Where("tenant_id = ? AND author_id = ?", t.ID, userID).Delete(&Feedback{}).Error
		}},
		{"mentorships", func() error {
			return tx.Model(&Mentorship{}).Where("tenant_id = ? AND (mentor_id = ? OR mentee_id = ?) AND status = ?", t.ID, userID, userID, MentorshipActive).
				Updates(map[string]any{"status": MentorshipEnded, "ended_at": now, "ended_by": userID, "end_reason": "account deleted"}).Error
		}},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			return fmt.Errorf("delete %s of a deleted member: %w", st.what, err)
		}
	}
	return nil
}
