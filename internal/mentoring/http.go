package mentoring

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/httpx"
)

// Handler serves the mentoring API.
type Handler struct{ svc *Service }

func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

func principal(c *gin.Context) *accounts.Principal {
	return accounts.PrincipalFrom(c.Request.Context())
}

// Vocabulary: GET /mentoring/choices, the lists forms offer.
func (h *Handler) Vocabulary(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"types": MigraineTypes(), "treatments": Treatments(), "topics": Topics(), "languages": Languages()})
}

// Apply: PUT /mentoring/mentor.
func (h *Handler) Apply(c *gin.Context) {
	var in Application
	if !httpx.Decode(c, &in) {
		return
	}
	mp, err := h.svc.Apply(c.Request.Context(), principal(c), in)
	httpx.Respond(c, http.StatusOK, viewProfile(mp), err)
}

// MyProfile: GET /mentoring/mentor.
func (h *Handler) MyProfile(c *gin.Context) {
	mp, err := h.svc.MyProfile(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, viewProfile(mp), err)
}

// Pause: PUT /mentoring/mentor/paused {paused}.
func (h *Handler) Pause(c *gin.Context) {
	var in struct {
		Paused bool `json:"paused"`
	}
	if !httpx.Decode(c, &in) {
		return
	}
	mp, err := h.svc.SetPaused(c.Request.Context(), principal(c), in.Paused)
	httpx.Respond(c, http.StatusOK, viewProfile(mp), err)
}

// Applications: GET /mentoring/applications?status=.
func (h *Handler) Applications(c *gin.Context) {
	ps, err := h.svc.Applications(c.Request.Context(), principal(c), c.Query("status"))
	out := make([]ProfileView, len(ps))
	for i, p := range ps {
		out[i] = viewProfile(p)
	}
	httpx.Respond(c, http.StatusOK, gin.H{"applications": out}, err)
}

// ReviewApplication: POST /mentoring/applications/:user/review.
func (h *Handler) ReviewApplication(c *gin.Context) {
	var in Review
	if !httpx.Decode(c, &in) {
		return
	}
	mp, err := h.svc.ReviewApplication(c.Request.Context(), principal(c), c.Param("user"), in)
	httpx.Respond(c, http.StatusOK, viewProfile(mp), err)
}

// Ask: POST /mentoring/requests.
func (h *Handler) Ask(c *gin.Context) {
	var in RequestInput
	if !httpx.Decode(c, &in) {
		return
	}
	r, err := h.svc.Ask(c.Request.Context(), principal(c), in)
	httpx.Respond(c, http.StatusCreated, viewRequest(r), err)
}

// MyRequests: GET /mentoring/requests.
func (h *Handler) MyRequests(c *gin.Context) {
	rs, err := h.svc.MyRequests(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, gin.H{"requests": rs}, err)
}

// Cancel: DELETE /mentoring/requests/:request.
func (h *Handler) Cancel(c *gin.Context) {
	if err := h.svc.Cancel(c.Request.Context(), principal(c), c.Param("request")); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// Suggestions: GET /mentoring/requests/:request/suggestions (reviewers):
// the ranked candidates with reasons.
func (h *Handler) Suggestions(c *gin.Context) {
	ss, err := h.svc.Suggestions(c.Request.Context(), principal(c), c.Param("request"))
	httpx.Respond(c, http.StatusOK, gin.H{"suggestions": ss}, err)
}

// MyOffers: GET /mentoring/offers.
func (h *Handler) MyOffers(c *gin.Context) {
	os, err := h.svc.MyOffers(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, gin.H{"offers": os}, err)
}

// Accept: POST /mentoring/offers/:offer/accept.
func (h *Handler) Accept(c *gin.Context) {
	m, err := h.svc.Accept(c.Request.Context(), principal(c), c.Param("offer"))
	httpx.Respond(c, http.StatusOK, m, err)
}

// Decline: POST /mentoring/offers/:offer/decline {reason}.
func (h *Handler) Decline(c *gin.Context) {
	var in struct {
		Reason string `json:"reason"`
	}
	if !httpx.Decode(c, &in) {
		return
	}
	if err := h.svc.Decline(c.Request.Context(), principal(c), c.Param("offer"), in.Reason); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// MyMentorships: GET /mentoring/mentorships.
func (h *Handler) MyMentorships(c *gin.Context) {
	ms, err := h.svc.MyMentorships(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, gin.H{"mentorships": ms}, err)
}

// End: POST /mentoring/mentorships/:mentorship/end {reason}.
func (h *Handler) End(c *gin.Context) {
	var in struct {
		Reason string `json:"reason"`
	}
	if !httpx.Decode(c, &in) {
		return
	}
	m, err := h.svc.End(c.Request.Context(), principal(c), c.Param("mentorship"), in.Reason)
	httpx.Respond(c, http.StatusOK, m, err)
}

// Rematch: POST /mentoring/mentorships/:mentorship/rematch.
func (h *Handler) Rematch(c *gin.Context) {
	r, err := h.svc.Rematch(c.Request.Context(), principal(c), c.Param("mentorship"))
	httpx.Respond(c, http.StatusCreated, viewRequest(r), err)
}

// Feedback: PUT /mentoring/mentorships/:mentorship/feedback {rating, text}.
func (h *Handler) Feedback(c *gin.Context) {
	var in struct {
		Rating int    `json:"rating"`
		Text   string `json:"text"`
	}
	if !httpx.Decode(c, &in) {
		return
	}
	f, err := h.svc.LeaveFeedback(c.Request.Context(), principal(c), c.Param("mentorship"), in.Rating, in.Text)
	httpx.Respond(c, http.StatusOK, f, err)
}

// MatchAll: POST /mentoring/match-all (reviewers): the batch matcher
// offers every waiting request at once.
func (h *Handler) MatchAll(c *gin.Context) {
	n, err := h.svc.MatchAll(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, gin.H{"offers_made": n}, err)
}

// ProfileView shows a mentor profile with its lists as arrays.
type ProfileView struct {
	MentorProfile
	Types      []string `json:"types"`
	Treatments []string `json:"treatments"`
	Topics     []string `json:"topics"`
	Languages  []string `json:"languages"`
}

func viewProfile(mp MentorProfile) ProfileView {
	return ProfileView{mp, nonNil(words(mp.Types)), nonNil(words(mp.Treatments)), nonNil(words(mp.Topics)), nonNil(words(mp.Languages))}
}

// RequestView shows a request with its lists as arrays.
type RequestView struct {
	Request
	Types      []string `json:"types"`
	Treatments []string `json:"treatments"`
	Topics     []string `json:"topics"`
	Languages  []string `json:"languages"`
}

func viewRequest(r Request) RequestView {
	return RequestView{r, nonNil(words(r.Types)), nonNil(words(r.Treatments)), nonNil(words(r.Topics)), nonNil(words(r.Languages))}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Settings: GET /mentoring/settings (reviewers).
func (h *Handler) Settings(c *gin.Context) {
	st, err := h.svc.Settings(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, st, err)
}

// SaveSettings: PUT /mentoring/settings {weights, offer_hours} (admins).
func (h *Handler) SaveSettings(c *gin.Context) {
	var in Settings
	if !httpx.Decode(c, &in) {
		return
	}
	st, err := h.svc.SaveSettings(c.Request.Context(), principal(c), in)
	httpx.Respond(c, http.StatusOK, st, err)
}
