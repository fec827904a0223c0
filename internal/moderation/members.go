package moderation

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
)

// ExportUser is what moderation holds that a member gave: their flags.
func (s *Service) ExportUser(ctx context.Context, tenantID, userID string) (string, any, error) {
	var fs []Flag
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND reporter_id = ?", tenantID, userID).Order("created_at").Find(&fs).Error
	return "flags", fs, err
}

// DeleteUser runs inside the account-deletion transaction: the member's
// flags go, and queue items about their messages keep their outcome but
// lose the words and the name (the audit log keeps ids only).
func (s *Service) DeleteUser(ctx context.Context, tx *gorm.DB, t accounts.Tenant, userID string) error {
	tx = tx.WithContext(ctx)
	if err := tx.Where("tenant_id = ? AND reporter_id = ?", t.ID, userID).Delete(&Flag{}).Error; err != nil {
		return fmt.Errorf("delete flags of a deleted member: %w", err)
	}
	if err := tx.Model(&Item{}).Where("tenant_id = ? AND author_id = ?", t.ID, userID).
		Updates(map[string]any{"excerpt": "", "author_name": "former member", "matches": "[]"}).Error; err != nil {
		return fmt.Errorf("anonymise queue items of a deleted member: %w", err)
	}
	return nil
}
