package match

import "time"

// MaxCapacity is the most mentees one mentor may have at once. Larger
// capacities are read as MaxCapacity: the programme promises mentors a
// light load and mentees a mentor with time for them.
const MaxCapacity = 5

// AgeBracket says whether a mentor is a teen or an adult.
type AgeBracket string

const (
	Adult AgeBracket = "adult"
	Teen  AgeBracket = "teen"
)

// Preference is how strongly a mentee wants a mentor who lives with the
// same type of migraine.
type Preference string

const (
	NoPreference Preference = ""
	Preferred    Preference = "preferred" // counts the type overlap twice
	Required     Preference = "required"  // hard constraint: at least one shared type
)

// Mentor is one mentor as the matcher sees them. The caller has already
// restricted the list to one tenant.
type Mentor struct {
	ID string // the mentor's user ID, so a mentee who is also a mentor is never matched with themself

	Types      []string // migraine types, e.g. "vestibular", "chronic", "with-aura"
	Treatments []string // treatment experience by kind, e.g. "acute:triptans", "preventive:botox", "rescue-plan"
	Topics     []string // e.g. "new-diagnosis", "work", "parenting"
	Languages  []string // e.g. "en", "es"

	YearsWithMigraine int
	UTCOffsetMinutes  int  // e.g. -300 for UTC−5
	Availability      Week // hours free each week, in UTC

	Capacity      int // most mentees at once, 1..MaxCapacity
	Load          int // mentees now
	PendingOffers int // suggestions or offers made and not yet answered; Suggest's fairness rule uses it

	Age             AgeBracket // empty is read as Adult
	Approved        bool
	ApprovalExpires time.Time // zero: the approval does not expire
	YouthApproved   bool      // approved to mentor teens
	VettingExpires  time.Time // youth vetting is valid before this time; zero: never vetted
	Paused          bool
}

// Request is one mentee waiting for a mentor.
type Request struct {
	ID       string
	MenteeID string // the mentee's user ID

	Types      []string
	Treatments []string // treatments they want to talk about
	Topics     []string
	Languages  []string

	UTCOffsetMinutes int
	Availability     Week

	SameType     Preference
	Teen         bool
	WaitingSince time.Time // zero is read as "just arrived"

	// Excluded lists mentor IDs this mentee must never be offered: blocked
	// pairs and pairs that declined or ended before.
	Excluded []string
}

// Suggestion is one mentor offered to one request.
type Suggestion struct {
	MentorID string
	// Score is how good the pair is, in points (PointsPerWeight per unit
	// of weight); AssignBatch maximises the sum of the same number.
	Score int
	// Rank is Score minus the fairness penalty for mentors who already
	// have offers waiting; suggestions are ordered by it.
	Rank    int
	Reasons []string
}

// Pair is one mentee given one mentor by AssignBatch or AssignGreedy.
type Pair struct {
	RequestID string
	MentorID  string
	Score     int
	Reasons   []string
}

// Assignment is the result of assigning a batch of requests.
type Assignment struct {
	Pairs      []Pair   // in request order
	Unmatched  []string // request IDs left waiting, in request order
	Matched    int
	TotalScore int
}
