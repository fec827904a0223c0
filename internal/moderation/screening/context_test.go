package screening

import (
	"strings"
	"testing"
)

func builtinEngine(t testing.TB) *Engine {
	t.Helper()
	p := BuiltinPack()
	return mustCompile(t, p.Rules, Options{Version: p.Version})
}

// contextCase checks whether a category is actioned, and for suppressed
// matches what Explain says about them.
type contextCase struct {
	text     string
	cat      Category
	actioned bool
	why      string // substring of the Why of the match (Explain), optional
}

func runContextCases(t *testing.T, e *Engine, cases []contextCase) {
	t.Helper()
	for _, tc := range cases {
		got := false
		for _, c := range Predict(e, tc.text) {
			got = got || c == tc.cat
		}
		if got != tc.actioned {
			t.Errorf("%q: %s actioned = %v, want %v\n%s", tc.text, tc.cat, got, tc.actioned, explain(e, tc.text))
			continue
		}
		if tc.why == "" {
			continue
		}
		found := false
		for _, m := range e.Explain(tc.text) {
			found = found || m.Category == tc.cat && strings.Contains(m.Why, tc.why)
		}
		if !found {
			t.Errorf("%q: no %s match explained with %q\n%s", tc.text, tc.cat, tc.why, explain(e, tc.text))
		}
	}
}

func explain(e *Engine, text string) string {
	var b strings.Builder
	for _, m := range e.Explain(text) {
		b.WriteString("  " + m.RuleID + ": " + m.Why + "\n")
	}
	return b.String()
}

func TestNegation(t *testing.T) {
	runContextCases(t, builtinEngine(t), []contextCase{
		{"There is no cure, but my preventive helps.", Misinformation, false, ""},
		{"It's not just a headache.", Shaming, false, `negated by "not"`},
		{"Nobody here is faking, and nobody thinks you're faking.", Shaming, false, ""},
		{"Don't stop your meds without your doctor.", Misinformation, false, `negated by "Don't"`},
		{"I would never tell anyone to stop their medication.", Misinformation, false, ""},
		{"There's no such thing as a miracle cure.", Misinformation, false, ""},
		{"You're not an idiot for asking.", Harassment, false, ""}, // a gap never skips "not"
		{"It's no wonder you're faking it.", Shaming, true, ""},    // "no wonder" is not a negation
		{"If one doesn't work just take three more at once.", Misinformation, true, ""},
		{"Nobody believes you have migraines, you're making it up.", Shaming, true, ""},
	})
}

func TestReportedSpeech(t *testing.T) {
	runContextCases(t, builtinEngine(t), []contextCase{
		{"My aunt said it's just a headache and that hurt.", Shaming, false, `reported speech: "My aunt said"`},
		{"People tell me it's just a headache.", Shaming, false, "reported speech"},
		{"Someone called it 'just a headache' and I walked away.", Shaming, false, ""},
		{`"It's just a headache," my boss said.`, Shaming, false, "quoted"},
		{"A guy on another forum said turmeric cures migraines.", Misinformation, false, ""},
		{"I've been told it's all in your head so many times.", Shaming, false, ""},
		{"I think you're faking it.", Shaming, true, ""},          // the writer's own view
		{"Tell her she's faking it.", Shaming, true, ""},          // an order, nobody reported
		{`"It's just a headache." Seriously.`, Shaming, true, ""}, // quotes alone are not reported speech
	})
}

func TestQuestions(t *testing.T) {
	runContextCases(t, builtinEngine(t), []contextCase{
		{"Does turmeric cure migraines?", Misinformation, false, "asked as a question"},
		{"Is it safe to take a triptan two days in a row?", Misinformation, false, ""},
		{"Are detox teas safe? A heavy metal detox was suggested.", Misinformation, true, ""},
		{"Did you know celery juice cures migraine?", Misinformation, true, ""}, // advice, not a question
		{"You're faking it, aren't you?", Shaming, true, ""},                    // jabs are not excused by a "?"
	})
}

func TestCrisisPolicy(t *testing.T) {
	e := builtinEngine(t)
	runContextCases(t, e, []contextCase{
		{"I don't want to be here anymore.", Crisis, true, ""},
		{"Is it normal to want to die during an attack?", Crisis, true, ""},
		{`My friend said "I want to die" and I'm worried.`, Crisis, true, ""},
		{"I'm going to kill myself if this doesn't stop.", Crisis, true, ""},
		{"I'm not going to hurt myself, I just need to vent.", Crisis, false, "queued for review instead of the crisis lane"},
		{"I used to think about ending my life, but preventives changed that.", Crisis, false, "in the past"},
		{"Just kill yourself.", Crisis, false, ""}, // harassment, held; see the package comment
		{"Just kill yourself.", Harassment, true, ""},
	})
	// A downgraded crisis match still reaches a person through the queue.
	res := e.Screen("I'm not going to hurt myself, I just need to vent.")
	if res.Crisis || res.Action != ActionQueue {
		t.Errorf("negated self-harm: crisis %v, action %q; want no crisis, queue", res.Crisis, res.Action)
	}
}

func TestRedFlags(t *testing.T) {
	runContextCases(t, builtinEngine(t), []contextCase{
		{"My face is drooping on one side right now.", Crisis, true, ""},
		{"My face is drooping, is this a migraine?", Crisis, true, ""},
		{"Worst headache of my life, came on in seconds.", Crisis, true, ""},
		{"I suddenly can't see out of my left eye.", Crisis, true, ""},
		{"No face drooping, just the usual aura.", Crisis, false, "negated"},
		{"Years ago I had slurred speech with an aura.", Crisis, false, `in the past: "Years ago"`},
		{"If I ever get the worst headache of my life I'll call 999.", Crisis, false, "hypothetical"},
		{"Is slurred speech during aura something to worry about?", Crisis, false, ""},
		{"Can aura cause numbness on one side?", Crisis, false, ""},
	})
}
