package match

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSuggestNeverBreaksHardConstraints(t *testing.T) {
	w := DefaultWeights()
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 10))
		reqs, mentors := smallInstance(rng, 1+rng.IntN(10), 1+rng.IntN(30), 1+rng.IntN(5))
		if seed%20 == 0 {
			mentors = realisticMentors(rng, 300)
			reqs = realisticRequests(rng, 20, mentors)
		}
		p := newPool(reqs, mentors, w, testNow)
		for r, req := range reqs {
			got := Suggest(req, mentors, w, testNow, 0)
			byID := map[string]int{}
			for j := range mentors {
				byID[mentors[j].ID] = j
			}
			shown := map[string]bool{}
			for k, s := range got {
				j := byID[s.MentorID]
				if v := Check(req, mentors[j], testNow); v != Allowed {
					t.Errorf("seed %d: %s suggested %s, which breaks %q", seed, req.ID, s.MentorID, v)
				}
				if want := p.score(r, int32(j)); s.Score != want {
					t.Errorf("seed %d: %s–%s Suggest score %d, batch score %d", seed, req.ID, s.MentorID, s.Score, want)
				}
				if k > 0 && (got[k-1].Rank < s.Rank || got[k-1].Rank == s.Rank && got[k-1].Score < s.Score) {
					t.Errorf("seed %d: %s: suggestions out of order at %d", seed, req.ID, k)
				}
				if s.Rank > s.Score {
					t.Errorf("seed %d: rank %d above score %d", seed, s.Rank, s.Score)
				}
				if len(s.Reasons) == 0 {
					t.Errorf("seed %d: %s–%s has no reasons", seed, req.ID, s.MentorID)
				}
				shown[s.MentorID] = true
			}
			// Nothing allowed is left out, except by the fairness cap.
			for j := range mentors {
				m := mentors[j]
				capped := room(&m) > 0 && m.PendingOffers >= w.MaxPendingPerPlace*room(&m)
				if Check(req, m, testNow) == Allowed && !capped && !shown[m.ID] {
					t.Errorf("seed %d: %s: allowed mentor %s not suggested", seed, req.ID, m.ID)
				}
			}
			if limited := Suggest(req, mentors, w, testNow, 3); !slices.EqualFunc(limited, got[:min(3, len(got))],
				func(a, b Suggestion) bool { return a.MentorID == b.MentorID && a.Rank == b.Rank }) {
				t.Errorf("seed %d: limit 3 is not the first three", seed)
			}
		}
	}
}

// twins are two mentors as alike as can be.
func twins() (Mentor, Mentor) {
	a, b := mentor("a"), mentor("b")
	a.Capacity, b.Capacity = 3, 3
	return a, b
}

func TestSuggestFairness(t *testing.T) {
	w := DefaultWeights()
	req := request("r")

	t.Run("pending offers rank a twin lower", func(t *testing.T) {
		a, b := twins()
		a.PendingOffers = 1
		got := Suggest(req, []Mentor{a, b}, w, testNow, 0)
		if len(got) != 2 || got[0].MentorID != "b" {
			t.Fatalf("got %+v, want b first", got)
		}
		if got[1].Score != got[0].Score {
			t.Errorf("twins score %d and %d; the penalty belongs in Rank, not Score", got[1].Score, got[0].Score)
		}
		if want := int(math.Round(PointsPerWeight * w.Pending / 3)); got[0].Rank-got[1].Rank != want {
			t.Errorf("penalty %d, want %d (one offer over three places)", got[0].Rank-got[1].Rank, want)
		}
	})

	t.Run("a clearly better mentor still comes first", func(t *testing.T) {
		a, b := twins()
		a.Types = []string{"chronic", "vestibular"}
		a.Treatments = []string{"acute:triptans", "preventive:botox"}
		r := req
		r.Types, r.Treatments = []string{"chronic", "vestibular"}, []string{"acute:triptans", "preventive:botox"}
		a.PendingOffers = 1
		if got := Suggest(r, []Mentor{b, a}, w, testNow, 0); got[0].MentorID != "a" {
			t.Errorf("got %+v, want a first", got)
		}
	})

	t.Run("a mentor with too many offers waiting is not suggested", func(t *testing.T) {
		a, b := twins()
		a.Load = 2 // one place
		a.PendingOffers = w.MaxPendingPerPlace
		got := Suggest(req, []Mentor{a, b}, w, testNow, 0)
		if len(got) != 1 || got[0].MentorID != "b" {
			t.Fatalf("got %+v, want only b", got)
		}
		a.PendingOffers--
		if got := Suggest(req, []Mentor{a, b}, w, testNow, 0); len(got) != 2 {
			t.Errorf("one offer under the cap: got %d suggestions, want 2", len(got))
		}
		w0 := w
		w0.MaxPendingPerPlace = 0
		a.PendingOffers = 100
		if got := Suggest(req, []Mentor{a, b}, w0, testNow, 0); len(got) != 2 {
			t.Errorf("cap off: got %d suggestions, want 2", len(got))
		}
	})

	t.Run("less loaded mentors first", func(t *testing.T) {
		a, b := twins()
		a.Load = 2
		if got := Suggest(req, []Mentor{a, b}, w, testNow, 0); got[0].MentorID != "b" {
			t.Errorf("got %+v, want b (no mentees) before a (two)", got)
		}
	})

	// Many mentees asking one after another, each shown three mentors, the
	// caller counting every suggestion as an offer waiting: with the rule,
	// the favourite is shown a bounded number of times and many more
	// mentors are seen.
	t.Run("popular mentors are not shown to everyone", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 1))
		base := realisticMentors(rng, 200)
		for i := range base {
			base[i].PendingOffers = 0
		}
		reqs := realisticRequests(rng, 300, base)
		run := func(w Weights) (distinct, most int) {
			mentors := slices.Clone(base)
			idx := map[string]int{}
			for i := range mentors {
				idx[mentors[i].ID] = i
			}
			shown := map[string]int{}
			for _, r := range reqs {
				for _, s := range Suggest(r, mentors, w, testNow, 3) {
					shown[s.MentorID]++
					mentors[idx[s.MentorID]].PendingOffers++
				}
			}
			for _, n := range shown {
				most = max(most, n)
			}
			return len(shown), most
		}
		off := w
		off.Pending, off.MaxPendingPerPlace = 0, 0
		dOff, mostOff := run(off)
		dOn, mostOn := run(w)
		t.Logf("without the rule %d mentors shown, the most-shown %d times; with it %d mentors, at most %d times",
			dOff, mostOff, dOn, mostOn)
		if dOn <= dOff || mostOn >= mostOff {
			t.Errorf("the fairness rule did not spread suggestions")
		}
		if limit := w.MaxPendingPerPlace * MaxCapacity; mostOn > limit {
			t.Errorf("a mentor was shown %d times, over the cap of %d", mostOn, limit)
		}
	})
}

func TestSuggestSameTypePreferred(t *testing.T) {
	w := DefaultWeights()
	same, other := mentor("same"), mentor("other")
	other.Types = []string{"vestibular"}
	other.YearsWithMigraine = 30 // more experienced, to tempt the ranking
	req := request("r")
	plain := Suggest(req, []Mentor{same, other}, w, testNow, 0)
	req.SameType = Preferred
	pref := Suggest(req, []Mentor{same, other}, w, testNow, 0)
	if pref[0].MentorID != "same" {
		t.Fatalf("preferred: got %+v, want same first", pref)
	}
	gain := func(s []Suggestion, id string) int {
		for _, x := range s {
			if x.MentorID == id {
				return x.Score
			}
		}
		return -1
	}
	if d := gain(pref, "same") - gain(plain, "same"); d != int(w.Type*PointsPerWeight) {
		t.Errorf("Preferred added %d points to a full type match, want %v", d, w.Type*PointsPerWeight)
	}
	if gain(pref, "other") != gain(plain, "other") {
		t.Errorf("Preferred changed the score of a mentor with no shared type")
	}
}

func TestSuggestInvalidWeightsUseDefaults(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	mentors := realisticMentors(rng, 100)
	req := realisticRequests(rng, 1, mentors)[0]
	bad := DefaultWeights()
	bad.Type = math.NaN()
	want := Suggest(req, mentors, DefaultWeights(), testNow, 10)
	got := Suggest(req, mentors, bad, testNow, 10)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("invalid weights gave %v, want the defaults' %v", got, want)
	}
}

func TestSuggestEmpty(t *testing.T) {
	if got := Suggest(request("r"), nil, DefaultWeights(), testNow, 5); len(got) != 0 {
		t.Errorf("no mentors: got %v", got)
	}
	if a := AssignBatch(nil, nil, DefaultWeights(), testNow); a.Matched != 0 || len(a.Unmatched) != 0 {
		t.Errorf("empty batch: got %+v", a)
	}
	a := AssignBatch([]Request{request("r")}, nil, DefaultWeights(), testNow)
	if a.Matched != 0 || len(a.Unmatched) != 1 {
		t.Errorf("no mentors: got %+v", a)
	}
}
