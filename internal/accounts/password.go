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
func (h *PasswordHasher) Hold(ctx context.Context) (func(), error) { return h.limiter.acquire(ctx, "") }

// HoldFrom is Hold for a request from a client address (see AdmitFrom).
func (h *PasswordHasher) HoldFrom(ctx context.Context, addr string) (func(), error) {
	return h.limiter.acquire(ctx, addr)
}

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
	addr string
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

// AdmitFrom is Admit for a request from a client address: while another
// request from that address holds a place, this one waits its turn for
// that place instead of taking another (or being refused because all are
// taken), so one address never holds more than one place.
func (h *PasswordHasher) AdmitFrom(ctx context.Context, addr string) (*HashTicket, error) {
	if err := h.limiter.admitFrom(ctx, addr); err != nil {
		return nil, err
	}
	return &HashTicket{h: h, addr: addr}, nil
}

// Release gives the place back if it was not used; safe to call twice.
func (t *HashTicket) Release() {
	if !t.used {
		t.used = true
		t.h.limiter.leaveFrom(t.addr)
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
	ok, _, err := t.verify(ctx, password, hash, false)
	return ok, err
}

// VerifyAndRehash is Verify that, when the password matches a hash made
// with other parameters than the hasher's (an older default, a changed
// setting), also hashes it again with the current ones, in the same slot:
// rehash is the new hash to store, "" when none is needed.
func (t *HashTicket) VerifyAndRehash(ctx context.Context, password, hash string) (ok bool, rehash string, err error) {
	return t.verify(ctx, password, hash, true)
}

func (t *HashTicket) verify(ctx context.Context, password, hash string, rehash bool) (ok bool, fresh string, err error) {
	if rerr := t.run(ctx, func() {
		ok, err = t.h.verify(password, hash)
		if ok && err == nil && rehash && t.h.NeedsRehash(hash) {
			if fresh, err = argon2id.CreateHash(password, t.h.params); err != nil {
				err = fmt.Errorf("rehash password: %w", err)
			}
		}
	}); rerr != nil {
		return false, "", rerr
	}
	if err != nil {
		return false, "", err
	}
	return ok, fresh, nil
}

// NeedsRehash reports whether hash was made with other argon2id
// parameters than the hasher's.
func (h *PasswordHasher) NeedsRehash(hash string) bool {
	p, salt, key, err := argon2id.DecodeHash(hash)
	if err != nil {
		return false // not ours to mend; verify has said what it is
	}
	want := h.params
	return p.Memory != want.Memory || p.Iterations != want.Iterations || p.Parallelism != want.Parallelism ||
		uint32(len(salt)) != want.SaltLength || uint32(len(key)) != want.KeyLength
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
