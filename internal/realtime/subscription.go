package realtime

import (
	"context"
	"encoding/json"
	"sort"
)

// subscription is one connection's interest in one conversation. Until it
// is live it buffers what the channel delivers, while the replay is read.
type subscription struct {
	conn     *Conn
	ch       *channel
	group    string
	lurking  bool
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
func (h *Hub) subscribe(ctx context.Context, conn *Conn, tenantID, convID, group string, lurking bool, since int64) (*subscription, error) {
	ch, err := h.acquire(ctx, tenantID, convID)
	if err != nil {
		return nil, err
	}
	sub := &subscription{conn: conn, ch: ch, group: group, lurking: lurking}
	ch.mu.Lock()
	ch.subs[sub] = struct{}{}
	head := ch.last
	if since < 0 || since >= head {
		// Nothing to replay: live from here.
		sub.live, sub.lastSent = true, head
		conn.enqueue(subscribedFrame(group, SubscribeResult{Head: head}))
		ch.mu.Unlock()
		h.joinPresence(ch, sub)
		return sub, nil
	}
	ch.mu.Unlock()

	res := SubscribeResult{}
	from := since
	if head-since > int64(h.cfg.ReplayLimit) {
		from, res.Truncated = head-int64(h.cfg.ReplayLimit), true
	}
	replay, err := h.store.EventsAfter(ctx, tenantID, convID, from, 0, h.cfg.ReplayLimit)
	if err != nil {
		h.unsubscribe(sub)
		return nil, err
	}
	sent := from
	var frames [][]byte
	for {
		for _, ev := range replay {
			if ev.Seq == sent+1 {
				frames = append(frames, ev.Payload)
				sent = ev.Seq
			}
		}
		ch.mu.Lock()
		sort.Slice(sub.buffered, func(i, j int) bool { return sub.buffered[i].Seq < sub.buffered[j].Seq })
		// What must be sent before the buffered events (or, with none
		// buffered, before going live) is everything up to target.
		target := ch.last
		if len(sub.buffered) > 0 && sub.buffered[0].Seq-1 < target {
			target = sub.buffered[0].Seq - 1
		}
		if sent >= target {
			for _, ev := range sub.buffered {
				if ev.Seq == sent+1 {
					frames = append(frames, ev.Payload)
					sent = ev.Seq
				}
			}
			res.Head, res.Replayed = max(sent, ch.last), len(frames)
			conn.enqueue(subscribedFrame(group, res))
			for _, f := range frames {
				conn.enqueue(f)
			}
			sub.buffered, sub.live, sub.lastSent = nil, true, sent
			ch.mu.Unlock()
			h.joinPresence(ch, sub)
			return sub, nil
		}
		ch.mu.Unlock()
		// The replay stopped short of what the channel has delivered since:
		// read the rest.
		replay, err = h.store.EventsAfter(ctx, tenantID, convID, sent, target, int(target-sent))
		if err != nil {
			h.unsubscribe(sub)
			return nil, err
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

func subscribedFrame(group string, r SubscribeResult) []byte {
	b, _ := json.Marshal(Event{Type: TypeSubscribed, Group: group, Head: r.Head, Replayed: r.Replayed, Truncated: r.Truncated})
	return b
}
