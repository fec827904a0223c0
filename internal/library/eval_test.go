package library

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"quietroom/internal/vocab"
)

// The evaluation set is lay queries, as members type them, each with the
// articles that would answer it. It has two parts: tuning.tsv, used while
// building the synonym list and the articles' questions, and heldout.tsv,
// written first and frozen before any tuning, for which nothing was
// added. Only the held-out figures say how search does on words nobody
// tuned for, so only they are gated.

// heldOutSHA256 pins heldout.tsv: a change to it must be deliberate, and a
// held-out query is never edited to make it pass.
const heldOutSHA256 = "3480ab27509e04aa17f34d79f52328f7b0ff57ffe327f6951cd85094c09bfbe8"

// Floors for the held-out part, raised as search improves. The issue's
// targets are top-1 >= 0.85 and top-3 >= 0.95; before any lay-language
// work search stood at top-1 0.474, top-3 0.695, MRR 0.610.
const (
	heldOutMinTop1 = 0.69
	heldOutMinTop3 = 0.80
	heldOutMinMRR  = 0.77
)

type evalQuery struct {
	line   int
	voice  string
	query  string
	accept []string
}

func loadEvalSet(t testing.TB, name string) []evalQuery {
	t.Helper()
	f, err := os.Open("testdata/eval/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("%s:%d: want voice, query and slugs separated by tabs, got %q", name, n, line)
		}
		out = append(out, evalQuery{n, parts[0], parts[1], strings.Fields(parts[2])})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

type evalFigures struct {
	n               int
	top1, top3, mrr float64
	misses          []string // queries whose first acceptable article is not first
}

// evaluate runs every query on ix. MRR counts the reciprocal rank of the
// first acceptable article in the top 10, and 0 if none is there.
func evaluate(ix *Index, qs []evalQuery) evalFigures {
	var f evalFigures
	for _, q := range qs {
		got := slugsOf(ix.Search(q.query, 10))
		rank := slices.IndexFunc(got, func(s string) bool { return slices.Contains(q.accept, s) }) + 1
		f.n++
		if rank == 1 {
			f.top1++
		}
		if rank >= 1 && rank <= 3 {
			f.top3++
		}
		if rank >= 1 {
			f.mrr += 1 / float64(rank)
		}
		if rank != 1 {
			top := got[:min(3, len(got))]
			f.misses = append(f.misses, fmt.Sprintf("  [%s] %q: rank %d, want %v, top %v", q.voice, q.query, rank, q.accept, top))
		}
	}
	if f.n > 0 {
		f.top1 /= float64(f.n)
		f.top3 /= float64(f.n)
		f.mrr /= float64(f.n)
	}
	return f
}

func (f evalFigures) String() string {
	return fmt.Sprintf("%3d queries  top-1 %.3f  top-3 %.3f  MRR %.3f", f.n, f.top1, f.top3, f.mrr)
}

// TestEvalSetIsSound checks the two parts: enough queries, every slug an
// article, no query in both parts.
func TestEvalSetIsSound(t *testing.T) {
	ix := builtinIndex(t)
	tuning, held := loadEvalSet(t, "tuning.tsv"), loadEvalSet(t, "heldout.tsv")
	if n := len(tuning) + len(held); n < 150 {
		t.Errorf("evaluation set has %d queries, want at least 150", n)
	}
	if len(held) < 75 {
		t.Errorf("held-out part has %d queries, want at least 75", len(held))
	}
	seen := map[string]string{}
	for name, part := range map[string][]evalQuery{"tuning.tsv": tuning, "heldout.tsv": held} {
		for _, q := range part {
			key := strings.Join(strings.Fields(strings.ToLower(q.query)), " ")
			if other, dup := seen[key]; dup {
				t.Errorf("%s:%d: %q is also in %s", name, q.line, q.query, other)
			}
			seen[key] = name
			if len(q.accept) == 0 {
				t.Errorf("%s:%d: no acceptable article", name, q.line)
			}
			for _, s := range q.accept {
				if _, ok := ix.BySlug(s); !ok {
					t.Errorf("%s:%d: %q is not an article", name, q.line, s)
				}
			}
		}
	}
}

// TestEvalHeldOutFrozen fails when heldout.tsv changes.
func TestEvalHeldOutFrozen(t *testing.T) {
	src, err := os.ReadFile("testdata/eval/heldout.tsv")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	if got := hex.EncodeToString(sum[:]); got != heldOutSHA256 {
		t.Errorf("heldout.tsv changed (sha256 %s): the held-out part is frozen; add queries to tuning.tsv", got)
	}
}

// TestSearchLayQueries prints top-1, top-3 and MRR for both parts (run
// with -v to see them) and gates the held-out figures. It lists the
// tuning part's misses, to work on, but the held-out part's only when
// EVAL_SHOW_HELDOUT is set: tuning on them would make the held-out figures
// meaningless.
func TestSearchLayQueries(t *testing.T) {
	ix := builtinIndex(t)
	tuning := evaluate(ix, loadEvalSet(t, "tuning.tsv"))
	held := evaluate(ix, loadEvalSet(t, "heldout.tsv"))
	t.Logf("tuning:   %v", tuning)
	t.Logf("held-out: %v", held)
	t.Logf("tuning misses:\n%s", strings.Join(tuning.misses, "\n"))
	if os.Getenv("EVAL_SHOW_HELDOUT") != "" {
		t.Logf("held-out misses (look, do not tune on them):\n%s", strings.Join(held.misses, "\n"))
	}
	if held.top1 < heldOutMinTop1 || held.top3 < heldOutMinTop3 || held.mrr < heldOutMinMRR {
		t.Errorf("held-out %v is below the floor: top-1 %.2f, top-3 %.2f, MRR %.2f (EVAL_SHOW_HELDOUT=1 lists the misses)",
			held, heldOutMinTop1, heldOutMinTop3, heldOutMinMRR)
	}
}

// issueWords are the lay words and question shapes the issue itself names
// (issue 21): the lay layer may use them whatever the held-out part says.
var issueWords = []string{
	"er", "a e", "urgent care", "painkillers", "otc", "diary", "journal", "app", "period", "time of the month",
	"dizzy", "room spinning", "tummy", "zigzags", "sparkles", "should", "what helps", "how fast", "go to",
	"too many painkillers", "every day", "headache diary",
}

// TestLayLayerNotFitToHeldOut checks the promise made for the held-out
// part: no lay phrase and no question word was added for one of its
// queries. Any the held-out part uses must also be used by a tuning query
// or named in the issue. (Screening's medicine and red-flag lists predate
// the evaluation set and are not checked.)
func TestLayLayerNotFitToHeldOut(t *testing.T) {
	keys := func(qs []evalQuery) []string {
		var out []string
		for _, q := range qs {
			out = append(out, " "+phraseKey(q.query)+" ")
		}
		return out
	}
	tuning := append(keys(loadEvalSet(t, "tuning.tsv")), keys([]evalQuery{{query: strings.Join(issueWords, " | ")}})...)
	held := keys(loadEvalSet(t, "heldout.tsv"))
	in := func(qs []string, phrase string) string {
		for _, q := range qs {
			if strings.Contains(q, " "+phrase+" ") {
				return strings.TrimSpace(q)
			}
		}
		return ""
	}
	check := func(kind, phrase string) {
		if q := in(held, phrase); q != "" && in(tuning, phrase) == "" {
			t.Errorf("%s %q is used by the held-out query %q but by no tuning query", kind, phrase, q)
		}
	}
	lay := append(vocab.Everyday(), vocab.Misspellings()...)
	for _, c := range lay {
		for _, say := range c.Says {
			check("lay phrase of "+c.Name, phraseKey(say))
		}
	}
	for _, q := range held {
		for _, w := range strings.Fields(q) {
			if isQuestionWord(w) && !isStopWord(w) {
				check("question word", w)
			}
		}
	}
}

// TestArticleQuestionsNotFitToHeldOut checks the same promise for the
// questions articles declare: none is a rewording of a held-out query
// (two or more content words and most of them shared, or three in a
// row).
func TestArticleQuestionsNotFitToHeldOut(t *testing.T) {
	content := func(s string) []string {
		var out []string
		tokenize(s, func(w []byte, _ int) {
			if word := string(w); len(word) > 1 && !isStopWord(word) && !isQuestionWord(word) {
				out = append(out, stem(word))
			}
		})
		return out
	}
	held := loadEvalSet(t, "heldout.tsv")
	for _, a := range loadBuiltin(t) {
		for _, q := range a.Questions {
			qw := content(q)
			for _, h := range held {
				hw := content(h.query)
				shared := 0
				for _, w := range slices.Compact(slices.Sorted(slices.Values(qw))) {
					if slices.Contains(hw, w) {
						shared++
					}
				}
				union := len(slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(qw), hw...)))))
				if shared >= 2 && float64(shared)/float64(union) >= 0.6 || sharesRun(qw, hw, 3) {
					t.Errorf("%s: question %q rewords the held-out query %q", a.Slug, q, h.query)
				}
			}
		}
	}
}

// sharesRun reports whether a and b have n words in a row in common.
func sharesRun(a, b []string, n int) bool {
	for i := 0; i+n <= len(a); i++ {
		for j := 0; j+n <= len(b); j++ {
			if slices.Equal(a[i:i+n], b[j:j+n]) {
				return true
			}
		}
	}
	return false
}
