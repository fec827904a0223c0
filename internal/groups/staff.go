package groups

import (
	"context"
	"fmt"

	"quietroom/internal/accounts"
)

// Staff lists who acts as staff in a group p can see, by member id:
// "admin" for the community's admins, "moderator" for community
// moderators (not in closed groups, where they are not staff) and the
// group's assigned moderators. Rooms mark their names, so a member can
// tell the real moderator from a look-alike name.
func (s *Service) Staff(ctx context.Context, p *accounts.Principal, slug string) (map[string]string, error) {
	g, _, err := s.find(ctx, p, slug)
	if err != nil {
		return nil, err
	}
	var users []accounts.User
	if err := s.db.WithContext(ctx).Select("id", "roles").
		Where("tenant_id = ? AND (' ' || roles || ' ' LIKE '% admin %' OR ' ' || roles || ' ' LIKE '% moderator %')", p.Tenant.ID).
		Find(&users).Error; err != nil {
		return nil, fmt.Errorf("staff of %s: %w", slug, err)
	}
	out := map[string]string{}
	for _, u := range users {
		switch {
		case u.Roles().Has(accounts.RoleAdmin):
			out[u.ID] = "admin"
		case !closed(g):
			out[u.ID] = "moderator"
		}
	}
	var assigned []string
	if err := s.db.WithContext(ctx).Model(&Moderator{}).Where("tenant_id = ? AND group_id = ?", p.Tenant.ID, g.ID).
		Pluck("user_id", &assigned).Error; err != nil {
		return nil, fmt.Errorf("moderators of %s: %w", slug, err)
	}
	for _, id := range assigned {
		if out[id] == "" {
			out[id] = "moderator"
		}
	}
	return out, nil
}
