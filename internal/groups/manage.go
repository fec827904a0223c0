package groups

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
	"quietroom/internal/textcheck"
)

// Input describes a group an admin creates; Patch, the fields they change.
type Input struct {
	Slug          string        `json:"slug"`
	Name          string        `json:"name"`
	Description   string        `json:"description"`
	Diagnosis     string        `json:"diagnosis"`
	Audience      Audience      `json:"audience"`
	Visibility    Visibility    `json:"visibility"`
	PostingPolicy PostingPolicy `json:"posting_policy"`
	HeldPosts     int           `json:"held_posts"`
}

type Patch struct {
	Name          *string        `json:"name"`
	Description   *string        `json:"description"`
	Diagnosis     *string        `json:"diagnosis"`
	Audience      *Audience      `json:"audience"`
	Visibility    *Visibility    `json:"visibility"`
	PostingPolicy *PostingPolicy `json:"posting_policy"`
	HeldPosts     *int           `json:"held_posts"`
	// Archived archives (true) or restores (false) the group.
	Archived *bool `json:"archived"`
}

func validate(g *Group, bad apperr.Fields) {
	var msg string
	if g.Name, msg = textcheck.Line(g.Name, 2, 80); msg != "" {
		bad.Add("name", msg)
	}
	if g.Description, msg = textcheck.Text(g.Description, 0, 1000); msg != "" {
		bad.Add("description", msg)
	}
	if g.Diagnosis != "" {
		if msg := textcheck.Slug(g.Diagnosis); msg != "" {
			bad.Add("diagnosis", msg)
		}
	}
	switch g.Audience {
	case Everyone, TeensOnly, AdultsOnly:
	default:
		bad.Add("audience", "must be everyone, teens or adults")
	}
	switch g.Visibility {
	case Listed, Unlisted, InviteOnly:
	default:
		bad.Add("visibility", "must be listed, unlisted or invite_only")
	}
	switch g.PostingPolicy {
	case PostOpen, PostHoldAll:
		if g.HeldPosts != 0 {
			bad.Add("held_posts", "only applies to the hold_first_posts policy")
		}
	case PostHoldFirstPosts:
		if g.HeldPosts < 1 || g.HeldPosts > 50 {
			bad.Add("held_posts", "must be between 1 and 50")
		}
	default:
		bad.Add("posting_policy", "must be open, hold_first_posts or hold_all")
	}
}

// Create adds a group; admins only.
func (s *Service) Create(ctx context.Context, p *accounts.Principal, in Input) (View, error) {
	if !p.IsAdmin() {
		return View{}, apperr.Forbidden("only admins create groups")
	}
	now := s.now()
	g := Group{ID: store.NewID(), TenantID: p.Tenant.ID, Slug: in.Slug, Name: in.Name, Description: in.Description,
		Diagnosis: in.Diagnosis, Audience: in.Audience, Visibility: in.Visibility, PostingPolicy: in.PostingPolicy,
		HeldPosts: in.HeldPosts, CreatedAt: now, UpdatedAt: now}
	if g.Audience == "" {
		g.Audience = Everyone
	}
	if g.Visibility == "" {
		g.Visibility = Listed
	}
	if g.PostingPolicy == "" {
		g.PostingPolicy = PostOpen
	}
	bad := apperr.Fields{}
	if msg := textcheck.Slug(g.Slug); msg != "" {
		bad.Add("slug", msg)
	} else if strings.HasPrefix(g.Slug, ReservedSlugPrefix) {
		bad.Add("slug", "may not start with \""+ReservedSlugPrefix+"\": older clients use that spelling for mentorship conversations")
	}
	validate(&g, bad)
	if err := bad.Err(); err != nil {
		return View{}, err
	}
	err := s.db.WithContext(ctx).Create(&g).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return View{}, apperr.InvalidField("slug", "is already used by another group here")
	}
	if err != nil {
		return View{}, fmt.Errorf("create group %s: %w", in.Slug, err)
	}
	return s.view(p, g, relation{}, 0), nil
}

// Update edits, archives or restores a group; admins only.
func (s *Service) Update(ctx context.Context, p *accounts.Principal, slug string, in Patch) (View, error) {
	if !p.IsAdmin() {
		return View{}, apperr.Forbidden("only admins edit groups")
	}
	g, _, err := s.find(ctx, p, slug)
	if err != nil {
		return View{}, err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&g.Name, in.Name)
	set(&g.Description, in.Description)
	set(&g.Diagnosis, in.Diagnosis)
	if in.Audience != nil {
		g.Audience = *in.Audience
	}
	if in.Visibility != nil {
		g.Visibility = *in.Visibility
	}
	if in.PostingPolicy != nil {
		g.PostingPolicy = *in.PostingPolicy
		if *in.PostingPolicy != PostHoldFirstPosts && in.HeldPosts == nil {
			g.HeldPosts = 0
		}
	}
	if in.HeldPosts != nil {
		g.HeldPosts = *in.HeldPosts
	}
	now := s.now()
	if in.Archived != nil {
		switch {
		case *in.Archived && g.ArchivedAt == nil:
			g.ArchivedAt = &now
		case !*in.Archived:
			g.ArchivedAt = nil
		}
	}
	bad := apperr.Fields{}
	validate(&g, bad)
	if err := bad.Err(); err != nil {
		return View{}, err
	}
	g.UpdatedAt = now
	err = s.db.WithContext(ctx).Model(&Group{}).Where("tenant_id = ? AND id = ?", p.Tenant.ID, g.ID).Updates(map[string]any{
		"name": g.Name, "description": g.Description, "diagnosis": g.Diagnosis, "audience": g.Audience,
		"visibility": g.Visibility, "posting_policy": g.PostingPolicy, "held_posts": g.HeldPosts,
		"archived_at": g.ArchivedAt, "updated_at": g.UpdatedAt,
	}).Error
	if err != nil {
		return View{}, fmt.Errorf("update group %s: %w", slug, err)
	}
	s.accessChanged(ctx, p.Tenant.ID, g.ID, "")
	return s.Get(ctx, p, g.Slug)
}

// Join makes p a member (or a lurker) of the group. Joining twice is not an
// error: the existing membership is returned, with lurking updated.
func (s *Service) Join(ctx context.Context, p *accounts.Principal, slug string, lurking bool) (View, error) {
	g, r, err := s.find(ctx, p, slug)
	if err != nil {
		return View{}, err
	}
	if r.member != nil {
		if r.member.Lurking != lurking {
			return s.SetLurking(ctx, p, slug, lurking)
		}
		return s.Get(ctx, p, slug)
	}
	if reason := joinBlocked(p, g, r); reason != "" {
		code := apperr.CodeForbidden
		switch {
		case g.Archived():
			code = apperr.CodeConflict
		case g.Visibility == InviteOnly && !r.invited:
			code = apperr.CodeForbidden
		case g.Audience != Everyone:
			code = apperr.CodeAudience
		}
		return View{}, apperr.New(code, "you cannot join %s: %s", g.Name, reason)
	}
	m := Membership{TenantID: p.Tenant.ID, GroupID: g.ID, UserID: p.User.ID, Lurking: lurking, JoinedAt: s.now()}
	err = s.db.WithContext(ctx).Create(&m).Error
	if err != nil && !errors.Is(err, gorm.ErrDuplicatedKey) {
		return View{}, fmt.Errorf("join group %s: %w", slug, err)
	}
	return s.Get(ctx, p, slug)
}

// Leave ends p's membership; leaving a group you are not in is a no-op.
func (s *Service) Leave(ctx context.Context, p *accounts.Principal, slug string) (View, error) {
	g, _, err := s.find(ctx, p, slug)
	if err != nil {
		return View{}, err
	}
	err = s.db.WithContext(ctx).Where("tenant_id = ? AND group_id = ? AND user_id = ?", p.Tenant.ID, g.ID, p.User.ID).Delete(&Membership{}).Error
	if err != nil {
		return View{}, fmt.Errorf("leave group %s: %w", slug, err)
	}
	s.accessChanged(ctx, p.Tenant.ID, g.ID, p.User.ID)
	view, err := s.Get(ctx, p, slug)
	if apperr.CodeOf(err) == apperr.CodeNotFound {
		// Leaving an invite-only group makes it invisible again.
		return s.view(p, g, relation{}, 0), nil
	}
	return view, err
}

// SetLurking switches p between taking part and lurking.
func (s *Service) SetLurking(ctx context.Context, p *accounts.Principal, slug string, lurking bool) (View, error) {
	g, r, err := s.find(ctx, p, slug)
	if err != nil {
		return View{}, err
	}
	if r.member == nil {
		return View{}, apperr.Conflict("join %s first", g.Name)
	}
	err = s.db.WithContext(ctx).Model(&Membership{}).Where("tenant_id = ? AND group_id = ? AND user_id = ?", p.Tenant.ID, g.ID, p.User.ID).
		Update("lurking", lurking).Error
	if err != nil {
		return View{}, fmt.Errorf("set lurking in %s: %w", slug, err)
	}
	s.accessChanged(ctx, p.Tenant.ID, g.ID, p.User.ID)
	return s.Get(ctx, p, slug)
}

// MemberView is a member as other members see them: a pseudonym only.
type MemberView struct {
	UserID      string    `json:"user_id"`
	DisplayName string    `json:"display_name"`
	Moderator   bool      `json:"moderator"`
	JoinedAt    time.Time `json:"joined_at"`
}

// Members lists the group's visible members: lurkers never appear (not even
// to admins, whose view of who is lurking is the moderation tools').
func (s *Service) Members(ctx context.Context, p *accounts.Principal, slug string) ([]MemberView, error) {
	g, r, err := s.find(ctx, p, slug)
	if err != nil {
		return nil, err
	}
	if r.member == nil && !staff(p, g, r) {
		return nil, apperr.Forbidden("join %s to see its members", g.Name)
	}
	var rows []struct {
		UserID      string
		DisplayName string
		JoinedAt    time.Time
		Moderator   bool
	}
	err = s.db.WithContext(ctx).Raw(`
		SELECT m.user_id, u.display_name, m.joined_at,
			EXISTS (SELECT 1 FROM group_moderators gm
				WHERE gm.tenant_id = m.tenant_id AND gm.group_id = m.group_id AND gm.user_id = m.user_id) AS moderator
		FROM group_memberships m
		JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
		WHERE m.tenant_id = ? AND m.group_id = ? AND m.lurking = ?
		ORDER BY u.display_name_key
		LIMIT 5000`, p.Tenant.ID, g.ID, false).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list members of %s: %w", slug, err)
	}
	out := make([]MemberView, len(rows))
	for i, row := range rows {
		out[i] = MemberView{row.UserID, row.DisplayName, row.Moderator, row.JoinedAt}
	}
	return out, nil
}

// CanModerate reports whether p moderates g: admins every group of their
// tenant, tenant moderators every group that is not closed (invite-only or
// archived), assigned moderators their own.
func (s *Service) CanModerate(ctx context.Context, p *accounts.Principal, groupID string) (bool, error) {
	var g Group
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.Tenant.ID, groupID).Limit(1).Find(&g).Error; err != nil {
		return false, fmt.Errorf("find group %s: %w", groupID, err)
	}
	if g.ID == "" {
		return false, nil // another tenant's group, or none: admins included
	}
	if p.IsAdmin() {
		return true, nil
	}
	r, err := s.relation(ctx, p.Tenant.ID, groupID, p.User.ID)
	return staff(p, g, r), err
}

// ModeratorIDs lists everyone who moderates a group: the tenant's admins
// and moderators, and the group's assigned moderators.
func (s *Service) ModeratorIDs(ctx context.Context, tenantID, groupID string) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`
		SELECT id FROM users WHERE tenant_id = ? AND (' ' || roles || ' ' LIKE '% admin %' OR ' ' || roles || ' ' LIKE '% moderator %')
		UNION
		SELECT user_id FROM group_moderators WHERE tenant_id = ? AND group_id = ?`, tenantID, tenantID, groupID).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("moderators of group %s: %w", groupID, err)
	}
	return ids, nil
}

// ModeratedGroupIDs lists the groups p moderates by assignment (admins
// and tenant moderators moderate all of them; see CanModerate).
func (s *Service) ModeratedGroupIDs(ctx context.Context, p *accounts.Principal) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Model(&Moderator{}).Where("tenant_id = ? AND user_id = ?", p.Tenant.ID, p.User.ID).
		Pluck("group_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("groups moderated by %s: %w", p.User.ID, err)
	}
	return ids, nil
}

// Invite lets a member join an invite-only group. Admins and the group's
// moderators invite.
func (s *Service) Invite(ctx context.Context, p *accounts.Principal, slug, userID string) error {
	g, r, err := s.find(ctx, p, slug)
	if err != nil {
		return err
	}
	if !staff(p, g, r) {
		return apperr.Forbidden("only admins and the group's moderators invite members")
	}
	if err := s.userExists(ctx, p.Tenant.ID, userID); err != nil {
		return err
	}
	inv := Invite{TenantID: p.Tenant.ID, GroupID: g.ID, UserID: userID, InvitedBy: p.User.ID, CreatedAt: s.now()}
	err = s.db.WithContext(ctx).Create(&inv).Error
	if err != nil && !errors.Is(err, gorm.ErrDuplicatedKey) {
		return fmt.Errorf("invite to %s: %w", slug, err)
	}
	return nil
}

// SetModerator assigns (or with assign=false removes) a group moderator;
// admins only.
func (s *Service) SetModerator(ctx context.Context, p *accounts.Principal, slug, userID string, assign bool) error {
	if !p.IsAdmin() {
		return apperr.Forbidden("only admins assign group moderators")
	}
	g, _, err := s.find(ctx, p, slug)
	if err != nil {
		return err
	}
	if err := s.userExists(ctx, p.Tenant.ID, userID); err != nil {
		return err
	}
	db := s.db.WithContext(ctx)
	if assign {
		err = db.Create(&Moderator{TenantID: p.Tenant.ID, GroupID: g.ID, UserID: userID, CreatedAt: s.now()}).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			err = nil
		}
	} else {
		err = db.Where("tenant_id = ? AND group_id = ? AND user_id = ?", p.Tenant.ID, g.ID, userID).Delete(&Moderator{}).Error
	}
	if err != nil {
		return fmt.Errorf("set moderator of %s: %w", slug, err)
	}
	s.accessChanged(ctx, p.Tenant.ID, g.ID, userID)
	return nil
}

func (s *Service) userExists(ctx context.Context, tenantID, userID string) error {
	var n int64
	if err := s.db.WithContext(ctx).Table("users").Where("tenant_id = ? AND id = ?", tenantID, userID).Count(&n).Error; err != nil {
		return fmt.Errorf("find user: %w", err)
	}
	if n == 0 {
		return apperr.NotFound("no such member")
	}
	return nil
}

// ExportUser is the groups section of a member's data export.
func (s *Service) ExportUser(ctx context.Context, tenantID, userID string) (string, any, error) {
	var rows []struct {
		Slug     string    `json:"group"`
		Name     string    `json:"name"`
		Lurking  bool      `json:"lurking"`
		JoinedAt time.Time `json:"joined_at"`
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT g.slug, g.name, m.lurking, m.joined_at FROM group_memberships m
		JOIN groups g ON g.tenant_id = m.tenant_id AND g.id = m.group_id
		WHERE m.tenant_id = ? AND m.user_id = ? ORDER BY g.slug`, tenantID, userID).Scan(&rows).Error
	return "group_memberships", rows, err
}

// DeleteUser removes the member's memberships, invitations and moderator
// assignments; accounts runs it inside the account-deletion transaction.
func (s *Service) DeleteUser(ctx context.Context, tx *store.Tx, t accounts.Tenant, userID string) error {
	for _, model := range []any{&Membership{}, &Invite{}, &Moderator{}} {
		if err := tx.ORM(ctx).Where("tenant_id = ? AND user_id = ?", t.ID, userID).Delete(model).Error; err != nil {
			return fmt.Errorf("delete group data: %w", err)
		}
	}
	return nil
}

// AdminIDs lists the tenant's admins: where the group's own moderators
// cannot decide, an item goes to them.
func (s *Service) AdminIDs(ctx context.Context, tenantID string) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Raw(`SELECT id FROM users WHERE tenant_id = ? AND ' ' || roles || ' ' LIKE '% admin %'`, tenantID).
		Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("admins of tenant %s: %w", tenantID, err)
	}
	return ids, nil
}

// Names maps group ids to their display names, for pages that show groups
// named by people rather than by address.
func (s *Service) Names(ctx context.Context, tenantID string, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var gs []Group
	if err := s.db.WithContext(ctx).Select("id", "name").Where("tenant_id = ? AND id IN ?", tenantID, ids).Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("names of groups: %w", err)
	}
	for _, g := range gs {
		out[g.ID] = g.Name
	}
	return out, nil
}
