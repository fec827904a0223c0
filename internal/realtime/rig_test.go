package realtime

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// rig is one hub instance on real PostgreSQL with its WebSocket endpoint,
// for tests of the hub's own behaviour. Members are whoever the test says:
// ?as={user id} picks the principal (the real sign-in is accounts').
type rig struct {
	t      *testing.T
	db     *store.DB
	st     *Store
	hub    *Hub
	svc    *Service
	srv    *httptest.Server
	tenant accounts.Tenant

	mu      sync.Mutex
	members map[string]*accounts.Principal
}

func newRig(t *testing.T, dir Directory, broker Broker, cfg HubConfig) *rig {
	t.Helper()
	db := storetest.OpenPostgres(t, append(accounts.Migrations(), Migrations()...))
	now := time.Now().UTC()
	r := &rig{t: t, db: db, tenant: accounts.Tenant{ID: store.NewID(), Name: "Rig"}, members: map[string]*accounts.Principal{}}
	r.tenant.Slug = "rig-" + r.tenant.ID[:8]
	if err := db.Exec(`INSERT INTO tenants (id, slug, name, guidelines, created_at, updated_at) VALUES (?, ?, 'Rig', '', ?, ?)`,
		r.tenant.ID, r.tenant.Slug, now, now).Error; err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r.st = NewStore(db, time.Now)
	r.hub = NewHub(broker, r.st, NewMemoryPresence(), cfg, NewMetrics(prometheus.NewRegistry()), log)
	r.svc = NewService(NewPublisher(r.st, r.hub, broker, DefaultServiceConfig(), log), dir, nil, nil, nil, DefaultServiceConfig())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.hub.Run(ctx) }()

	gin.SetMode(gin.TestMode)
	engine := gin.New()
	h := NewHandler(r.svc, nil, DefaultConnConfig())
	engine.GET("/ws", func(c *gin.Context) {
		r.mu.Lock()
		p := r.members[c.Query("as")]
		r.mu.Unlock()
		ctx := accounts.WithTenant(c.Request.Context(), &r.tenant)
		if p != nil {
			ctx = accounts.WithPrincipal(ctx, p)
		}
		c.Request = c.Request.WithContext(ctx)
		h.WebSocket(c)
	})
	r.srv = httptest.NewServer(engine)
	t.Cleanup(func() {
		r.hub.CloseAll()
		cancel()
		<-done
		r.srv.Close()
	})
	return r
}

// member is a new principal of the rig's tenant.
func (r *rig) member(name string) *accounts.Principal {
	p := &accounts.Principal{Tenant: r.tenant, User: accounts.User{ID: store.NewID(), TenantID: r.tenant.ID, DisplayName: name}}
	r.mu.Lock()
	r.members[p.User.ID] = p
	r.mu.Unlock()
	return p
}

// rigSocket is one member's WebSocket to the rig.
type rigSocket struct {
	t      *testing.T
	ws     *websocket.Conn
	events chan Event
}

func (r *rig) dial(p *accounts.Principal) *rigSocket {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, strings.Replace(r.srv.URL, "http", "ws", 1)+"/ws?as="+p.User.ID,
		&websocket.DialOptions{Subprotocols: []string{Protocol}})
	if err != nil {
		r.t.Fatal(err)
	}
	s := &rigSocket{t: r.t, ws: ws, events: make(chan Event, 1024)}
	go func() {
		defer close(s.events)
		for {
			_, data, err := ws.Read(context.Background())
			if err != nil {
				return
			}
			// The writer may coalesce frames into one message, a line each.
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				var ev Event
				if json.Unmarshal([]byte(line), &ev) == nil {
					s.events <- ev
				}
			}
		}
	}()
	r.t.Cleanup(func() { ws.CloseNow() })
	return s
}

func (s *rigSocket) send(frame map[string]any) {
	s.t.Helper()
	b, _ := json.Marshal(frame)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.ws.Write(ctx, websocket.MessageText, b); err != nil {
		s.t.Fatal(err)
	}
}

// next waits for the next event keep accepts. The minute is a safety net
// for a hung hub, never reached when things work however slow the machine.
func (s *rigSocket) next(keep func(Event) bool) Event {
	s.t.Helper()
	timeout := time.After(time.Minute)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				s.t.Fatal("the socket closed")
			}
			if keep(ev) {
				return ev
			}
		case <-timeout:
			s.t.Fatal("no matching event within a minute")
		}
	}
}

// answer waits for the hub's answer to a frame: frames are answered in
// order, so the first subscribed, unsubscribed, ack or error event is it.
func (s *rigSocket) answer() Event {
	s.t.Helper()
	return s.next(func(ev Event) bool {
		switch ev.Type {
		case TypeSubscribed, TypeUnsubscribed, TypeAck, TypeError:
			return true
		}
		return false
	})
}

// oneGroup is a directory of one group everyone may read; canPost says
// whether they may post, and beforeAnswer runs inside each lookup after
// the answer is decided (a change landing just after the read).
type oneGroup struct {
	conv         conversation.Conversation
	mu           sync.Mutex
	canPost      bool
	beforeAnswer func(p *accounts.Principal)
}

func (d *oneGroup) Resolve(_ context.Context, p *accounts.Principal, a conversation.Address) (conversation.Access, error) {
	if a != d.conv.Address() {
		return conversation.Access{}, errNoSuchConversation
	}
	d.mu.Lock()
	access := conversation.Access{Conversation: d.conv, CanRead: true, CanPost: d.canPost, Reason: "muted"}
	hook := d.beforeAnswer
	d.mu.Unlock()
	if hook != nil {
		hook(p)
	}
	return access, nil
}

var errNoSuchConversation = &FrameError{ErrNotFound, "there is no such conversation"}
