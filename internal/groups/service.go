package groups

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// AccessHook is told when what a member may do in a group changed; an
// empty userID means every member. The real-time hub uses it to end
// subscriptions that carry the old access.
type AccessHook func(ctx context.Context, tenantID, groupID, userID string)

// Service is the groups domain.
type Service struct {
	db       *store.DB
	now      func() time.Time
	onAccess []AccessHook
}

// NewService makes the groups service. onAccess is told whenever a
// member's access to a group changes (the real-time hub, so open sockets
// re-check it).
func NewService(db *store.DB, now func() time.Time, onAccess ...AccessHook) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: func() time.Time { return now().UTC() }, onAccess: onAccess}
}

func (s *Service) accessChanged(ctx context.Context, tenantID, groupID, userID string) {
	for _, h := range s.onAccess {
		h(ctx, tenantID, groupID, userID)
	}
}

// View is a group as one member sees it.
type View struct {
	Group
	MemberCount int  `json:"member_count"` // lurkers not counted
	Joined      bool `json:"joined"`
	Lurking     bool `json:"lurking"`
	Invited     bool `json:"invited"`
	Moderating  bool `json:"moderating"`
	CanJoin     bool `json:"can_join"`
	// JoinBlockedReason says in plain words why CanJoin is false.
	JoinBlockedReason string `json:"join_blocked_reason,omitempty"`
}

// Filter narrows the directory.
type Filter struct {
	Diagnosis string
	Audience  Audience
	// Joined lists only the member's own groups.
	Joined bool
	// Archived includes archived groups (admins see them; members see their own).
	Archived bool
}

// SeedCatalogue creates a tenant's default groups; accounts runs it inside
// the tenant-creation transaction.
func (s *Service) SeedCatalogue(ctx context.Context, tx *store.Tx, t accounts.Tenant) error {
	now := s.now()
	for _, e := range DefaultCatalogue() {
		g := Group{ID: store.NewID(), TenantID: t.ID, Slug: e.Slug, Name: e.Name, Description: e.Description,
			Diagnosis: e.Diagnosis, Audience: e.Audience, Visibility: Listed, PostingPolicy: e.Policy,
			HeldPosts: e.HeldPosts, CreatedAt: now, UpdatedAt: now}
		if err := tx.ORM(ctx).Create(&g).Error; err != nil {
			return fmt.Errorf("seed group %s: %w", e.Slug, err)
		}
	}
	return nil
}

// relation is what one member is to one group.
type relation struct {
	member    *Membership
	invited   bool
	moderator bool // assigned to this group
}

func (s *Service) relations(ctx context.Context, tenantID, userID string) (map[string]relation, error) {
	db := s.db.WithContext(ctx)
	rel := map[string]relation{}
	var ms []Membership
	if err := db.Where("tenant_id = ? AND user_id = ?", tenantID, userID).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("load memberships: %w", err)
	}
	for i := range ms {
		r := rel[ms[i].GroupID]
		r.member = &ms[i]
		rel[ms[i].GroupID] = r
	}
	var invites, mods []string
	if err := db.Model(&Invite{}).Where("tenant_id = ? AND user_id = ?", tenantID, userID).Pluck("group_id", &invites).Error; err != nil {
		return nil, fmt.Errorf("load invites: %w", err)
	}
	if err := db.Model(&Moderator{}).Where("tenant_id = ? AND user_id = ?", tenantID, userID).Pluck("group_id", &mods).Error; err != nil {
		return nil, fmt.Errorf("load moderator assignments: %w", err)
	}
	for _, id := range invites {
		r := rel[id]
		r.invited = true
		rel[id] = r
	}
	for _, id := range mods {
		r := rel[id]
		r.moderator = true
		rel[id] = r
	}
	return rel, nil
}

// closed groups (invite-only or archived) stay closed to community
// moderators who were not invited or assigned: they reach such a group
// only through a queue item that needs their decision, and see only that
// item's context (the moderation package serves it).
func closed(g Group) bool { return g.Visibility == InviteOnly || g.Archived() }

// staff reports whether p moderates g: admins, assigned moderators, and
// community moderators in groups that are not closed.
func staff(p *accounts.Principal, g Group, r relation) bool {
	return p.IsAdmin() || r.moderator || p.IsModerator() && !closed(g)
}

// visible reports whether p may see that g exists at all.
func visible(p *accounts.Principal, g Group, r relation) bool {
	if staff(p, g, r) || r.member != nil || r.invited {
		return true
	}
	if g.Archived() {
		return false
	}
	return g.Visibility != InviteOnly
}

func (s *Service) view(p *accounts.Principal, g Group, r relation, count int) View {
	v := View{Group: g, MemberCount: count, Joined: r.member != nil, Invited: r.invited,
		Moderating: staff(p, g, r)}
	if r.member != nil {
		v.Lurking = r.member.Lurking
	}
	if reason := joinBlocked(p, g, r); reason != "" {
		v.JoinBlockedReason = reason
	} else {
		v.CanJoin = !v.Joined
	}
	return v
}

// joinBlocked explains why p may not join g, or returns "".
func joinBlocked(p *accounts.Principal, g Group, r relation) string {
	switch {
	case g.Archived():
		return "this group is archived"
	case r.moderator:
		return "" // assigned moderators join whatever the audience
	case g.Audience == TeensOnly && p.User.AgeBracket != accounts.Teen:
		return "this group is for members aged 13 to 17"
	case g.Audience == AdultsOnly && p.User.AgeBracket != accounts.Adult:
		return "this group is for adults"
	case g.Visibility == InviteOnly && !r.invited && r.member == nil:
		return "this group is by invitation"
	}
	return ""
}

func (s *Service) memberCounts(ctx context.Context, tenantID string) (map[string]int, error) {
	var rows []struct {
		GroupID string
		N       int
	}
	err := s.db.WithContext(ctx).Model(&Membership{}).Select("group_id, COUNT(*) AS n").
		Where("tenant_id = ? AND lurking = ?", tenantID, false).Group("group_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count members: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.GroupID] = r.N
	}
	return out, nil
}

// List returns the groups p can see, filtered.
func (s *Service) List(ctx context.Context, p *accounts.Principal, f Filter) ([]View, error) {
	if f.Audience != "" && f.Audience != Everyone && f.Audience != TeensOnly && f.Audience != AdultsOnly {
		return nil, apperr.InvalidField("audience", "must be everyone, teens or adults")
	}
	q := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID)
	if f.Diagnosis != "" {
		q = q.Where("diagnosis = ?", f.Diagnosis)
	}
	if f.Audience != "" {
		q = q.Where("audience = ?", f.Audience)
	}
	var gs []Group
	if err := q.Order("name").Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	rel, err := s.relations(ctx, p.Tenant.ID, p.User.ID)
	if err != nil {
		return nil, err
	}
	counts, err := s.memberCounts(ctx, p.Tenant.ID)
	if err != nil {
		return nil, err
	}
	out := []View{}
	for _, g := range gs {
		r := rel[g.ID]
		switch {
		case !visible(p, g, r):
			continue
		case f.Joined && r.member == nil:
			continue
		case g.Archived() && !f.Archived:
			continue
		case g.Visibility == Unlisted && r.member == nil && !r.moderator && !p.IsAdmin():
			continue // reachable by link, not listed
		}
		out = append(out, s.view(p, g, r, counts[g.ID]))
	}
	return out, nil
}

// find loads a group by slug with p's relation to it; groups p may not see
// are not_found, exactly like groups of other tenants.
func (s *Service) find(ctx context.Context, p *accounts.Principal, slug string) (Group, relation, error) {
	var g Group
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND slug = ?", p.Tenant.ID, slug).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Group{}, relation{}, apperr.NotFound("no group called %q here", slug)
	}
	if err != nil {
		return Group{}, relation{}, fmt.Errorf("find group %s: %w", slug, err)
	}
	r, err := s.relation(ctx, p.Tenant.ID, g.ID, p.User.ID)
	if err != nil {
		return Group{}, relation{}, err
	}
	if !visible(p, g, r) {
		return Group{}, relation{}, apperr.NotFound("no group called %q here", slug)
	}
	return g, r, nil
}

func (s *Service) relation(ctx context.Context, tenantID, groupID, userID string) (relation, error) {
	db := s.db.WithContext(ctx)
	var r relation
	var m Membership
	err := db.Where("tenant_id = ? AND group_id = ? AND user_id = ?", tenantID, groupID, userID).Take(&m).Error
	switch {
	case err == nil:
		r.member = &m
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return r, fmt.Errorf("load membership: %w", err)
	}
	var n int64
	if err := db.Model(&Invite{}).Where("tenant_id = ? AND group_id = ? AND user_id = ?", tenantID, groupID, userID).Count(&n).Error; err != nil {
		return r, fmt.Errorf("load invite: %w", err)
	}
	r.invited = n > 0
	if err := db.Model(&Moderator{}).Where("tenant_id = ? AND group_id = ? AND user_id = ?", tenantID, groupID, userID).Count(&n).Error; err != nil {
		return r, fmt.Errorf("load moderator assignment: %w", err)
	}
	r.moderator = n > 0
	return r, nil
}

// Get returns one group as p sees it.
func (s *Service) Get(ctx context.Context, p *accounts.Principal, slug string) (View, error) {
	g, r, err := s.find(ctx, p, slug)
	if err != nil {
		return View{}, err
	}
	var n int64
	if err := s.db.WithContext(ctx).Model(&Membership{}).Where("tenant_id = ? AND group_id = ? AND lurking = ?", p.Tenant.ID, g.ID, false).Count(&n).Error; err != nil {
		return View{}, fmt.Errorf("count members of %s: %w", slug, err)
	}
	return s.view(p, g, r, int(n)), nil
}

// Access is what one member may do in one group; the real-time and
// moderation packages ask for it instead of re-deriving the rules.
type Access struct {
	Group   Group
	CanRead bool
	CanPost bool
	Lurking bool
	// Moderating: admin, tenant moderator or assigned to this group.
	Moderating bool
	// Reason says in plain words why CanPost (or CanRead) is false.
	Reason string
}

// Access resolves a group by slug for p. Groups p may not see are
// not_found, like those of other tenants.
func (s *Service) Access(ctx context.Context, p *accounts.Principal, slug string) (Access, error) {
	g, r, err := s.find(ctx, p, slug)
	if err != nil {
		return Access{}, err
	}
	a := Access{Group: g, Moderating: staff(p, g, r)}
	a.CanRead = r.member != nil || a.Moderating
	switch {
	case !a.CanRead:
		a.Reason = "join " + g.Name + " to read and post"
	case r.member == nil:
		a.Reason = "join " + g.Name + " to post"
	case r.member.Lurking:
		a.Lurking = true
		a.Reason = "you are lurking: switch lurking off to post"
	case g.Archived():
		a.Reason = g.Name + " is archived"
	default:
		a.CanPost = true
	}
	return a, nil
}
