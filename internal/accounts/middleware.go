package accounts

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
)

// CookieName is per tenant, so one browser can be signed in to two
// communities without one session leaking into the other's requests.
func CookieName(tenantSlug string) string { return "qr_session_" + tenantSlug }

// CSRFHeader carries the session's CSRF token on API requests; forms send
// the same value in a csrf_token field.
const CSRFHeader = "X-CSRF-Token"

// Tenant resolves the :tenant path parameter and puts the tenant on the
// request context; unknown tenants are 404.
func (h *Handler) Tenant() gin.HandlerFunc {
	return func(c *gin.Context) {
		t, err := h.svc.TenantBySlug(c.Request.Context(), c.Param("tenant"))
		if err != nil {
			httpx.Error(c, err)
			return
		}
		c.Request = c.Request.WithContext(WithTenant(c.Request.Context(), t))
		c.Next()
	}
}

// credential returns the session token a request presents: a bearer token
// (non-browser clients) or the tenant's session cookie.
func credential(c *gin.Context, t *Tenant) (token string, viaCookie bool) {
	if auth := c.GetHeader("Authorization"); auth != "" {
		if after, ok := strings.CutPrefix(auth, "Bearer "); ok {
			return strings.TrimSpace(after), false
		}
	}
	if v, err := c.Cookie(CookieName(t.Slug)); err == nil && v != "" {
		return v, true
	}
	return "", false
}

// Authenticate places the principal on the context when the request carries
// a valid session. A credential of another tenant ends the request with 404:
// nothing here exists for it.
func (h *Handler) Authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		t := TenantFrom(c.Request.Context())
		token, viaCookie := credential(c, t)
		if token == "" {
			c.Next()
			return
		}
		p, err := h.svc.Authenticate(c.Request.Context(), t, token)
		switch {
		case errors.Is(err, ErrOtherTenant):
			httpx.Error(c, apperr.NotFound("there is nothing at %s", c.Request.URL.Path))
			return
		case apperr.CodeOf(err) == apperr.CodeUnauthenticated:
			if viaCookie {
				h.clearCookie(c, t)
			}
			c.Next()
			return
		case err != nil:
			httpx.Error(c, err)
			return
		}
		p.ViaCookie = viaCookie
		c.Request = c.Request.WithContext(WithPrincipal(c.Request.Context(), p))
		c.Next()
	}
}

// RequireUser answers 401 unless someone is signed in.
func RequireUser() gin.HandlerFunc {
	return func(c *gin.Context) {
		if PrincipalFrom(c.Request.Context()) == nil {
			httpx.Error(c, apperr.New(apperr.CodeUnauthenticated, "sign in to continue"))
			return
		}
		c.Next()
	}
}

// CSRF guards state-changing requests. Any such request from another site
// (by Sec-Fetch-Site or Origin) is refused, which also covers sign-in and
// sign-up; requests authenticated by cookie must echo the session's token.
func CSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		t := TenantFrom(c.Request.Context())
		if crossSite(c.Request, t) {
			httpx.Error(c, apperr.New(apperr.CodeCSRF, "this request came from another site and was refused"))
			return
		}
		if p := PrincipalFrom(c.Request.Context()); p != nil && p.ViaCookie {
			sent := c.GetHeader(CSRFHeader)
			if sent == "" && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
				sent = c.PostForm("csrf_token")
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(p.Session.CSRFToken)) != 1 {
				httpx.Error(c, apperr.New(apperr.CodeCSRF, "the form or request is missing its security token: reload the page and try again"))
				return
			}
		}
		c.Next()
	}
}

// crossSite reports whether a request was sent by a page of another origin.
func crossSite(r *http.Request, t *Tenant) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false // not a browser, or a same-origin GET-like navigation
	}
	return !OriginAllowed(origin, r.Host, t)
}

// OriginAllowed reports whether origin is the hub itself (same host) or one
// of the tenant's allowed origins. The WebSocket endpoint uses it too.
func OriginAllowed(origin, host string, t *Tenant) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true
	}
	return t != nil && slices.Contains(t.Origins(), strings.ToLower(origin))
}

func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func setCookie(c *gin.Context, t *Tenant, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: CookieName(t.Slug), Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: isHTTPS(c.Request), SameSite: http.SameSiteLaxMode,
	})
}

// SetSessionCookie hands a browser the session that sign-up or sign-in
// just started; the pages use it as the API does.
func SetSessionCookie(c *gin.Context, p *Principal, token string) {
	setCookie(c, &p.Tenant, token, int(p.Session.ExpiresAt.Sub(p.Session.CreatedAt).Seconds()))
}

// ClearSessionCookie forgets the browser's session for t.
func ClearSessionCookie(c *gin.Context, t *Tenant) { setCookie(c, t, "", -1) }

func (h *Handler) clearCookie(c *gin.Context, t *Tenant) { ClearSessionCookie(c, t) }
