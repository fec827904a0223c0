package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
)

// memberRow is one member on the admins' members page.
type memberRow struct {
	ID          string
	DisplayName string
	Role        string
	Joined      string
	JoinedISO   string
	// Confirmed: the address was proved, so it can receive a reset link.
	Confirmed bool
}

// membersPage is the members page's data: the community's members and,
// after a refused send, whose row the error is about.
type membersPage struct {
	Members []memberRow
	Failed  string
}

// roleLabel names a member's most responsible role in plain words.
func roleLabel(rs accounts.Roles) string {
	var parts []string
	for _, r := range []struct {
		role  accounts.Role
		label string
	}{{accounts.RoleAdmin, "Admin"}, {accounts.RoleModerator, "Moderator"}, {accounts.RoleMentor, "Mentor"}} {
		if rs.Has(r.role) {
			parts = append(parts, r.label)
		}
	}
	if len(parts) == 0 {
		return "Member"
	}
	return strings.Join(parts, ", ")
}

// Members lists the community's members for its admins (in the order of
// their names), each with a button that mails them a link to choose a new password.
func (h *Handler) Members(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	h.renderMembers(c, p, http.StatusOK, "", nil)
}

func (h *Handler) renderMembers(c *gin.Context, p *accounts.Principal, status int, failed string, errs map[string]string) {
	if !p.IsAdmin() {
		httpx.Error(c, apperr.Forbidden("only the community's admins see its members page"))
		return
	}
	users, err := h.accounts.ListUsers(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	rows := make([]memberRow, 0, len(users))
	for _, u := range users {
		rows = append(rows, memberRow{ID: u.ID, DisplayName: u.DisplayName, Role: roleLabel(u.Roles()),
			Joined: u.CreatedAt.Format("2 January 2006"), JoinedISO: u.CreatedAt.Format("2006-01-02"), Confirmed: u.EmailConfirmed()})
	}
	v := newView(c, "Members", "members")
	v.Errors = errs
	v.Data = membersPage{Members: rows, Failed: failed}
	h.pages.render(c, status, "members", v)
}

// SendResetLink mails a member a link to choose a new password, from the
// members page (the same service call as the admin API).
func (h *Handler) SendResetLink(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	id := c.Param("user")
	err := h.accounts.SendResetLink(c.Request.Context(), p, id)
	if err == nil {
		c.Redirect(http.StatusSeeOther, base(c)+"/members?notice=reset-link-sent#member-"+id)
		return
	}
	if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeConflict || e.Code == apperr.CodeRateLimited) {
		if e.RetryAfterSeconds > 0 {
			c.Header("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
		}
		h.renderMembers(c, p, httpx.Status(e.Code), id, map[string]string{"_form": e.Message})
		return
	}
	httpx.Error(c, err)
}
