package realtime

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/coder/websocket"
	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/realtime/conversation"
)

// Authenticator resolves WebSocket credentials; accounts.Service
// implements it.
type Authenticator interface {
	AuthenticateConnect(ctx context.Context, t *accounts.Tenant, token string) (*accounts.Principal, error)
}

// Handler serves the WebSocket endpoint and message history.
type Handler struct {
	svc  *Service
	auth Authenticator
	cfg  ConnConfig
}

func NewHandler(svc *Service, auth Authenticator, cfg ConnConfig) *Handler {
	return &Handler{svc: svc, auth: auth, cfg: cfg}
}

// WebSocket upgrades an authenticated request. Browsers authenticate with
// the session cookie; other clients with ?token= (a connect token) or an
// Authorization: Bearer session token. Cross-site origins are refused, so
// another site cannot open a socket with a member's cookie.
func (h *Handler) WebSocket(c *gin.Context) {
	t := accounts.TenantFrom(c.Request.Context())
	if origin := c.GetHeader("Origin"); origin != "" && !accounts.OriginAllowed(origin, c.Request.Host, t) {
		httpx.Error(c, apperr.New(apperr.CodeForbidden, "this page's origin may not open a connection here"))
		return
	}
	p := accounts.PrincipalFrom(c.Request.Context())
	if token := c.Query("token"); token != "" {
		var err error
		if p, err = h.auth.AuthenticateConnect(c.Request.Context(), t, token); err != nil {
			httpx.Error(c, err)
			return
		}
	}
	if p == nil {
		httpx.Error(c, apperr.New(apperr.CodeUnauthenticated, "sign in, or pass a connect token as ?token="))
		return
	}
	hj := &hijackRecorder{ResponseWriter: c.Writer, bursts: &h.svc.hub.bursts}
	ws, err := websocket.Accept(hj, c.Request, &websocket.AcceptOptions{
		Subprotocols: []string{Protocol},
		// The origin was checked above against the tenant's own list.
		InsecureSkipVerify: true,
		CompressionMode:    websocket.CompressionDisabled,
	})
	if err != nil {
		return // Accept has written the HTTP error
	}
	// Exactly: a client that offers "Quietroom.V1" gets its spelling echoed
	// by the handshake, and is then closed here.
	if ws.Subprotocol() != Protocol {
		ws.Close(websocket.StatusPolicyViolation, "use the "+Protocol+" subprotocol")
		return
	}
	// The hub owns the connection from here: the handler returns, so the
	// request, its headers and the handler chain's stack are freed for the
	// socket's whole life (an idle member costs only the connection).
	conn := newConn(h.svc, ws, hj.sock, p, h.cfg)
	h.svc.hub.spawn(conn.serve)
}

// History serves GET /groups/:group/messages?before=&limit= and
// /conversations/:conversation/messages.
func (h *Handler) History(c *gin.Context) {
	before, err := queryInt(c, "before")
	if err != nil {
		httpx.Error(c, err)
		return
	}
	limit, err := queryInt(c, "limit")
	if err != nil {
		httpx.Error(c, err)
		return
	}
	if limit > 200 {
		httpx.Error(c, apperr.InvalidField("limit", "must be at most 200"))
		return
	}
	at, ok := addressParam(c)
	if !ok {
		return
	}
	page, err := h.svc.History(c.Request.Context(), accounts.PrincipalFrom(c.Request.Context()), at, before, int(limit))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// addressParam reads the conversation a route names: :conversation is an
// address ("group:vestibular", "mentorship:{id}"), :group the older
// spelling (docs/api.md). A malformed one answers 404, like an unknown one.
func addressParam(c *gin.Context) (conversation.Address, bool) {
	var at conversation.Address
	var err error
	if v := c.Param("conversation"); v != "" {
		at, err = conversation.Parse(v)
	} else {
		at, err = conversation.FromGroupField(c.Param("group"))
	}
	if err != nil {
		httpx.Error(c, apperr.NotFound("there is no such conversation: %s", err.Error()))
		return conversation.Address{}, false
	}
	return at, true
}

func queryInt(c *gin.Context, name string) (int64, error) {
	v := strings.TrimSpace(c.Query(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, apperr.InvalidField(name, "must be a whole number, 0 or more")
	}
	return n, nil
}

// MyHeld serves GET /conversations/:conversation/held: the caller's own
// posts that wait for a moderator.
func (h *Handler) MyHeld(c *gin.Context) {
	at, ok := addressParam(c)
	if !ok {
		return
	}
	page, err := h.svc.MyHeld(c.Request.Context(), accounts.PrincipalFrom(c.Request.Context()), at)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}
