package moderation

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
)

// ExportUser is what moderation holds that a member gave: their flags.
func (s *Service) ExportUser(ctx context.Context, tenantID, userID string) (string, any, error) {
	var fs []Flag
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND reporter_id = ?", tenantID, userID).Order("created_at").Find(&fs).Error
	return "flags", fs, err
}

// FormerMember is how a deleted member appears wherever their actions stay
// on record.
const FormerMember = "former member"

// DeleteUser runs inside the account-deletion transaction: the member's
// flags go; queue items about their messages keep their outcome but lose
// the words and the name; the moderation log keeps every action but the
// member becomes "former member", and what they wrote there (flag notes,
// appeal words, the screened text of their messages) goes.
func (s *Service) DeleteUser(ctx context.Context, tx *gorm.DB, t accounts.Tenant, userID string) error {
	tx = tx.WithContext(ctx)
	if err := tx.Where("tenant_id = ? AND reporter_id = ?", t.ID, userID).Delete(&Flag{}).Error; err != nil {
		return fmt.Errorf("delete flags of a deleted member: %w", err)
	}
	if err := tx.Model(&Item{}).Where("tenant_id = ? AND author_id = ?", t.ID, userID).
		Updates(map[string]any{"excerpt": "", "author_name": FormerMember, "matches": "[]", "appeal": ""}).Error; err != nil {
		return fmt.Errorf("anonymise queue items of a deleted member: %w", err)
	}
	if err := tx.Model(&Item{}).Where("tenant_id = ? AND claimed_by = ?", t.ID, userID).
		Updates(map[string]any{"claimed_by": "", "claimed_by_name": "", "claim_expires_at": nil}).Error; err != nil {
		return fmt.Errorf("release claims of a deleted member: %w", err)
	}
	// Entries the member wrote: a flag keeps its reason (the first word),
	// an appeal keeps only that it happened.
	var own []AuditEntry
	if err := tx.Where("tenant_id = ? AND actor_id = ?", t.ID, userID).Find(&own).Error; err != nil {
		return fmt.Errorf("read the log entries of a deleted member: %w", err)
	}
	for _, e := range own {
		why := e.Why
		switch e.Action {
		case "flagged":
			why, _, _ = strings.Cut(why, " ")
		case "appealed":
			why = ""
		}
		if err := tx.Model(&AuditEntry{}).Where("tenant_id = ? AND id = ?", t.ID, e.ID).
			Updates(map[string]any{"actor_id": "", "actor_name": FormerMember, "why": why}).Error; err != nil {
			return fmt.Errorf("anonymise the log of a deleted member: %w", err)
		}
	}
	// Entries about the member: the screener's record of their words goes.
	if err := tx.Model(&AuditEntry{}).Where("tenant_id = ? AND subject_id = ? AND actor_id = ''", t.ID, userID).
		Updates(map[string]any{"after": ""}).Error; err != nil {
		return fmt.Errorf("forget screened text of a deleted member: %w", err)
	}
	if err := tx.Model(&AuditEntry{}).Where("tenant_id = ? AND subject_id = ?", t.ID, userID).
		Update("subject_id", "").Error; err != nil {
		return fmt.Errorf("anonymise the log of a deleted member: %w", err)
	}
	return nil
}
