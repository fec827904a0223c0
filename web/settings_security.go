package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
)

// ChangePassword changes the member's password after checking the current
// one; the member's other devices are signed out, this one stays.
func (h *Handler) ChangePassword(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	current, next, again := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("new_password_again")
	if next != again {
		v := newView(c, "Settings", "settings")
		v.Errors = map[string]string{"_form": "some fields need attention", "new_password_again": "does not match the new password"}
		h.renderSettings(c, http.StatusUnprocessableEntity, v)
		return
	}
	if err := h.accounts.ChangePassword(c.Request.Context(), p, current, next, clientOf(c)); err != nil {
		v := newView(c, "Settings", "settings")
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		h.renderSettings(c, statusOf(err), v)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/settings?notice=password-changed#security-heading")
}

// EndDevice signs the member out on one device; ending this one signs out here.
func (h *Handler) EndDevice(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	current, err := h.accounts.EndDevice(c.Request.Context(), p, c.Param("session"))
	if err != nil {
		v := newView(c, "Settings", "settings")
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		h.renderSettings(c, statusOf(err), v)
		return
	}
	if current {
		accounts.ClearSessionCookie(c, tenantOf(c))
		c.Redirect(http.StatusSeeOther, base(c)+"?notice=signed-out")
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/settings?notice=device-signed-out#devices-heading")
}
