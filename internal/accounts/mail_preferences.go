package accounts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// Kinds of notification mail a member switches on or off one by one.
// Account mails (reset, confirmation, a sign-up with your address) are
// always sent; a crisis notice is never mailed.
const (
	MailMentions     = "mentions"      // someone mentions you
	MailReplies      = "replies"       // someone replies to you
	MailMentoring    = "mentoring"     // an offer to mentor, its reminder, an accepted match
	MailFlagOutcomes = "flag_outcomes" // a flag you raised was decided
	MailPostReviews  = "post_reviews"  // a post of yours held for review was approved or removed
)

// MailKinds lists the notification mails, in the order settings show them.
var MailKinds = []string{MailMentions, MailReplies, MailMentoring, MailFlagOutcomes, MailPostReviews}

// mailDefaults: off by default, except mentoring, which people ask for.
var mailDefaults = map[string]bool{MailMentoring: true}

// WantsMail reports whether the member wants notification mails of kind.
func (p Preferences) WantsMail(kind string) bool {
	if v, ok := p.Email[kind]; ok {
		return v
	}
	return mailDefaults[kind]
}

// Location is the member's time zone for quiet hours (UTC when unset or
// unknown).
func (p Preferences) Location() *time.Location {
	if p.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// InQuietHours reports whether t falls in the member's quiet hours.
func (p Preferences) InQuietHours(t time.Time) bool {
	if p.QuietHoursStart == "" || p.QuietHoursEnd == "" {
		return false
	}
	start, err1 := time.Parse("15:04", p.QuietHoursStart)
	end, err2 := time.Parse("15:04", p.QuietHoursEnd)
	if err1 != nil || err2 != nil {
		return false
	}
	local := t.In(p.Location())
	m := local.Hour()*60 + local.Minute()
	s, e := start.Hour()*60+start.Minute(), end.Hour()*60+end.Minute()
	if s <= e {
		return m >= s && m < e
	}
	return m >= s || m < e // wraps past midnight
}

func checkMailPrefs(patch map[string]bool, tz *string, p *Preferences, bad apperr.Fields) {
	for kind, on := range patch {
		if !slices.Contains(MailKinds, kind) {
			bad.Add("preferences.email", fmt.Sprintf("%q is not a kind of mail: use %s", kind, strings.Join(MailKinds, ", ")))
			continue
		}
		if p.Email == nil {
			p.Email = map[string]bool{}
		}
		p.Email[kind] = on
	}
	if tz != nil {
		if _, err := time.LoadLocation(*tz); err != nil || *tz == "Local" || len(*tz) > 64 {
			bad.Add("preferences.time_zone", "must be a time zone such as Europe/London or America/Chicago")
		} else {
			p.TimeZone = *tz
		}
	}
}

// Unsubscribe links stay valid this long; they may be used again.
const unsubscribeTTL = 180 * 24 * time.Hour

const tokenUnsubscribe = "unsubscribe"

// IssueUnsubscribeToken makes the token of a mail's one-click unsubscribe
// link, which turns off the given kinds for the member. It is written in
// tx, the transaction that queues the mail.
func (s *Service) IssueUnsubscribeToken(ctx context.Context, tx *store.Tx, tenantID, userID string, kinds []string) (string, error) {
	token := store.NewToken(32)
	now := s.now()
	row := accountToken{ID: hashToken(token), TenantID: tenantID, UserID: userID, Purpose: tokenUnsubscribe,
		Email: strings.Join(kinds, ","), CreatedAt: now, ExpiresAt: now.Add(unsubscribeTTL)}
	if err := tx.ORM(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("store unsubscribe token: %w", err)
	}
	return token, nil
}

// Unsubscribe turns off the kinds of mail an unsubscribe token names and
// returns them. It may be used again (a mail client may POST twice).
func (s *Service) Unsubscribe(ctx context.Context, t *Tenant, token string) ([]string, error) {
	if len(token) != 64 {
		return nil, errInvalidToken
	}
	var row accountToken
	err := s.db.WithContext(ctx).Where("id = ? AND tenant_id = ? AND purpose = ?", hashToken(token), t.ID, tokenUnsubscribe).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !s.now().Before(row.ExpiresAt)) {
		return nil, errInvalidToken
	}
	if err != nil {
		return nil, fmt.Errorf("find unsubscribe token: %w", err)
	}
	kinds := strings.Split(row.Email, ",")
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("tenant_id = ? AND id = ?", t.ID, row.UserID).Take(&u).Error; err != nil {
			return err
		}
		prefs := u.Preferences()
		off := map[string]bool{}
		for _, k := range kinds {
			off[k] = false
		}
		checkMailPrefs(off, nil, &prefs, apperr.Fields{})
		encoded, err := encodePreferences(prefs)
		if err != nil {
			return err
		}
		return tx.Model(&User{}).Where("tenant_id = ? AND id = ?", t.ID, u.ID).Updates(map[string]any{"preferences": encoded, "updated_at": s.now()}).Error
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errInvalidToken
	}
	if err != nil {
		return nil, fmt.Errorf("unsubscribe: %w", err)
	}
	return kinds, nil
}

// MailRecipient returns a member and their community by ids, for the mail
// notifications, read through tx when it is not nil (a notice queued in
// its event's transaction); an absent member is not_found.
func (s *Service) MailRecipient(ctx context.Context, tx *store.Tx, tenantID, userID string) (*Tenant, *User, error) {
	db := s.db.WithContext(ctx)
	if tx != nil {
		db = tx.ORM(ctx)
	}
	var u User
	err := db.Where("tenant_id = ? AND id = ?", tenantID, userID).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, apperr.NotFound("member not found")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find member %s: %w", userID, err)
	}
	var t Tenant
	if err := db.Where("id = ?", tenantID).Take(&t).Error; err != nil {
		return nil, nil, fmt.Errorf("find tenant %s: %w", tenantID, err)
	}
	return &t, &u, nil
}
