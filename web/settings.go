package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/httpx"
	"quietroom/internal/moderation"
)

// settingsOptions are the choices the settings form offers, and the
// member's flags with their outcomes.
type settingsOptions struct {
	Themes          []option
	TextSizes       []option
	AttackDurations []option
	Flags           []moderation.Flag
	Removals        []moderation.Item
	// Devices are the member's signed-in sessions (settings_security.go).
	Devices   []accounts.Device
	MailKinds []struct{ Key, Label, Hint string }
}

type option struct{ Value, Label string }

var (
	themeOptions = []option{
		{accounts.ThemeAuto, "Follow my device"}, {accounts.ThemeDark, "Dim dark"},
		{accounts.ThemeLight, "Light"}, {accounts.ThemeLowContrast, "Low contrast"},
	}
	textSizeOptions = []option{{"100", "Standard"}, {"115", "Large"}, {"130", "Larger"}, {"150", "Largest"}}
	// attackDurations are accounts.AttackDurations in words.
	attackDurations = []option{{"60", "1 hour"}, {"120", "2 hours"}, {"240", "4 hours"}, {"480", "8 hours"},
		{"720", "12 hours"}, {"1440", "24 hours"}, {"0", "Never: I turn it off myself"}}
)

// Settings shows the member's display name and preferences.
func (h *Handler) Settings(c *gin.Context) {
	if signedIn(c) == nil {
		return
	}
	h.renderSettings(c, http.StatusOK, newView(c, "Settings", "settings"))
}

// SaveSettings stores the display name and preferences in one update.
func (h *Handler) SaveSettings(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	display, theme := c.PostForm("display_name"), c.PostForm("theme")
	textSize, err := strconv.Atoi(c.PostForm("text_size"))
	if err != nil {
		textSize = -1 // refused below with the field named
	}
	on := func(field string) *bool { b := c.PostForm(field) == "on"; return &b }
	var attackMinutes *int
	if v := c.PostForm("attack_minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1 // refused below with the field named
		}
		attackMinutes = &n
	}
	start, end := c.PostForm("quiet_hours_start"), c.PostForm("quiet_hours_end")
	timeZone := strings.TrimSpace(c.PostForm("time_zone"))
	in := accounts.ProfileUpdate{
		DisplayName: &display,
		Preferences: &accounts.PreferencesPatch{
			Theme: &theme, TextSize: &textSize, Motion: on("motion"), Sound: on("sound"),
			Notifications: on("notifications"), QuietHoursStart: &start, QuietHoursEnd: &end,
			TimeZone: &timeZone, Email: map[string]bool{}, AttackMinutes: attackMinutes,
		},
	}
	for _, k := range mailKinds {
		in.Preferences.Email[k.Key] = c.PostForm("email_"+k.Key) == "on"
	}
	if _, err := h.accounts.UpdateProfile(c.Request.Context(), p, in); err != nil {
		v := newView(c, "Settings", "settings")
		v.Values = map[string]string{"display_name": display, "time_zone": timeZone}
		rename := map[string]string{
			"preferences.theme": "theme", "preferences.text_size": "text_size",
			"preferences.quiet_hours_start": "quiet_hours_start", "preferences.quiet_hours_end": "quiet_hours_end",
			"preferences.time_zone": "time_zone", "preferences.email": "email_mentions", "preferences.attack_minutes": "attack_minutes",
		}
		if !h.formFailed(c, err, &v, rename) {
			return
		}
		h.renderSettings(c, statusOf(err), v)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/settings?notice=settings-saved")
}

// DeleteAccount deletes the member after they type their password again.
func (h *Handler) DeleteAccount(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if err := h.accounts.DeleteAccount(c.Request.Context(), p, c.PostForm("password"), clientOf(c)); err != nil {
		v := newView(c, "Settings", "settings")
		if !h.formFailed(c, err, &v, map[string]string{"password": "delete_password"}) {
			return
		}
		h.renderSettings(c, statusOf(err), v)
		return
	}
	accounts.ClearSessionCookie(c, tenantOf(c))
	c.Redirect(http.StatusSeeOther, base(c)+"?notice=account-deleted")
}

// renderSettings shows the settings page with the member's flags and
// removed messages, whether the page is fresh or a form failed.
func (h *Handler) renderSettings(c *gin.Context, status int, v view) {
	ctx, p := c.Request.Context(), accounts.PrincipalFrom(c.Request.Context())
	flags, err := h.moderation.MyFlags(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	removals, err := h.moderation.MyRemovals(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	devices, err := h.accounts.Devices(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v.Data = settingsOptions{Themes: themeOptions, TextSizes: textSizeOptions, AttackDurations: attackDurations, Flags: flags, Removals: removals, Devices: devices, MailKinds: mailKinds}
	h.pages.render(c, status, "settings", v)
}

// mailKinds are the notification mails settings offer, with their labels.
var mailKinds = []struct{ Key, Label, Hint string }{
	{accounts.MailMentions, "Someone mentions me", ""},
	{accounts.MailReplies, "Someone replies to me", ""},
	{accounts.MailMentoring, "Mentoring", "an offer to mentor and its reminder, a mentor accepting your request"},
	{accounts.MailFlagOutcomes, "A flag I raised is decided", ""},
	{accounts.MailPostReviews, "A post of mine held for review is approved or not", ""},
}

func mailKindLabel(key string) string {
	for _, k := range mailKinds {
		if k.Key == key {
			return k.Label
		}
	}
	return key
}
