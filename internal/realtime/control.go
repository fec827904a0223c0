package realtime

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"quietroom/internal/realtime/conversation"
)

// Instance-wide commands: sessions ended, live notices, access changes.
// Each is acted on locally and published on the control channel for the
// other instances.

// sessionsEnded is the control command that closes sockets of ended
// sessions: Only names one session, Except spares one, neither means all
// of the user's.
type sessionsEnded struct {
	Type   string `json:"type"`
	User   string `json:"user"`
	Only   string `json:"only,omitempty"`
	Except string `json:"except,omitempty"`
}

func (h *Hub) handleControl(env envelope) {
	var cmd controlCommand
	if json.Unmarshal(env.Event, &cmd) != nil {
		return
	}
	switch cmd.Type {
	case "sessions_ended":
		h.closeSessions(env.Tenant, cmd.sessionsEnded)
	case "access_changed":
		h.dropAccess(env.Tenant, cmd.Conv, cmd.User)
	case "notify":
		if cmd.Origin != h.origin {
			h.notifyLocal(env.Tenant, cmd.Users, cmd.Event)
		}
	case TypeAttackMode:
		h.attackModeCommand(env.Tenant, cmd)
	}
}

// controlCommand is any command on the control channel.
type controlCommand struct {
	sessionsEnded
	Conv   string          `json:"conv,omitempty"`
	Users  []string        `json:"users,omitempty"`
	Event  json.RawMessage `json:"event,omitempty"`
	Origin string          `json:"origin,omitempty"`
}

// Notify delivers an ephemeral event (a private notice, a moderation
// alert) to every connection of the given members, on every instance.
// Members who are not connected simply do not get it: what matters is also
// kept where they will look (the queue, the flag's outcome).
func (h *Hub) Notify(ctx context.Context, tenantID string, userIDs []string, ev Event) {
	if len(userIDs) == 0 {
		return
	}
	payload, _ := json.Marshal(ev)
	h.notifyLocal(tenantID, userIDs, payload)
	body, _ := json.Marshal(controlCommand{sessionsEnded: sessionsEnded{Type: "notify"}, Users: userIDs, Event: payload, Origin: h.origin})
	env, _ := json.Marshal(envelope{Tenant: tenantID, Event: body})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.broker.Publish(pctx, controlChannel, env); err != nil {
		h.log.Warn("could not pass a notice to other instances", "err", err)
	}
}

// notifyLocal queues payload on this instance's connections of those members.
func (h *Hub) notifyLocal(tenantID string, userIDs []string, payload []byte) {
	h.connMu.Lock()
	var to []*Conn
	for c := range h.conns {
		if c.principal.Tenant.ID == tenantID && slices.Contains(userIDs, c.principal.User.ID) {
			to = append(to, c)
		}
	}
	h.connMu.Unlock()
	for _, c := range to {
		c.enqueue(payload)
	}
}

// AccessChanged tells every instance that a member's access to a group
// changed (they left, started or stopped lurking, were made moderator, the
// group was edited or archived). Their subscriptions to it end with an
// unsubscribed frame (code access_changed); a client subscribes again to
// continue with its new access, or learns it no longer may. An empty
// userID means every member of the group; an empty groupID every group.
func (h *Hub) AccessChanged(ctx context.Context, tenantID, groupID, userID string) {
	h.dropAccess(tenantID, groupID, userID)
	body, _ := json.Marshal(controlCommand{sessionsEnded: sessionsEnded{Type: "access_changed", User: userID}, Conv: groupID})
	env, _ := json.Marshal(envelope{Tenant: tenantID, Event: body})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.broker.Publish(pctx, controlChannel, env); err != nil {
		h.log.Warn("could not tell other instances that access changed", "err", err)
	}
}

// dropAccess ends the matching local subscriptions. Releasing a channel may
// talk to the broker, so it runs off the caller's goroutine (which may be
// the broker's own delivery loop).
func (h *Hub) dropAccess(tenantID, convID, userID string) {
	h.connMu.Lock()
	var conns []*Conn
	for c := range h.conns {
		if c.principal.Tenant.ID == tenantID && (userID == "" || c.principal.User.ID == userID) {
			conns = append(conns, c)
		}
	}
	h.connMu.Unlock()
	var dropped []*subscription
	for _, c := range conns {
		if convID == "" {
			// Member-wide: their roles may have changed (accounts' RolesChanged).
			c.rolesStale.Store(true)
		}
		dropped = append(dropped, c.accessChanged(func(s *subscription) bool { return convID == "" || s.ch.convID == convID })...)
	}
	if len(dropped) == 0 {
		return
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		for _, sub := range dropped {
			h.unsubscribe(sub)
			sub.conn.enqueue(accessChangedFrame(sub.at))
		}
	}()
}

func accessChangedFrame(at conversation.Address) []byte {
	b, _ := json.Marshal(Event{Type: TypeUnsubscribed, Group: at.GroupField(), Conversation: at.String(), Code: "access_changed",
		Message: "your access to this conversation changed: subscribe again to continue"})
	return b
}

func (h *Hub) closeSessions(tenantID string, cmd sessionsEnded) {
	h.connMu.Lock()
	var doomed []*Conn
	for c := range h.conns {
		p := c.principal
		switch {
		case p.Tenant.ID != tenantID || p.User.ID != cmd.User:
		// A socket opened with a connect token belongs to the session
		// that issued the token (ParentID).
		case cmd.Only != "" && p.Session.ID != cmd.Only && p.Session.ParentID != cmd.Only:
		case cmd.Except != "" && (p.Session.ID == cmd.Except || p.Session.ParentID == cmd.Except):
		default:
			doomed = append(doomed, c)
		}
	}
	h.connMu.Unlock()
	for _, c := range doomed {
		c.kick(CloseSessionEnded, "your session has ended: sign in again")
	}
}

// EndSessions closes, on every instance, the sockets opened with sessions
// that just ended. accounts calls it through its SessionsEnded hook.
func (h *Hub) EndSessions(ctx context.Context, tenantID, userID, only, except string) {
	cmd := sessionsEnded{Type: "sessions_ended", User: userID, Only: only, Except: except}
	h.closeSessions(tenantID, cmd) // here at once, even if the broker is down
	body, _ := json.Marshal(cmd)
	env, _ := json.Marshal(envelope{Tenant: tenantID, Event: body})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.broker.Publish(pctx, controlChannel, env); err != nil {
		h.log.Warn("could not tell other instances that sessions ended", "err", err)
	}
}
