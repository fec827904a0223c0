package moderation

import (
	"context"
	"fmt"
	"slices"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// rankIn places a member in the role order within a group (see
// accounts.Rank). A deleted member ranks as a member.
func (s *Service) rankIn(ctx context.Context, tenantID, groupID, userID string) (accounts.Rank, error) {
	var u accounts.User
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", tenantID, userID).Limit(1).Find(&u).Error; err != nil {
		return 0, fmt.Errorf("rank of %s: %w", userID, err)
	}
	moderates := false
	if u.ID != "" && groupID != "" && !u.Roles().Has(accounts.RoleAdmin) && !u.Roles().Has(accounts.RoleModerator) {
		ids, err := s.groups.ModeratorIDs(ctx, tenantID, groupID)
		if err != nil {
			return 0, err
		}
		moderates = slices.Contains(ids, userID)
	}
	return accounts.RankOf(u.Roles(), moderates), nil
}

// checkOutranks refuses an action of p on the author of it when the
// author stands higher in the role order than p: moderators never act up
// it (they escalate instead).
func (s *Service) checkOutranks(ctx context.Context, p *accounts.Principal, it Item) error {
	if it.AuthorID == "" || it.AuthorID == p.User.ID {
		return nil
	}
	author, err := s.rankIn(ctx, it.TenantID, it.GroupID, it.AuthorID)
	if err != nil {
		return err
	}
	actor, err := s.rankIn(ctx, it.TenantID, it.GroupID, p.User.ID)
	if err != nil {
		return err
	}
	if author > actor {
		return apperr.Forbidden("the author is %s, above you as %s: escalate the item instead", author, actor)
	}
	return nil
}
