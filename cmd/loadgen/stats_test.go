package main

import (
	"math"
	"strings"
	"testing"
)

func TestPercentileExactBelow256us(t *testing.T) {
	var h Histogram
	for v := int64(100); v >= 1; v-- { // order must not matter
		h.Record(v)
	}
	for _, tc := range []struct {
		q    float64
		want int64
	}{{0.01, 1}, {0.5, 50}, {0.9, 90}, {0.99, 99}, {1, 100}, {0, 1}} {
		if got := h.Percentile(tc.q); got != tc.want {
			t.Errorf("p%g = %d, want %d", tc.q*100, got, tc.want)
		}
	}
	if h.Count() != 100 || h.Max() != 100 || h.Mean() != 50.5 {
		t.Errorf("count %d max %d mean %g", h.Count(), h.Max(), h.Mean())
	}
}

func TestPercentileRelativeError(t *testing.T) {
	var h Histogram
	const n = 100000
	for v := int64(1); v <= n; v++ { // 1 µs … 100 ms, uniform
		h.Record(v * 100)
	}
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := math.Ceil(q*n) * 100
		got := float64(h.Percentile(q))
		if got < want || got > want*1.008 {
			t.Errorf("p%g = %g, want %g (+0.8%%)", q*100, got, want)
		}
	}
	if got := h.Percentile(1); got != n*100 {
		t.Errorf("p100 = %d, want the exact max %d", got, n*100)
	}
}

func TestPercentileEdgeCases(t *testing.T) {
	var h Histogram
	if h.Percentile(0.99) != 0 || h.Max() != 0 || h.Mean() != 0 {
		t.Fatal("an empty histogram must report 0")
	}
	h.Record(-5)         // clock oddity: counted as 0
	h.Record(20_000_000) // 20 s: past the bucketed range
	if got := h.Percentile(0.5); got != 0 {
		t.Errorf("p50 = %d, want 0", got)
	}
	if got := h.Percentile(1); got != 20_000_000 {
		t.Errorf("p100 = %d, want the exact max 20000000", got)
	}
	h.Reset()
	if h.Count() != 0 || h.Percentile(0.5) != 0 {
		t.Error("Reset left samples behind")
	}
}

func TestBucketsCoverEveryValueOnce(t *testing.T) {
	prevHigh := int64(-1)
	for i := range histBuckets {
		high := bucketHigh(i)
		if high <= prevHigh {
			t.Fatalf("bucket %d high %d not above %d", i, high, prevHigh)
		}
		if bucketOf(prevHigh+1) != i || bucketOf(high) != i {
			t.Fatalf("bucket %d = [%d, %d] but bucketOf gives %d and %d", i, prevHigh+1, high, bucketOf(prevHigh+1), bucketOf(high))
		}
		prevHigh = high
	}
	if prevHigh < 10_000_000 {
		t.Fatalf("buckets end at %d µs, below 10 s", prevHigh)
	}
}

func TestParseMetrics(t *testing.T) {
	m := parseMetrics(strings.NewReader(`# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 4.2e+07
go_memstats_alloc_bytes 1000
go_memstats_heap_inuse_bytes 2.5e+06
hub_ws_connections 250
process_cpu_seconds_total 12.5
http_requests_total{route="/x"} 7
`))
	if !m.ok || m.rss != 42e6 || m.heapInuse != 2.5e6 || m.conns != 250 || m.cpu != 12.5 {
		t.Fatalf("parsed %+v", m)
	}
}

// The summary reports memory per connection right after connecting (GC
// headroom from the connect burst included), at the end with the
// connections still open, and at its highest in between.
func TestSummaryReportsMemoryPerConnectionAfterConnectAndAtTheEnd(t *testing.T) {
	const mib = 1 << 20
	cfg := config{scenario: "idle", hubs: []hubTarget{{base: "http://127.0.0.1:1"}}}
	res := &result{st: newStats(), clients: 1000, hubs: 1, perHubClients: []int{1000}, settled: true,
		before:       []hubMetrics{{ok: true, rss: 50 * mib, heapInuse: 10 * mib, gcs: 5}},
		afterConnect: []hubMetrics{{ok: true, rss: 70 * mib, heapInuse: 22 * mib, conns: 1000, gcs: 9}},
		end:          []hubMetrics{{ok: true, rss: 65 * mib, heapInuse: 18 * mib, conns: 1000, gcs: 11}},
		peak:         []hubMetrics{{ok: true, rss: 72 * mib, heapInuse: 24 * mib, conns: 1000}},
	}
	var out strings.Builder
	printSummary(&out, cfg, res)
	for _, want := range []string{
		"mem_per_conn_kib=20.5 heap_per_conn_kib=12.3 ",
		"mem_end_per_conn_kib=15.4 heap_end_per_conn_kib=8.2 hub_gcs_during_hold=2 ",
		"at the end, connections still open after 2 GC cycle(s): per connection RSS 15.4 KiB, heap 8.2 KiB",
		"mem_peak_per_conn_kib=22.5 heap_peak_per_conn_kib=14.3 ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}

	// Connections that closed before the end make the end reading and the
	// peak meaningless: they are reported as unavailable.
	res.end[0].conns, res.peak[0].conns = 400, 400
	out.Reset()
	printSummary(&out, cfg, res)
	for _, want := range []string{"mem_end_per_conn_kib=na ", "mem_peak_per_conn_kib=na "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("with connections gone, want %q:\n%s", want, out.String())
		}
	}
}
