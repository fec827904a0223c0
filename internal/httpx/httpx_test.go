package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
)

func init() { gin.SetMode(gin.TestMode) }

// serve runs one request through Recover and Logger (writing to logs) and h.
func serve(t *testing.T, logs *bytes.Buffer, method, body string, h gin.HandlerFunc) *httptest.ResponseRecorder {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(logs, nil))
	r := gin.New()
	r.Use(Recover(log), Logger(log))
	r.Handle(method, "/x", h)
	req := httptest.NewRequest(method, "/x", strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func decodeBody(t *testing.T, w *httptest.ResponseRecorder) ErrorDetail {
	t.Helper()
	var b ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("body %q is not the error shape: %v", w.Body.String(), err)
	}
	return b.Error
}

func TestErrorMapsDomainCodesAndHidesInternals(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		status     int
		code       apperr.Code
		logLevel   string
		logHasText string
	}{
		{"not found", apperr.NotFound("no such group"), http.StatusNotFound, apperr.CodeNotFound, "INFO", ""},
		{"wrapped conflict", errors.Join(errors.New("ctx"), apperr.Conflict("taken")), http.StatusConflict, apperr.CodeConflict, "INFO", ""},
		{"invalid field", apperr.InvalidField("name", "is required"), http.StatusUnprocessableEntity, apperr.CodeInvalid, "INFO", ""},
		{"unexpected", errors.New("connection reset by peer"), http.StatusInternalServerError, apperr.CodeInternal, "ERROR", "connection reset by peer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			w := serve(t, &logs, http.MethodGet, "", func(c *gin.Context) { Error(c, tc.err) })
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			d := decodeBody(t, w)
			if d.Code != tc.code {
				t.Errorf("code %q, want %q", d.Code, tc.code)
			}
			if tc.code == apperr.CodeInternal && strings.Contains(d.Message, "reset") {
				t.Errorf("internal detail leaked to the client: %q", d.Message)
			}
			var line map[string]any
			if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
				t.Fatalf("want one JSON log line, got %q", logs.String())
			}
			if line["level"] != tc.logLevel {
				t.Errorf("log level %v, want %s (line %s)", line["level"], tc.logLevel, logs.String())
			}
			if tc.logHasText != "" && !strings.Contains(logs.String(), tc.logHasText) {
				t.Errorf("the log line lacks the error %q: %s", tc.logHasText, logs.String())
			}
		})
	}
}

func TestRecoverAnswersInternalAndLogsThePanic(t *testing.T) {
	var logs bytes.Buffer
	w := serve(t, &logs, http.MethodGet, "", func(c *gin.Context) { panic("nil map") })
	if w.Code != http.StatusInternalServerError || decodeBody(t, w).Code != apperr.CodeInternal {
		t.Fatalf("got %d %s", w.Code, w.Body.String())
	}
	if !strings.Contains(logs.String(), "nil map") {
		t.Errorf("the panic is not logged: %s", logs.String())
	}
}

func TestDecodeRejectsWhatTheAPIDoesNotAccept(t *testing.T) {
	type input struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	cases := []struct {
		name, body string
		code       apperr.Code
		field      string
	}{
		{"empty", "", apperr.CodeMalformed, ""},
		{"not json", "{nope", apperr.CodeMalformed, ""},
		{"two values", `{"name":"a"}{"name":"b"}`, apperr.CodeMalformed, ""},
		{"unknown field", `{"nme":"a"}`, apperr.CodeInvalid, "nme"},
		{"wrong type", `{"count":"three"}`, apperr.CodeInvalid, "count"},
		{"NUL", `{"name":"a\u0000b"}`, apperr.CodeMalformed, ""},
		{"too large", `{"name":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, apperr.CodeTooLarge, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			w := serve(t, &logs, http.MethodPost, tc.body, func(c *gin.Context) {
				var in input
				if Decode(c, &in) {
					c.Status(http.StatusNoContent)
				}
			})
			d := decodeBody(t, w)
			if d.Code != tc.code {
				t.Fatalf("code %q (%s), want %q", d.Code, d.Message, tc.code)
			}
			if tc.field != "" && d.Fields[tc.field] == "" {
				t.Errorf("no message for field %q: %v", tc.field, d.Fields)
			}
		})
	}
	t.Run("accepted", func(t *testing.T) {
		var logs bytes.Buffer
		var got input
		w := serve(t, &logs, http.MethodPost, `{"name":"aura","count":3}`, func(c *gin.Context) {
			if Decode(c, &got) {
				c.Status(http.StatusNoContent)
			}
		})
		if w.Code != http.StatusNoContent || got.Name != "aura" || got.Count != 3 {
			t.Fatalf("status %d, decoded %+v", w.Code, got)
		}
	})
}
