package match

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestStress2Tmp(t *testing.T) {
	w := DefaultWeights()
	run := func(name string, reqs []Request, mentors []Mentor) {
		places := 0
		for i := range mentors {
			if mentorClosed(&mentors[i], testNow) == Allowed {
				places += room(&mentors[i])
			}
		}
				st := time.Now()
		a := AssignBatch(reqs, mentors, w, testNow)
		bt := time.Since(st)
		t.Logf("%-34s places %5d reqs %5d: batch %4d in %v", name, places, len(reqs), a.Matched, bt.Round(time.Millisecond))
	}
	for seed := uint64(0); seed < 2; seed++ {
		rng := rand.New(rand.NewPCG(seed, 9))
		ms := realisticMentors(rng, 1000)
		rs := realisticRequests(rng, 5000, ms)
		open := append([]Mentor(nil), ms...)
		for i := range open {
			open[i].Load = 0
		}
		run("cap 1-5 load 0", rs, open)
		for _, n := range []int{2000, 2500, 2800, 3000, 3300, 4000} {
			run("cap 1-5 load 0, fewer requests", rs[:n], open)
		}
		all5 := append([]Mentor(nil), open...)
		for i := range all5 {
			all5[i].Capacity = 5
		}
		for _, n := range []int{4000, 4300, 4500, 4700, 5000} {
			run("cap 5 load 0", rs[:n], all5)
		}
	}
}
