package accounts

import (
	"fmt"
	"runtime"

	"github.com/alexedwards/argon2id"
)

// PasswordHasher hashes and checks passwords. Production uses argon2id with
// the library's recommended parameters; tests pass cheaper ones.
type PasswordHasher struct {
	params *argon2id.Params
	// dummy is a real hash compared against when an account does not exist,
	// so a failed sign-in takes as long whether or not the email is known.
	dummy string
}

// DefaultHashParams follows the RFC 9106 second recommended option scaled
// to a small server: 64 MiB, one pass.
func DefaultHashParams() *argon2id.Params { return HashParams(64 * 1024) }

// HashParams are the default parameters with another memory cost.
func HashParams(memoryKiB uint32) *argon2id.Params {
	return &argon2id.Params{Memory: memoryKiB, Iterations: 1, Parallelism: uint8(min(runtime.NumCPU(), 4)), SaltLength: 16, KeyLength: 32}
}

// FastHashParams are for tests and load tools only: still argon2id, but cheap.
func FastHashParams() *argon2id.Params {
	return &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

func NewPasswordHasher(params *argon2id.Params) (*PasswordHasher, error) {
	h := &PasswordHasher{params: params}
	dummy, err := h.Hash("not a real password, only for timing")
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

func (h *PasswordHasher) Hash(password string) (string, error) {
	hash, err := argon2id.CreateHash(password, h.params)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// Verify reports whether password matches hash; an empty hash is compared
// against the dummy so the timing matches a real account.
func (h *PasswordHasher) Verify(password, hash string) (bool, error) {
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
