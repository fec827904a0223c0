package library

import (
	"strings"
	"unicode/utf8"
)

const (
	snippetWindow = 16  // body words a snippet tries to cover
	snippetBytes  = 180 // longest snippet, "…" aside
)

// snippet picks the stretch of body text holding the most distinct query
// words (rarer words count more) and returns about a sentence of it.
func (d *docEntry) snippet(m *termMatcher, terms []queryTerm) string {
	body := d.toks[d.bodyFrom:]
	type match struct {
		pos  int
		mask uint16
	}
	// The member's own words first; the plain words of their lay phrases
	// only where none of their own is in the body.
	var matches, lay []match
	for k, t := range body {
		if all, own := m.masks(t.term); own != 0 {
			matches = append(matches, match{k, own})
		} else if all != 0 && len(matches) == 0 {
			lay = append(lay, match{k, all})
		}
	}
	if len(matches) == 0 {
		matches = lay
	}
	if len(matches) == 0 {
		return excerpt(d.article.Text, 0)
	}
	// Slide a window of snippetWindow words over the matches, keeping
	// count of each query term inside it.
	var count [maxQueryTerms]int
	add := func(mask uint16, delta int) (change float64) {
		for i := range terms {
			if mask&(1<<i) == 0 {
				continue
			}
			was := count[i]
			count[i] += delta
			if was == 0 || count[i] == 0 {
				change += float64(delta) * (terms[i].alts[0].idf + 0.01)
			}
		}
		return change
	}
	bestFirst, bestScore, score, first := 0, 0.0, 0.0, 0
	for _, mt := range matches {
		score += add(mt.mask, 1)
		for matches[first].pos <= mt.pos-snippetWindow {
			score += add(matches[first].mask, -1)
			first++
		}
		if score > bestScore+1e-9 {
			bestScore, bestFirst = score, first
		}
	}
	return excerpt(d.article.Text, int(body[matches[bestFirst].pos].start))
}

// excerpt returns about snippetBytes of text from the start of the
// sentence or line holding byte offset at, on word boundaries, with "…"
// where it was cut and line breaks shown as " · ".
func excerpt(text string, at int) string {
	start := 0
	if i := strings.LastIndexAny(text[:at], ".!?\n"); i >= 0 {
		start = i + 1
	}
	prefix := ""
	if at-start > snippetBytes/2 {
		// The sentence began long ago: start a few words before the match.
		start = at - snippetBytes/4
		for start < at && text[start] != ' ' {
			start++
		}
		prefix = "…"
	}
	// Take a little more than fits, join its lines, then cut on a space.
	end := min(len(text), start+2*snippetBytes)
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	rest := flattenLines(text[start:end])
	if len(rest) <= snippetBytes && end == len(text) {
		return prefix + rest
	}
	cut := strings.LastIndexByte(rest[:min(len(rest), snippetBytes)], ' ')
	if cut <= 0 {
		cut = min(len(rest), snippetBytes)
		for cut > 0 && cut < len(rest) && !utf8.RuneStart(rest[cut]) {
			cut--
		}
	}
	return prefix + strings.TrimRight(rest[:cut], " ·,;:–—-") + "…"
}

// flattenLines puts text on one line: runs of spaces become one space and
// line breaks become " · ", so list items and headings stay apart.
func flattenLines(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && !isGap(s[j]) {
			j++
		}
		b.WriteString(s[i:j])
		newline := false
		for i = j; i < len(s) && isGap(s[i]); i++ {
			newline = newline || s[i] == '\n'
		}
		if i > j && i < len(s) && b.Len() > 0 {
			if newline {
				b.WriteString(" · ")
			} else {
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

func isGap(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r'
}
