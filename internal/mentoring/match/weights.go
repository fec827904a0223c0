package match

import (
	"errors"
	"fmt"
	"math"
)

// PointsPerWeight turns a weighted score into whole points: a component
// that counts fully adds PointsPerWeight × its weight. Whole points let
// the batch compare totals exactly, with no rounding drift between it,
// the greedy baseline and Suggest.
const PointsPerWeight = 1000

// MaxWeight bounds every weight. Only ratios between weights matter; the
// bound keeps a typo (3000 for 3) from drowning every other factor and
// keeps totals far from overflow.
const MaxWeight = 100

// Weights is how much each factor counts. A tenant can tune it; run
// Validate when the tenant saves it.
type Weights struct {
	// Pair quality. Each factor is between 0 and 1 and multiplied by its
	// weight.
	Type         float64 `json:"type"`         // share of the mentee's migraine types the mentor shares (twice when SameType is Preferred)
	Treatment    float64 `json:"treatment"`    // share of the mentee's treatments the mentor has experience of
	Topic        float64 `json:"topic"`        // share of the mentee's topics the mentor will talk about
	TimeZone     float64 `json:"time_zone"`    // 1 in the same time zone, falling to 0 at TimeZoneHours apart
	Availability float64 `json:"availability"` // common free hours a week, counting fully at AvailabilityHours
	Experience   float64 `json:"experience"`   // years with migraine, counting fully at ExperienceYears
	Load         float64 `json:"load"`         // the mentor's free share of their capacity: less loaded mentors first
	Wait         float64 `json:"wait"`         // how long the mentee has waited, counting fully at WaitDays

	// Saturation points for the factors above.
	TimeZoneHours     float64 `json:"time_zone_hours"`
	AvailabilityHours float64 `json:"availability_hours"`
	ExperienceYears   float64 `json:"experience_years"`
	WaitDays          float64 `json:"wait_days"`

	// Fairness, used by Suggest only (see suggest.go): Pending points per
	// unit of weight are taken off for each offer a mentor has waiting per
	// free place, and a mentor with MaxPendingPerPlace or more offers
	// waiting per free place is not suggested at all (0 turns the cap off).
	Pending            float64 `json:"pending"`
	MaxPendingPerPlace int     `json:"max_pending_per_place"`
}

// DefaultWeights is the starting point for every tenant. Shared
// experience of the illness and its treatment matter most to mentees;
// being able to meet at all (time zone, common hours) comes next.
//
// Wait is large on purpose. When places are short the batch chooses who
// is matched, and with a small wait weight it picks the easiest fits and
// leaves hard-to-fit mentees waiting indefinitely. On the realistic
// 5,000 × 1,000 test instance Wait 2 over 30 days matched 410 of the
// 1,290 mentees waiting over 45 days; Wait 6 over 60 days matches 793 of
// them for 6% less average pair quality (see TestBatchVersusGreedyReport).
func DefaultWeights() Weights {
	return Weights{
		Type:         3,
		Treatment:    2,
		Topic:        1.5,
		TimeZone:     1,
		Availability: 2,
		Experience:   1,
		Load:         1,
		Wait:         6,

		TimeZoneHours:     6,
		AvailabilityHours: 6,
		ExperienceYears:   10,
		WaitDays:          60,

		Pending:            1.5,
		MaxPendingPerPlace: 3,
	}
}

// Validate reports every weight out of range, naming the field.
func (w Weights) Validate() error {
	var errs []error
	weight := func(name string, v float64) {
		if math.IsNaN(v) || v < 0 || v > MaxWeight {
			errs = append(errs, fmt.Errorf("weights: %s is %v: use a number from 0 to %d", name, v, MaxWeight))
		}
	}
	weight("type", w.Type)
	weight("treatment", w.Treatment)
	weight("topic", w.Topic)
	weight("time_zone", w.TimeZone)
	weight("availability", w.Availability)
	weight("experience", w.Experience)
	weight("load", w.Load)
	weight("wait", w.Wait)
	weight("pending", w.Pending)

	// A pair score that is zero for everyone would rank mentors in list
	// order, which looks like matching but is not.
	if w.Type+w.Treatment+w.Topic+w.TimeZone+w.Availability+w.Experience+w.Load == 0 {
		errs = append(errs, errors.New("weights: every pair weight (type, treatment, topic, time_zone, availability, experience, load) is 0: give at least one a positive weight"))
	}

	span := func(name string, v, lo, hi float64, unit string) {
		if math.IsNaN(v) || v < lo || v > hi {
			errs = append(errs, fmt.Errorf("weights: %s is %v: use %v to %v %s", name, v, lo, hi, unit))
		}
	}
	span("time_zone_hours", w.TimeZoneHours, 1, 12, "hours")
	span("availability_hours", w.AvailabilityHours, 1, HoursPerWeek, "hours a week")
	span("experience_years", w.ExperienceYears, 1, 60, "years")
	span("wait_days", w.WaitDays, 1, 365, "days")
	if w.MaxPendingPerPlace < 0 || w.MaxPendingPerPlace > 50 {
		errs = append(errs, fmt.Errorf("weights: max_pending_per_place is %d: use 0 (no cap) to 50", w.MaxPendingPerPlace))
	}
	return errors.Join(errs...)
}

// usable returns w, or DefaultWeights when w does not validate. Suggest and
// AssignBatch have no error to return, and a tenant's stored weights that
// somehow went bad should still give sensible matches rather than NaN
// scores or an arbitrary order; Validate is where bad weights are refused.
func usable(w Weights) Weights {
	if w.Validate() != nil {
		return DefaultWeights()
	}
	return w
}
