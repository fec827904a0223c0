package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// Metrics are the HTTP request metrics, registered on a registry that main
// owns (no package-level collectors).
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hub_http_requests_total", Help: "HTTP requests by route template, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hub_http_request_duration_seconds", Help: "HTTP request latency by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// Observe records every request under its route template, so the label set
// stays bounded whatever paths clients send.
func (m *Metrics) Observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.duration.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
	}
}

// Logger logs one structured line per request, at error level when the
// request failed on our side, with the errors handlers attached (Error and
// page rendering attach them with c.Error).
func Logger(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		id := c.GetHeader("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = store.NewToken(8)
		}
		c.Header("X-Request-Id", id)
		c.Next()
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 || len(c.Errors) > 0 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("request_id", id),
			slog.String("method", c.Request.Method),
			slog.String("route", c.FullPath()),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("duration", time.Since(start)),
			slog.String("client", c.ClientIP()),
		}
		if len(c.Errors) > 0 {
			attrs = append(attrs, slog.String("err", c.Errors.String()))
		}
		log.LogAttrs(c.Request.Context(), level, "http", attrs...)
	}
}

// Recover turns a panic into the standard internal error. Mount it inside
// Logger, so the request's one line is still written (at error level, with
// its request id, which the panic's own line repeats).
func Recover(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				log.ErrorContext(c.Request.Context(), "panic serving request", "request_id", c.Writer.Header().Get("X-Request-Id"),
					"route", c.FullPath(), "panic", fmt.Sprint(r))
				Error(c, apperr.New(apperr.CodeInternal, "something went wrong on our side; please try again"))
			}
		}()
		c.Next()
	}
}

// SecurityHeaders sets the headers every response carries. Pages add their
// own Content-Security-Policy on top.
func SecurityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		// Community pages and data stay out of search engines.
		h.Set("X-Robots-Tag", "noindex, nofollow")
		h.Set("Cache-Control", "no-store")
		c.Next()
	}
}

// NotFound answers unknown routes in the API's error shape.
func NotFound(c *gin.Context) {
	Error(c, apperr.NotFound("there is nothing at %s", c.Request.URL.Path))
}

// MethodNotAllowed answers a known path with the wrong method.
func MethodNotAllowed(c *gin.Context) {
	c.AbortWithStatusJSON(http.StatusMethodNotAllowed, ErrorBody{Error: ErrorDetail{Code: "method_not_allowed", Message: "this endpoint does not accept " + c.Request.Method}})
}

// CleanInput refuses path segments and query values that are not valid
// UTF-8 or hold a NUL byte: no id, slug or filter can contain them, and
// PostgreSQL would reject them mid-query.
func CleanInput() gin.HandlerFunc {
	return func(c *gin.Context) {
		for _, p := range c.Params {
			if !cleanText(p.Value) {
				Error(c, apperr.NotFound("there is nothing at this address"))
				return
			}
		}
		for name, values := range c.Request.URL.Query() {
			for _, v := range values {
				if !cleanText(name) || !cleanText(v) {
					Error(c, apperr.InvalidField(sanitizeName(name), "must be valid text"))
					return
				}
			}
		}
		c.Next()
	}
}

func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func sanitizeName(s string) string {
	if cleanText(s) && len(s) <= 40 {
		return s
	}
	return "query"
}
