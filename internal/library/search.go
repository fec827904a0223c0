package library

import (
	"cmp"
	"math"
	"slices"
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
	maxQueryTerms = 8   // ...only this many distinct terms are kept (a bit each in a uint8)
	maxTypoAlts   = 3   // vocabulary words one misspelt word may stand for
)

// Search returns up to limit articles matching query, best first; limit
// <= 0 means 10. A query with no searchable words returns nothing.
//
// Ranking is BM25F over title, summary, tags and body. Query and text go
// through the same analysis: accents and case folded, stop words dropped,
// English words stemmed, so "Triggered" finds "triggers". A query word
// of five letters or more that no article contains is matched to
// vocabulary words one edit away (two from eight letters), at a reduced
// weight. A document's score is then scaled by the share of query words it
// contains, so articles matching more of the query rank higher, and the
// leading hits get a bonus where query words stand next to each other.
func (ix *Index) Search(query string, limit int) []Result {
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	terms := ix.lookup(parseQuery(query))
	if len(terms) == 0 {
		return nil
	}
	matchers := ix.matchers(terms)
	top := ix.score(terms, max(limit, rerankDepth))
	if len(terms) > 1 {
		for i, h := range top {
			if h.matched > 1 {
				top[i].score *= 1 + phraseBoost*ix.segs[h.seg].docs[h.doc].phraseShare(&matchers[h.seg], len(terms))
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

// queryTerm is one distinct word of the query and what it matches: its
// own stem, or failing that the stems of words it may be a typo of.
type queryTerm struct {
	word, stem string
	alts       []termAlt
}

type termAlt struct {
	stem   string
	weight float64 // 1 for the word itself, less for a typo match
	idf    float64
	ids    []int32 // term id in each segment, -1 where absent
}

// parseQuery analyses query like article text and keeps the first
// maxQueryTerms distinct stems.
func parseQuery(query string) []queryTerm {
	if len(query) > maxQueryBytes {
		cut := maxQueryBytes
		for cut > 0 && !utf8.RuneStart(query[cut]) {
			cut--
		}
		query = query[:cut]
	}
	var terms []queryTerm
	tokenize(query, func(word []byte, _ int) {
		w := string(word)
		if len(terms) == maxQueryTerms || len(w) < 2 && (w[0] < '0' || w[0] > '9') || isStopWord(w) {
			return
		}
		st := stem(w)
		if !slices.ContainsFunc(terms, func(t queryTerm) bool { return t.stem == st }) {
			terms = append(terms, queryTerm{word: w, stem: st})
		}
	})
	return terms
}

// lookup resolves each query term against the index, dropping terms that
// match nothing: they cannot change the order of results.
func (ix *Index) lookup(terms []queryTerm) []queryTerm {
	out := terms[:0]
	for _, t := range terms {
		if alt, ok := ix.alt(t.stem, 1); ok {
			t.alts = []termAlt{alt}
		} else {
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
