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
