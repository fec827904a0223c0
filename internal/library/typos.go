package library

// Typo tolerance uses a deletion neighbourhood (as in SymSpell): every
// vocabulary word is stored under itself and under each way of deleting one
// letter from it. A query word is looked up under itself and its own
// deletions (one or two letters); any hit is then confirmed with a real edit
// distance. That finds every word within one edit (an insertion, deletion,
// substitution or swap of neighbours) and, for long words, two-edit slips
// where the query has one or two letters too many, or one too many and one
// wrong, all without scanning the vocabulary. (Two wrong or two missing
// letters would need a far larger table; such words are left unmatched.)

// minTypoWordLen is the shortest indexed word a typo may resolve to.
const minTypoWordLen = 4

// typoDistance is how many edits a query word of that length may be from a
// vocabulary word: none below five letters, where a slip makes a different
// word more often than a typo; two from eight letters up.
func typoDistance(n int) int {
	switch {
	case n < 5:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

func (s *segment) buildDeletes() map[string][]string {
	deletes := make(map[string][]string, 8*len(s.words))
	for w, st := range s.words {
		if st == "" || len(w) < minTypoWordLen || !isASCIILower(w) {
			continue
		}
		deletes[w] = append(deletes[w], w)
		for i := range len(w) {
			d := w[:i] + w[i+1:]
			if list := deletes[d]; len(list) == 0 || list[len(list)-1] != w {
				deletes[d] = append(list, w)
			}
		}
	}
	return deletes
}

// typoCandidates adds to found each vocabulary word within maxDist edits of
// word, with its distance.
func (s *segment) typoCandidates(variants []string, word string, maxDist int, found map[string]int) {
	deletes := s.deletes()
	for _, v := range variants {
		for _, w := range deletes[v] {
			if w == word {
				continue
			}
			if _, seen := found[w]; seen {
				continue
			}
			if d := editDistance(word, w, maxDist); d <= maxDist {
				found[w] = d
			}
		}
	}
}

// deletionVariants returns word and every string made by deleting up to
// maxDist of its letters, without repeats.
func deletionVariants(word string, maxDist int) []string {
	seen := map[string]bool{word: true}
	out := []string{word}
	level := []string{word}
	for range maxDist {
		var next []string
		for _, w := range level {
			for i := range len(w) {
				d := w[:i] + w[i+1:]
				if !seen[d] {
					seen[d] = true
					out = append(out, d)
					next = append(next, d)
				}
			}
		}
		level = next
	}
	return out
}

// editDistance is the optimal-string-alignment distance between a and b
// (Levenshtein plus swapping two neighbouring letters), or max+1 as soon
// as it is clear the distance exceeds max.
func editDistance(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	// Three rows of the dynamic-programming table: two back, one back, now.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
