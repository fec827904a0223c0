package match

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// benchInstance is the realistic large tenant: 5,000 waiting requests and
// 1,000 mentors (capacity 1–5, some already mentoring), the same on every
// run.
func benchInstance() ([]Request, []Mentor) {
	rng := rand.New(rand.NewPCG(2026, 3))
	mentors := realisticMentors(rng, 1000)
	return realisticRequests(rng, 5000, mentors), mentors
}

// BenchmarkAssignBatch5000x1000 is the whole batch: scoring every pair,
// candidate lists, the greedy pairs, the flow and the reasons. The target
// is 2 s on two cores.
func BenchmarkAssignBatch5000x1000(b *testing.B) {
	reqs, mentors := benchInstance()
	w := DefaultWeights()
	b.ReportAllocs()
	b.ResetTimer()
	var a Assignment
	for b.Loop() {
		a = AssignBatch(reqs, mentors, w, testNow)
	}
	b.ReportMetric(float64(a.Matched), "matched")
}

// BenchmarkSuggest1000Mentors is one request's ranked suggestions over
// 1,000 mentors. The target is 20 ms.
func BenchmarkSuggest1000Mentors(b *testing.B) {
	reqs, mentors := benchInstance()
	w := DefaultWeights()
	durs := make([]time.Duration, 0, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		start := time.Now()
		Suggest(reqs[i%len(reqs)], mentors, w, testNow, 10)
		durs = append(durs, time.Since(start))
		i++
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds()), "p99-µs/op")
}

// TestBatchVersusGreedyReport logs the comparison to quote: on the
// realistic 5,000 × 1,000 instance, how many mentees each method matches,
// their total and average score, and how long each took.
//
//	go test ./internal/mentoring/match/ -run BatchVersusGreedy -v
func TestBatchVersusGreedyReport(t *testing.T) {
	if testing.Short() {
		t.Skip("large instance")
	}
	reqs, mentors := benchInstance()
	w := DefaultWeights()
	places := 0
	for i := range mentors {
		if mentorClosed(&mentors[i], testNow) == Allowed {
			places += room(&mentors[i])
		}
	}
	start := time.Now()
	batch := AssignBatch(reqs, mentors, w, testNow)
	batchTime := time.Since(start)
	start = time.Now()
	greedy := AssignGreedy(reqs, mentors, w, testNow)
	greedyTime := time.Since(start)
	avg := func(a Assignment) float64 { return float64(a.TotalScore) / float64(max(a.Matched, 1)) }
	t.Logf("%d requests, %d mentors with %d free places", len(reqs), len(mentors), places)
	t.Logf("batch:  matched %d, total score %d, average %.0f per match, in %v", batch.Matched, batch.TotalScore, avg(batch), batchTime.Round(time.Millisecond))
	t.Logf("greedy: matched %d, total score %d, average %.0f per match, in %v", greedy.Matched, greedy.TotalScore, avg(greedy), greedyTime.Round(time.Millisecond))
	t.Logf("batch − greedy: %+d matched, %+d total score (%+.1f%%), %+.0f average per match",
		batch.Matched-greedy.Matched, batch.TotalScore-greedy.TotalScore,
		100*float64(batch.TotalScore-greedy.TotalScore)/float64(max(greedy.TotalScore, 1)), avg(batch)-avg(greedy))
	waited := func(a Assignment) time.Duration {
		byID := map[string]time.Time{}
		for _, r := range reqs {
			byID[r.ID] = r.WaitingSince
		}
		var sum time.Duration
		for _, p := range a.Pairs {
			sum += testNow.Sub(byID[p.RequestID])
		}
		return sum / time.Duration(max(a.Matched, 1))
	}
	t.Logf("average wait of those matched: batch %.1f days, greedy %.1f days",
		waited(batch).Hours()/24, waited(greedy).Hours()/24)
	if batch.Matched < greedy.Matched || batch.Matched == greedy.Matched && batch.TotalScore < greedy.TotalScore {
		t.Errorf("batch is worse than greedy")
	}
	if !raceEnabled && batchTime > 2*time.Second {
		t.Errorf("batch took %v, over the 2 s budget", batchTime)
	}
}
