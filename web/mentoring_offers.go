package web

// The mentor's inbox of offers.

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/httpx"
	"quietroom/internal/mentoring"
)

// ---- the mentor's offers ---------------------------------------------------

// offerView is an offer in the mentor's inbox.
type offerView struct {
	mentoring.OfferView
	Details  requestDetails
	Deadline string // in the mentor's time zone
	Left     string
	Decided  string
	Teen     bool
}

var offerStatusWords = map[string]string{
	mentoring.OfferAccepted: "You accepted", mentoring.OfferDeclined: "You declined",
	mentoring.OfferExpired: "Not answered in time", mentoring.OfferWithdrawn: "Withdrawn",
}

// offersPage is the inbox's data.
type offersPage struct {
	Profile       *profileView
	Pending, Past []offerView
	// Failed is the offer whose answer failed, with Summary saying why.
	Failed  string
	Summary []fieldError
}

// MentorOffers is the mentor's inbox: offers to answer, then past ones.
func (h *Handler) MentorOffers(c *gin.Context) {
	if signedIn(c) == nil {
		return
	}
	h.renderOffers(c, http.StatusOK, newView(c, "Offers to mentor", "mentoring"), "")
}

func (h *Handler) renderOffers(c *gin.Context, status int, v view, failed string) {
	p := accounts.PrincipalFrom(c.Request.Context())
	prof, err := h.myProfile(c, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	offers, err := h.mentoring.MyOffers(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	offset := 0
	if prof != nil {
		offset = prof.TZOffsetMinutes
	}
	d := offersPage{Profile: prof, Failed: failed}
	now := time.Now()
	for _, o := range offers {
		ov := offerView{OfferView: o, Details: detailsOf(o.Request), Deadline: inZone(o.Deadline, offset), Left: timeLeft(o.Deadline, now),
			Decided: offerStatusWords[o.Status], Teen: o.Request.Teen}
		ov.Reasons = slices.DeleteFunc(slices.Clone(o.Reasons), func(s string) bool { return strings.TrimSpace(s) == "" })
		if o.Status == mentoring.OfferPending {
			d.Pending = append(d.Pending, ov)
		} else {
			d.Past = append(d.Past, ov)
		}
	}
	if v.Errors != nil {
		d.Summary = summary(v.Errors, []struct{ Name, ID, Label string }{{"reason", "decline-reason-" + failed, "Reason"}}, "")
	}
	v.Data = d
	h.pages.render(c, status, "mentoring-offers", v)
}

// MentorAccept accepts an offer and opens the new mentorship's conversation.
func (h *Handler) MentorAccept(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	m, err := h.mentoring.Accept(c.Request.Context(), p, c.Param("offer"))
	if err != nil {
		v := newView(c, "Offers to mentor", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		h.renderOffers(c, statusOf(err), v, c.Param("offer"))
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/m/"+m.ID+"?notice=mentorship-started")
}

// MentorDecline declines an offer, with an optional reason.
func (h *Handler) MentorDecline(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if err := h.mentoring.Decline(c.Request.Context(), p, c.Param("offer"), c.PostForm("reason")); err != nil {
		v := newView(c, "Offers to mentor", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		v.Values = map[string]string{"reason": c.PostForm("reason")}
		h.renderOffers(c, statusOf(err), v, c.Param("offer"))
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/offers?notice=offer-declined")
}
