package screening

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkScreenPipeline is the whole screening pipeline as the hub runs
// it (normalise, the built-in rules, the model and its bands) over
// ~500-character messages. The target is 50µs at p99; it reports p50 and
// p99 per message.
func BenchmarkScreenPipeline(b *testing.B) {
	m, err := BuiltinModel()
	if err != nil {
		b.Fatal(err)
	}
	p := BuiltinPack()
	e, err := Compile(p.Rules, Options{Version: p.Version, Model: m})
	if err != nil {
		b.Fatal(err)
	}
	benchLatency(b, e, benchMessages())
}

// BenchmarkScreenHeldOut screens the held-out part, message by message,
// with the pipeline; BenchmarkScreenHeldOutRulesOnly without the model,
// for comparison.
func BenchmarkScreenHeldOut(b *testing.B) {
	m, err := BuiltinModel()
	if err != nil {
		b.Fatal(err)
	}
	p := BuiltinPack()
	e, err := Compile(p.Rules, Options{Version: p.Version, Model: m})
	if err != nil {
		b.Fatal(err)
	}
	benchLatency(b, e, heldOutTexts(b))
}

func BenchmarkScreenHeldOutRulesOnly(b *testing.B) {
	p := BuiltinPack()
	e, err := Compile(p.Rules, Options{Version: p.Version})
	if err != nil {
		b.Fatal(err)
	}
	benchLatency(b, e, heldOutTexts(b))
}

func heldOutTexts(b *testing.B) []string {
	corpus, err := HeldOutCorpus()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]string, len(corpus))
	for i, ex := range corpus {
		out[i] = ex.Text
	}
	return out
}

func benchLatency(b *testing.B, e *Engine, msgs []string) {
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		e.Screen(msgs[i%len(msgs)])
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns/op")
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "p50-ns/op")
}
