package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
)

func clientOf(c *gin.Context) accounts.ClientInfo {
	return accounts.ClientInfo{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}

// SignUpForm shows the sign-up form with the community's guidelines.
func (h *Handler) SignUpForm(c *gin.Context) {
	if accounts.PrincipalFrom(c.Request.Context()) != nil {
		c.Redirect(http.StatusSeeOther, base(c)+"/groups")
		return
	}
	h.pages.render(c, http.StatusOK, "signup", newView(c, "Create an account", "signup"))
}

// SignUp asks for an account and sends the browser to sign in, with the
// same notice whether the address was new or already had an account
// (nothing tells a visitor which addresses are here).
func (h *Handler) SignUp(c *gin.Context) {
	in := accounts.SignUpInput{
		DisplayName:      c.PostForm("display_name"),
		Email:            c.PostForm("email"),
		Password:         c.PostForm("password"),
		AgeBracket:       accounts.AgeBracket(c.PostForm("age_bracket")),
		AcceptGuidelines: c.PostForm("accept_guidelines") == "yes",
	}
	if err := h.accounts.SignUp(c.Request.Context(), tenantOf(c), in, clientOf(c)); err != nil {
		v := newView(c, "Create an account", "signup")
		v.Values = map[string]string{"display_name": in.DisplayName, "email": in.Email, "age_bracket": string(in.AgeBracket)}
		if in.AcceptGuidelines {
			v.Values["accept_guidelines"] = "yes"
		}
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		h.pages.render(c, statusOf(err), "signup", v)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/signin?notice=signup-accepted")
}

// SignInForm shows the sign-in form; next is where to go afterwards.
func (h *Handler) SignInForm(c *gin.Context) {
	next := safeNext(c, c.Query("next"))
	if accounts.PrincipalFrom(c.Request.Context()) != nil {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	v := newView(c, "Sign in", "signin")
	v.Values = map[string]string{"next": next}
	h.pages.render(c, http.StatusOK, "signin", v)
}

// SignIn checks the password and starts a browser session.
func (h *Handler) SignIn(c *gin.Context) {
	email, next := c.PostForm("email"), safeNext(c, c.PostForm("next"))
	p, token, err := h.accounts.SignIn(c.Request.Context(), tenantOf(c), email, c.PostForm("password"), clientOf(c))
	if err != nil {
		v := newView(c, "Sign in", "signin")
		v.Values = map[string]string{"email": email, "next": next}
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		h.pages.render(c, statusOf(err), "signin", v)
		return
	}
	accounts.SetSessionCookie(c, p, token)
	c.Redirect(http.StatusSeeOther, next)
}

// SignOut ends this browser's session.
func (h *Handler) SignOut(c *gin.Context) {
	if p := accounts.PrincipalFrom(c.Request.Context()); p != nil {
		if err := h.accounts.SignOut(c.Request.Context(), p); err != nil {
			httpx.Error(c, err)
			return
		}
	}
	accounts.ClearSessionCookie(c, tenantOf(c))
	c.Redirect(http.StatusSeeOther, base(c)+"?notice=signed-out")
}

// formFailed fills v with a service error to show beside the form. Errors
// that are not about the input (the store is down …) go to the error page
// instead, and it returns false; a server too busy to check a password
// right now (503 with Retry-After) is shown beside the form, so the member
// can simply send it again.
func (h *Handler) formFailed(c *gin.Context, err error, v *view, rename map[string]string) bool {
	fields, message, ok := formErrors(err, rename)
	e, _ := apperr.As(err)
	busy := ok && e.Code == apperr.CodeUnavailable && e.RetryAfterSeconds > 0
	if !ok || (statusOf(err) >= 500 && !busy) {
		httpx.Error(c, err)
		return false
	}
	if e.RetryAfterSeconds > 0 {
		c.Header("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	v.Errors = fields
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Errors["_form"] = message
	return true
}
