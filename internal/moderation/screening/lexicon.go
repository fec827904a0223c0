package screening

// lexicon is the vocabulary of every word any rule or context phrase
// uses. Message tokens are looked up once; a token no phrase uses gets no
// candidates and costs nothing more.
type lexicon struct {
	index   map[string]int32   // form in a message → its entry
	entries []lexEntry         // the vocabulary ids a form can be, and its class
	loose   map[string][]int32 // squeezed form → ids, for stretched words
	vocab   []string           // id → canonical word
	class   []uint16           // id → word class bits

	numWords map[string]int32    // "ten" → 10
	units    map[string]bool     // "mg" in "400mg"
	aliases  map[string][]string // chat spelling → words ("ur" → your, youre)
	canon    map[string]string   // rule word → canonical word ("u" → you)

	linkID, repeatID int32
}

type lexEntry struct {
	ids   []int32
	class uint16 // classes of the word itself, not of its aliases
	num   int32  // value of a number word ("ten"), or -1
}

// Word classes used to read context.
const (
	clsFiller      uint16 = 1 << iota // may come before a clause-opening phrase: "so", "honestly"
	clsBreaker                        // starts a new clause: "but", "and", "if"
	clsAdverb                         // skipped when finding who is speaking: "really", "always"
	clsFirstPerson                    // "I", "we": the writer's own words
	clsNegator                        // "not", "never": a gap in a phrase may not skip one
	clsNegStop                        // ends a negator's reach: "if it doesn't work just take ..."
)

func newLexicon() *lexicon {
	lx := &lexicon{
		index:    map[string]int32{},
		loose:    map[string][]int32{},
		numWords: numberWords(),
		units:    unitWords(),
		aliases:  chatAliases(),
		canon:    map[string]string{},
	}
	for form, to := range lx.aliases {
		if len(to) == 1 && form[0] >= 'a' && form[0] <= 'z' {
			lx.canon[form] = to[0]
		}
	}
	for w, v := range lx.numWords {
		lx.entries[lx.entryFor(w)].num = v
	}
	lx.linkID = lx.intern("<link>")
	lx.repeatID = lx.intern("<repeat>")
	return lx
}

// intern returns the id of a canonical word, adding it if new.
func (lx *lexicon) intern(w string) int32 {
	e := lx.entryFor(w)
	for _, id := range lx.entries[e].ids {
		if lx.vocab[id] == w {
			return id
		}
	}
	id := int32(len(lx.vocab))
	lx.vocab = append(lx.vocab, w)
	lx.class = append(lx.class, 0)
	lx.entries[e].ids = append(lx.entries[e].ids, id)
	sq := string(squeeze(nil, []byte(w)))
	lx.loose[sq] = append(lx.loose[sq], id)
	return id
}

// entryFor returns the entry of a form, adding an empty one if new.
func (lx *lexicon) entryFor(form string) int32 {
	if e, ok := lx.index[form]; ok {
		return e
	}
	e := int32(len(lx.entries))
	lx.entries = append(lx.entries, lexEntry{num: -1})
	lx.index[form] = e
	return e
}

// lookup finds a message form's entry, or -1. The map key conversion
// does not allocate.
func (lx *lexicon) lookup(form []byte) int32 {
	if e, ok := lx.index[string(form)]; ok {
		return e
	}
	return -1
}

// canonical maps a rule word to the word messages are matched against.
func (lx *lexicon) canonical(w string) string {
	if c, ok := lx.canon[w]; ok {
		return c
	}
	return w
}

func (lx *lexicon) mark(w string, bits uint16) {
	id := lx.intern(w)
	lx.class[id] |= bits
}

// finish links chat spellings to the words they stand for and copies
// word classes into the lookup entries. Run once, after every phrase.
func (lx *lexicon) finish() {
	for form, to := range lx.aliases {
		for _, w := range to {
			e, ok := lx.index[w]
			if !ok {
				continue
			}
			id := lx.entries[e].ids[0]
			if lx.vocab[id] != w {
				continue
			}
			a := lx.entryFor(form)
			if !containsID(lx.entries[a].ids, id) {
				lx.entries[a].ids = append(lx.entries[a].ids, id)
			}
		}
	}
	for w, e := range lx.index {
		lx.entries[e].class = 0
		for _, id := range lx.entries[e].ids {
			if lx.vocab[id] == w {
				lx.entries[e].class = lx.class[id]
			}
		}
	}
}

func (lx *lexicon) isUnit(b []byte) bool {
	return lx != nil && len(b) > 0 && lx.units[string(b)]
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func numberWords() map[string]int32 {
	return map[string]int32{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
		"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "dozen": 12, "hundred": 100,
	}
}

// unitWords may follow a number inside one word ("400mg", "2x", "3rd").
func unitWords() map[string]bool {
	m := map[string]bool{}
	for _, u := range []string{"mg", "mcg", "ug", "g", "gr", "ml", "mls", "l", "x", "h", "hr", "hrs",
		"min", "mins", "s", "sec", "secs", "st", "nd", "rd", "th", "am", "pm", "k", "kg", "lb", "lbs",
		"iu", "d", "day", "days", "wk", "wks", "y", "yr", "yrs", "yo", "m", "mo", "mos", "pc", "pcs",
		"tabs", "pills", "ish", "s"} {
		m[u] = true
	}
	return m
}

// chatAliases are spellings members type for common words.
func chatAliases() map[string][]string {
	return map[string][]string{
		"u": {"you"}, "ya": {"you"}, "yu": {"you"}, "yall": {"you"}, "r": {"are"},
		"ur": {"your", "youre"}, "yr": {"your"}, "ure": {"youre"}, "ppl": {"people"},
		"pls": {"please"}, "plz": {"please"}, "cuz": {"because"}, "coz": {"because"},
		"bc": {"because"}, "tho": {"though"}, "thru": {"through"}, "n": {"and"},
		"2": {"to"}, "4": {"for"}, "urself": {"yourself"}, "ima": {"im"},
	}
}
