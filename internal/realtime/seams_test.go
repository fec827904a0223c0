package realtime

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// A mute (or removal) that lands while a subscribe is between its rights
// lookup and its registration must not be missed: the subscription would
// keep the stale rights, and sends would trust them.
func TestAccessChangeDuringSubscribeIsNotMissed(t *testing.T) {
	dir := &oneGroup{conv: conversation.Conversation{ID: store.NewID(), Kind: conversation.Group, Key: "chronic", Name: "Chronic",
		Policy: conversation.Policy{Posting: conversation.PostOpen}}, canPost: true}
	r := newRig(t, dir, NewMemoryBroker(), DefaultHubConfig())
	dir.conv.TenantID = r.tenant.ID
	wren := r.member("Wren")
	// The member is muted right after the subscribe read their rights:
	// the lookup answers "may post", the mute is already announced.
	var once bool
	dir.beforeAnswer = func(p *accounts.Principal) {
		dir.mu.Lock()
		first := !once
		once, dir.canPost = true, false
		dir.mu.Unlock()
		if first {
			r.hub.AccessChanged(context.Background(), r.tenant.ID, dir.conv.ID, p.User.ID)
		}
	}

	ws := r.dial(wren)
	ws.send(map[string]any{"type": "subscribe", "conversation": "group:chronic"})
	ws.send(map[string]any{"type": "send", "conversation": "group:chronic", "client_id": "c1", "text": "hello"})
	if ev := ws.answer(); ev.Type != TypeSubscribed {
		t.Fatalf("subscribe: %+v", ev)
	}
	// The subscription ends as if the change had come a moment later
	// (frames are answered in order, so this comes before the send's)...
	if ev := ws.answer(); ev.Type != TypeUnsubscribed || ev.Code != "access_changed" {
		t.Fatalf("after a mute landed mid-subscribe: %+v, want unsubscribed access_changed", ev)
	}
	// ...so the send looks the rights up again and is refused.
	if ev := ws.answer(); ev.Type != TypeError || ev.Code != ErrForbidden {
		t.Fatalf("a muted member's send: %+v, want forbidden", ev)
	}
}

// slowBroker holds SUBSCRIBE of one channel until released, like a Redis
// that is slow to answer for it.
type slowBroker struct {
	*MemoryBroker
	slow    string
	entered chan struct{}
	release chan struct{}
}

func (b *slowBroker) Subscribe(ctx context.Context, channels ...string) error {
	for _, c := range channels {
		if c == b.slow {
			close(b.entered)
			select {
			case <-b.release:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return b.MemoryBroker.Subscribe(ctx, channels...)
}

// A broker call for one conversation must not hold up subscribes to the
// others: only calls for the same channel need ordering.
func TestSlowBrokerSubscribeDoesNotStallOtherConversations(t *testing.T) {
	tenantID := store.NewID()
	slowConv, fastConv := store.NewID(), store.NewID()
	broker := &slowBroker{MemoryBroker: NewMemoryBroker(), slow: ChannelName(tenantID, slowConv),
		entered: make(chan struct{}), release: make(chan struct{})}
	r := newRig(t, &oneGroup{}, broker, DefaultHubConfig())
	ctx := context.Background()

	slowDone := make(chan error, 1)
	go func() {
		ch, err := r.hub.acquire(ctx, tenantID, slowConv)
		if err == nil {
			r.hub.release(ch)
		}
		slowDone <- err
	}()
	<-broker.entered // the slow SUBSCRIBE is in flight

	fastDone := make(chan error, 1)
	go func() {
		ch, err := r.hub.acquire(ctx, tenantID, fastConv)
		if err == nil {
			r.hub.release(ch)
		}
		fastDone <- err
	}()
	select {
	case err := <-fastDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // a safety net: it takes milliseconds when it works
		close(broker.release)
		t.Fatal("a subscribe to another conversation waited for the slow one's broker call")
	}
	close(broker.release)
	if err := <-slowDone; err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until cond holds; the minute is a safety net.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after a minute for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Catch-up compares every channel with the store: one conversation whose
// head cannot be read must not keep the others from being filled.
func TestCatchUpGoesOnPastAFailingConversation(t *testing.T) {
	cfg := DefaultHubConfig()
	cfg.CatchUpInterval, cfg.PresenceRefresh = time.Hour, time.Hour // the test calls catch-up itself
	r := newRig(t, &oneGroup{}, NewMemoryBroker(), cfg)
	ctx := context.Background()
	var good []*channel
	for range 30 {
		ch, err := r.hub.acquire(ctx, r.tenant.ID, store.NewID())
		if err != nil {
			t.Fatal(err)
		}
		good = append(good, ch)
	}
	bad, err := r.hub.acquire(ctx, r.tenant.ID, store.NewID())
	if err != nil {
		t.Fatal(err)
	}
	// From now on its head cannot be read (PostgreSQL refuses NUL in text).
	bad.convID = "broken\x00"
	// Messages the broker never brought: only catch-up can find them.
	for _, ch := range good {
		if _, err := r.st.AppendMessage(ctx, NewMessage{TenantID: r.tenant.ID, ConversationID: ch.convID, Kind: conversation.Group,
			Address: conversation.Address{Kind: conversation.Group, Key: "g"}, AuthorID: "a", AuthorName: "A", ClientID: "c", Text: "hi"}); err != nil {
			t.Fatal(err)
		}
	}
	r.hub.catchUpAll()
	for i, ch := range good {
		waitFor(t, "channel "+string(rune('A'+i))+" to catch up", func() bool {
			ch.mu.Lock()
			defer ch.mu.Unlock()
			return ch.last == 1
		})
	}
}

// A gap is filled from the store in bounded pages, however far behind the
// channel is: one read never loads more than fillPage events.
func TestGapFillReadsInBoundedPages(t *testing.T) {
	cfg := DefaultHubConfig()
	cfg.CatchUpInterval, cfg.PresenceRefresh = time.Hour, time.Hour // the test calls catch-up itself
	r := newRig(t, &oneGroup{}, NewMemoryBroker(), cfg)
	ctx := context.Background()
	convID := store.NewID()
	ch, err := r.hub.acquire(ctx, r.tenant.ID, convID)
	if err != nil {
		t.Fatal(err)
	}
	// 1,234 events the broker never brought, written in one go.
	const n = 1234
	if err := r.db.Exec(`INSERT INTO conversations (tenant_id, id, kind, last_seq, created_at) VALUES (?, ?, 'group', ?, now())`,
		r.tenant.ID, convID, n).Error; err != nil {
		t.Fatal(err)
	}
	if err := r.db.Exec(`INSERT INTO conversation_events (tenant_id, conversation_id, seq, payload, created_at)
		SELECT ?, ?, s, '{"seq":' || s || ',"type":"message"}', now() FROM generate_series(1, ?) s`, r.tenant.ID, convID, n).Error; err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	largest, reads := int64(0), 0
	if err := r.db.Callback().Query().After("gorm:query").Register("test:event_reads", func(tx *gorm.DB) {
		if tx.Statement.Table == "conversation_events" {
			mu.Lock()
			largest, reads = max(largest, tx.Statement.RowsAffected), reads+1
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	r.hub.catchUpAll()
	waitFor(t, "the channel to fill the gap", func() bool {
		ch.mu.Lock()
		defer ch.mu.Unlock()
		return ch.last == n
	})
	mu.Lock()
	defer mu.Unlock()
	if largest > fillPage || reads < (n+fillPage-1)/fillPage {
		t.Errorf("filled %d events in %d reads of at most %d; want pages of at most %d", n, reads, largest, fillPage)
	}
}
