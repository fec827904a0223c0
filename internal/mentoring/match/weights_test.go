package match

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestDefaultWeightsValid(t *testing.T) {
	if err := DefaultWeights().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestWeightsValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(w *Weights)
		want   string // in the error; "" for valid
	}{
		{"negative", func(w *Weights) { w.Topic = -1 }, "topic is -1: use a number from 0 to 100"},
		{"too big", func(w *Weights) { w.Type = 3000 }, "type is 3000"},
		{"NaN", func(w *Weights) { w.Wait = math.NaN() }, "wait is NaN"},
		{"infinite", func(w *Weights) { w.Pending = math.Inf(1) }, "pending is +Inf"},
		{"zero is fine", func(w *Weights) { w.Wait, w.Pending, w.Load = 0, 0, 0 }, ""},
		{"all pair weights zero", func(w *Weights) {
			w.Type, w.Treatment, w.Topic, w.TimeZone, w.Availability, w.Experience, w.Load = 0, 0, 0, 0, 0, 0, 0
		}, "every pair weight"},
		{"time zone window zero", func(w *Weights) { w.TimeZoneHours = 0 }, "time_zone_hours is 0: use 1 to 12 hours"},
		{"availability over a week", func(w *Weights) { w.AvailabilityHours = 200 }, "availability_hours is 200"},
		{"experience zero", func(w *Weights) { w.ExperienceYears = 0 }, "experience_years is 0"},
		{"wait days negative", func(w *Weights) { w.WaitDays = -5 }, "wait_days is -5"},
		{"pending cap negative", func(w *Weights) { w.MaxPendingPerPlace = -1 }, "max_pending_per_place is -1"},
		{"pending cap off", func(w *Weights) { w.MaxPendingPerPlace = 0 }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := DefaultWeights()
			c.change(&w)
			err := w.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	var zero Weights
	err := zero.Validate()
	if err == nil || strings.Count(err.Error(), "\n") < 4 {
		t.Errorf("the zero Weights should report every problem at once, got %v", err)
	}
}

func TestScoreFactors(t *testing.T) {
	w := DefaultWeights()
	base := func() (Request, Mentor) {
		r, m := request("r"), mentor("m")
		r.Types, m.Types = nil, nil
		m.YearsWithMigraine, m.Capacity = 0, 1
		return r, m
	}
	points := func(r Request, m Mentor) int {
		return Suggest(r, []Mentor{m}, w, testNow, 1)[0].Score
	}
	r, m := base()
	// Same time zone and a free mentor, mentee waited three days.
	want := w.TimeZone + w.Load + w.Wait*3/w.WaitDays
	if got := points(r, m); got != int(math.Round(want*PointsPerWeight)) {
		t.Errorf("floor score %d, want %v", got, want*PointsPerWeight)
	}
	floor := points(r, m)
	cases := []struct {
		name   string
		change func(r *Request, m *Mentor)
		delta  float64 // in weight units
	}{
		{"half the mentee's types shared", func(r *Request, m *Mentor) {
			r.Types, m.Types = []string{"chronic", "vestibular"}, []string{"vestibular"}
		}, w.Type / 2},
		{"a third of the treatments", func(r *Request, m *Mentor) {
			r.Treatments, m.Treatments = []string{"a", "b", "c"}, []string{"c", "x"}
		}, w.Treatment / 3},
		{"all topics", func(r *Request, m *Mentor) { r.Topics, m.Topics = []string{"work"}, []string{"work", "school"} }, w.Topic},
		{"3 hours apart", func(r *Request, m *Mentor) { m.UTCOffsetMinutes = 180 }, -w.TimeZone / 2},
		{"beyond the window", func(r *Request, m *Mentor) { m.UTCOffsetMinutes = -600 }, -w.TimeZone},
		{"3 common hours", func(r *Request, m *Mentor) {
			for h := range 4 {
				r.Availability.Set(h)
				m.Availability.Set(h + 1)
			}
		}, w.Availability / 2},
		{"common hours saturate", func(r *Request, m *Mentor) {
			for h := range 40 {
				r.Availability.Set(h)
				m.Availability.Set(h)
			}
		}, w.Availability},
		{"5 years", func(r *Request, m *Mentor) { m.YearsWithMigraine = 5 }, w.Experience / 2},
		{"years saturate", func(r *Request, m *Mentor) { m.YearsWithMigraine = 40 }, w.Experience},
		{"half loaded", func(r *Request, m *Mentor) { m.Capacity, m.Load = 4, 2 }, -w.Load / 2},
		{"waited WaitDays", func(r *Request, m *Mentor) {
			r.WaitingSince = testNow.Add(-time.Duration(w.WaitDays) * day)
		}, w.Wait * (1 - 3/w.WaitDays)},
		{"waited a year", func(r *Request, m *Mentor) { r.WaitingSince = testNow.Add(-365 * day) }, w.Wait * (1 - 3/w.WaitDays)},
		{"no waiting time", func(r *Request, m *Mentor) { r.WaitingSince = time.Time{} }, -w.Wait * 3 / w.WaitDays},
		{"waiting since the future", func(r *Request, m *Mentor) { r.WaitingSince = testNow.Add(day) }, -w.Wait * 3 / w.WaitDays},
	}
	for _, c := range cases {
		r, m := base()
		c.change(&r, &m)
		if got, want := points(r, m)-floor, int(math.Round(c.delta*PointsPerWeight)); got < want-1 || got > want+1 {
			t.Errorf("%s: score moved %d, want %d", c.name, got, want)
		}
	}
}

func TestOffsetDistance(t *testing.T) {
	for _, c := range []struct{ a, b, want int }{
		{0, 0, 0}, {-300, -360, 60}, {330, 0, 330}, {840, -600, 0}, {840, -660, 60}, {-720, 720, 0}, {600, -600, 240},
	} {
		if got := offsetDistance(c.a, c.b); got != c.want {
			t.Errorf("offsetDistance(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestWeek(t *testing.T) {
	var w Week
	w.SetLocal(-300, time.Tuesday, 18) // Tuesday 23:00 UTC
	if !w.Has(24+23) || w.Hours() != 1 {
		t.Errorf("Tuesday 18:00 at UTC−5: got %v", w)
	}
	w.SetLocal(-300, time.Sunday, 20) // Monday 01:00 UTC: wraps to the start of the week
	if !w.Has(1) {
		t.Errorf("Sunday 20:00 at UTC−5 should be slot 1")
	}
	w.SetLocal(60, time.Monday, 0) // Sunday 23:00 UTC
	if !w.Has(167) {
		t.Errorf("Monday 00:00 at UTC+1 should be slot 167")
	}
	w.Set(-1)
	w.Set(168)
	if w.Hours() != 3 || w.Has(-1) || w.Has(168) {
		t.Errorf("out-of-range slots changed the week: %v", w)
	}
	var o Week
	o.Set(1)
	o.Set(2)
	o.Set(167)
	if got := w.Common(o); got != 2 {
		t.Errorf("Common = %d, want 2", got)
	}
}
