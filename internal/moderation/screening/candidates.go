package screening

// cand is one reading of the text at a token: vocabulary word id, and the
// token after it (more than one token later for a joined "c.u.r.e").
type cand struct{ id, next int32 }

// scratch is the per-screen working memory, pooled by the Engine so a
// screen of a benign message allocates nothing.
type scratch struct {
	buf       []byte
	tmp       []byte
	toks      []token
	sents     []sentence
	qev       []qevent
	quotes    []qspan
	cands     []cand
	runEnd    []int32
	hits      []hit
	uhits     []hit    // idioms (Rule.Unless) matched
	feats     []uint32 // the model's hashed features
	raw       []uint64 // their hashes before bucketing, when collecting (training)
	collect   bool
	vals      []float32
	concepts  []uint8    // concepts found, for the model
	asks      bool       // the text has a question mark
	ruleFeats []ruleFeat // what each rule made of the message, for the model
	wantRules bool       // collect ruleFeats without a model (training)
	path      []int32
	paths     []int32
	ctx       ctxState
}

func (s *scratch) reset() {
	s.buf, s.tmp = s.buf[:0], s.tmp[:0]
	s.toks, s.sents, s.qev, s.quotes = s.toks[:0], s.sents[:0], s.qev[:0], s.quotes[:0]
	s.cands, s.runEnd, s.hits, s.uhits = s.cands[:0], s.runEnd[:0], s.hits[:0], s.uhits[:0]
	s.feats, s.vals, s.concepts, s.asks = s.feats[:0], s.vals[:0], s.concepts[:0], false
	s.ruleFeats, s.wantRules = s.ruleFeats[:0], false
	s.raw, s.collect = s.raw[:0], false
	s.path, s.paths = s.path[:0], s.paths[:0]
	s.ctx.reset()
}

// Single letters may be joined across separators this short ("c.u.r.e",
// "k y s"), into words this long at most.
const (
	joinMaxGap = 2
	joinMaxLen = 16
)

// candidates looks every token up in the vocabulary: its own form, the
// second leet reading, the squeezed form when stretched, chat aliases,
// and words spelled out letter by letter starting here.
func (s *scratch) candidates(lx *lexicon, text string) {
	s.markRuns(text)
	for i := range s.toks {
		t := &s.toks[i]
		t.cand = int32(len(s.cands))
		next := int32(i + 1)
		if t.entry >= 0 {
			for _, id := range lx.entries[t.entry].ids {
				s.add(cand{id, next}, t.cand)
			}
		}
		if t.flags&fStretched != 0 {
			s.loose(lx, s.buf[t.off:t.off+t.n], next, t.cand)
		}
		if t.alt >= 0 {
			alt := s.buf[t.alt : t.alt+t.n]
			s.ids(lx, alt, next, t.cand)
			if stretched(alt) {
				s.loose(lx, alt, next, t.cand)
			}
		}
		if t.flags&fRepeat != 0 {
			s.add(cand{lx.repeatID, next}, t.cand)
		}
		if s.runEnd[i] > 0 {
			s.joins(lx, text, int32(i), t.cand)
		}
		t.ncand = int32(len(s.cands)) - t.cand
	}
}

func (s *scratch) ids(lx *lexicon, form []byte, next, from int32) {
	if e := lx.lookup(form); e >= 0 {
		for _, id := range lx.entries[e].ids {
			s.add(cand{id, next}, from)
		}
	}
}

func (s *scratch) loose(lx *lexicon, form []byte, next, from int32) {
	s.tmp = squeeze(s.tmp[:0], form)
	for _, id := range lx.loose[string(s.tmp)] {
		s.add(cand{id, next}, from)
	}
}

func (s *scratch) add(c cand, from int32) {
	for _, x := range s.cands[from:] {
		if x == c {
			return
		}
	}
	s.cands = append(s.cands, c)
}

// markRuns finds runs of single-letter tokens close together and records,
// for the first three tokens of each run, where the run ends. Starting a
// join a token or two late lets "a c u r e" and "u r f a k i n g" read as
// "cure" and "faking".
func (s *scratch) markRuns(text string) {
	n := len(s.toks)
	for i := 0; i < n; i++ {
		s.runEnd = append(s.runEnd, 0)
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && s.joinable(text, j) {
			j++
		}
		if j-i >= 2 {
			for k := i; k < j && k < i+3; k++ {
				s.runEnd[k] = int32(j)
			}
		}
		i = j
	}
}

// joinable reports whether token j continues a run of single letters.
func (s *scratch) joinable(text string, j int) bool {
	a, b := &s.toks[j-1], &s.toks[j]
	if a.flags&fSingle == 0 || b.flags&fSingle == 0 || a.sent != b.sent {
		return false
	}
	gap := b.start - a.end
	if gap < 1 || gap > joinMaxGap {
		return false
	}
	for k := a.end; k < b.start; k++ {
		if text[k] == '\n' {
			return false
		}
	}
	return true
}

// joins adds the words spelled by tokens [i, e) for the run ends e. Two
// letters join only across punctuation ("d.m"), never across a space, or
// "u r" would read as "ur".
func (s *scratch) joins(lx *lexicon, text string, i, from int32) {
	end := s.runEnd[i]
	for _, e := range [2]int32{end, end - 1} {
		n := e - i
		if n < 2 || n > joinMaxLen {
			continue
		}
		if n == 2 && s.spaceBetween(text, i) {
			continue
		}
		s.tmp = s.tmp[:0]
		letters, digits := false, false
		for k := i; k < e; k++ {
			b := s.buf[s.toks[k].off]
			letters = letters || b >= 'a' && b <= 'z'
			digits = digits || b >= '0' && b <= '9'
			s.tmp = append(s.tmp, b)
		}
		if !letters {
			continue
		}
		if digits {
			for k, b := range s.tmp {
				s.tmp[k], _ = leet(b)
			}
		}
		joined := len(s.tmp)
		s.ids(lx, s.tmp, e, from)
		if stretched(s.tmp[:joined]) {
			s.tmp = squeeze(s.tmp, s.tmp[:joined])
			for _, id := range lx.loose[string(s.tmp[joined:])] {
				s.add(cand{id, e}, from)
			}
		}
	}
}

func (s *scratch) spaceBetween(text string, i int32) bool {
	a, b := s.toks[i], s.toks[i+1]
	return b.start-a.end != 1 || text[a.end] == ' ' || text[a.end] == '\t'
}

// ruleFeat is one rule's verdict on a message: 0 actioned, 1 downgraded,
// 2 suppressed by its context.
type ruleFeat struct {
	id    uint64
	cat   byte
	state byte
}
