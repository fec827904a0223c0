package match

import (
	"math/rand/v2"
	"testing"
)

// TestFastScoreIsScore: the batch's inner loop scores pairs with looked-up
// terms; every pair must score exactly as Suggest and greedy score it.
func TestFastScoreIsScore(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 14))
		mentors := realisticMentors(rng, 50+rng.IntN(100))
		reqs := realisticRequests(rng, 50+rng.IntN(100), mentors)
		w := DefaultWeights()
		if seed%2 == 1 { // other weights, other saturation points
			w.TimeZone, w.TimeZoneHours, w.Availability, w.AvailabilityHours = 2.5, 3, 1.7, 11
		}
		p := newPool(reqs, mentors, w, testNow)
		var tz []float64
		for r := range reqs {
			tz = p.timeZones(r, tz)
			for j := range mentors {
				if got, want := p.fastScore(&p.cr[r], int32(j), tz), p.score(r, int32(j)); int(got) != want {
					t.Fatalf("seed %d pair %d–%d: fast score %d, score %d", seed, r, j, got, want)
				}
			}
		}
	}
}
