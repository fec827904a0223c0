package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/library"
	"quietroom/internal/moderation"
)

// pageCSP allows the app's own scripts, styles and sockets, nothing inline
// and nothing from elsewhere.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// pageNames are the templates under templates/, each rendered inside layout.html.
var pageNames = []string{"error", "index", "home", "signup", "signin", "groups", "room", "settings", "library", "article", "resources", "queue", "case", "rules", "audit",
	"mentoring", "mentoring-request", "mentoring-mentor", "mentoring-offers", "mentoring-review", "mentoring-conversation",
	"forgot", "reset", "confirm", "unsubscribe", "members"}

// renderer holds one parsed template set per page.
type renderer struct {
	pages   map[string]*template.Template
	version string // changes whenever a static file does: part of every static URL
	// now is the service's clock, placing the member's attack mode.
	now func() time.Time
}

func newRenderer(version string, now func() time.Time) (*renderer, error) {
	funcs := template.FuncMap{
		"static":   func(path string) string { return "/static/" + version + "/" + strings.TrimPrefix(path, "/") },
		"label":    diagnosisLabel,
		"lines":    nonEmptyLines,
		"sentence": sentence,
		"waited":   waited,
		"flagReason": func(key string) string {
			for _, r := range moderation.FlagReasons() {
				if r.Key == key {
					return r.Label
				}
			}
			return key
		},
		"add":         func(a, b int) int { return a + b },
		"mailKind":    mailKindLabel,
		"chartHeight": func(bs []bar) int { return len(bs)*28 + 4 },
		// dict passes several values to a partial template.
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
		"topicLabel": func(key string) string {
			if t, ok := library.TopicByKey(key); ok {
				return t.Label
			}
			return key
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	r := &renderer{pages: map[string]*template.Template{}, version: version, now: now}
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(assets, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// view is what every page template receives.
type view struct {
	Title     string
	Nav       string // the current section, for aria-current
	Tenant    *accounts.Tenant
	Principal *accounts.Principal
	Prefs     accounts.Preferences
	// Attack is the member's attack mode (attack.go), set by render: the
	// page renders in its quiet form while it is on, and asks "still in
	// an attack?" once it has lapsed.
	Attack accounts.AttackMode
	// Here is the page's own path, where the header's forms come back to.
	Here   string
	CSRF   string
	Notice string
	// Shell lays the page out as an app shell (the room): header, one
	// scrolling region, and what must stay in reach below it.
	Shell bool
	// Errors maps a form field to what is wrong with it; Values refills the
	// form with what was typed (never passwords).
	Errors map[string]string
	Values map[string]string
	Data   any
}

// Base is the path of the community's pages.
func (v view) Base() string {
	if v.Tenant == nil {
		return ""
	}
	return "/t/" + v.Tenant.Slug
}

// fieldError is one line of a form's error summary, linking to its field.
type fieldError struct{ ID, Label, Message string }

// formFields lists every form field that can fail, in page order, with the
// id of the control the summary links to and its label.
var formFields = []struct{ Name, ID, Label string }{
	{"display_name", "display_name", "Display name"}, {"email", "email", "Email"}, {"password", "password", "Password"},
	{"age_bracket", "age_teen", "Age"}, {"accept_guidelines", "accept_guidelines", "Community guidelines"},
	{"theme", "theme", "Theme"}, {"text_size", "text_size", "Text size"},
	{"quiet_hours_start", "quiet_hours_start", "Quiet hours start"}, {"quiet_hours_end", "quiet_hours_end", "Quiet hours end"},
	{"time_zone", "time_zone", "Time zone for quiet hours"}, {"attack_minutes", "attack_minutes", "Attack mode ends by itself after"},
	{"delete_password", "delete-password", "Password"},
	{"current_password", "current_password", "Current password"}, {"new_password", "new_password", "New password"},
	{"new_password_again", "new_password_again", "New password again"},
	{"kind", "kind", "Kind"}, {"slug", "slug", "Address"}, {"title", "title", "Title"}, {"summary", "summary", "Summary"},
	{"url", "url", "Web address"}, {"topic", "topic", "Topic"}, {"tags", "tags", "Tags"}, {"body", "body", "Text"},
}

// ErrorList is the form's error summary: each failed field, linked.
func (v view) ErrorList() []fieldError {
	var out []fieldError
	for _, f := range formFields {
		if msg := v.Errors[f.Name]; msg != "" {
			out = append(out, fieldError{f.ID, f.Label, msg})
		}
	}
	return out
}

// Error and Value read the form maps without failing on absent keys.
func (v view) Error(field string) string { return v.Errors[field] }
func (v view) Value(field string) string { return v.Values[field] }

// newView starts a page's data from the request: community, member,
// preferences and the CSRF token for its forms.
func newView(c *gin.Context, title, nav string) view {
	ctx := c.Request.Context()
	v := view{Title: title, Nav: nav, Tenant: accounts.TenantFrom(ctx), Prefs: accounts.DefaultPreferences(), Here: here(c)}
	if p := accounts.PrincipalFrom(ctx); p != nil {
		v.Principal, v.Prefs, v.CSRF = p, p.User.Preferences(), p.Session.CSRFToken
	}
	v.Notice = notices[c.Query("notice")]
	return v
}

// here is the page's address for the header's forms to come back to: a
// page shown for a POST (a form with errors) comes back to the start.
func here(c *gin.Context) string {
	if c.Request.Method != http.MethodGet {
		return base(c)
	}
	u := *c.Request.URL
	q := u.Query()
	q.Del("notice")
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// notices are the fixed messages a redirect may ask a page to show; only
// their keys travel in the URL, so nothing typed is ever reflected.
var notices = map[string]string{
	"signed-out":        "You are signed out.",
	"password-reset":    "Your new password is saved. You are signed in here, and signed out everywhere else.",
	"confirmation-sent": "A new confirmation link is on its way to your address. It works for two days.",
	"signup-accepted":   accounts.SignUpAccepted,
	"welcome":           "Welcome. Pick a group to join: you can read quietly first if you like.",
	"settings-saved":    "Your settings are saved.",
	"reset-link-sent":   "The reset link is on its way to the member's address. It works once, for an hour.",
	"account-deleted":   "Your account is deleted. Take care of yourself.",
	"joined":            "You joined the group.",
	"left":              "You left the group.",
	"lurking-on":        "You are lurking: you read without being shown to others.",
	"lurking-off":       "You are visible to the group again.",
	"resource-saved":    "The resource is saved.",
	"item-claimed":      "You are working on this item. Your claim lasts 5 minutes; claim again to keep it.",
	"item-released":     "You let the item go: another moderator can take it.",
	"item-resolved":     "Done. The item is closed and the people concerned are told.",
	"item-escalated":    "The item is with the admins now.",
	"item-undone":       "Undone: the message is back and the item is waiting again.",
	"author-warn":       "The author has been warned privately.",
	"author-mute":       "The author is muted in this group.",
	"author-suspend":    "The author is suspended from the community.",
	"rules-saved":       "The screening rules are saved. Other servers pick them up within 30 seconds.",
	"appeal-sent":       "Your appeal is with a moderator who did not make the first decision.",
	"appeal-refused":    "The appeal could not be sent: write a few words, and note that each removal can be appealed once.",
	"resource-deleted":  "The resource is deleted.",
	// Mentoring.
	"mentor-requested":     "Your request is in. We are looking for a mentor who fits; this page shows where it stands.",
	"request-cancelled":    "Your request is cancelled. You can ask again whenever you like.",
	"request-moved-on":     "Your request had already moved on, so there was nothing to cancel. Here is where it stands.",
	"mentor-applied":       "Your application is saved. An admin or moderator reviews every application.",
	"mentor-paused":        "You are paused: no new offers until you resume. Take the time you need.",
	"mentor-resumed":       "Welcome back: offers can come to you again.",
	"offer-declined":       "You declined the offer, and it passes to another mentor. Thank you for answering.",
	"mentorship-started":   "You accepted. Say hello whenever you are ready.",
	"mentorship-ended":     "The mentorship has ended. Thank you for the time you shared.",
	"rematch-requested":    "We are looking for another mentor for you. Your earlier conversation stays readable.",
	"feedback-saved":       "Thank you for your feedback.",
	"application-reviewed": "The decision is saved. The applicant sees it on their mentoring page.",

	// Settings: password and devices (settings_security.go).
	"password-changed":  "Your password is changed. Your other devices are signed out.",
	"device-signed-out": "That device is signed out.",
}

func (r *renderer) render(c *gin.Context, status int, name string, v view) {
	t, ok := r.pages[name]
	if !ok {
		panic("web: no page template " + name)
	}
	if v.Principal != nil {
		v.Attack = v.Principal.User.AttackMode(r.now())
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		_ = c.Error(fmt.Errorf("render page %s: %w", name, err)) // logged on the request's line
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("This page could not be shown. Please try again."))
		return
	}
	c.Header("Content-Security-Policy", pageCSP)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage renders API-style errors raised on page routes (unknown
// community, expired form token …) as a calm page.
func (r *renderer) errorPage(c *gin.Context, status int, e *apperr.Error) {
	v := newView(c, "Something went wrong", "")
	switch status {
	case http.StatusNotFound:
		v.Title = "Not found"
	case http.StatusForbidden:
		v.Title = "Not allowed"
	}
	v.Data = struct {
		Status  int
		Message string
	}{status, e.Message}
	r.render(c, status, "error", v)
}

// formErrors turns a service's validation error into per-field messages,
// renaming API field names to the form's where they differ.
func formErrors(err error, rename map[string]string) (map[string]string, string, bool) {
	e, ok := apperr.As(err)
	if !ok {
		return nil, "", false
	}
	fields := map[string]string{}
	for k, msg := range e.Fields {
		if to, ok := rename[k]; ok {
			k = to
		}
		fields[k] = msg
	}
	return fields, e.Message, true
}

// staticVersion fingerprints the static files, so their URLs change when
// they do and browsers may cache them for good.
func staticVersion() (string, error) {
	h := uint64(14695981039346656037)
	err := fs.WalkDir(assets, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, path)
		if err != nil {
			return err
		}
		for _, c := range append([]byte(path), b...) {
			h = (h ^ uint64(c)) * 1099511628211
		}
		return nil
	})
	return strconv.FormatUint(h, 36), err
}

func diagnosisLabel(d string) string {
	if d == "" {
		return ""
	}
	s := strings.ReplaceAll(d, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// nonEmptyLines splits text written one point per line, such as guidelines.
func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// sentence turns a service's reason ("this group is for members aged 13 to
// 17", written to follow "you cannot join X: ") into a sentence of its own.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	out := string(unicode.ToUpper(r[0])) + string(r[1:])
	if !strings.HasSuffix(out, ".") {
		out += "."
	}
	return out
}

// waited says how long something has waited, in the largest whole unit.
func waited(seconds int64) string {
	switch {
	case seconds < 60:
		return "under a minute"
	case seconds < 3600:
		return plural(seconds/60, "minute")
	case seconds < 48*3600:
		return plural(seconds/3600, "hour")
	}
	return plural(seconds/86400, "day")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.FormatInt(n, 10) + " " + unit + "s"
}
