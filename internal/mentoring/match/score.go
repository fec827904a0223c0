package match

import "math"

// score is the pair's points: the weighted sum of factors between 0 and
// 1, times PointsPerWeight, rounded once at the end. Suggest, AssignBatch
// and AssignGreedy all call it, so one pair has one score everywhere.
//
// The wait factor is the same for every mentor of a request, so it never
// changes Suggest's order; in a batch it makes a long-waiting mentee's
// match worth more, which decides who is matched when places run short.
func score(r *creq, m *cmentor, w *Weights) int {
	s := 0.0
	if r.nTypes > 0 {
		k := w.Type
		if r.sameType == Preferred {
			k *= 2
		}
		s += k * float64(andCount(r.types, m.types)) / float64(r.nTypes)
	}
	if r.nTreatments > 0 {
		s += w.Treatment * float64(andCount(r.treatments, m.treatments)) / float64(r.nTreatments)
	}
	if r.nTopics > 0 {
		s += w.Topic * float64(andCount(r.topics, m.topics)) / float64(r.nTopics)
	}
	s += w.TimeZone * closeness(offsetDistance(r.offset, m.offset), w.TimeZoneHours)
	s += w.Availability * math.Min(float64(r.week.Common(m.week))/w.AvailabilityHours, 1)
	s += w.Experience * m.experience
	s += w.Load * m.free
	s += w.Wait * r.wait
	return int(math.Round(s * PointsPerWeight))
}

// offsetDistance is how far apart two UTC offsets are on the clock, in
// minutes, 0..720: UTC+14 and UTC−10 read the same time, a day apart.
func offsetDistance(a, b int) int {
	d := (a - b) % (24 * 60)
	if d < 0 {
		d = -d
	}
	return min(d, 24*60-d)
}

// closeness is 1 at the same offset, falling in a straight line to 0 at
// zeroAtHours apart.
func closeness(minutes int, zeroAtHours float64) float64 {
	return math.Max(0, 1-float64(minutes)/(60*zeroAtHours))
}
