package screening

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchRules is the built-in pack plus generated tenant-style term rules,
// 1,000 in all, the same on every run. A third of the terms start with a
// word members use all the time, so the matcher has real work to do.
func benchRules(tb testing.TB, n int) []Rule {
	tb.Helper()
	rules := BuiltinPack().Rules
	rng := rand.New(rand.NewPCG(7, 11))
	common := strings.Fields("my the pain doctor head migraine day week take meds help feel sleep light work " +
		"aura triptan night attack bad new group anyone today still")
	syll := strings.Fields("ka lo mi ra ve to zu pe ni sa do ri fu ga ne bo li ta ku me")
	word := func() string {
		var b strings.Builder
		for k := 0; k < 2+rng.IntN(2); k++ {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		return b.String()
	}
	cats := []Category{Spam, Harassment, Misinformation, Shaming}
	for i := len(rules); i < n; i++ {
		var terms []string
		for t := 0; t < 1+rng.IntN(4); t++ {
			words := []string{word()}
			if rng.IntN(3) == 0 {
				words = append([]string{common[rng.IntN(len(common))]}, words...)
			}
			if rng.IntN(2) == 0 {
				words = append(words, word())
			}
			terms = append(terms, strings.Join(words, " "))
		}
		c := cats[i%len(cats)]
		rules = append(rules, TermRule(fmt.Sprintf("tenant.term-%d", i), c, Medium, "tenant term list", terms...))
	}
	return rules
}

// benchMessages are ~500-character messages, mostly benign, a few that
// match, in the voice of the corpus.
func benchMessages() []string {
	parts := []string{
		"Rough night again, the aura started around eleven and I took my triptan at the first sign like my neurologist said. ",
		"The light sensitivity is the worst part for me, I have blackout curtains and an ice pack on my neck most evenings. ",
		"Does anyone else get really foggy the day after an attack? I put the kettle in the fridge this morning. ",
		"My preventive took about three months to kick in, so if you're just starting please be patient with it. ",
		"Weather changes always set me off, and this week has been storm after storm, so I'm tracking it in the app. ",
		"I finally found a headache specialist who listens, and we made a rescue plan together for the long attacks. ",
		"Thank you all for being here, this group has honestly made the last year so much easier to get through. ",
		"Work has been understanding since I explained chronic migraine, I can dim my screen and take breaks now. ",
	}
	bad := []string{
		"Honestly it's just a headache, stop being so dramatic and get over it. ",
		"DM me for prices on cheap sumatriptan, no prescription needed, link in bio. ",
		"Stop taking your preventive, it's poison, and triptans every day are totally fine. ",
		"I don't want to be here anymore, I can't go on like this. ",
	}
	var out []string
	for i := 0; i < 16; i++ {
		var b strings.Builder
		for k := 0; b.Len() < 420; k++ {
			b.WriteString(parts[(i+k*3)%len(parts)])
		}
		if i%4 == 3 {
			b.WriteString(bad[(i/4)%len(bad)])
		}
		out = append(out, b.String())
	}
	return out
}

// BenchmarkScreen1000Rules screens ~500-character messages against 1,000
// rules. The target is 50µs per message; it reports p99 per call too.
func BenchmarkScreen1000Rules(b *testing.B) {
	rules := benchRules(b, 1000)
	e, err := Compile(rules, Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchLatency(b, e, benchMessages())
}

func TestBenchSetup(t *testing.T) {
	rules := benchRules(t, 1000)
	if len(rules) != 1000 {
		t.Fatalf("got %d rules, want 1000", len(rules))
	}
	e, err := Compile(rules, Options{})
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for _, m := range benchMessages() {
		if n := len(m); n < 400 || n > 650 {
			t.Errorf("message of %d bytes, want about 500", n)
		}
		if e.Screen(m).Action != ActionNone {
			flagged++
		}
	}
	if flagged == 0 || flagged > 8 {
		t.Errorf("%d of 16 messages flagged; want a few, mostly benign", flagged)
	}
}
