package match

// Adding edges to a solved flow (batch.go adds the pairs pricing finds)
// without solving again from scratch.
//
// The solved flow is optimal and its potentials make every residual arc's
// reduced cost non-negative; in this file the sink behind the right nodes
// (T) and the unmatched node (Z) are ordinary nodes with potentials of
// their own, and the residual arcs are those of flow.go plus
//
//	right v → T   v has room         reduced cost  π(v) − π(T)
//	T → right v   v holds a unit     reduced cost  π(T) − π(v)
//	Z → left u    u has a unit at Z  reduced cost −B + π(Z) − π(u)
//	Z → T, and T → Z while some unit is at Z, at π(Z) − π(T) and back.
//
// A new edge whose reduced cost is ≥ 0 changes nothing: it is added
// unused. One whose reduced cost is negative is saturated (used at once),
// which makes its residual arc (the reverse) positive, but leaves its left
// node with one unit too many going out (a deficit) and the right node, or
// T behind it when it had room, with one too many coming in (an excess).
// One shortest path from the excess to the deficit in the residual graph,
// with the usual potential update, restores a feasible flow with
// non-negative reduced costs everywhere: a successive-shortest-path step,
// so the flow is again optimal for the edges it has. The path is searched
// backwards from the deficit, since what it must find is who else can take
// the place its left node gives up, which is close by.

// flowState is a solved flow, as solve left it.
type flowState struct {
	g       *flowGraph
	start   []int32 // CSR of each left node's arcs
	arcs    []arc
	edgeOf  []int32 // edge index per slot
	owner   []int32 // left node per slot
	holders [][]int32
	pot     []int64 // left, right, Z, T
	lab     []label
	gen     uint32
	heap    distHeap

	rstart []int32 // CSR of the slots of the arcs into each right node
	rslots []int32
	// The same arcs as the backward search reads them, side by side in
	// rslots' order, so that scanning a right node's arcs reads memory in
	// sequence rather than one arc here and one there (it was most of the
	// repair's time): cost, left node, and whether the arc is open
	// (neither used nor pending). rpos is each slot's place in rin.
	rin  []inArc
	rpos []int32
	atZ  []int32 // per left node, its units at Z
	next []int32 // per node, the next node on a repair path
}

func (st *flowState) z() int32 { return int32(st.g.nLeft + st.g.nRight) }
func (st *flowState) t() int32 { return int32(st.g.nLeft+st.g.nRight) + 1 }

func (st *flowState) result() flowResult {
	used := make([]bool, len(st.g.from))
	for k, a := range st.arcs {
		used[st.edgeOf[k]] = a.used
	}
	return flowResult{used: used, pot: st.pot, state: st}
}

// atZ1 counts how many of left node u's units are unmatched.
func (st *flowState) atZ1(u int32) int32 {
	n := st.g.supply[u]
	for _, a := range st.arcs[st.start[u]:st.start[u+1]] {
		if a.used {
			n--
		}
	}
	return n
}

// add adds edges (left, right, cost) to the solved flow and makes it
// optimal again for all its edges; it returns the new result.
func (st *flowState) add(from, to []int32, cost []int64) flowResult {
	g := st.g
	first := len(g.from)
	g.from, g.to, g.cost = append(g.from, from...), append(g.to, to...), append(g.cost, cost...)

	// Rebuild the CSR with the new arcs pending, keeping what is used.
	nL, nR := g.nLeft, g.nRight
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
	put := func(u int32, a arc, e int32) {
		k := fill[u]
		fill[u]++
		arcs[k], edgeOf[k], owner[k] = a, e, u
	}
	for k, a := range st.arcs {
		put(st.owner[k], a, st.edgeOf[k])
	}
	for e := first; e < len(g.from); e++ {
		put(g.from[e], arc{cost: g.cost[e], to: g.to[e], pending: true}, int32(e))
	}
	holders := make([][]int32, nR)
	rcount := make([]int32, nR+1)
	for k, a := range arcs {
		if a.used {
			holders[a.to] = append(holders[a.to], int32(k))
		}
		rcount[a.to+1]++
	}
	for v := range nR {
		rcount[v+1] += rcount[v]
	}
	rslots := make([]int32, len(arcs))
	rfill := append([]int32(nil), rcount[:nR]...)
	for k, a := range arcs {
		rslots[rfill[a.to]] = int32(k)
		rfill[a.to]++
	}
	rin, rpos := make([]inArc, len(arcs)), make([]int32, len(arcs))
	for i, k := range rslots {
		a := &arcs[k]
		rin[i] = inArc{cost: a.cost, from: owner[k], open: !a.used && !a.pending}
		rpos[k] = int32(i)
	}
	st.start, st.arcs, st.edgeOf, st.owner, st.holders, st.rstart, st.rslots = start, arcs, edgeOf, owner, holders, rcount, rslots
	st.rin, st.rpos = rin, rpos

	if st.atZ == nil {
		st.atZ = make([]int32, nL)
		for u := range int32(nL) {
			st.atZ[u] = st.atZ1(u)
		}
		st.next = make([]int32, len(st.pot))
	}
	newSlots := make([]int32, 0, len(from))
	for k, e := range edgeOf {
		if int(e) >= first {
			newSlots = append(newSlots, int32(k))
		}
	}
	for _, k := range newSlots {
		a := &st.arcs[k]
		a.pending = false
		st.rin[st.rpos[k]].open = true
		u, v := st.owner[k], a.to
		if a.cost+st.pot[u]-st.pot[int32(nL)+v] >= 0 {
			continue // cannot improve anything: stays unused
		}
		st.setUsed(k, true)
		source := st.t()
		if int32(len(st.holders[v])) >= g.capacity[v] {
			source = int32(nL) + v // over its capacity now
		}
		st.holders[v] = append(st.holders[v], k)
		st.resolve(source, u)
	}
	return st.result()
}

// Parents in the backward search: the slot of a left–right arc, or one of
// these for the arcs to and from Z and T.
const (
	viaZ  = -2 - iota // left → Z or Z → left (the left node is the other end)
	viaT              // right → T or T → right
	viaZT             // Z → T or T → Z
)

// resolve moves one unit from the excess node source to the deficit left
// node target along a shortest residual path, searched backwards from the
// target, and updates the potentials.
func (st *flowState) resolve(source, target int32) {
	g := st.g
	nL := int32(g.nLeft)
	z, t := st.z(), st.t()
	pot, lab := st.pot, st.lab
	B := g.unmatchedCost
	st.gen++
	gen := st.gen
	// next[x] is the node after x on the path to the target.
	var settled []int32
	h := st.heap[:0]
	lab[target] = label{dist: 0, parent: -1, seen: gen}
	h.push(distItem{0, target})
	next, atZ := st.next, st.atZ
	// bound is the best distance to the source found so far: nothing at
	// or beyond it can be on the shortest path, so it is not queued.
	bound := int64(1 << 62)
	relax := func(x int32, nd int64, parent, after int32) {
		if nd >= bound {
			return
		}
		lx := &lab[x]
		if lx.done == gen || lx.seen == gen && nd >= lx.dist {
			return
		}
		if x == source {
			bound = nd
		}
		*lx = label{dist: nd, parent: parent, seen: gen}
		next[x] = after
		h.push(distItem{nd, x})
	}
	anyAtZ := false
	for _, n := range atZ {
		if n > 0 {
			anyAtZ = true
			break
		}
	}
	found := false
	for len(h) > 0 {
		it := h.pop()
		y, d := it.node, it.dist
		ly := &lab[y]
		if ly.done == gen || d > ly.dist {
			continue
		}
		ly.done = gen
		settled = append(settled, y)
		if y == source {
			found = true
			break
		}
		py := pot[y]
		switch {
		case y < nL: // into a left node: from the right nodes it holds, from Z
			for k := st.start[y]; k < st.start[y+1]; k++ {
				if a := &st.arcs[k]; a.used {
					x := nL + a.to
					relax(x, d-a.cost+pot[x]-py, k, y)
				}
			}
			if atZ[y] > 0 {
				relax(z, d-B+pot[z]-py, viaZ, y)
			}
		case y < z: // into a right node: unused arcs, and T if it holds a unit
			v := y - nL
			lo := st.rstart[v]
			for i, in := range st.rin[lo:st.rstart[v+1]] {
				if in.open {
					relax(in.from, d+in.cost+pot[in.from]-py, st.rslots[lo+int32(i)], y)
				}
			}
			if len(st.holders[v]) > 0 {
				relax(t, d+pot[t]-py, viaT, y)
			}
		case y == z: // into Z: from every left node, and from T
			for x := range nL {
				if g.supply[x] > 0 {
					relax(x, d+B+pot[x]-py, viaZ, y)
				}
			}
			if anyAtZ {
				relax(t, d+pot[t]-py, viaZT, y)
			}
		default: // into T: from right nodes with room, and from Z
			for v := range int32(g.nRight) {
				if int32(len(st.holders[v])) < g.capacity[v] {
					x := nL + v
					relax(x, d+pot[x]-py, viaT, y)
				}
			}
			relax(z, d+pot[z]-py, viaZT, y)
		}
	}
	st.heap = h
	if !found {
		panic("match: no residual path to repair an added edge") // the saturated edge's reverse is always one
	}
	D := lab[source].dist
	for _, x := range settled {
		if dx := lab[x].dist; dx < D {
			pot[x] += D - dx
		}
	}
	// Augment from the source forwards.
	for x := source; x != target; {
		y := next[x]
		switch k := lab[x].parent; {
		case k >= 0 && x < nL: // left x → right y: the arc becomes used
			st.setUsed(k, true)
			v := y - nL
			st.holders[v] = append(st.holders[v], k)
		case k >= 0: // right x → left y: the arc is given up
			st.setUsed(k, false)
			v := x - nL
			st.holders[v] = remove32(st.holders[v], k)
		case x < nL && y == z: // a unit of x goes unmatched
			atZ[x]++
		case x == z && y < nL: // a unit of y comes back from Z
			atZ[y]--
		}
		// Arcs to and from T change nothing recorded: a right node's
		// flow to T is the number of arcs it holds.
		x = y
	}
}

// inArc is an arc as the backward search reads it from its right node.
type inArc struct {
	cost int64
	from int32 // left node
	open bool  // neither used nor pending
}

// setUsed marks the arc in slot k used or not, in both views.
func (st *flowState) setUsed(k int32, used bool) {
	st.arcs[k].used = used
	st.rin[st.rpos[k]].open = !used && !st.arcs[k].pending
}
