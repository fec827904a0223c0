package mail

import (
	"context"
	"sort"
	"testing"
	"time"

	"quietroom/internal/mail/mailtest"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// BenchmarkSMTPSend is the latency of handing one mail (plain and HTML
// parts) to a real SMTP server on loopback: dial, EHLO, MAIL, RCPT, DATA,
// QUIT. It reports the median and p99 per send.
//
//	go test -run '^$' -bench SMTPSend -benchtime 300x ./internal/mail/
func BenchmarkSMTPSend(b *testing.B) {
	smtpd := mailtest.Start(b, "")
	sender := smtpSender(b, smtpd.Addr, 30*time.Second)
	r, err := render(testMessage("t", 1))
	if err != nil {
		b.Fatal(err)
	}
	env := Envelope{ID: store.NewID(), From: testFrom, To: "member1@example.org", Subject: r.Subject, Text: r.Text, HTML: r.HTML, Headers: r.Headers, Date: time.Now()}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := sender.Send(ctx, env); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
}

// BenchmarkOutboxThroughput queues b.N mails on PostgreSQL and has two
// workers (as two hub instances would) send them all to a real SMTP
// server, reporting mails per second from queue to accepted.
//
//	go test -run '^$' -bench OutboxThroughput -benchtime 500x ./internal/mail/
func BenchmarkOutboxThroughput(b *testing.B) {
	db := storetest.OpenPostgres(b, testMigrations())
	tenant := addTenant(b, db)
	smtpd := mailtest.Start(b, "")
	ctx := context.Background()
	o := NewOutbox(db, DefaultConfig(), nil, nil)
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if _, err := o.Enqueue(ctx, nil, testMessage(tenant, i)); err != nil {
			b.Fatal(err)
		}
	}
	queued := time.Since(start)
	done := make(chan error, 2)
	for range 2 {
		w := NewWorker(o, smtpSender(b, smtpd.Addr, 30*time.Second), testFrom, DefaultWorkerConfig(), quietLog())
		go func() {
			for {
				n, err := w.RunOnce(ctx)
				if err != nil || n == 0 {
					done <- err
					return
				}
			}
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	total := time.Since(start)
	b.StopTimer()
	if got := len(smtpd.Caught()); got != b.N {
		b.Fatalf("caught %d of %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/queued.Seconds(), "queued/s")
	b.ReportMetric(float64(b.N)/total.Seconds(), "sent/s")
}
