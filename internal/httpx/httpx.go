// Package httpx holds the HTTP conventions every handler shares: one JSON
// error shape, strict request decoding, and the middleware around routes.
package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
)

// MaxBodyBytes bounds every JSON request body.
const MaxBodyBytes = 64 << 10

// ErrorBody is the one error shape of the API:
// {"error":{"code":"…","message":"…","fields":{…}}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

type ErrorDetail struct {
	Code    apperr.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

var statusByCode = map[apperr.Code]int{
	apperr.CodeInvalid:         http.StatusUnprocessableEntity,
	apperr.CodeMalformed:       http.StatusBadRequest,
	apperr.CodeTooLarge:        http.StatusRequestEntityTooLarge,
	apperr.CodeUnauthenticated: http.StatusUnauthorized,
	apperr.CodeForbidden:       http.StatusForbidden,
	apperr.CodeCSRF:            http.StatusForbidden,
	apperr.CodeNotFound:        http.StatusNotFound,
	apperr.CodeConflict:        http.StatusConflict,
	apperr.CodeRateLimited:     http.StatusTooManyRequests,
	apperr.CodeUnavailable:     http.StatusServiceUnavailable,
	apperr.CodeInternal:        http.StatusInternalServerError,
	apperr.CodeAudience:        http.StatusForbidden,
	apperr.CodeInvalidToken:    http.StatusBadRequest,
}

// Status is the HTTP status for an error code.
func Status(code apperr.Code) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Error writes err in the API's error shape and aborts the chain. Errors that
// are not domain errors are shown as a generic internal error and attached
// to the request, so Logger writes them on the request's line.
func Error(c *gin.Context, err error) {
	e, ok := apperr.As(err)
	if !ok {
		_ = c.Error(err) // returns its argument wrapped; the list is what Logger reads
		e = apperr.New(apperr.CodeInternal, "something went wrong on our side; please try again")
	}
	if e.RetryAfterSeconds > 0 {
		c.Header("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
	if render, ok := c.Get(errorPageKey); ok {
		render.(ErrorPage)(c, Status(e.Code), e)
		c.Abort()
		return
	}
	c.AbortWithStatusJSON(Status(e.Code), ErrorBody{Error: ErrorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}})
}

// ErrorPage renders an error for a person rather than a program.
type ErrorPage func(c *gin.Context, status int, e *apperr.Error)

const errorPageKey = "httpx.error_page"

// RenderErrorsWith makes Error answer with page instead of JSON for the
// rest of the request: the browser pages mount it in front of the shared
// tenant and session middleware, so a missing community is a readable page.
func RenderErrorsWith(page ErrorPage) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(errorPageKey, page)
		c.Next()
	}
}

// Respond writes v with status, or the error: the ending of most handlers.
func Respond(c *gin.Context, status int, v any, err error) {
	if err != nil {
		Error(c, err)
		return
	}
	c.JSON(status, v)
}

// RespondEmpty answers 204, or the error.
func RespondEmpty(c *gin.Context, err error) {
	if err != nil {
		Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// JSON writes v with status.
func JSON(c *gin.Context, status int, v any) { c.JSON(status, v) }

// Decode reads a JSON body into v strictly: at most MaxBodyBytes, one JSON
// value, no unknown fields, field types as declared. On failure it writes
// the error response and returns false.
func Decode(c *gin.Context, v any) bool {
	if err := decode(c.Writer, c.Request, v); err != nil {
		Error(c, err)
		return false
	}
	return true
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return apperr.New(apperr.CodeMalformed, "send the body as application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return apperr.New(apperr.CodeTooLarge, "the request body is larger than %d KiB", MaxBodyBytes>>10)
		}
		return apperr.New(apperr.CodeMalformed, "could not read the request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.CodeMalformed, "the request body is empty: send a JSON object")
	}
	// A NUL character is never meaningful in our fields, and PostgreSQL
	// refuses it in text.
	if bytes.Contains(body, []byte(`\u0000`)) {
		return apperr.New(apperr.CodeMalformed, "the body contains a NUL character (\\u0000), which no field accepts")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return apperr.New(apperr.CodeMalformed, "the body must hold a single JSON object")
	}
	return nil
}

func decodeError(err error) error {
	var (
		syntax  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		return apperr.New(apperr.CodeMalformed, "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return apperr.New(apperr.CodeMalformed, "the body must be a JSON object")
		}
		// Go names fields of embedded structs with the struct's name
		// ("SignUpInput.email"); clients know only the JSON name.
		field := typeErr.Field[strings.LastIndex(typeErr.Field, ".")+1:]
		return apperr.InvalidField(field, fmt.Sprintf("must be a %s", jsonKind(typeErr.Type.Kind().String())))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.CodeMalformed, "the body ends before the JSON does")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.InvalidField(field, "is not a field this endpoint accepts")
	}
	return apperr.New(apperr.CodeMalformed, "the body is not JSON this endpoint accepts")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "map", "struct":
		return "object"
	default:
		return "number"
	}
}
