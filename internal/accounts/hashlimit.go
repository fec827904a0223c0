package accounts

import (
	"context"
	"runtime"
	"runtime/debug"
	"slices"
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
	// MaxLineWait is how long a request may wait in its client address's
	// line (see admitFrom) before it is refused the same way; 0 is
	// 5 × MaxWait (15 s by default: 20 attempts in a line take about 6 s
	// on a quiet machine). The line is short (the rate limits bound it),
	// so this only trips when hashing is very slow, and keeps every answer
	// well within 30 s.
	MaxLineWait time.Duration
	// ReleaseAfter: once no hash has run for this long after some have,
	// the memory they freed is handed back to the operating system (Go
	// would otherwise keep it for minutes). 0 is 1 s; negative never.
	ReleaseAfter time.Duration
}

// HashStats is a snapshot of the limiter, for metrics.
type HashStats struct {
	// Waiting counts requests waiting for a slot or in their address's
	// line.
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
	// lines holds, for each client address that holds a place, the
	// requests from that address waiting for it to pass the place on.
	lines map[string]*addressLine
	lined int
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
	if l.MaxLineWait <= 0 {
		l.MaxLineWait = 5 * l.MaxWait
	}
	if l.ReleaseAfter == 0 {
		l.ReleaseAfter = time.Second
	}
	return &hashLimiter{limits: l, slots: make(chan struct{}, l.Concurrent), lines: map[string]*addressLine{}}
}

// addressLine is the requests from one client address waiting for the
// place that address holds, first come first served.
type addressLine struct {
	waiting []chan struct{}
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

// admitFrom is admit for a request from a client address (empty: no
// address). An address holds at most one place: while it holds one, its
// other requests wait in its line (for at most MaxLineWait) and each is
// handed the place in turn, instead of taking more places or being
// refused. So a burst from one address is checked one attempt at a time
// (the rate limits at the door keep its line short) and leaves the other
// places to everyone else, a member signing in during the burst among
// them; a burst spread over many addresses still finds the places taken
// and is refused at once.
func (l *hashLimiter) admitFrom(ctx context.Context, addr string) error {
	if addr == "" {
		return l.admit()
	}
	l.mu.Lock()
	line, held := l.lines[addr]
	if !held {
		defer l.mu.Unlock()
		if l.admitted >= l.limits.Concurrent+l.limits.Queue {
			l.refused++
			return errHashBusy()
		}
		l.admitted++
		l.lines[addr] = &addressLine{}
		return nil
	}
	turn := make(chan struct{})
	line.waiting = append(line.waiting, turn)
	l.lined++
	l.mu.Unlock()
	timer := time.NewTimer(l.limits.MaxLineWait)
	defer timer.Stop()
	var err error
	select {
	case <-turn:
		return nil
	case <-timer.C:
		err = errHashBusy()
	case <-ctx.Done():
		err = ctx.Err()
	}
	l.mu.Lock()
	if i := slices.Index(line.waiting, turn); i >= 0 {
		line.waiting = slices.Delete(line.waiting, i, i+1)
		l.lined--
		if ctx.Err() == nil {
			l.refused++
		}
		l.mu.Unlock()
		return err
	}
	l.mu.Unlock()
	// Handed the place just as the wait ended: pass it on.
	l.leaveFrom(addr)
	return err
}

// leaveFrom gives back a place taken by admitFrom: to the next request in
// the address's line if there is one, else to everyone.
func (l *hashLimiter) leaveFrom(addr string) {
	if addr == "" {
		l.leave()
		return
	}
	l.mu.Lock()
	line := l.lines[addr]
	if line != nil && len(line.waiting) > 0 {
		next := line.waiting[0]
		line.waiting = line.waiting[1:]
		l.lined--
		l.mu.Unlock()
		close(next)
		return
	}
	delete(l.lines, addr)
	l.mu.Unlock()
	l.leave()
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

// acquire is admitFrom and run; the returned function gives both back.
func (l *hashLimiter) acquire(ctx context.Context, addr string) (func(), error) {
	if err := l.admitFrom(ctx, addr); err != nil {
		return nil, err
	}
	release, err := l.run(ctx)
	if err != nil {
		l.leaveFrom(addr)
		return nil, err
	}
	return func() { release(); l.leaveFrom(addr) }, nil
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
	return HashStats{Running: l.running, Waiting: l.admitted - l.running + l.lined, Refused: l.refused, Releases: l.releases}
}
