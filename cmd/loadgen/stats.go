package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"math/bits"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Histogram is a fixed log-linear latency histogram in microseconds:
// exact below 256 µs, then 128 buckets per power of two (at most 0.8 %
// relative error) up to 2^24 µs (16.7 s); larger values land in the last
// bucket and the exact maximum is kept aside. Recording is lock-free, so
// thousands of reader goroutines can share one.
type Histogram struct {
	counts [histBuckets]atomic.Uint64
	count  atomic.Uint64
	sum    atomic.Uint64
	max    atomic.Int64
	over   atomic.Uint64 // values beyond the bucketed range
}

const (
	histSubBits = 8
	histSub     = 1 << histSubBits
	histHalf    = histSub / 2
	histMaxBits = 24
	histBuckets = histSub + (histMaxBits-histSubBits)*histHalf
)

func bucketOf(v int64) int {
	if v < histSub {
		return int(v)
	}
	l := bits.Len64(uint64(v))
	if l > histMaxBits {
		return histBuckets - 1
	}
	m := l - histSubBits
	return histSub + (m-1)*histHalf + int(v>>m) - histHalf
}

// bucketHigh is the highest value that falls in bucket i.
func bucketHigh(i int) int64 {
	if i < histSub {
		return int64(i)
	}
	k := i - histSub
	m := k/histHalf + 1
	sub := int64(k%histHalf + histHalf)
	return (sub+1)<<m - 1
}

// Record adds one value in microseconds; negative values count as 0.
func (h *Histogram) Record(us int64) {
	if us < 0 {
		us = 0
	}
	if bits.Len64(uint64(us)) > histMaxBits {
		h.over.Add(1)
	}
	h.counts[bucketOf(us)].Add(1)
	h.count.Add(1)
	h.sum.Add(uint64(us))
	for {
		m := h.max.Load()
		if us <= m || h.max.CompareAndSwap(m, us) {
			return
		}
	}
}

func (h *Histogram) Count() uint64 { return h.count.Load() }
func (h *Histogram) Max() int64    { return h.max.Load() }

// Mean is the average in microseconds.
func (h *Histogram) Mean() float64 {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	return float64(h.sum.Load()) / float64(n)
}

// Percentile returns the value (µs) at or below which a fraction q of the
// samples lie: the highest value of the bucket holding the ceil(q·n)-th
// smallest sample, never more than the maximum seen. 0 when empty.
func (h *Histogram) Percentile(q float64) int64 {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	rank = max(1, min(rank, n))
	var cum uint64
	mx := h.max.Load()
	for i := range h.counts {
		cum += h.counts[i].Load()
		if cum >= rank {
			if i == histBuckets-1 && h.over.Load() > 0 {
				return mx // the overflow bucket has no upper edge
			}
			return min(bucketHigh(i), mx)
		}
	}
	return mx
}

func (h *Histogram) Reset() {
	for i := range h.counts {
		h.counts[i].Store(0)
	}
	h.count.Store(0)
	h.sum.Store(0)
	h.max.Store(0)
	h.over.Store(0)
}

func fmtMS(us int64) string { return strconv.FormatFloat(float64(us)/1000, 'f', 3, 64) }

type atomicString struct{ v atomic.Pointer[string] }

func (a *atomicString) Store(s string) { a.v.Store(&s) }
func (a *atomicString) Load() string {
	if p := a.v.Load(); p != nil {
		return *p
	}
	return ""
}

// stats are the run's counters, shared by every client.
type stats struct {
	open              atomic.Int64 // connections with a live reader
	sent              atomic.Int64 // send frames written (or attempted)
	sentMeasured      atomic.Int64 // … of them after warm-up
	sendFailed        atomic.Int64 // writes that failed, or sends picked on a closed connection
	acked             atomic.Int64
	refused           atomic.Int64 // sends answered with an error frame
	expected          atomic.Int64 // running: Σ acked × group size
	delivered         atomic.Int64 // distinct (client, seq) message events received
	deliveredMeasured atomic.Int64 // … of messages sent in the measured window
	duplicated        atomic.Int64
	outOfOrder        atomic.Int64
	stale             atomic.Int64 // messages at or below the subscription head
	foreign           atomic.Int64 // messages of a group the client did not subscribe to
	untimed           atomic.Int64 // messages whose text held no send time
	other             atomic.Int64 // events of unknown types
	errorFrames       atomic.Int64
	closed            atomic.Int64 // connections ended by the server or the network

	// Messages sent in [measureFrom, measureTo) (unix ns) are timed.
	measureFrom atomic.Int64
	measureTo   atomic.Int64

	lat     Histogram // end-to-end latency, measured window
	ackLat  Histogram // send → ack, measured window
	windows [2]Histogram
	cur     atomic.Pointer[Histogram]

	mu         sync.Mutex
	errCodes   map[string]int64
	anomalies  map[string]int64
	closes     map[string]int64
	closeFirst map[string]string
}

func newStats() *stats {
	s := &stats{errCodes: map[string]int64{}, anomalies: map[string]int64{}, closes: map[string]int64{}, closeFirst: map[string]string{}}
	s.measureFrom.Store(math.MaxInt64)
	s.measureTo.Store(math.MaxInt64)
	s.cur.Store(&s.windows[0])
	return s
}

func (s *stats) record(us int64) {
	s.lat.Record(us)
	s.cur.Load().Record(us)
}

// swapWindow starts a new progress window and returns the last one; the
// caller resets it when done with it.
func (s *stats) swapWindow() *Histogram {
	old := s.cur.Load()
	next := &s.windows[0]
	if old == next {
		next = &s.windows[1]
	}
	s.cur.Store(next)
	return old
}

// countError counts an error frame from the hub.
func (s *stats) countError(code string) {
	if code == "" {
		code = "(none)"
	}
	s.errorFrames.Add(1)
	s.mu.Lock()
	s.errCodes[code]++
	s.mu.Unlock()
}

// countAnomaly counts something the hub should not have sent.
func (s *stats) countAnomaly(what string) {
	s.mu.Lock()
	s.anomalies[what]++
	s.mu.Unlock()
}

func (s *stats) countClose(key string, err error) {
	s.closed.Add(1)
	s.mu.Lock()
	s.closes[key]++
	if _, ok := s.closeFirst[key]; !ok {
		s.closeFirst[key] = err.Error()
	}
	s.mu.Unlock()
}

// inFlight is sends neither acked nor refused yet.
func (s *stats) inFlight() int64 {
	return s.sent.Load() - s.acked.Load() - s.refused.Load() - s.sendFailed.Load()
}

// settled: every send answered and every expected delivery received.
func (s *stats) settled() bool {
	return s.inFlight() <= 0 && s.delivered.Load() >= s.expected.Load()
}

// hubMetrics is one /metrics reading of one hub.
type hubMetrics struct {
	ok        bool
	err       string
	rss       float64
	heapInuse float64 // go_memstats_heap_inuse_bytes, else go_memstats_alloc_bytes
	conns     float64
	cpu       float64
	gcs       float64 // go_gc_duration_seconds_count: completed GC cycles
	retained  float64 // heap_idle - heap_released: free heap not yet returned to the OS
}

// scrape reads the few series the report needs from a hub's /metrics.
func scrape(ctx context.Context, hc *http.Client, base string) hubMetrics {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return hubMetrics{err: err.Error()}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return hubMetrics{err: err.Error()}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return hubMetrics{err: "HTTP " + resp.Status}
	}
	return parseMetrics(resp.Body)
}

func parseMetrics(r io.Reader) hubMetrics {
	m := hubMetrics{ok: true}
	var alloc, idle, released float64
	haveHeap := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest, ok := strings.Cut(line, " ")
		if !ok || strings.ContainsRune(name, '{') {
			continue
		}
		v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
		if err != nil {
			continue
		}
		switch name {
		case "process_resident_memory_bytes":
			m.rss = v
		case "go_memstats_heap_inuse_bytes":
			m.heapInuse, haveHeap = v, true
		case "go_memstats_alloc_bytes":
			alloc = v
		case "hub_ws_connections":
			m.conns = v
		case "process_cpu_seconds_total":
			m.cpu = v
		case "go_gc_duration_seconds_count":
			m.gcs = v
		case "go_memstats_heap_idle_bytes":
			idle = v
		case "go_memstats_heap_released_bytes":
			released = v
		}
	}
	if !haveHeap {
		m.heapInuse = alloc
	}
	m.retained = max(0, idle-released)
	if err := sc.Err(); err != nil {
		m.ok, m.err = false, err.Error()
	}
	return m
}

func (r *runner) scrapeAll(ctx context.Context) []hubMetrics {
	out := make([]hubMetrics, len(r.cfg.hubs))
	var wg sync.WaitGroup
	for i, h := range r.cfg.hubs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = scrape(ctx, r.api.http, h.base)
		}()
	}
	wg.Wait()
	return out
}

// watchPeaks reads the hubs every interval until stop is called, and stop
// returns for each hub the highest RSS and heap in use seen (first and
// last readings included), with the fewest connections seen, so a peak
// can be told apart from one taken after clients left.
func (r *runner) watchPeaks(first []hubMetrics, interval time.Duration) (stop func(last []hubMetrics) []hubMetrics) {
	peak := slices.Clone(first)
	merge := func(cur []hubMetrics) {
		for i, m := range cur {
			switch {
			case !m.ok || i >= len(peak):
			case !peak[i].ok:
				peak[i] = m
			default:
				peak[i].rss = max(peak[i].rss, m.rss)
				peak[i].heapInuse = max(peak[i].heapInuse, m.heapInuse)
				peak[i].conns = min(peak[i].conns, m.conns)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				merge(r.scrapeAll(ctx))
			}
		}
	}()
	return func(last []hubMetrics) []hubMetrics {
		cancel()
		<-done
		merge(last)
		return peak
	}
}

// settleAndScrape returns the baseline reading taken before connecting.
// Sign-ups leave each hub with up to hundreds of MiB of argon2id garbage
// that only the next GC frees, and an idle hub does not collect until the
// runtime forces a GC (at least every 2 minutes); then spans are swept and
// the scavenger returns pages to the OS over several seconds. If any of
// that happened during the connect phase, the per-connection figures would
// come out far too low, even negative. So, for up to -settle, it waits
// until every hub has completed a GC since setup, has returned its free
// heap to the OS (heap_idle - heap_released at most max(16 MiB, heap in
// use)), and its RSS (±2 MiB) and heap in use (±1 MiB) have held still
// for two consecutive seconds.
func (r *runner) settleAndScrape(ctx context.Context) ([]hubMetrics, bool) {
	first := r.scrapeAll(ctx)
	if r.cfg.settle <= 0 {
		return first, false
	}
	began := time.Now()
	deadline := began.Add(r.cfg.settle)
	prev, settled := first, false
	steady := make([]int, len(first)) // consecutive still seconds after a GC
	lastLog := began
	for time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
		}
		cur := r.scrapeAll(ctx)
		settled = true
		var waiting []string
		for i := range cur {
			why := ""
			switch {
			case !cur[i].ok || !first[i].ok || !prev[i].ok:
				why = "no /metrics"
			case cur[i].gcs <= first[i].gcs:
				why = "no GC yet"
			case cur[i].retained > max(16<<20, cur[i].heapInuse):
				why = fmt.Sprintf("%.0f MiB of free heap not yet returned to the OS", cur[i].retained/(1<<20))
			case math.Abs(cur[i].rss-prev[i].rss) > 2<<20 || math.Abs(cur[i].heapInuse-prev[i].heapInuse) > 1<<20:
				why = "memory still moving"
			}
			if why == "" {
				steady[i]++
			} else {
				steady[i] = 0
			}
			if steady[i] < 2 {
				settled = false
				if why == "" {
					why = "memory still moving"
				}
				waiting = append(waiting, r.cfg.hubs[i].base+" ("+why+")")
			}
		}
		prev = cur
		if settled {
			break
		}
		if time.Since(lastLog) >= progressInterval {
			lastLog = time.Now()
			r.logf("settle  waiting up to %s more for the hubs to collect sign-up garbage: %s",
				(r.cfg.settle - time.Since(began)).Round(time.Second), strings.Join(waiting, ", "))
		}
	}
	if settled {
		r.logf("settle  hubs collected and settled after %s", time.Since(began).Round(time.Second))
	} else {
		r.logf("settle  gave up after %s: the memory baseline may include sign-up garbage (raise -settle to ~150s for exact per-connection memory)", time.Since(began).Round(time.Second))
	}
	for i, m := range prev {
		if m.ok {
			r.logf("baseline %s: RSS %.1f MiB, heap in use %.1f MiB, free heap kept %.1f MiB, %g connections, %g GCs", r.cfg.hubs[i].base,
				m.rss/(1<<20), m.heapInuse/(1<<20), m.retained/(1<<20), m.conns, m.gcs)
		} else {
			r.logf("baseline %s: /metrics unavailable: %s", r.cfg.hubs[i].base, m.err)
		}
	}
	return prev, settled
}

// result is everything the summary prints.
type result struct {
	setup                            *setupResult
	connectTime, measured, drainTime time.Duration
	before, afterConnect, end        []hubMetrics
	peak                             []hubMetrics // highest RSS and heap while connected
	aborted                          bool
	settled                          bool // the baseline was taken after a post-setup GC

	st                      *stats
	clients, groups, hubs   int
	perHubClients           []int
	expected, lost, unacked int64
	lostClients             int // clients missing at least one message
	toolCPU                 float64
	toolMaxRSS              float64 // bytes
}

// finish computes the exact expected and lost counts once every reader
// has stopped: for each acked message, every member of its group should
// hold its sequence.
func (r *runner) finish(res *result) {
	res.st = r.st
	res.clients, res.groups, res.hubs = r.plan.n, len(r.plan.slugs), len(r.cfg.hubs)
	res.perHubClients = make([]int, res.hubs)
	for i := range r.plan.n {
		res.perHubClients[r.plan.hubOf(i)]++
	}
	lostBy := map[int32]bool{}
	for g, gs := range r.groups {
		members := r.plan.members[g]
		res.expected += int64(len(gs.acked)) * int64(len(members))
		for _, seq := range gs.acked {
			for _, m := range members {
				if !r.cl[m].has(seq) {
					res.lost++
					lostBy[m] = true
				}
			}
		}
	}
	res.lostClients = len(lostBy)
	for _, c := range r.cl {
		if c != nil {
			c.mu.Lock()
			res.unacked += int64(len(c.pending))
			c.mu.Unlock()
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		res.toolCPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
		res.toolMaxRSS = float64(ru.Maxrss) * 1024
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func fmtCounts(m map[string]int64) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func num(v float64, ok bool, prec int) string {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return "na"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// printSummary writes the human-readable report, then the key=value line.
func printSummary(w io.Writer, cfg config, res *result) {
	st := res.st
	if st == nil {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	pf := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }

	pf("== Quietroom load test: %s ==", cfg.scenario)
	switch cfg.scenario {
	case "groups":
		pf("load       %d groups × %d members = %d clients, each sending every %s, %d-byte texts", res.groups, cfg.members, res.clients, cfg.interval, cfg.textSize)
	case "bigroom":
		pf("load       one room of %d members, %.1f messages/s in total, %d-byte texts", res.clients, cfg.rate, cfg.textSize)
	case "idle":
		pf("load       %d idle connections subscribed across %d groups", res.clients, res.groups)
	}
	hubs := make([]string, len(cfg.hubs))
	for i, h := range cfg.hubs {
		hubs[i] = fmt.Sprintf("%s (%d clients)", h.base, res.perHubClients[i])
	}
	pf("hubs       %s", strings.Join(hubs, ", "))
	if res.setup != nil {
		pf("setup      tenant %s; %d sign-ups+joins in %.1fs; setup %.1fs; connect+subscribe %.1fs",
			res.setup.tenant, res.clients, res.setup.signupTime.Seconds(), res.setup.setupTime.Seconds(), res.connectTime.Seconds())
	}
	pf("phases     warm-up %s, measured %.1fs, drain %.2fs%s", cfg.warmup, res.measured.Seconds(), res.drainTime.Seconds(),
		map[bool]string{true: " (ABORTED)", false: ""}[res.aborted])
	pf("sends      sent %d (measured window %d), acked %d, refused %d, unacked %d, failed writes %d",
		st.sent.Load(), st.sentMeasured.Load(), st.acked.Load(), st.refused.Load(), res.unacked, st.sendFailed.Load())
	pf("deliveries expected %d, delivered %d, lost %d (on %d clients), duplicated %d, out of order %d, stale %d, foreign %d",
		res.expected, st.delivered.Load(), res.lost, res.lostClients, st.duplicated.Load(), st.outOfOrder.Load(), st.stale.Load(), st.foreign.Load())
	dps := 0.0
	if res.measured > 0 {
		dps = float64(st.deliveredMeasured.Load()) / res.measured.Seconds()
	}
	pf("throughput %.1f deliveries/s of messages sent in the measured window (%d deliveries)", dps, st.deliveredMeasured.Load())
	pf("errors     %d error frames: %s", st.errorFrames.Load(), fmtCounts(st.errCodes))
	pf("closes     %d connections ended by the hub or network: %s", st.closed.Load(), fmtCounts(st.closes))
	for _, k := range sortedKeys(st.closeFirst) {
		pf("           first %s close: %s", k, st.closeFirst[k])
	}
	if len(st.anomalies) > 0 || st.other.Load() > 0 || st.untimed.Load() > 0 {
		pf("anomalies  %s; unknown event types %d; untimed messages %d", fmtCounts(st.anomalies), st.other.Load(), st.untimed.Load())
	}
	l, a := &st.lat, &st.ackLat
	pf("latency    end-to-end (n=%d): p50 %sms  p90 %sms  p99 %sms  p99.9 %sms  max %sms  mean %.3fms",
		l.Count(), fmtMS(l.Percentile(0.50)), fmtMS(l.Percentile(0.90)), fmtMS(l.Percentile(0.99)), fmtMS(l.Percentile(0.999)),
		fmtMS(l.Max()), l.Mean()/1000)
	pf("           send→ack   (n=%d): p50 %sms  p90 %sms  p99 %sms  max %sms",
		a.Count(), fmtMS(a.Percentile(0.50)), fmtMS(a.Percentile(0.90)), fmtMS(a.Percentile(0.99)), fmtMS(a.Max()))

	var dRSS, dHeap, dConns, cpu, cpuTraffic, gcConnect float64
	// The same, read at the end of the run with the connections still
	// open: after a hold, the hub has collected what connecting left.
	var heldRSS, heldHeap, heldConns, heldGCs float64
	heldOK := true
	var peakRSS, peakHeap, peakConns float64
	peakOK := true
	memOK, cpuOK := len(res.before) > 0, len(res.end) > 0
	for i, h := range cfg.hubs {
		var b, ac, e hubMetrics
		if i < len(res.before) {
			b = res.before[i]
		}
		if i < len(res.afterConnect) {
			ac = res.afterConnect[i]
		}
		if i < len(res.end) {
			e = res.end[i]
		}
		conns := ac.conns - b.conns
		if conns <= 0 {
			conns = float64(res.perHubClients[i])
		}
		okMem := b.ok && ac.ok && conns > 0
		okCPU := b.ok && e.ok
		memOK, cpuOK = memOK && okMem, cpuOK && okCPU
		if okMem {
			dRSS += ac.rss - b.rss
			dHeap += ac.heapInuse - b.heapInuse
			dConns += conns
		}
		if okCPU {
			cpu += e.cpu - b.cpu
			if ac.ok {
				cpuTraffic += e.cpu - ac.cpu
			}
		}
		pf("hub        %s: connections %g→%g→%g; RSS %s→%s→%s MiB; heap %s→%s→%s MiB; per connection RSS %s KiB, heap %s KiB; CPU %s s (traffic phases %s s)",
			h.base, b.conns, ac.conns, e.conns,
			num(b.rss/(1<<20), b.ok, 1), num(ac.rss/(1<<20), ac.ok, 1), num(e.rss/(1<<20), e.ok, 1),
			num(b.heapInuse/(1<<20), b.ok, 1), num(ac.heapInuse/(1<<20), ac.ok, 1), num(e.heapInuse/(1<<20), e.ok, 1),
			num((ac.rss-b.rss)/conns/1024, okMem, 1), num((ac.heapInuse-b.heapInuse)/conns/1024, okMem, 1),
			num(e.cpu-b.cpu, okCPU, 2), num(e.cpu-ac.cpu, okCPU && ac.ok, 2))
		if okMem {
			gcConnect += ac.gcs - b.gcs
			if ac.gcs > b.gcs {
				pf("           %g GC cycle(s) ran during the connect phase: the deltas are net of what they freed", ac.gcs-b.gcs)
			}
		}
		if okHeld := okMem && e.ok && e.conns == ac.conns; okHeld {
			heldRSS += e.rss - b.rss
			heldHeap += e.heapInuse - b.heapInuse
			heldConns += conns
			heldGCs += e.gcs - ac.gcs
			pf("           at the end, connections still open after %g GC cycle(s): per connection RSS %s KiB, heap %s KiB",
				e.gcs-ac.gcs, num((e.rss-b.rss)/conns/1024, true, 1), num((e.heapInuse-b.heapInuse)/conns/1024, true, 1))
		} else {
			heldOK = false
		}
		var p hubMetrics
		if i < len(res.peak) {
			p = res.peak[i]
		}
		if okPeak := okMem && p.ok && p.conns == ac.conns; okPeak {
			peakRSS += p.rss - b.rss
			peakHeap += p.heapInuse - b.heapInuse
			peakConns += conns
			pf("           highest while connected (read every %s): per connection RSS %s KiB, heap %s KiB",
				peakInterval, num((p.rss-b.rss)/conns/1024, true, 1), num((p.heapInuse-b.heapInuse)/conns/1024, true, 1))
		} else {
			peakOK = false
		}
		for _, m := range []hubMetrics{b, ac, e} {
			if !m.ok && m.err != "" {
				pf("           /metrics failed: %s", m.err)
				break
			}
		}
	}
	if !res.settled && memOK {
		pf("           the memory baseline was read without waiting for a GC after sign-ups (-settle): per-connection memory is approximate")
	}
	pf("load tool  CPU %.2f s, peak RSS %.1f MiB", res.toolCPU, res.toolMaxRSS/(1<<20))

	kv := []string{
		"scenario=" + cfg.scenario,
		"hubs=" + strconv.Itoa(res.hubs),
		"clients=" + strconv.Itoa(res.clients),
		"groups=" + strconv.Itoa(res.groups),
		"sent=" + strconv.FormatInt(st.sent.Load(), 10),
		"acked=" + strconv.FormatInt(st.acked.Load(), 10),
		"expected=" + strconv.FormatInt(res.expected, 10),
		"delivered=" + strconv.FormatInt(st.delivered.Load(), 10),
		"lost=" + strconv.FormatInt(res.lost, 10),
		"duplicated=" + strconv.FormatInt(st.duplicated.Load(), 10),
		"out_of_order=" + strconv.FormatInt(st.outOfOrder.Load(), 10),
		"errors=" + strconv.FormatInt(st.errorFrames.Load(), 10),
		"deliveries_per_sec=" + strconv.FormatFloat(dps, 'f', 1, 64),
		"p50_ms=" + fmtMS(l.Percentile(0.50)),
		"p90_ms=" + fmtMS(l.Percentile(0.90)),
		"p99_ms=" + fmtMS(l.Percentile(0.99)),
		"max_ms=" + fmtMS(l.Max()),
		"mem_per_conn_kib=" + num(dRSS/dConns/1024, memOK && dConns > 0, 1),
		"heap_per_conn_kib=" + num(dHeap/dConns/1024, memOK && dConns > 0, 1),
		"hub_cpu_s=" + num(cpu, cpuOK, 2),
		"duration_s=" + strconv.FormatFloat(res.measured.Seconds(), 'f', 1, 64),
		"samples=" + strconv.FormatUint(l.Count(), 10),
		"unacked=" + strconv.FormatInt(res.unacked, 10),
		"refused=" + strconv.FormatInt(st.refused.Load(), 10),
		"send_failed=" + strconv.FormatInt(st.sendFailed.Load(), 10),
		"closed=" + strconv.FormatInt(st.closed.Load(), 10),
		"stale=" + strconv.FormatInt(st.stale.Load(), 10),
		"ack_p50_ms=" + fmtMS(a.Percentile(0.50)),
		"ack_p99_ms=" + fmtMS(a.Percentile(0.99)),
		"hub_cpu_traffic_s=" + num(cpuTraffic, cpuOK, 2),
		"tool_cpu_s=" + strconv.FormatFloat(res.toolCPU, 'f', 2, 64),
		"mem_baseline_settled=" + strconv.FormatBool(res.settled),
		"hub_gcs_during_connect=" + num(gcConnect, memOK, 0),
		"mem_end_per_conn_kib=" + num(heldRSS/heldConns/1024, heldOK && heldConns > 0, 1),
		"heap_end_per_conn_kib=" + num(heldHeap/heldConns/1024, heldOK && heldConns > 0, 1),
		"hub_gcs_during_hold=" + num(heldGCs, heldOK && heldConns > 0, 0),
		"mem_peak_per_conn_kib=" + num(peakRSS/peakConns/1024, peakOK && peakConns > 0, 1),
		"heap_peak_per_conn_kib=" + num(peakHeap/peakConns/1024, peakOK && peakConns > 0, 1),
		"aborted=" + strconv.FormatBool(res.aborted),
	}
	pf("%s", strings.Join(kv, " "))
}
