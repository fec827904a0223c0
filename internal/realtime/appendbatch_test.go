package realtime

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// newAppendTenant makes a tenant to append under and returns its id.
func newAppendTenant(t testing.TB, db *store.DB) string {
	t.Helper()
	id, now := store.NewID(), time.Now()
	if err := db.Exec(`INSERT INTO tenants (id, slug, name, guidelines, created_at, updated_at) VALUES (?, ?, 'Appends', '', ?, ?)`,
		id, "appends-"+id[:8], now, now).Error; err != nil {
		t.Fatal(err)
	}
	return id
}

// Two instances (two stores on one database) append concurrently, with
// group commit, into conversations that do not exist yet, and every sender
// retries some of its messages with the same client id at the same time.
// Every message is committed when its append returns, each conversation's
// sequence is 1..n with no gap or repeat, a retry gets the original's
// sequence, each sender's messages keep their order, and transactions
// carried several messages each.
func TestGroupCommitKeepsSequencesGapFreeAndCommitsBeforeReturning(t *testing.T) {
	db := storetest.OpenPostgres(t, append(accounts.Migrations(), Migrations()...))
	tenantID := newAppendTenant(t, db)
	reg := prometheus.NewRegistry()
	metrics := NewMetrics(reg)
	stores := []*Store{NewStore(db, time.Now, WithMetrics(metrics)), NewStore(db, time.Now, WithMetrics(metrics))}
	convs := make([]string, 5)
	for i := range convs {
		convs[i] = store.NewID()
	}

	const senders, perSender = 40, 25
	type sent struct {
		conv, clientID string
		seq            int64
	}
	results := make([][]sent, senders)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, senders*perSender*2)
	for s := range senders {
		wg.Go(func() {
			st := stores[s%len(stores)]
			rng := rand.New(rand.NewPCG(uint64(s), 1))
			for i := range perSender {
				conv := convs[rng.IntN(len(convs))]
				in := NewMessage{TenantID: tenantID, ConversationID: conv, Kind: "group", Address: conversation.Address{Kind: conversation.Group, Key: "g"},
					AuthorID: fmt.Sprintf("author-%d", s), AuthorName: "Author", ClientID: fmt.Sprintf("m%d", i), Text: "hello"}
				attempts := 1
				if i%5 == 0 {
					attempts = 2 // a retry racing its original
				}
				got := make([]Committed, attempts)
				var inner sync.WaitGroup
				for a := range attempts {
					inner.Go(func() {
						c, err := st.AppendMessage(ctx, in)
						if err != nil {
							errs <- fmt.Errorf("sender %d message %d: %w", s, i, err)
							return
						}
						// Committed means visible to any other connection now.
						var n int64
						if err := db.Raw(`SELECT count(*) FROM messages WHERE tenant_id = ? AND id = ? AND seq = ?`,
							tenantID, c.Message.ID, c.Seq).Scan(&n).Error; err != nil || n != 1 {
							errs <- fmt.Errorf("sender %d message %d: acked seq %d is not committed (%d rows, %v)", s, i, c.Seq, n, err)
						}
						got[a] = c
					})
				}
				inner.Wait()
				if attempts == 2 && got[0].Seq != got[1].Seq {
					errs <- fmt.Errorf("sender %d message %d: a retry got seq %d, the original %d", s, i, got[1].Seq, got[0].Seq)
				}
				if attempts == 2 && got[0].Duplicate == got[1].Duplicate {
					errs <- fmt.Errorf("sender %d message %d: want exactly one of two racing attempts stored", s, i)
				}
				results[s] = append(results[s], sent{conv, in.ClientID, got[0].Seq})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	// Gap-free and matching what the senders were told.
	told := map[string]map[int64]bool{}
	for s, rs := range results {
		last := map[string]int64{}
		for _, r := range rs {
			if told[r.conv] == nil {
				told[r.conv] = map[int64]bool{}
			}
			if told[r.conv][r.seq] {
				t.Errorf("seq %d of %s was acked to two messages", r.seq, r.conv)
			}
			told[r.conv][r.seq] = true
			if r.seq <= last[r.conv] {
				t.Errorf("sender %d: %s got seq %d after %d", s, r.clientID, r.seq, last[r.conv])
			}
			last[r.conv] = r.seq
		}
	}
	total := 0
	for _, conv := range convs {
		var seqs []int64
		if err := db.Raw(`SELECT seq FROM conversation_events WHERE tenant_id = ? AND conversation_id = ? ORDER BY seq`, tenantID, conv).
			Scan(&seqs).Error; err != nil {
			t.Fatal(err)
		}
		for i, seq := range seqs {
			if seq != int64(i+1) {
				t.Fatalf("%s: events %v are not 1..%d", conv, seqs, len(seqs))
			}
		}
		if len(seqs) != len(told[conv]) {
			t.Errorf("%s: %d events stored, %d acked", conv, len(seqs), len(told[conv]))
		}
		total += len(seqs)
	}
	if total != senders*perSender {
		t.Errorf("%d messages stored, want %d", total, senders*perSender)
	}

	// Every stored message went through a counted commit, and commits
	// carried several messages each.
	var hist *dto.Histogram
	var commits float64
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		switch f.GetName() {
		case "hub_append_batch_size":
			hist = f.GetMetric()[0].GetHistogram()
		case "hub_append_commits_total":
			commits = f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	if hist == nil || float64(hist.GetSampleCount()) != commits {
		t.Fatalf("batch-size histogram %v does not match %v commits", hist, commits)
	}
	// Retries and first messages fall back to single appends, which also
	// count; what the histogram sums is every append attempt that reached
	// PostgreSQL, so at least every stored message.
	if hist.GetSampleSum() < float64(total) {
		t.Errorf("histogram sums %v appends, fewer than the %d stored", hist.GetSampleSum(), total)
	}
	if commits >= hist.GetSampleSum() {
		t.Errorf("%v commits for %v appends: no two appends shared a commit", commits, hist.GetSampleSum())
	}
	t.Logf("%d messages, %v appends in %v commits", total, hist.GetSampleSum(), commits)
}

// A batch in which one append fails loses nothing of the others: each is
// tried again on its own, and the failing one gets its error.
func TestGroupCommitFallsBackToSingleAppendsWhenABatchFails(t *testing.T) {
	db := storetest.OpenPostgres(t, append(accounts.Migrations(), Migrations()...))
	tenantID := newAppendTenant(t, db)
	reg := prometheus.NewRegistry()
	st := NewStore(db, time.Now, WithMetrics(NewMetrics(reg)))
	conv := store.NewID()
	ctx := context.Background()
	if err := ensureConversation(db.DB, tenantID, conv, "group", time.Now()); err != nil {
		t.Fatal(err)
	}
	// Messages with the text "refuse" cannot be stored.
	for _, stmt := range []string{
		`CREATE FUNCTION test_refuse() RETURNS trigger AS $$ BEGIN
			IF NEW.body = 'refuse' THEN RAISE EXCEPTION 'refused for the test'; END IF;
			RETURN NEW; END $$ LANGUAGE plpgsql`,
		`CREATE TRIGGER test_refuse BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_refuse()`,
	} {
		if err := db.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	// Send the batch directly, so it surely holds the bad append.
	var reqs []*appendRequest
	for i := range 6 {
		text := "fine"
		if i == 3 {
			text = "refuse"
		}
		in := NewMessage{TenantID: tenantID, ConversationID: conv, Kind: "group", Address: conversation.Address{Kind: conversation.Group, Key: "g"},
			AuthorID: "a", AuthorName: "A", ClientID: fmt.Sprintf("m%d", i), Text: text}
		prep, err := st.prepareAppend(in)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, &appendRequest{ctx: ctx, in: in, prep: prep, done: make(chan appendResult, 1)})
	}
	st.batcher.commit(reqs)
	var want int64
	for i, r := range reqs {
		res := <-r.done
		if i == 3 {
			if res.err == nil {
				t.Errorf("the refused append succeeded with seq %d", res.c.Seq)
			}
			continue
		}
		if res.err != nil {
			t.Fatalf("append %d: %v", i, res.err)
		}
		want++
		if res.c.Seq != want {
			t.Errorf("append %d got seq %d, want %d", i, res.c.Seq, want)
		}
	}
	head, err := st.Head(ctx, tenantID, conv)
	if err != nil || head != want {
		t.Fatalf("head %d (%v), want %d: the failed batch left a gap or lost a message", head, err, want)
	}
}
