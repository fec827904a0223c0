package library

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
)

// Scoring parameters. The field weights make a word in the title or tags
// count several times one in the body; b sets how much a long field is
// discounted (BM25F).
const (
	k1          = 1.2
	phraseBoost = 0.3 // added in full when every neighbouring query pair appears side by side
	// questionBoost is added in full when one of the article's questions
	// holds every query term (see questionShare).
	questionBoost = 1.0
	rerankDepth   = 30 // how many top hits are checked for phrases
	// questionWeight is the weight of the everyday questions an article
	// declares: more than its summary, since each was written to match
	// how a member asks, less than its title.
	questionWeight = 2.5
)

func fieldWeight(f int) float64 {
	switch f {
	case fieldTitle:
		return 4
	case fieldTags:
		return 3
	case fieldSummary:
		return 2
	case fieldQuestions:
		return questionWeight
	}
	return 1
}

func fieldB(f int) float64 {
	switch f {
	case fieldTitle:
		return 0.3
	case fieldSummary, fieldQuestions:
		return 0.5
	case fieldBody:
		return 0.75
	}
	return 0 // tags: a list, not prose, so length says nothing
}

// hit is a scored document: segment and document index, and how many
// query terms it matched.
type hit struct {
	seg, doc int
	score    float64
	matched  int
}

// compareHits orders hits best first; equal scores fall back to title
// order so results never shuffle between identical searches.
func (ix *Index) compareHits(a, b hit) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	da, db := &ix.segs[a.seg].docs[a.doc], &ix.segs[b.seg].docs[b.doc]
	return cmp.Or(strings.Compare(da.sortKey, db.sortKey), strings.Compare(da.article.Slug, db.article.Slug))
}

// score computes BM25F for every document matching at least one term and
// returns the best k, best first. For a term with several alternatives
// (typo matches) a document counts its best one, so a typo never
// outweighs the word it stands for.
func (ix *Index) score(terms []queryTerm, k int) []hit {
	top := make([]hit, 0, k)
	var acc, best []float64
	var matched []uint8
	var touched []int32
	for si, s := range ix.segs {
		// Reuse the score arrays from segment to segment.
		acc = slices.Grow(acc[:0], len(s.docs))[:len(s.docs)]
		best = slices.Grow(best[:0], len(s.docs))[:len(s.docs)]
		matched = slices.Grow(matched[:0], len(s.docs))[:len(s.docs)]
		clear(acc)
		clear(best)
		clear(matched)
		for _, t := range terms {
			for _, alt := range t.alts {
				id := alt.ids[si]
				if id < 0 {
					continue
				}
				norms := ix.norms[si]
				for _, p := range s.postings[id] {
					sc := alt.weight * alt.idf * saturatedTF(p, &norms[p.doc])
					if sc > best[p.doc] {
						if best[p.doc] == 0 {
							touched = append(touched, p.doc)
						}
						best[p.doc] = sc
					}
				}
			}
			for _, d := range touched {
				acc[d] += best[d]
				matched[d]++
				best[d] = 0
			}
			touched = touched[:0]
		}
		for d, sc := range acc {
			if sc == 0 || ix.isHidden(si, d) {
				continue
			}
			// Coordination: a document with two of three query words keeps
			// two thirds of its score.
			n := int(matched[d])
			h := hit{seg: si, doc: d, score: sc * float64(n) / float64(len(terms)), matched: n}
			top = ix.offer(top, h)
		}
	}
	return top
}

// offer inserts h into top, kept sorted best first and no longer than its
// capacity: a bounded selection, cheaper than sorting every match.
func (ix *Index) offer(top []hit, h hit) []hit {
	if len(top) == cap(top) && ix.compareHits(h, top[len(top)-1]) >= 0 {
		return top
	}
	i, _ := slices.BinarySearchFunc(top, h, ix.compareHits)
	if len(top) < cap(top) {
		top = append(top, hit{})
	}
	copy(top[i+1:], top[i:len(top)-1])
	top[i] = h
	return top
}

// fieldNorms holds, per field of one document, the field's weight divided
// by BM25F's length normalisation, 1 - b + b*len/avgLen.
type fieldNorms [numFields]float32

// norms computes fieldNorms for every document of every segment. They
// depend on average field lengths, so each Index, view or not, has its own.
func (ix *Index) computeNorms() {
	ix.norms = make([][]fieldNorms, len(ix.segs))
	for si, s := range ix.segs {
		ns := make([]fieldNorms, len(s.docs))
		for di := range s.docs {
			for f, n := range s.docs[di].lens {
				norm := 1.0
				if b := fieldB(f); b > 0 && ix.avgLen[f] > 0 {
					norm = 1 - b + b*float64(n)/ix.avgLen[f]
				}
				ns[di][f] = float32(fieldWeight(f) / norm)
			}
		}
		ix.norms[si] = ns
	}
}

// saturatedTF is BM25F's tf/(k1+tf), where tf adds up the term's
// occurrences over fields, each weighted and normalised by field length.
func saturatedTF(p posting, norms *fieldNorms) float64 {
	var tf float32
	for f, n := range p.tf {
		tf += float32(n) * norms[f]
	}
	return float64(tf) / (k1 + float64(tf))
}

// termMatcher tells, for one segment, which query terms a term id stands
// for, as a bit set with bit i for query term i. filter has bit id%64 set
// for each id, so most words of a document are turned away at once.
// own marks the ids that are the member's own words (or typos of them),
// not words a lay phrase brought in: snippets prefer those.
type termMatcher struct {
	ids    []int32
	bits   []uint16
	own    []bool
	filter uint64
}

func (m *termMatcher) mask(term int32) uint16 {
	b, _ := m.masks(term)
	return b
}

// masks returns the query terms id stands for, and those of them for
// which it is the member's own word.
func (m *termMatcher) masks(term int32) (all, own uint16) {
	if term < 0 || m.filter&(1<<(uint32(term)&63)) == 0 {
		return 0, 0
	}
	for i, id := range m.ids {
		if id == term {
			all |= m.bits[i]
			if m.own[i] {
				own |= m.bits[i]
			}
		}
	}
	return all, own
}

func (ix *Index) matchers(terms []queryTerm) []termMatcher {
	ms := make([]termMatcher, len(ix.segs))
	for si := range ix.segs {
		for ti, t := range terms {
			for _, alt := range t.alts {
				if id := alt.ids[si]; id >= 0 {
					ms[si].ids = append(ms[si].ids, id)
					ms[si].bits = append(ms[si].bits, 1<<ti)
					ms[si].own = append(ms[si].own, !alt.lay)
					ms[si].filter |= 1 << (uint32(id) & 63)
				}
			}
		}
	}
	return ms
}

// questionShare is how much of the query the article's best matching
// question covers, from 0 to 1: the query terms found in that one
// question, each weighted by how rare it is, and by half where only a
// word its lay phrase brought in is there. A query that one declared
// question nearly restates is very likely answered by that article.
func (d *docEntry) questionShare(m *termMatcher, terms []queryTerm) float64 {
	var total float64
	for _, t := range terms {
		total += t.alts[0].idf
	}
	if total == 0 {
		return 0
	}
	best := 0.0
	var all, own uint16
	for _, t := range d.toks[d.qFrom:d.qTo] {
		if t.term >= 0 {
			a, o := m.masks(t.term)
			all, own = all|a, own|o
			continue
		}
		var got float64
		for i, qt := range terms {
			switch {
			case own&(1<<i) != 0:
				got += qt.alts[0].idf
			case all&(1<<i) != 0:
				got += qt.alts[0].idf / 2
			}
		}
		best = max(best, got/total)
		all, own = 0, 0
	}
	return best
}

// phraseShare is the share of neighbouring query-word pairs that also
// stand side by side (stop words aside) in the document's title, summary
// or body.
func (d *docEntry) phraseShare(m *termMatcher, nTerms int) float64 {
	want := uint16(1)<<(nTerms-1) - 1 // bit i: terms i and i+1 adjacent
	var found, prev uint16
	for _, t := range d.toks {
		cur := m.mask(t.term)
		if found |= prev & (cur >> 1); found&want == want {
			break
		}
		prev = cur
	}
	return float64(bits.OnesCount16(found&want)) / float64(nTerms-1)
}
