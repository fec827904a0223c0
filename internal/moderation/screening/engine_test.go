package screening

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestShadowRules(t *testing.T) {
	r := TermRule("tenant.trial", Spam, Medium, "trying a term out", "magic beans")
	for name, tc := range map[string]struct {
		rule Rule
		opts Options
	}{
		"rule flag":   {func() Rule { r := r; r.Shadow = true; return r }(), Options{}},
		"option flag": {r, Options{Shadow: []string{"tenant.trial"}}},
	} {
		t.Run(name, func(t *testing.T) {
			e := mustCompile(t, []Rule{tc.rule}, tc.opts)
			res := e.Screen("selling magic beans here")
			if len(res.Matches) != 1 || !res.Matches[0].Shadow {
				t.Fatalf("matches %+v, want one shadow match", res.Matches)
			}
			if res.Action != ActionNone || res.Crisis {
				t.Errorf("shadow match took action %q", res.Action)
			}
		})
	}
}

func TestDisabledRules(t *testing.T) {
	on := TermRule("tenant.on", Spam, Medium, "on", "magic beans")
	off := TermRule("tenant.off", Spam, Medium, "off", "cheap beans")
	off.Disabled = true
	e := mustCompile(t, []Rule{on, off}, Options{})
	if res := e.Screen("cheap beans"); len(res.Matches) != 0 {
		t.Errorf("disabled rule matched: %+v", res.Matches)
	}
	// A tenant switching a built-in rule off by ID.
	p := BuiltinPack()
	e = mustCompile(t, p.Rules, Options{Disable: []string{"shaming.just-a-headache"}})
	if res := e.Screen("It's just a headache."); res.Action != ActionNone {
		t.Errorf("disabled built-in rule still acted: %+v", res.Matches)
	}
}

func TestTenantTermRules(t *testing.T) {
	p := BuiltinPack()
	tenant := TermRule("tenant.products", Spam, Medium, "Competitor products our members were spammed with",
		"Super Calm Pills", "quick-fix gummies", "(not) syntax")
	e := mustCompile(t, append(p.Rules, tenant), Options{Version: p.Version + "+tenant-1"})
	if e.Version() != p.Version+"+tenant-1" {
		t.Errorf("Version() = %q", e.Version())
	}
	for text, want := range map[string]bool{
		"get SUPER CALM pills while they last": true,
		"Quick fix gummies!!":                  true,
		"this is not syntax at all":            true, // brackets in a term are just punctuation
		"super calm today":                     false,
	} {
		res := e.Screen(text)
		got := false
		for _, m := range res.Matches {
			got = got || m.RuleID == "tenant.products"
		}
		if got != want {
			t.Errorf("Screen(%q) tenant match = %v, want %v", text, got, want)
		}
		if want && res.Action != ActionHold {
			t.Errorf("Screen(%q) action %q, want hold (spam default)", text, res.Action)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	good := func() Rule { return TermRule("t.good", Spam, Medium, "fine", "magic beans") }
	with := func(f func(*Rule)) Rule { r := good(); f(&r); return r }
	tests := []struct {
		name  string
		rules []Rule
		opts  Options
		id    string
		field string
		msg   string
	}{
		{"missing id", []Rule{with(func(r *Rule) { r.ID = "" })}, Options{}, "", "id", "required"},
		{"bad id", []Rule{with(func(r *Rule) { r.ID = "Bad ID" })}, Options{}, "Bad ID", "id", "may only use"},
		{"duplicate id", []Rule{good(), good()}, Options{}, "t.good", "id", "duplicate"},
		{"category", []Rule{with(func(r *Rule) { r.Category = "rude" })}, Options{}, "t.good", "category", "not one of"},
		{"severity", []Rule{with(func(r *Rule) { r.Severity = "huge" })}, Options{}, "t.good", "severity", "not one of"},
		{"action", []Rule{with(func(r *Rule) { r.Action = "delete" })}, Options{}, "t.good", "action", "not one of"},
		{"crisis lane outside crisis", []Rule{with(func(r *Rule) { r.Action = ActionCrisis })}, Options{}, "t.good", "action", "only crisis rules"},
		{"crisis without crisis lane", []Rule{with(func(r *Rule) { r.Category = Crisis })}, Options{}, "t.good", "action", "must use the crisis lane"},
		{"description", []Rule{with(func(r *Rule) { r.Description = " " })}, Options{}, "t.good", "description", "required"},
		{"no terms", []Rule{with(func(r *Rule) { r.Terms = nil })}, Options{}, "t.good", "terms", "at least one"},
		{"term without letters", []Rule{with(func(r *Rule) { r.Terms = []string{"!!!"} })}, Options{}, "t.good", "terms[0]", "no letters"},
		{"single letter term", []Rule{with(func(r *Rule) { r.Terms = []string{"ok", "x"} })}, Options{}, "t.good", "terms[1]", "single letter"},
		{"unbalanced pattern", []Rule{with(func(r *Rule) { r.Patterns = []string{"(stop|quit"} })}, Options{}, "t.good", "patterns[0]", `missing ")"`},
		{"stray bracket", []Rule{with(func(r *Rule) { r.Patterns = []string{"stop ] now"} })}, Options{}, "t.good", "patterns[0]", "unbalanced"},
		{"gap at start", []Rule{with(func(r *Rule) { r.Patterns = []string{"* meds"} })}, Options{}, "t.good", "patterns[0]", "start with a gap"},
		{"optional then gap", []Rule{with(func(r *Rule) { r.Patterns = []string{"[just] * meds"} })}, Options{}, "t.good", "patterns[0]", "start with a gap"},
		{"gap too long", []Rule{with(func(r *Rule) { r.Patterns = []string{"stop *9 meds"} })}, Options{}, "t.good", "patterns[0]", "gap"},
		{"empty pattern", []Rule{with(func(r *Rule) { r.Patterns = []string{"[maybe]"} })}, Options{}, "t.good", "patterns[0]", "empty"},
		{"unknown special", []Rule{with(func(r *Rule) { r.Patterns = []string{"<email> me"} })}, Options{}, "t.good", "patterns[0]", "unknown"},
		{"misplaced anchor", []Rule{with(func(r *Rule) { r.Patterns = []string{"stop ^ meds"} })}, Options{}, "t.good", "patterns[0]", "only start"},
		{"bad effect", []Rule{with(func(r *Rule) { r.Contexts.Negated = "maybe" })}, Options{}, "t.good", "contexts.negated", "not one of"},
		{"unknown disable", []Rule{good()}, Options{Disable: []string{"t.nope"}}, "", "options.disable", `no rule "t.nope"`},
		{"unknown shadow", []Rule{good()}, Options{Shadow: []string{"t.nope"}}, "", "options.shadow", `no rule "t.nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Compile(tc.rules, tc.opts)
			if err == nil {
				t.Fatalf("Compile succeeded (%v), want an error", e != nil)
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *RuleError", err)
			}
			if re.RuleID != tc.id || re.Field != tc.field || !strings.Contains(re.Msg, tc.msg) {
				t.Errorf("got %q (rule %q, field %q); want rule %q, field %q, message containing %q",
					err, re.RuleID, re.Field, tc.id, tc.field, tc.msg)
			}
		})
	}
}

func TestCompileReportsEveryProblem(t *testing.T) {
	bad1 := TermRule("t.one", Spam, Medium, "", "beans")
	bad2 := TermRule("t.two", "rude", Medium, "desc", "beans")
	_, err := Compile([]Rule{bad1, bad2}, Options{})
	if err == nil || !strings.Contains(err.Error(), `"t.one"`) || !strings.Contains(err.Error(), `"t.two"`) {
		t.Errorf("want both rules named, got %v", err)
	}
}

func TestActionAndExplain(t *testing.T) {
	e := builtinEngine(t)
	tests := []struct {
		text   string
		action Action
		crisis bool
	}{
		{"What a lovely quiet evening.", ActionNone, false},
		{"It's a cure, honestly, this tea cures migraines.", ActionQueue, false},
		{"It's just a headache, get over it.", ActionHold, false},
		{"DM me for prices. I want to die.", ActionCrisis, true}, // strongest wins
	}
	for _, tc := range tests {
		res := e.Screen(tc.text)
		if res.Action != tc.action || res.Crisis != tc.crisis {
			t.Errorf("Screen(%q) = %q crisis %v, want %q crisis %v", tc.text, res.Action, res.Crisis, tc.action, tc.crisis)
		}
	}

	text := "My aunt said it's just a headache. Honestly, it's just a headache to her."
	if res := e.Screen(text); len(res.Matches) != 1 || res.Matches[0].RuleID != "shaming.just-a-headache" {
		t.Fatalf("Screen: %+v, want the second, unreported occurrence", res.Matches)
	}
	all := e.Explain(text)
	if len(all) != 2 || !all[0].Suppressed || all[1].Suppressed {
		t.Fatalf("Explain: %+v, want the first suppressed and the second not", all)
	}
	m := all[1]
	if got := text[m.Start:m.End]; got != "just a headache" {
		t.Errorf("Start/End cover %q", got)
	}
	if m.Matched != "just a headache" || m.Why != `matched "just a headache"` {
		t.Errorf("Matched %q, Why %q", m.Matched, m.Why)
	}
	if !strings.Contains(m.Excerpt, "it's just a headache to her") || len(m.Excerpt) > 120 {
		t.Errorf("Excerpt %q", m.Excerpt)
	}
	if m.Category != Shaming || m.Severity != Medium || m.Action != ActionHold {
		t.Errorf("match %+v", m)
	}
}

func TestExcerpt(t *testing.T) {
	text := strings.Repeat("calm words ", 10) + "THE MATCH" + strings.Repeat(" more words", 10)
	start := strings.Index(text, "THE MATCH")
	got := excerpt(text, start, start+9, 20)
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "THE MATCH") {
		t.Errorf("excerpt = %q", got)
	}
	if got := excerpt("short THE MATCH", 6, 15, 40); got != "short THE MATCH" {
		t.Errorf("excerpt of a short text = %q", got)
	}
}

func TestBenignScreenDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	e := builtinEngine(t)
	text := "Rough night, the aura started at eleven and I took my triptan at the first sign. Dark room now."
	e.Screen(text) // warm the pool
	if n := testing.AllocsPerRun(100, func() { e.Screen(text) }); n != 0 {
		t.Errorf("benign screen allocates %v times", n)
	}
}

// Screen is used from many connections at once; run with -race.
func TestConcurrentScreens(t *testing.T) {
	e := builtinEngine(t)
	corpus, err := BuiltinCorpus()
	if err != nil {
		t.Fatal(err)
	}
	want := make([]Action, len(corpus))
	for i, ex := range corpus {
		want[i] = e.Screen(ex.Text).Action
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < len(corpus); i += 2 {
				if got := e.Screen(corpus[i].Text).Action; got != want[i] {
					t.Errorf("concurrent Screen(%q) = %q, want %q", corpus[i].Text, got, want[i])
				}
			}
		}(g)
	}
	wg.Wait()
}
