package realtime

import (
	"context"
	"sort"
	"sync"
	"time"
)

// channel is one conversation with local subscribers.
type channel struct {
	hub              *Hub
	name             string
	tenantID, convID string
	refs             int // guarded by hub.mu

	ready chan struct{} // closed once subscribed and the head is known
	err   error         // set before ready closes, if the subscription failed

	mu      sync.Mutex
	subs    map[*subscription]struct{}
	last    int64 // last sequence delivered; -1 until known
	pending []StoredEvent
	filling bool
	// gapArmed: a gap is open and a GapGrace timer will fill it up to
	// gapTarget unless the broker brings the missing events first.
	gapArmed  bool
	gapTarget int64
	online    map[string]*onlineUser // local, non-lurking members by user id
	// presenceDirty: the local online set changed and must be written;
	// presenceStale: some instance's set changed and must be re-read.
	presenceDirty, presenceStale bool
	// presenceSent is the list last sent to subscribers (their ids), so a
	// change nobody announced (another instance's entry expiring because
	// it died) is noticed and pushed.
	presenceSent string
}

type onlineUser struct {
	author Author
	conns  int
	// awayUntil: as Conn.awayUntil, for status "away".
	awayUntil int64
}

// acquire returns the channel for a conversation, subscribing the broker
// and learning the head on first use.
func (h *Hub) acquire(ctx context.Context, tenantID, convID string) (*channel, error) {
	name := ChannelName(tenantID, convID)
	unlock := h.brokerOrder.lock(name)
	h.mu.Lock()
	ch := h.channels[name]
	creating := ch == nil
	if creating {
		ch = &channel{hub: h, name: name, tenantID: tenantID, convID: convID, ready: make(chan struct{}),
			subs: map[*subscription]struct{}{}, last: -1, online: map[string]*onlineUser{}}
		h.channels[name] = ch
		h.metrics.channels.Inc()
	}
	ch.refs++
	h.mu.Unlock()
	if creating {
		ch.err = h.broker.Subscribe(ctx, name)
		unlock()
		if ch.err == nil {
			var head int64
			head, ch.err = h.store.Head(ctx, tenantID, convID)
			if ch.err == nil {
				ch.mu.Lock()
				ch.last = head
				ch.drainPendingLocked()
				ch.mu.Unlock()
			}
		}
		close(ch.ready)
	} else {
		unlock()
		select {
		case <-ch.ready:
		case <-ctx.Done():
			h.release(ch)
			return nil, ctx.Err()
		}
	}
	if ch.err != nil {
		h.release(ch)
		return nil, ch.err
	}
	return ch, nil
}

// release drops one reference; the last one unsubscribes the broker.
func (h *Hub) release(ch *channel) {
	defer h.brokerOrder.lock(ch.name)()
	h.mu.Lock()
	ch.refs--
	last := ch.refs == 0
	if last {
		delete(h.channels, ch.name)
		h.metrics.channels.Dec()
	}
	h.mu.Unlock()
	if last {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(h.context()), 5*time.Second)
		defer cancel()
		if err := h.broker.Unsubscribe(ctx, ch.name); err != nil {
			h.log.Warn("broker unsubscribe failed", "channel", ch.name, "err", err)
		}
	}
}

// offer takes one durable event, in whatever order the broker brought it.
func (ch *channel) offer(ev StoredEvent) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if ch.last < 0 || ch.filling {
		ch.pending = append(ch.pending, ev)
		ch.checkPendingBoundLocked()
		return
	}
	ch.advanceLocked(ev)
}

// advanceLocked delivers ev if it is the next in sequence, drops it if
// already delivered, and otherwise starts filling the gap from the store.
func (ch *channel) advanceLocked(ev StoredEvent) {
	switch {
	case ev.Seq <= ch.last:
		ch.hub.metrics.duplicates.Inc()
	case ev.Seq == ch.last+1:
		ch.deliverLocked(ev)
		ch.drainPendingLocked()
	default:
		ch.pending = append(ch.pending, ev)
		ch.checkPendingBoundLocked()
		ch.gapLocked(ev.Seq - 1)
	}
}

// gapLocked notes that events up to target are missing. They usually
// arrive through the broker a moment later; the store is read only if the
// gap is still open after GapGrace.
func (ch *channel) gapLocked(target int64) {
	ch.gapTarget = max(ch.gapTarget, target)
	if ch.filling || ch.gapArmed {
		return
	}
	ch.gapArmed = true
	h := ch.hub
	h.wg.Add(1) // Run waits for the timer, at most GapGrace
	time.AfterFunc(h.cfg.GapGrace, func() {
		defer h.wg.Done()
		ch.mu.Lock()
		defer ch.mu.Unlock()
		ch.gapArmed = false
		if target := ch.gapTarget; target > ch.last && !ch.filling {
			ch.startFillLocked(target)
		}
	})
}

func (ch *channel) deliverLocked(ev StoredEvent) {
	ch.last = ev.Seq
	for sub := range ch.subs {
		sub.take(ev)
	}
	ch.hub.metrics.delivered.Add(float64(len(ch.subs)))
}

// drainPendingLocked delivers what can be delivered in order from pending.
func (ch *channel) drainPendingLocked() {
	if len(ch.pending) == 0 {
		return
	}
	sort.Slice(ch.pending, func(i, j int) bool { return ch.pending[i].Seq < ch.pending[j].Seq })
	for i, ev := range ch.pending {
		switch {
		case ev.Seq <= ch.last:
		case ev.Seq == ch.last+1:
			ch.deliverLocked(ev)
		default:
			ch.pending = append(ch.pending[:0], ch.pending[i:]...)
			ch.gapLocked(ev.Seq - 1)
			return
		}
	}
	ch.pending = ch.pending[:0]
}

// maxPending bounds what a channel buffers while it fills a gap. Past it,
// local subscribers are asked to resume, which rebuilds their state from
// the store.
const maxPending = 20000

func (ch *channel) checkPendingBoundLocked() {
	if len(ch.pending) <= maxPending {
		return
	}
	ch.hub.log.Warn("channel fell too far behind; asking subscribers to resume", "channel", ch.name)
	for sub := range ch.subs {
		sub.conn.kick(CloseResume, "fell behind: resume from your last sequence")
	}
	ch.pending = ch.pending[:0]
}

// startFillLocked fetches (last, target] from the store in the background
// while newer events wait in pending.
func (ch *channel) startFillLocked(target int64) {
	if ch.filling {
		return
	}
	ch.filling = true
	ch.hub.metrics.gapFills.Inc()
	h := ch.hub
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		ch.fill(h.context(), target)
	}()
}

// fillPage bounds one gap-fill read: a channel far behind fills in pages,
// delivering each before reading the next.
const fillPage = 500

func (ch *channel) fill(ctx context.Context, target int64) {
	backoff := 20 * time.Millisecond
	for {
		ch.mu.Lock()
		from := ch.last
		ch.mu.Unlock()
		events, err := ch.hub.store.EventsAfter(ctx, ch.tenantID, ch.convID, from, target, int(min(target-from, fillPage)))
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			ch.hub.log.Warn("gap fill failed; retrying", "channel", ch.name, "err", err)
			time.Sleep(backoff)
			backoff = min(backoff*2, 2*time.Second)
			continue
		}
		ch.mu.Lock()
		for _, ev := range events {
			if ev.Seq == ch.last+1 {
				ch.deliverLocked(ev)
			}
		}
		if ch.last > from && ch.last < target {
			ch.mu.Unlock()
			continue // the next page
		}
		// Done, or no progress (the next event is still being committed):
		// what is pending now decides what comes next.
		ch.filling = false
		ch.drainPendingLocked() // may find the next gap
		if ch.gapTarget > ch.last {
			ch.gapLocked(ch.gapTarget) // reported while this fill ran
		}
		ch.mu.Unlock()
		return
	}
}

// catchUpAll compares every channel with the store's head and fills what
// the broker never brought (after a reconnect, or a lost message). A head
// that cannot be read is logged and skipped: the next round tries again,
// and the other channels are not held up by it.
func (h *Hub) catchUpAll() {
	h.mu.RLock()
	chans := make([]*channel, 0, len(h.channels))
	for _, ch := range h.channels {
		chans = append(chans, ch)
	}
	h.mu.RUnlock()
	ctx, cancel := context.WithTimeout(h.context(), 5*time.Second)
	defer cancel()
	for _, ch := range chans {
		select {
		case <-ch.ready:
		default:
			continue
		}
		if ch.err != nil {
			continue
		}
		head, err := h.store.Head(ctx, ch.tenantID, ch.convID)
		if err != nil {
			if ctx.Err() != nil {
				return // out of time this round
			}
			h.log.Warn("catch-up: head unavailable", "channel", ch.name, "err", err)
			continue
		}
		ch.mu.Lock()
		if head > ch.last && ch.last >= 0 {
			ch.gapLocked(head) // may be in flight through the broker
		}
		ch.mu.Unlock()
	}
}
