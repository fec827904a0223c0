package match

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// testNow is the fixed "now" of every generated instance.
var testNow = time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// weighted picks a string with probability proportional to its weight.
type weighted []struct {
	s string
	w float64
}

func (ws weighted) pick(rng *rand.Rand) string {
	total := 0.0
	for _, x := range ws {
		total += x.w
	}
	r := rng.Float64() * total
	for _, x := range ws {
		if r -= x.w; r < 0 {
			return x.s
		}
	}
	return ws[len(ws)-1].s
}

// some picks n distinct strings.
func (ws weighted) some(rng *rand.Rand, n int) []string {
	var out []string
	for tries := 0; len(out) < n && tries < 50; tries++ {
		if s := ws.pick(rng); !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

var (
	realTypes = weighted{{"chronic", 30}, {"episodic", 25}, {"with-aura", 30}, {"without-aura", 25},
		{"vestibular", 12}, {"menstrual", 15}, {"hemiplegic", 3}, {"abdominal", 2}, {"retinal", 2}, {"silent", 4}}
	realTreatments = weighted{{"acute:triptans", 60}, {"acute:gepants", 20}, {"acute:nsaids", 40},
		{"preventive:cgrp-antibodies", 25}, {"preventive:botox", 15}, {"preventive:topiramate", 15},
		{"preventive:beta-blockers", 15}, {"preventive:amitriptyline", 15}, {"neuromodulation", 8}, {"rescue-plan", 20}}
	realTopics = weighted{{"new-diagnosis", 20}, {"starting-treatment", 20}, {"work", 25}, {"school", 8},
		{"parenting", 12}, {"navigating-care", 15}, {"emergency-planning", 10}}
	// UTC offsets in minutes, weighted roughly by where English- and
	// Spanish-speaking members live, with a few half-hour zones.
	realOffsets = []struct{ min, w int }{{-480, 15}, {-420, 5}, {-360, 12}, {-300, 20}, {-240, 3}, {-180, 4},
		{0, 12}, {60, 12}, {120, 4}, {330, 4}, {480, 3}, {570, 1}, {600, 4}, {720, 2}}
)

func realOffset(rng *rand.Rand) int {
	total := 0
	for _, o := range realOffsets {
		total += o.w
	}
	r := rng.IntN(total)
	for _, o := range realOffsets {
		if r -= o.w; r < 0 {
			return o.min
		}
	}
	return 0
}

// realLanguages: most speak English, a fifth Spanish (some only Spanish),
// a few other languages.
func realLanguages(rng *rand.Rand) []string {
	var out []string
	switch x := rng.Float64(); {
	case x < 0.08:
		out = []string{"es"}
	case x < 0.22:
		out = []string{"en", "es"}
	default:
		out = []string{"en"}
	}
	if rng.Float64() < 0.12 {
		out = append(out, []string{"fr", "de", "pt", "ar", "hi", "pl"}[rng.IntN(6)])
	}
	return out
}

// realWeek: a few evening blocks and perhaps a weekend morning, local time.
func realWeek(rng *rand.Rand, offset int, blocks int) Week {
	var w Week
	for b := 0; b < blocks; b++ {
		d := time.Weekday(rng.IntN(7))
		start, length := 18+rng.IntN(3), 1+rng.IntN(3)
		if (d == time.Saturday || d == time.Sunday) && rng.IntN(2) == 0 {
			start = 9 + rng.IntN(3)
		}
		for h := start; h < start+length; h++ {
			w.SetLocal(offset, d, h)
		}
	}
	return w
}

// realisticMentors are n mentors as a large tenant might have them.
func realisticMentors(rng *rand.Rand, n int) []Mentor {
	ms := make([]Mentor, n)
	for i := range ms {
		off := realOffset(rng)
		capacity := 1 + rng.IntN(5)
		m := Mentor{
			ID:                fmt.Sprintf("m%04d", i),
			Types:             realTypes.some(rng, 1+rng.IntN(3)),
			Treatments:        realTreatments.some(rng, 1+rng.IntN(4)),
			Topics:            realTopics.some(rng, 1+rng.IntN(4)),
			Languages:         realLanguages(rng),
			YearsWithMigraine: 1 + rng.IntN(30),
			UTCOffsetMinutes:  off,
			Availability:      realWeek(rng, off, 2+rng.IntN(4)),
			Capacity:          capacity,
			Load:              rng.IntN(capacity + 1),
			PendingOffers:     rng.IntN(3),
			Age:               Adult,
			Approved:          rng.Float64() > 0.03,
			Paused:            rng.Float64() < 0.04,
		}
		if rng.Float64() < 0.6 {
			m.ApprovalExpires = testNow.Add(time.Duration(rng.IntN(400)-12) * day)
		}
		if rng.Float64() < 0.15 {
			m.YouthApproved = true
			m.VettingExpires = testNow.Add(time.Duration(rng.IntN(700)-100) * day)
		}
		if rng.Float64() < 0.03 {
			m.Age = Teen
		}
		ms[i] = m
	}
	return ms
}

// realisticRequests are n waiting requests against those mentors.
func realisticRequests(rng *rand.Rand, n int, mentors []Mentor) []Request {
	rs := make([]Request, n)
	for i := range rs {
		off := realOffset(rng)
		r := Request{
			ID:               fmt.Sprintf("r%05d", i),
			MenteeID:         fmt.Sprintf("u%05d", i),
			Types:            realTypes.some(rng, 1+rng.IntN(2)),
			Treatments:       realTreatments.some(rng, rng.IntN(4)),
			Topics:           realTopics.some(rng, 1+rng.IntN(3)),
			Languages:        realLanguages(rng),
			UTCOffsetMinutes: off,
			Availability:     realWeek(rng, off, 2+rng.IntN(4)),
			Teen:             rng.Float64() < 0.08,
			WaitingSince:     testNow.Add(-time.Duration(rng.IntN(60*24)) * time.Hour),
		}
		switch x := rng.Float64(); {
		case x < 0.1:
			r.SameType = Required
		case x < 0.4:
			r.SameType = Preferred
		}
		if rng.Float64() < 0.02 { // a mentor asking for a mentor
			r.MenteeID = mentors[rng.IntN(len(mentors))].ID
		}
		if rng.Float64() < 0.3 {
			for k := 0; k < 1+rng.IntN(2); k++ {
				r.Excluded = append(r.Excluded, mentors[rng.IntN(len(mentors))].ID)
			}
		}
		rs[i] = r
	}
	return rs
}

// smallInstance is a small, crowded instance that hits every hard
// constraint often: few strings, so pairs share a lot or nothing, many
// paused, expired, full or teen cases, self and excluded pairs.
func smallInstance(rng *rand.Rand, nReq, nMentor, maxCap int) ([]Request, []Mentor) {
	types := []string{"chronic", "vestibular", "with-aura"}
	treatments := []string{"acute:triptans", "preventive:cgrp-antibodies", "rescue-plan", "preventive:botox"}
	topics := []string{"work", "new-diagnosis", "parenting"}
	langs := []string{"en", "es", "fr"}
	pickSome := func(from []string, lo int) []string {
		var out []string
		for _, s := range from {
			if rng.IntN(2) == 0 {
				out = append(out, s)
			}
		}
		for len(out) < lo {
			out = append(out, from[rng.IntN(len(from))])
		}
		return out
	}
	week := func() Week {
		var w Week
		for k := 0; k < rng.IntN(12); k++ {
			w.Set(rng.IntN(40)) // a narrow window, so overlaps happen
		}
		return w
	}
	ms := make([]Mentor, nMentor)
	for i := range ms {
		capacity := 1 + rng.IntN(maxCap)
		m := Mentor{
			ID: fmt.Sprintf("m%d", i), Types: pickSome(types, 1), Treatments: pickSome(treatments, 0),
			Topics: pickSome(topics, 0), Languages: pickSome(langs[:2+rng.IntN(2)], 1),
			YearsWithMigraine: rng.IntN(25), UTCOffsetMinutes: 60 * (rng.IntN(9) - 4), Availability: week(),
			Capacity: capacity, Load: rng.IntN(capacity + 1), PendingOffers: rng.IntN(4),
			Approved: rng.IntN(8) != 0, Paused: rng.IntN(8) == 0, Age: Adult,
		}
		if rng.IntN(3) == 0 {
			m.Load = 0
		}
		if rng.IntN(4) == 0 {
			m.ApprovalExpires = testNow.Add(time.Duration(rng.IntN(20)-10) * day)
		}
		if rng.IntN(2) == 0 {
			m.YouthApproved = true
			m.VettingExpires = testNow.Add(time.Duration(rng.IntN(20)-6) * day)
		}
		if rng.IntN(10) == 0 {
			m.Age = Teen
		}
		ms[i] = m
	}
	rs := make([]Request, nReq)
	for i := range rs {
		r := Request{
			ID: fmt.Sprintf("r%d", i), MenteeID: fmt.Sprintf("u%d", i), Types: pickSome(types, 0),
			Treatments: pickSome(treatments, 0), Topics: pickSome(topics, 0), Languages: pickSome(langs, 0),
			UTCOffsetMinutes: 60 * (rng.IntN(9) - 4), Availability: week(), Teen: rng.IntN(4) == 0,
			SameType:     []Preference{NoPreference, Preferred, Required}[rng.IntN(3)],
			WaitingSince: testNow.Add(-time.Duration(rng.IntN(90*24)) * time.Hour),
		}
		if rng.IntN(10) == 0 {
			r.WaitingSince = time.Time{}
		}
		if nMentor > 0 && rng.IntN(6) == 0 {
			r.MenteeID = ms[rng.IntN(nMentor)].ID
		}
		for nMentor > 0 && rng.IntN(3) == 0 {
			r.Excluded = append(r.Excluded, ms[rng.IntN(nMentor)].ID)
		}
		rs[i] = r
	}
	return rs, ms
}
