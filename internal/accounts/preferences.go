package accounts

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"quietroom/internal/apperr"
)

// Preferences are how a member wants the app to look and behave. The
// defaults are the calm ones: dim theme chosen by the device, no motion, no
// sound, no notifications.
type Preferences struct {
	// Theme is ThemeAuto (follow the device), or a fixed theme.
	Theme string `json:"theme"`
	// TextSize is a percentage of the base size.
	TextSize      int  `json:"text_size"`
	Motion        bool `json:"motion"`
	Sound         bool `json:"sound"`
	Notifications bool `json:"notifications"`
	// Quiet hours silence sound and notifications, in the member's local
	// time; "HH:MM", may wrap past midnight. Both empty: none.
	QuietHoursStart string `json:"quiet_hours_start"`
	QuietHoursEnd   string `json:"quiet_hours_end"`
	// TimeZone places quiet hours for mail (IANA name; empty is UTC).
	TimeZone string `json:"time_zone"`
	// Email switches notification mails on or off by kind (MailKinds);
	// an absent kind has its default.
	Email map[string]bool `json:"email,omitempty"`
	// AttackMinutes is how long attack mode lasts when turned on without
	// a duration (one of AttackDurations; 0: until turned off).
	AttackMinutes int `json:"attack_minutes"`
}

// Themes a member may choose.
const (
	ThemeAuto        = "auto"
	ThemeDark        = "dark"
	ThemeLight       = "light"
	ThemeLowContrast = "low-contrast"
)

var (
	Themes    = []string{ThemeAuto, ThemeDark, ThemeLight, ThemeLowContrast}
	TextSizes = []int{100, 115, 130, 150}
	// AttackDurations are the attack-mode lengths settings offer, in
	// minutes; 0 is until turned off.
	AttackDurations = []int{60, 120, 240, 480, 720, 1440, 0}
)

// DefaultPreferences are what a new member gets.
func DefaultPreferences() Preferences {
	return Preferences{Theme: ThemeAuto, TextSize: 100, QuietHoursStart: "22:00", QuietHoursEnd: "08:00", AttackMinutes: DefaultAttackMinutes}
}

// PreferencesPatch changes some preferences; absent fields stay.
type PreferencesPatch struct {
	Theme           *string `json:"theme"`
	TextSize        *int    `json:"text_size"`
	Motion          *bool   `json:"motion"`
	Sound           *bool   `json:"sound"`
	Notifications   *bool   `json:"notifications"`
	QuietHoursStart *string `json:"quiet_hours_start"`
	QuietHoursEnd   *string `json:"quiet_hours_end"`
	TimeZone        *string `json:"time_zone"`
	// Email changes the named kinds of notification mail only.
	Email         map[string]bool `json:"email"`
	AttackMinutes *int            `json:"attack_minutes"`
}

// Preferences reads the stored preferences; anything unreadable or missing
// falls back to the default, so an old row never breaks a page.
func (u User) Preferences() Preferences {
	p := DefaultPreferences()
	if u.PreferencesJSON != "" {
		_ = json.Unmarshal([]byte(u.PreferencesJSON), &p)
	}
	if !slices.Contains(Themes, p.Theme) {
		p.Theme = ThemeAuto
	}
	if !slices.Contains(TextSizes, p.TextSize) {
		p.TextSize = 100
	}
	if !slices.Contains(AttackDurations, p.AttackMinutes) {
		p.AttackMinutes = DefaultAttackMinutes
	}
	return p
}

// apply checks the patch and returns the resulting preferences.
func (in PreferencesPatch) apply(p Preferences, bad apperr.Fields) Preferences {
	if in.Theme != nil {
		if slices.Contains(Themes, *in.Theme) {
			p.Theme = *in.Theme
		} else {
			bad.Add("preferences.theme", "must be one of auto, dark, light, low-contrast")
		}
	}
	if in.TextSize != nil {
		if slices.Contains(TextSizes, *in.TextSize) {
			p.TextSize = *in.TextSize
		} else {
			bad.Add("preferences.text_size", "must be 100, 115, 130 or 150")
		}
	}
	if in.AttackMinutes != nil {
		if slices.Contains(AttackDurations, *in.AttackMinutes) {
			p.AttackMinutes = *in.AttackMinutes
		} else {
			bad.Add("preferences.attack_minutes", "must be 60, 120, 240, 480, 720, 1440, or 0 for until you turn it off")
		}
	}
	for _, b := range []struct {
		in  *bool
		out *bool
	}{{in.Motion, &p.Motion}, {in.Sound, &p.Sound}, {in.Notifications, &p.Notifications}} {
		if b.in != nil {
			*b.out = *b.in
		}
	}
	if in.QuietHoursStart != nil {
		p.QuietHoursStart = *in.QuietHoursStart
	}
	if in.QuietHoursEnd != nil {
		p.QuietHoursEnd = *in.QuietHoursEnd
	}
	for field, v := range map[string]string{"preferences.quiet_hours_start": p.QuietHoursStart, "preferences.quiet_hours_end": p.QuietHoursEnd} {
		if v == "" {
			continue
		}
		if _, err := time.Parse("15:04", v); err != nil || len(v) != 5 {
			bad.Add(field, "must be a time like 22:00, or empty")
		}
	}
	checkMailPrefs(in.Email, in.TimeZone, &p, bad)
	if (p.QuietHoursStart == "") != (p.QuietHoursEnd == "") {
		bad.Add("preferences.quiet_hours_end", "give both the start and the end of quiet hours, or neither")
	}
	return p
}

func encodePreferences(p Preferences) (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("encode preferences: %w", err)
	}
	return string(b), nil
}
