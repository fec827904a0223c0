package web

// A mentorship's private conversation page.

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/httpx"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime/conversation"
)

// ---- a mentorship's conversation ---------------------------------------------

// mentorshipPage is the conversation page's data: the room's attributes
// (docs/web.md, "The room") and the mentorship's own forms.
type mentorshipPage struct {
	Slug    string
	Access  conversation.Access
	WSURL   string
	History string
	// Ship is the mentorship as its member sees it; nil for a moderator
	// reading a teen mentorship for safeguarding.
	Ship    *mentoring.MentorshipView
	Ratings []choice
	Summary []fieldError
	// FlagReasons feed the flag dialog: a member can flag a message here too.
	FlagReasons []struct{ Key, Label string }
}

// Mentorship is the private conversation of a mentor and a mentee.
func (h *Handler) Mentorship(c *gin.Context) {
	if signedIn(c) == nil {
		return
	}
	h.renderMentorship(c, http.StatusOK, newView(c, "", "mentoring"))
}

var feedbackFields = []struct{ Name, ID, Label string }{
	{"reason", "end-reason", "Why it ends"}, {"rating", "rating-1", "Rating"}, {"text", "feedback-text", "Feedback"},
}

func (h *Handler) renderMentorship(c *gin.Context, status int, v view) {
	ctx := c.Request.Context()
	p := accounts.PrincipalFrom(ctx)
	id := c.Param("mentorship")
	access, err := h.mentoring.Resolve(ctx, p, id)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	// room.js speaks the protocol's group field; its spelling of a
	// mentorship comes from the conversation's address.
	slug := access.Conversation.Address().GroupField()
	ships, err := h.mentoring.MyMentorships(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	api := "/api/v1/t/" + p.Tenant.Slug
	d := mentorshipPage{FlagReasons: moderation.FlagReasons(), Slug: slug, Access: access, WSURL: api + "/ws", History: api + "/groups/" + slug + "/messages",
		Summary: summary(v.Errors, feedbackFields, "")}
	for i := range ships {
		if ships[i].ID == id {
			d.Ship = &ships[i]
		}
	}
	for r := 1; r <= 5; r++ {
		d.Ratings = append(d.Ratings, choice{ID: fmt.Sprintf("rating-%d", r), Value: strconv.Itoa(r), Label: ratingWords[r-1],
			Checked: v.Values["rating"] == strconv.Itoa(r)})
	}
	v.Title = "Mentorship (safeguarding view)"
	if d.Ship != nil {
		v.Title = "Mentorship with " + d.Ship.OtherName
	}
	v.Data = d
	h.pages.render(c, status, "mentoring-conversation", v)
}

var ratingWords = []string{"1: not helpful", "2: a little helpful", "3: helpful", "4: very helpful", "5: extremely helpful"}

// mentorshipFormFailed re-renders the conversation page after a failed
// form, or shows the error page.
func (h *Handler) mentorshipFormFailed(c *gin.Context, err error, values map[string]string) {
	v := newView(c, "", "mentoring")
	if !h.mentoringFailed(c, err, &v, nil) {
		return
	}
	v.Values = values
	h.renderMentorship(c, statusOf(err), v)
}

// MentorshipEnd ends the mentorship (either side).
func (h *Handler) MentorshipEnd(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	id := c.Param("mentorship")
	if _, err := h.mentoring.End(c.Request.Context(), p, id, c.PostForm("reason")); err != nil {
		h.mentorshipFormFailed(c, err, map[string]string{"reason": c.PostForm("reason")})
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/m/"+id+"?notice=mentorship-ended")
}

// MentorshipRematch is the mentee's "not a good fit": it ends and a new
// request looks for someone else.
func (h *Handler) MentorshipRematch(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if _, err := h.mentoring.Rematch(c.Request.Context(), p, c.Param("mentorship")); err != nil {
		h.mentorshipFormFailed(c, err, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=rematch-requested")
}

// MentorshipFeedback records the member's rating of the mentorship.
func (h *Handler) MentorshipFeedback(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	id := c.Param("mentorship")
	rating, err := strconv.Atoi(c.PostForm("rating"))
	if err != nil {
		rating = 0 // refused by the service, with the field named
	}
	if _, err := h.mentoring.LeaveFeedback(c.Request.Context(), p, id, rating, c.PostForm("text")); err != nil {
		h.mentorshipFormFailed(c, err, map[string]string{"rating": c.PostForm("rating"), "text": c.PostForm("text")})
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/m/"+id+"?notice=feedback-saved")
}
