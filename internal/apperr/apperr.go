// Package apperr is the one error vocabulary shared by every domain package.
// Services return *Error values (or wrap them); the HTTP layer maps each Code
// to a status in one place, so a new endpoint never invents its own shape.
package apperr

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable error identifier. Clients may switch on
// it, so existing codes never change meaning.
type Code string

const (
	CodeInvalid         Code = "invalid"           // input failed validation
	CodeMalformed       Code = "malformed"         // body is not the JSON we accept
	CodeTooLarge        Code = "too_large"         // body over the limit
	CodeUnauthenticated Code = "unauthenticated"   // no valid session
	CodeForbidden       Code = "forbidden"         // signed in, but not allowed
	CodeCSRF            Code = "csrf_failed"       // missing or wrong CSRF token / cross-site
	CodeNotFound        Code = "not_found"         // absent, or belongs to another tenant
	CodeConflict        Code = "conflict"          // clashes with existing state
	CodeRateLimited     Code = "rate_limited"      // too many attempts
	CodeUnavailable     Code = "unavailable"       // a dependency is down
	CodeInternal        Code = "internal"          // a bug or an unexpected failure
	CodeAudience        Code = "audience_mismatch" // group audience excludes this member
	CodeInvalidToken    Code = "invalid_token"     // a mailed link's token is unknown, used or expired
)

// Error is a domain error with a stable code, a message safe to show to a
// person, and optional per-field messages for validation failures.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	// RetryAfterSeconds is set on rate-limit errors.
	RetryAfterSeconds int
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
}

// Is lets errors.Is match on the code alone: errors.Is(err, apperr.NotFound("")).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func NotFound(format string, args ...any) *Error  { return New(CodeNotFound, format, args...) }
func Forbidden(format string, args ...any) *Error { return New(CodeForbidden, format, args...) }
func Conflict(format string, args ...any) *Error  { return New(CodeConflict, format, args...) }

// Invalid reports validation failures, one message per offending field.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeInvalid, Message: "some fields need attention", Fields: fields}
}

// InvalidField is Invalid for a single field.
func InvalidField(field, message string) *Error {
	return Invalid(map[string]string{field: message})
}

// CodeOf extracts the code from anywhere in err's chain; errors that are not
// domain errors are internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// As returns the domain error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Fields collects validation messages so a service can report every bad
// field at once instead of one per round trip.
type Fields map[string]string

func (f Fields) Add(field, message string) {
	if _, seen := f[field]; !seen {
		f[field] = message
	}
}

// AddIf adds message for field unless message is empty, for checks that
// return "" when all is well.
func (f Fields) AddIf(field, message string) {
	if message != "" {
		f.Add(field, message)
	}
}

// Err returns nil when no field was added.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f)
}
