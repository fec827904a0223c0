package mentoring

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/mentoring/match"
	"quietroom/internal/store"
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

// MatchAll offers every waiting request of the tenant at once, with the
// batch matcher: the most mentees matched, then the best total fit, under
// every mentor's remaining capacity. It returns how many offers it made.
func (s *Service) MatchAll(ctx context.Context, p *accounts.Principal) (int, error) {
	if err := reviewer(p); err != nil {
		return 0, err
	}
	s.matchMu.Lock()
	defer s.matchMu.Unlock()
	var waiting []Request
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND status = ?", p.Tenant.ID, RequestWaiting).Order("created_at").Find(&waiting).Error; err != nil {
		return 0, fmt.Errorf("waiting requests: %w", err)
	}
	if len(waiting) == 0 {
		return 0, nil
	}
	mentors, err := s.matchMentors(ctx, p.Tenant.ID)
	if err != nil {
		return 0, err
	}
	// Offers already waiting on a mentor take up their room in the batch.
	for i := range mentors {
		mentors[i].Load += mentors[i].PendingOffers
	}
	reqs := make([]match.Request, len(waiting))
	byID := map[string]Request{}
	for i, r := range waiting {
		ex, err := s.excluded(ctx, r)
		if err != nil {
			return 0, err
		}
		reqs[i] = toMatchRequest(r, ex)
		byID[r.ID] = r
	}
	set, err := s.settings(ctx, p.Tenant.ID)
	if err != nil {
		return 0, err
	}
	res := match.AssignBatch(reqs, mentors, set.Weights, s.now())
	now := s.now()
	made := 0
	for _, pair := range res.Pairs {
		r := byID[pair.RequestID]
		o := Offer{ID: store.NewID(), TenantID: r.TenantID, RequestID: r.ID, MentorID: pair.MentorID, Status: OfferPending,
			Score: float64(pair.Score), Reasons: strings.Join(pair.Reasons, "\n"), Deadline: now.Add(time.Duration(set.OfferHours) * time.Hour), CreatedAt: now}
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Model(&Request{}).Where("tenant_id = ? AND id = ? AND status = ?", r.TenantID, r.ID, RequestWaiting).
				Updates(map[string]any{"status": RequestOffered, "updated_at": now})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			made++
			return tx.Create(&o).Error
		})
		if err != nil {
			return made, fmt.Errorf("batch offer for %s: %w", r.ID, err)
		}
		s.notify(ctx, r.TenantID, o.MentorID, "mentor_offer", "Someone newly finding their way with migraine would like a mentor. Your inbox shows how long you have to answer.")
	}
	return made, nil
}
