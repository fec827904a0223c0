package accounts

import (
	"context"
	"fmt"

	"github.com/alexedwards/argon2id"
)

// PasswordHasher hashes and checks passwords with argon2id. Every hash and
// every check runs through its limiter, so the memory that hashing holds is
// bounded by the limiter whatever the load (see HashLimits).
type PasswordHasher struct {
	params  *argon2id.Params
	limiter *hashLimiter
	// dummy is a real hash compared against when an account does not exist,
	// so a failed sign-in takes as long whether or not the email is known.
	dummy string
}

// Default argon2id parameters: 64 MiB, two passes, one lane. That is above
// every row of the OWASP Password Storage Cheat Sheet (whose minimum is
// 19 MiB with two passes and one lane). One lane per hash because the
// limiter already runs one hash per core.
const (
	DefaultPasswordMemoryKiB   = 64 * 1024
	DefaultPasswordIterations  = 2
	DefaultPasswordParallelism = 1
)

// DefaultHashParams are the production parameters.
func DefaultHashParams() *argon2id.Params {
	return HashParams(DefaultPasswordMemoryKiB, DefaultPasswordIterations, DefaultPasswordParallelism)
}

// HashParams are argon2id parameters with the given memory (KiB), passes
// and lanes.
func HashParams(memoryKiB, iterations uint32, parallelism uint8) *argon2id.Params {
	return &argon2id.Params{Memory: memoryKiB, Iterations: iterations, Parallelism: parallelism, SaltLength: 16, KeyLength: 32}
}

// FastHashParams are for tests and load tools only: still argon2id, but cheap.
func FastHashParams() *argon2id.Params {
	return HashParams(1024, 1, 1)
}

// owaspRows are the OWASP Password Storage Cheat Sheet's equivalent
// argon2id configurations (memory in KiB, passes), each with one lane.
var owaspRows = [...]struct{ memoryKiB, iterations uint32 }{
	{47104, 1}, {19456, 2}, {12288, 3}, {9216, 4}, {7168, 5},
}

// MeetsOWASP reports whether p is at or above one of the OWASP rows.
func MeetsOWASP(p *argon2id.Params) bool {
	for _, row := range owaspRows {
		if p.Memory >= row.memoryKiB && p.Iterations >= row.iterations && p.Parallelism >= 1 {
			return true
		}
	}
	return false
}

// NewPasswordHasher returns a hasher with params whose hashing is bounded
// by limits. Close stops its memory-release timer.
func NewPasswordHasher(params *argon2id.Params, limits HashLimits) (*PasswordHasher, error) {
	h := &PasswordHasher{params: params, limiter: newHashLimiter(limits)}
	dummy, err := argon2id.CreateHash("not a real password, only for timing", params)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	h.dummy = dummy
	return h, nil
}

// Close stops the hasher's background timer.
func (h *PasswordHasher) Close() { h.limiter.close() }

// Stats reports what the limiter is doing, for metrics.
func (h *PasswordHasher) Stats() HashStats { return h.limiter.stats() }

// Limits are the limits the hasher runs with (defaults filled in).
func (h *PasswordHasher) Limits() HashLimits { return h.limiter.limits }

// Hold takes a hashing slot without hashing and returns its release; tests
// use it to fill the limiter.
func (h *PasswordHasher) Hold(ctx context.Context) (func(), error) { return h.limiter.acquire(ctx) }

// Hash hashes password, waiting for a slot; when the limiter is full it
// is an unavailable error with a retry delay.
func (h *PasswordHasher) Hash(ctx context.Context, password string) (string, error) {
	t, err := h.Admit()
	if err != nil {
		return "", err
	}
	return t.Hash(ctx, password)
}

// Verify reports whether password matches hash; an empty hash is compared
// against the dummy so the timing matches a real account, and it goes
// through the limiter like any other check.
func (h *PasswordHasher) Verify(ctx context.Context, password, hash string) (bool, error) {
	t, err := h.Admit()
	if err != nil {
		return false, err
	}
	return t.Verify(ctx, password, hash)
}

// HashTicket is a place in the hashing limiter, taken before any other
// work so that a request the limiter cannot take costs nothing. It is good
// for one Hash or Verify; Release gives it back unused.
type HashTicket struct {
	h    *PasswordHasher
	used bool
}

// Admit takes a place in the limiter, or answers unavailable (503 with
// Retry-After) at once when every place is taken.
func (h *PasswordHasher) Admit() (*HashTicket, error) {
	if err := h.limiter.admit(); err != nil {
		return nil, err
	}
	return &HashTicket{h: h}, nil
}

// Release gives the place back if it was not used; safe to call twice.
func (t *HashTicket) Release() {
	if !t.used {
		t.used = true
		t.h.limiter.leave()
	}
}

// run waits for a slot and runs fn in it, then gives the place back.
func (t *HashTicket) run(ctx context.Context, fn func()) error {
	if t.used {
		return fmt.Errorf("password hash ticket used twice")
	}
	defer t.Release()
	release, err := t.h.limiter.run(ctx)
	if err != nil {
		return err
	}
	defer release()
	fn()
	return nil
}

// Hash hashes password with the ticket's place.
func (t *HashTicket) Hash(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if rerr := t.run(ctx, func() { hash, err = argon2id.CreateHash(password, t.h.params) }); rerr != nil {
		return "", rerr
	}
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// Verify is PasswordHasher.Verify with the ticket's place.
func (t *HashTicket) Verify(ctx context.Context, password, hash string) (bool, error) {
	var ok bool
	var err error
	if rerr := t.run(ctx, func() { ok, err = t.h.verify(password, hash) }); rerr != nil {
		return false, rerr
	}
	return ok, err
}

func (h *PasswordHasher) verify(password, hash string) (bool, error) {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, h.dummy)
		return false, nil
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	return ok, nil
}
