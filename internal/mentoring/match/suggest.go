package match

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Suggest ranks the mentors req may have, best first, at most limit of
// them (limit ≤ 0: all). Mentors that break a hard constraint (see Check)
// are never returned. Equal ranks keep the order of mentors.
//
// Fairness: the best-scoring mentors would otherwise be suggested to
// everyone, pile up offers they cannot take, and leave good mentors idle.
// So each suggestion's Rank is its Score minus
//
//	PointsPerWeight × w.Pending × PendingOffers / free places
//
// (a mentor with one free place and one offer waiting loses w.Pending
// points' worth; with two free places, half that), and a mentor with
// w.MaxPendingPerPlace or more offers waiting per free place is not
// suggested at all until some are answered. Together with the Load factor
// in the score this spreads suggestions across mentors while the clearly
// best match still comes first. The caller counts PendingOffers (offers
// made and not yet accepted, declined or expired).
//
// Invalid weights are replaced by DefaultWeights (see Weights.Validate).
func Suggest(req Request, mentors []Mentor, weights Weights, now time.Time, limit int) []Suggestion {
	w := usable(weights)
	v := newVocab([]Request{req})
	width := v.width()
	arena := make([]uint64, 2*width)
	r := v.request(&req, &w, now, arena[:width])
	mArena := arena[width:]

	excluded := func(id string) bool { return contains(req.Excluded, id) }
	if len(req.Excluded) > 16 { // a long block list: look IDs up, not along
		set := make(map[string]bool, len(req.Excluded))
		for _, id := range req.Excluded {
			set[id] = true
		}
		excluded = func(id string) bool { return set[id] }
	}

	type ranked struct{ i, score, rank int }
	var found []ranked
	for i := range mentors {
		m := &mentors[i]
		if m.ID == req.MenteeID || excluded(m.ID) {
			continue
		}
		c := mentorBase(m, &w, now)
		if c.closed != Allowed {
			continue
		}
		pending := max(m.PendingOffers, 0)
		if w.MaxPendingPerPlace > 0 && pending >= w.MaxPendingPerPlace*c.room {
			continue
		}
		clear(mArena)
		c.sets = v.sets(m.Types, m.Treatments, m.Topics, m.Languages, mArena)
		if pairViolation(&r, &c) != Allowed {
			continue
		}
		s := score(&r, &c, &w)
		penalty := int(math.Round(PointsPerWeight * w.Pending * float64(pending) / float64(c.room)))
		found = append(found, ranked{i, s, s - penalty})
	}
	slices.SortStableFunc(found, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.rank, a.rank), cmp.Compare(b.score, a.score))
	})
	if limit > 0 && len(found) > limit {
		found = found[:limit]
	}
	out := make([]Suggestion, len(found))
	for k, f := range found {
		out[k] = Suggestion{MentorID: mentors[f.i].ID, Score: f.score, Rank: f.rank,
			Reasons: reasons(&req, &mentors[f.i], &w)}
	}
	return out
}
