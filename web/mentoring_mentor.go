package web

// The mentor's application page and the pause switch.

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/mentoring"
)

// ---- the mentor's application ----------------------------------------------

// profileView is a mentor profile with its status in words.
type profileView struct {
	mentoring.MentorProfile
	Types, Treatments, Topics, Languages, Free []string
	Zone                                       string
	// YouthExpired: approved for youth mentoring, but the vetting ran out.
	YouthExpired bool
}

func viewProfile(mp mentoring.MentorProfile) *profileView {
	return &profileView{MentorProfile: mp,
		Types: choiceLabels(mp.Types, mentoring.MigraineTypes()), Treatments: choiceLabels(mp.Treatments, mentoring.Treatments()),
		Topics: choiceLabels(mp.Topics, mentoring.Topics()), Languages: choiceLabels(mp.Languages, mentoring.Languages()),
		Free: freeTimes(mp.Availability, mp.TZOffsetMinutes), Zone: tzLabel(mp.TZOffsetMinutes),
		YouthExpired: mp.YouthApproved && mp.VettingExpiresAt != nil && !time.Now().Before(*mp.VettingExpiresAt),
	}
}

// myProfile is the member's application, or nil when there is none.
func (h *Handler) myProfile(c *gin.Context, p *accounts.Principal) (*profileView, error) {
	mp, err := h.mentoring.MyProfile(c.Request.Context(), p)
	if apperr.CodeOf(err) == apperr.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return viewProfile(mp), nil
}

// mentorPage is the application page's data.
type mentorPage struct {
	Profile    *profileView
	Form       profileForm
	Capacities []int
	Summary    []fieldError
}

// MentorForm shows the member's application (and its status) or an empty one.
func (h *Handler) MentorForm(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	prof, err := h.myProfile(c, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Mentor with us", "mentoring")
	in := profileInput{Blocks: map[string]bool{}}
	v.Values = map[string]string{"capacity": "2"}
	if prof != nil {
		v.Title = "Your mentor profile"
		mp := prof.MentorProfile
		in = profileInput{Types: strings.Fields(mp.Types), Treatments: strings.Fields(mp.Treatments), Topics: strings.Fields(mp.Topics),
			Languages: strings.Fields(mp.Languages), Offset: mp.TZOffsetMinutes, OffsetChosen: true,
			Blocks: blocksFromAvailability(mp.Availability, mp.TZOffsetMinutes)}
		v.Values = map[string]string{"years": strconv.Itoa(mp.Years), "capacity": strconv.Itoa(mp.Capacity), "about": mp.About}
	}
	h.renderMentor(c, http.StatusOK, v, prof, in)
}

func (h *Handler) renderMentor(c *gin.Context, status int, v view, prof *profileView, in profileInput) {
	v.Data = mentorPage{Profile: prof, Form: newProfileForm(true, in, v.Errors), Capacities: []int{1, 2, 3, 4, 5},
		Summary: summary(v.Errors, mentoringFields, "")}
	h.pages.render(c, status, "mentoring-mentor", v)
}

// MentorApply sends (or updates) the application.
func (h *Handler) MentorApply(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	pf := profileFromForm(c)
	years, err := strconv.Atoi(strings.TrimSpace(c.PostForm("years")))
	if err != nil {
		years = -1 // refused below, with the field named
	}
	capacity, err := strconv.Atoi(c.PostForm("capacity"))
	if err != nil {
		capacity = 0
	}
	in := mentoring.Application{Types: pf.Types, Treatments: pf.Treatments, Topics: pf.Topics, Languages: pf.Languages,
		Years: years, TZOffsetMinutes: pf.Offset, Availability: pf.availability(), Capacity: capacity, About: c.PostForm("about")}
	if _, err := h.mentoring.Apply(c.Request.Context(), p, in); err != nil {
		v := newView(c, "Mentor with us", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		prof, perr := h.myProfile(c, p)
		if perr != nil {
			httpx.Error(c, perr)
			return
		}
		if prof != nil {
			v.Title = "Your mentor profile"
		}
		friendlier(v.Errors)
		v.Values = map[string]string{"years": c.PostForm("years"), "capacity": c.PostForm("capacity"), "about": in.About}
		h.renderMentor(c, statusOf(err), v, prof, pf)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/mentor?notice=mentor-applied")
}

// MentorPause is the one-button pause and resume.
func (h *Handler) MentorPause(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	var paused bool
	switch c.PostForm("paused") {
	case "true":
		paused = true
	case "false":
	default:
		httpx.Error(c, apperr.InvalidField("paused", "must be true or false"))
		return
	}
	if _, err := h.mentoring.SetPaused(c.Request.Context(), p, paused); err != nil {
		httpx.Error(c, err)
		return
	}
	notice := "mentor-resumed"
	if paused {
		notice = "mentor-paused"
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/mentor?notice="+notice)
}
