package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"quietroom/internal/realtime/conversation"
)

// subscription is one connection's interest in one conversation. Until it
// is live it buffers what the channel delivers, while the replay is read.
type subscription struct {
	conn     *Conn
	ch       *channel
	at       conversation.Address
	lurking  bool
	rights   sendRights    // as of subscribing; changes drop the subscription
	live     bool          // guarded by ch.mu
	buffered []StoredEvent // guarded by ch.mu
	lastSent int64         // guarded by ch.mu
}

// take is called by the channel, under its lock, for each delivered event.
func (s *subscription) take(ev StoredEvent) {
	if !s.live {
		s.buffered = append(s.buffered, ev)
		if len(s.buffered) > s.ch.hub.cfg.ReplayLimit*4 {
			s.conn.kick(CloseSlowConsumer, "too far behind while resuming: resume again")
		}
		return
	}
	if ev.Seq <= s.lastSent {
		return
	}
	s.lastSent = ev.Seq
	s.conn.enqueue(ev.Payload)
}

// SubscribeResult is what the subscribed frame reports.
type SubscribeResult struct {
	Head      int64
	Replayed  int
	Truncated bool
}

// subscribe attaches conn to a conversation. With since >= 0 it first
// replays the stored events after since (the newest ReplayLimit of them),
// then streams live, with no gap and no duplicate. since < 0 means live
// only.
func (h *Hub) subscribe(ctx context.Context, conn *Conn, tenantID string, rights sendRights, since int64) (*subscription, error) {
	convID, at := rights.access.Conversation.ID, rights.access.Conversation.Address()
	ch, err := h.acquire(ctx, tenantID, convID)
	if err != nil {
		return nil, err
	}
	sub := &subscription{conn: conn, ch: ch, at: at, lurking: rights.access.Lurking, rights: rights}
	ch.mu.Lock()
	ch.subs[sub] = struct{}{}
	head := ch.last
	if since < 0 || since >= head {
		// Nothing to replay: live from here.
		sub.live, sub.lastSent = true, head
		conn.enqueue(subscribedFrame(at, SubscribeResult{Head: head}))
		ch.mu.Unlock()
		h.joinPresence(ch, sub)
		return sub, nil
	}
	ch.mu.Unlock()

	// The subscribed frame goes first and promises the replay up to head;
	// anything newer arrives as live events after it.
	res := SubscribeResult{Head: head}
	from := since
	if head-since > int64(h.cfg.ReplayLimit) {
		from, res.Truncated = head-int64(h.cfg.ReplayLimit), true
	}
	res.Replayed = int(head - from)
	if err := conn.enqueueWait(ctx, subscribedFrame(at, res)); err != nil {
		h.unsubscribe(sub)
		return nil, err
	}
	sent := from
	for {
		// Replay outside the channel lock, waiting for room in the send
		// queue: this is the connection's own reader goroutine, so waiting
		// here delays only this client, never the fan-out.
		ch.mu.Lock()
		target := ch.last
		if len(sub.buffered) > 0 {
			sort.Slice(sub.buffered, func(i, j int) bool { return sub.buffered[i].Seq < sub.buffered[j].Seq })
			target = min(target, sub.buffered[0].Seq-1)
		}
		if sent >= target {
			// Caught up with what the channel buffered for us: flush that
			// (bounded by the buffer limit) and go live.
			for _, ev := range sub.buffered {
				if ev.Seq == sent+1 {
					conn.enqueue(ev.Payload)
					sent = ev.Seq
				}
			}
			sub.buffered, sub.live, sub.lastSent = nil, true, sent
			ch.mu.Unlock()
			h.joinPresence(ch, sub)
			return sub, nil
		}
		ch.mu.Unlock()
		batch := min(int(target-sent), 200)
		events, err := h.store.EventsAfter(ctx, tenantID, convID, sent, target, batch)
		if err == nil && len(events) == 0 {
			err = fmt.Errorf("replay of %s stopped at %d before %d", convID, sent, target)
		}
		if err != nil {
			h.unsubscribe(sub)
			return nil, err
		}
		for _, ev := range events {
			if ev.Seq != sent+1 {
				continue
			}
			if err := conn.enqueueWait(ctx, ev.Payload); err != nil {
				h.unsubscribe(sub)
				return nil, err
			}
			sent = ev.Seq
		}
	}
}

// unsubscribe detaches a subscription and releases its channel.
func (h *Hub) unsubscribe(sub *subscription) {
	ch := sub.ch
	ch.mu.Lock()
	_, present := ch.subs[sub]
	delete(ch.subs, sub)
	ch.mu.Unlock()
	if !present {
		return
	}
	h.leavePresence(ch, sub)
	h.release(ch)
}

func subscribedFrame(at conversation.Address, r SubscribeResult) []byte {
	b, _ := json.Marshal(Event{Type: TypeSubscribed, Group: at.GroupField(), Conversation: at.String(), Head: r.Head, Replayed: r.Replayed, Truncated: r.Truncated})
	return b
}
