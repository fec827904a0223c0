package mentoring_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/groups"
	"quietroom/internal/mentoring"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// reminderCounter counts offer reminders by mentor.
type reminderCounter struct {
	mu   sync.Mutex
	sent map[string]int
}

func (c *reminderCounter) Notify(_ context.Context, _ string, userIDs []string, _, code, _, _, _ string) {
	if code != "mentor_offer_reminder" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range userIDs {
		c.sent[id]++
	}
}

// Every replica runs the mentoring worker; each offer's reminder must
// still reach its mentor once, however the replicas' ticks interleave.
func TestEachOfferReminderIsSentOnceAcrossReplicas(t *testing.T) {
	db := storetest.OpenPostgres(t, append(append(accounts.Migrations(), groups.Migrations()...), mentoring.Migrations()...))
	now := time.Now().UTC()
	tenantID := store.NewID()
	if err := db.Exec(`INSERT INTO tenants (id, slug, name, guidelines, created_at, updated_at) VALUES (?, ?, 'Remind', '', ?, ?)`,
		tenantID, "remind-"+tenantID[:8], now, now).Error; err != nil {
		t.Fatal(err)
	}
	const offers = 40
	mentors := make([]string, offers)
	for i := range mentors {
		mentors[i] = store.NewID()
		// Due for a reminder (inside RemindBefore), not yet expired.
		if err := db.Exec(`INSERT INTO mentor_offers (id, tenant_id, request_id, mentor_id, status, score, reasons, deadline, decline_reason, created_at)
			VALUES (?, ?, ?, ?, ?, 1, '[]', ?, '', ?)`, store.NewID(), tenantID, store.NewID(), mentors[i], mentoring.OfferPending,
			now.Add(time.Hour), now).Error; err != nil {
			t.Fatal(err)
		}
	}
	counter := &reminderCounter{sent: map[string]int{}}
	replicas := []*mentoring.Service{
		mentoring.NewService(db, counter, nil, nil, mentoring.DefaultConfig(), time.Now, nil),
		mentoring.NewService(db, counter, nil, nil, mentoring.DefaultConfig(), time.Now, nil),
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			<-start
			if err := replicas[i%2].Tick(context.Background()); err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, m := range mentors {
		if n := counter.sent[m]; n != 1 {
			t.Errorf("mentor %s reminded %d times, want once", m, n)
		}
	}
}
