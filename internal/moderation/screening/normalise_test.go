package screening

import (
	"slices"
	"testing"
)

func forms(text string) []string {
	s := new(scratch)
	tokenize(s, newLexicon(), text, true)
	var out []string
	for i := range s.toks {
		out = append(out, s.form(int32(i)))
	}
	return out
}

func TestTokenForms(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"case", "CURE Cure", []string{"cure", "cure"}},
		{"accents", "cüre héadache", []string{"cure", "headache"}},
		{"fullwidth", "ｃｕｒｅ", []string{"cure"}},
		{"cyrillic look-alikes", "сurе", []string{"cure"}},
		{"zero-width inside a word", "cu\u200bre", []string{"cure"}},
		{"apostrophes join", "don't it’s", []string{"dont", "its"}},
		{"leet in mixed tokens", "f4k1ng m3ds", []string{"faking", "meds"}},
		{"symbol leet", "k!ll $cam", []string{"kill", "scam"}},
		{"mentions are not leet", "@sam hi", []string{"sam", "hi"}},
		{"star kept inside a word", "f*ck off", []string{"f*ck", "off"}},
		{"numbers stay numbers", "400 mg", []string{"400", "mg"}},
		{"number and unit split", "400mg 2x 3rd", []string{"400", "mg", "2", "x", "3", "rd"}},
		{"thousands and decimals", "1,200 2.5", []string{"1200", "2.5"}},
		{"links are one token", "see https://bit.ly/x1 and www.shop.com.", []string{"see", "<link>", "and", "<link>"}},
		{"bare domains", "at migrainefree.store now", []string{"at", "<link>", "now"}},
		{"not links", "e.g. c.u.r.e", []string{"e", "g", "c", "u", "r", "e"}},
		{"hyphen separates", "self-harm", []string{"self", "harm"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := forms(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("forms(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestTokenNumbersAndSentences(t *testing.T) {
	s := new(scratch)
	tokenize(s, newLexicon(), "Take 1,200mg. Is it safe? c.u.r.e", true)
	nums := map[string]int32{}
	for i := range s.toks {
		nums[s.form(int32(i))] = s.toks[i].num
	}
	if nums["1200"] != 1200 || nums["take"] != -1 {
		t.Errorf("numbers: %v", nums)
	}
	if len(s.sents) != 3 {
		t.Fatalf("%d sentences, want 3 (dots inside c.u.r.e do not end one)", len(s.sents))
	}
	if s.sents[0].question || !s.sents[1].question || s.sents[2].question {
		t.Errorf("question flags: %+v", s.sents)
	}
}

// Each obfuscation kind must still match a plain tenant term.
func TestObfuscationMatches(t *testing.T) {
	e := mustCompile(t, []Rule{
		TermRule("t.cure", Misinformation, Medium, "cure", "cure"),
		TermRule("t.faking", Shaming, High, "faking", "faking"),
		TermRule("t.sleep", Spam, Medium, "sleep", "sleep pills"),
		TermRule("t.god", Spam, Medium, "god", "god mode"),
		TermRule("t.kys", Harassment, High, "kys", "kys"),
		TermRule("t.you-are", Shaming, High, "you are faking", "you are faking it"),
		TermRule("t.youre", Shaming, High, "you're faking", "you're faking it"),
		TermRule("t.scam", Spam, Medium, "scam", "scam coin"),
		TermRule("t.unit", Spam, Medium, "leet unit", "aoomg"),
	}, Options{})
	tests := []struct {
		text string
		want string // rule ID, "" for no match
	}{
		{"CURE", "t.cure"},
		{"cüre", "t.cure"},
		{"ｃｕｒｅ", "t.cure"},
		{"сurе", "t.cure"},
		{"cu\u200bre", "t.cure"},
		{"cuuuure", "t.cure"},
		{"faaaaking", "t.faking"},
		{"sleeeeep pills", "t.sleep"},
		{"sleep pills", "t.sleep"},
		{"good mode", ""}, // a real double letter is not a stretched word
		{"goooood mode", "t.god"},
		{"c.u.r.e", "t.cure"},
		{"c u r e", "t.cure"},
		{"a c u r e", "t.cure"},
		{"f-a-k-i-n-g", "t.faking"},
		{"K Y S", "t.kys"},
		{"k.y.s", "t.kys"},
		{"f4k1ng", "t.faking"},
		{"cur3", "t.cure"},
		{"$cam coin", "t.scam"},
		{"u r faking it", "t.you-are"},
		{"ur f4king it", "t.youre"},
		{"y0u'r3 faking it", "t.youre"},
		{"400mg", ""}, // numbers with units are never read as letters
	}
	for _, tc := range tests {
		res := e.Screen(tc.text)
		got := ""
		if len(res.Matches) > 0 {
			got = res.Matches[0].RuleID
		}
		if got != tc.want {
			t.Errorf("Screen(%q) matched %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestRepeatedCharacters(t *testing.T) {
	e := mustCompile(t, []Rule{{ID: "t.rep", Category: Spam, Severity: Low, Action: ActionQueue,
		Description: "repeats", Patterns: []string{"<repeat>"}}}, Options{})
	for text, want := range map[string]bool{
		"aaaaaaaaaaaaaaaaaaaaaaaaa": true,
		"!!!!!!!!!!!!!!!!!!!!":      true,
		"❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️❤️": true,
		"‼️‼️‼️‼️‼️‼️‼️‼️‼️":                 true, // each folds to "!!"
		"buy buy buy buy buy buy": true,
		"noooooo my prescription": false,
		"thank you!!!!!!":         false,
		"no no no no no":          false,
	} {
		if got := len(e.Screen(text).Matches) > 0; got != want {
			t.Errorf("Screen(%q) repeat = %v, want %v", text, got, want)
		}
	}
}

func mustCompile(t testing.TB, rules []Rule, opts Options) *Engine {
	t.Helper()
	e, err := Compile(rules, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
