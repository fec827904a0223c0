package match

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// pool is a batch compiled once: every request and mentor in bit-set form
// and, per request, the mentors it may never have (by index).
type pool struct {
	w       Weights
	now     time.Time
	reqs    []Request
	mentors []Mentor
	cr      []creq
	cm      []cmentor
	open    []int32   // mentors that can take someone at all, ascending
	never   [][]int32 // per request: mentor indices ruled out by ID (self, excluded)
}

func newPool(reqs []Request, mentors []Mentor, w Weights, now time.Time) *pool {
	p := &pool{w: w, now: now, reqs: reqs, mentors: mentors,
		cr: make([]creq, len(reqs)), cm: make([]cmentor, len(mentors)), never: make([][]int32, len(reqs))}
	v := newVocab(reqs)
	width := v.width()
	arena := make([]uint64, (len(reqs)+len(mentors))*width)
	for i := range reqs {
		p.cr[i] = v.request(&reqs[i], &p.w, now, arena[:width])
		arena = arena[width:]
	}
	byID := make(map[string][]int32, len(mentors))
	for i := range mentors {
		p.cm[i] = v.mentor(&mentors[i], &p.w, now, arena[:width])
		arena = arena[width:]
		if p.cm[i].closed == Allowed {
			p.open = append(p.open, int32(i))
		}
		byID[mentors[i].ID] = append(byID[mentors[i].ID], int32(i))
	}
	for i := range reqs {
		n := byID[reqs[i].MenteeID]
		for _, id := range reqs[i].Excluded {
			n = append(n[:len(n):len(n)], byID[id]...)
		}
		p.never[i] = n
	}
	return p
}

// marks is a per-goroutine scratch set of mentor indices, used to rule out
// one request's never-mentors in O(1) per pair.
type marks []bool

func (m marks) set(list []int32, v bool) {
	for _, i := range list {
		m[i] = v
	}
}

// allowed reports whether request r may have mentor j; never must be
// marked for r.
func (p *pool) allowed(r int, j int32, never marks) bool {
	return !never[j] && p.cm[j].closed == Allowed && pairViolation(&p.cr[r], &p.cm[j]) == Allowed
}

func (p *pool) score(r int, j int32) int { return score(&p.cr[r], &p.cm[j], &p.w) }

// cand is one side of a scored pair: the other side's index and the score.
type cand struct {
	score int32
	idx   int32
}

// better orders candidates: higher score first, then lower index, so every
// list, heap and tie-break in the package agrees on one total order.
func better(a, b cand) bool {
	return a.score > b.score || a.score == b.score && a.idx < b.idx
}

func byBetter(a, b cand) int {
	return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.idx, b.idx))
}

// topK keeps the k best candidates offered, in a heap with the worst on
// top; k ≤ 0 keeps them all.
type topK struct {
	k int
	h []cand
}

func (t *topK) offer(c cand) {
	if t.k <= 0 || len(t.h) < t.k {
		t.h = append(t.h, c)
		if t.k > 0 {
			t.up(len(t.h) - 1)
		}
		return
	}
	if better(c, t.h[0]) {
		t.h[0] = c
		t.down(0)
	}
}

func (t *topK) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !better(t.h[parent], t.h[i]) {
			return
		}
		t.h[parent], t.h[i] = t.h[i], t.h[parent]
		i = parent
	}
}

func (t *topK) down(i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && better(t.h[worst], t.h[l]) {
			worst = l
		}
		if r < len(t.h) && better(t.h[worst], t.h[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.h[i], t.h[worst] = t.h[worst], t.h[i]
		i = worst
	}
}

// candidates scores every allowed pair once, in parallel over requests,
// and keeps each request's k best mentors and each mentor's l best
// requests (k or l ≤ 0: all; l < 0: no mentor lists). Lists come back
// best first. The result does not depend on how the work was split: each
// list is the top of a total order.
func (p *pool) candidates(k, l int) (perReq, perMentor [][]cand) {
	perReq = make([][]cand, len(p.reqs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(p.reqs)/64))
	mentorTops := make([][]topK, workers)
	var next atomic.Int64
	const chunk = 32
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			never := make(marks, len(p.mentors))
			var mine []topK
			if l >= 0 {
				mine = make([]topK, len(p.mentors))
				for j := range mine {
					mine[j].k = l
				}
			}
			top := topK{k: k}
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(p.reqs) {
					break
				}
				for r := lo; r < min(lo+chunk, len(p.reqs)); r++ {
					never.set(p.never[r], true)
					top.h = top.h[:0]
					for _, j := range p.open {
						if !p.allowed(r, j, never) {
							continue
						}
						s := int32(p.score(r, j))
						top.offer(cand{s, j})
						if mine != nil {
							mine[j].offer(cand{s, int32(r)})
						}
					}
					never.set(p.never[r], false)
					list := slices.Clone(top.h)
					slices.SortFunc(list, byBetter)
					perReq[r] = list
				}
			}
			mentorTops[wk] = mine
		}()
	}
	wg.Wait()
	if l < 0 {
		return perReq, nil
	}
	perMentor = make([][]cand, len(p.mentors))
	for j := range p.mentors {
		merged := topK{k: l}
		for wk := range workers {
			for _, c := range mentorTops[wk][j].h {
				merged.offer(c)
			}
		}
		slices.SortFunc(merged.h, byBetter)
		perMentor[j] = merged.h
	}
	return perReq, perMentor
}
