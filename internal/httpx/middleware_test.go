package httpx_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"quietroom/internal/httpx"
)

func init() { gin.SetMode(gin.TestMode) }

// router is the middleware stack the hub mounts, around two routes.
func router(logs *bytes.Buffer, reg prometheus.Registerer) *gin.Engine {
	log := slog.New(slog.NewJSONHandler(logs, nil))
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.NoRoute(httpx.NotFound)
	r.NoMethod(httpx.MethodNotAllowed)
	r.Use(httpx.Logger(log), httpx.Recover(log), httpx.NewMetrics(reg).Observe(), httpx.SecurityHeaders(), httpx.CleanInput())
	r.GET("/groups/:slug", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"slug": c.Param("slug")}) })
	r.GET("/boom", func(c *gin.Context) { panic("a bug") })
	return r
}

func do(r http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func errorOf(t *testing.T, w *httptest.ResponseRecorder) httpx.ErrorDetail {
	t.Helper()
	var b httpx.ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil || b.Error.Code == "" {
		t.Fatalf("body %q is not the error shape (%v)", w.Body.String(), err)
	}
	return b.Error
}

// A NUL byte or broken UTF-8 in a path segment is not_found (no id or slug
// holds one); in a query it is invalid, naming the parameter. Nothing of
// it reaches the handler.
func TestCleanInputRefusesBrokenText(t *testing.T) {
	r := router(&bytes.Buffer{}, prometheus.NewRegistry())
	cases := []struct {
		name, target string
		status       int
		code, field  string
	}{
		{"clean", "/groups/chronic?q=caf%C3%A9", http.StatusOK, "", ""},
		{"NUL in the path", "/groups/chr%00onic", http.StatusNotFound, "not_found", ""},
		{"broken UTF-8 in the path", "/groups/%ff%fe", http.StatusNotFound, "not_found", ""},
		{"NUL in a query value", "/groups/chronic?q=a%00b", http.StatusUnprocessableEntity, "invalid", "q"},
		{"broken UTF-8 in a query value", "/groups/chronic?diagnosis=%c3", http.StatusUnprocessableEntity, "invalid", "diagnosis"},
		{"broken UTF-8 in a query name", "/groups/chronic?%ff=1", http.StatusUnprocessableEntity, "invalid", "query"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := do(r, "GET", tc.target, nil)
			if w.Code != tc.status {
				t.Fatalf("status %d (%s), want %d", w.Code, w.Body, tc.status)
			}
			if tc.code == "" {
				return
			}
			e := errorOf(t, w)
			if string(e.Code) != tc.code || (tc.field != "" && e.Fields[tc.field] == "") {
				t.Errorf("error %+v, want code %s with a message for %q", e, tc.code, tc.field)
			}
		})
	}
}

// Every answer, errors and panics included, carries the security headers
// and the API's error shape.
func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	r := router(&bytes.Buffer{}, prometheus.NewRegistry())
	for _, tc := range []struct {
		method, target string
		status         int
		code           string
	}{
		{"GET", "/groups/chronic", http.StatusOK, ""},
		{"GET", "/nowhere", http.StatusNotFound, "not_found"},
		{"DELETE", "/groups/chronic", http.StatusMethodNotAllowed, "method_not_allowed"},
		{"GET", "/boom", http.StatusInternalServerError, "internal"},
	} {
		w := do(r, tc.method, tc.target, nil)
		if w.Code != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.target, w.Code, tc.status)
		}
		if tc.code != "" {
			if e := errorOf(t, w); string(e.Code) != tc.code || e.Message == "" {
				t.Errorf("%s %s: error %+v, want code %s with a message", tc.method, tc.target, e, tc.code)
			}
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
			"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"} {
			if got := w.Header().Get(k); got != v {
				t.Errorf("%s %s: %s = %q, want %q", tc.method, tc.target, k, got, v)
			}
		}
	}
}

// The request id a proxy sends is kept (if sane) and echoed; otherwise one
// is made. Each request logs one line with the route template, and a
// failure on our side logs at error level.
func TestLoggerTiesEachRequestToOneLine(t *testing.T) {
	var logs bytes.Buffer
	r := router(&logs, prometheus.NewRegistry())
	if w := do(r, "GET", "/groups/chronic", map[string]string{"X-Request-Id": "from-the-proxy"}); w.Header().Get("X-Request-Id") != "from-the-proxy" {
		t.Errorf("request id %q, want the proxy's", w.Header().Get("X-Request-Id"))
	}
	long := strings.Repeat("x", 65)
	if got := do(r, "GET", "/groups/chronic", map[string]string{"X-Request-Id": long}).Header().Get("X-Request-Id"); got == long || got == "" {
		t.Errorf("an over-long request id came back as %q, want a fresh one", got)
	}
	a := do(r, "GET", "/groups/a", nil).Header().Get("X-Request-Id")
	b := do(r, "GET", "/boom", nil).Header().Get("X-Request-Id")
	if a == "" || a == b {
		t.Errorf("made request ids %q and %q, want two distinct ones", a, b)
	}
	var lines []map[string]any
	var panics int
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", l, err)
		}
		switch m["msg"] {
		case "http":
			lines = append(lines, m)
		case "panic serving request":
			panics++
			if m["request_id"] != b || m["panic"] != "a bug" {
				t.Errorf("the panic's line %v does not name the request %s and the panic", m, b)
			}
		}
	}
	if panics != 1 {
		t.Errorf("%d panic lines, want 1", panics)
	}
	if len(lines) != 4 {
		t.Fatalf("%d request lines for 4 requests: %v", len(lines), lines)
	}
	if lines[2]["request_id"] != a || lines[2]["route"] != "/groups/:slug" || lines[2]["level"] != "INFO" {
		t.Errorf("line of a good request: %v", lines[2])
	}
	if lines[3]["request_id"] != b || lines[3]["level"] != "ERROR" || lines[3]["status"] != float64(500) {
		t.Errorf("line of a panicking request: %v", lines[3])
	}
}

// Metrics are labelled by route template, so a thousand slugs make one
// series and unknown paths one more.
func TestMetricsAreLabelledByRouteTemplate(t *testing.T) {
	reg := prometheus.NewRegistry()
	r := router(&bytes.Buffer{}, reg)
	for _, p := range []string{"/groups/a", "/groups/b", "/groups/c", "/x/y", "/z"} {
		do(r, "GET", p, nil)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "hub_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" {
					counts[l.GetValue()] += m.GetCounter().GetValue()
				}
			}
		}
	}
	if len(counts) != 2 || counts["/groups/:slug"] != 3 || counts["unmatched"] != 2 {
		t.Errorf("requests by route %v, want /groups/:slug 3 and unmatched 2", counts)
	}
}
