package library

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync"

	"quietroom/internal/vocab"
)

// Index is an immutable, ranked full-text index of articles, safe for
// concurrent use. Build one for the built-in articles at start-up with
// NewIndex; for a tenant, call With on it to get a view that adds the
// tenant's own articles. A view is cheap (only the tenant's few articles are
// analysed), never changes the index it came from, and sees nothing of any
// other tenant.
type Index struct {
	segs []*segment
	// hidden marks, per segment, documents shadowed by a later document
	// with the same slug: a tenant article replaces a built-in of that slug.
	hidden [][]bool
	docs   int // documents in all segments, for idf
	avgLen [numFields]float64
	norms  [][]fieldNorms // per segment and document
	lay    *layTable      // shared by every view of one index
	// closest holds trigrams of the articles' words for ClosestTopics,
	// built on the first search that finds nothing.
	closest func() [][]gramWords
}

// NewIndex indexes articles. If two share a slug, the later one wins.
func NewIndex(articles []Article) *Index {
	return newIndex([]*segment{newSegment(articles)}, newLayTable(vocab.All()))
}

// With returns a view of ix that also holds articles, typically one
// tenant's. Search, BySlug, ByTag and ByTopic on the view cover both; an
// article whose slug matches one in ix takes its place in the view.
func (ix *Index) With(articles []Article) *Index {
	if len(articles) == 0 {
		return ix
	}
	segs := append(slices.Clip(ix.segs), newSegment(articles))
	return newIndex(segs, ix.lay)
}

func newIndex(segs []*segment, lay *layTable) *Index {
	ix := &Index{segs: segs, hidden: make([][]bool, len(segs)), lay: lay}
	var lenSum [numFields]int64
	seen := map[string]bool{}
	for si := len(segs) - 1; si >= 0; si-- {
		s := segs[si]
		ix.docs += len(s.docs)
		for f := range lenSum {
			lenSum[f] += s.lenSum[f]
		}
		for di := len(s.docs) - 1; di >= 0; di-- {
			slug := s.docs[di].article.Slug
			if seen[slug] {
				if ix.hidden[si] == nil {
					ix.hidden[si] = make([]bool, len(s.docs))
				}
				ix.hidden[si][di] = true
			}
			seen[slug] = true
		}
	}
	for f := range lenSum {
		if ix.docs > 0 {
			ix.avgLen[f] = float64(lenSum[f]) / float64(ix.docs)
		}
	}
	ix.computeNorms()
	ix.closest = sync.OnceValue(ix.newClosestTable)
	return ix
}

func (ix *Index) isHidden(seg, doc int) bool {
	return ix.hidden[seg] != nil && ix.hidden[seg][doc]
}

// BySlug returns the article with that slug.
func (ix *Index) BySlug(slug string) (Article, bool) {
	for si := len(ix.segs) - 1; si >= 0; si-- {
		if di, ok := ix.segs[si].bySlug[slug]; ok {
			return ix.segs[si].docs[di].article.clone(), true
		}
	}
	return Article{}, false
}

// ByTag returns the articles carrying tag, such as a diagnosis like
// "vestibular", sorted by title.
func (ix *Index) ByTag(tag string) []Article {
	tag = normTag(tag)
	var out []Article
	for si, s := range ix.segs {
		for _, di := range s.byTag[tag] {
			if !ix.isHidden(si, int(di)) {
				out = append(out, s.docs[di].article.clone())
			}
		}
	}
	sortByTitle(out)
	return out
}

// Articles returns every article in the index, sorted by title.
func (ix *Index) Articles() []Article {
	var out []Article
	ix.each(func(a *Article) { out = append(out, a.clone()) })
	sortByTitle(out)
	return out
}

// TopicSection is one topic's articles, for a library contents page.
type TopicSection struct {
	Topic    Topic
	Articles []Article // sorted by title
}

// ByTopic returns the articles grouped by topic, topics in the order of
// Topics and empty ones left out. Articles with a topic not in Topics (a
// tenant's, say) come last, under their key.
func (ix *Index) ByTopic() []TopicSection {
	groups := map[string][]Article{}
	ix.each(func(a *Article) { groups[a.Topic] = append(groups[a.Topic], a.clone()) })
	var out []TopicSection
	for _, t := range Topics() {
		if as := groups[t.Key]; len(as) > 0 {
			sortByTitle(as)
			out = append(out, TopicSection{Topic: t, Articles: as})
			delete(groups, t.Key)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		as := groups[key]
		sortByTitle(as)
		out = append(out, TopicSection{Topic: Topic{Key: key, Label: key}, Articles: as})
	}
	return out
}

func (ix *Index) each(fn func(*Article)) {
	for si, s := range ix.segs {
		for di := range s.docs {
			if !ix.isHidden(si, di) {
				fn(&s.docs[di].article)
			}
		}
	}
}

// sortByTitle orders articles as a library shelf would: by title, ignoring
// case and a leading "The", "A" or "An", then by slug.
func sortByTitle(as []Article) {
	slices.SortStableFunc(as, func(a, b Article) int {
		return cmp.Or(strings.Compare(titleKey(a.Title), titleKey(b.Title)), strings.Compare(a.Slug, b.Slug))
	})
}

func titleKey(title string) string {
	t := foldText(title)
	for _, article := range []string{"the ", "a ", "an "} {
		if rest, ok := strings.CutPrefix(t, article); ok {
			return rest
		}
	}
	return t
}
