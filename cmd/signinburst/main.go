// Command signinburst fires a burst of concurrent sign-in attempts at one
// running hub, as an attacker with a laptop would, and reports what the
// hub did: its resident memory (idle, at the peak, and a while after), the
// answers by status, the slowest answer, /readyz while the burst ran, and
// how long a member with the right password took to get in meanwhile.
//
// It creates its own community through the operator API; its admin is the
// legitimate member. Every attempt is a wrong password for an unknown
// email. Addresses are sent in X-Forwarded-For, so start the hub with
// HUB_TRUSTED_PROXIES=127.0.0.1/32: -addresses one sends the whole burst
// from one address (the per-address limit answers most of it), spread
// gives every attempt its own address (every one reaches the hashing
// limiter); the member always signs in from an address of their own.
//
// Memory is read from /proc/<pid>/status when -pid is given (VmRSS, and
// VmHWM for the peak), else sampled from process_resident_memory_bytes on
// /metrics every 50 ms. Only loopback hubs are accepted unless
// -allow-remote.
//
//	go run ./cmd/signinburst -hub http://127.0.0.1:8080 -pid "$(pgrep -nf 'hub serve')" -n 500 -addresses spread
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	hub           string
	operatorToken string
	n             int
	addresses     string
	pid           int
	after         time.Duration
	legitDelay    time.Duration
	allowRemote   bool
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "signinburst:", err)
		os.Exit(2)
	}
	if err := run(context.Background(), cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "signinburst:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("signinburst", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.hub, "hub", "http://127.0.0.1:8080", "hub base URL")
	fs.StringVar(&cfg.operatorToken, "operator-token", getenv("HUB_OPERATOR_TOKEN"), "operator API token (default $HUB_OPERATOR_TOKEN)")
	fs.IntVar(&cfg.n, "n", 500, "sign-in attempts sent at the same moment")
	fs.StringVar(&cfg.addresses, "addresses", "spread", "one: every attempt from one address; spread: each from its own")
	fs.IntVar(&cfg.pid, "pid", 0, "the hub's process id, to read its memory from /proc (0: sample /metrics)")
	fs.DurationVar(&cfg.after, "after", 60*time.Second, "how long after the burst to read the memory again")
	fs.DurationVar(&cfg.legitDelay, "legit-delay", 100*time.Millisecond, "when, after the burst starts, the member signs in")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false, "allow a hub that is not on a loopback address")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	u, err := url.Parse(cfg.hub)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, fmt.Errorf("-hub %q: want a base URL such as http://127.0.0.1:8080", cfg.hub)
	}
	if ip := net.ParseIP(u.Hostname()); !cfg.allowRemote && u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return cfg, fmt.Errorf("-hub %s is not a loopback address: pass -allow-remote if you mean it", cfg.hub)
	}
	cfg.hub = strings.TrimSuffix(cfg.hub, "/")
	switch {
	case cfg.operatorToken == "":
		return cfg, errors.New("-operator-token (or $HUB_OPERATOR_TOKEN) is required: the tool creates its own community")
	case cfg.n < 1 || cfg.n > 20000:
		return cfg, errors.New("-n must be between 1 and 20000")
	case cfg.addresses != "one" && cfg.addresses != "spread":
		return cfg, errors.New("-addresses must be one or spread")
	case cfg.after < 0 || cfg.legitDelay < 0:
		return cfg, errors.New("-after and -legit-delay must be 0 or more")
	}
	return cfg, nil
}

// answer is one attempt's outcome.
type answer struct {
	status  int
	latency time.Duration
	err     error
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	httpc := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
		Proxy: nil, MaxIdleConnsPerHost: cfg.n + 16, DisableCompression: true,
		DialContext: (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
	}}
	mem := newMemoryReader(cfg, httpc)

	// The community and its admin, the legitimate member.
	slug := "burst-" + randomHex(4)
	email, password := "member@"+slug+".example.org", "the member's own password "+randomHex(4)
	if status, body, err := post(ctx, httpc, cfg.hub+"/api/v1/operator/tenants", map[string]any{
		"slug": slug, "name": "Sign-in burst " + slug, "admin_email": email, "admin_password": password,
	}, map[string]string{"Authorization": "Bearer " + cfg.operatorToken}); err != nil || status != http.StatusCreated {
		return fmt.Errorf("create the community: %d %s %v", status, body, err)
	}
	signin := cfg.hub + "/api/v1/t/" + slug + "/auth/signin"

	// Let the hub settle (the admin's password hash is released a second
	// after hashing goes idle), then read the idle baseline.
	time.Sleep(3 * time.Second)
	baseline, err := mem.current(ctx)
	if err != nil {
		return fmt.Errorf("read the hub's memory: %w", err)
	}
	mem.resetPeak()
	fmt.Fprintf(out, "hub %s, community %s, %d attempts from %s address(es), memory from %s\n", cfg.hub, slug, cfg.n, cfg.addresses, mem.source())

	// Watchers: /readyz every 100 ms, memory every 50 ms.
	watchCtx, stopWatching := context.WithCancel(ctx)
	var ready readyStats
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ready.watch(watchCtx, httpc, cfg.hub+"/readyz") }()
	go func() { defer wg.Done(); mem.watch(watchCtx) }()

	answers := make([]answer, cfg.n)
	start := make(chan struct{})
	var burst sync.WaitGroup
	for i := range cfg.n {
		burst.Add(1)
		go func() {
			defer burst.Done()
			addr := "198.51.100.7"
			if cfg.addresses == "spread" {
				addr = fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256)
			}
			<-start
			began := time.Now()
			status, _, err := post(ctx, httpc, signin, map[string]any{"email": fmt.Sprintf("intruder%d@example.org", i), "password": "not the password"},
				map[string]string{"X-Forwarded-For": addr})
			answers[i] = answer{status, time.Since(began), err}
		}()
	}
	began := time.Now()
	close(start)

	// The member signs in meanwhile, from their own address, sending again
	// after Retry-After when the hub is busy.
	time.Sleep(cfg.legitDelay)
	legitStart := time.Now()
	legitTries, legitStatus := 0, 0
	for legitTries < 100 {
		legitTries++
		status, hdr, err := postH(ctx, httpc, signin, map[string]any{"email": email, "password": password}, map[string]string{"X-Forwarded-For": "192.0.2.10"})
		legitStatus = status
		if err != nil || status != http.StatusServiceUnavailable {
			break
		}
		wait, _ := strconv.Atoi(hdr.Get("Retry-After"))
		time.Sleep(time.Duration(max(wait, 1)) * time.Second)
	}
	legitTook := time.Since(legitStart)

	burst.Wait()
	burstTook := time.Since(began)
	stopWatching()
	wg.Wait()
	peak := mem.peakKiB()

	counts := map[string]int{}
	var slowest time.Duration
	for _, a := range answers {
		key := strconv.Itoa(a.status)
		if a.err != nil {
			key = "error"
		}
		counts[key]++
		slowest = max(slowest, a.latency)
	}
	fmt.Fprintf(out, "answers: %s; slowest %s; whole burst %s\n", fmtCounts(counts), slowest.Round(time.Millisecond), burstTook.Round(time.Millisecond))
	fmt.Fprintf(out, "readyz during the burst: %s; slowest %s\n", fmtCounts(ready.counts()), ready.slowest().Round(time.Millisecond))
	fmt.Fprintf(out, "member: status %d after %d tries in %s\n", legitStatus, legitTries, legitTook.Round(time.Millisecond))
	fmt.Fprintf(out, "RSS: idle %.1f MiB, peak %.1f MiB (+%.1f)\n", mib(baseline), mib(peak), mib(peak-baseline))

	time.Sleep(cfg.after)
	later, err := mem.current(ctx)
	if err != nil {
		return fmt.Errorf("read the hub's memory: %w", err)
	}
	fmt.Fprintf(out, "RSS %s after the burst: %.1f MiB (+%.1f)\n", cfg.after, mib(later), mib(later-baseline))
	fmt.Fprintf(out, "n=%d addresses=%s status=%s max_latency_ms=%d readyz=%s member_status=%d member_ms=%d rss_idle_mib=%.1f rss_peak_mib=%.1f rss_after_mib=%.1f\n",
		cfg.n, cfg.addresses, strings.ReplaceAll(fmtCounts(counts), " ", ","), slowest.Milliseconds(), strings.ReplaceAll(fmtCounts(ready.counts()), " ", ","),
		legitStatus, legitTook.Milliseconds(), mib(baseline), mib(peak), mib(later))
	return nil
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

func fmtCounts(c map[string]int) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, c[k])
	}
	return strings.Join(parts, " ")
}

func post(ctx context.Context, c *http.Client, u string, body any, header map[string]string) (int, string, error) {
	status, _, answer, err := send(ctx, c, u, body, header)
	return status, answer, err
}

func postH(ctx context.Context, c *http.Client, u string, body any, header map[string]string) (int, http.Header, error) {
	status, hdr, _, err := send(ctx, c, u, body, header)
	return status, hdr, err
}

func send(ctx context.Context, c *http.Client, u string, body any, header map[string]string) (int, http.Header, string, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, "POST", u, bytes.NewReader(b))
	if err != nil {
		return 0, nil, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, resp.Header, string(answer), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// readyStats counts /readyz answers.
type readyStats struct {
	mu     sync.Mutex
	byCode map[string]int
	worst  time.Duration
}

func (r *readyStats) watch(ctx context.Context, c *http.Client, u string) {
	for ctx.Err() == nil {
		began := time.Now()
		key := "error"
		req, _ := http.NewRequestWithContext(context.WithoutCancel(ctx), "GET", u, nil)
		if resp, err := c.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			key = strconv.Itoa(resp.StatusCode)
		}
		took := time.Since(began)
		r.mu.Lock()
		if r.byCode == nil {
			r.byCode = map[string]int{}
		}
		r.byCode[key]++
		r.worst = max(r.worst, took)
		r.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (r *readyStats) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.byCode {
		out[k] = v
	}
	return out
}

func (r *readyStats) slowest() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.worst
}

// memoryReader reads the hub's resident memory in KiB.
type memoryReader struct {
	pid     int
	metrics string
	http    *http.Client
	peak    atomic.Int64
	// hwm is true once the kernel's peak was reset before the burst.
	hwm bool
}

func newMemoryReader(cfg config, c *http.Client) *memoryReader {
	return &memoryReader{pid: cfg.pid, metrics: cfg.hub + "/metrics", http: c}
}

func (m *memoryReader) source() string {
	if m.pid > 0 {
		return fmt.Sprintf("/proc/%d/status (VmRSS; VmHWM for the peak when it can be reset, else samples every 50 ms)", m.pid)
	}
	return m.metrics + " (sampled every 50 ms)"
}

func (m *memoryReader) current(ctx context.Context) (int64, error) {
	if m.pid > 0 {
		return procField(m.pid, "VmRSS")
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", m.metrics, nil)
	resp, err := m.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return int64(v / 1024), err
		}
	}
	return 0, errors.New("/metrics has no process_resident_memory_bytes")
}

// resetPeak starts the kernel's peak (VmHWM) again from now, when it can.
func (m *memoryReader) resetPeak() {
	if m.pid > 0 {
		m.hwm = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", m.pid), []byte("5"), 0) == nil
	}
}

func (m *memoryReader) watch(ctx context.Context) {
	for ctx.Err() == nil {
		if v, err := m.current(context.WithoutCancel(ctx)); err == nil && v > m.peak.Load() {
			m.peak.Store(v)
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// peakKiB is the kernel's VmHWM when reading /proc (exact), else the
// highest sample.
func (m *memoryReader) peakKiB() int64 {
	if m.hwm {
		if v, err := procField(m.pid, "VmHWM"); err == nil {
			return max(v, m.peak.Load())
		}
	}
	return m.peak.Load()
}

func procField(pid int, field string) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}
