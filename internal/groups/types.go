// Package groups owns support groups by diagnosis, memberships (including
// lurking), invitations, group moderators and each tenant's default
// catalogue. It decides who may read, join and post where.
package groups

import "time"

// Audience limits who may join by age bracket.
type Audience string

const (
	Everyone   Audience = "everyone"
	TeensOnly  Audience = "teens"
	AdultsOnly Audience = "adults"
)

// Visibility decides whether a group is listed and whether anyone may join.
type Visibility string

const (
	Listed     Visibility = "listed"      // in the directory, anyone (of the audience) may join
	Unlisted   Visibility = "unlisted"    // reachable by link, anyone may join
	InviteOnly Visibility = "invite_only" // joined only with an invitation
)

// PostingPolicy decides which posts wait for a moderator before others see
// them; moderation and real-time enforce it.
type PostingPolicy string

const (
	PostOpen           PostingPolicy = "open"
	PostHoldFirstPosts PostingPolicy = "hold_first_posts" // a new member's first HeldPosts posts
	PostHoldAll        PostingPolicy = "hold_all"
	// PostHoldContactDetails holds only messages carrying contact details
	// (teen mentorships: no private channel may open outside the app).
	PostHoldContactDetails PostingPolicy = "hold_contact_details"
)

// Group is a moderated support group within a tenant.
type Group struct {
	ID            string        `json:"id"`
	TenantID      string        `json:"-"`
	Slug          string        `json:"slug"`
	Name          string        `json:"name"`
	Description   string        `json:"description"`
	Diagnosis     string        `json:"diagnosis"`
	Audience      Audience      `json:"audience"`
	Visibility    Visibility    `json:"visibility"`
	PostingPolicy PostingPolicy `json:"posting_policy"`
	HeldPosts     int           `json:"held_posts"`
	ArchivedAt    *time.Time    `json:"archived_at"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// Archived groups stay readable but accept no new members or posts.
func (g Group) Archived() bool { return g.ArchivedAt != nil }

// Membership ties a member to a group. A lurking member reads everything
// but never appears in member lists or presence.
type Membership struct {
	TenantID string    `json:"-"`
	GroupID  string    `json:"-"`
	UserID   string    `json:"user_id"`
	Lurking  bool      `json:"lurking"`
	JoinedAt time.Time `json:"joined_at"`
}

// Invite lets one member join one invite-only group.
type Invite struct {
	TenantID  string
	GroupID   string
	UserID    string
	InvitedBy string
	CreatedAt time.Time
}

// Moderator assigns a member to moderate one group.
type Moderator struct {
	TenantID  string
	GroupID   string
	UserID    string
	CreatedAt time.Time
}

func (Membership) TableName() string { return "group_memberships" }
func (Invite) TableName() string     { return "group_invites" }
func (Moderator) TableName() string  { return "group_moderators" }
