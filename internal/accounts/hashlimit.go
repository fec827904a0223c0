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
	// Concurrent is how many hashes run at once; 0 is GOMAXPROCS (one per
	// core: more would only share the cores and hold more memory).
	Concurrent int
	// Queue is how many requests may wait for a slot; the next one is
	// refused at once with 503 unavailable and Retry-After, without
	// hashing. 0 is 8 × Concurrent; negative is no queue.
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

// hashLimiter is a counting semaphore with a bounded wait queue.
type hashLimiter struct {
	limits HashLimits
	slots  chan struct{}

	mu       sync.Mutex
	waiting  int
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
		l.Concurrent = runtime.GOMAXPROCS(0)
	}
	switch {
	case l.Queue == 0:
		l.Queue = 8 * l.Concurrent
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

// acquire takes a slot, waiting in the queue if there is room, and
// returns the function that gives it back.
func (l *hashLimiter) acquire(ctx context.Context) (func(), error) {
	select {
	case l.slots <- struct{}{}:
		l.started()
		return l.release, nil
	default:
	}
	l.mu.Lock()
	if l.waiting >= l.limits.Queue {
		l.refused++
		l.mu.Unlock()
		return nil, errHashBusy()
	}
	l.waiting++
	l.mu.Unlock()
	timer := time.NewTimer(l.limits.MaxWait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		l.mu.Lock()
		l.waiting--
		l.mu.Unlock()
		l.started()
		return l.release, nil
	case <-timer.C:
		l.mu.Lock()
		l.waiting--
		l.refused++
		l.mu.Unlock()
		return nil, errHashBusy()
	case <-ctx.Done():
		l.mu.Lock()
		l.waiting--
		l.mu.Unlock()
		return nil, ctx.Err()
	}
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
	<-l.slots
	l.mu.Lock()
	defer l.mu.Unlock()
	l.running--
	if l.running > 0 || l.waiting > 0 || l.closed || l.limits.ReleaseAfter < 0 {
		return
	}
	if l.idle == nil {
		l.idle = time.AfterFunc(l.limits.ReleaseAfter, l.giveBack)
	} else {
		l.idle.Reset(l.limits.ReleaseAfter)
	}
}

// giveBack returns freed hash memory to the operating system once hashing
// has gone quiet. Go's own scavenger would keep most of it for minutes
// after a burst, sized by the heap goal the burst set.
func (l *hashLimiter) giveBack() {
	l.mu.Lock()
	if l.running > 0 || l.hashed == 0 || l.closed {
		l.mu.Unlock()
		return
	}
	l.hashed = 0
	l.releases++
	l.mu.Unlock()
	debug.FreeOSMemory()
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
	return HashStats{Running: l.running, Waiting: l.waiting, Refused: l.refused, Releases: l.releases}
}
