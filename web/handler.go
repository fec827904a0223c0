package web

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/httpx"
	"quietroom/internal/library"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
)

// Handler serves the pages. It calls the same services as the API and keeps
// no state of its own beyond the parsed templates.
type Handler struct {
	accounts   *accounts.Service
	groups     *groups.Service
	library    *library.Service
	moderation *moderation.Service
	mentoring  *mentoring.Service
	pages      *renderer
	static     http.Handler
	// demoSlug is the community "/" leads to, when it exists.
	demoSlug string
}

// NewHandler parses the embedded templates; it fails on a broken template
// at start-up rather than on a member's request.
func NewHandler(acc *accounts.Service, grp *groups.Service, lib *library.Service, mod *moderation.Service, ment *mentoring.Service, demoSlug string) (*Handler, error) {
	version, err := staticVersion()
	if err != nil {
		return nil, fmt.Errorf("fingerprint static files: %w", err)
	}
	pages, err := newRenderer(version, acc.Now)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	return &Handler{accounts: acc, groups: grp, library: lib, moderation: mod, mentoring: ment, pages: pages, static: http.FileServer(http.FS(static)), demoSlug: demoSlug}, nil
}

// Pages goes in front of the tenant and session middleware on page routes:
// errors become pages, and form bodies are bounded.
func (h *Handler) Pages() gin.HandlerFunc {
	renderErrors := httpx.RenderErrorsWith(h.pages.errorPage)
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, httpx.MaxBodyBytes)
		renderErrors(c)
	}
}

// Static serves /static/{version}/…; a current version may be cached for
// good, an old one (a page from before a deploy) is served fresh.
func (h *Handler) Static(c *gin.Context) {
	if c.Param("version") == h.pages.version {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	r := c.Request.Clone(c.Request.Context())
	r.URL.Path = c.Param("filepath")
	if strings.HasSuffix(r.URL.Path, "/") {
		httpx.Error(c, apperr.NotFound("there is nothing at %s", c.Request.URL.Path))
		return
	}
	h.static.ServeHTTP(c.Writer, r)
}

// Robots keeps every page out of search engines: communities are private
// even where a page is reachable without signing in.
func (h *Handler) Robots(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=86400")
	c.String(http.StatusOK, "User-agent: *\nDisallow: /\n")
}

// Index sends visitors of the bare address to the demo community, or
// explains where communities live.
func (h *Handler) Index(c *gin.Context) {
	if h.demoSlug != "" {
		if _, err := h.accounts.TenantBySlug(c.Request.Context(), h.demoSlug); err == nil {
			c.Redirect(http.StatusSeeOther, "/t/"+h.demoSlug)
			return
		}
	}
	h.pages.render(c, http.StatusOK, "index", newView(c, "Quietroom", ""))
}

// Home is the community's front page: what it is, its guidelines and, for
// a member, their groups.
func (h *Handler) Home(c *gin.Context) {
	v := newView(c, "Home", "home")
	if v.Principal != nil {
		mine, err := h.groups.List(c.Request.Context(), v.Principal, groups.Filter{Joined: true})
		if err != nil {
			httpx.Error(c, err)
			return
		}
		v.Data = mine
	}
	h.pages.render(c, http.StatusOK, "home", v)
}

func tenantOf(c *gin.Context) *accounts.Tenant { return accounts.TenantFrom(c.Request.Context()) }

// base is the path of the current community's pages.
func base(c *gin.Context) string { return "/t/" + tenantOf(c).Slug }

// signedIn returns the member, or sends a visitor to sign in and come back.
func signedIn(c *gin.Context) *accounts.Principal {
	p := accounts.PrincipalFrom(c.Request.Context())
	if p == nil {
		next := c.Request.URL.Path
		if c.Request.Method != http.MethodGet {
			next = base(c)
		}
		c.Redirect(http.StatusSeeOther, base(c)+"/signin?next="+url.QueryEscape(next))
		c.Abort()
	}
	return p
}

// safeNext accepts only a path inside this community, so the sign-in form
// cannot be used to send someone to another site.
func safeNext(c *gin.Context, next string) string {
	b := base(c)
	if next == b || (strings.HasPrefix(next, b+"/") && !strings.ContainsAny(next, "\\\r\n") && !strings.Contains(next, "//")) {
		return next
	}
	return b + "/groups"
}

// statusOf is the HTTP status for a service error shown on a form.
func statusOf(err error) int {
	var e *apperr.Error
	if errors.As(err, &e) {
		return httpx.Status(e.Code)
	}
	return http.StatusInternalServerError
}
