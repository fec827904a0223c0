// Package mentoring matches newly diagnosed members, and members starting
// a treatment, with trained peer mentors: applications and their review,
// requests, explainable suggestions, offers with deadlines and the
// mentorships that follow. The matching itself is in package match.
package mentoring

import (
	"strings"
	"time"

	"quietroom/internal/realtime/conversation"
)

// Mentor application statuses.
const (
	MentorPending  = "pending"
	MentorApproved = "approved"
	MentorRejected = "rejected"
)

// MentorProfile is a member's application to mentor, and once approved
// their standing as a mentor.
type MentorProfile struct {
	TenantID            string     `json:"-" gorm:"primaryKey"`
	UserID              string     `json:"user_id" gorm:"primaryKey"`
	Status              string     `json:"status"`
	DisplayName         string     `json:"display_name"`
	Types               string     `json:"-"`
	Treatments          string     `json:"-"`
	Topics              string     `json:"-"`
	Languages           string     `json:"-"`
	Years               int        `json:"years"`
	TZOffsetMinutes     int        `json:"tz_offset_minutes"`
	Availability        string     `json:"availability"` // 168 characters, one per UTC hour of the week, '1' free
	Capacity            int        `json:"capacity"`
	AgeBracket          string     `json:"age_bracket"`
	About               string     `json:"about"`
	Paused              bool       `json:"paused"`
	TrainingCompletedAt *time.Time `json:"training_completed_at"`
	YouthApproved       bool       `json:"youth_approved"`
	VettingExpiresAt    *time.Time `json:"vetting_expires_at"`
	ReviewReason        string     `json:"review_reason"`
	ReviewedBy          string     `json:"-"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
}

func (MentorProfile) TableName() string { return "mentor_profiles" }

// Request statuses: waiting for an offer to be made, offered (waiting on
// a mentor), matched (a mentorship started), cancelled by the mentee,
// unmatched (nobody suitable right now; retried when mentors free up).
const (
	RequestWaiting   = "waiting"
	RequestOffered   = "offered"
	RequestMatched   = "matched"
	RequestCancelled = "cancelled"
)

// Request is a mentee asking for a mentor.
type Request struct {
	ID              string    `json:"id"`
	TenantID        string    `json:"-"`
	MenteeID        string    `json:"mentee_id"`
	Status          string    `json:"status"`
	Reason          string    `json:"reason"` // new-diagnosis or new-treatment
	Types           string    `json:"-"`
	Treatments      string    `json:"-"`
	Topics          string    `json:"-"`
	Languages       string    `json:"-"`
	TZOffsetMinutes int       `json:"tz_offset_minutes"`
	Availability    string    `json:"availability"`
	SameType        string    `json:"same_type"` // "", "preferred" or "required"
	Note            string    `json:"note"`
	Consent         bool      `json:"consent"`
	Teen            bool      `json:"teen"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

func (Request) TableName() string { return "mentee_requests" }

// Offer statuses.
const (
	OfferPending   = "pending"
	OfferAccepted  = "accepted"
	OfferDeclined  = "declined"
	OfferExpired   = "expired"
	OfferWithdrawn = "withdrawn" // the mentor paused, or the request was cancelled
)

// Offer asks one mentor to take one request, until a deadline.
type Offer struct {
	ID            string     `json:"id"`
	TenantID      string     `json:"-"`
	RequestID     string     `json:"request_id"`
	MentorID      string     `json:"mentor_id"`
	Status        string     `json:"status"`
	Score         float64    `json:"score"`
	Reasons       string     `json:"-"` // one per line
	Deadline      time.Time  `json:"deadline"`
	RemindedAt    *time.Time `json:"reminded_at,omitempty"`
	DeclineReason string     `json:"decline_reason,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
}

func (Offer) TableName() string { return "mentor_offers" }

// Mentorship statuses.
const (
	MentorshipActive = "active"
	MentorshipEnded  = "ended"
)

// Mentorship is an accepted offer: a mentor and a mentee with a private
// conversation.
type Mentorship struct {
	ID        string     `json:"id"`
	TenantID  string     `json:"-"`
	RequestID string     `json:"request_id"`
	MentorID  string     `json:"mentor_id"`
	MenteeID  string     `json:"mentee_id"`
	Status    string     `json:"status"`
	Teen      bool       `json:"teen"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	EndedBy   string     `json:"ended_by,omitempty"`
	EndReason string     `json:"end_reason,omitempty"`
}

func (Mentorship) TableName() string { return "mentorships" }

// Conversation is the mentorship's private conversation as the real-time
// service sees it. A teen mentee's conversation holds messages carrying
// contact details for a moderator.
func (m Mentorship) Conversation() conversation.Conversation {
	c := conversation.Conversation{ID: m.ID, Kind: conversation.Mentorship, TenantID: m.TenantID, Key: m.ID, Name: "Mentorship",
		Policy: conversation.Policy{Posting: conversation.PostOpen}}
	if m.Teen {
		c.Policy.Posting = conversation.PostHoldContactDetails
	}
	return c
}

// Feedback is one side's rating of a mentorship.
type Feedback struct {
	TenantID     string    `json:"-" gorm:"primaryKey"`
	MentorshipID string    `json:"mentorship_id" gorm:"primaryKey"`
	AuthorID     string    `json:"-" gorm:"primaryKey"`
	Rating       int       `json:"rating"`
	Text         string    `json:"text"`
	CreatedAt    time.Time `json:"created_at"`
}

func (Feedback) TableName() string { return "mentorship_feedback" }

// Block keeps two members from ever being matched.
type Block struct {
	TenantID  string `gorm:"primaryKey"`
	UserID    string `gorm:"primaryKey"`
	BlockedID string `gorm:"primaryKey"`
	CreatedAt time.Time
}

func (Block) TableName() string { return "mentoring_blocks" }

// words splits a stored space-separated list.
func words(s string) []string { return strings.Fields(s) }
