package accounts

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"quietroom/internal/httpx"
)

// ResetRequested is the one answer to every well-formed reset request,
// whether or not the address has an account.
var ResetRequested = gin.H{
	"status":  "accepted",
	"message": "If an account here uses that address, a link to choose a new password is on its way. It works once, for one hour.",
}

type resetRequest struct {
	Email string `json:"email"`
}

// RequestPasswordReset answers 202 with the same body whether or not the
// address has an account.
func (h *Handler) RequestPasswordReset(c *gin.Context) {
	var req resetRequest
	if !httpx.Decode(c, &req) {
		return
	}
	if err := h.svc.RequestPasswordReset(c.Request.Context(), TenantFrom(c.Request.Context()), req.Email, client(c)); err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusAccepted, ResetRequested)
}

type confirmResetRequest struct {
	Token       string `json:"token"`
	Password    string `json:"password"`
	BearerToken bool   `json:"bearer_token"`
}

// ConfirmPasswordReset sets the new password and signs the client in, like
// sign-in; every other session of the member ends.
func (h *Handler) ConfirmPasswordReset(c *gin.Context) {
	var req confirmResetRequest
	if !httpx.Decode(c, &req) {
		return
	}
	p, token, err := h.svc.ConfirmPasswordReset(c.Request.Context(), TenantFrom(c.Request.Context()), req.Token, req.Password, client(c))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	h.begin(c, http.StatusOK, p, token, req.BearerToken)
}

// SendResetLink is an admin mailing a member a reset link.
func (h *Handler) SendResetLink(c *gin.Context) {
	if err := h.svc.SendResetLink(c.Request.Context(), PrincipalFrom(c.Request.Context()), c.Param("user")); err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "sent"})
}

type confirmEmailRequest struct {
	Token string `json:"token"`
}

// ConfirmEmail confirms the address a mailed link was sent to.
func (h *Handler) ConfirmEmail(c *gin.Context) {
	var req confirmEmailRequest
	if !httpx.Decode(c, &req) {
		return
	}
	if err := h.svc.ConfirmAddress(c.Request.Context(), TenantFrom(c.Request.Context()), req.Token); err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "confirmed"})
}

// ResendConfirmation mails the signed-in member a new confirmation link.
func (h *Handler) ResendConfirmation(c *gin.Context) {
	if err := h.svc.ResendConfirmation(c.Request.Context(), PrincipalFrom(c.Request.Context()), client(c)); err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "sent"})
}
