package realtime

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"quietroom/internal/store/storetest"
)

// Publishes from many concurrent senders share pipelines; each still
// reaches a subscriber exactly once, with its own payload, and each sender
// learns its own publish went through. Once Redis is gone, each learns it
// did not.
func TestRedisPublishesFromConcurrentSendersArriveOnceEach(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sub := NewRedisBroker(storetest.Redis(t), quiet)
	pubClient := storetest.Redis(t)
	pub := NewRedisBroker(pubClient, quiet)
	channels := []string{storetest.Prefix(t) + "a", storetest.Prefix(t) + "b"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := sub.Subscribe(ctx, channels...); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1000)
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		sub.Run(ctx, func(ch string, payload []byte) { got <- ch + " " + string(payload) }, func() {})
	}()
	defer func() { cancel(); <-runDone }()
	// The subscription is confirmed once a probe published now arrives.
	probe := time.NewTicker(20 * time.Millisecond) // polling interval
	defer probe.Stop()
waitSubscribed:
	for {
		if err := pub.Publish(ctx, channels[0], []byte("probe")); err != nil {
			t.Fatal(err)
		}
		select {
		case <-got:
			break waitSubscribed
		case <-probe.C:
		}
	}
	for len(got) > 0 { // late probes
		<-got
	}

	const senders, each = 20, 25
	var wg sync.WaitGroup
	errs := make(chan error, senders*each)
	for s := range senders {
		wg.Go(func() {
			for i := range each {
				if err := pub.Publish(ctx, channels[i%2], fmt.Appendf(nil, "%d-%d", s, i)); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	deadline := time.After(time.Minute) // a safety net only
	for len(seen) < senders*each {
		select {
		case m := <-got:
			if m == channels[0]+" probe" {
				continue
			}
			if seen[m] {
				t.Fatalf("%q arrived twice", m)
			}
			seen[m] = true
		case <-deadline:
			t.Fatalf("%d of %d publishes arrived", len(seen), senders*each)
		}
	}
	for s := range senders {
		for i := range each {
			if m := fmt.Sprintf("%s %d-%d", channels[i%2], s, i); !seen[m] {
				t.Fatalf("%q never arrived", m)
			}
		}
	}

	pubClient.Close()
	var failed sync.WaitGroup
	for range 3 {
		failed.Go(func() {
			if err := pub.Publish(ctx, channels[0], []byte("after close")); err == nil {
				t.Error("a publish on a closed client reported success")
			}
		})
	}
	failed.Wait()
}
