package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/moderation"
	"quietroom/internal/moderation/screening"
)

// ModerationAuthorAction warns, mutes, suspends or escalates from the case page.
func (h *Handler) ModerationAuthorAction(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	minutes, _ := strconv.Atoi(c.PostForm("minutes"))
	_, err := h.moderation.ActOnAuthor(c.Request.Context(), p, c.Param("item"),
		moderation.AuthorAction{Action: c.PostForm("author_action"), Note: c.PostForm("author_note"), Minutes: minutes})
	if err != nil {
		if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeInvalid || e.Code == apperr.CodeConflict) {
			h.renderCase(c, p, httpx.Status(e.Code), map[string]string{"_form": e.Message + " " + strings.Join(fieldMessages(e), " ")})
			return
		}
		httpx.Error(c, err)
		return
	}
	if c.PostForm("author_action") == "escalate" {
		c.Redirect(http.StatusSeeOther, base(c)+"/moderation?notice=item-escalated")
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/moderation/"+c.Param("item")+"?notice=author-"+c.PostForm("author_action"))
}

func fieldMessages(e *apperr.Error) []string {
	var out []string
	for k, v := range e.Fields {
		out = append(out, k+": "+v+".")
	}
	return out
}

// ModerationUndo takes back a removal from the case page.
func (h *Handler) ModerationUndo(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	version, _ := strconv.Atoi(c.PostForm("version"))
	if _, err := h.moderation.Undo(c.Request.Context(), p, c.Param("item"), version); err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.CodeConflict {
			h.renderCase(c, p, http.StatusConflict, map[string]string{"_form": e.Message})
			return
		}
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/moderation/"+c.Param("item")+"?notice=item-undone")
}

// rulesPage is the admin rules page's data.
type rulesPage struct {
	Rules      []moderation.RuleView
	Thresholds []moderation.BandView
	Settings   moderation.Settings
	Test       *moderation.Explanation
	TestText   string
	IsAdmin    bool
}

// ModerationRules shows the screening rules, the test box and crisis settings.
func (h *Handler) ModerationRules(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	h.renderRules(c, http.StatusOK, nil, "", nil)
}

func (h *Handler) renderRules(c *gin.Context, status int, test *moderation.Explanation, text string, errs map[string]string) {
	p := signedIn(c)
	ctx := c.Request.Context()
	rules, err := h.moderation.Rules(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	set, err := h.moderation.CrisisSettings(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	bands, err := h.moderation.Thresholds(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Screening rules", "moderation")
	v.Errors = errs
	v.Data = rulesPage{Rules: rules, Thresholds: bands, Settings: set, Test: test, TestText: text, IsAdmin: p.IsAdmin()}
	h.pages.render(c, status, "rules", v)
}

// ModerationRulesPost handles the rules page's forms: test, switch, add,
// delete, crisis settings.
func (h *Handler) ModerationRulesPost(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	ctx := c.Request.Context()
	var err error
	switch c.PostForm("form") {
	case "test":
		text := c.PostForm("text")
		ex, err := h.moderation.Explain(ctx, p, text)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		h.renderRules(c, http.StatusOK, &ex, text, nil)
		return
	case "switch":
		on := c.PostForm("value") == "on"
		sw := moderation.RuleSwitch{}
		if c.PostForm("what") == "shadow" {
			sw.Shadow = &on
		} else {
			sw.Enabled = &on
		}
		err = h.moderation.SwitchRule(ctx, p, c.PostForm("rule"), sw)
	case "add":
		var terms []string
		for _, t := range strings.Split(c.PostForm("terms"), "\n") {
			terms = append(terms, strings.TrimSpace(t))
		}
		_, err = h.moderation.AddRule(ctx, p, moderation.NewRule{Name: c.PostForm("name"), Category: c.PostForm("category"),
			Severity: c.PostForm("severity"), Description: c.PostForm("description"), Terms: terms, Shadow: c.PostForm("shadow") == "on"})
	case "delete":
		err = h.moderation.DeleteRule(ctx, p, c.PostForm("rule"))
	case "thresholds":
		if c.PostForm("reset") != "" {
			err = h.moderation.ResetThresholds(ctx, p, c.PostForm("category"))
			if apperr.CodeOf(err) == apperr.CodeNotFound {
				err = nil // already the defaults
			}
			break
		}
		un, uerr := strconv.ParseFloat(c.PostForm("uncertain"), 64)
		co, cerr := strconv.ParseFloat(c.PostForm("confident"), 64)
		if uerr != nil || cerr != nil {
			err = apperr.InvalidField("confident", "give both thresholds as numbers between 0 and 1")
			break
		}
		_, err = h.moderation.SetThresholds(ctx, p, c.PostForm("category"), screening.Thresholds{Uncertain: un, Confident: co})
	case "settings":
		_, err = h.moderation.SaveCrisisSettings(ctx, p, moderation.Settings{EmergencyNumber: c.PostForm("emergency_number"), CrisisLines: c.PostForm("crisis_lines")})
	default:
		err = apperr.InvalidField("form", "unknown form")
	}
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.CodeInvalid {
			errs := map[string]string{"_form": e.Message}
			for k, v := range e.Fields {
				errs["rule_"+k] = v
			}
			h.renderRules(c, http.StatusUnprocessableEntity, nil, "", errs)
			return
		}
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/moderation/rules?notice=rules-saved")
}

// ModerationAudit shows the moderation log, with export links.
func (h *Handler) ModerationAudit(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	entries, err := h.moderation.Audit(c.Request.Context(), p, time.Time{}, 300)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Moderation log", "moderation")
	v.Data = entries
	h.pages.render(c, http.StatusOK, "audit", v)
}

// Appeal lets an author contest a removal from Settings.
func (h *Handler) Appeal(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if _, err := h.moderation.Appeal(c.Request.Context(), p, c.Param("message"), c.PostForm("text")); err != nil {
		if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeInvalid || e.Code == apperr.CodeConflict) {
			c.Redirect(http.StatusSeeOther, base(c)+"/settings?notice=appeal-refused")
			return
		}
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/settings?notice=appeal-sent")
}

// ModerationCorrect posts a correction from the case page.
func (h *Handler) ModerationCorrect(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	version, _ := strconv.Atoi(c.PostForm("version"))
	_, err := h.moderation.Correct(c.Request.Context(), p, c.Param("item"), moderation.Correction{
		Note: c.PostForm("correction"), Article: c.PostForm("article"), Remove: c.PostForm("also_remove") == "on", Version: version})
	if err != nil {
		if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeInvalid || e.Code == apperr.CodeConflict) {
			h.renderCase(c, p, httpx.Status(e.Code), map[string]string{"_form": e.Message + " " + strings.Join(fieldMessages(e), " ")})
			return
		}
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/moderation?notice=item-resolved")
}
