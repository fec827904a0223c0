package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/library"
	"quietroom/internal/moderation"
)

// queuePage is the moderation queue page's data.
type queuePage struct {
	Items  []moderation.QueueEntry
	Filter moderation.QueueFilter
	// Reasons are the filter's choices.
	Reasons []option
	Stats   moderation.Stats
	// Pending and Actions are the two bar charts drawn from Stats.
	Pending, Actions []bar
}

// bar is one bar of a chart: its share of the widest, in percent.
type bar struct {
	Label string
	Value int
	Width int
	Y     int
}

// bars turns counts into a chart, largest first.
func bars(counts map[string]int) []bar {
	out := make([]bar, 0, len(counts))
	most := 1
	for k, v := range counts {
		out = append(out, bar{Label: k, Value: v})
		most = max(most, v)
	}
	slices.SortFunc(out, func(a, b bar) int {
		if a.Value != b.Value {
			return b.Value - a.Value
		}
		return strings.Compare(a.Label, b.Label)
	})
	for i := range out {
		out[i].Width = max(1, out[i].Value*100/most)
		out[i].Y = i * 28
	}
	return out
}

var queueReasons = []option{
	{"crisis", "Crisis"}, {"misinformation", "Misinformation"}, {"shaming", "Medical shaming"},
	{"harassment", "Harassment"}, {"spam", "Spam"}, {"privacy", "Privacy"}, {"policy", "Posting policy"}, {"other", "Other"},
}

// ModerationQueue lists what the moderator may act on, most urgent first.
func (h *Handler) ModerationQueue(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	f := moderation.QueueFilter{Group: c.Query("group"), Reason: c.Query("reason"), Status: c.Query("status")}
	items, err := h.moderation.Queue(c.Request.Context(), p, f)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	st, err := h.moderation.Stats(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Moderation queue", "moderation")
	v.Data = queuePage{Items: items, Filter: f, Reasons: queueReasons, Stats: st,
		Pending: bars(st.PendingByReason), Actions: bars(st.ActionsByType)}
	h.pages.render(c, http.StatusOK, "queue", v)
}

// casePage is one item's page.
type casePage struct {
	Case      moderation.Case
	Templates []option
	MyClaim   bool
	// Topics feed the correction's article picker.
	Topics []library.TopicSection
}

// reasonTemplates are the removal reasons moderators pick from; the
// author sees the chosen words.
var reasonTemplates = []option{
	{"", "No reason given"},
	{"this shares medical advice that could cause harm; please talk to your clinician about treatment changes", "Harmful medical advice"},
	{"this dismisses someone's illness; migraine is a real neurological condition", "Medical shaming"},
	{"this was unkind to another member", "Unkind to a member"},
	{"selling and advertising are not allowed here", "Selling or advertising"},
	{"this shared someone's personal details", "Personal details"},
	{"this was off topic for the group", "Off topic"},
}

// ModerationCase shows one item with everything needed to decide.
func (h *Handler) ModerationCase(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	h.renderCase(c, p, http.StatusOK, nil)
}

func (h *Handler) renderCase(c *gin.Context, p *accounts.Principal, status int, errs map[string]string) {
	cs, err := h.moderation.Case(c.Request.Context(), p, c.Param("item"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	topics, err := h.library.Topics(c.Request.Context(), p.Tenant.ID)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Queue item", "moderation")
	v.Errors = errs
	v.Data = casePage{Case: cs, Templates: reasonTemplates, MyClaim: cs.ClaimedByYou, Topics: topics}
	h.pages.render(c, status, "case", v)
}

// ModerationAct claims, releases or resolves an item from the case page.
func (h *Handler) ModerationAct(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	version, err := strconv.Atoi(c.PostForm("version"))
	if err != nil {
		httpx.Error(c, apperr.InvalidField("version", "the form lost the item's version: reload the page"))
		return
	}
	ctx, item := c.Request.Context(), c.Param("item")
	note := c.PostForm("note")
	if note == "" {
		note = c.PostForm("template")
	}
	action := c.PostForm("action")
	switch action {
	case "claim":
		_, err = h.moderation.Claim(ctx, p, item, version)
	case "release":
		_, err = h.moderation.Release(ctx, p, item, version)
	default:
		_, err = h.moderation.Act(ctx, p, item, version, action, note)
	}
	if err != nil {
		if apperr.CodeOf(err) == apperr.CodeConflict || apperr.CodeOf(err) == apperr.CodeInvalid {
			e, _ := apperr.As(err)
			h.renderCase(c, p, httpx.Status(e.Code), map[string]string{"_form": e.Message})
			return
		}
		httpx.Error(c, err)
		return
	}
	switch action {
	case "claim", "release":
		c.Redirect(http.StatusSeeOther, base(c)+"/moderation/"+item+"?notice=item-"+action+"d")
	default:
		c.Redirect(http.StatusSeeOther, base(c)+"/moderation?notice=item-resolved")
	}
}
