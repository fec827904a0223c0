package moderation

import (
	"context"
	"fmt"

	"quietroom/internal/accounts"
	"quietroom/internal/store"
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
func (s *Service) DeleteUser(ctx context.Context, stx *store.Tx, t accounts.Tenant, userID string) error {
	tx := stx.ORM(ctx)
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
	// Entries the member wrote, in one statement however many: a flag
	// keeps its reason (the first word), an appeal keeps only that it
	// happened.
	firstWord := "split_part(why, ' ', 1)"
	if stx.Dialect == store.SQLite {
		firstWord = "CASE WHEN instr(why, ' ') > 0 THEN substr(why, 1, instr(why, ' ') - 1) ELSE why END"
	}
	if _, err := stx.Exec(ctx, `UPDATE moderation_audit SET actor_id = '', actor_name = ?,
		why = CASE action WHEN 'flagged' THEN `+firstWord+` WHEN 'appealed' THEN '' ELSE why END
		WHERE tenant_id = ? AND actor_id = ?`, FormerMember, t.ID, userID); err != nil {
		return fmt.Errorf("anonymise the log of a deleted member: %w", err)
	}
	// Entries about the member: the screener's record of their words goes.
	if _, err := stx.Exec(ctx, `UPDATE moderation_audit SET
		"after" = CASE WHEN actor_id = '' THEN '' ELSE "after" END, subject_id = ''
		WHERE tenant_id = ? AND subject_id = ?`, t.ID, userID); err != nil {
		return fmt.Errorf("anonymise the log of a deleted member: %w", err)
	}
	return nil
}
