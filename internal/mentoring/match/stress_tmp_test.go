package match

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestStressTmp(t *testing.T) {
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
		st = time.Now()
		g := AssignGreedy(reqs, mentors, w, testNow)
		gt := time.Since(st)
		t.Logf("%-28s places %5d: batch %4d/%9d in %v; greedy %4d/%9d in %v", name, places, a.Matched, a.TotalScore, bt.Round(time.Millisecond), g.Matched, g.TotalScore, gt.Round(time.Millisecond))
	}
	rng := rand.New(rand.NewPCG(9, 9))
	ms := realisticMentors(rng, 1000)
	rs := realisticRequests(rng, 5000, ms)
	run("realistic", rs, ms)
	bal := append([]Mentor(nil), ms...)
	for i := range bal {
		bal[i].Capacity, bal[i].Load, bal[i].Paused, bal[i].Approved, bal[i].ApprovalExpires = 5, 0, false, true, time.Time{}
	}
	run("balanced (all cap 5, load 0)", rs, bal)
	run("plentiful (1000 requests)", rs[:1000], bal)
	run("plentiful (200 requests)", rs[:200], bal)
	// Everyone English-only and same type: a dense, uniform graph.
	dense := append([]Request(nil), rs...)
	for i := range dense {
		dense[i].Languages = []string{"en"}
		dense[i].Teen = false
		dense[i].Excluded = nil
	}
	denseM := append([]Mentor(nil), bal...)
	for i := range denseM {
		denseM[i].Languages = []string{"en"}
		denseM[i].Age = Adult
	}
	run("dense balanced", dense, denseM)
	// A few mentors everybody wants most: a hub.
	hub := append([]Mentor(nil), ms...)
	for i := range hub {
		hub[i].Capacity = 1
		hub[i].Load = 0
	}
	run("capacity 1 everywhere", rs, hub)
	// Rare language: half the requests Spanish-only, few Spanish mentors.
	sp := append([]Request(nil), rs...)
	for i := range sp {
		if i%2 == 0 {
			sp[i].Languages = []string{"es"}
		}
	}
	run("half Spanish-only", sp, ms)
}
