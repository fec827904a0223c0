package screening

import (
	"strings"
	"testing"
)

// The three bands: uncertain delivers and queues, confident queues at high
// severity (the model alone never holds; crisis takes the crisis lane); a tenant's own
// thresholds move them; each verdict says what fired and why.
func TestModelBands(t *testing.T) {
	m, err := BuiltinModel()
	if err != nil {
		t.Fatal(err)
	}
	rules := BuiltinPack().Rules
	// Wording no rule knows, which the model still reads as advice to
	// stop treatment.
	text := "Honestly the best move is ditching every prescription your specialist gave you, your body knows better"
	base := mustCompile(t, rules, Options{Model: m}).Screen(text)
	for _, mt := range base.Matches {
		if !strings.HasPrefix(mt.RuleID, "model.") && mt.Category == Misinformation {
			t.Fatalf("a rule matched %q (%s); pick wording no rule knows", text, mt.RuleID)
		}
	}
	p := base.Scores.Of(Misinformation)
	if p < 0.05 {
		t.Fatalf("model score %.3f for %q: too low to test bands with", p, text)
	}
	cases := []struct {
		name   string
		thr    Thresholds
		action Action
		band   Band
	}{
		{"clear", Thresholds{Uncertain: min(0.99, p+0.005), Confident: 0.995}, ActionNone, BandClear},
		{"uncertain", Thresholds{Uncertain: p / 2, Confident: 0.995}, ActionQueue, BandUncertain},
		{"confident", Thresholds{Uncertain: p / 3, Confident: p / 2}, ActionQueue, BandConfident},
	}
	for _, c := range cases {
		e := mustCompile(t, rules, Options{Model: m, Thresholds: map[Category]Thresholds{Misinformation: c.thr}})
		r := e.Screen(text)
		if r.Action != c.action || r.Bands[catIndex(Misinformation)] != c.band {
			t.Errorf("%s: action %q band %q, want %q %q", c.name, r.Action, r.Bands[catIndex(Misinformation)], c.action, c.band)
		}
		if c.band != BandClear {
			found := false
			for _, mt := range r.Matches {
				if mt.RuleID == "model.misinformation" {
					found = true
					if !strings.Contains(mt.Why, "model score") || !strings.Contains(mt.Why, string(c.band)) {
						t.Errorf("%s: why %q", c.name, mt.Why)
					}
				}
			}
			if !found {
				t.Errorf("%s: no model match in %+v", c.name, r.Matches)
			}
		}
	}

	// A confident crisis score raises the crisis lane; an uncertain one
	// queues it.
	crisis := "everything feels pointless and heavy, I keep thinking everyone would manage fine if I just wasn't around"
	cs := mustCompile(t, rules, Options{Model: m}).Screen(crisis).Scores.Of(Crisis)
	up := mustCompile(t, rules, Options{Model: m, Thresholds: map[Category]Thresholds{Crisis: {Uncertain: cs / 3, Confident: cs / 2}}}).Screen(crisis)
	if !up.Crisis || up.Action != ActionCrisis {
		t.Errorf("confident crisis: %+v", up)
	}

	for _, bad := range []Thresholds{{Uncertain: 0, Confident: 0.5}, {Uncertain: 0.7, Confident: 0.5}, {Uncertain: 0.5, Confident: 1.5}} {
		if _, err := Compile(rules, Options{Model: m, Thresholds: map[Category]Thresholds{Crisis: bad}}); err == nil {
			t.Errorf("thresholds %+v accepted", bad)
		}
	}
}

// Rules decide alone without a model; with one, every category gets a
// score and a band.
func TestScoresOnlyWithModel(t *testing.T) {
	text := "thinking about overdosing on my sumatriptan"
	if r := builtinEngine(t).Screen(text); r.Scored {
		t.Errorf("rules-only engine scored: %+v", r)
	}
	r := builtinModelEngine(t).Screen(text)
	if !r.Scored || r.Bands[catIndex(Crisis)] != BandConfident || !r.Crisis {
		t.Errorf("with model: %+v", r)
	}
}

// Scoring a benign message allocates nothing once warm (the model's
// feature buffers live in the pooled scratch).
func TestModelScreenDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		return // the race detector makes sync.Pool drop items on purpose
	}
	e := builtinModelEngine(t)
	text := benchMessages()[0]
	e.Screen(text)
	if n := testing.AllocsPerRun(50, func() { e.Screen(text) }); n > 0 {
		t.Errorf("%.0f allocations per benign screen with the model", n)
	}
}
