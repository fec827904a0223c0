package screening

import (
	"bytes"
	"strings"
	"testing"
)

// TestBuiltinPackQuality is the quality gate: on the labelled corpus every
// category must reach 0.9 precision and 0.9 recall. The corpus is the one
// the pack was tuned on; see TestHoldout for the honest estimate.
func TestBuiltinPackQuality(t *testing.T) {
	corpus, err := BuiltinCorpus()
	if err != nil {
		t.Fatal(err)
	}
	rep := Evaluate(builtinEngine(t), corpus)
	var table bytes.Buffer
	if err := rep.WriteTable(&table, true); err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Scores {
		if s.Precision < 0.9 || s.Recall < 0.9 {
			t.Errorf("%s: precision %.3f, recall %.3f; want both >= 0.9", s.Category, s.Precision, s.Recall)
		}
	}
	if t.Failed() {
		t.Log("\n" + table.String())
	}
}

func TestCorpusComposition(t *testing.T) {
	corpus, err := BuiltinCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(corpus) < 220 {
		t.Errorf("%d messages, want at least 220", len(corpus))
	}
	count := map[Category]int{}
	benign, obfuscated := 0, 0
	seen := map[string]bool{}
	for _, ex := range corpus {
		if seen[ex.Text] {
			t.Errorf("duplicate message %q", ex.Text)
		}
		seen[ex.Text] = true
		if len(ex.Labels) == 0 {
			benign++
		}
		for _, c := range ex.Labels {
			count[c]++
		}
		for _, kind := range []string{"leet", "accent", "spaced", "dotted", "repeated"} {
			if strings.Contains(ex.Note, kind) && len(ex.Labels) > 0 {
				obfuscated++
				break
			}
		}
	}
	for _, c := range Categories() {
		if count[c] < 25 {
			t.Errorf("%s: %d positive examples, want at least 25", c, count[c])
		}
	}
	if benign < 80 {
		t.Errorf("%d benign examples, want at least 80", benign)
	}
	if obfuscated < 15 {
		t.Errorf("%d obfuscated examples, want at least 15", obfuscated)
	}
}

// heldOutFloor is the gate on the held-out part, rules and model
// together, as measured when the model was last trained (README quotes
// the figures): a change that makes screening worse on messages nothing
// was tuned on fails here. The targets (0.90 everywhere, crisis
// recall 0.97, benign false positives at most 3%) are higher; the log
// says how far off each is.
var heldOutFloor = map[Category]struct{ precision, recall float64 }{
	Misinformation: {0.90, 0.79},
	Shaming:        {0.90, 0.47},
	Harassment:     {0.90, 0.75},
	Spam:           {0.90, 0.75},
	Crisis:         {0.89, 0.82},
}

const heldOutMaxBenignFP = 0.07

// TestHoldout is the gate on the held-out figures.
func TestHoldout(t *testing.T) {
	corpus, err := HeldOutCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(corpus) < 500 {
		t.Fatalf("held-out part has %d messages, want at least 500", len(corpus))
	}
	rep := Evaluate(builtinModelEngine(t), corpus)
	var table bytes.Buffer
	if err := rep.WriteTable(&table, false); err != nil {
		t.Fatal(err)
	}
	t.Log("held-out part, rules and model:\n" + table.String())
	for _, s := range rep.Scores {
		floor := heldOutFloor[s.Category]
		if s.Precision < floor.precision || s.Recall < floor.recall {
			t.Errorf("%s: precision %.3f, recall %.3f; the gate is %.2f and %.2f", s.Category, s.Precision, s.Recall, floor.precision, floor.recall)
		}
		target := 0.90
		if s.Category == Crisis {
			target = 0.97
		}
		if s.Recall < target || s.Precision < 0.90 {
			t.Logf("%s: below the issue's target (precision 0.90, recall %.2f)", s.Category, target)
		}
	}
	if fp := rep.BenignFPRate(); fp > heldOutMaxBenignFP {
		t.Errorf("benign false positives %.1f%%, the gate is %.0f%%", 100*fp, 100*heldOutMaxBenignFP)
	}
}

// The model raises recall on the held-out part well above the rules
// alone, without dropping precision under the gate.
func TestModelBeatsRulesOnHeldOut(t *testing.T) {
	corpus, err := HeldOutCorpus()
	if err != nil {
		t.Fatal(err)
	}
	rules, both := Evaluate(builtinEngine(t), corpus), Evaluate(builtinModelEngine(t), corpus)
	for i, s := range both.Scores {
		if s.Recall < rules.Scores[i].Recall {
			t.Errorf("%s: recall %.3f with the model, %.3f without", s.Category, s.Recall, rules.Scores[i].Recall)
		}
	}
}

func builtinModelEngine(t testing.TB) *Engine {
	t.Helper()
	m, err := BuiltinModel()
	if err != nil {
		t.Fatal(err)
	}
	p := BuiltinPack()
	return mustCompile(t, p.Rules, Options{Version: p.Version, Model: m})
}

func TestEvaluateCounts(t *testing.T) {
	e := builtinEngine(t)
	corpus := []Example{
		{Text: "It's just a headache.", Labels: []Category{Shaming}},           // TP
		{Text: "A calm evening.", Labels: []Category{Shaming}},                 // FN
		{Text: "It's all in your head.", Labels: nil},                          // FP
		{Text: "I don't want to be here anymore.", Labels: []Category{Crisis}}, // TP crisis
		{Text: "Hello all.", Labels: nil},
	}
	rep := Evaluate(e, corpus)
	s := rep.Scores[1]
	if s.Category != Shaming || s.TP != 1 || s.FP != 1 || s.FN != 1 || s.Precision != 0.5 || s.Recall != 0.5 {
		t.Errorf("shaming score %+v", s)
	}
	if c := rep.Scores[4]; c.TP != 1 || c.FP != 0 || c.FN != 0 || c.F1 != 1 {
		t.Errorf("crisis score %+v", c)
	}
	if rep.Messages != 5 || rep.Benign != 2 || len(rep.Misclassified) != 2 {
		t.Errorf("report %d messages, %d benign, %d misclassified", rep.Messages, rep.Benign, len(rep.Misclassified))
	}
	var out bytes.Buffer
	if err := rep.WriteTable(&out, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"precision", "shaming", "A calm evening.", "missing [shaming]", "extra [shaming]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParseCorpus(t *testing.T) {
	good := `{"text":"hi","labels":[]}` + "\n\n" + `{"text":"cure","labels":["misinformation"],"note":"x"}`
	c, err := ParseCorpus(strings.NewReader(good))
	if err != nil || len(c) != 2 || c[1].Labels[0] != Misinformation || c[1].Note != "x" {
		t.Fatalf("ParseCorpus = %+v, %v", c, err)
	}
	for _, bad := range []string{`{"text":"hi","labels":["rudeness"]}`, `{"text":`} {
		if _, err := ParseCorpus(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseCorpus(%q) error %v, want one naming line 1", bad, err)
		}
	}
}
