package match

import (
	"cmp"
	"math"
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

	// The parts of the score that candidates looks up rather than works
	// out for every pair (see fastScore): the mentors' distinct UTC
	// offsets, each mentor's index among them, and the availability term
	// by common hours.
	offsets  []int
	offsetOf []int32
	avail    [HoursPerWeek + 1]float64
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
	seenOffset := map[int]int32{}
	p.offsetOf = make([]int32, len(mentors))
	for i := range mentors {
		o := p.cm[i].offset
		k, ok := seenOffset[o]
		if !ok {
			k = int32(len(p.offsets))
			seenOffset[o] = k
			p.offsets = append(p.offsets, o)
		}
		p.offsetOf[i] = k
	}
	for c := range p.avail {
		p.avail[c] = p.w.Availability * math.Min(float64(c)/p.w.AvailabilityHours, 1)
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

// timeZones fills tz (one per distinct mentor offset) with request r's
// time-zone term, for fastScore.
func (p *pool) timeZones(r int, tz []float64) []float64 {
	tz = tz[:0]
	for _, o := range p.offsets {
		tz = append(tz, p.w.TimeZone*closeness(offsetDistance(p.cr[r].offset, o), p.w.TimeZoneHours))
	}
	return tz
}

// fastScore is score with the time-zone and availability terms looked up
// (tz from timeZones for r). It does the same floating-point operations in
// the same order, so it returns exactly what score does
// (TestFastScoreIsScore).
func (p *pool) fastScore(r *creq, j int32, tz []float64) int32 {
	m, w := &p.cm[j], &p.w
	s := 0.0
	if r.nTypes > 0 {
		k := w.Type
		if r.sameType == Preferred {
			k *= 2
		}
		s += k * float64(andCount(r.types, m.types)) / float64(r.nTypes)
	}
	if r.nTreatments > 0 {
		s += w.Treatment * float64(andCount(r.treatments, m.treatments)) / float64(r.nTreatments)
	}
	if r.nTopics > 0 {
		s += w.Topic * float64(andCount(r.topics, m.topics)) / float64(r.nTopics)
	}
	s += tz[p.offsetOf[j]]
	s += p.avail[r.week.Common(m.week)]
	s += w.Experience * m.experience
	s += w.Load * m.free
	s += w.Wait * r.wait
	return int32(math.Round(s * PointsPerWeight))
}

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
			var tz []float64
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(p.reqs) {
					break
				}
				for r := lo; r < min(lo+chunk, len(p.reqs)); r++ {
					never.set(p.never[r], true)
					top.h = top.h[:0]
					tz = p.timeZones(r, tz)
					cr := &p.cr[r]
					for _, j := range p.open {
						if never[j] || pairViolation(cr, &p.cm[j]) != Allowed {
							continue
						}
						c := cand{p.fastScore(cr, j, tz), j}
						if top.k <= 0 || len(top.h) < top.k || better(c, top.h[0]) {
							top.offer(c)
						}
						if mine != nil {
							if m := &mine[j]; m.k <= 0 || len(m.h) < m.k || better(cand{c.score, int32(r)}, m.h[0]) {
								m.offer(cand{c.score, int32(r)})
							}
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
