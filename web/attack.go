package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/httpx"
)

// SetAttackMode is the header's attack-mode control without JavaScript
// (POST /attack-mode: on, optional minutes, next): it turns the mode on or
// off and returns to the page it was pressed on. attack.js does the same
// through the API without leaving the page.
func (h *Handler) SetAttackMode(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	on := c.PostForm("on") == "true"
	in := accounts.AttackModeInput{On: &on}
	if m := c.PostForm("minutes"); on && m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			n = -1 // refused with the field named
		}
		in.Minutes = &n
	}
	if _, err := h.accounts.SetAttackMode(c.Request.Context(), p, in); err != nil {
		httpx.Error(c, err) // only a hand-made form gets here: the page's has no free field
		return
	}
	c.Redirect(http.StatusSeeOther, safeNext(c, c.PostForm("next")))
}

// attackCard is the "during an attack" card the library opens on while
// attack mode is on: a few plain lines in our own words, with the
// community's emergency number and crisis lines.
type attackCard struct {
	EmergencyNumber string
	CrisisLines     string
}
