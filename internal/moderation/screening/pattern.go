package screening

import (
	"fmt"
	"strconv"
	"strings"
)

type pkind uint8

const (
	pWord pkind = iota
	pGap        // skip 0..n words
	pNum        // a number of at least n (-1: any)
	pSeq        // items in order
	pAlt        // one of items
)

// pnode is a parsed pattern. Patterns are compiled into the trie as they
// are, not expanded into every phrase they allow: a rule with a few word
// lists would otherwise be tens of thousands of phrases.
type pnode struct {
	kind  pkind
	word  string
	n     int32
	items []*pnode
}

// Limits that keep one rule from blowing up the matcher.
const (
	defaultGap     = 3
	maxGap         = 6
	maxGaps        = 3
	maxPhraseElems = 16
)

// termPattern turns a literal term into a pattern: punctuation separates
// words, nothing is syntax.
func termPattern(lx *lexicon, s *scratch, term string) (*pnode, error) {
	words := normaliseWords(lx, s, term)
	switch {
	case len(words) == 0:
		return nil, fmt.Errorf("has no letters or digits")
	case len(words) == 1 && len(words[0]) < 2:
		return nil, fmt.Errorf("is a single letter, which would match almost every message")
	case len(words) > maxPhraseElems:
		return nil, fmt.Errorf("has more than %d words", maxPhraseElems)
	}
	seq := &pnode{kind: pSeq}
	for _, w := range words {
		seq.items = append(seq.items, &pnode{kind: pWord, word: w})
	}
	return seq, nil
}

// normaliseWords reads a rule's words exactly as a message would be read,
// so "Don't", "dont" and "DONT" are one word. Web addresses in terms stay
// words: a tenant blocking "spam.shop" must not block every link.
func normaliseWords(lx *lexicon, s *scratch, text string) []string {
	s.reset()
	tokenize(s, lx, text, false)
	var out []string
	for i := range s.toks {
		if f := s.form(int32(i)); f != "<repeat>" {
			out = append(out, lx.canonical(f))
		}
	}
	return out
}

// parsePattern parses and checks a pattern; anchored reports a leading "^".
func parsePattern(lx *lexicon, s *scratch, pat string) (n *pnode, anchored bool, err error) {
	p := &pparser{lx: lx, s: s, lex: lexPattern(pat)}
	if len(p.lex) > 0 && p.lex[0] == "^" {
		anchored = true
		p.pos++
	}
	n, err = p.alts("")
	if err != nil {
		return nil, false, err
	}
	if p.pos < len(p.lex) {
		return nil, false, fmt.Errorf("unexpected %q", p.lex[p.pos])
	}
	switch {
	case minWords(n) == 0:
		return nil, false, fmt.Errorf("can match an empty phrase")
	case maxElems(n) > maxPhraseElems:
		return nil, false, fmt.Errorf("can be more than %d words long", maxPhraseElems)
	case maxGapCount(n) > maxGaps:
		return nil, false, fmt.Errorf("has more than %d gaps in a row of words", maxGaps)
	case edgeGap(n, true):
		return nil, false, fmt.Errorf("can start with a gap")
	case edgeGap(n, false):
		return nil, false, fmt.Errorf("can end with a gap")
	}
	return n, anchored, nil
}

func lexPattern(pat string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range pat {
		switch r {
		case '(', ')', '[', ']', '|':
			flush()
			out = append(out, string(r))
		case ' ', '\t', '\n':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

type pparser struct {
	lx  *lexicon
	s   *scratch
	lex []string
	pos int
}

// alts parses seq ('|' seq)* up to a closing bracket (not consumed).
func (p *pparser) alts(close string) (*pnode, error) {
	alt := &pnode{kind: pAlt}
	for {
		seq, err := p.seq(close)
		if err != nil {
			return nil, err
		}
		alt.items = append(alt.items, seq)
		if p.pos < len(p.lex) && p.lex[p.pos] == "|" {
			p.pos++
			continue
		}
		if len(alt.items) == 1 {
			return seq, nil
		}
		return alt, nil
	}
}

func (p *pparser) seq(close string) (*pnode, error) {
	seq := &pnode{kind: pSeq}
	for p.pos < len(p.lex) {
		l := p.lex[p.pos]
		if l == "|" || l == ")" || l == "]" {
			if l != "|" && l != close {
				return nil, fmt.Errorf("unbalanced %q", l)
			}
			break
		}
		item, err := p.item()
		if err != nil {
			return nil, err
		}
		seq.items = append(seq.items, item)
	}
	return seq, nil
}

func (p *pparser) item() (*pnode, error) {
	l := p.lex[p.pos]
	p.pos++
	switch l {
	case "(", "[":
		close := ")"
		if l == "[" {
			close = "]"
		}
		inner, err := p.alts(close)
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.lex) || p.lex[p.pos] != close {
			return nil, fmt.Errorf("missing %q", close)
		}
		p.pos++
		if l == "[" {
			return &pnode{kind: pAlt, items: []*pnode{inner, {kind: pSeq}}}, nil
		}
		return inner, nil
	case "^":
		return nil, fmt.Errorf(`"^" may only start a pattern`)
	}
	return p.word(l)
}

func (p *pparser) word(l string) (*pnode, error) {
	switch {
	case l == "*":
		return &pnode{kind: pGap, n: defaultGap}, nil
	case strings.HasPrefix(l, "*"):
		n, err := strconv.Atoi(l[1:])
		if err != nil || n < 1 || n > maxGap {
			return nil, fmt.Errorf("gap %q: want * or *1 to *%d", l, maxGap)
		}
		return &pnode{kind: pGap, n: int32(n)}, nil
	case l == "#":
		return &pnode{kind: pNum, n: -1}, nil
	case strings.HasPrefix(l, "#") && strings.HasSuffix(l, "+"):
		n, err := strconv.Atoi(l[1 : len(l)-1])
		if err != nil || n < 0 {
			return nil, fmt.Errorf("number %q: want # or #N+", l)
		}
		return &pnode{kind: pNum, n: int32(n)}, nil
	case l == "<link>" || l == "<repeat>":
		return &pnode{kind: pWord, word: l}, nil
	case strings.HasPrefix(l, "<"):
		return nil, fmt.Errorf("unknown %q: want <link> or <repeat>", l)
	}
	words := normaliseWords(p.lx, p.s, l)
	if len(words) == 0 {
		return nil, fmt.Errorf("word %q has no letters or digits", l)
	}
	seq := &pnode{kind: pSeq}
	for _, w := range words {
		seq.items = append(seq.items, &pnode{kind: pWord, word: w})
	}
	return seq, nil
}

// minWords is the fewest words or numbers any phrase of n has.
func minWords(n *pnode) int {
	switch n.kind {
	case pWord, pNum:
		return 1
	case pSeq:
		t := 0
		for _, it := range n.items {
			t += minWords(it)
		}
		return t
	case pAlt:
		m := -1
		for _, it := range n.items {
			if w := minWords(it); m < 0 || w < m {
				m = w
			}
		}
		return m
	}
	return 0
}

// maxElems is the longest phrase of n, gaps counting one.
func maxElems(n *pnode) int {
	switch n.kind {
	case pSeq:
		t := 0
		for _, it := range n.items {
			t += maxElems(it)
		}
		return t
	case pAlt:
		m := 0
		for _, it := range n.items {
			m = max(m, maxElems(it))
		}
		return m
	}
	return 1
}

func maxGapCount(n *pnode) int {
	switch n.kind {
	case pGap:
		return 1
	case pSeq:
		t := 0
		for _, it := range n.items {
			t += maxGapCount(it)
		}
		return t
	case pAlt:
		m := 0
		for _, it := range n.items {
			m = max(m, maxGapCount(it))
		}
		return m
	}
	return 0
}

// edgeGap reports whether some phrase of n starts (or ends) with a gap.
func edgeGap(n *pnode, start bool) bool {
	switch n.kind {
	case pGap:
		return true
	case pAlt:
		for _, it := range n.items {
			if edgeGap(it, start) {
				return true
			}
		}
	case pSeq:
		for k := range n.items {
			it := n.items[k]
			if !start {
				it = n.items[len(n.items)-1-k]
			}
			if edgeGap(it, start) {
				return true
			}
			if !canBeEmpty(it) {
				return false
			}
		}
	}
	return false
}

func canBeEmpty(n *pnode) bool {
	switch n.kind {
	case pSeq:
		for _, it := range n.items {
			if !canBeEmpty(it) {
				return false
			}
		}
		return true
	case pAlt:
		for _, it := range n.items {
			if canBeEmpty(it) {
				return true
			}
		}
	}
	return false
}
