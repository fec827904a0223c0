package library

import (
	"slices"
	"strings"

	"quietroom/internal/vocab"
)

// The lay-language layer: members write "A&E", "painkillers" and "the
// room spins"; the articles say emergency, analgesics and vertigo. Each
// phrase of the shared vocabulary (internal/vocab) brings the plain words
// of its concept into the query as extra alternatives of the member's own
// word, at a lower weight, so an article using the member's exact word
// still ranks first and one using the plain word is found too.

// Weights of the words a lay phrase brings in, against 1 for a word
// itself. A phrase of several words ("time of the month") stands for its
// concept alone, so its plain words weigh a little more.
const (
	layWeight       = 0.8
	layPhraseWeight = 0.8
	maxPhraseWords  = 6
)

// layTable maps each lay phrase, as the tokenizer folds it ("a e" for
// A&E), to the stems of its concepts' plain words. It never changes once
// built.
type layTable struct {
	phrases map[string][]string
	// single holds the one-word phrases of five letters or more, for
	// matching a misspelt word to one ("painkilers").
	single []string
}

func newLayTable(concepts []vocab.Concept) *layTable {
	lt := &layTable{phrases: map[string][]string{}}
	for _, c := range concepts {
		var means []string
		for _, m := range c.Means {
			tokenize(m, func(w []byte, _ int) {
				if s := string(w); !isStopWord(s) {
					means = appendNew(means, stem(s))
				}
			})
		}
		for _, say := range c.Says {
			key := phraseKey(say)
			if key == "" || strings.Count(key, " ") >= maxPhraseWords {
				continue
			}
			if _, seen := lt.phrases[key]; !seen && !strings.Contains(key, " ") && len(key) >= 5 {
				lt.single = append(lt.single, key)
			}
			for _, m := range means {
				lt.phrases[key] = appendNew(lt.phrases[key], m)
			}
		}
	}
	slices.Sort(lt.single)
	return lt
}

// phraseKey is s as the tokenizer sees it: folded words joined by spaces.
func phraseKey(s string) string {
	var b strings.Builder
	tokenize(s, func(w []byte, _ int) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.Write(w)
	})
	return b.String()
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// match returns the longest phrase starting at words[i], how many words
// it spans (0 for none) and its plain stems.
func (lt *layTable) match(words []string, i int) (int, []string) {
	for n := min(maxPhraseWords, len(words)-i); n >= 1; n-- {
		if means, ok := lt.phrases[strings.Join(words[i:i+n], " ")]; ok {
			return n, means
		}
	}
	return 0, nil
}

// closest returns the plain stems of the one-word phrase a misspelt word
// stands for, if one is within typo distance.
func (lt *layTable) closest(word string) []string {
	maxDist := typoDistance(len(word))
	if maxDist == 0 || !isASCIILower(word) {
		return nil
	}
	best, bestDist := "", maxDist+1
	for _, p := range lt.single {
		if d := len(p) - len(word); d > maxDist || -d > maxDist {
			continue
		}
		if d := editDistance(word, p, maxDist); d < bestDist {
			best, bestDist = p, d
		}
	}
	if best == "" {
		return nil
	}
	return lt.phrases[best]
}

// isQuestionWord lists words that shape a question rather than say what
// it is about: "what helps", "how fast", "when should I go to", "is it
// normal". They are dropped from a query that has other words, so they
// never outweigh its content words.
func isQuestionWord(w string) bool {
	switch w {
	case "help", "helps", "helped", "helping", "helpful",
		"fast", "faster", "quick", "quickly", "soon", "long", "often",
		"go", "going", "get", "gets", "got", "gotta",
		"need", "needs", "know", "tell", "told", "say", "said", "ask", "asking",
		"things", "stuff", "really", "literally", "basically", "kind", "sort",
		"ok", "okay", "fine", "please", "thanks", "thank", "hello", "hey",
		"stupid", "dumb", "anybody", "someone", "somebody",
		"want", "wanna", "wanted", "try", "tried", "trying", "better", "ways",
		"use", "used", "using", "work", "works", "worked", "take", "taking", "took", "makes",
		"mean", "means", "happen", "happens", "keep", "kept", "supposed", "symptom", "symptoms", "feel", "feels",
		"much", "many", "lot", "lots", "also", "still", "even", "ever", "every", "always", "sometimes",
		"today", "yesterday", "recently", "whats", "hows", "whens", "wheres", "shall", "may", "might", "must",
		"until", "till", "unless", "though", "although", "whether", "yet", "since", "anymore", "already",
		"almost", "quite", "rather", "maybe", "perhaps", "probably", "possibly", "able", "anything",
		"something", "everything", "nothing", "around", "next", "straight", "there",
		"explain", "simple", "simply", "exactly", "weird", "strange", "funny", "odd",
		"u", "ur", "pls", "plz", "thx", "lol", "omg", "idk", "tbh":
		return true
	}
	return false
}
