// Package accounts owns tenants, users, sessions and roles, and places the
// signed-in Principal on the request context for every other package.
package accounts

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Tenant is an organisation hosting its own community.
type Tenant struct {
	ID                string `json:"id"`
	Slug              string `json:"slug"`
	Name              string `json:"name"`
	Guidelines        string `json:"guidelines"`
	GuidelinesVersion int    `json:"guidelines_version"`
	DeletionPolicy    string `json:"deletion_policy"`
	AllowedOrigins    string `json:"allowed_origins"`
	// EditWindowMinutes is how long members may edit a message after
	// sending it (0: editing is off); deleting is always allowed.
	EditWindowMinutes int       `json:"edit_window_minutes"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// DefaultEditWindowMinutes is a new community's edit window.
const DefaultEditWindowMinutes = 15

// What happens to a deleted member's messages.
const (
	DeleteAnonymise = "anonymise" // messages stay, attributed to "former member"
	DeleteRemove    = "remove"    // messages are removed with the account
)

// Origins lists the extra origins (beyond the hub's own) allowed to open
// WebSockets and send state-changing requests.
func (t Tenant) Origins() []string { return strings.Fields(t.AllowedOrigins) }

// AgeBracket decides which groups a member may join.
type AgeBracket string

const (
	Teen  AgeBracket = "teen"  // 13–17
	Adult AgeBracket = "adult" // 18+
)

// Role is a tenant-wide role. A member may hold several.
type Role string

const (
	RoleMember    Role = "member"
	RoleMentor    Role = "mentor"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

var allRoles = []Role{RoleMember, RoleMentor, RoleModerator, RoleAdmin}

// Roles is a set of roles, stored as a space-separated list.
type Roles []Role

func (rs Roles) Has(r Role) bool { return slices.Contains(rs, r) }

func (rs Roles) String() string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, " ")
}

// ParseRoles reads the stored form; unknown words are dropped.
func ParseRoles(s string) Roles {
	var rs Roles
	for _, w := range strings.Fields(s) {
		if r := Role(w); slices.Contains(allRoles, r) && !rs.Has(r) {
			rs = append(rs, r)
		}
	}
	return rs
}

// normalise sorts roles in canonical order and always includes member.
func (rs Roles) normalise() Roles {
	out := Roles{RoleMember}
	for _, r := range allRoles[1:] {
		if rs.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// User is a member of exactly one tenant. Display names are pseudonyms:
// real names are never asked for.
type User struct {
	ID                   string     `json:"id"`
	TenantID             string     `json:"-"`
	Email                string     `json:"email"`
	DisplayName          string     `json:"display_name"`
	DisplayNameKey       string     `json:"-"`
	PasswordHash         string     `json:"-"`
	AgeBracket           AgeBracket `json:"age_bracket"`
	RolesText            string     `json:"-" gorm:"column:roles"`
	GuidelinesVersion    int        `json:"guidelines_version"`
	GuidelinesAcceptedAt time.Time  `json:"guidelines_accepted_at"`
	PreferencesJSON      string     `json:"-" gorm:"column:preferences"`
	// EmailConfirmedAt is when the member proved the address by a mailed
	// link; until then it receives nothing but the confirmation mail.
	EmailConfirmedAt *time.Time `json:"-"`
	// AttackSince and AttackUntil are the member's attack mode
	// (attack.go); both nil when it is off.
	AttackSince *time.Time `json:"-"`
	AttackUntil *time.Time `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func (u User) Roles() Roles { return ParseRoles(u.RolesText) }

// EmailConfirmed reports whether the member's address may receive mail
// other than the confirmation.
func (u User) EmailConfirmed() bool { return u.EmailConfirmedAt != nil }

// Session is a server-side sign-in. ID is the SHA-256 of the secret token
// the client holds, so a leaked table does not leak usable tokens.
type Session struct {
	ID        string
	TenantID  string
	UserID    string
	CSRFToken string
	Purpose   string // PurposeSession, or PurposeConnect for WebSocket-only tokens
	// ParentID is, for a connect token, the session that issued it: the
	// token ends with that session.
	ParentID   string
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// Session purposes.
const (
	PurposeSession = "session"
	PurposeConnect = "connect"
)

// Principal is who is making a request, within which tenant.
type Principal struct {
	Tenant  Tenant
	User    User
	Session Session
	// ViaCookie is true for browser sessions; only those need CSRF tokens.
	ViaCookie bool
}

func (p *Principal) IsAdmin() bool     { return p != nil && p.User.Roles().Has(RoleAdmin) }
func (p *Principal) IsModerator() bool { return p != nil && p.User.Roles().Has(RoleModerator) }

type principalKey struct{}
type tenantKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the signed-in principal, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// WithTenant returns ctx carrying the tenant a request addresses.
func WithTenant(ctx context.Context, t *Tenant) context.Context {
	return context.WithValue(ctx, tenantKey{}, t)
}

// TenantFrom returns the tenant a request addresses, or nil.
func TenantFrom(ctx context.Context) *Tenant {
	t, _ := ctx.Value(tenantKey{}).(*Tenant)
	return t
}

// Rank orders who may act on whom in moderation: admin > tenant moderator
// > group moderator (of the group concerned) > member. Nobody acts on
// someone of a higher rank.
type Rank int

const (
	RankMember Rank = iota
	RankGroupModerator
	RankModerator
	RankAdmin
)

// RankOf places a member with roles in the order; moderatesGroup says
// whether they are an assigned moderator of the group concerned.
func RankOf(roles Roles, moderatesGroup bool) Rank {
	switch {
	case roles.Has(RoleAdmin):
		return RankAdmin
	case roles.Has(RoleModerator):
		return RankModerator
	case moderatesGroup:
		return RankGroupModerator
	}
	return RankMember
}

// String names the rank with its article, for messages.
func (r Rank) String() string {
	return [...]string{"a member", "a group moderator", "a community moderator", "an admin"}[r]
}
