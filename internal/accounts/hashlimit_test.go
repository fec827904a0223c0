package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// The limiter runs Concurrent hashes, lets Queue more wait, and turns the
// next one away at once with unavailable and Retry-After, without hashing.
func TestHashLimiterRefusesWhenTheQueueIsFull(t *testing.T) {
	h, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Concurrent: 1, Queue: 1, MaxWait: time.Minute, ReleaseAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	release, err := h.Hold(ctx)
	if err != nil {
		t.Fatal(err)
	}
	queued := make(chan error, 1)
	go func() {
		ok, err := h.Verify(ctx, "a password", "")
		if ok {
			err = errors.New("verified against the dummy hash")
		}
		queued <- err
	}()
	waitFor(t, "one request queued", func() bool { return h.Stats().Waiting == 1 })

	_, err = h.Hash(ctx, "one too many")
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeUnavailable || e.RetryAfterSeconds < 1 {
		t.Fatalf("hash with a full queue: %v, want unavailable with a retry delay", err)
	}
	if s := h.Stats(); s.Running != 1 || s.Waiting != 1 || s.Refused != 1 {
		t.Fatalf("stats %+v, want 1 running (the held slot), 1 waiting, 1 refused", s)
	}
	release()
	if err := <-queued; err != nil {
		t.Fatalf("queued check: %v", err)
	}
	if _, err := h.Hash(ctx, "room again"); err != nil {
		t.Fatalf("hash after the queue emptied: %v", err)
	}
}

// A ticket is taken before any other work and given back unused when the
// request ends early; the place is then free again.
func TestHashTicketsAreAdmittedAtTheDoor(t *testing.T) {
	h, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Concurrent: 1, Queue: 1, ReleaseAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	a, err := h.Admit()
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.Admit()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Admit(); apperr.CodeOf(err) != apperr.CodeUnavailable {
		t.Fatalf("third ticket with one slot and a queue of one: %v, want unavailable", err)
	}
	b.Release()
	b.Release() // twice is harmless
	if _, err := a.Hash(context.Background(), "a password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Hash(context.Background(), "again"); err == nil {
		t.Fatal("a ticket hashed twice")
	}
	if s := h.Stats(); s.Running != 0 || s.Waiting != 0 {
		t.Fatalf("stats %+v, want the limiter empty", s)
	}
	for range 2 {
		c, err := h.Admit()
		if err != nil {
			t.Fatalf("places were not given back: %v", err)
		}
		defer c.Release()
	}
}

// A queued request waits at most MaxWait, and a cancelled one leaves the
// queue.
func TestHashLimiterWaitIsBounded(t *testing.T) {
	h, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Concurrent: 1, Queue: 4, MaxWait: 20 * time.Millisecond, ReleaseAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	release, err := h.Hold(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if _, err := h.Hash(context.Background(), "waits too long"); apperr.CodeOf(err) != apperr.CodeUnavailable {
		t.Fatalf("after MaxWait: %v, want unavailable", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "gone"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while queued: %v, want context.Canceled", err)
	}
	if s := h.Stats(); s.Waiting != 0 || s.Refused != 1 {
		t.Fatalf("stats %+v, want nobody waiting and one refusal", s)
	}
}

// Requests from an address that holds a place wait in that address's
// line and are handed the place in turn: they are neither refused nor
// given more places, so other addresses still find one, and a third
// address is refused at once as before.
func TestHashLimiterLinesUpRequestsFromOneAddress(t *testing.T) {
	h, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Concurrent: 1, Queue: 1, MaxWait: time.Minute, ReleaseAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	release, err := h.HoldFrom(ctx, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	const lined = 5
	order := make(chan int, lined)
	errs := make(chan error, lined)
	for i := range lined {
		waitFor(t, "the line to grow", func() bool { return h.Stats().Waiting == i })
		go func() {
			tk, err := h.AdmitFrom(ctx, "192.0.2.1")
			if err != nil {
				errs <- err
				return
			}
			order <- i
			_, err = tk.Hash(ctx, "from the same address")
			errs <- err
		}()
	}
	waitFor(t, "five in the line", func() bool { return h.Stats().Waiting == lined })

	other, err := h.AdmitFrom(ctx, "198.51.100.2")
	if err != nil {
		t.Fatalf("another address while one address's line is long: %v, want the free place", err)
	}
	if _, err := h.AdmitFrom(ctx, "203.0.113.3"); apperr.CodeOf(err) != apperr.CodeUnavailable {
		t.Fatalf("a third address with both places taken: %v, want unavailable at once", err)
	}
	other.Release()
	release()
	for range lined {
		if err := <-errs; err != nil {
			t.Fatalf("a request in the line: %v", err)
		}
	}
	for i := range lined {
		if got := <-order; got != i {
			t.Fatalf("request %d was handed the place in turn %d: the line is first come, first served", got, i)
		}
	}
	if s := h.Stats(); s.Running != 0 || s.Waiting != 0 || s.Refused != 1 {
		t.Fatalf("stats %+v, want an empty limiter and one refusal", s)
	}
	// Every place is free again.
	a, err := h.AdmitFrom(ctx, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.AdmitFrom(ctx, "203.0.113.3")
	if err != nil {
		t.Fatal(err)
	}
	a.Release()
	b.Release()
}

// A request that leaves the line (its client went away) is not handed the
// place; the one behind it is.
func TestHashLimiterLineSkipsALeaver(t *testing.T) {
	h, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Concurrent: 1, Queue: -1, MaxWait: time.Minute, ReleaseAfter: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	release, err := h.HoldFrom(context.Background(), "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	left := make(chan error, 1)
	go func() { _, err := h.AdmitFrom(ctx, "192.0.2.1"); left <- err }()
	waitFor(t, "one in the line", func() bool { return h.Stats().Waiting == 1 })
	stays := make(chan error, 1)
	go func() {
		tk, err := h.AdmitFrom(context.Background(), "192.0.2.1")
		if err == nil {
			tk.Release()
		}
		stays <- err
	}()
	waitFor(t, "two in the line", func() bool { return h.Stats().Waiting == 2 })
	cancel()
	if err := <-left; !errors.Is(err, context.Canceled) {
		t.Fatalf("left the line: %v, want context.Canceled", err)
	}
	release()
	if err := <-stays; err != nil {
		t.Fatalf("the one behind: %v", err)
	}
	if s := h.Stats(); s.Waiting != 0 || s.Refused != 0 {
		t.Fatalf("stats %+v, want nobody waiting, nothing refused", s)
	}
}

// After hashing goes quiet, the freed memory is handed back once.
func TestHashLimiterHandsMemoryBackWhenIdle(t *testing.T) {
	h, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{ReleaseAfter: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for range 3 {
		if _, err := h.Hash(context.Background(), "some password"); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "memory handed back", func() bool { return h.Stats().Releases == 1 })
}

func TestOWASPMinimum(t *testing.T) {
	for _, c := range []struct {
		mem, iter uint32
		ok        bool
	}{
		{accounts.DefaultPasswordMemoryKiB, accounts.DefaultPasswordIterations, true},
		{19456, 2, true}, {47104, 1, true}, {65536, 1, true}, {7168, 5, true},
		{19455, 2, false}, {19456, 1, false}, {1024, 1, false}, {7168, 4, false},
	} {
		if got := accounts.MeetsOWASP(accounts.HashParams(c.mem, c.iter, 1)); got != c.ok {
			t.Errorf("m=%d t=%d: MeetsOWASP = %v, want %v", c.mem, c.iter, got, c.ok)
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // a safety net, not a budget
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
