package mentoring

import (
	"context"
	"fmt"

	"quietroom/internal/accounts"
)

// Suggestion is a ranked candidate for a request, as a reviewer sees it.
type Suggestion struct {
	MentorID   string   `json:"mentor_id"`
	MentorName string   `json:"mentor_name"`
	Score      float64  `json:"score"`
	Reasons    []string `json:"reasons"`
}

// Suggestions ranks the mentors for one request, with reasons, for a
// reviewer looking into why a request waits.
func (s *Service) Suggestions(ctx context.Context, p *accounts.Principal, requestID string) ([]Suggestion, error) {
	if err := reviewer(p); err != nil {
		return nil, err
	}
	r, err := s.request(ctx, p.Tenant.ID, requestID)
	if err != nil {
		return nil, err
	}
	ex, err := s.excluded(ctx, r)
	if err != nil {
		return nil, err
	}
	cands, err := s.rank(ctx, r, ex, 10)
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, len(cands))
	for i, c := range cands {
		out[i] = Suggestion{MentorID: c.MentorID, Score: c.Score, Reasons: c.Reasons}
		if err := s.db.WithContext(ctx).Model(&MentorProfile{}).Select("display_name").Where("tenant_id = ? AND user_id = ?", p.Tenant.ID, c.MentorID).
			Scan(&out[i].MentorName).Error; err != nil {
			return nil, fmt.Errorf("mentor name: %w", err)
		}
	}
	return out, nil
}

// MatchAll offers every waiting request of the tenant now, the ones still
// inside their batch window included, all at once with the batch matcher
// (see offerBatch). It returns how many offers it made.
func (s *Service) MatchAll(ctx context.Context, p *accounts.Principal) (int, error) {
	if err := reviewer(p); err != nil {
		return 0, err
	}
	return s.offerBatch(ctx, p.Tenant.ID, true)
}
