package moderation

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/moderation/screening"
	"quietroom/internal/realtime/conversation"
)

// Handler serves the moderation API.
type Handler struct{ svc *Service }

func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

func principal(c *gin.Context) *accounts.Principal {
	return accounts.PrincipalFrom(c.Request.Context())
}

// FlagMessage: POST /groups/:group/messages/:message/flags and
// /conversations/:conversation/messages/:message/flags.
func (h *Handler) FlagMessage(c *gin.Context) {
	var in FlagInput
	if !httpx.Decode(c, &in) {
		return
	}
	// /conversations/{address}/... names it by address, /groups/{group}/...
	// by the older spelling (docs/api.md).
	var at conversation.Address
	var err error
	if v := c.Param("conversation"); v != "" {
		at, err = conversation.Parse(v)
	} else {
		at, err = conversation.FromGroupField(c.Param("group"))
	}
	if err != nil {
		httpx.Error(c, apperr.NotFound("there is no such conversation: %s", err.Error()))
		return
	}
	f, err := h.svc.Flag(c.Request.Context(), principal(c), at, c.Param("message"), in)
	httpx.Respond(c, http.StatusCreated, f, err)
}

// MyFlags: GET /me/flags.
func (h *Handler) MyFlags(c *gin.Context) {
	fs, err := h.svc.MyFlags(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, gin.H{"flags": fs}, err)
}

// Queue: GET /moderation/queue?group=&reason=&status=.
func (h *Handler) Queue(c *gin.Context) {
	items, err := h.svc.Queue(c.Request.Context(), principal(c), QueueFilter{Group: c.Query("group"), Reason: c.Query("reason"), Status: c.Query("status")})
	httpx.Respond(c, http.StatusOK, gin.H{"items": items}, err)
}

// Case: GET /moderation/items/:item.
func (h *Handler) Case(c *gin.Context) {
	cs, err := h.svc.Case(c.Request.Context(), principal(c), c.Param("item"))
	httpx.Respond(c, http.StatusOK, cs, err)
}

type versioned struct {
	Version int    `json:"version"`
	Action  string `json:"action"`
	Note    string `json:"note"`
}

func decodeVersioned(c *gin.Context) (versioned, bool) {
	var in versioned
	if !httpx.Decode(c, &in) {
		return in, false
	}
	if in.Version < 1 {
		httpx.Error(c, apperr.InvalidField("version", "send the item's current version"))
		return in, false
	}
	return in, true
}

// Claim: POST /moderation/items/:item/claim {version}.
func (h *Handler) Claim(c *gin.Context) {
	in, ok := decodeVersioned(c)
	if !ok {
		return
	}
	it, err := h.svc.Claim(c.Request.Context(), principal(c), c.Param("item"), in.Version)
	httpx.Respond(c, http.StatusOK, it, err)
}

// Release: POST /moderation/items/:item/release {version}.
func (h *Handler) Release(c *gin.Context) {
	in, ok := decodeVersioned(c)
	if !ok {
		return
	}
	it, err := h.svc.Release(c.Request.Context(), principal(c), c.Param("item"), in.Version)
	httpx.Respond(c, http.StatusOK, it, err)
}

// Act: POST /moderation/items/:item/actions {version, action, note}.
func (h *Handler) Act(c *gin.Context) {
	in, ok := decodeVersioned(c)
	if !ok {
		return
	}
	it, err := h.svc.Act(c.Request.Context(), principal(c), c.Param("item"), in.Version, in.Action, in.Note)
	httpx.Respond(c, http.StatusOK, it, err)
}

// TestText: POST /moderation/screening/test {text}: which rules match and why.
func (h *Handler) TestText(c *gin.Context) {
	var in struct {
		Text string `json:"text"`
	}
	if !httpx.Decode(c, &in) {
		return
	}
	out, err := h.svc.Explain(c.Request.Context(), principal(c), in.Text)
	httpx.Respond(c, http.StatusOK, out, err)
}

// Audit: GET /moderation/audit?format=json|csv&before=RFC3339&limit=.
func (h *Handler) Audit(c *gin.Context) {
	var before time.Time
	if v := c.Query("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			httpx.Error(c, apperr.InvalidField("before", "must be a time like 2026-11-28T10:00:00Z"))
			return
		}
		before = t
	}
	limit := 0
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			httpx.Error(c, apperr.InvalidField("limit", "must be a positive whole number"))
			return
		}
		limit = n
	}
	entries, err := h.svc.Audit(c.Request.Context(), principal(c), before, limit)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	switch c.DefaultQuery("format", "json") {
	case "json":
		c.JSON(http.StatusOK, gin.H{"entries": entries})
	case "csv":
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="moderation-log.csv"`)
		w := csv.NewWriter(c.Writer)
		_ = w.Write([]string{"at", "actor_id", "actor_name", "action", "item_id", "subject_id", "why", "before", "after"})
		for _, e := range entries {
			_ = w.Write([]string{e.At.UTC().Format(time.RFC3339Nano), e.ActorID, csvSafe(e.ActorName), e.Action, e.ItemID, e.SubjectID,
				csvSafe(e.Why), csvSafe(e.Before), csvSafe(e.After)})
		}
		w.Flush()
	default:
		httpx.Error(c, apperr.InvalidField("format", "must be json or csv"))
	}
}

// csvSafe stops a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// Rules: GET /moderation/rules.
func (h *Handler) Rules(c *gin.Context) {
	rs, err := h.svc.Rules(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, gin.H{"rules": rs}, err)
}

// SwitchRule: PATCH /moderation/rules/:rule {enabled, shadow}.
func (h *Handler) SwitchRule(c *gin.Context) {
	var in RuleSwitch
	if !httpx.Decode(c, &in) {
		return
	}
	if err := h.svc.SwitchRule(c.Request.Context(), principal(c), c.Param("rule"), in); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// AddRule: POST /moderation/rules.
func (h *Handler) AddRule(c *gin.Context) {
	var in NewRule
	if !httpx.Decode(c, &in) {
		return
	}
	r, err := h.svc.AddRule(c.Request.Context(), principal(c), in)
	httpx.Respond(c, http.StatusCreated, r, err)
}

// DeleteRule: DELETE /moderation/rules/:rule.
func (h *Handler) DeleteRule(c *gin.Context) {
	if err := h.svc.DeleteRule(c.Request.Context(), principal(c), c.Param("rule")); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// CrisisSettings: GET /moderation/settings.
func (h *Handler) CrisisSettings(c *gin.Context) {
	s, err := h.svc.CrisisSettings(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, s, err)
}

// SaveCrisisSettings: PUT /moderation/settings.
func (h *Handler) SaveCrisisSettings(c *gin.Context) {
	var in Settings
	if !httpx.Decode(c, &in) {
		return
	}
	s, err := h.svc.SaveCrisisSettings(c.Request.Context(), principal(c), in)
	httpx.Respond(c, http.StatusOK, s, err)
}

// AuthorAction: POST /moderation/items/:item/author-actions {action, note, minutes}.
func (h *Handler) AuthorAction(c *gin.Context) {
	var in AuthorAction
	if !httpx.Decode(c, &in) {
		return
	}
	it, err := h.svc.ActOnAuthor(c.Request.Context(), principal(c), c.Param("item"), in)
	httpx.Respond(c, http.StatusOK, it, err)
}

// Undo: POST /moderation/items/:item/undo {version}.
func (h *Handler) Undo(c *gin.Context) {
	in, ok := decodeVersioned(c)
	if !ok {
		return
	}
	it, err := h.svc.Undo(c.Request.Context(), principal(c), c.Param("item"), in.Version)
	httpx.Respond(c, http.StatusOK, it, err)
}

// Appeal: POST /groups/:group/messages/:message/appeal {text}.
func (h *Handler) Appeal(c *gin.Context) {
	var in struct {
		Text string `json:"text"`
	}
	if !httpx.Decode(c, &in) {
		return
	}
	it, err := h.svc.Appeal(c.Request.Context(), principal(c), c.Param("message"), in.Text)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "appealed", "message_id": it.MessageID})
}

// Stats: GET /moderation/stats.
func (h *Handler) Stats(c *gin.Context) {
	st, err := h.svc.Stats(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, st, err)
}

// Correct: POST /moderation/items/:item/correction {version, note, article, remove}.
func (h *Handler) Correct(c *gin.Context) {
	var in Correction
	if !httpx.Decode(c, &in) {
		return
	}
	it, err := h.svc.Correct(c.Request.Context(), principal(c), c.Param("item"), in)
	httpx.Respond(c, http.StatusOK, it, err)
}

// Thresholds: GET /moderation/screening/thresholds.
func (h *Handler) Thresholds(c *gin.Context) {
	ts, err := h.svc.Thresholds(c.Request.Context(), principal(c))
	httpx.Respond(c, http.StatusOK, gin.H{"thresholds": ts}, err)
}

// SetThresholds: PUT /moderation/screening/thresholds/:category {uncertain, confident}.
func (h *Handler) SetThresholds(c *gin.Context) {
	var in struct {
		Uncertain *float64 `json:"uncertain"`
		Confident *float64 `json:"confident"`
	}
	if !httpx.Decode(c, &in) {
		return
	}
	bad := apperr.Fields{}
	if in.Uncertain == nil {
		bad.Add("uncertain", "is required (a score between 0 and 1)")
	}
	if in.Confident == nil {
		bad.Add("confident", "is required (a score between 0 and 1)")
	}
	if err := bad.Err(); err != nil {
		httpx.Error(c, err)
		return
	}
	v, err := h.svc.SetThresholds(c.Request.Context(), principal(c), c.Param("category"),
		screening.Thresholds{Uncertain: *in.Uncertain, Confident: *in.Confident})
	httpx.Respond(c, http.StatusOK, v, err)
}

// ResetThresholds: DELETE /moderation/screening/thresholds/:category.
func (h *Handler) ResetThresholds(c *gin.Context) {
	httpx.RespondEmpty(c, h.svc.ResetThresholds(c.Request.Context(), principal(c), c.Param("category")))
}

// Restrictions: GET /moderation/restrictions (admins).
func (h *Handler) Restrictions(c *gin.Context) {
	rs, err := h.svc.ActiveRestrictions(c.Request.Context(), principal(c))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"restrictions": rs})
}

type liftRequest struct {
	Note string `json:"note"`
}

// LiftRestriction: POST /moderation/restrictions/:restriction/lift (admins).
func (h *Handler) LiftRestriction(c *gin.Context) {
	var in liftRequest
	if !httpx.Decode(c, &in) {
		return
	}
	if err := h.svc.LiftRestriction(c.Request.Context(), principal(c), c.Param("restriction"), in.Note); err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"lifted": true})
}
