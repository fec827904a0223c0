package moderation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// fakeClock is a settable time source.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// recordingMessages records what moderation does to messages.
type recordingMessages struct {
	Messages
	mu       sync.Mutex
	rejected []string
}

func (m *recordingMessages) Reject(ctx context.Context, tenantID, heldID string) error {
	m.mu.Lock()
	m.rejected = append(m.rejected, heldID)
	m.mu.Unlock()
	return nil
}

func (m *recordingMessages) Remove(ctx context.Context, tenantID string, c conversation.Conversation, messageID, reason string) error {
	return m.Reject(ctx, tenantID, messageID)
}

type repeatFixture struct {
	svc    *Service
	db     *store.DB
	clock  *fakeClock
	msgs   *recordingMessages
	tenant accounts.Tenant
	group  conversation.Conversation
}

func newRepeatFixture(t *testing.T) *repeatFixture {
	t.Helper()
	db := storetest.OpenPostgres(t, append(accounts.Migrations(), Migrations()...))
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	tenant := accounts.Tenant{ID: "t1", Slug: "calm", Name: "Calm", DeletionPolicy: accounts.DeleteAnonymise, CreatedAt: clock.now(), UpdatedAt: clock.now()}
	if err := db.Create(&tenant).Error; err != nil {
		t.Fatal(err)
	}
	msgs := &recordingMessages{}
	svc, err := NewService(db, nil, msgs, nil, nil, nil, DefaultConfig(), clock.now, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &repeatFixture{svc: svc, db: db, clock: clock, msgs: msgs, tenant: tenant,
		group: conversation.Conversation{ID: "g1", Kind: conversation.Group, Key: "chronic", TenantID: tenant.ID}}
}

func (f *repeatFixture) member(id string) *accounts.Principal {
	return &accounts.Principal{Tenant: f.tenant, User: accounts.User{ID: id, TenantID: f.tenant.ID, DisplayName: "Member " + id, RolesText: "member"}}
}

// submit screens text as p and queues it the way the send path does.
func (f *repeatFixture) submit(t *testing.T, p *accounts.Principal, messageID, text string) Decision {
	t.Helper()
	ctx := context.Background()
	d, err := f.svc.Screen(ctx, p, f.group, text)
	if err != nil {
		t.Error(err)
		return d
	}
	if !d.Hold && !d.Queue && !d.Crisis {
		t.Errorf("%q was not screened: %+v", text, d)
		return d
	}
	if err := f.svc.Submit(ctx, p, f.group, Submission{MessageID: messageID, Text: text, Held: d.Hold, Decision: d}); err != nil {
		t.Error(err)
	}
	return d
}

func (f *repeatFixture) items(t *testing.T) []Item {
	t.Helper()
	var its []Item
	if err := f.db.Where("tenant_id = ?", f.tenant.ID).Order("created_at, id").Find(&its).Error; err != nil {
		t.Fatal(err)
	}
	return its
}

func (f *repeatFixture) auditRows(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := f.db.Model(&AuditEntry{}).Where("tenant_id = ? AND actor_name = ?", f.tenant.ID, "screening").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A flood of one rule from one author, sent truly concurrently, becomes
// one queue item with a count and one audit row; acting on the item acts
// on every message in it.
func TestRepeatedMatchesJoinOneItem(t *testing.T) {
	f := newRepeatFixture(t)
	flooder := f.member("u-flood")
	const n = 40
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			f.submit(t, flooder, fmt.Sprintf("m%02d", i), strings.Repeat("x", 30+i))
		}()
	}
	close(start)
	wg.Wait()
	its := f.items(t)
	if len(its) != 1 {
		t.Fatalf("%d items for a flood of %d repeats, want 1", len(its), n)
	}
	it := its[0]
	ids := append([]string{it.MessageID}, strings.Fields(it.RepeatIDs)...)
	slices.Sort(ids)
	if it.RepeatCount != n || len(ids) != n || len(slices.Compact(ids)) != n {
		t.Errorf("item counts %d repeats with %d distinct ids, want %d", it.RepeatCount, len(slices.Compact(ids)), n)
	}
	if a := f.auditRows(t); a != 1 {
		t.Errorf("%d audit rows for one item, want 1", a)
	}
	if it.Version != 1 {
		t.Errorf("item at version %d: repeats must not make a moderator's view stale", it.Version)
	}

	// Another author, or a different rule, is another item.
	f.submit(t, f.member("u-other"), "o1", strings.Repeat("x", 40))
	if got := len(f.items(t)); got != 2 {
		t.Errorf("another author's repeat: %d items, want 2", got)
	}

	// Removing the item removes every message in it; the next repeat
	// opens a new item.
	mod := f.member("u-mod")
	mod.User.RolesText = "member moderator"
	if _, err := f.svc.Act(context.Background(), mod, it.ID, it.Version, ActionRemove, "flood"); err != nil {
		t.Fatal(err)
	}
	f.msgs.mu.Lock()
	rejected := slices.Sorted(slices.Values(f.msgs.rejected))
	f.msgs.mu.Unlock()
	if !slices.Equal(rejected, ids) {
		t.Errorf("removed %v, want every message of the item %v", rejected, ids)
	}
	f.submit(t, flooder, "after-resolve", strings.Repeat("x", 50))
	if got := len(f.items(t)); got != 3 {
		t.Errorf("repeat after the item was resolved: %d items, want 3", got)
	}

	// Outside the window a repeat opens a new item too.
	f.clock.add(DefaultConfig().RepeatWindow + time.Second)
	f.submit(t, flooder, "much-later", strings.Repeat("x", 60))
	its = f.items(t)
	if len(its) != 4 || its[3].RepeatCount != 1 || its[3].MessageID != "much-later" {
		t.Errorf("repeat after the window: %d items, last %+v", len(its), its[len(its)-1])
	}
}

// Crisis messages never merge: each gets its own item and alert.
func TestCrisisMessagesDoNotMerge(t *testing.T) {
	f := newRepeatFixture(t)
	p := f.member("u-crisis")
	for i := range 3 {
		if d := f.submit(t, p, fmt.Sprintf("c%d", i), "I don't want to be here anymore"); !d.Crisis {
			t.Fatalf("not a crisis: %+v", d)
		}
	}
	if got := len(f.items(t)); got != 3 {
		t.Errorf("%d items for 3 crisis messages, want 3", got)
	}
}
