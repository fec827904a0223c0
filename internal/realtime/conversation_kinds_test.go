package realtime

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// twoConversations resolves one group and one mentorship, for anyone; the
// real resolvers are the groups and mentoring services (tested with the
// conversation package and in cmd/hub).
type twoConversations struct{ group, ship conversation.Conversation }

func (d twoConversations) Resolve(_ context.Context, _ *accounts.Principal, a conversation.Address) (conversation.Access, error) {
	for _, c := range []conversation.Conversation{d.group, d.ship} {
		if c.Address() == a {
			return conversation.Access{Conversation: c, CanRead: true, CanPost: true}, nil
		}
	}
	return conversation.Access{}, apperr.NotFound("there is no such conversation")
}

// Sending, holding, releasing, removing and history work the same for a
// mentorship as for a group: the stored conversation has its own kind, and
// every durable event names it by address and by its older spelling.
func TestEveryPathTreatsGroupsAndMentorshipsAlike(t *testing.T) {
	db := storetest.OpenPostgres(t, append(accounts.Migrations(), Migrations()...))
	now := time.Now().UTC()
	tenantID := store.NewID()
	if err := db.Exec(`INSERT INTO tenants (id, slug, name, guidelines, created_at, updated_at) VALUES (?, ?, 'Kinds', '', ?, ?)`,
		tenantID, "kinds-"+tenantID[:8], now, now).Error; err != nil {
		t.Fatal(err)
	}
	dir := twoConversations{
		group: conversation.Conversation{ID: store.NewID(), Kind: conversation.Group, TenantID: tenantID, Key: "chronic", Name: "Chronic",
			Policy: conversation.Policy{Posting: conversation.PostOpen}},
		ship: conversation.Conversation{Kind: conversation.Mentorship, TenantID: tenantID, Name: "Mentorship",
			Policy: conversation.Policy{Posting: conversation.PostHoldAll}},
	}
	dir.ship.ID = store.NewID()
	dir.ship.Key = dir.ship.ID

	st := NewStore(db, time.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := NewHub(NewMemoryBroker(), st, NewMemoryPresence(), DefaultHubConfig(), NewMetrics(prometheus.NewRegistry()), log)
	ctx, cancel := context.WithCancel(context.Background())
	hubDone := make(chan struct{})
	go func() { defer close(hubDone); hub.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-hubDone })
	svc := NewService(NewPublisher(st, hub, NewMemoryBroker(), DefaultServiceConfig(), log), dir, nil, approveNothing{}, nil, DefaultServiceConfig())
	p := &accounts.Principal{Tenant: accounts.Tenant{ID: tenantID}, User: accounts.User{ID: store.NewID(), DisplayName: "Wren"}}

	for _, c := range []conversation.Conversation{dir.group, dir.ship} {
		at := c.Address()
		sent, err := svc.Send(ctx, p, at, nil, "c-"+string(c.Kind), "hello")
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind == conversation.Mentorship {
			// This mentorship holds every post: its first message is
			// held, and the conversation is first stored on release.
			if !sent.Held {
				t.Fatalf("%s: posting policy hold_all did not hold: %+v", at, sent)
			}
			if err := svc.ReleaseHeld(ctx, tenantID, c, sent.Message.ID); err != nil {
				t.Fatal(err)
			}
		}
		var kind string
		if err := db.Raw(`SELECT kind FROM conversations WHERE tenant_id = ? AND id = ?`, tenantID, c.ID).Scan(&kind).Error; err != nil {
			t.Fatal(err)
		}
		if kind != string(c.Kind) {
			t.Errorf("%s stored as kind %q", at, kind)
		}
		if err := svc.RemoveMessage(ctx, tenantID, c, sent.Message.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if err := svc.RestoreMessage(ctx, tenantID, c, sent.Message.ID, "hello again"); err != nil {
			t.Fatal(err)
		}
		events, err := st.EventsAfter(ctx, tenantID, c.ID, 0, 10, 10)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, ev := range events {
			var e Event
			if err := json.Unmarshal(ev.Payload, &e); err != nil {
				t.Fatal(err)
			}
			types = append(types, e.Type)
			if e.Conversation != at.String() || e.Group != at.GroupField() {
				t.Errorf("%s: event %d names conversation %q, group %q", at, ev.Seq, e.Conversation, e.Group)
			}
		}
		if len(types) != 3 || types[0] != TypeMessage || types[1] != TypeRemoved || types[2] != TypeRestored {
			t.Errorf("%s: events %v, want message, removed, restored", at, types)
		}
		page, err := svc.History(ctx, p, at, 0, 10)
		if err != nil || len(page.Messages) != 1 || page.Messages[0].Text != "hello again" || page.Head != 3 {
			t.Errorf("%s history: %+v, %v", at, page, err)
		}
	}
	// A held message released into the wrong conversation is refused.
	sent, err := svc.Send(ctx, p, dir.ship.Address(), nil, "c-2", "again")
	if err != nil || !sent.Held {
		t.Fatalf("second mentorship post: %+v, %v", sent, err)
	}
	if err := svc.ReleaseHeld(ctx, tenantID, dir.group, sent.Message.ID); err == nil {
		t.Error("a mentorship's held message was released into a group")
	}
}

// approveNothing is a screener that lets everything through unqueued, so
// held messages come from the posting policy alone.
type approveNothing struct{}

func (approveNothing) Screen(context.Context, *accounts.Principal, conversation.Conversation, string) (Verdict, error) {
	return Verdict{}, nil
}

func (approveNothing) Review(context.Context, *accounts.Principal, conversation.Conversation, Review) error {
	return nil
}
