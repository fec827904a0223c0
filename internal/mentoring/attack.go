package mentoring

import (
	"context"

	"quietroom/internal/accounts"
)

// A mentor in attack mode is matched as if paused (matchMentors), and the
// offers waiting on them pass on at once, as a pause's do. Nothing is
// asked of them until it ends; when it does, they are a candidate again.

const whyResting = "mentor unavailable for now"

// AttackModeChanged passes on the offers waiting on a member who turned
// attack mode on, or looks again for mentors when it ends (they may take
// waiting requests). accounts calls it through its AttackModeChanged hook,
// after the change is stored.
func (s *Service) AttackModeChanged(ctx context.Context, tenantID, userID string, mode accounts.AttackMode) {
	if !mode.On {
		s.kick(ctx, tenantID)
		return
	}
	if err := s.withdrawOffers(ctx, tenantID, []string{userID}, whyResting); err != nil && ctx.Err() == nil {
		// Tick passes them on within the minute (withdrawFromResting).
		s.log.Warn("pass on the offers of a mentor in attack mode", "tenant", tenantID, "err", err)
	}
}

// inAttack returns the tenant's members in attack mode (none without a
// Resting).
func (s *Service) inAttack(ctx context.Context, tenantID string) (map[string]bool, error) {
	if s.resting == nil {
		return nil, nil
	}
	return s.resting.InAttack(ctx, tenantID)
}

// withdrawFromResting passes on any offer still waiting on a mentor in
// attack mode: one made by another instance in the moment the mentor
// turned it on. Tick calls it.
func (s *Service) withdrawFromResting(ctx context.Context) error {
	if s.resting == nil {
		return nil
	}
	var tenants []string
	if err := s.db.WithContext(ctx).Model(&Offer{}).Where("status = ?", OfferPending).Distinct().Pluck("tenant_id", &tenants).Error; err != nil {
		return err
	}
	for _, t := range tenants {
		resting, err := s.resting.InAttack(ctx, t)
		if err != nil {
			return err
		}
		if len(resting) == 0 {
			continue
		}
		ids := make([]string, 0, len(resting))
		for id := range resting {
			ids = append(ids, id)
		}
		if err := s.withdrawOffers(ctx, t, ids, whyResting); err != nil {
			return err
		}
	}
	return nil
}
