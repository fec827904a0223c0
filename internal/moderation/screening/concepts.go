package screening

import (
	"regexp"
	"sort"
	"strings"

	"quietroom/internal/vocab"
)

// The concept layer: what the built-in rules are written over. A concept
// is a named list of words and phrases (a drug class, an action, a body
// part); a pack pattern names it in braces, "{stop} [taking] {your}
// {preventive}", and it expands to the alternatives at compile time. A new
// brand name or a new way of saying "stop" is one line and every rule
// over the concept follows; the learned model gets the same concepts as
// features, so it generalises over them too.
//
// Medicine classes and red-flag symptom words live in internal/vocab, the
// lay vocabulary library search expands queries with, so one list serves
// both; actions, people and screening's own cues live here.
//
// Concepts are listed in their own normalised spelling: lower case, no
// apostrophes ("dont"), hyphens as spaces.

// conceptLexicon returns every concept, fresh on each call.
func conceptLexicon() map[string][]string {
	c := map[string][]string{
		// Actions.
		"stop": {"stop", "stopping", "quit", "quitting", "ditch", "ditching", "drop", "dropping", "dump", "bin", "skip",
			"skipping", "scrap", "come off", "coming off", "get off", "getting off", "go off", "going off", "give up",
			"throw away", "chuck", "ditch all", "wean off", "cut out", "abandon"},
		"cold turkey": {"cold turkey", "all at once", "overnight", "in one go", "no taper", "without tapering", "without weaning", "dont taper", "dont bother tapering", "no need to taper"},
		"more":        {"double", "triple", "double up", "stack", "stacking", "combine", "extra", "another", "more", "two more", "a few more", "a couple more", "top up"},
		"take":        {"take", "taking", "pop", "popping", "swallow", "swallowing", "down", "have", "use", "using", "chug", "neck"},
		"frequency": {"every day", "everyday", "every single day", "daily", "each day", "all day", "seven days a week",
			"every few hours", "every four hours", "every two hours", "four times a day", "five times a day", "six times a day", "round the clock", "around the clock",
			"morning and night", "every morning", "every night", "all week", "as often as you want", "as often as you like",
			"as often as you need", "whenever you want", "whenever you like", "whenever you need", "whenever it hurts",
			"as much as you want", "as much as you like", "as much as you need", "as many as you want", "as many as you need",
			"as many as it takes", "all the time", "most days", "every other day",
			"for weeks straight", "nonstop", "non stop", "no limit", "without limit"},
		"feel good": {"whenever you feel good", "when you feel good", "once you feel good", "whenever you feel better",
			"when you feel better", "once you feel better", "as soon as you feel better", "as soon as you feel good",
			"when the headaches stop", "once the attacks stop", "when youre feeling fine", "when you feel fine",
			"on good days", "when you have a good week", "once youre better", "when youre better"},

		// Cardiovascular contraindications.
		"vascular": {"stroke", "strokes", "a stroke", "heart attack", "heart disease", "heart condition", "angina",
			"high blood pressure", "uncontrolled blood pressure", "tia", "mini stroke", "bypass", "stent"},

		// Cure and conspiracy cues.
		"cure":      {"cure", "cures", "cured", "curing", "heal", "heals", "healed", "reverse", "reverses", "reversed", "eliminate", "eliminates", "eliminated", "fix", "fixes", "fixed", "gets rid of", "got rid of", "get rid of"},
		"for good":  {"for good", "forever", "permanently", "for life", "completely", "once and for all", "for ever", "never came back", "never come back", "gone for good"},
		"endorse":   {"worked for me", "works for me", "worked for my", "it works", "it worked", "swear by", "trust me", "can vouch", "did wonders", "does wonders", "changed my life", "guaranteed"},
		"authority": {"my naturopath", "naturopath", "my chiropractor", "chiropractor", "my homeopath", "homeopath", "my healer", "my guru", "a coach", "my coach", "my nutritionist", "my herbalist", "influencer", "a doctor on youtube", "this doctor on tiktok"},
		"conspiracy": {"big pharma", "pharma", "they dont want you to know", "hiding the cure", "suppressed", "cover up",
			"covering it up", "wake up", "sheeple", "do your own research", "the truth about"},

		// People, for crisis about someone else.
		"other person": {"my daughter", "my son", "my kid", "my child", "my teen", "my teenager", "my friend", "my best friend",
			"my partner", "my husband", "my wife", "my boyfriend", "my girlfriend", "my mum", "my mom", "my dad",
			"my sister", "my brother", "my flatmate", "my roommate", "a friend", "my niece", "my nephew", "my grandson", "my granddaughter"},
		"third person":    {"she", "he", "they", "shes", "hes", "theyre"},
		"self harm act":   {"kill", "killing", "hurt", "hurting", "harm", "harming", "cut", "cutting", "burn", "burning", "end", "ending", "overdose", "overdosing", "od", "starve", "starving"},
		"reflexive other": {"herself", "himself", "themselves", "themself"},
		"death wish":      {"want to die", "wants to die", "wanted to die", "wanna die", "wish i was dead", "wishes she was dead", "wishes he was dead", "better off dead", "dont want to live", "doesnt want to live", "doesnt want to be here", "dont want to be here", "no reason to live", "not worth living"},

		// Body and symptoms, for red flags: the symptom words are shared
		// (vocab.RedFlags); these are screening's own.
		"one side":     {"one side", "one sided", "left side", "right side", "half my", "half of my", "half her", "half his", "half of her", "half of his", "half the", "half of the", "my left", "my right", "her left", "her right", "his left", "his right", "one arm", "one leg", "one hand"},
		"face body":    {"face", "arm", "arms", "leg", "legs", "hand", "hands", "body", "side", "mouth", "lip", "cheek"},
		"headache":     {"headache", "headaches", "head pain", "pain in my head", "migraine", "head", "pain"},
		"eye sight":    {"sight", "vision", "eyesight", "seeing"},
		"lost":         {"lost", "lose", "losing", "loss of", "gone", "went black", "went dark", "blacked out", "no", "went", "cant see"},
		"preeclampsia": {"swelling", "swollen", "puffy", "blurred vision", "blurry vision", "seeing spots", "flashing lights", "vision change", "vision changes", "high blood pressure", "protein in my urine"},
	}
	// Medicines and red-flag symptoms come from the vocabulary shared
	// with library search (internal/vocab).
	for _, k := range append(vocab.Medicines(), vocab.RedFlags()...) {
		c[k.Name] = k.Says
	}
	c["acute med"] = concat(c["triptan"], c["gepant"], c["ditan"], c["nsaid"], c["paracetamol"], c["combination analgesic"],
		c["opioid"], c["ergot"], []string{"painkillers", "painkiller", "pain killers", "pain meds", "rescue meds", "rescue med"})
	c["preventive"] = concat(c["preventive drug"], c["cgrp mab"], []string{"atogepant", "qulipta"})
	c["any med"] = concat(c["acute med"], c["preventive"], c["generic med"])
	return c
}

func concat(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, w := range l {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

var conceptRef = regexp.MustCompile(`\{([a-z ]+)\}`)

// conceptExpander expands "{name}" in pack patterns to the concept's
// alternatives. An unknown name panics: the built-in pack is code, and a
// typo must fail its tests, not match nothing.
type conceptExpander map[string]string

func newConceptExpander() conceptExpander {
	out := conceptExpander{}
	for name, ws := range conceptLexicon() {
		ws = append([]string(nil), ws...)
		sort.Strings(ws)
		out[name] = "(" + strings.Join(ws, "|") + ")"
	}
	return out
}

func (x conceptExpander) expand(p string) string {
	return conceptRef.ReplaceAllStringFunc(p, func(m string) string {
		alt, ok := x[m[1:len(m)-1]]
		if !ok {
			panic("screening: unknown concept " + m)
		}
		return alt
	})
}
