package match

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Candidate limits for AssignBatch's first solve. Scoring every pair is
// cheap (tens of nanoseconds); the flow is what grows with the number of
// edges, so it first gets only each request's best mentors, each mentor's
// batchMentorTopL best requests (so a mentor who is nobody's favourite
// still has requests to take) and the greedy baseline's pairs (so the
// batch never does worse than greedy). The cut never costs optimality:
// the solve is then priced against every allowed pair (see price), and any
// pair that could improve it is added (see repair.go). The limits only
// trade the first solve's size against the pairs added after: when
// requests search (places for most of them), 60 per request leave a few
// dozen pairs to add on the 4,500 × 1,000 balanced case where 30 left
// 300; when mentors search (places short), 30 is plenty.
const (
	batchTopK         = 30
	batchTopKBalanced = 60
	batchMentorTopL   = 30
)

// AssignBatch gives each waiting request at most one mentor, all at once,
// never breaking a hard constraint (see Check) or a mentor's free places
// (Capacity − Load). It matches as many mentees as possible and, among
// the assignments that match that many, takes one with the highest total
// Score: exactly, over every allowed pair, not only the candidates it
// starts from (see batch). The wait factor in the score makes a
// long-waiting mentee's match worth more, so when places run short long
// waits tip the choice of who is matched; how far is Weights.Wait's to say
// (see DefaultWeights).
//
// PendingOffers is not counted against capacity here: a batch is the
// allocation itself. A caller that holds places for offers out should add
// them to Load first.
//
// Invalid weights are replaced by DefaultWeights (see Weights.Validate).
func AssignBatch(reqs []Request, mentors []Mentor, weights Weights, now time.Time) Assignment {
	p := newPool(reqs, mentors, usable(weights), now)
	k, places := batchTopK, 0
	for _, j := range p.open {
		places += p.cm[j].room
	}
	if !mentorsSearch(places, len(reqs)) {
		k = batchTopKBalanced
	}
	return p.assignment(p.batch(k, batchMentorTopL))
}

// batch solves the min-cost flow (flow.go) over each request's k best
// mentors, each mentor's l best requests and the greedy pairs (k ≤ 0: every
// allowed pair), then prices every allowed pair left out against the
// solve's potentials. A pair whose reduced cost is negative could improve
// the result: such pairs are added to the solved flow, which is repaired
// to be optimal again with them (repair.go), and priced again, until none
// is left. Then the potentials are an optimality certificate for the whole
// problem (every residual arc, the left-out pairs included, has a
// non-negative reduced cost), so the result is exactly optimal whatever k
// and l are; they only decide how fast it gets there.
func (p *pool) batch(k, l int) []pick {
	if k <= 0 {
		l = -1 // every pair is already in
	}
	perReq, perMentor := p.candidates(k, l)
	complete := make([]bool, len(p.reqs))
	for r := range complete {
		complete[r] = k <= 0 || len(perReq[r]) < k
	}
	greedy := p.greedy(perReq, complete)

	// Mentor lists turned around, so edges can be gathered per request.
	fromMentors := make([][]cand, len(p.reqs))
	for j, list := range perMentor {
		for _, c := range list {
			fromMentors[c.idx] = append(fromMentors[c.idx], cand{c.score, int32(j)})
		}
	}
	// Edges per request, each pair once.
	edges := make([][]cand, len(p.reqs))
	seen := make([]int32, len(p.mentors)) // request+1 that last added the mentor
	for r := range p.reqs {
		add := func(c cand) {
			if seen[c.idx] != int32(r+1) {
				seen[c.idx] = int32(r + 1)
				edges[r] = append(edges[r], c)
			}
		}
		for _, c := range perReq[r] {
			add(c)
		}
		for _, c := range fromMentors[r] {
			add(c)
		}
		if g := greedy[r]; g.mentor >= 0 {
			add(cand{g.score, g.mentor})
		}
	}

	// The best score of all and the unmatched cost depend on every
	// allowed pair, not on the edges, so they stay the same from one
	// solve to the next. smax is in some request's list: each list holds
	// its request's best.
	var smax int32
	reqUnits, places := 0, 0
	for r := range p.reqs {
		if len(perReq[r]) > 0 {
			smax = max(smax, perReq[r][0].score)
			reqUnits++
		}
	}
	for _, j := range p.open {
		places += p.cm[j].room
	}
	picks := make([]pick, len(p.reqs))
	for r := range picks {
		picks[r] = pick{mentor: -1}
	}
	if reqUnits == 0 {
		return picks
	}
	unmatched := int64(min(reqUnits, places))*int64(smax) + 1
	sol := p.solve(edges, smax, unmatched)
	for k > 0 {
		extra := p.price(edges, complete, perReq, sol)
		if len(extra) == 0 {
			break
		}
		for _, e := range extra {
			edges[e.req] = append(edges[e.req], e.cand)
		}
		sol = sol.add(extra)
	}
	return sol.picks
}

// solution is one solve's picks and its potentials, read as a bound on
// each pair's score: the pair (r, j) cannot improve the solve when
// score(r, j) ≤ alpha[r] + beta[j] (its reduced cost is then ≥ 0).
type solution struct {
	picks       []pick
	alpha, beta []int64 // per request, per mentor

	// The flow behind it, so that pairs can be added.
	state         *flowState
	mentorsLeft   bool
	smax          int32
	eReq, eMentor []int32 // per edge
	eScore        []int32
}

// add adds pairs to the flow behind sol and returns the new optimum over
// all its pairs (see repair.go).
func (sol solution) add(extra []extraEdge) solution {
	from, to, cost := make([]int32, len(extra)), make([]int32, len(extra)), make([]int64, len(extra))
	for i, e := range extra {
		if sol.mentorsLeft {
			from[i], to[i] = e.idx, int32(e.req)
		} else {
			from[i], to[i] = int32(e.req), e.idx
		}
		cost[i] = int64(sol.smax - e.score)
		sol.eReq, sol.eMentor, sol.eScore = append(sol.eReq, int32(e.req)), append(sol.eMentor, e.idx), append(sol.eScore, e.score)
	}
	return sol.read(sol.state.add(from, to, cost))
}

// read turns a flow result into picks and score bounds.
func (sol solution) read(res flowResult) solution {
	sol.state = res.state
	for r := range sol.picks {
		sol.picks[r] = pick{mentor: -1}
	}
	for e, u := range res.used {
		if u {
			sol.picks[sol.eReq[e]] = pick{sol.eMentor[e], sol.eScore[e]}
		}
	}
	// Reduced cost of the arc for (r, j): smax − s + π(left) − π(right).
	nL := int64(res.state.g.nLeft)
	for r := range sol.alpha {
		if sol.mentorsLeft {
			sol.alpha[r] = -res.pot[nL+int64(r)]
		} else {
			sol.alpha[r] = int64(sol.smax) + res.pot[r]
		}
	}
	for j := range sol.beta {
		if sol.mentorsLeft {
			sol.beta[j] = int64(sol.smax) + res.pot[j]
		} else {
			sol.beta[j] = -res.pot[nL+int64(j)]
		}
	}
	return sol
}

// solve runs the flow over the edges.
func (p *pool) solve(edges [][]cand, smax int32, unmatched int64) solution {
	nEdges := 0
	for _, list := range edges {
		nEdges += len(list)
	}
	eReq, eMentor, eScore := make([]int32, 0, nEdges), make([]int32, 0, nEdges), make([]int32, 0, nEdges)
	reqHasEdge := make([]bool, len(p.reqs))
	mentorHasEdge := make([]bool, len(p.mentors))
	for r, list := range edges {
		for _, c := range list {
			eReq, eMentor, eScore = append(eReq, int32(r)), append(eMentor, c.idx), append(eScore, c.score)
			reqHasEdge[r], mentorHasEdge[c.idx] = true, true
		}
	}
	reqUnits, places := 0, 0
	for _, has := range reqHasEdge {
		if has {
			reqUnits++
		}
	}
	for j, has := range mentorHasEdge {
		if has {
			places += p.cm[j].room
		}
	}

	// Which side to search from. Late searches must reach one of the few
	// free nodes left on the other side, so the side with far fewer units
	// should search: then the other side keeps plenty free. Near balance,
	// searching from requests is measured to be cheaper (1.5–2.5× on the
	// 5,000 × 1,000 balanced cases), because a request has about batchTopK
	// arcs to expand and a popular mentor hundreds; so mentors search only
	// when their places are clearly fewer. Nodes without edges get no
	// supply: their units could only go unmatched.
	g := &flowGraph{cost: make([]int64, len(eReq)), unmatchedCost: unmatched}
	mentorsLeft := mentorsSearch(places, reqUnits)
	if mentorsLeft {
		g.nLeft, g.nRight = len(p.mentors), len(p.reqs)
		g.from, g.to = eMentor, eReq
		g.supply, g.capacity = make([]int32, g.nLeft), make([]int32, g.nRight)
		for j, has := range mentorHasEdge {
			if has {
				g.supply[j] = int32(p.cm[j].room)
			}
		}
		for r := range g.capacity {
			g.capacity[r] = 1
		}
	} else {
		g.nLeft, g.nRight = len(p.reqs), len(p.mentors)
		g.from, g.to = eReq, eMentor
		g.supply, g.capacity = make([]int32, g.nLeft), make([]int32, g.nRight)
		for r, has := range reqHasEdge {
			if has {
				g.supply[r] = 1
			}
		}
		for j, has := range mentorHasEdge {
			if has {
				g.capacity[j] = int32(p.cm[j].room)
			}
		}
	}
	// Cost smax − score is ≥ 0 and ranks pairs as the score does. Leaving
	// a unit unmatched costs more than all the edge cost any assignment
	// can have, so one more match always beats any gain in score.
	for e, s := range eScore {
		g.cost[e] = int64(smax - s)
	}

	sol := solution{picks: make([]pick, len(p.reqs)), alpha: make([]int64, len(p.reqs)), beta: make([]int64, len(p.mentors)),
		mentorsLeft: mentorsLeft, smax: smax, eReq: eReq, eMentor: eMentor, eScore: eScore}
	return sol.read(g.solve())
}

// mentorsSearch says which side the flow searches from (see solve): the
// mentors' places when they are clearly fewer than the requests.
func mentorsSearch(places, requests int) bool { return 5*places < 4*requests }

// extraEdge is an allowed pair found by price to improve a solve.
type extraEdge struct {
	req int
	cand
}

// price returns every allowed pair not among the edges whose reduced cost
// under sol's potentials is negative. A request whose list holds all its
// allowed mentors (complete) has none left out. For the others, every
// left-out pair scores at most the list's last score, so only mentors
// with beta[j] below that score minus alpha[r] can fail, and they are
// looked at in order of beta: on most requests none is.
func (p *pool) price(edges [][]cand, complete []bool, perReq [][]cand, sol solution) []extraEdge {
	byBeta := slices.Clone(p.open)
	slices.SortFunc(byBeta, func(a, b int32) int {
		switch {
		case sol.beta[a] < sol.beta[b]:
			return -1
		case sol.beta[a] > sol.beta[b]:
			return 1
		}
		return 0
	})
	workers := max(1, min(runtime.GOMAXPROCS(0), len(p.reqs)/256))
	found := make([][]extraEdge, workers)
	var next atomic.Int64
	const chunk = 64
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			never := make(marks, len(p.mentors))
			in := make(marks, len(p.mentors))
			var mine []extraEdge
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(p.reqs) {
					break
				}
				for r := lo; r < min(lo+chunk, len(p.reqs)); r++ {
					if complete[r] || len(perReq[r]) == 0 {
						continue
					}
					bound := int64(perReq[r][len(perReq[r])-1].score) - sol.alpha[r]
					if len(byBeta) == 0 || sol.beta[byBeta[0]] >= bound {
						continue
					}
					never.set(p.never[r], true)
					for _, c := range edges[r] {
						in[c.idx] = true
					}
					for _, j := range byBeta {
						if sol.beta[j] >= bound {
							break
						}
						if in[j] || !p.allowed(r, j, never) {
							continue
						}
						if s := p.score(r, j); int64(s) > sol.alpha[r]+sol.beta[j] {
							mine = append(mine, extraEdge{r, cand{int32(s), j}})
						}
					}
					for _, c := range edges[r] {
						in[c.idx] = false
					}
					never.set(p.never[r], false)
				}
			}
			found[wk] = mine
		}()
	}
	wg.Wait()
	return slices.Concat(found...)
}
