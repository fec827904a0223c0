package groups

import (
	"context"
	"fmt"
)

// HasTeenReader reports whether a teen can read the group: a teen member
// (lurkers included: they read too) or a teen with an invitation.
// Moderation holds contact details in such groups.
func (s *Service) HasTeenReader(ctx context.Context, tenantID, groupID string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Raw(`
		SELECT COUNT(*) FROM (
			SELECT 1 FROM group_memberships m JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
			WHERE m.tenant_id = ? AND m.group_id = ? AND u.age_bracket = 'teen'
			UNION ALL
			SELECT 1 FROM group_invites i JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.user_id
			WHERE i.tenant_id = ? AND i.group_id = ? AND u.age_bracket = 'teen'
			LIMIT 1) t`, tenantID, groupID, tenantID, groupID).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("teen readers of group %s: %w", groupID, err)
	}
	return n > 0, nil
}
