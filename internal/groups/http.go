package groups

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
)

// Handler serves the groups API.
type Handler struct{ svc *Service }

func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

func principal(c *gin.Context) *accounts.Principal {
	return accounts.PrincipalFrom(c.Request.Context())
}

func (h *Handler) List(c *gin.Context) {
	f := Filter{Diagnosis: c.Query("diagnosis"), Audience: Audience(c.Query("audience"))}
	for _, flag := range []struct {
		name string
		dst  *bool
	}{{"joined", &f.Joined}, {"archived", &f.Archived}} {
		switch c.Query(flag.name) {
		case "", "false", "0":
		case "true", "1":
			*flag.dst = true
		default:
			httpx.Error(c, apperr.InvalidField(flag.name, "must be true or false"))
			return
		}
	}
	gs, err := h.svc.List(c.Request.Context(), principal(c), f)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"groups": gs})
}

func (h *Handler) Get(c *gin.Context) {
	g, err := h.svc.Get(c.Request.Context(), principal(c), c.Param("group"))
	httpx.Respond(c, http.StatusOK, g, err)
}

func (h *Handler) Create(c *gin.Context) {
	var in Input
	if !httpx.Decode(c, &in) {
		return
	}
	g, err := h.svc.Create(c.Request.Context(), principal(c), in)
	httpx.Respond(c, http.StatusCreated, g, err)
}

func (h *Handler) Update(c *gin.Context) {
	var in Patch
	if !httpx.Decode(c, &in) {
		return
	}
	g, err := h.svc.Update(c.Request.Context(), principal(c), c.Param("group"), in)
	httpx.Respond(c, http.StatusOK, g, err)
}

type joinRequest struct {
	Lurking bool `json:"lurking"`
}

// Join accepts an empty body (join and take part) or {"lurking": true}.
func (h *Handler) Join(c *gin.Context) {
	var req joinRequest
	if c.Request.ContentLength != 0 && !httpx.Decode(c, &req) {
		return
	}
	g, err := h.svc.Join(c.Request.Context(), principal(c), c.Param("group"), req.Lurking)
	httpx.Respond(c, http.StatusOK, g, err)
}

func (h *Handler) Leave(c *gin.Context) {
	g, err := h.svc.Leave(c.Request.Context(), principal(c), c.Param("group"))
	httpx.Respond(c, http.StatusOK, g, err)
}

type membershipRequest struct {
	Lurking *bool `json:"lurking"`
}

func (h *Handler) UpdateMembership(c *gin.Context) {
	var req membershipRequest
	if !httpx.Decode(c, &req) {
		return
	}
	if req.Lurking == nil {
		httpx.Error(c, apperr.InvalidField("lurking", "is required (true or false)"))
		return
	}
	g, err := h.svc.SetLurking(c.Request.Context(), principal(c), c.Param("group"), *req.Lurking)
	httpx.Respond(c, http.StatusOK, g, err)
}

func (h *Handler) Members(c *gin.Context) {
	ms, err := h.svc.Members(c.Request.Context(), principal(c), c.Param("group"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"members": ms})
}

type userRequest struct {
	UserID string `json:"user_id"`
}

func (h *Handler) Invite(c *gin.Context) {
	var req userRequest
	if !httpx.Decode(c, &req) {
		return
	}
	if req.UserID == "" {
		httpx.Error(c, apperr.InvalidField("user_id", "is required"))
		return
	}
	if err := h.svc.Invite(c.Request.Context(), principal(c), c.Param("group"), req.UserID); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handler) AssignModerator(c *gin.Context) {
	err := h.svc.SetModerator(c.Request.Context(), principal(c), c.Param("group"), c.Param("user"), true)
	httpx.RespondEmpty(c, err)
}

func (h *Handler) RemoveModerator(c *gin.Context) {
	err := h.svc.SetModerator(c.Request.Context(), principal(c), c.Param("group"), c.Param("user"), false)
	httpx.RespondEmpty(c, err)
}
