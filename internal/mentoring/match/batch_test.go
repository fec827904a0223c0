package match

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// checkAssignment verifies what every assignment must satisfy: each pair
// allowed by Check, each request at most once, no mentor over their free
// places, the totals adding up and every request either paired or listed
// as unmatched.
func checkAssignment(t *testing.T, name string, reqs []Request, mentors []Mentor, a Assignment) {
	t.Helper()
	reqByID := map[string]*Request{}
	for i := range reqs {
		reqByID[reqs[i].ID] = &reqs[i]
	}
	mentorByID := map[string]*Mentor{}
	for i := range mentors {
		mentorByID[mentors[i].ID] = &mentors[i]
	}
	seen := map[string]bool{}
	taken := map[string]int{}
	total := 0
	for _, p := range a.Pairs {
		r, m := reqByID[p.RequestID], mentorByID[p.MentorID]
		if r == nil || m == nil {
			t.Fatalf("%s: pair %s–%s names an unknown request or mentor", name, p.RequestID, p.MentorID)
		}
		if v := Check(*r, *m, testNow); v != Allowed {
			t.Errorf("%s: pair %s–%s breaks %q", name, p.RequestID, p.MentorID, v)
		}
		if seen[p.RequestID] {
			t.Errorf("%s: request %s matched twice", name, p.RequestID)
		}
		seen[p.RequestID] = true
		taken[p.MentorID]++
		total += p.Score
		if len(p.Reasons) == 0 {
			t.Errorf("%s: pair %s–%s has no reasons", name, p.RequestID, p.MentorID)
		}
	}
	for id, n := range taken {
		if m := mentorByID[id]; n > room(m) {
			t.Errorf("%s: mentor %s given %d mentees with %d free places", name, id, n, room(m))
		}
	}
	for _, id := range a.Unmatched {
		if seen[id] {
			t.Errorf("%s: request %s both matched and unmatched", name, id)
		}
		seen[id] = true
	}
	if len(seen) != len(reqs) {
		t.Errorf("%s: %d requests accounted for, want %d", name, len(seen), len(reqs))
	}
	if a.Matched != len(a.Pairs) || a.TotalScore != total {
		t.Errorf("%s: Matched %d TotalScore %d, pairs say %d and %d", name, a.Matched, a.TotalScore, len(a.Pairs), total)
	}
}

// exactBatch is the batch with no candidate limit.
func exactBatch(reqs []Request, mentors []Mentor, w Weights) Assignment {
	p := newPool(reqs, mentors, w, testNow)
	return p.assignment(p.batch(0, 0))
}

func TestAssignmentsKeepHardConstraints(t *testing.T) {
	w := DefaultWeights()
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		reqs, mentors := smallInstance(rng, 1+rng.IntN(40), 1+rng.IntN(15), 1+rng.IntN(5))
		name := fmt.Sprintf("seed %d", seed)
		checkAssignment(t, name+" batch", reqs, mentors, AssignBatch(reqs, mentors, w, testNow))
		checkAssignment(t, name+" exact", reqs, mentors, exactBatch(reqs, mentors, w))
		checkAssignment(t, name+" greedy", reqs, mentors, AssignGreedy(reqs, mentors, w, testNow))
	}
	// And on realistic data big enough for the candidate limits to bite.
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 2))
		mentors := realisticMentors(rng, 150)
		reqs := realisticRequests(rng, 600, mentors)
		name := fmt.Sprintf("realistic seed %d", seed)
		checkAssignment(t, name+" batch", reqs, mentors, AssignBatch(reqs, mentors, w, testNow))
		checkAssignment(t, name+" greedy", reqs, mentors, AssignGreedy(reqs, mentors, w, testNow))
	}
}

// bruteForce tries every assignment: each request gets no one or any
// allowed mentor with a place left. It uses Check, not the batch's own
// feasibility code, and returns the best (matched, total score).
func bruteForce(reqs []Request, mentors []Mentor, w Weights) (matched, total int) {
	p := newPool(reqs, mentors, w, testNow)
	left := make([]int, len(mentors))
	for j := range mentors {
		left[j] = max(room(&mentors[j]), 0)
	}
	allowed := make([][]int, len(reqs))
	for r := range reqs {
		for j := range mentors {
			if Check(reqs[r], mentors[j], testNow) == Allowed {
				allowed[r] = append(allowed[r], j)
			}
		}
	}
	bestM, bestS := 0, 0
	var walk func(r, m, s int)
	walk = func(r, m, s int) {
		if r == len(reqs) {
			if m > bestM || m == bestM && s > bestS {
				bestM, bestS = m, s
			}
			return
		}
		walk(r+1, m, s)
		for _, j := range allowed[r] {
			if left[j] > 0 {
				left[j]--
				walk(r+1, m+1, s+p.score(r, int32(j)))
				left[j]++
			}
		}
	}
	walk(0, 0, 0)
	return bestM, bestS
}

func TestBatchEqualsBruteForce(t *testing.T) {
	w := DefaultWeights()
	nontrivial := 0
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 3))
		reqs, mentors := smallInstance(rng, 2+rng.IntN(6), 2+rng.IntN(3), 2)
		// Open up half the mentors so most instances are a real contest
		// for places rather than a few lone feasible pairs.
		for j := range mentors {
			if rng.IntN(2) == 0 {
				mentors[j].Load, mentors[j].Paused, mentors[j].Approved = 0, false, true
			}
		}
		wantM, wantS := bruteForce(reqs, mentors, w)
		if wantM > 1 {
			nontrivial++
		}
		for name, a := range map[string]Assignment{
			"exact": exactBatch(reqs, mentors, w),
			"batch": AssignBatch(reqs, mentors, w, testNow),
		} {
			if a.Matched != wantM || a.TotalScore != wantS {
				t.Errorf("seed %d %s: matched %d score %d, brute force %d and %d",
					seed, name, a.Matched, a.TotalScore, wantM, wantS)
			}
		}
	}
	if nontrivial < 100 {
		t.Errorf("only %d of 300 instances matched more than one mentee; the generator is too harsh", nontrivial)
	}
}

// TestBatchPrefersMatchesOverScore pins the objective: two matches beat
// one better match.
func TestBatchPrefersMatchesOverScore(t *testing.T) {
	w := DefaultWeights()
	strong := mentor("strong")
	strong.Types, strong.Treatments = []string{"vestibular"}, []string{"acute:triptans"}
	weak := mentor("weak")
	weak.Languages = []string{"en", "es"}
	a := request("a") // fits strong well, weak a little, and has waited longer
	a.Types, a.Treatments = []string{"vestibular"}, []string{"acute:triptans"}
	a.WaitingSince = testNow.Add(-10 * day)
	b := request("b") // can only have strong
	b.Excluded = []string{"weak"}
	reqs, mentors := []Request{a, b}, []Mentor{strong, weak}
	got := AssignBatch(reqs, mentors, w, testNow)
	if got.Matched != 2 {
		t.Fatalf("matched %d, want 2: %+v", got.Matched, got.Pairs)
	}
	greedy := AssignGreedy(reqs, mentors, w, testNow)
	if greedy.Matched != 1 {
		t.Errorf("greedy matched %d; this case is meant to trip it up (a waits longer and takes strong)", greedy.Matched)
	}
}

func TestBatchNeverWorseThanGreedy(t *testing.T) {
	w := DefaultWeights()
	check := func(name string, reqs []Request, mentors []Mentor) (strictlyBetter bool) {
		b := AssignBatch(reqs, mentors, w, testNow)
		g := AssignGreedy(reqs, mentors, w, testNow)
		if b.Matched < g.Matched || b.Matched == g.Matched && b.TotalScore < g.TotalScore {
			t.Errorf("%s: batch matched %d scoring %d, greedy %d scoring %d", name, b.Matched, b.TotalScore, g.Matched, g.TotalScore)
		}
		return b.Matched > g.Matched || b.TotalScore > g.TotalScore
	}
	better := 0
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 4))
		reqs, mentors := smallInstance(rng, 1+rng.IntN(60), 1+rng.IntN(20), 1+rng.IntN(5))
		if check(fmt.Sprintf("seed %d", seed), reqs, mentors) {
			better++
		}
	}
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 5))
		mentors := realisticMentors(rng, 40+rng.IntN(200))
		reqs := realisticRequests(rng, 100+rng.IntN(800), mentors)
		check(fmt.Sprintf("realistic seed %d", seed), reqs, mentors)
	}
	t.Logf("batch beat greedy on %d of 200 small instances and tied on the rest", better)
}

// TestBatchEqualsFullGraphSolve checks, on instances too big for the
// reference Hungarian method, that starting from the candidate lists and
// pricing the rest gives exactly what the flow gives over every allowed
// pair at once.
func TestBatchEqualsFullGraphSolve(t *testing.T) {
	w := DefaultWeights()
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 6))
		mentors := realisticMentors(rng, 100+rng.IntN(200))
		if seed%2 == 0 {
			for j := range mentors {
				mentors[j].Load = 0
			}
		}
		reqs := realisticRequests(rng, 300+rng.IntN(900), mentors)
		got := AssignBatch(reqs, mentors, w, testNow)
		full := exactBatch(reqs, mentors, w)
		if got.Matched != full.Matched || got.TotalScore != full.TotalScore {
			t.Errorf("seed %d (%d × %d): batch matched %d scoring %d, full graph %d scoring %d",
				seed, len(reqs), len(mentors), got.Matched, got.TotalScore, full.Matched, full.TotalScore)
		}
	}
}

// TestFlowOptimalityCertificate checks the solver's own proof on instances
// too big for brute force: with its final potentials every residual arc
// has a non-negative reduced cost, which is exactly the condition for a
// cheapest flow, and every unit of supply is placed.
func TestFlowOptimalityCertificate(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 7))
		g := randomFlowGraph(rng)
		res := g.solve()
		nL := g.nLeft
		sink := nL + g.nRight
		used := make([]int32, g.nRight)
		placed := make([]int32, g.nLeft)
		for e, u := range res.used {
			if u {
				used[g.to[e]]++
				placed[g.from[e]]++
			}
		}
		for v := range g.nRight {
			if used[v] > g.capacity[v] {
				t.Fatalf("seed %d: right node %d over capacity", seed, v)
			}
			if used[v] < g.capacity[v] && res.pot[nL+v] != 0 {
				t.Errorf("seed %d: right node %d has room but potential %d", seed, v, res.pot[nL+v])
			}
		}
		if res.pot[sink] != 0 {
			t.Errorf("seed %d: unmatched node potential %d", seed, res.pot[sink])
		}
		for e := range g.from {
			u, v := int(g.from[e]), nL+int(g.to[e])
			if g.supply[u] == 0 {
				continue
			}
			rc := g.cost[e] + res.pot[u] - res.pot[v]
			if res.used[e] {
				rc = -rc
			}
			if rc < 0 {
				t.Errorf("seed %d: edge %d (used %v) has reduced cost %d", seed, e, res.used[e], rc)
			}
		}
		for u := range g.nLeft {
			if placed[u] > g.supply[u] {
				t.Errorf("seed %d: left node %d placed %d of %d units", seed, u, placed[u], g.supply[u])
			}
			if g.supply[u] == 0 {
				continue
			}
			if rc := g.unmatchedCost + res.pot[u]; rc < 0 {
				t.Errorf("seed %d: left node %d → unmatched has reduced cost %d", seed, u, rc)
			}
			if placed[u] < g.supply[u] && -g.unmatchedCost-res.pot[u] < 0 {
				t.Errorf("seed %d: left node %d has units unmatched but the reverse arc has negative reduced cost", seed, u)
			}
		}
	}
}

func randomFlowGraph(rng *rand.Rand) *flowGraph {
	g := &flowGraph{nLeft: 20 + rng.IntN(200), nRight: 10 + rng.IntN(100)}
	g.supply = make([]int32, g.nLeft)
	for u := range g.supply {
		g.supply[u] = int32(rng.IntN(4))
	}
	g.capacity = make([]int32, g.nRight)
	for v := range g.capacity {
		g.capacity[v] = int32(rng.IntN(4))
	}
	maxCost := int64(1 + rng.IntN(1000))
	for u := range g.nLeft {
		for v := range g.nRight {
			if rng.IntN(10) == 0 {
				g.from, g.to = append(g.from, int32(u)), append(g.to, int32(v))
				g.cost = append(g.cost, rng.Int64N(maxCost+1))
			}
		}
	}
	g.unmatchedCost = int64(g.nLeft*3)*maxCost + 1
	return g
}

// TestAddingEdgesKeepsTheFlowOptimal checks repair.go: a flow solved on
// part of a random graph, then given the rest of its edges in batches,
// ends exactly as cheap as the flow solved on all of them at once, and
// its potentials still certify it (every residual arc, those to and from
// the unmatched node and the sink included, has a non-negative reduced
// cost).
func TestAddingEdgesKeepsTheFlowOptimal(t *testing.T) {
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 15))
		full := randomFlowGraph(rng)
		want := flowCost(full, full.solve())

		part := &flowGraph{nLeft: full.nLeft, nRight: full.nRight, supply: full.supply, capacity: full.capacity,
			unmatchedCost: full.unmatchedCost}
		var rest []int
		for e := range full.from {
			if rng.IntN(3) == 0 {
				part.from, part.to, part.cost = append(part.from, full.from[e]), append(part.to, full.to[e]), append(part.cost, full.cost[e])
			} else {
				rest = append(rest, e)
			}
		}
		res := part.solve()
		for len(rest) > 0 {
			n := min(len(rest), 1+rng.IntN(40))
			var from, to []int32
			var cost []int64
			for _, e := range rest[:n] {
				from, to, cost = append(from, full.from[e]), append(to, full.to[e]), append(cost, full.cost[e])
			}
			rest = rest[n:]
			res = res.state.add(from, to, cost)
			checkRepairedCertificate(t, seed, res)
		}
		if got := flowCost(part, res); got != want {
			t.Errorf("seed %d: edges added in batches cost %d, all at once %d", seed, got, want)
		}
	}
}

// flowCost is the total cost of a solved flow, unmatched units included.
func flowCost(g *flowGraph, res flowResult) int64 {
	var total int64
	placed := make([]int32, g.nLeft)
	for e, u := range res.used {
		if u {
			total += g.cost[e]
			placed[g.from[e]]++
		}
	}
	for u := range g.nLeft {
		total += int64(g.supply[u]-placed[u]) * g.unmatchedCost
	}
	return total
}

func checkRepairedCertificate(t *testing.T, seed uint64, res flowResult) {
	t.Helper()
	st := res.state
	g := st.g
	nL := g.nLeft
	pot := st.pot
	z, tt := int(st.z()), int(st.t())
	held := make([]int32, g.nRight)
	placed := make([]int32, g.nLeft)
	for e, u := range res.used {
		rc := g.cost[e] + pot[g.from[e]] - pot[nL+int(g.to[e])]
		if u {
			held[g.to[e]]++
			placed[g.from[e]]++
			rc = -rc
		}
		if rc < 0 {
			t.Fatalf("seed %d: edge %d (used %v) has reduced cost %d", seed, e, u, rc)
		}
	}
	anyAtZ := false
	for u := range g.nLeft {
		if placed[u] > g.supply[u] {
			t.Fatalf("seed %d: left node %d placed %d of %d units", seed, u, placed[u], g.supply[u])
		}
		if g.supply[u] == 0 {
			continue
		}
		if rc := g.unmatchedCost + pot[u] - pot[z]; rc < 0 {
			t.Fatalf("seed %d: left %d → Z reduced cost %d", seed, u, rc)
		}
		if placed[u] < g.supply[u] {
			anyAtZ = true
			if rc := -g.unmatchedCost + pot[z] - pot[u]; rc < 0 {
				t.Fatalf("seed %d: Z → left %d reduced cost %d", seed, u, rc)
			}
		}
	}
	for v := range g.nRight {
		if held[v] > g.capacity[v] {
			t.Fatalf("seed %d: right node %d over capacity", seed, v)
		}
		if held[v] < g.capacity[v] && pot[nL+v]-pot[tt] < 0 {
			t.Fatalf("seed %d: right %d → T reduced cost %d", seed, v, pot[nL+v]-pot[tt])
		}
		if held[v] > 0 && pot[tt]-pot[nL+v] < 0 {
			t.Fatalf("seed %d: T → right %d reduced cost %d", seed, v, pot[tt]-pot[nL+v])
		}
	}
	if pot[z]-pot[tt] < 0 || anyAtZ && pot[tt]-pot[z] < 0 {
		t.Fatalf("seed %d: Z and T potentials %d and %d", seed, pot[z], pot[tt])
	}
}
