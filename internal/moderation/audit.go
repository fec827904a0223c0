package moderation

import (
	"context"
	"fmt"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// maxAudit bounds one read of the log; page with before.
const maxAudit = 5000

// Audit returns the log, newest first, entries before the given time (zero
// for now). Only admins read it.
func (s *Service) Audit(ctx context.Context, p *accounts.Principal, before time.Time, limit int) ([]AuditEntry, error) {
	if !p.IsAdmin() {
		return nil, apperr.Forbidden("only admins read the moderation log")
	}
	if limit <= 0 || limit > maxAudit {
		limit = maxAudit
	}
	q := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID)
	if !before.IsZero() {
		q = q.Where("at < ?", before)
	}
	var es []AuditEntry
	if err := q.Order("at DESC, id DESC").Limit(limit).Find(&es).Error; err != nil {
		return nil, fmt.Errorf("moderation log: %w", err)
	}
	return es, nil
}
