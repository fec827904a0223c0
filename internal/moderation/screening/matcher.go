package screening

import "sort"

// trie holds every phrase of a rule set as paths of vocabulary ids, so one
// pass over a message's tokens finds all matches of all rules at once.
type trie struct {
	nodes   []tnode
	root    []int32 // vocabulary id → child of the root (0: none)
	phrases []phrase
}

type tnode struct {
	words []tedge // sorted by key: vocabulary id
	gaps  []tedge // key: most words skipped
	nums  []tedge // key: least value, -1 for any number
	eps   []int32 // nodes reached without reading a word
	out   []int32 // phrases ending here
}

type tedge struct{ key, next int32 }

type phrase struct {
	owner    int32 // rule index (main trie) or context kind
	anchored bool
}

// hit is one phrase matched at tokens [start, end).
type hit struct {
	phrase      int32
	owner       int32
	start, end  int32
	path, npath int32 // in scratch.paths: word ids, or -(token+1) for a gap or number
}

func newTrie() *trie { return &trie{nodes: []tnode{{}}} }

// insert adds a parsed pattern. Alternatives rejoin at a fresh node
// through empty (epsilon) edges, so a rule with several word lists costs
// nodes in proportion to its length, not to the phrases it allows. An
// epsilon edge from a shared node is safe: a node stands for one exact
// prefix, and every pattern reaching it allows what follows. The root
// never gets one (it would make a phrase start anywhere, at a cost on
// every token), so a pattern that may skip its first words is also
// started again from the root after them.
func (t *trie) insert(lx *lexicon, n *pnode, anchored bool, owner int32) {
	ends, _ := t.addAtRoot(lx, n) // never empty: parsePattern checks
	if len(ends) == 0 {
		return
	}
	end := t.join(ends)
	t.phrases = append(t.phrases, phrase{owner: owner, anchored: anchored})
	t.nodes[end].out = append(t.nodes[end].out, int32(len(t.phrases)-1))
}

// addAtRoot adds n at the start of a phrase. It returns the nodes where n
// can end, and whether n can match nothing (so what follows must also be
// added at the root).
func (t *trie) addAtRoot(lx *lexicon, n *pnode) (ends []int32, empty bool) {
	switch n.kind {
	case pWord, pNum, pGap:
		return []int32{t.add(lx, n, 0)}, false
	case pAlt:
		for _, b := range n.items {
			e, emp := t.addAtRoot(lx, b)
			ends = appendNew(ends, e...)
			empty = empty || emp
		}
		return ends, empty
	}
	atRoot := true
	for _, it := range n.items {
		var next []int32
		if len(ends) > 0 {
			next = appendNew(next, t.add(lx, it, t.join(ends)))
		}
		if atRoot {
			e, emp := t.addAtRoot(lx, it)
			next = appendNew(next, e...)
			atRoot = emp
		}
		ends = next
	}
	return ends, atRoot
}

// join returns one node standing for all of ends: the node itself, or a
// fresh node they all reach by epsilon edges.
func (t *trie) join(ends []int32) int32 {
	if len(ends) == 1 {
		return ends[0]
	}
	j := int32(len(t.nodes))
	t.nodes = append(t.nodes, tnode{})
	for _, e := range ends {
		t.nodes[e].eps = append(t.nodes[e].eps, j)
	}
	return j
}

func appendNew(list []int32, ids ...int32) []int32 {
	for _, id := range ids {
		if !containsID(list, id) {
			list = append(list, id)
		}
	}
	return list
}

// add inserts n after node from and returns the node where it ends.
func (t *trie) add(lx *lexicon, n *pnode, from int32) int32 {
	switch n.kind {
	case pWord:
		return t.child(from, 0, lx.intern(n.word))
	case pGap:
		return t.child(from, 1, n.n)
	case pNum:
		return t.child(from, 2, n.n)
	case pSeq:
		for _, it := range n.items {
			from = t.add(lx, it, from)
		}
		return from
	}
	var ends []int32
	for _, b := range n.items {
		ends = appendNew(ends, t.add(lx, b, from))
	}
	return t.join(ends)
}

// child returns the node after from along an edge of a kind (0 word,
// 1 gap, 2 number) and key, adding it if new.
func (t *trie) child(from int32, kind int, key int32) int32 {
	list := t.edges(from, kind)
	l := *list
	i := sort.Search(len(l), func(i int) bool { return l[i].key >= key })
	if i < len(l) && l[i].key == key {
		return l[i].next
	}
	next := int32(len(t.nodes))
	l = append(l, tedge{})
	copy(l[i+1:], l[i:])
	l[i] = tedge{key, next}
	*list = l
	t.nodes = append(t.nodes, tnode{})
	return next
}

func (t *trie) edges(nd int32, kind int) *[]tedge {
	switch kind {
	case 1:
		return &t.nodes[nd].gaps
	case 2:
		return &t.nodes[nd].nums
	}
	return &t.nodes[nd].words
}

// finish builds the direct root table once the vocabulary is complete.
func (t *trie) finish(vocab int) {
	t.root = make([]int32, vocab)
	for _, e := range t.nodes[0].words {
		t.root[e.key] = e.next
	}
}

func (n *tnode) word(id int32) int32 {
	l := n.words
	if len(l) <= 8 {
		for _, e := range l {
			if e.key == id {
				return e.next
			}
		}
		return 0
	}
	lo, hi := 0, len(l)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if l[m].key < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(l) && l[lo].key == id {
		return l[lo].next
	}
	return 0
}

// walker finds all phrases starting at one token.
type walker struct {
	t     *trie
	s     *scratch
	out   *[]hit
	start int32
	sent  int32
	dedup bool // one hit per owner and start (rules); contexts keep all
}

// scan appends to out every phrase match starting in tokens [from, to).
func (t *trie) scan(s *scratch, out *[]hit, dedup bool, from, to int) {
	w := walker{t: t, s: s, out: out, dedup: dedup}
	root := &t.nodes[0]
	for i := from; i < to; i++ {
		tok := &s.toks[i]
		w.start, w.sent = int32(i), tok.sent
		for _, c := range s.cands[tok.cand : tok.cand+tok.ncand] {
			if nx := t.root[c.id]; nx != 0 {
				s.path = append(s.path[:0], c.id)
				w.step(nx, c.next)
			}
		}
		if tok.num >= 0 {
			for _, e := range root.nums {
				if e.key < 0 || tok.num >= e.key {
					s.path = append(s.path[:0], -int32(i)-1)
					w.step(e.next, int32(i)+1)
				}
			}
		}
	}
}

func (w *walker) step(nd, pos int32) {
	n := &w.t.nodes[nd]
	s := w.s
	if len(n.out) > 0 {
		w.emit(n, pos)
	}
	for _, e := range n.eps {
		w.step(e, pos)
	}
	if pos < int32(len(s.toks)) && s.toks[pos].sent == w.sent {
		tok := &s.toks[pos]
		if len(n.words) > 0 {
			for _, c := range s.cands[tok.cand : tok.cand+tok.ncand] {
				if nx := n.word(c.id); nx != 0 {
					s.path = append(s.path, c.id)
					w.step(nx, c.next)
					s.path = s.path[:len(s.path)-1]
				}
			}
		}
		if tok.num >= 0 {
			for _, e := range n.nums {
				if e.key < 0 || tok.num >= e.key {
					s.path = append(s.path, -pos-1)
					w.step(e.next, pos+1)
					s.path = s.path[:len(s.path)-1]
				}
			}
		}
	}
	for _, g := range n.gaps {
		depth := len(s.path)
		for k := int32(0); k <= g.key; k++ {
			p := pos + k
			// A gap stays in the sentence and never skips a negator:
			// "you're not an idiot" is not "you're * idiot".
			if p > int32(len(s.toks)) || k > 0 && (s.toks[p-1].sent != w.sent || s.toks[p-1].class&clsNegator != 0) {
				break
			}
			if k > 0 {
				s.path = append(s.path, -(p-1)-1)
			}
			w.step(g.next, p)
		}
		s.path = s.path[:depth]
	}
}

func (w *walker) emit(n *tnode, end int32) {
	s := w.s
	for _, pi := range n.out {
		ph := w.t.phrases[pi]
		if ph.anchored && !s.clauseStart(w.start) {
			continue
		}
		if w.dedup && seen(*w.out, ph.owner, w.start) {
			continue
		}
		off := int32(len(s.paths))
		s.paths = append(s.paths, s.path...)
		*w.out = append(*w.out, hit{phrase: pi, owner: ph.owner, start: w.start, end: end, path: off, npath: int32(len(s.path))})
	}
}

// seen reports a hit of the same owner at the same start. Hits arrive in
// start order, so only the tail needs checking.
func seen(hits []hit, owner, start int32) bool {
	for i := len(hits) - 1; i >= 0 && hits[i].start == start; i-- {
		if hits[i].owner == owner {
			return true
		}
	}
	return false
}

// clauseStart reports whether only filler words ("so", "honestly") come
// before token i in its clause: an imperative like "just take ... every
// day" opens a clause, while "I used to take ..." does not.
func (s *scratch) clauseStart(i int32) bool {
	c := s.toks[i].clause
	for j := i - 1; j >= 0 && s.toks[j].clause == c; j-- {
		if s.toks[j].class&clsFiller == 0 {
			return false
		}
	}
	return true
}
