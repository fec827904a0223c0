package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// ForgotForm asks for the address to send a reset link to.
func (h *Handler) ForgotForm(c *gin.Context) {
	h.pages.render(c, http.StatusOK, "forgot", newView(c, "Forgot your password?", "signin"))
}

// Forgot sends the reset link. The page that follows is the same whether
// or not the address has an account.
func (h *Handler) Forgot(c *gin.Context) {
	email := c.PostForm("email")
	v := newView(c, "Forgot your password?", "signin")
	v.Values = map[string]string{"email": email}
	if err := h.accounts.RequestPasswordReset(c.Request.Context(), tenantOf(c), email, clientOf(c)); err != nil {
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		h.pages.render(c, statusOf(err), "forgot", v)
		return
	}
	v.Values["sent"] = "yes"
	h.pages.render(c, http.StatusAccepted, "forgot", v)
}

// ResetForm shows the new-password form for a mailed link, or says at once
// that the link no longer works.
func (h *Handler) ResetForm(c *gin.Context) {
	// The token is in this page's address. The hub-wide Referrer-Policy
	// (same-origin) keeps it from other sites; no-referrer would make
	// browsers send "Origin: null" with the form's POST, which the CSRF
	// check rightly refuses.
	token := c.Query("token")
	v := newView(c, "Choose a new password", "signin")
	v.Values = map[string]string{"token": token}
	if err := h.accounts.CheckResetToken(c.Request.Context(), tenantOf(c), token); err != nil {
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		v.Values["expired"] = "yes"
		h.pages.render(c, statusOf(err), "reset", v)
		return
	}
	h.pages.render(c, http.StatusOK, "reset", v)
}

// Reset sets the new password, ends the member's other sessions and signs
// this browser in.
func (h *Handler) Reset(c *gin.Context) {
	token := c.PostForm("token")
	p, session, err := h.accounts.ConfirmPasswordReset(c.Request.Context(), tenantOf(c), token, c.PostForm("password"), clientOf(c))
	if err != nil {
		v := newView(c, "Choose a new password", "signin")
		v.Values = map[string]string{"token": token}
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		if errors.Is(err, apperr.New(apperr.CodeInvalidToken, "")) {
			v.Values["expired"] = "yes"
		}
		h.pages.render(c, statusOf(err), "reset", v)
		return
	}
	accounts.SetSessionCookie(c, p, session)
	c.Redirect(http.StatusSeeOther, base(c)+"/groups?notice=password-reset")
}

// ConfirmForm shows the button that confirms an address. Confirming takes
// a POST, so a mail scanner that opens the link confirms nothing.
func (h *Handler) ConfirmForm(c *gin.Context) {
	v := newView(c, "Confirm your address", "")
	v.Values = map[string]string{"token": c.Query("token")}
	h.pages.render(c, http.StatusOK, "confirm", v)
}

// Confirm confirms the address the link was mailed to.
func (h *Handler) Confirm(c *gin.Context) {
	token := c.PostForm("token")
	v := newView(c, "Confirm your address", "")
	v.Values = map[string]string{"token": token}
	if err := h.accounts.ConfirmAddress(c.Request.Context(), tenantOf(c), token); err != nil {
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		v.Values["expired"] = "yes"
		h.pages.render(c, statusOf(err), "confirm", v)
		return
	}
	v.Values["done"] = "yes"
	h.pages.render(c, http.StatusOK, "confirm", v)
}

// ResendConfirmation mails the signed-in member a new confirmation link.
func (h *Handler) ResendConfirmation(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if err := h.accounts.ResendConfirmation(c.Request.Context(), p, clientOf(c)); err != nil {
		v := newView(c, "Settings", "settings")
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		h.renderSettings(c, statusOf(err), v)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/settings?notice=confirmation-sent")
}

// UnsubscribeForm is where the unsubscribe link of a notification mail
// leads: a button, so a mail scanner opening the link changes nothing.
func (h *Handler) UnsubscribeForm(c *gin.Context) {
	v := newView(c, "Stop these mails", "")
	v.Values = map[string]string{"token": c.Query("token")}
	h.pages.render(c, http.StatusOK, "unsubscribe", v)
}

// Unsubscribe turns off the kinds of mail the token names. It serves both
// the page's button and mail clients' one-click POST (RFC 8058), which
// carries no cookie and no CSRF token: the token itself is the credential.
func (h *Handler) Unsubscribe(c *gin.Context) {
	token := c.Query("token")
	if token == "" {
		token = c.PostForm("token")
	}
	v := newView(c, "Stop these mails", "")
	v.Values = map[string]string{"token": token}
	kinds, err := h.accounts.Unsubscribe(c.Request.Context(), tenantOf(c), token)
	if err != nil {
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		v.Values["expired"] = "yes"
		h.pages.render(c, statusOf(err), "unsubscribe", v)
		return
	}
	v.Values["done"] = "yes"
	v.Data = kinds
	h.pages.render(c, http.StatusOK, "unsubscribe", v)
}
