package accounts

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"quietroom/internal/apperr"
)

// HashLimits bound password hashing. Each argon2id hash holds its memory
// cost (64 MiB by default) while it runs, so without a bound a burst of
// sign-ins takes the machine's memory; with one, hashing never holds more
// than Concurrent × the memory cost at once.
type HashLimits struct {
	// Concurrent is how many hashes run at once; 0 is half of GOMAXPROCS
	// (at least one), so a flood of sign-ins leaves half the cores to
	// everything else: with every core hashing, a 500-request burst kept
	// a signing-in member waiting 5-8 s instead of 1.5-2.5 s (issue 20).
	Concurrent int
	// Queue is how many requests may wait for a slot; the next one is
	// refused at once with 503 unavailable and Retry-After, before any
	// other work (no database, no hashing). 0 is 2 × Concurrent, so a
	// request never waits longer than about three hashes; negative is no
	// queue.
	Queue int
	// MaxWait is how long a queued request waits before it is refused the
	// same way; 0 is 3 s.
	MaxWait time.Duration
	// ReleaseAfter: once no hash has run for this long after some have,
	// the memory they freed is handed back to the operating system (Go
	// would otherwise keep it for minutes). 0 is 1 s; negative never.
	ReleaseAfter time.Duration
}

// HashStats is a snapshot of the limiter, for metrics.
type HashStats struct {
	Running, Waiting int
	// Refused counts requests turned away (queue full or waited too long).
	Refused uint64
	// Releases counts hand-backs of freed memory to the operating system.
	Releases uint64
}

// hashLimiter admits at most Concurrent + Queue requests at a time; of
// those, Concurrent hash while the rest wait for a slot.
type hashLimiter struct {
	limits HashLimits
	slots  chan struct{}

	mu       sync.Mutex
	admitted int
	running  int
	refused  uint64
	releases uint64
	// hashed counts hashes since memory was last handed back.
	hashed int
	idle   *time.Timer
	closed bool
}

func newHashLimiter(l HashLimits) *hashLimiter {
	if l.Concurrent <= 0 {
		l.Concurrent = max(1, runtime.GOMAXPROCS(0)/2)
	}
	switch {
	case l.Queue == 0:
		l.Queue = 2 * l.Concurrent
	case l.Queue < 0:
		l.Queue = 0
	}
	if l.MaxWait <= 0 {
		l.MaxWait = 3 * time.Second
	}
	if l.ReleaseAfter == 0 {
		l.ReleaseAfter = time.Second
	}
	return &hashLimiter{limits: l, slots: make(chan struct{}, l.Concurrent)}
}

// errHashBusy is the answer when the limiter turns a request away.
func errHashBusy() error {
	e := apperr.New(apperr.CodeUnavailable, "the server is busy checking other passwords: try again in a moment")
	e.RetryAfterSeconds = 1
	return e
}

// admit takes a place among the running and waiting requests, or refuses
// at once when there is none. It costs nothing else, so a flood is turned
// away at the door.
func (l *hashLimiter) admit() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.admitted >= l.limits.Concurrent+l.limits.Queue {
		l.refused++
		return errHashBusy()
	}
	l.admitted++
	return nil
}

// leave gives back an admitted place. When it was the last one and some
// hashes ran, the freed memory is handed back after ReleaseAfter.
func (l *hashLimiter) leave() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.admitted--
	if l.admitted > 0 || l.hashed == 0 || l.closed || l.limits.ReleaseAfter < 0 {
		return
	}
	if l.idle == nil {
		l.idle = time.AfterFunc(l.limits.ReleaseAfter, l.giveBack)
	} else {
		l.idle.Reset(l.limits.ReleaseAfter)
	}
}

// run waits (at most MaxWait) for a hashing slot for an admitted request
// and returns the function that gives the slot back.
func (l *hashLimiter) run(ctx context.Context) (func(), error) {
	select {
	case l.slots <- struct{}{}:
		l.started()
		return l.release, nil
	default:
	}
	timer := time.NewTimer(l.limits.MaxWait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		l.started()
		return l.release, nil
	case <-timer.C:
		l.mu.Lock()
		l.refused++
		l.mu.Unlock()
		return nil, errHashBusy()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// acquire is admit and run; the returned function gives both back.
func (l *hashLimiter) acquire(ctx context.Context) (func(), error) {
	if err := l.admit(); err != nil {
		return nil, err
	}
	release, err := l.run(ctx)
	if err != nil {
		l.leave()
		return nil, err
	}
	return func() { release(); l.leave() }, nil
}

func (l *hashLimiter) started() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running++
	l.hashed++
	if l.idle != nil {
		l.idle.Stop()
	}
}

func (l *hashLimiter) release() {
	// Collect the finished hash's memory and hand it back to the operating
	// system before the slot passes on. A plain collection was not enough
	// when measured: the next 64 MiB block often took fresh memory rather
	// than the freed range (small allocations settle in it), and a burst
	// held twice
	// Concurrent × the memory cost (measured: +131 MiB with one hash at a
	// time, +68 MiB this way). It costs a collection of a heap that is
	// mostly hash blocks (no pointers) and the next hash's page faults: a
	// few milliseconds against a hash's hundred or more.
	debug.FreeOSMemory()
	<-l.slots
	l.mu.Lock()
	l.running--
	l.mu.Unlock()
}

// giveBack returns what was freed since the last hash (the burst's
// request buffers and goroutine stacks) to the operating system once
// hashing has gone quiet; Go's own scavenger would keep it for minutes.
func (l *hashLimiter) giveBack() {
	l.mu.Lock()
	if l.admitted > 0 || l.hashed == 0 || l.closed {
		l.mu.Unlock()
		return
	}
	l.hashed = 0
	l.mu.Unlock()
	debug.FreeOSMemory()
	l.mu.Lock()
	l.releases++ // counted once done, so a reader of Stats sees the effect
	l.mu.Unlock()
}

func (l *hashLimiter) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	if l.idle != nil {
		l.idle.Stop()
	}
}

func (l *hashLimiter) stats() HashStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return HashStats{Running: l.running, Waiting: l.admitted - l.running, Refused: l.refused, Releases: l.releases}
}
