package library

import (
	"cmp"
	"slices"
	"strings"
)

// When a search finds nothing, the reader should not face an empty page:
// ClosestTopics offers the shelves whose words look most like theirs
// (a misspelling too far gone for typo matching, a word the library does
// not use), so there is always somewhere to go next.

// closestMinSimilarity is how alike two words must be, as the share of
// letter trigrams they have in common, to count as close.
const closestMinSimilarity = 0.3

// gramWords is the distinct words of one article, each as a sorted set of
// letter trigrams.
type gramWords [][]uint32

// newClosestTable builds the trigram sets of each document's title,
// summary, tags and questions; it runs on the first search that finds
// nothing.
func (ix *Index) newClosestTable() [][]gramWords {
	out := make([][]gramWords, len(ix.segs))
	for si, s := range ix.segs {
		out[si] = make([]gramWords, len(s.docs))
		for di := range s.docs {
			a := &s.docs[di].article
			seen := map[string]bool{}
			var gw gramWords
			text := a.Title + " " + a.Summary + " " + strings.Join(a.Tags, " ") + " " + strings.Join(a.Questions, " ")
			tokenize(text, func(w []byte, _ int) {
				word := string(w)
				if len(word) < 3 || isStopWord(word) || seen[word] {
					return
				}
				seen[word] = true
				gw = append(gw, trigrams(word))
			})
			out[si][di] = gw
		}
	}
	return out
}

// trigrams returns the letter trigrams of word padded with spaces
// (" mi", "mig", ..., "ne "), sorted and without repeats.
func trigrams(word string) []uint32 {
	p := " " + word + " "
	out := make([]uint32, 0, len(p))
	for i := 0; i+3 <= len(p); i++ {
		out = append(out, uint32(p[i])<<16|uint32(p[i+1])<<8|uint32(p[i+2]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// similarity is the Jaccard index of two sorted trigram sets.
func similarity(a, b []uint32) float64 {
	common, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

// ClosestTopics returns up to n topics for a query that found nothing:
// those whose articles' titles, summaries, tags and questions hold words
// spelt most like the query's, each with up to perTopic of its closest
// articles; when no word is close, the topics a newcomer starts with
// (basics, treatments, community). Topics are in order of closeness.
func (ix *Index) ClosestTopics(query string, n, perTopic int) []TopicSection {
	var qgrams [][]uint32
	for _, t := range parseQuery(query, nil) {
		if len(t.word) >= 3 {
			qgrams = append(qgrams, trigrams(t.word))
		}
	}
	table := ix.closest()
	type scored struct {
		a     Article
		score float64
	}
	byTopic := map[string][]scored{}
	ix.eachAt(func(si, di int, a *Article) {
		score := 0.0
		for _, q := range qgrams {
			best := 0.0
			for _, w := range table[si][di] {
				best = max(best, similarity(q, w))
			}
			if best >= closestMinSimilarity {
				score += best
			}
		}
		byTopic[a.Topic] = append(byTopic[a.Topic], scored{*a, score})
	})
	type topicScore struct {
		section TopicSection
		score   float64
		order   int
	}
	var topics []topicScore
	for order, s := range ix.ByTopic() {
		arts := byTopic[s.Topic.Key]
		slices.SortStableFunc(arts, func(x, y scored) int {
			return cmp.Or(cmp.Compare(y.score, x.score), strings.Compare(titleKey(x.a.Title), titleKey(y.a.Title)))
		})
		ts := topicScore{section: TopicSection{Topic: s.Topic}, order: order}
		if len(arts) > 0 {
			ts.score = arts[0].score
		}
		for _, sc := range arts[:min(perTopic, len(arts))] {
			ts.section.Articles = append(ts.section.Articles, sc.a.clone())
		}
		topics = append(topics, ts)
	}
	slices.SortStableFunc(topics, func(x, y topicScore) int { return cmp.Compare(y.score, x.score) })
	var out []TopicSection
	for _, t := range topics {
		if len(out) < n && t.score > 0 {
			out = append(out, t.section)
		}
	}
	if len(out) == 0 {
		// Nothing is close: offer where a newcomer would start.
		for _, key := range []string{"basics", "treatments", "community"} {
			i := slices.IndexFunc(topics, func(t topicScore) bool { return t.section.Topic.Key == key })
			if i >= 0 && len(out) < n {
				out = append(out, topics[i].section)
			}
		}
	}
	return out
}

// eachAt is each with the segment and document index.
func (ix *Index) eachAt(fn func(si, di int, a *Article)) {
	for si, s := range ix.segs {
		for di := range s.docs {
			if !ix.isHidden(si, di) {
				fn(si, di, &s.docs[di].article)
			}
		}
	}
}
