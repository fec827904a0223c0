package accounts

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
)

// Handler serves the accounts API.
type Handler struct {
	svc           *Service
	operatorToken string
}

func NewHandler(svc *Service, operatorToken string) *Handler {
	return &Handler{svc: svc, operatorToken: operatorToken}
}

// UserView is how a user appears to themself and to admins.
type UserView struct {
	ID                string     `json:"id"`
	Email             string     `json:"email"`
	DisplayName       string     `json:"display_name"`
	AgeBracket        AgeBracket `json:"age_bracket"`
	Roles             Roles      `json:"roles"`
	GuidelinesVersion int        `json:"guidelines_version"`
	CreatedAt         time.Time  `json:"created_at"`
	// EmailConfirmed is false until the member follows the confirmation
	// link mailed at sign-up.
	EmailConfirmed bool `json:"email_confirmed"`
	// Preferences and AttackMode are shown to the member themself only.
	Preferences *Preferences `json:"preferences,omitempty"`
	AttackMode  *AttackMode  `json:"attack_mode,omitempty"`
}

func ViewUser(u User) UserView {
	return UserView{u.ID, u.Email, u.DisplayName, u.AgeBracket, u.Roles(), u.GuidelinesVersion, u.CreatedAt, u.EmailConfirmed(), nil, nil}
}

// viewSelf is a member's view of their own account at now.
func viewSelf(u User, now time.Time) UserView {
	v, prefs, attack := ViewUser(u), u.Preferences(), u.AttackMode(now)
	v.Preferences, v.AttackMode = &prefs, &attack
	return v
}

// SessionView is what sign-up, sign-in and /me return.
type SessionView struct {
	User UserView `json:"user"`
	// CSRFToken must be echoed in the X-CSRF-Token header of every
	// state-changing request made with the session cookie.
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
	// Token is returned only when asked for (non-browser clients); browsers
	// use the HttpOnly cookie.
	Token string `json:"token,omitempty"`
	// GuidelinesPending is true when the community's guidelines changed
	// since the member accepted them.
	GuidelinesPending bool `json:"guidelines_pending"`
}

func viewSession(p *Principal, token string, now time.Time) SessionView {
	return SessionView{User: viewSelf(p.User, now), CSRFToken: p.Session.CSRFToken, ExpiresAt: p.Session.ExpiresAt,
		Token: token, GuidelinesPending: p.User.GuidelinesVersion < p.Tenant.GuidelinesVersion}
}

// TenantView is the public face of a community.
type TenantView struct {
	Slug              string `json:"slug"`
	Name              string `json:"name"`
	Guidelines        string `json:"guidelines"`
	GuidelinesVersion int    `json:"guidelines_version"`
}

func ViewTenant(t Tenant) TenantView {
	return TenantView{t.Slug, t.Name, t.Guidelines, t.GuidelinesVersion}
}

func client(c *gin.Context) ClientInfo {
	return ClientInfo{IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
}

// wantsToken reports whether a non-browser client asked for a bearer token
// in the body instead of a cookie.
func (h *Handler) begin(c *gin.Context, status int, p *Principal, token string, asBearer bool) {
	if asBearer {
		c.JSON(status, viewSession(p, token, h.svc.now()))
		return
	}
	SetSessionCookie(c, p, token)
	c.JSON(status, viewSession(p, "", h.svc.now()))
}

type signUpRequest struct {
	SignUpInput
	// BearerToken is accepted for older clients and changes nothing: a
	// sign-up starts no session (sign in next).
	BearerToken bool `json:"bearer_token"`
}

func (h *Handler) SignUp(c *gin.Context) {
	var req signUpRequest
	if !httpx.Decode(c, &req) {
		return
	}
	if err := h.svc.SignUp(c.Request.Context(), TenantFrom(c.Request.Context()), req.SignUpInput, client(c)); err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"status": "accepted", "message": SignUpAccepted})
}

type signInRequest struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	BearerToken bool   `json:"bearer_token"`
}

func (h *Handler) SignIn(c *gin.Context) {
	var req signInRequest
	if !httpx.Decode(c, &req) {
		return
	}
	p, token, err := h.svc.SignIn(c.Request.Context(), TenantFrom(c.Request.Context()), req.Email, req.Password, client(c))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	h.begin(c, http.StatusOK, p, token, req.BearerToken)
}

func (h *Handler) SignOut(c *gin.Context) {
	p := PrincipalFrom(c.Request.Context())
	if err := h.svc.SignOut(c.Request.Context(), p); err != nil {
		httpx.Error(c, err)
		return
	}
	h.clearCookie(c, &p.Tenant)
	c.Status(http.StatusNoContent)
}

func (h *Handler) SignOutEverywhere(c *gin.Context) {
	p := PrincipalFrom(c.Request.Context())
	n, err := h.svc.SignOutEverywhere(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	h.clearCookie(c, &p.Tenant)
	c.JSON(http.StatusOK, gin.H{"sessions_ended": n})
}

func (h *Handler) Me(c *gin.Context) {
	c.JSON(http.StatusOK, viewSession(PrincipalFrom(c.Request.Context()), "", h.svc.now()))
}

func (h *Handler) UpdateMe(c *gin.Context) {
	var req ProfileUpdate
	if !httpx.Decode(c, &req) {
		return
	}
	u, err := h.svc.UpdateProfile(c.Request.Context(), PrincipalFrom(c.Request.Context()), req)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, viewSelf(*u, h.svc.now()))
}

// SetAttackMode: PUT /me/attack-mode {on, minutes}.
func (h *Handler) SetAttackMode(c *gin.Context) {
	var in AttackModeInput
	if !httpx.Decode(c, &in) {
		return
	}
	mode, err := h.svc.SetAttackMode(c.Request.Context(), PrincipalFrom(c.Request.Context()), in)
	httpx.Respond(c, http.StatusOK, mode, err)
}

func (h *Handler) Export(c *gin.Context) {
	p := PrincipalFrom(c.Request.Context())
	data, err := h.svc.Export(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="quietroom-`+p.Tenant.Slug+`-my-data.json"`)
	c.IndentedJSON(http.StatusOK, data)
}

type deleteAccountRequest struct {
	Password string `json:"password"`
}

func (h *Handler) DeleteMe(c *gin.Context) {
	var req deleteAccountRequest
	if !httpx.Decode(c, &req) {
		return
	}
	p := PrincipalFrom(c.Request.Context())
	if err := h.svc.DeleteAccount(c.Request.Context(), p, req.Password, client(c)); err != nil {
		httpx.Error(c, err)
		return
	}
	h.clearCookie(c, &p.Tenant)
	c.Status(http.StatusNoContent)
}

func (h *Handler) GetTenant(c *gin.Context) {
	c.JSON(http.StatusOK, ViewTenant(*TenantFrom(c.Request.Context())))
}

// AdminTenantView adds the settings only admins see.
type AdminTenantView struct {
	TenantView
	DeletionPolicy string `json:"deletion_policy"`
	AllowedOrigins string `json:"allowed_origins"`
}

func (h *Handler) UpdateTenant(c *gin.Context) {
	var req TenantSettings
	if !httpx.Decode(c, &req) {
		return
	}
	t, err := h.svc.UpdateTenant(c.Request.Context(), PrincipalFrom(c.Request.Context()), req)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, AdminTenantView{ViewTenant(*t), t.DeletionPolicy, t.AllowedOrigins})
}

func (h *Handler) ListUsers(c *gin.Context) {
	us, err := h.svc.ListUsers(c.Request.Context(), PrincipalFrom(c.Request.Context()))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	views := make([]UserView, len(us))
	for i, u := range us {
		views[i] = ViewUser(u)
	}
	c.JSON(http.StatusOK, gin.H{"users": views})
}

func (h *Handler) GetUser(c *gin.Context) {
	p := PrincipalFrom(c.Request.Context())
	if !p.IsAdmin() && !p.IsModerator() {
		httpx.Error(c, apperr.Forbidden("only admins and moderators look up members"))
		return
	}
	u, err := h.svc.User(c.Request.Context(), p.Tenant.ID, c.Param("user"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, ViewUser(*u))
}

type setRolesRequest struct {
	Roles []Role `json:"roles"`
}

func (h *Handler) SetRoles(c *gin.Context) {
	var req setRolesRequest
	if !httpx.Decode(c, &req) {
		return
	}
	if req.Roles == nil {
		httpx.Error(c, apperr.InvalidField("roles", "is required (a list such as [\"member\", \"moderator\"])"))
		return
	}
	u, err := h.svc.SetRoles(c.Request.Context(), PrincipalFrom(c.Request.Context()), c.Param("user"), req.Roles)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, ViewUser(*u))
}

// RequireOperator guards the operator API with HUB_OPERATOR_TOKEN. With no
// token configured the operator API does not exist.
func (h *Handler) RequireOperator() gin.HandlerFunc {
	return func(c *gin.Context) {
		if h.operatorToken == "" {
			httpx.Error(c, apperr.NotFound("the operator API is disabled: set HUB_OPERATOR_TOKEN to enable it"))
			return
		}
		sent, bearer := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		if !bearer || subtle.ConstantTimeCompare([]byte(sent), []byte(h.operatorToken)) != 1 {
			httpx.Error(c, apperr.New(apperr.CodeUnauthenticated, "send the operator token as Authorization: Bearer <token>"))
			return
		}
		c.Next()
	}
}

func (h *Handler) CreateTenant(c *gin.Context) {
	var req CreateTenantInput
	if !httpx.Decode(c, &req) {
		return
	}
	out, err := h.svc.CreateTenant(c.Request.Context(), req)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	resp := gin.H{"tenant": ViewTenant(out.Tenant)}
	if out.Admin != nil {
		resp["admin"] = ViewUser(*out.Admin)
	}
	if out.Password != "" {
		resp["generated_password"] = out.Password
	}
	c.JSON(http.StatusCreated, resp)
}

func (h *Handler) ListTenants(c *gin.Context) {
	ts, err := h.svc.ListTenants(c.Request.Context())
	if err != nil {
		httpx.Error(c, err)
		return
	}
	views := make([]TenantView, len(ts))
	for i, t := range ts {
		views[i] = ViewTenant(t)
	}
	c.JSON(http.StatusOK, gin.H{"tenants": views})
}

// ConnectToken issues a short-lived token for opening WebSockets
// (?token=… on the WebSocket URL) from clients without the cookie.
func (h *Handler) ConnectToken(c *gin.Context) {
	token, expires, err := h.svc.IssueConnectToken(c.Request.Context(), PrincipalFrom(c.Request.Context()))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": token, "expires_at": expires})
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (h *Handler) ChangePassword(c *gin.Context) {
	var req changePasswordRequest
	if !httpx.Decode(c, &req) {
		return
	}
	if err := h.svc.ChangePassword(c.Request.Context(), PrincipalFrom(c.Request.Context()), req.CurrentPassword, req.NewPassword, client(c)); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
