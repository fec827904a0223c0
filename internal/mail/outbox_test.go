package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/mail/mailtest"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

func testMigrations() []store.Migration {
	return append(accounts.Migrations(), Migrations()...)
}

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func addTenant(t testing.TB, db *store.DB) string {
	t.Helper()
	id := store.NewID()
	now := time.Now().UTC()
	err := db.Exec(`INSERT INTO tenants (id, slug, name, guidelines, created_at, updated_at) VALUES (?, ?, 'Test', 'Be kind to each other.', ?, ?)`,
		id, "t"+id[:8], now, now).Error
	if err != nil {
		t.Fatalf("add tenant: %v", err)
	}
	return id
}

func testMessage(tenantID string, i int) Message {
	return Message{TenantID: tenantID, Kind: "password_reset", To: fmt.Sprintf("member%d@example.org", i),
		Content: Content{Subject: fmt.Sprintf("Mail %d", i), Greeting: "Hello,", Paragraphs: []string{"A paragraph."},
			Action: &Action{Label: "Open", URL: "https://hub.example.org/t/x/reset?token=abc"}}}
}

var testFrom = &netmail.Address{Name: "Quietroom", Address: "no-reply@example.org"}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func smtpSender(t testing.TB, addr string, timeout time.Duration) *SMTPSender {
	t.Helper()
	srv, err := ParseSMTPURL("smtp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	return NewSMTPSender(srv, timeout)
}

func statusOf(t testing.TB, o *Outbox, id string) Mail {
	t.Helper()
	m, err := o.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return *m
}

func TestEnqueueBelongsToTheCausingTransaction(t *testing.T) {
	storetest.EachDialect(t, testMigrations(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := addTenant(t, db)
		o := NewOutbox(db, DefaultConfig(), nil, nil)
		errRollback := errors.New("the event failed")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := o.Enqueue(ctx, tx, testMessage(tenant, 1)); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("transaction: %v", err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			_, err := o.Enqueue(ctx, tx, testMessage(tenant, 2))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		mails, err := o.List(ctx, ListFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) != 1 || mails[0].ToAddr != "member2@example.org" || mails[0].Status != StatusPending {
			t.Fatalf("outbox holds %+v, want only the committed mail, pending", mails)
		}
	})
}

func TestWorkerDeliversPlainAndHTMLParts(t *testing.T) {
	storetest.EachDialect(t, testMigrations(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := addTenant(t, db)
		smtpd := mailtest.Start(t, "")
		o := NewOutbox(db, DefaultConfig(), nil, nil)
		id, err := o.Enqueue(ctx, nil, testMessage(tenant, 1))
		if err != nil {
			t.Fatal(err)
		}
		w := NewWorker(o, smtpSender(t, smtpd.Addr, 30*time.Second), testFrom, DefaultWorkerConfig(), quietLog())
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("RunOnce = %d, %v", n, err)
		}
		got := smtpd.WaitFor(1)
		msg := got[0].Message(t)
		if got[0].To[0] != "member1@example.org" || got[0].From != "no-reply@example.org" {
			t.Fatalf("envelope %s -> %v", got[0].From, got[0].To)
		}
		if msg.Header.Get("Subject") != "Mail 1" || !strings.Contains(msg.Header.Get("Message-Id"), id) {
			t.Fatalf("headers %v", msg.Header)
		}
		if !strings.HasPrefix(msg.Header.Get("Content-Type"), "multipart/alternative") {
			t.Fatalf("content type %q, want multipart/alternative", msg.Header.Get("Content-Type"))
		}
		body := string(got[0].Data)
		for _, want := range []string{"text/plain", "text/html", "reset?token=3Dabc"} {
			if !strings.Contains(body, want) {
				t.Errorf("mail lacks %q:\n%s", want, body)
			}
		}
		if sent := statusOf(t, o, id); sent.Status != StatusSent || sent.SentAt == nil || sent.BodyText != "" {
			t.Fatalf("after sending: %+v, want sent with the body cleared", sent)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatalf("a sent mail was claimed again")
		}
	})
}

// TestMailServerFaultsLoseNothing sends through a real SMTP server that is
// down, refuses, stalls and drops the connection; every mail arrives once
// the server behaves, none is lost and none arrives twice.
func TestMailServerFaultsLoseNothing(t *testing.T) {
	for _, fault := range []string{"down", "refuse", "stall", "drop"} {
		t.Run(fault, func(t *testing.T) {
			db := storetest.OpenPostgres(t, testMigrations())
			ctx := context.Background()
			tenant := addTenant(t, db)
			clk := newClock()
			cfg := DefaultConfig()
			o := NewOutbox(db, cfg, nil, clk.Now)
			var ids []string
			for i := range 3 {
				id, err := o.Enqueue(ctx, nil, testMessage(tenant, i))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			smtpd := mailtest.Start(t, "")
			addr := smtpd.Addr
			timeout := 30 * time.Second
			switch fault {
			case "down":
				smtpd.Stop() // nothing listens on addr now
			case "stall":
				timeout = time.Second // the stalled server must fail the attempt
				smtpd.SetMode(fault)
			default:
				smtpd.SetMode(fault)
			}
			w := NewWorker(o, smtpSender(t, addr, timeout), testFrom, DefaultWorkerConfig(), quietLog())
			if fault == "stall" {
				// Only the first mail meets the stall; it times out.
				o.cfg.Batch = 1
			}
			if n, _ := w.RunOnce(ctx); n == 0 {
				t.Fatal("nothing was attempted")
			}
			failed := statusOf(t, o, ids[0])
			if failed.Status != StatusPending || failed.Attempts != 1 || failed.LastError == "" || !failed.NextAttemptAt.After(clk.Now()) {
				t.Fatalf("after a %s server: %+v, want pending with a retry scheduled", fault, failed)
			}
			if n, _ := w.RunOnce(ctx); fault != "stall" && n != 0 {
				t.Fatalf("a failed mail was retried before its backoff (%d claimed)", n)
			}
			if len(smtpd.Caught()) != 0 {
				t.Fatalf("a faulty server caught mail")
			}

			// The server recovers; once the backoff has passed, all arrive.
			if fault == "down" || fault == "stall" {
				smtpd.Stop()
				smtpd = mailtest.Start(t, addr)
			}
			smtpd.SetMode("accept")
			o.cfg.Batch = 20
			w = NewWorker(o, smtpSender(t, addr, 30*time.Second), testFrom, DefaultWorkerConfig(), quietLog())
			clk.Advance(cfg.FirstRetry * 2)
			for range 3 {
				if _, err := w.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
			}
			got := smtpd.WaitFor(3)
			seen := map[string]int{}
			for _, m := range got {
				seen[m.To[0]]++
			}
			for i := range 3 {
				if to := fmt.Sprintf("member%d@example.org", i); seen[to] != 1 {
					t.Errorf("%s received %d copies, want 1 (all: %v)", to, seen[to], seen)
				}
				if m := statusOf(t, o, ids[i]); m.Status != StatusSent {
					t.Errorf("mail %d is %s", i, m.Status)
				}
			}
		})
	}
}

func TestDeadAfterMaxAttemptsAndRetry(t *testing.T) {
	storetest.EachDialect(t, testMigrations(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := addTenant(t, db)
		clk := newClock()
		cfg := DefaultConfig()
		cfg.MaxAttempts = 3
		o := NewOutbox(db, cfg, nil, clk.Now)
		id, err := o.Enqueue(ctx, nil, testMessage(tenant, 1))
		if err != nil {
			t.Fatal(err)
		}
		smtpd := mailtest.Start(t, "")
		smtpd.SetMode("refuse")
		w := NewWorker(o, smtpSender(t, smtpd.Addr, 30*time.Second), testFrom, DefaultWorkerConfig(), quietLog())
		var waits []time.Duration
		for attempt := 1; attempt <= 3; attempt++ {
			if n, _ := w.RunOnce(ctx); n != 1 {
				t.Fatalf("attempt %d claimed %d mails", attempt, n)
			}
			m := statusOf(t, o, id)
			waits = append(waits, m.NextAttemptAt.Sub(clk.Now()))
			clk.Advance(2 * cfg.MaxRetry)
		}
		m := statusOf(t, o, id)
		if m.Status != StatusDead || m.Attempts != 3 || !strings.Contains(m.LastError, "451") {
			t.Fatalf("after 3 refusals: %+v, want dead with the server's answer", m)
		}
		if !(waits[1] > waits[0]) {
			t.Errorf("backoff did not grow: %v", waits)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatal("a dead mail was claimed")
		}
		// An operator queues it again once the server is fixed.
		smtpd.SetMode("accept")
		if _, err := o.Retry(ctx, id[:8]); err != nil {
			t.Fatal(err)
		}
		if n, err := w.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("retry: %d, %v", n, err)
		}
		smtpd.WaitFor(1)
		if m := statusOf(t, o, id); m.Status != StatusSent {
			t.Fatalf("retried mail is %s", m.Status)
		}
	})
}

// TestExpiredLeaseIsClaimedAgain: a worker that died mid-send leaves its
// mail to another once the lease runs out, and cannot overwrite the new
// owner's result afterwards.
func TestExpiredLeaseIsClaimedAgain(t *testing.T) {
	storetest.EachDialect(t, testMigrations(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := addTenant(t, db)
		clk := newClock()
		o := NewOutbox(db, DefaultConfig(), nil, clk.Now)
		id, _ := o.Enqueue(ctx, nil, testMessage(tenant, 1))
		dying, oldToken, err := o.claim(ctx)
		if err != nil || len(dying) != 1 {
			t.Fatalf("claim: %v %v", dying, err)
		}
		if again, _, _ := o.claim(ctx); len(again) != 0 {
			t.Fatal("a leased mail was claimed twice")
		}
		clk.Advance(o.cfg.Lease + time.Second)
		taken, newToken, err := o.claim(ctx)
		if err != nil || len(taken) != 1 || taken[0].Attempts != 2 {
			t.Fatalf("after the lease: %v %v", taken, err)
		}
		if err := o.markSent(ctx, taken[0], newToken); err != nil {
			t.Fatal(err)
		}
		if _, err := o.markFailed(ctx, dying[0], oldToken, errors.New("late")); err != nil {
			t.Fatal(err)
		}
		if m := statusOf(t, o, id); m.Status != StatusSent {
			t.Fatalf("the old claimer overwrote the result: %+v", m)
		}
	})
}

// TestTwoInstancesSendEachMailOnce runs workers of two hub instances (two
// connection pools on one PostgreSQL database, two goroutines each) over
// the same outbox.
func TestTwoInstancesSendEachMailOnce(t *testing.T) {
	ctx := context.Background()
	url := storetest.CreatePostgresDatabase(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, store.Config{DatabaseURL: url, MaxOpenConns: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbA, dbB := open(), open()
	if _, err := dbA.Migrate(ctx, testMigrations()); err != nil {
		t.Fatal(err)
	}
	tenant := addTenant(t, dbA)
	smtpd := mailtest.Start(t, "")
	const total = 120
	cfg := DefaultConfig()
	cfg.Batch = 5
	outA, outB := NewOutbox(dbA, cfg, nil, nil), NewOutbox(dbB, cfg, nil, nil)
	for i := range total {
		o := outA
		if i%2 == 1 {
			o = outB
		}
		if _, err := o.Enqueue(ctx, nil, testMessage(tenant, i)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, o := range []*Outbox{outA, outA, outB, outB} {
		w := NewWorker(o, smtpSender(t, smtpd.Addr, 30*time.Second), testFrom, DefaultWorkerConfig(), quietLog())
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := w.RunOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	got := smtpd.WaitFor(total)
	seen := map[string]int{}
	for _, m := range got {
		seen[m.Message(t).Header.Get("Message-Id")]++
	}
	if len(got) != total || len(seen) != total {
		t.Fatalf("caught %d mails with %d distinct ids, want %d of each", len(got), len(seen), total)
	}
	left, _ := outA.List(ctx, ListFilter{Status: StatusPending})
	if len(left) != 0 {
		t.Fatalf("%d mails left pending", len(left))
	}
}

func TestOutboxGetFindsByPrefixAndDeleteUser(t *testing.T) {
	storetest.EachDialect(t, testMigrations(), func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := addTenant(t, db)
		o := NewOutbox(db, DefaultConfig(), nil, nil)
		m := testMessage(tenant, 1)
		m.UserID = "user-1"
		id, _ := o.Enqueue(ctx, nil, m)
		if got, err := o.Get(ctx, strings.ToUpper(id[:10])); err != nil || got.ID != id {
			t.Fatalf("Get by prefix: %v %v", got, err)
		}
		for _, bad := range []string{"", "abc", "zzzzzzzz", "' OR 1=1 --"} {
			if _, err := o.Get(ctx, bad); err == nil {
				t.Errorf("Get(%q) found something", bad)
			}
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return o.DeleteUser(ctx, tx, tenant, "user-1") }); err != nil {
			t.Fatal(err)
		}
		if _, err := o.Get(ctx, id); err == nil {
			t.Fatal("a deleted member's mail is still queued")
		}
	})
}
