package screening

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// token is one word of a message after normalisation. Everything points
// into the scratch buffers so a screen allocates nothing per token.
type token struct {
	start, end  int32 // bytes of the original text
	off, n      int32 // normalised form in scratch.buf
	alt         int32 // offset of the second leet reading ("1" as l), -1 if none
	num         int32 // value when the token is a number, else -1
	sent        int32 // sentence index
	clause      int32 // clause index, across the whole text
	cand, ncand int32 // vocabulary candidates in scratch.cands
	entry       int32 // lexicon entry of the form, -1 if no rule uses it
	class       uint16
	flags       uint8
}

const (
	fStretched uint8 = 1 << iota // a letter repeated 3+ times
	fQuoted                      // inside a closed pair of quote marks
	fRepeat                      // a very long run of one character or word
	fSingle                      // one letter or digit: may be part of "c.u.r.e"
	fDigits                      // written with digits or symbols: a number, or letters in disguise ("k1ll")
	fCode                        // as many digits as letters ("a1b2", "97f0"): an id or a code, not a word
)

// sentence is a run of tokens ended by . ! ? or a line break.
type sentence struct {
	first, last int32
	question    bool // ended with a question mark
	opener      bool // opens like advice, not a question: "did you know ...?"
}

type qspan struct{ a, b int32 } // tokens [a, b) are quoted

// Limits for what counts as a "repeated characters" spam signal. Long on
// purpose: members stretch words when they hurt ("noooooo").
const (
	repeatLetters = 15 // one letter this many times inside a word
	repeatSymbols = 16 // one symbol or emoji this many times in a row
	repeatWords   = 6  // the same word this many times in a row
)

type qkind uint8

const (
	qToggle qkind = iota // ASCII double quote
	qOpenD
	qCloseD
	qOpenS
	qCloseS
)

type qevent struct {
	tok  int32 // index of the next token when the mark was seen
	kind qkind
}

// tokenizer holds the state of one pass over a text.
type tokenizer struct {
	s    *scratch
	lx   *lexicon
	text string

	in                      bool // inside a word
	start, end, off         int
	letters, digits, syms   int
	firstLetterAt           int // original offset of the first letter (unit split)
	pendSent, pendClause    bool
	clause                  int32
	clauseFresh             bool
	sepRune                 rune
	sepRun, sepStart, sepAt int
}

// tokenize normalises text into s.toks, s.sents and s.quotes. lx supplies
// word classes (clause breakers) and number words; it may be a lexicon
// still being built, as when rule terms are tokenized. links turns web
// addresses into "<link>" tokens (messages yes, rule terms no).
func tokenize(s *scratch, lx *lexicon, text string, links bool) {
	z := tokenizer{s: s, lx: lx, text: text, sepAt: -1}
	for i := 0; i < len(text); {
		if b := text[i]; b < utf8.RuneSelf {
			if links && !z.in && isAlnumByte(b) {
				if n := linkLen(text, i); n > 0 {
					z.sepReset()
					z.emitSpecial(i, i+n, "<link>", 0)
					i += n
					continue
				}
			}
			z.rune(rune(lowerByte(b)), i, 1) // most text is ASCII: no decoding, no folding
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		f := foldRune(text, i, r)
		if f.n == 0 && z.sepAt == i {
			z.sepAt = i + size // "❤️" is a heart and an invisible selector: still one run
		}
		for k := 0; k < f.n; k++ {
			z.rune(f.r[k], i, size)
		}
		i += size
	}
	z.endWord()
	z.pairQuotes()
	z.repeatedWords()
}

func (z *tokenizer) rune(c rune, i, size int) {
	switch {
	case c < utf8.RuneSelf && isAlnumByte(byte(c)), c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c)):
		z.sepReset()
		z.appendRune(c, i, size)
		return
	case c == '\'' || c == '’' || c == 'ʼ' || c == '`':
		next := peek(z.text, i+size)
		if z.in && next == pLetter {
			return // "don't" reads as "dont"
		}
		prevWord := z.in
		z.endWord()
		switch {
		case prevWord && next != pLetter && next != pDigit:
			z.quote(qCloseS)
		case !prevWord && (next == pLetter || next == pDigit):
			z.quote(qOpenS)
		}
		return
	case c == '.' || c == ',':
		if z.in && z.letters == 0 && z.syms == 0 && peek(z.text, i+size) == pDigit {
			if c == '.' {
				z.s.buf = append(z.s.buf, '.') // "2.5"; "1,200" drops the comma
			}
			z.end = i + size
			return
		}
	case c == '@' || c == '$' || c == '!' || c == '|' || c == '*':
		next := peek(z.text, i+size)
		if z.in && (next == pLetter || next == pDigit) || !z.in && c == '$' && next == pLetter {
			// A symbol inside a word is a letter in disguise ("k!ll",
			// "$cam"); "*" stays as itself so "f*ck" can be a term.
			if !z.in {
				z.begin(i)
			}
			z.s.buf = append(z.s.buf, byte(c))
			z.syms++
			z.end = i + size
			return
		}
	}
	z.separator(c, i, size)
}

func (z *tokenizer) separator(c rune, i, size int) {
	z.endWord()
	if c == ' ' || c == '\t' || c == '\r' || c == '\n' || unicode.IsSpace(c) {
		z.sepReset()
	} else {
		// sepAt == i+size: a second rune folded from the same input ("‼" → "!!").
		if c == z.sepRune && (z.sepAt == i || z.sepAt == i+size) {
			z.sepRun++
		} else {
			z.sepRune, z.sepRun, z.sepStart = c, 1, i
		}
		z.sepAt = i + size
		if z.sepRun == repeatSymbols {
			z.emitSpecial(z.sepStart, i+size, "<repeat>", fRepeat)
		}
	}
	switch c {
	case '\n':
		z.pendSent = true
	case '?':
		if n := len(z.s.sents); n > 0 && !z.pendSent {
			z.s.sents[n-1].question = true
		}
		z.pendSent = true
	case '.', '!', '。':
		if p := peek(z.text, i+size); p != pLetter && p != pDigit {
			z.pendSent = true
		}
	case ',', ';', ':', '(', ')', '[', ']', '{', '}', '—', '–', '/':
		z.pendClause = true
	case '-':
		if i > 0 && z.text[i-1] == ' ' && peek(z.text, i+size) == pSpace {
			z.pendClause = true // " - " used as a dash
		}
	case '"':
		z.quote(qToggle)
	case '“', '„', '«':
		z.quote(qOpenD)
	case '”', '»':
		z.quote(qCloseD)
	case '‘':
		z.quote(qOpenS)
	}
}

func (z *tokenizer) sepReset() { z.sepRune, z.sepRun, z.sepAt = 0, 0, -1 }

func (z *tokenizer) quote(k qkind) {
	z.s.qev = append(z.s.qev, qevent{tok: int32(len(z.s.toks)), kind: k})
}

func (z *tokenizer) begin(i int) {
	z.in = true
	z.start, z.end, z.off = i, i, len(z.s.buf)
	z.letters, z.digits, z.syms = 0, 0, 0
	z.firstLetterAt = -1
}

func (z *tokenizer) appendRune(c rune, i, size int) {
	if !z.in {
		z.begin(i)
	}
	if c >= '0' && c <= '9' {
		z.digits++
	} else {
		if z.firstLetterAt < 0 {
			z.firstLetterAt = i
		}
		z.letters++
	}
	if c < utf8.RuneSelf {
		z.s.buf = append(z.s.buf, byte(c))
	} else {
		z.s.buf = utf8.AppendRune(z.s.buf, c)
	}
	z.end = i + size
}

// endWord finishes the current word: numbers get their value, "400mg"
// splits into a number and a unit, and words mixing letters with digits
// or symbols are read as letters ("f4k1ng" → "faking").
func (z *tokenizer) endWord() {
	if !z.in {
		return
	}
	z.in = false
	s := z.s
	form := s.buf[z.off:]
	if len(form) == 0 {
		return
	}
	t := token{start: int32(z.start), end: int32(z.end), off: int32(z.off), n: int32(len(form)), alt: -1, num: -1}
	switch {
	case z.letters == 0 && z.syms == 0:
		t.num = parseNum(form)
	case z.digits > 0 && z.syms == 0 && z.firstLetterAt > z.start && z.lx.isUnit(z.unitSuffix(form)):
		nd := len(form) - len(z.unitSuffix(form))
		num := token{start: t.start, end: int32(z.firstLetterAt), off: t.off, n: int32(nd), alt: -1, num: parseNum(form[:nd])}
		z.emit(num)
		t.start, t.off, t.n = int32(z.firstLetterAt), t.off+int32(nd), t.n-int32(nd)
	case z.letters > 0 && (z.digits > 0 || z.syms > 0) && (z.letters >= 2 || z.letters >= z.digits+z.syms):
		// Letters in disguise ("k1ll", "h8", "su1c1de"). A token that is
		// mostly digits is a code or an id ("97f0", a hex token), not a
		// word: reading it as "gtfo" once held a test's seeded message.
		n := len(form)
		ambiguous := false
		for _, b := range form {
			p, a := leet(b)
			ambiguous = ambiguous || p != a
		}
		if ambiguous {
			t.alt = int32(len(s.buf))
			s.buf = append(s.buf, s.buf[z.off:z.off+n]...)
			alt := s.buf[t.alt : int(t.alt)+n]
			for k, b := range alt {
				_, alt[k] = leet(b)
			}
		}
		form = s.buf[z.off : z.off+n]
		for k, b := range form {
			form[k], _ = leet(b)
		}
	}
	if (z.digits > 0 || z.syms > 0) && t.off == int32(z.off) { // not the unit of "400mg"
		t.flags |= fDigits
		if z.letters > 0 && z.digits+z.syms >= z.letters {
			t.flags |= fCode
		}
	}
	f := s.buf[t.off : t.off+t.n]
	if n := longestRun(f); n >= 3 {
		t.flags |= fStretched
		if n >= repeatLetters {
			t.flags |= fRepeat
		}
	}
	if t.n == 1 {
		t.flags |= fSingle
	}
	z.emit(t)
}

func (z *tokenizer) unitSuffix(form []byte) []byte {
	for k, b := range form {
		if !(b >= '0' && b <= '9') && b != '.' {
			for _, c := range form[k:] {
				if c >= '0' && c <= '9' {
					return nil // digits again after letters: not "400mg"
				}
			}
			return form[k:]
		}
	}
	return nil
}

func (z *tokenizer) emitSpecial(start, end int, form string, flags uint8) {
	z.endWord()
	off := len(z.s.buf)
	z.s.buf = append(z.s.buf, form...)
	z.emit(token{start: int32(start), end: int32(end), off: int32(off), n: int32(len(form)), alt: -1, num: -1, flags: flags})
}

// emit appends t, opening a new sentence or clause first if punctuation
// or a clause-breaking word ("but", "and", "if") said so.
func (z *tokenizer) emit(t token) {
	s := z.s
	t.entry = -1
	if z.lx != nil {
		if t.entry = z.lx.lookup(s.buf[t.off : t.off+t.n]); t.entry >= 0 {
			e := &z.lx.entries[t.entry]
			t.class = e.class
			if t.num < 0 {
				t.num = e.num // "ten" counts as 10
			}
		}
	}
	idx := int32(len(s.toks))
	if len(s.sents) == 0 || z.pendSent {
		s.sents = append(s.sents, sentence{first: idx, last: idx})
		z.clause++
		z.clauseFresh = true
	} else if z.pendClause {
		z.clause++
		z.clauseFresh = true
	}
	if t.class&clsBreaker != 0 && !z.clauseFresh {
		z.clause++
	}
	z.pendSent, z.pendClause, z.clauseFresh = false, false, false
	t.sent = int32(len(s.sents) - 1)
	t.clause = z.clause
	s.sents[t.sent].last = idx
	s.toks = append(s.toks, t)
}

// pairQuotes marks tokens inside closed quote pairs. An unclosed quote
// marks nothing, so a stray mark cannot hide the rest of a message.
func (z *tokenizer) pairQuotes() {
	s := z.s
	openD, openS := int32(-1), int32(-1)
	for _, q := range s.qev {
		switch q.kind {
		case qToggle:
			if openD < 0 {
				openD = q.tok
			} else {
				z.markQuoted(openD, q.tok)
				openD = -1
			}
		case qOpenD:
			openD = q.tok
		case qCloseD:
			if openD >= 0 {
				z.markQuoted(openD, q.tok)
				openD = -1
			}
		case qOpenS:
			openS = q.tok
		case qCloseS:
			if openS >= 0 {
				z.markQuoted(openS, q.tok)
				openS = -1
			}
		}
	}
}

func (z *tokenizer) markQuoted(a, b int32) {
	if a >= b {
		return
	}
	for i := a; i < b; i++ {
		z.s.toks[i].flags |= fQuoted
	}
	z.s.quotes = append(z.s.quotes, qspan{a, b})
}

// repeatedWords flags "buy buy buy buy buy buy".
func (z *tokenizer) repeatedWords() {
	s := z.s
	run := 1
	for i := 1; i < len(s.toks); i++ {
		if s.toks[i].n > 1 && bytes.Equal(s.formBytes(int32(i)), s.formBytes(int32(i-1))) {
			run++
			if run == repeatWords {
				s.toks[i-repeatWords+1].flags |= fRepeat
			}
		} else {
			run = 1
		}
	}
}

// form returns a token's normalised text. The conversion is for
// comparisons and map keys only, which the compiler does not copy.
func (s *scratch) form(i int32) string {
	t := &s.toks[i]
	return string(s.buf[t.off : t.off+t.n])
}

func (s *scratch) formBytes(i int32) []byte {
	t := &s.toks[i]
	return s.buf[t.off : t.off+t.n]
}

func parseNum(b []byte) int32 {
	var v int64
	for _, c := range b {
		if c == '.' {
			break
		}
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int64(c-'0')
		if v > 1<<30 {
			v = 1 << 30
		}
	}
	return int32(v)
}

type peekKind uint8

const (
	pEnd peekKind = iota
	pSpace
	pLetter
	pDigit
	pOther
)

// peek classifies the next visible rune at text[j:].
func peek(text string, j int) peekKind {
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		f := foldRune(text, j, r)
		if f.n == 0 {
			j += size
			continue
		}
		c := f.r[0]
		switch {
		case c >= '0' && c <= '9':
			return pDigit
		case unicode.IsLetter(c):
			return pLetter
		case unicode.IsSpace(c):
			return pSpace
		}
		return pOther
	}
	return pEnd
}

func isAlnumByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func lowerByte(b byte) byte {
	if b >= 'A' && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}
