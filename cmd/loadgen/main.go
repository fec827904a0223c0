// Command loadgen drives Quietroom hubs with WebSocket clients and reports
// delivery correctness (lost, duplicated, out-of-order messages), end-to-end
// latency and what the hubs spent on it (memory per connection, CPU).
//
// It creates its own tenant through the operator API, signs up its users,
// creates and joins its groups, connects every user over WebSocket (spread
// round-robin across the hubs given), subscribes, warms up, sends for the
// duration, waits for in-flight deliveries and prints a summary whose last
// line is machine-readable key=value pairs.
//
// Scenarios:
//
//	idle     -clients N connections, subscribed to groups, no sends (each
//	         client pings after 30 s without a frame, as the browser does)
//	groups   -groups G × -members K; every member sends every -interval
//	bigroom  one group of -clients members; -rate messages/s in total,
//	         each from a random member
//
// Timeline: setup (tenant, groups, sign-ups and joins through the API);
// settle (wait for each hub to collect the sign-ups' argon2id garbage, so
// the memory baseline is clean; -settle 0 skips it); baseline /metrics;
// connect and subscribe; /metrics again; warm-up (the scenario already
// sends: its messages count for correctness but are not timed); the
// measured phase of -duration; drain; final /metrics; close. While
// connected, /metrics is also read every 2 s, and memory per connection
// is reported right after connecting, at its highest, and at the end.
//
// Every message text is "c<client>-<n> <send unix ns> " and then everyday
// words; receivers take latency as receive time minus that send time
// (same clock). Each client keeps a bitset of the sequences it received,
// so duplicates, out-of-order deliveries and, at the end, every acked
// message a member never got (lost) are counted exactly.
//
// Only loopback hubs are accepted unless -allow-remote is given.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Hard bounds, whatever the flags say.
const (
	maxClients   = 50000
	maxTextBytes = 4000 // the hub's MaxTextRunes; ASCII text is one byte a rune
)

// hubTarget is one hub instance: its HTTP base URL and WebSocket base URL.
type hubTarget struct {
	base string // http(s)://host:port[/prefix], no trailing slash
	ws   string // ws(s)://host:port[/prefix]
}

type config struct {
	hubs               []hubTarget
	operatorToken      string
	scenario           string
	clients            int
	groups             int
	groupsSet          bool
	members            int
	interval           time.Duration
	rate               float64
	duration           time.Duration
	warmup             time.Duration
	drain              time.Duration
	maxDuration        time.Duration
	settle             time.Duration
	setupConcurrency   int
	connectConcurrency int
	textSize           int
	allowRemote        bool
}

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// peakInterval is how often the hubs' memory is read while connected.
const peakInterval = 2 * time.Second

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // setup failed, or the run was cut short
	exitUsage   = 2
)

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hubs := fs.String("hubs", "http://127.0.0.1:8080", "comma-separated hub base URLs; clients are spread round-robin across them")
	fs.StringVar(&cfg.operatorToken, "operator-token", "", "operator API token (default $HUB_OPERATOR_TOKEN)")
	fs.StringVar(&cfg.scenario, "scenario", "groups", "idle, groups or bigroom")
	fs.IntVar(&cfg.clients, "clients", 100, "idle: total connections; bigroom: room size (groups: ignored, G×K)")
	fs.IntVar(&cfg.groups, "groups", 10, "groups: number of groups G (idle: groups the connections are spread over; default one per 100 connections, 0 = do not subscribe)")
	fs.IntVar(&cfg.members, "members", 5, "groups: members per group K")
	fs.DurationVar(&cfg.interval, "interval", 2*time.Second, "groups: each member sends once every interval")
	fs.Float64Var(&cfg.rate, "rate", 50, "bigroom: messages per second across the room")
	fs.DurationVar(&cfg.duration, "duration", 30*time.Second, "measured sending phase (idle: how long connections are held)")
	fs.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "sending before the measured phase; its messages are checked for correctness but not timed")
	fs.DurationVar(&cfg.drain, "drain", 5*time.Second, "longest wait for in-flight acks and deliveries after sending stops")
	fs.DurationVar(&cfg.maxDuration, "max-duration", 10*time.Minute, "hard cap on the whole run, setup included")
	fs.DurationVar(&cfg.settle, "settle", 150*time.Second, "longest wait after sign-ups for each hub to finish a GC and its RSS to settle before the memory baseline is read (Go forces a GC every 2 min; 0 = no wait)")
	fs.IntVar(&cfg.setupConcurrency, "setup-concurrency", 16, "parallel API requests during setup (sign-ups hash passwords: keep it modest)")
	fs.IntVar(&cfg.connectConcurrency, "connect-concurrency", 64, "parallel WebSocket dials")
	fs.IntVar(&cfg.textSize, "text-size", 100, "bytes of message text (at least the ~40-byte header)")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false, "allow hubs that are not on a loopback address")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: loadgen [flags]\n\nLoad-tests Quietroom hubs over their API and WebSocket protocol.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if cfg.operatorToken == "" {
		cfg.operatorToken = getenv("HUB_OPERATOR_TOKEN")
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "groups" {
			cfg.groupsSet = true
		}
	})
	for _, raw := range strings.Split(*hubs, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		h, err := parseHubURL(raw, cfg.allowRemote)
		if err != nil {
			return cfg, err
		}
		cfg.hubs = append(cfg.hubs, h)
	}
	return cfg, cfg.validate()
}

func (cfg *config) validate() error {
	if len(cfg.hubs) == 0 {
		return errors.New("-hubs: give at least one hub URL")
	}
	if cfg.operatorToken == "" {
		return errors.New("-operator-token (or $HUB_OPERATOR_TOKEN) is required: the load tool creates its own tenant")
	}
	switch cfg.scenario {
	case "idle":
		if cfg.clients < 1 {
			return errors.New("-clients must be at least 1")
		}
		if !cfg.groupsSet {
			cfg.groups = (cfg.clients + 99) / 100
		}
		if cfg.groups < 0 || cfg.groups > cfg.clients {
			return errors.New("-groups must be between 0 and -clients for idle")
		}
	case "groups":
		if cfg.groups < 1 || cfg.members < 1 {
			return errors.New("-groups and -members must be at least 1")
		}
		if cfg.groups > maxClients || cfg.members > maxClients || cfg.groups*cfg.members > maxClients {
			return fmt.Errorf("-groups × -members = %d: at most %d clients", cfg.groups*cfg.members, maxClients)
		}
		cfg.clients = cfg.groups * cfg.members
		if cfg.interval < 10*time.Millisecond {
			return errors.New("-interval must be at least 10ms")
		}
	case "bigroom":
		if cfg.clients < 1 {
			return errors.New("-clients must be at least 1")
		}
		cfg.groups, cfg.members = 1, cfg.clients
		if cfg.rate <= 0 || cfg.rate > 100000 || math.IsNaN(cfg.rate) {
			return errors.New("-rate must be above 0 and at most 100000")
		}
	default:
		return fmt.Errorf("-scenario %q: use idle, groups or bigroom", cfg.scenario)
	}
	if cfg.clients > maxClients {
		return fmt.Errorf("-clients %d: at most %d", cfg.clients, maxClients)
	}
	if cfg.groups > 9999 {
		return errors.New("-groups: at most 9999")
	}
	if cfg.duration <= 0 || cfg.warmup < 0 || cfg.drain < 0 || cfg.settle < 0 {
		return errors.New("-duration must be positive; -warmup, -drain and -settle 0 or more")
	}
	if cfg.maxDuration <= 0 {
		return errors.New("-max-duration must be positive")
	}
	if cfg.warmup+cfg.duration+cfg.drain >= cfg.maxDuration {
		return fmt.Errorf("-warmup + -duration + -drain (%s) leave no time for setup within -max-duration %s",
			cfg.warmup+cfg.duration+cfg.drain, cfg.maxDuration)
	}
	if cfg.setupConcurrency < 1 || cfg.setupConcurrency > 1024 {
		return errors.New("-setup-concurrency must be between 1 and 1024")
	}
	if cfg.connectConcurrency < 1 || cfg.connectConcurrency > 4096 {
		return errors.New("-connect-concurrency must be between 1 and 4096")
	}
	if cfg.textSize < 1 || cfg.textSize > maxTextBytes {
		return fmt.Errorf("-text-size must be between 1 and %d (the hub's limit)", maxTextBytes)
	}
	return nil
}

// perMemberRate is the average messages a second one member sends.
func (cfg *config) perMemberRate() float64 {
	switch cfg.scenario {
	case "groups":
		return float64(time.Second) / float64(cfg.interval)
	case "bigroom":
		return cfg.rate / float64(cfg.clients)
	}
	return 0
}

// parseHubURL checks a hub base URL and derives its WebSocket URL. Unless
// allowRemote, the host must be loopback, so a typo cannot aim the load at
// someone else's server.
func parseHubURL(raw string, allowRemote bool) (hubTarget, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return hubTarget{}, fmt.Errorf("hub URL %q: %w", raw, err)
	}
	var ws string
	switch u.Scheme {
	case "http":
		ws = "ws"
	case "https":
		ws = "wss"
	default:
		return hubTarget{}, fmt.Errorf("hub URL %q: use http:// or https://", raw)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return hubTarget{}, fmt.Errorf("hub URL %q: give scheme://host:port only (an optional path prefix is allowed)", raw)
	}
	if !allowRemote && !isLoopbackHost(u.Hostname()) {
		return hubTarget{}, fmt.Errorf("hub URL %q: %q is not a loopback address (127.0.0.0/8, ::1, localhost); pass -allow-remote to load a remote hub", raw, u.Hostname())
	}
	base := strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/")
	return hubTarget{base: base, ws: ws + strings.TrimPrefix(base, u.Scheme)}, nil
}

// isLoopbackHost reports whether host (as url.URL.Hostname returns it)
// names this machine: localhost, 127.0.0.0/8 or ::1. Other names are not
// resolved: a name that happens to resolve to loopback still needs
// -allow-remote.
func isLoopbackHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(h)
	if err != nil || ip.Zone() != "" {
		return false
	}
	return ip.Unmap().IsLoopback()
}

// raiseNoFile lifts the soft open-file limit to the hard limit and checks
// it leaves room for need descriptors.
func raiseNoFile(need uint64) (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, fmt.Errorf("read RLIMIT_NOFILE: %w", err)
	}
	if rl.Cur < rl.Max {
		want := rl
		want.Cur = rl.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err == nil {
			rl = want
		}
	}
	if rl.Cur < need {
		return rl.Cur, fmt.Errorf("the open-file limit is %d (hard limit %d) but this run needs about %d descriptors: "+
			"raise it (ulimit -Hn / ulimit -n %d as root, or LimitNOFILE= in a systemd unit) or use fewer -clients; "+
			"the hubs need a similar limit for their side of the connections", rl.Cur, rl.Max, need, need)
	}
	return rl.Cur, nil
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return exitUsage
	}
	need := uint64(cfg.clients) + uint64(cfg.setupConcurrency+cfg.connectConcurrency) + 64
	if _, err := raiseNoFile(need); err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return exitFailure
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.maxDuration)
	defer cancel()

	if perMember := cfg.perMemberRate(); perMember > 1 {
		fmt.Fprintf(stderr, "loadgen: warning: each member would send %.2f messages/s; the hub's default limit is 1/s (burst 10) per member and instance: expect rate_limited errors\n", perMember)
	}
	r := newRunner(cfg, stderr)
	res, err := r.execute(ctx)
	if res != nil {
		printSummary(stdout, cfg, res)
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return exitFailure
	}
	return exitOK
}

// runner holds one run's state.
type runner struct {
	cfg    config
	log    io.Writer
	api    *apiClient
	plan   plan
	st     *stats
	cl     []*client
	groups []*groupState
	phase  atomicString
	start  time.Time

	setupRes   *setupResult
	connCtx    context.Context
	connCancel context.CancelFunc
}

func newRunner(cfg config, log io.Writer) *runner {
	return &runner{cfg: cfg, log: log, api: newAPIClient(cfg), plan: newPlan(cfg), st: newStats(), start: time.Now()}
}

func (r *runner) logf(format string, a ...any) {
	fmt.Fprintf(r.log, "[%6.1fs] "+format+"\n", append([]any{time.Since(r.start).Seconds()}, a...)...)
}

// execute runs every phase. It returns a result whenever connections were
// made (so a run cut short still reports), and an error for setup
// failures and for runs cut short.
func (r *runner) execute(ctx context.Context) (*result, error) {
	cfg := r.cfg
	r.logf("scenario %s: %d clients, %d groups, %d hub(s)", cfg.scenario, r.plan.n, len(r.plan.slugs), len(cfg.hubs))

	r.phase.Store("setup")
	setup, err := r.setup(ctx)
	if err != nil {
		return nil, fmt.Errorf("setup: %w", err)
	}
	r.setupRes = setup
	res := &result{setup: setup}

	r.phase.Store("settle")
	res.before, res.settled = r.settleAndScrape(ctx)

	progressDone := make(chan struct{})
	progressStopped := make(chan struct{})
	go func() {
		defer close(progressStopped)
		r.progress(progressDone)
	}()
	defer func() {
		close(progressDone)
		<-progressStopped
	}()

	r.phase.Store("connect")
	connStart := time.Now()
	err = r.connectAll(ctx)
	res.connectTime = time.Since(connStart)
	if err != nil {
		r.closeAll()
		return nil, fmt.Errorf("connect: %w", err)
	}
	r.logf("connected and subscribed %d clients in %.1fs", len(r.cl), res.connectTime.Seconds())
	res.afterConnect = r.scrapeAll(ctx)
	stopWatching := r.watchPeaks(res.afterConnect, peakInterval)

	runErr := r.drive(ctx, res)

	// Read the hubs while the connections are still open.
	mctx, mcancel := context.WithTimeout(context.Background(), 10*time.Second)
	res.end = r.scrapeAll(mctx)
	mcancel()
	res.peak = stopWatching(res.end)
	r.phase.Store("close")
	r.closeAll()
	r.finish(res)
	if runErr != nil {
		res.aborted = true
		return res, runErr
	}
	return res, nil
}

// drive runs warm-up, the measured phase and the drain.
func (r *runner) drive(ctx context.Context, res *result) error {
	cfg := r.cfg
	begin := time.Now()
	measureAt := begin.Add(cfg.warmup)
	end := measureAt.Add(cfg.duration)
	r.st.measureFrom.Store(measureAt.UnixNano())
	r.st.measureTo.Store(end.UnixNano())

	r.phase.Store("warmup")
	sendCtx, sendCancel := context.WithDeadline(ctx, end)
	defer sendCancel()
	phaseDone := make(chan struct{})
	go func() {
		defer close(phaseDone)
		select {
		case <-time.After(time.Until(measureAt)):
			r.phase.Store("send")
		case <-sendCtx.Done():
		}
	}()
	switch cfg.scenario {
	case "groups":
		r.driveGroups(sendCtx, begin)
	case "bigroom":
		r.driveBigroom(sendCtx, begin)
	case "idle":
		<-sendCtx.Done()
	}
	<-phaseDone
	sendStopped := time.Now()
	stopAt := sendStopped
	if stopAt.After(end) {
		stopAt = end
	}
	res.measured = stopAt.Sub(measureAt)
	if res.measured < 0 {
		res.measured = 0
	}
	if ctx.Err() != nil {
		return runCut(ctx)
	}

	r.phase.Store("drain")
	deadline := time.NewTimer(cfg.drain)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !r.st.settled() {
		select {
		case <-ctx.Done():
			return runCut(ctx)
		case <-deadline.C:
			res.drainTime = time.Since(sendStopped)
			return nil
		case <-tick.C:
		}
	}
	res.drainTime = time.Since(sendStopped)
	return nil
}

func runCut(ctx context.Context) error {
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errors.New("the run hit -max-duration and was cut short: the summary covers what happened until then")
	}
	return errors.New("interrupted: the summary covers what happened until then")
}

// progressInterval is how often every phase of a long run (sign-ups,
// settling, connecting, sending, draining) prints a progress line.
const progressInterval = 2 * time.Second

// progress prints one line every progressInterval until done closes.
func (r *runner) progress(done <-chan struct{}) {
	t := time.NewTicker(progressInterval)
	defer t.Stop()
	var lastDelivered int64
	last := time.Now()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			w := r.st.swapWindow()
			delivered := r.st.delivered.Load()
			rate := float64(delivered-lastDelivered) / now.Sub(last).Seconds()
			lastDelivered, last = delivered, now
			p99 := "-"
			if w.Count() > 0 {
				p99 = fmtMS(w.Percentile(0.99))
			}
			r.logf("%-7s conns=%d sent=%d acked=%d delivered=%d (%.0f/s) p99(2s)=%sms errors=%d closed=%d",
				r.phase.Load(), r.st.open.Load(), r.st.sent.Load(), r.st.acked.Load(), delivered, rate, p99,
				r.st.errorFrames.Load(), r.st.closed.Load())
			w.Reset()
		}
	}
}
