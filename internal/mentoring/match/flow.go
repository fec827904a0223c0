package match

import (
	"cmp"
	"slices"
)

// A min-cost flow on a bipartite graph, solved by successive shortest
// paths with node potentials (Dijkstra on reduced costs), one unit of
// supply at a time, Hungarian-style.
//
// Left nodes have units of supply and right nodes capacities; edge e joins
// from[e] (left) to to[e] (right), carries at most one unit and costs
// cost[e] ≥ 0. Every left unit must end somewhere: on an edge, or at the
// "unmatched" node for unmatchedCost. With unmatchedCost larger than any
// difference the edge costs can make, the cheapest flow first leaves the
// fewest units unmatched and then has the least edge cost; AssignBatch
// sets costs so that means "most mentees matched, then highest total
// score".
//
// Each search starts at one left node with a unit to place and ends at
// the nearest node that can absorb it: a right node with room, or the
// unmatched node. Residual arcs are
//
//	left u → right v     edge unused,  reduced cost  cost + π(u) − π(v)
//	right v → left u     edge used,    reduced cost −cost + π(v) − π(u)
//	left u → unmatched                 reduced cost  B + π(u) − π(unmatched)
//
// and potentials keep every reduced cost ≥ 0, so Dijkstra applies. Those
// absorbing nodes are never expanded, only recorded as the best end so
// far, and nothing at or beyond that distance is queued. After a search
// that ended at distance D, only the nodes settled closer than D change
// potential (π −= D − d); this is the usual truncated update and keeps
// each search proportional to the part of the graph it looked at. So
// right nodes with room and the unmatched node keep potential 0, which is
// what makes their distances comparable and lets the search end at the
// nearest.
//
// Searching from a single node is valid because each step is the
// successive-shortest-path step of a flow with supplies at the left nodes
// and demand at a sink behind the right nodes and the unmatched node: the
// residual graph keeps no negative cycle, so the final flow is a cheapest
// one. A left node's potential is set the first time it is searched from,
// just high enough to make its arcs non-negative; until then nothing can
// reach it, since arcs into a left node exist only for its used edges.
//
// Cost: one Dijkstra per unit placed, O(U · E log V) at worst for U units,
// but a search ends at the first free right node, so on most graphs it
// touches a small neighbourhood. Units whose search ends unmatched are
// the exception: with B so large, they cover everything they can reach.

type flowGraph struct {
	nLeft, nRight int
	supply        []int32 // units per left node
	capacity      []int32 // per right node
	from, to      []int32 // per edge
	cost          []int64 // per edge, ≥ 0
	unmatchedCost int64   // per unit left unmatched
}

type flowResult struct {
	used []bool  // per edge
	pot  []int64 // final potentials: left nodes, right nodes, the unmatched node, then the sink behind the right nodes
	// state is the solver's own, kept so edges can be added (repair.go).
	state *flowState
}

// arc is an edge as the search reads it, stored in the left node's run of
// the adjacency so one left node's arcs sit together in memory.
type arc struct {
	cost    int64
	to      int32 // right node
	used    bool
	pending bool // added and not yet placed (repair.go); searches skip it
}

// label is the search state of one node, kept together for the same reason.
type label struct {
	dist   int64
	parent int32  // slot of the arc into the node; for the sink, the left node
	seen   uint32 // search number that set dist
	done   uint32 // search number that settled the node
}

func (g *flowGraph) solve() flowResult {
	nL, nR := g.nLeft, g.nRight
	n := nL + nR + 2       // and the sink behind the right nodes, for repair.go
	sink := int32(nL + nR) // the unmatched node
	right := func(v int32) int32 { return int32(nL) + v }

	// Left adjacency, CSR; slot k holds edge edgeOf[k] from left node owner[k].
	start := make([]int32, nL+1)
	for _, u := range g.from {
		start[u+1]++
	}
	for u := range nL {
		start[u+1] += start[u]
	}
	arcs := make([]arc, len(g.from))
	edgeOf := make([]int32, len(g.from))
	owner := make([]int32, len(g.from))
	fill := append([]int32(nil), start[:nL]...)
	for e, u := range g.from {
		k := fill[u]
		fill[u]++
		arcs[k] = arc{cost: g.cost[e], to: g.to[e]}
		edgeOf[k], owner[k] = int32(e), u
	}
	// Each left node's arcs cheapest first: right potentials are never
	// above 0, so an arc's reduced cost is at least cost + π(left), and a
	// search can stop reading a node's arcs at the first that cannot beat
	// the best end found so far.
	for u := range nL {
		lo, hi := start[u], start[u+1]
		if hi-lo > 1 {
			sortArcs(arcs[lo:hi], edgeOf[lo:hi])
		}
	}

	holders := make([][]int32, nR) // slots of used arcs into each right node
	pot := make([]int64, n)
	ready := make([]bool, nL)
	lab := make([]label, n)
	var gen uint32
	var h distHeap
	var settled []int32

	search := func(s int32) {
		if !ready[s] {
			p := -g.unmatchedCost
			for _, a := range arcs[start[s]:start[s+1]] {
				p = max(p, pot[right(a.to)]-a.cost)
			}
			pot[s], ready[s] = p, true
		}
		gen++
		settled = settled[:0]
		h = h[:0]
		lab[s] = label{dist: 0, parent: -1, seen: gen}
		h.push(distItem{0, s})
		// Terminals (right nodes with room, the sink) are never expanded,
		// so they are recorded as candidates instead of queued, and nothing
		// at or beyond the best candidate is queued: it could not matter.
		term, best := int32(-1), int64(1<<62)
		for len(h) > 0 {
			it := h.pop()
			x, d := it.node, it.dist
			if d >= best {
				break
			}
			lx := &lab[x]
			if lx.done == gen || d > lx.dist {
				continue
			}
			lx.done = gen
			settled = append(settled, x)
			px := pot[x]
			if x >= int32(nL) { // a full right node: back along its used arcs
				for _, k := range holders[x-int32(nL)] {
					u := owner[k]
					nd := d - arcs[k].cost + px - pot[u]
					lu := &lab[u]
					if nd < best && lu.done != gen && (lu.seen != gen || nd < lu.dist) {
						*lu = label{dist: nd, parent: k, seen: gen}
						h.push(distItem{nd, u})
					}
				}
				continue
			}
			for k := start[x]; k < start[x+1]; k++ {
				a := &arcs[k]
				if d+a.cost+px >= best {
					break // and so are all the arcs after it
				}
				if a.used {
					continue
				}
				y := right(a.to)
				nd := d + a.cost + px - pot[y]
				if nd >= best {
					continue
				}
				ly := &lab[y]
				if ly.done == gen || ly.seen == gen && nd >= ly.dist {
					continue
				}
				*ly = label{dist: nd, parent: k, seen: gen}
				if int32(len(holders[a.to])) < g.capacity[a.to] {
					term, best = y, nd
				} else {
					h.push(distItem{nd, y})
				}
			}
			if nd := d + g.unmatchedCost + px - pot[sink]; nd < best {
				lab[sink] = label{dist: nd, parent: x, seen: gen}
				term, best = sink, nd
			}
		}
		// The sink is always a candidate, so term is set. Settled nodes
		// closer than best move; the rest keep their potential.
		for _, x := range settled {
			if dx := lab[x].dist; dx < best {
				pot[x] -= best - dx
			}
		}
		// Augment back from the terminal: each right node on the path
		// swaps the arc it held for the one the path came in on.
		var x int32
		if term == sink {
			x = lab[sink].parent
		} else {
			k := lab[term].parent
			arcs[k].used = true
			v := term - int32(nL)
			holders[v] = append(holders[v], k)
			x = owner[k]
		}
		for x != s {
			out := lab[x].parent // slot of the used arc the path left by (right → x)
			v := arcs[out].to
			arcs[out].used = false
			holders[v] = remove32(holders[v], out)
			in := lab[right(v)].parent // slot of the arc the path reached v by
			arcs[in].used = true
			holders[v] = append(holders[v], in)
			x = owner[in]
		}
	}

	// Any order of units gives a cheapest flow, but not the same work.
	// Units whose best arc is cheapest go first: they mostly keep that
	// arc, so the structure the later, harder units search through is
	// settled early, and the units likely to end unmatched (whose search
	// must cover everything they can reach) come last, when potentials are
	// nearly final. Measured, it does 2–5× less work than input order
	// when many units end unmatched. Nodes take turns by rounds: every
	// node's first unit, then second units.
	order := make([]int32, 0, nL)
	bestArc := make([]int64, nL)
	for u := range nL {
		if g.supply[u] == 0 {
			continue
		}
		order = append(order, int32(u))
		bestArc[u] = g.unmatchedCost
		for _, a := range arcs[start[u]:start[u+1]] {
			bestArc[u] = min(bestArc[u], a.cost)
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(bestArc[a], bestArc[b]) })
	for round := int32(0); len(order) > 0; round++ {
		next := order[:0]
		for _, u := range order {
			search(u)
			if g.supply[u] > round+1 {
				next = append(next, u)
			}
		}
		order = next
	}
	st := &flowState{g: g, start: start, arcs: arcs, edgeOf: edgeOf, owner: owner, holders: holders, pot: pot,
		lab: lab, gen: gen, heap: h}
	return st.result()
}

func remove32(s []int32, x int32) []int32 {
	for i, y := range s {
		if y == x {
			s[i] = s[len(s)-1]
			return s[:len(s)-1]
		}
	}
	return s
}

type distItem struct {
	dist int64
	node int32
}

// distHeap is a binary min-heap by distance, written out because it is
// the innermost loop and container/heap's interface calls are not free.
type distHeap []distItem

func (h *distHeap) push(it distItem) {
	*h = append(*h, it)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].dist <= s[i].dist {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *distHeap) pop() distItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].dist < s[m].dist {
			m = l
		}
		if r < len(s) && s[r].dist < s[m].dist {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// sortArcs sorts one node's arcs by cost, keeping edgeOf in step.
func sortArcs(arcs []arc, edgeOf []int32) {
	for i := 1; i < len(arcs); i++ {
		a, e := arcs[i], edgeOf[i]
		j := i
		for j > 0 && arcs[j-1].cost > a.cost {
			arcs[j], edgeOf[j] = arcs[j-1], edgeOf[j-1]
			j--
		}
		arcs[j], edgeOf[j] = a, e
	}
}
