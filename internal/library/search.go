package library

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Result is one search hit.
type Result struct {
	Slug    string
	Title   string
	Summary string
	Topic   string
	Builtin bool
	Score   float64
	// Snippet is plain text from the body around the best match, for
	// showing under the title; escape it like any other text.
	Snippet string
}

// Search limits.
const (
	defaultLimit  = 10
	maxLimit      = 50
	maxQueryBytes = 500 // longer queries are cut, then...
	maxQueryTerms = 16  // ...only this many distinct terms are kept (a bit each in a uint16)
	maxTypoAlts   = 3   // vocabulary words one misspelt word may stand for
)

// Search returns up to limit articles matching query, best first; limit
// <= 0 means 10. A query with no searchable words returns nothing.
//
// Ranking is BM25F over title, summary, tags, the everyday questions an
// article declares, and body. Query and text go through the same
// analysis: accents and case folded, stop words dropped, English words
// stemmed, so "Triggered" finds "triggers". Lay phrases of the shared
// vocabulary (internal/vocab: "A&E", "time of the month", "painkillers")
// bring in the plain words the articles use, at a lower weight than the
// member's own words; words that only shape a question ("what helps",
// "how fast") are dropped when the query says anything else. A query word
// of five letters or more that no article contains is matched to
// vocabulary words one edit away (two from eight letters), at a reduced
// weight. A document's score is then scaled by the share of query terms
// it contains, so articles matching more of the query rank higher, and
// the leading hits get a bonus where query words stand next to each other
// and where one of the article's questions holds most of the query.
func (ix *Index) Search(query string, limit int) []Result {
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	terms := ix.lookup(parseQuery(query, ix.lay))
	if len(terms) == 0 {
		return nil
	}
	matchers := ix.matchers(terms)
	top := ix.score(terms, max(limit, rerankDepth))
	// Rerank the leading hits of a query of several terms: a bonus where
	// its words stand side by side, and where one of the article's
	// questions holds most of them.
	if len(terms) > 1 {
		for i, h := range top {
			if h.matched > 1 {
				d := &ix.segs[h.seg].docs[h.doc]
				top[i].score *= 1 + phraseBoost*d.phraseShare(&matchers[h.seg], len(terms)) +
					questionBoost*d.questionShare(&matchers[h.seg], terms)
			}
		}
		slices.SortFunc(top, ix.compareHits)
	}
	top = top[:min(len(top), limit)]
	out := make([]Result, len(top))
	for i, h := range top {
		d := &ix.segs[h.seg].docs[h.doc]
		out[i] = Result{
			Slug: d.article.Slug, Title: d.article.Title, Summary: d.article.Summary,
			Topic: d.article.Topic, Builtin: d.article.Builtin,
			Score:   h.score,
			Snippet: d.snippet(&matchers[h.seg], terms),
		}
	}
	return out
}

// queryTerm is one distinct word or lay phrase of the query and what it
// matches: its own stem, or failing that the stems of words it may be a
// typo of, and the plain words of its lay concepts (see lay.go).
type queryTerm struct {
	word, stem string
	// means holds the stems of the plain words a lay phrase stands for;
	// phrase is true when the term is a phrase of several words, which
	// stands for its concept alone.
	means  []string
	phrase bool
	alts   []termAlt
}

type termAlt struct {
	stem   string
	weight float64 // 1 for the word itself, less for a typo or lay match
	lay    bool    // brought in by a lay phrase
	idf    float64
	ids    []int32 // term id in each segment, -1 where absent
}

// parseQuery analyses query like article text and keeps the first
// maxQueryTerms distinct terms. Lay phrases ("time of the month") are
// found first, stop words and all, and each becomes one term; question
// words ("what helps", "how fast") are then dropped if anything else is
// left.
func parseQuery(query string, lt *layTable) []queryTerm {
	if len(query) > maxQueryBytes {
		cut := maxQueryBytes
		for cut > 0 && !utf8.RuneStart(query[cut]) {
			cut--
		}
		query = query[:cut]
	}
	var words []string
	tokenize(query, func(word []byte, _ int) { words = append(words, string(word)) })
	var terms []queryTerm
	content := false
	add := func(t queryTerm) {
		if len(terms) < maxQueryTerms && !slices.ContainsFunc(terms, func(o queryTerm) bool { return o.stem == t.stem }) {
			terms = append(terms, t)
		}
	}
	for i := 0; i < len(words); {
		n, means := 0, []string(nil)
		if lt != nil {
			n, means = lt.match(words, i)
		}
		if n > 1 {
			phrase := strings.Join(words[i:i+n], " ")
			add(queryTerm{word: phrase, stem: phrase, means: means, phrase: true})
			content = true
			i += n
			continue
		}
		w := words[i]
		i++
		if len(w) < 2 && (w[0] < '0' || w[0] > '9') || isStopWord(w) && n == 0 {
			continue
		}
		if n == 0 && isQuestionWord(w) {
			add(queryTerm{word: w, stem: "?" + stem(w)}) // resolved only if nothing else is left
			continue
		}
		content = true
		add(queryTerm{word: w, stem: stem(w), means: means})
	}
	if content {
		terms = slices.DeleteFunc(terms, func(t queryTerm) bool { return strings.HasPrefix(t.stem, "?") })
	} else {
		for i := range terms {
			terms[i].stem = strings.TrimPrefix(terms[i].stem, "?")
		}
	}
	return terms
}

// lookup resolves each query term against the index, dropping terms that
// match nothing: they cannot change the order of results.
func (ix *Index) lookup(terms []queryTerm) []queryTerm {
	out := terms[:0]
	for _, t := range terms {
		t.alts = nil
		if !t.phrase {
			if alt, ok := ix.alt(t.stem, 1); ok {
				t.alts = append(t.alts, alt)
			}
		}
		means := t.means
		if len(t.alts) == 0 && len(means) == 0 && ix.lay != nil {
			means = ix.lay.closest(t.word)
		}
		weight := layWeight
		if len(t.alts) == 0 {
			weight = layPhraseWeight
		}
		for _, m := range means {
			if m == t.stem {
				continue
			}
			if alt, ok := ix.alt(m, weight); ok {
				alt.lay = true
				if len(t.alts) > 0 {
					// Where the member's own word is in the library, a plain
					// word never counts for more than it: a rarer plain word
					// must not outrank the word they typed.
					alt.idf = min(alt.idf, t.alts[0].idf)
				}
				t.alts = append(t.alts, alt)
			}
		}
		if len(t.alts) == 0 && !t.phrase {
			t.alts = ix.typoAlts(t.word)
		}
		if len(t.alts) > 0 {
			out = append(out, t)
		}
	}
	return out
}

func (ix *Index) alt(stem string, weight float64) (termAlt, bool) {
	alt := termAlt{stem: stem, weight: weight, ids: make([]int32, len(ix.segs))}
	df := 0
	for si, s := range ix.segs {
		id, ok := s.terms[stem]
		if !ok {
			alt.ids[si] = -1
			continue
		}
		alt.ids[si] = id
		df += len(s.postings[id])
	}
	if df == 0 {
		return termAlt{}, false
	}
	n := float64(ix.docs)
	alt.idf = math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
	return alt, true
}

func (ix *Index) typoAlts(word string) []termAlt {
	maxDist := typoDistance(len(word))
	if maxDist == 0 || !isASCIILower(word) {
		return nil
	}
	variants := deletionVariants(word, maxDist)
	found := map[string]int{}
	for _, s := range ix.segs {
		s.typoCandidates(variants, word, maxDist, found)
	}
	// Fold candidate words into stems, keeping each stem's closest word.
	dist := map[string]int{}
	for w, d := range found {
		st := ix.stemOf(w)
		if old, ok := dist[st]; !ok || d < old {
			dist[st] = d
		}
	}
	var alts []termAlt
	for st, d := range dist {
		// One edit keeps 70% of the weight, two edits 50%.
		if alt, ok := ix.alt(st, 0.9-0.2*float64(d)); ok {
			alts = append(alts, alt)
		}
	}
	// Prefer the closest, then the more common word: a typo is more likely
	// of a word people use.
	slices.SortFunc(alts, func(a, b termAlt) int {
		return cmp.Or(cmp.Compare(b.weight, a.weight), cmp.Compare(a.idf, b.idf), cmp.Compare(a.stem, b.stem))
	})
	return alts[:min(len(alts), maxTypoAlts)]
}

func (ix *Index) stemOf(word string) string {
	for _, s := range ix.segs {
		if st, ok := s.words[word]; ok {
			return st
		}
	}
	return stem(word)
}
