package web

// The reviewers' page for mentor applications.

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/mentoring"
)

// ---- the reviewers' page ---------------------------------------------------

// applicationView is one application on the review page, with its form.
type applicationView struct {
	*profileView
	Own     bool
	Errors  map[string]string
	Values  map[string]string
	Summary []fieldError
}

// Err and Val read the application form's maps without failing on absent keys.
func (a applicationView) Err(field string) string { return a.Errors[field] }
func (a applicationView) Val(field string) string { return a.Values[field] }

// reviewPage is the review page's data.
type reviewPage struct {
	Pending, Approved, Rejected []applicationView
}

// MentoringReview lists mentor applications for admins and moderators.
func (h *Handler) MentoringReview(c *gin.Context) {
	if signedIn(c) == nil {
		return
	}
	h.renderReview(c, http.StatusOK, "", nil, nil)
}

var reviewFields = []struct{ Name, ID, Label string }{
	{"decision", "decision-approve", "Decision"}, {"reason", "review-reason", "Reason"},
	{"youth_approved", "youth", "Youth mentoring"}, {"vetting_expires", "vetting", "Vetting expires on"},
}

func (h *Handler) renderReview(c *gin.Context, status int, failed string, values, errs map[string]string) {
	p := accounts.PrincipalFrom(c.Request.Context())
	apps, err := h.mentoring.Applications(c.Request.Context(), p, "")
	if err != nil {
		httpx.Error(c, err)
		return
	}
	d := reviewPage{}
	for _, mp := range apps {
		a := applicationView{profileView: viewProfile(mp), Own: mp.UserID == p.User.ID, Values: map[string]string{}}
		if mp.Status == mentoring.MentorApproved {
			a.Values["decision"] = "approve"
		}
		if mp.YouthApproved {
			a.Values["youth"] = "yes"
		}
		if mp.VettingExpiresAt != nil {
			a.Values["vetting"] = mp.VettingExpiresAt.UTC().Format(time.DateOnly)
		}
		if mp.UserID == failed {
			a.Values, a.Errors = values, errs
			a.Summary = summary(errs, reviewFields, "")
			for i := range a.Summary {
				if a.Summary[i].ID != "" {
					a.Summary[i].ID += "-" + mp.UserID
				}
			}
		}
		switch mp.Status {
		case mentoring.MentorPending:
			d.Pending = append(d.Pending, a)
		case mentoring.MentorApproved:
			d.Approved = append(d.Approved, a)
		default:
			d.Rejected = append(d.Rejected, a)
		}
	}
	v := newView(c, "Mentor applications", "mentoring")
	v.Data = d
	h.pages.render(c, status, "mentoring-review", v)
}

// MentoringReviewPost records a decision on one application.
func (h *Handler) MentoringReviewPost(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	in := mentoring.Review{Decision: c.PostForm("decision"), Reason: c.PostForm("reason"),
		TrainingCompleted: c.PostForm("training") == "yes", YouthApproved: c.PostForm("youth") == "yes"}
	values := map[string]string{"decision": in.Decision, "reason": in.Reason, "training": c.PostForm("training"),
		"youth": c.PostForm("youth"), "vetting": c.PostForm("vetting")}
	var dateErr string
	if s := strings.TrimSpace(c.PostForm("vetting")); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			dateErr = "must be a date, such as 2027-06-30"
		} else {
			in.VettingExpires = &t
		}
	}
	user := c.Param("user")
	var err error
	if dateErr != "" {
		err = apperr.InvalidField("vetting_expires", dateErr)
	} else {
		_, err = h.mentoring.ReviewApplication(c.Request.Context(), p, user, in)
	}
	if err != nil {
		if code := apperr.CodeOf(err); code == apperr.CodeForbidden && !p.IsAdmin() && !p.IsModerator() {
			httpx.Error(c, err) // not a reviewer at all: the error page
			return
		}
		v := newView(c, "", "")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		h.renderReview(c, statusOf(err), user, values, v.Errors)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/review?notice=application-reviewed")
}
