package match

import "time"

// Violation names the hard constraint that rules a pair out; "" means the
// pair is allowed. Same-tenant is the caller's job and not modelled.
type Violation string

const (
	Allowed          Violation = ""
	Self             Violation = "self"               // the mentee is this mentor
	Excluded         Violation = "excluded"           // blocked, declined or ended before
	Paused           Violation = "paused"             // the mentor paused mentoring
	NotApproved      Violation = "not-approved"       // not approved as a mentor
	ApprovalExpired  Violation = "approval-expired"   // approval ran out
	Full             Violation = "full"               // no free place (Load ≥ Capacity)
	NotYouthVetted   Violation = "not-youth-vetted"   // teen mentee, mentor not approved for teens or vetting expired
	TeenMentor       Violation = "teen-mentor"        // adult mentee, teen mentor
	NoSharedLanguage Violation = "no-shared-language" // nothing both speak
	NoSharedType     Violation = "no-shared-type"     // SameType is Required and no type is shared
)

// Words is the violation as a sentence for an admin screen.
func (v Violation) Words() string {
	switch v {
	case Allowed:
		return "the pair is allowed"
	case Self:
		return "a mentee cannot be their own mentor"
	case Excluded:
		return "this pair is blocked, or declined or ended before"
	case Paused:
		return "the mentor has paused mentoring"
	case NotApproved:
		return "the mentor is not approved"
	case ApprovalExpired:
		return "the mentor's approval has expired"
	case Full:
		return "the mentor has no free place"
	case NotYouthVetted:
		return "teen mentees need a mentor with current youth vetting"
	case TeenMentor:
		return "teen mentors only mentor teens"
	case NoSharedLanguage:
		return "they share no language"
	case NoSharedType:
		return "the mentee asked for someone with the same migraine type"
	}
	return string(v)
}

// Check says whether req may be matched with m at now, and if not, which
// rule stops it (the first in the order of the constants above).
//
// Adult mentees never get a teen mentor: that is the same safeguarding
// line as youth vetting seen from the other side, since an adult mentee
// has not been vetted for one-to-one contact with a minor.
func Check(req Request, m Mentor, now time.Time) Violation {
	if m.ID == req.MenteeID {
		return Self
	}
	for _, id := range req.Excluded {
		if id == m.ID {
			return Excluded
		}
	}
	w := DefaultWeights() // scores are not used; the factors only need valid divisors
	v := newVocab([]Request{req})
	arena := make([]uint64, 2*v.width())
	r := v.request(&req, &w, now, arena[:v.width()])
	c := v.mentor(&m, &w, now, arena[v.width():])
	if c.closed != Allowed {
		return c.closed
	}
	return pairViolation(&r, &c)
}

// mentorClosed is the part of Check that depends on the mentor alone.
func mentorClosed(m *Mentor, now time.Time) Violation {
	switch {
	case m.Paused:
		return Paused
	case !m.Approved:
		return NotApproved
	case !m.ApprovalExpires.IsZero() && !now.Before(m.ApprovalExpires):
		return ApprovalExpired
	case room(m) <= 0:
		return Full
	}
	return Allowed
}

// pairViolation is the part of Check that depends on both sides, apart
// from the ID rules (Self, Excluded), which callers check with IDs.
func pairViolation(r *creq, m *cmentor) Violation {
	switch {
	case r.teen && !m.youthVetted:
		return NotYouthVetted
	case !r.teen && m.teen:
		return TeenMentor
	case !intersects(r.langs, m.langs):
		return NoSharedLanguage
	case r.sameType == Required && !intersects(r.types, m.types):
		return NoSharedType
	}
	return Allowed
}
