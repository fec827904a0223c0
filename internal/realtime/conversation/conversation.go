// Package conversation names the places members talk in: a group's room
// and a mentorship's private conversation. The real-time service reads,
// writes and fans out conversations without knowing which kind it holds;
// each kind's own domain (groups, mentoring) says who may do what in it
// through a Resolver, and a Directory picks the resolver by kind.
//
// A conversation is addressed as "{kind}:{key}": "group:{slug}" or
// "mentorship:{id}". The kind is always spelled out, so an address can
// never be read two ways (docs/protocol.md documents the scheme).
package conversation

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
)

// Kind is what a conversation is.
type Kind string

const (
	// Group is a support group's room; its key is the group's slug.
	Group Kind = "group"
	// Mentorship is a mentor's and a mentee's private conversation; its
	// key is the mentorship's id.
	Mentorship Kind = "mentorship"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Group || k == Mentorship }

// Address names one conversation within a tenant.
type Address struct {
	Kind Kind
	Key  string
}

// String is the address as the protocol spells it: "group:vestibular".
func (a Address) String() string {
	if a.Kind == "" {
		return ""
	}
	return string(a.Kind) + ":" + a.Key
}

// IsZero reports an empty address.
func (a Address) IsZero() bool { return a.Kind == "" && a.Key == "" }

// MaxAddressLen bounds an address in bytes.
const MaxAddressLen = 200

// Parse reads an address "{kind}:{key}". The key is what the kind's own
// domain calls it (a slug, an id); it must be non-empty printable text
// without spaces.
func Parse(s string) (Address, error) {
	kind, key, ok := strings.Cut(s, ":")
	switch {
	case len(s) > MaxAddressLen:
		return Address{}, fmt.Errorf("a conversation address is at most %d bytes", MaxAddressLen)
	case !ok:
		return Address{}, fmt.Errorf("a conversation address is kind:key, such as group:vestibular or mentorship:{id}")
	case !Kind(kind).Valid():
		return Address{}, fmt.Errorf("a conversation's kind is group or mentorship, not %q", truncate(kind, 32))
	case key == "":
		return Address{}, fmt.Errorf("a conversation address needs a key after %q", kind+":")
	case strings.ContainsFunc(key, func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }):
		return Address{}, fmt.Errorf("a conversation's key is printable text without spaces")
	}
	return Address{Kind: Kind(kind), Key: key}, nil
}

// legacyMentorshipPrefix is the deprecated way the protocol's "group"
// field (and the /groups/{slug}/... routes) named a mentorship before
// conversations had addresses. Groups refuse slugs that start with it
// (groups.ReservedSlugPrefix), so the old spelling still means one thing;
// it is read here, at the protocol's edge, and nowhere else.
const legacyMentorshipPrefix = "mentorship-"

// FromGroupField reads the protocol's older "group" field: a group's slug,
// a full address, or the deprecated "mentorship-{id}".
func FromGroupField(v string) (Address, error) {
	if strings.Contains(v, ":") {
		return Parse(v)
	}
	if id, ok := strings.CutPrefix(v, legacyMentorshipPrefix); ok && id != "" {
		return Address{Kind: Mentorship, Key: id}, nil
	}
	if v == "" || len(v) > MaxAddressLen || strings.ContainsFunc(v, unicode.IsControl) {
		return Address{}, fmt.Errorf("group must be a group's slug: printable text of at most %d bytes", MaxAddressLen)
	}
	return Address{Kind: Group, Key: v}, nil
}

// GroupField is the address in the older "group" field of events, which
// clients written before addresses existed still read.
func (a Address) GroupField() string {
	if a.Kind == Mentorship {
		return legacyMentorshipPrefix + a.Key
	}
	return a.Key
}

// PostingPolicy decides which posts wait for a moderator. The values are
// the groups API's own (posting_policy).
type PostingPolicy string

const (
	PostOpen               PostingPolicy = "open"
	PostHoldFirstPosts     PostingPolicy = "hold_first_posts"
	PostHoldAll            PostingPolicy = "hold_all"
	PostHoldContactDetails PostingPolicy = "hold_contact_details"
)

// Policy is how a conversation treats posts.
type Policy struct {
	Posting PostingPolicy
	// HeldPosts is how many first posts PostHoldFirstPosts holds.
	HeldPosts int
	// Audience is the group's age bracket (everyone, teens, adults); empty
	// for a mentorship, whose teen status shows in its posting policy.
	Audience string
}

// Conversation is one place members talk.
type Conversation struct {
	// ID is the conversation's id: the group's or the mentorship's id. It
	// keys the stored stream and the fan-out channel.
	ID       string
	Kind     Kind
	TenantID string
	// Key is the address's key: the group's slug or the mentorship's id.
	Key string
	// Name is how pages and notices name it.
	Name   string
	Policy Policy
}

// Address is how the protocol names c.
func (c Conversation) Address() Address { return Address{Kind: c.Kind, Key: c.Key} }

// Access is what one member may do in one conversation, as of the lookup.
type Access struct {
	Conversation Conversation
	CanRead      bool
	CanPost      bool
	Lurking      bool
	// Moderating: the member moderates this conversation (an admin, a
	// moderator of the group, a safeguarding reader of a teen mentorship).
	Moderating bool
	// StaffRole is the member's staff role in this conversation, which
	// their messages carry (docs/protocol.md, "message"): "admin" for the
	// community's admins, "moderator" for a group's moderators, "" for
	// everyone else. Only groups have staff.
	StaffRole string
	// Reason says in plain words why CanPost (or CanRead) is false.
	Reason string
}

// Resolver looks up conversations of one kind for a member; the groups and
// mentoring services each implement it. Conversations the member may not
// see are apperr not_found, like those of other tenants.
type Resolver interface {
	Resolve(ctx context.Context, p *accounts.Principal, key string) (Access, error)
}

// Directory resolves any conversation by address.
type Directory struct {
	resolvers map[Kind]Resolver
}

// NewDirectory is a directory over the given resolvers; both kinds are
// required, so no address falls through to the wrong one.
func NewDirectory(groups, mentorships Resolver) *Directory {
	return &Directory{resolvers: map[Kind]Resolver{Group: groups, Mentorship: mentorships}}
}

// Resolve looks a conversation up for p. A resolver that answers with a
// conversation of another kind or tenant is a bug, reported as one rather
// than trusted.
func (d *Directory) Resolve(ctx context.Context, p *accounts.Principal, a Address) (Access, error) {
	r := d.resolvers[a.Kind]
	if r == nil {
		return Access{}, apperr.NotFound("there is no such conversation")
	}
	access, err := r.Resolve(ctx, p, a.Key)
	if err != nil {
		return Access{}, err
	}
	if c := access.Conversation; c.Kind != a.Kind || c.TenantID != p.Tenant.ID || c.ID == "" {
		return Access{}, fmt.Errorf("resolve %s: resolver answered with a %s conversation %q of tenant %q", a, c.Kind, c.ID, c.TenantID)
	}
	return access, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
