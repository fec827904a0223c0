package match

import (
	"math"
	"math/bits"
	"time"
)

// The matcher compares every request with every mentor, so the string
// lists are turned into bit sets once per call. Only strings some request
// mentions are numbered: a mentor's other strings can never be shared, so
// dropping them changes no overlap count. Suggest numbers one request's
// strings and AssignBatch all of them; the counts, and so the scores, are
// the same either way.

// bitset is a set of string numbers from one dict.
type bitset []uint64

func (b bitset) count() int {
	n := 0
	for _, x := range b {
		n += bits.OnesCount64(x)
	}
	return n
}

func andCount(a, b bitset) int {
	n := 0
	for i := range min(len(a), len(b)) {
		n += bits.OnesCount64(a[i] & b[i])
	}
	return n
}

func intersects(a, b bitset) bool {
	for i := range min(len(a), len(b)) {
		if a[i]&b[i] != 0 {
			return true
		}
	}
	return false
}

// dict numbers the strings of one category.
type dict map[string]int

func (d dict) add(list []string) {
	for _, s := range list {
		if _, ok := d[s]; !ok {
			d[s] = len(d)
		}
	}
}

func (d dict) words() int { return (len(d) + 63) / 64 }

// set fills dst (d.words() long, zeroed) with the numbered strings of list.
func (d dict) set(list []string, dst bitset) {
	for _, s := range list {
		if i, ok := d[s]; ok {
			dst[i/64] |= 1 << (i % 64)
		}
	}
}

// vocab is one dict per category.
type vocab struct {
	types, treatments, topics, langs dict
}

func newVocab(reqs []Request) *vocab {
	v := &vocab{types: dict{}, treatments: dict{}, topics: dict{}, langs: dict{}}
	for i := range reqs {
		v.types.add(reqs[i].Types)
		v.treatments.add(reqs[i].Treatments)
		v.topics.add(reqs[i].Topics)
		v.langs.add(reqs[i].Languages)
	}
	return v
}

// sets is the four bit sets of a request or mentor.
type sets struct {
	types, treatments, topics, langs bitset
}

func (v *vocab) width() int {
	return v.types.words() + v.treatments.words() + v.topics.words() + v.langs.words()
}

// sets cuts the four sets out of arena (v.width() zeroed words) and fills
// them.
func (v *vocab) sets(types, treatments, topics, langs []string, arena []uint64) sets {
	cut := func(d dict, list []string) bitset {
		n := d.words()
		b := bitset(arena[:n:n])
		arena = arena[n:]
		d.set(list, b)
		return b
	}
	return sets{types: cut(v.types, types), treatments: cut(v.treatments, treatments),
		topics: cut(v.topics, topics), langs: cut(v.langs, langs)}
}

// creq is a request ready for the inner loop.
type creq struct {
	sets
	nTypes, nTreatments, nTopics int // distinct strings listed
	offset                       int
	week                         Week
	teen                         bool
	sameType                     Preference
	wait                         float64 // wait factor, 0..1, fixed for the call
}

func (v *vocab) request(r *Request, w *Weights, now time.Time, arena []uint64) creq {
	s := v.sets(r.Types, r.Treatments, r.Topics, r.Languages, arena)
	c := creq{sets: s, nTypes: s.types.count(), nTreatments: s.treatments.count(), nTopics: s.topics.count(),
		offset: r.UTCOffsetMinutes, week: r.Availability, teen: r.Teen, sameType: r.SameType}
	if !r.WaitingSince.IsZero() && now.After(r.WaitingSince) {
		days := now.Sub(r.WaitingSince).Hours() / 24
		c.wait = math.Min(days/w.WaitDays, 1)
	}
	return c
}

// cmentor is a mentor ready for the inner loop; closed is why no request
// can have them at all (paused, full, ...), or "".
type cmentor struct {
	sets
	closed      Violation
	room        int
	youthVetted bool
	teen        bool
	offset      int
	week        Week
	free        float64 // free share of capacity, 0..1
	experience  float64 // experience factor, 0..1
}

// mentorBase fills everything but the sets: it is cheap, and Suggest skips
// the sets for closed mentors.
func mentorBase(m *Mentor, w *Weights, now time.Time) cmentor {
	c := cmentor{closed: mentorClosed(m, now), room: room(m), teen: m.Age == Teen,
		youthVetted: m.YouthApproved && !m.VettingExpires.IsZero() && now.Before(m.VettingExpires),
		offset:      m.UTCOffsetMinutes, week: m.Availability}
	if capacity := min(m.Capacity, MaxCapacity); capacity > 0 && c.room > 0 {
		c.free = float64(c.room) / float64(capacity)
	}
	if m.YearsWithMigraine > 0 {
		c.experience = math.Min(float64(m.YearsWithMigraine)/w.ExperienceYears, 1)
	}
	return c
}

func (v *vocab) mentor(m *Mentor, w *Weights, now time.Time, arena []uint64) cmentor {
	c := mentorBase(m, w, now)
	c.sets = v.sets(m.Types, m.Treatments, m.Topics, m.Languages, arena)
	return c
}

// room is how many more mentees a mentor can take.
func room(m *Mentor) int {
	return min(m.Capacity, MaxCapacity) - max(m.Load, 0)
}
