package web

// The mentee's request page.

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/mentoring"
)

// ---- the mentee's request ------------------------------------------------

// requestPage is the request form's data.
type requestPage struct {
	// Open is the member's open request, shown with the Cancel button
	// instead of the form.
	Open     *requestView
	Form     profileForm
	Reasons  []choice
	SameType []choice
	Summary  []fieldError
}

// MentoringRequestForm shows the request form, or the open request.
func (h *Handler) MentoringRequestForm(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	reqs, err := h.mentoring.MyRequests(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Ask for a mentor", "mentoring")
	in := profileInput{Blocks: map[string]bool{}}
	v.Values = map[string]string{}
	if len(reqs) > 0 {
		if last := reqs[0]; last.Status == mentoring.RequestWaiting || last.Status == mentoring.RequestOffered {
			rv := viewRequest(last)
			v.Title = "Your request for a mentor"
			v.Data = requestPage{Open: &rv}
			h.pages.render(c, http.StatusOK, "mentoring-request", v)
			return
		}
		// Asking again: start from what the member asked last time.
		last := reqs[0].Request
		in = profileInput{Types: strings.Fields(last.Types), Treatments: strings.Fields(last.Treatments), Topics: strings.Fields(last.Topics),
			Languages: strings.Fields(last.Languages), Offset: last.TZOffsetMinutes, OffsetChosen: true,
			Blocks: blocksFromAvailability(last.Availability, last.TZOffsetMinutes)}
		v.Values = map[string]string{"reason": last.Reason, "same_type": last.SameType, "note": last.Note}
	}
	h.renderRequest(c, http.StatusOK, v, in)
}

func (h *Handler) renderRequest(c *gin.Context, status int, v view, in profileInput) {
	radios := func(name string, from []mentoring.Choice) []choice {
		var out []choice
		for _, ch := range from {
			out = append(out, choice{ID: controlID(name, ch.Key), Value: ch.Key, Label: ch.Label, Checked: v.Values[name] == ch.Key})
		}
		return out
	}
	v.Data = requestPage{Form: newProfileForm(false, in, v.Errors), Reasons: radios("reason", requestReasons),
		SameType: radios("same_type", sameTypeChoices), Summary: summary(v.Errors, mentoringFields, "")}
	h.pages.render(c, status, "mentoring-request", v)
}

// MentoringAsk sends the request form.
func (h *Handler) MentoringAsk(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	pf := profileFromForm(c)
	in := mentoring.RequestInput{Reason: c.PostForm("reason"), Types: pf.Types, Treatments: pf.Treatments, Topics: pf.Topics,
		Languages: pf.Languages, TZOffsetMinutes: pf.Offset, Availability: pf.availability(), SameType: c.PostForm("same_type"),
		Note: c.PostForm("note"), Consent: c.PostForm("consent") == "yes"}
	if _, err := h.mentoring.Ask(c.Request.Context(), p, in); err != nil {
		v := newView(c, "Ask for a mentor", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		friendlier(v.Errors)
		v.Values = map[string]string{"reason": in.Reason, "same_type": in.SameType, "note": in.Note}
		if in.Consent {
			v.Values["consent"] = "yes"
		}
		h.renderRequest(c, statusOf(err), v, pf)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=mentor-requested")
}

// MentoringCancel withdraws the member's open request.
func (h *Handler) MentoringCancel(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if err := h.mentoring.Cancel(c.Request.Context(), p, c.Param("request")); err != nil {
		if apperr.CodeOf(err) == apperr.CodeConflict {
			// Matched or cancelled meanwhile: the hub shows where it stands.
			c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=request-moved-on")
			return
		}
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=request-cancelled")
}
