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

// Hash hashes password, waiting for a slot; a full queue is ErrHashBusy.
func (h *PasswordHasher) Hash(ctx context.Context, password string) (string, error) {
	release, err := h.limiter.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	hash, err := argon2id.CreateHash(password, h.params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// Verify reports whether password matches hash; an empty hash is compared
// against the dummy so the timing matches a real account, and it goes
// through the limiter like any other check.
func (h *PasswordHasher) Verify(ctx context.Context, password, hash string) (bool, error) {
	release, err := h.limiter.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
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
