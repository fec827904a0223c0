package screening

import (
	"strings"
	"testing"
	"unicode"
)

// The labelled corpus: big enough, many voices, mostly hard benign, each
// category well represented in both parts.
func TestLabelledCorpusComposition(t *testing.T) {
	train, err := TrainingCorpus()
	if err != nil {
		t.Fatal(err)
	}
	held, err := HeldOutCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(train) + len(held); n < 2000 {
		t.Errorf("%d messages, want at least 2000", n)
	}
	for name, part := range map[string][]Example{"training": train, "held-out": held} {
		checkComposition(t, name, part, 0, 30)
	}
}

// foldText is a message as compared for leaks: letters and digits only.
func foldText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out[w] = true
	}
	return out
}

// No held-out message, nor a near copy of one (a variant in another
// voice shares nearly all its words), is in the training part; the fresh
// held-out part is kept apart from both the training and the older
// held-out part.
func TestCorpusSplitDoesNotLeak(t *testing.T) {
	train, err := TrainingCorpus()
	if err != nil {
		t.Fatal(err)
	}
	held, err := HeldOutCorpus()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := FreshHeldOutCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh) < 250 {
		t.Errorf("fresh held-out part has %d messages, want at least 250", len(fresh))
	}
	checkNoLeak(t, "held-out", held, "training", train)
	checkNoLeak(t, "fresh held-out", fresh, "training", train)
	checkNoLeak(t, "fresh held-out", fresh, "held-out", held)

	second, err := SecondFreshHeldOutCorpus()
	if err != nil {
		t.Fatal(err)
	}
	checkComposition(t, "second fresh held-out", second, 300, 15)
	checkNoLeak(t, "second fresh held-out", second, "training", train)
	checkNoLeak(t, "second fresh held-out", second, "held-out", held)
	checkNoLeak(t, "second fresh held-out", second, "fresh held-out", fresh)
}

// checkComposition fails unless part has at least n messages, at least
// 40% benign and every category at least 1/share of the messages.
func checkComposition(t *testing.T, name string, part []Example, n, share int) {
	t.Helper()
	if len(part) < n {
		t.Errorf("%s part has %d messages, want at least %d", name, len(part), n)
	}
	count := map[Category]int{}
	benign := 0
	for _, ex := range part {
		if len(ex.Labels) == 0 {
			benign++
		}
		for _, c := range ex.Labels {
			count[c]++
		}
	}
	if float64(benign) < 0.40*float64(len(part)) {
		t.Errorf("%s part: %d of %d benign, want at least 40%%", name, benign, len(part))
	}
	for _, c := range Categories() {
		if count[c] < len(part)/share {
			t.Errorf("%s part: %d %s messages, too few", name, count[c], c)
		}
	}
}

// checkNoLeak fails for each message of held that is in base or a near
// copy of one there.
func checkNoLeak(t *testing.T, heldName string, held []Example, baseName string, base []Example) {
	t.Helper()
	exact := map[string]bool{}
	byWord := map[string][]int{}
	sets := make([]map[string]bool, len(base))
	for i, ex := range base {
		exact[foldText(ex.Text)] = true
		sets[i] = wordSet(ex.Text)
		for w := range sets[i] {
			byWord[w] = append(byWord[w], i)
		}
	}
	for _, ex := range held {
		if exact[foldText(ex.Text)] {
			t.Errorf("%s message in %s: %q", heldName, baseName, ex.Text)
			continue
		}
		hs := wordSet(ex.Text)
		if len(hs) < 5 {
			continue // short messages share words by chance
		}
		shared := map[int]int{}
		for w := range hs {
			for _, i := range byWord[w] {
				shared[i]++
			}
		}
		for i, n := range shared {
			union := len(hs) + len(sets[i]) - n
			if float64(n)/float64(union) >= 0.8 {
				t.Errorf("%s %q is a near copy of %s %q", heldName, ex.Text, baseName, base[i].Text)
			}
		}
	}
}
