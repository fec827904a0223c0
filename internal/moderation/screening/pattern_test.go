package screening

import "testing"

func TestPatternSyntax(t *testing.T) {
	tests := []struct {
		pattern string
		text    string
		want    bool
	}{
		{"(stop|quit) your meds", "quit your meds", true},
		{"(stop|quit) your meds", "stop my meds", false},
		{"(kill yourself|kys)", "just kill yourself", true},
		{"[just] stop", "just stop", true},
		{"[just] stop now", "stop now", true},
		{"stop * meds", "stop taking all meds", true},         // up to 3 words between
		{"stop * meds", "stop taking all of the meds", false}, // 4 is too many
		{"stop *5 meds", "stop taking all of the meds", true},
		{"stop * meds", "stop not taking meds", false},                   // a gap never skips a negator
		{"stop your meds", "I need to stop. Your meds are fine.", false}, // never across sentences
		{"stop * meds", "Stop. Take your meds.", false},
		{"take #5+ pills", "take 10 pills", true},
		{"take #5+ pills", "take ten pills", true},
		{"take #5+ pills", "take 2 pills", false},
		{"take # mg", "take 400mg", true},
		{"^ take pills daily", "Honestly, take pills daily", true},
		{"^ take pills daily", "so just take pills daily", true}, // fillers may open a clause
		{"^ take pills daily", "I take pills daily", false},
		{"buy *6 <link>", "buy it at www.example.com today", true},
		{"buy *6 <link>", "buy it at example.com", true},
		{"buy *6 <link>", "buy example beans", false},
		{"(pain|pain killers) daily", "pain killers daily", true},
		{"(a|b c) (d|e f) g", "b c e f g", true},
	}
	for _, tc := range tests {
		e := mustCompile(t, []Rule{{ID: "t.p", Category: Spam, Severity: Medium, Action: ActionHold,
			Description: "pattern test", Patterns: []string{tc.pattern}}}, Options{})
		if got := len(e.Screen(tc.text).Matches) > 0; got != tc.want {
			t.Errorf("pattern %q on %q = %v, want %v", tc.pattern, tc.text, got, tc.want)
		}
	}
}

// Alternatives rejoin instead of multiplying out, so long word lists in
// several slots stay small.
func TestPatternsDoNotExplode(t *testing.T) {
	var list string
	for i := 0; i < 60; i++ {
		list += "|w" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	list = "(" + list[1:] + ")"
	p := list + " " + list + " " + list + " " + list // 60^4 phrases if expanded
	e := mustCompile(t, []Rule{{ID: "t.big", Category: Spam, Severity: Medium, Action: ActionHold,
		Description: "big", Patterns: []string{p}}}, Options{})
	if n := len(e.main.nodes); n > 1000 {
		t.Errorf("%d trie nodes for a 4×60-word pattern", n)
	}
	if len(e.Screen("waa wba wca wda").Matches) != 1 {
		t.Error("big pattern does not match")
	}
}
