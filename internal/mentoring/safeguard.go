package mentoring

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// A mentor who may no longer mentor teens (their youth approval was
// revoked, their approval withdrawn, or their vetting expired) keeps no
// teen: their pending teen offers pass to the next candidate, and each of
// their active teen mentorships ends and is handed over (a new request,
// with the same details, looks for another mentor). The teen, the mentor
// and the community's moderators are told.

// youthAllowed reports whether mp may mentor teens at now.
func youthAllowed(mp MentorProfile, now time.Time) bool {
	return mp.Status == MentorApproved && mp.YouthApproved && mp.VettingExpiresAt != nil && now.Before(*mp.VettingExpiresAt)
}

// safeguardMentor applies the rule above to one mentor, if it applies; why
// is said to the people told ("your vetting has expired").
func (s *Service) safeguardMentor(ctx context.Context, tenantID, mentorID, why string) error {
	mp, err := s.profile(ctx, tenantID, mentorID)
	if err != nil {
		return err
	}
	now := s.now()
	if youthAllowed(mp, now) {
		return nil
	}
	// Pending offers of teen requests pass on.
	var offers []Offer
	if err := s.db.WithContext(ctx).Table("mentor_offers o").Select("o.*").
		Joins("JOIN mentee_requests r ON r.tenant_id = o.tenant_id AND r.id = o.request_id").
		Where("o.tenant_id = ? AND o.mentor_id = ? AND o.status = ? AND r.teen = ?", tenantID, mentorID, OfferPending, true).
		Find(&offers).Error; err != nil {
		return fmt.Errorf("teen offers of mentor %s: %w", mentorID, err)
	}
	for _, o := range offers {
		if err := s.closeOffer(ctx, o, OfferWithdrawn, why); err != nil && apperr.CodeOf(err) != apperr.CodeConflict {
			return err
		}
	}
	// Active teen mentorships end and are handed over.
	var ships []Mentorship
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND mentor_id = ? AND status = ? AND teen = ?", tenantID, mentorID, MentorshipActive, true).
		Find(&ships).Error; err != nil {
		return fmt.Errorf("teen mentorships of mentor %s: %w", mentorID, err)
	}
	handed := 0
	for _, m := range ships {
		ok, err := s.handOver(ctx, m, why)
		if err != nil {
			return err
		}
		if ok {
			handed++
		}
	}
	if handed > 0 {
		s.notify(ctx, tenantID, mentorID, "mentorships_handed_over",
			fmt.Sprintf("You can no longer mentor teens here (%s), so your %d mentorship(s) with teens ended and were handed to other mentors. Thank you for your time with them.", why, handed))
		staff, err := s.staffIDs(ctx, tenantID)
		if err != nil {
			return err
		}
		for _, id := range staff {
			if id != mentorID {
				s.notify(ctx, tenantID, id, "mentorships_handed_over",
					fmt.Sprintf("%d teen mentorship(s) of a mentor who can no longer mentor teens (%s) ended and were handed over to other mentors.", handed, why))
			}
		}
	}
	if len(offers) > 0 || handed > 0 {
		s.kick(ctx, tenantID)
	}
	return nil
}

// handOver ends a teen mentorship and opens a new request with the same
// details for the teen.
func (s *Service) handOver(ctx context.Context, m Mentorship, why string) (bool, error) {
	now := s.now()
	old, err := s.request(ctx, m.TenantID, m.RequestID)
	if err != nil {
		return false, err
	}
	ended := false
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Mentorship{}).Where("tenant_id = ? AND id = ? AND status = ?", m.TenantID, m.ID, MentorshipActive).
			Updates(map[string]any{"status": MentorshipEnded, "ended_at": now, "ended_by": "", "end_reason": "handed over: " + why})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		ended = true
		r := old
		r.ID, r.Status, r.CreatedAt, r.UpdatedAt = store.NewID(), RequestWaiting, now, now
		return tx.Create(&r).Error
	})
	if err != nil {
		return false, fmt.Errorf("hand over mentorship %s: %w", m.ID, err)
	}
	if !ended {
		return false, nil
	}
	s.accessChanged(ctx, m.TenantID, m.ID)
	s.notify(ctx, m.TenantID, m.MenteeID, "mentorship_handed_over",
		"Your mentor can no longer mentor here for now, so this mentorship has ended. Nothing you did caused this. We are looking for another mentor for you, and your conversation stays readable.")
	return true, nil
}

// staffIDs lists the community's admins and moderators.
func (s *Service) staffIDs(ctx context.Context, tenantID string) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`SELECT id FROM users WHERE tenant_id = ? AND (' ' || roles || ' ' LIKE '% admin %' OR ' ' || roles || ' ' LIKE '% moderator %')`, tenantID).
		Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("moderators: %w", err)
	}
	return ids, nil
}

// safeguardExpired applies the rule to every mentor whose vetting has
// expired and who still holds a teen offer or mentorship; Tick calls it.
func (s *Service) safeguardExpired(ctx context.Context) error {
	now := s.now()
	var rows []struct {
		TenantID string
		UserID   string
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT p.tenant_id, p.user_id FROM mentor_profiles p
		WHERE (p.vetting_expires_at IS NULL OR p.vetting_expires_at <= ? OR p.youth_approved = ? OR p.status <> ?)
		AND (EXISTS (SELECT 1 FROM mentorships m WHERE m.tenant_id = p.tenant_id AND m.mentor_id = p.user_id AND m.status = ? AND m.teen = ?)
		  OR EXISTS (SELECT 1 FROM mentor_offers o JOIN mentee_requests r ON r.tenant_id = o.tenant_id AND r.id = o.request_id
		             WHERE o.tenant_id = p.tenant_id AND o.mentor_id = p.user_id AND o.status = ? AND r.teen = ?))
		LIMIT 500`, now, false, MentorApproved, MentorshipActive, true, OfferPending, true).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("mentors whose vetting expired: %w", err)
	}
	for _, r := range rows {
		if err := s.safeguardMentor(ctx, r.TenantID, r.UserID, "youth vetting expired"); err != nil {
			return err
		}
	}
	return nil
}
