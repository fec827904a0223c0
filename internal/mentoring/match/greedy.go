package match

import (
	"slices"
	"time"
)

// AssignGreedy is the obvious way to assign a batch, kept as the baseline
// AssignBatch is measured against: requests in order of waiting time
// (longest first; a zero WaitingSince counts as just arrived; ties keep
// request order), each taking its best remaining allowed mentor (ties: the
// earlier mentor). It never breaks a hard constraint or a capacity, but an
// early request can take the one mentor a later request needed, so it can
// match fewer mentees and score less than AssignBatch.
func AssignGreedy(reqs []Request, mentors []Mentor, weights Weights, now time.Time) Assignment {
	p := newPool(reqs, mentors, usable(weights), now)
	return p.assignment(p.greedy(nil, nil))
}

// pick is a request's mentor in an assignment; mentor -1 is none.
type pick struct {
	mentor int32
	score  int32
}

// greedy runs the baseline. With candidate lists (best first, as from
// candidates) it reads a request's best remaining mentor off its list and
// scans every mentor only when the whole list is full and the list was
// cut short (complete[r] false): a mentor left off the list ranks below
// everyone on it, so the pick is the same as a full scan's. With nil
// lists it always scans.
func (p *pool) greedy(lists [][]cand, complete []bool) []pick {
	order := make([]int, len(p.reqs))
	for i := range order {
		order[i] = i
	}
	since := func(r int) time.Time {
		if t := p.reqs[r].WaitingSince; !t.IsZero() {
			return t
		}
		return p.now
	}
	slices.SortStableFunc(order, func(a, b int) int { return since(a).Compare(since(b)) })

	left := make([]int, len(p.mentors))
	for _, j := range p.open {
		left[j] = p.cm[j].room
	}
	withRoom := slices.Clone(p.open) // shrinks as mentors fill
	never := make(marks, len(p.mentors))
	picks := make([]pick, len(p.reqs))
	for _, r := range order {
		picks[r] = pick{mentor: -1}
		if lists != nil {
			found := false
			for _, c := range lists[r] {
				if left[c.idx] > 0 {
					picks[r], found = pick{c.idx, c.score}, true
					break
				}
			}
			if found || complete[r] {
				if found {
					left[picks[r].mentor]--
				}
				continue
			}
		}
		never.set(p.never[r], true)
		best := cand{score: -1, idx: -1}
		kept := withRoom[:0]
		for _, j := range withRoom {
			if left[j] == 0 {
				continue
			}
			kept = append(kept, j)
			if !p.allowed(r, j, never) {
				continue
			}
			if c := (cand{int32(p.score(r, j)), j}); better(c, best) {
				best = c
			}
		}
		withRoom = kept
		never.set(p.never[r], false)
		if best.idx >= 0 {
			picks[r] = pick{best.idx, best.score}
			left[best.idx]--
		}
	}
	return picks
}

// assignment turns picks into the public result, with reasons.
func (p *pool) assignment(picks []pick) Assignment {
	var a Assignment
	for r, pk := range picks {
		if pk.mentor < 0 {
			a.Unmatched = append(a.Unmatched, p.reqs[r].ID)
			continue
		}
		m := &p.mentors[pk.mentor]
		a.Pairs = append(a.Pairs, Pair{RequestID: p.reqs[r].ID, MentorID: m.ID, Score: int(pk.score),
			Reasons: reasons(&p.reqs[r], m, &p.w)})
		a.Matched++
		a.TotalScore += int(pk.score)
	}
	return a
}
