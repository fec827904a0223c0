package mentoring

import (
	"context"
	"fmt"

	"quietroom/internal/mentoring/match"
)

// candidate is a mentor ranked for a request.
type candidate struct {
	MentorID string
	Score    float64
	Reasons  []string
}

// rank returns the best feasible mentors for a request, best first.
func (s *Service) rank(ctx context.Context, r Request, excluded map[string]bool, limit int) ([]candidate, error) {
	mentors, err := s.matchMentors(ctx, r.TenantID)
	if err != nil {
		return nil, err
	}
	set, err := s.settings(ctx, r.TenantID)
	if err != nil {
		return nil, err
	}
	return s.rankAmong(mentors, set.Weights, r, excluded, limit), nil
}

// rankAmong ranks already loaded mentors for a request.
func (s *Service) rankAmong(mentors []match.Mentor, w match.Weights, r Request, excluded map[string]bool, limit int) []candidate {
	req := toMatchRequest(r, excluded)
	sugg := match.Suggest(req, mentors, w, s.now(), limit)
	out := make([]candidate, len(sugg))
	for i, sg := range sugg {
		out[i] = candidate{MentorID: sg.MentorID, Score: float64(sg.Score), Reasons: sg.Reasons}
	}
	return out
}

// matchMentors loads the tenant's approved mentors with their load and
// the offers waiting on them, as the matcher sees them.
func (s *Service) matchMentors(ctx context.Context, tenantID string) ([]match.Mentor, error) {
	var profiles []MentorProfile
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND status = ?", tenantID, MentorApproved).Find(&profiles).Error; err != nil {
		return nil, fmt.Errorf("approved mentors: %w", err)
	}
	load, err := s.countBy(ctx, &Mentorship{}, "tenant_id = ? AND status = ?", tenantID, MentorshipActive)
	if err != nil {
		return nil, err
	}
	pending, err := s.countBy(ctx, &Offer{}, "tenant_id = ? AND status = ?", tenantID, OfferPending)
	if err != nil {
		return nil, err
	}
	resting, err := s.inAttack(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]match.Mentor, 0, len(profiles))
	for _, mp := range profiles {
		m := match.Mentor{
			ID: mp.UserID, Types: words(mp.Types), Treatments: words(mp.Treatments), Topics: words(mp.Topics), Languages: words(mp.Languages),
			YearsWithMigraine: mp.Years, UTCOffsetMinutes: mp.TZOffsetMinutes, Availability: week(mp.Availability),
			Capacity: mp.Capacity, Load: load[mp.UserID], PendingOffers: pending[mp.UserID],
			// A mentor in attack mode is matched as if paused.
			Age: match.AgeBracket(mp.AgeBracket), YouthApproved: mp.YouthApproved, Paused: mp.Paused || resting[mp.UserID],
			// Only trained mentors are matched: approval without the
			// training recorded is not yet enough.
			Approved: mp.TrainingCompletedAt != nil,
		}
		if mp.VettingExpiresAt != nil {
			m.VettingExpires = *mp.VettingExpiresAt
		}
		out = append(out, m)
	}
	return out, nil
}

// countBy counts rows per mentor_id.
func (s *Service) countBy(ctx context.Context, model any, where string, args ...any) (map[string]int, error) {
	var rows []struct {
		MentorID string
		N        int
	}
	if err := s.db.WithContext(ctx).Model(model).Select("mentor_id, COUNT(*) AS n").Where(where, args...).Group("mentor_id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count per mentor: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.MentorID] = r.N
	}
	return out, nil
}

func toMatchRequest(r Request, excluded map[string]bool) match.Request {
	req := match.Request{ID: r.ID, MenteeID: r.MenteeID, Types: words(r.Types), Treatments: words(r.Treatments),
		Topics: words(r.Topics), Languages: words(r.Languages), UTCOffsetMinutes: r.TZOffsetMinutes,
		Availability: week(r.Availability), SameType: match.Preference(r.SameType), Teen: r.Teen, WaitingSince: r.CreatedAt}
	for id := range excluded {
		req.Excluded = append(req.Excluded, id)
	}
	return req
}

// week reads the stored 168 characters of 0 and 1.
func week(s string) match.Week {
	var w match.Week
	for i := 0; i < len(s) && i < match.HoursPerWeek; i++ {
		if s[i] == '1' {
			w.Set(i)
		}
	}
	return w
}
