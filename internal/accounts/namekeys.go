package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"gorm.io/gorm"

	"quietroom/internal/store"
	"quietroom/internal/textcheck"
)

// RekeyDisplayNames brings every stored display-name key up to the
// current textcheck.Key (run at start-up, after the migrations), so names
// made before look-alike folding collide with new look-alikes too. Two
// existing names that now fold together keep their old keys (neither is
// renamed behind its owner's back); that is logged. It returns how many
// keys changed.
func RekeyDisplayNames(ctx context.Context, db *store.DB, log *slog.Logger) (int, error) {
	var users []User
	if err := db.WithContext(ctx).Select("id", "tenant_id", "display_name", "display_name_key").Find(&users).Error; err != nil {
		return 0, fmt.Errorf("read display names: %w", err)
	}
	changed := 0
	for _, u := range users {
		key := textcheck.Key(u.DisplayName)
		if key == u.DisplayNameKey {
			continue
		}
		err := db.WithContext(ctx).Model(&User{}).Where("tenant_id = ? AND id = ?", u.TenantID, u.ID).Update("display_name_key", key).Error
		switch {
		case errors.Is(err, gorm.ErrDuplicatedKey):
			log.Warn("two display names now look alike; both are kept as they are", "tenant", u.TenantID, "user", u.ID)
		case err != nil:
			return changed, fmt.Errorf("rekey display name of %s: %w", u.ID, err)
		default:
			changed++
		}
	}
	return changed, nil
}
