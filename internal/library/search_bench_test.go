package library

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchQueries is a fixed mix of what people type: one to four words,
// common and rare terms, stop words, and a typo.
var benchQueries = []string{
	"migraine",
	"aura",
	"vertigo dizzy",
	"rebound headache painkillers",
	"triptan",
	"preventive treatment options",
	"worst headache of my life",
	"vestibuler", // typo
	"menstral cycle",
	"sleep stress triggers",
	"brain fog",
	"stroke warning signs",
	"tummy pain children",
	"botox",
	"tracking patterns",
	"support group",
}

// generateCorpus makes n articles from the built-in articles' own words,
// drawn with their real frequencies, so posting lists look like a big
// library's would. A fixed seed keeps every run identical.
func generateCorpus(tb testing.TB, n int) []Article {
	tb.Helper()
	builtin := loadBuiltin(tb)
	pt := newPlainTexter()
	var titleWords, summaryWords, bodyWords, tags []string
	collect := func(dst *[]string, text string) {
		tokenize(text, func(w []byte, _ int) { *dst = append(*dst, string(w)) })
	}
	for _, a := range builtin {
		collect(&titleWords, a.Title)
		collect(&summaryWords, a.Summary)
		collect(&bodyWords, pt.text(a.Body))
		tags = append(tags, a.Tags...)
	}
	titleWords = slices.DeleteFunc(titleWords, isStopWord)
	topics := Topics()

	r := rand.New(rand.NewPCG(20261128, 1))
	pick := func(words []string, k int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = words[r.IntN(len(words))]
		}
		return out
	}
	sentence := func(words []string) string {
		s := strings.Join(words, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	articles := make([]Article, n)
	for i := range articles {
		var body strings.Builder
		for words := 400 + r.IntN(501); words > 0; {
			if r.IntN(4) == 0 {
				fmt.Fprintf(&body, "## %s\n\n", sentence(pick(titleWords, 2+r.IntN(3))))
			}
			if r.IntN(3) == 0 {
				for range 3 + r.IntN(3) {
					k := 4 + r.IntN(8)
					fmt.Fprintf(&body, "- %s\n", sentence(pick(bodyWords, k)))
					words -= k
				}
				body.WriteString("\n")
				continue
			}
			for range 3 + r.IntN(4) {
				k := 8 + r.IntN(13)
				body.WriteString(sentence(pick(bodyWords, k)) + " ")
				words -= k
			}
			body.WriteString("\n\n")
		}
		articles[i] = Article{
			Slug:    fmt.Sprintf("generated-%04d", i),
			Title:   sentence(pick(titleWords, 2+r.IntN(5))),
			Summary: sentence(pick(summaryWords, 15+r.IntN(16))),
			Topic:   topics[r.IntN(len(topics))].Key,
			Tags:    slices.Compact(slices.Sorted(slices.Values(pick(tags, 1+r.IntN(4))))),
			Sources: []Source{{Name: "Generated", URL: "https://example.org/"}},
			Body:    body.String(),
		}
	}
	return articles
}

func TestGeneratedCorpusSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1,000-article index")
	}
	ix := NewIndex(generateCorpus(t, 1000))
	for _, q := range benchQueries {
		rs := ix.Search(q, 10)
		if len(rs) == 0 {
			t.Errorf("Search(%q) found nothing in the generated corpus", q)
			continue
		}
		if rs[0].Snippet == "" || rs[0].Score <= 0 {
			t.Errorf("Search(%q) top result %+v", q, rs[0])
		}
	}
}

// BenchmarkSearch1000 times single queries, cycling through benchQueries,
// against 1,000 generated articles, and reports the median and 99th
// percentile latency of one query alongside ns/op.
func BenchmarkSearch1000(b *testing.B) {
	corpus := generateCorpus(b, 1000)
	start := time.Now()
	ix := NewIndex(corpus)
	for _, q := range benchQueries {
		ix.Search(q, 10) // warm up, including the typo table built on first use
	}
	build := time.Since(start)

	durations := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		q := benchQueries[i%len(benchQueries)]
		t0 := time.Now()
		rs := ix.Search(q, 10)
		durations = append(durations, time.Since(t0))
		if len(rs) == 0 {
			b.Fatalf("no results for %q", q)
		}
	}
	b.StopTimer()
	slices.Sort(durations)
	pct := func(p float64) float64 {
		i := min(len(durations)-1, int(p*float64(len(durations))))
		return float64(durations[i].Nanoseconds()) / 1e3
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
}

// BenchmarkTenantView times building a tenant's view, 30 articles of
// 400-900 words on top of the built-ins, and one search in it.
func BenchmarkTenantView(b *testing.B) {
	base := NewIndex(loadBuiltin(b))
	tenant := generateCorpus(b, 30)
	for i := range tenant {
		// Stored tenant articles carry Text (see Article.Prepare).
		if err := tenant[i].Prepare(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if rs := base.With(tenant).Search("vertigo dizzy", 10); len(rs) == 0 {
			b.Fatal("no results")
		}
	}
}
