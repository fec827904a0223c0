package realtime

import (
	"context"
	"encoding/json"
	"math"
	"time"

	"quietroom/internal/accounts"
)

// awayForever is Conn.awayUntil for an attack mode with no end time.
const awayForever = math.MaxInt64

// awayUntil is when presence stops showing a member in mode as away, in
// Unix milliseconds (0: not away).
func awayUntil(mode accounts.AttackMode) int64 {
	switch {
	case !mode.On:
		return 0
	case mode.Until == nil:
		return awayForever
	default:
		return mode.Until.UnixMilli()
	}
}

// AttackModeChanged tells every socket of the member, on every instance,
// that their attack mode changed (an attack_mode frame, so each open tab
// follows at once), and shows them away, or back, in presence within the
// second. accounts calls it through its AttackModeChanged hook.
func (h *Hub) AttackModeChanged(ctx context.Context, tenantID, userID string, mode accounts.AttackMode) {
	payload, _ := json.Marshal(Event{Type: TypeAttackMode, AttackMode: &mode})
	h.applyAttackMode(tenantID, userID, awayUntil(mode), payload)
	body, _ := json.Marshal(controlCommand{sessionsEnded: sessionsEnded{Type: TypeAttackMode, User: userID}, Event: payload, Origin: h.origin})
	env, _ := json.Marshal(envelope{Tenant: tenantID, Event: body})
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.broker.Publish(pctx, controlChannel, env); err != nil {
		// The member's other devices learn it when they next load a page.
		h.log.Warn("could not pass an attack-mode change to other instances", "err", err)
	}
}

// attackModeCommand acts on another instance's AttackModeChanged.
func (h *Hub) attackModeCommand(tenantID string, cmd controlCommand) {
	if cmd.Origin == h.origin {
		return
	}
	var ev Event
	if json.Unmarshal(cmd.Event, &ev) != nil || ev.AttackMode == nil {
		return
	}
	h.applyAttackMode(tenantID, cmd.User, awayUntil(*ev.AttackMode), cmd.Event)
}

// applyAttackMode updates this instance's sockets of the member and their
// presence in every local channel (flushed within the second).
func (h *Hub) applyAttackMode(tenantID, userID string, until int64, payload []byte) {
	h.connMu.Lock()
	var conns []*Conn
	for c := range h.conns {
		if c.principal.Tenant.ID == tenantID && c.principal.User.ID == userID {
			conns = append(conns, c)
		}
	}
	h.connMu.Unlock()
	for _, c := range conns {
		c.awayUntil.Store(until)
		c.enqueue(payload)
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, ch := range h.channels {
		if ch.tenantID != tenantID {
			continue
		}
		ch.mu.Lock()
		if u := ch.online[userID]; u != nil && u.awayUntil != until {
			u.awayUntil = until
			ch.presenceDirty, ch.presenceStale = true, true
		}
		ch.mu.Unlock()
	}
}
