package web

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/httpx"
	"quietroom/internal/library"
	"quietroom/internal/moderation"
)

// directory is the group directory page's data.
type directory struct {
	Groups    []groups.View
	Diagnoses []string
	Diagnosis string
	Audience  string
}

// Directory lists the groups a member may see, filtered by diagnosis and
// audience.
func (h *Handler) Directory(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	ctx := c.Request.Context()
	all, err := h.groups.List(ctx, p, groups.Filter{})
	if err != nil {
		httpx.Error(c, err)
		return
	}
	d := directory{Diagnosis: c.Query("diagnosis"), Audience: c.Query("audience")}
	for _, g := range all {
		if !slices.Contains(d.Diagnoses, g.Diagnosis) {
			d.Diagnoses = append(d.Diagnoses, g.Diagnosis)
		}
	}
	slices.Sort(d.Diagnoses)
	d.Groups, err = h.groups.List(ctx, p, groups.Filter{Diagnosis: d.Diagnosis, Audience: groups.Audience(d.Audience)})
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Groups", "groups")
	v.Data = d
	h.pages.render(c, http.StatusOK, "groups", v)
}

// room is the group room page's data.
type room struct {
	Group   groups.View
	Access  groups.Access
	WSURL   string
	History string
	// Articles are the library's articles on the group's diagnosis.
	Articles []library.Article
	// FlagReasons are the choices of the flag dialog.
	FlagReasons []struct{ Key, Label string }
}

// Room is a group's live chat; the page loads history and the socket itself.
func (h *Handler) Room(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	ctx, slug := c.Request.Context(), c.Param("group")
	g, err := h.groups.Get(ctx, p, slug)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	access, err := h.groups.Access(ctx, p, slug)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	articles, err := h.library.ByTag(ctx, p.Tenant.ID, g.Diagnosis)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, g.Name, "groups")
	v.Shell = access.CanRead
	api := "/api/v1/t/" + p.Tenant.Slug
	v.Data = room{Group: g, Access: access, WSURL: api + "/ws", History: api + "/groups/" + g.Slug + "/messages", Articles: articles,
		FlagReasons: moderation.FlagReasons()}
	h.pages.render(c, http.StatusOK, "room", v)
}

// Join joins a group and opens its room.
func (h *Handler) Join(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	g, err := h.groups.Join(c.Request.Context(), p, c.Param("group"), c.PostForm("lurking") == "true")
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/groups/"+g.Slug+"?notice=joined")
}

// Leave leaves a group and returns to the directory.
func (h *Handler) Leave(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if _, err := h.groups.Leave(c.Request.Context(), p, c.Param("group")); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/groups?notice=left")
}

// Lurk switches between reading unseen and taking part.
func (h *Handler) Lurk(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	var lurking bool
	switch c.PostForm("lurking") {
	case "true":
		lurking = true
	case "false":
	default:
		httpx.Error(c, apperr.InvalidField("lurking", "must be true or false"))
		return
	}
	g, err := h.groups.SetLurking(c.Request.Context(), p, c.Param("group"), lurking)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	notice := "lurking-off"
	if lurking {
		notice = "lurking-on"
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/groups/"+g.Slug+"?notice="+notice)
}
