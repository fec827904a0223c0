package web

// The mentoring pages (docs/web.md, "Mentoring"): the member's mentoring
// hub, the mentee's request, the mentor's application and offers, the
// reviewers' page and a mentorship's private conversation. They call the
// same service as the JSON API (internal/mentoring); availability is asked
// as blocks of local time and stored as UTC hours of the week.

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/library"
	"quietroom/internal/mentoring"
)

// ---- the hub ----------------------------------------------------------------

// requestDetails is a request in words, as its mentee and its mentor read it.
type requestDetails struct {
	Reason, SameType, Zone, Note               string
	Types, Treatments, Topics, Languages, Free []string
}

func detailsOf(r mentoring.Request) requestDetails {
	return requestDetails{
		Reason: choiceLabel(r.Reason, requestReasons), SameType: choiceLabel(r.SameType, sameTypeChoices),
		Zone: tzLabel(r.TZOffsetMinutes), Note: r.Note,
		Types: choiceLabels(r.Types, mentoring.MigraineTypes()), Treatments: choiceLabels(r.Treatments, mentoring.Treatments()),
		Topics: choiceLabels(r.Topics, mentoring.Topics()), Languages: choiceLabels(r.Languages, mentoring.Languages()),
		Free: freeTimes(r.Availability, r.TZOffsetMinutes),
	}
}

// requestView is one of the member's requests on the hub.
type requestView struct {
	mentoring.RequestStatus
	Open    bool
	Asked   string // whether a mentor was asked, in words
	Details requestDetails
}

func viewRequest(st mentoring.RequestStatus) requestView {
	v := requestView{RequestStatus: st, Details: detailsOf(st.Request)}
	switch st.Status {
	case mentoring.RequestWaiting:
		v.Open = true
		if st.Offers == 0 {
			v.Asked = "No mentor has been asked yet."
		} else {
			v.Asked = fmt.Sprintf("Mentors asked so far: %d. None could take it yet, so we keep looking.", st.Offers)
		}
	case mentoring.RequestOffered:
		v.Open = true
		v.Asked = "A mentor has been asked and is thinking about it."
		if st.Offers > 1 {
			v.Asked = fmt.Sprintf("A mentor has been asked and is thinking about it (mentors asked so far: %d).", st.Offers)
		}
	case mentoring.RequestMatched:
		v.Asked = "A mentor said yes."
	}
	return v
}

// hubPage is the mentoring hub's data.
type hubPage struct {
	Current     *requestView
	Earlier     []requestView
	Mentorships []mentoring.MentorshipView
	Profile     *profileView
	Offers      int // offers waiting for the member's answer
	Reviewer    bool
	Reading     []library.Article
}

// Mentoring is the member's mentoring hub: their request, mentorships and
// application, with the way to each form.
func (h *Handler) Mentoring(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	ctx := c.Request.Context()
	reqs, err := h.mentoring.MyRequests(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	ships, err := h.mentoring.MyMentorships(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	d := hubPage{Mentorships: ships, Reviewer: p.IsAdmin() || p.IsModerator()}
	for i, st := range reqs {
		rv := viewRequest(st)
		if i == 0 && st.Status != mentoring.RequestCancelled {
			d.Current = &rv
		} else {
			d.Earlier = append(d.Earlier, rv)
		}
	}
	if d.Profile, err = h.myProfile(c, p); err != nil {
		httpx.Error(c, err)
		return
	}
	if d.Profile != nil {
		offers, err := h.mentoring.MyOffers(ctx, p)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		for _, o := range offers {
			if o.Status == mentoring.OfferPending {
				d.Offers++
			}
		}
	}
	if cur := d.Current; cur != nil && (cur.Open || cur.Mentorship != nil && cur.Mentorship.Status == mentoring.MentorshipActive) {
		if d.Reading, err = h.starterReading(c, p, d.Current.Request); err != nil {
			httpx.Error(c, err)
			return
		}
	}
	v := newView(c, "Mentoring", "mentoring")
	v.Data = d
	h.pages.render(c, http.StatusOK, "mentoring", v)
}

// starterReading is a few library articles for a new mentee: what
// migraine is, their types, and the toolkit.
func (h *Handler) starterReading(c *gin.Context, p *accounts.Principal, r mentoring.Request) ([]library.Article, error) {
	ctx := c.Request.Context()
	var out []library.Article
	seen := map[string]bool{}
	add := func(a library.Article) {
		if !seen[a.Slug] && len(out) < 6 {
			seen[a.Slug] = true
			out = append(out, a)
		}
	}
	article := func(slug string) error {
		a, err := h.library.Article(ctx, p.Tenant.ID, slug)
		if apperr.CodeOf(err) == apperr.CodeNotFound {
			return nil
		}
		if err == nil {
			add(a)
		}
		return err
	}
	if err := article("what-is-migraine"); err != nil {
		return nil, err
	}
	for _, t := range strings.Fields(r.Types) {
		as, err := h.library.ByTag(ctx, p.Tenant.ID, t)
		if err != nil {
			return nil, err
		}
		for i, a := range as {
			if i == 2 {
				break
			}
			add(a)
		}
	}
	if err := article("migraine-toolkit"); err != nil {
		return nil, err
	}
	return out, nil
}
