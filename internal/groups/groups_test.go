package groups_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
)

// A new community starts with the default catalogue, every group listed.
func TestNewTenantGetsTheCatalogue(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		admin := f.tenant(t, "cat")
		got := listed(t, f, admin, groups.Filter{})
		for _, e := range groups.DefaultCatalogue() {
			if !slices.Contains(got, e.Slug) {
				t.Errorf("catalogue group %s missing from %v", e.Slug, got)
			}
		}
		if len(got) != len(groups.DefaultCatalogue()) {
			t.Errorf("admin lists %d groups, want the %d of the catalogue", len(got), len(groups.DefaultCatalogue()))
		}
	})
}

// Admins create and edit groups; nobody else does; bad input names its
// fields and creates nothing.
func TestOnlyAdminsCreateAndEditGroups(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "make")
		mod := f.member(t, admin, "Heron", accounts.Adult)
		ok(f.accounts.SetRoles(ctx, admin, mod.User.ID, []accounts.Role{accounts.RoleMember, accounts.RoleModerator})).must(t, "make Heron a moderator")
		member := f.member(t, admin, "Willow", accounts.Adult)

		_, err := f.groups.Create(ctx, member, groups.Input{Slug: "mine", Name: "Mine"})
		wantCode(t, "member creates", err, apperr.CodeForbidden)
		_, err = f.groups.Create(ctx, mod, groups.Input{Slug: "mine", Name: "Mine"})
		wantCode(t, "moderator creates", err, apperr.CodeForbidden)

		_, err = f.groups.Create(ctx, admin, groups.Input{Slug: "Bad Slug", Name: "x", Audience: "aliens", PostingPolicy: "hold_first_posts"})
		var ae *apperr.Error
		if !asAppErr(err, &ae) || ae.Code != apperr.CodeInvalid {
			t.Fatalf("invalid group: %v, want an invalid error", err)
		}
		for _, field := range []string{"slug", "name", "audience", "held_posts"} {
			if ae.Fields[field] == "" {
				t.Errorf("no message for field %s in %v", field, ae.Fields)
			}
		}
		v := ok(f.groups.Create(ctx, admin, groups.Input{Slug: "night-owls", Name: "Night owls"})).must(t, "admin creates")
		if v.Audience != groups.Everyone || v.Visibility != groups.Listed || v.PostingPolicy != groups.PostOpen {
			t.Errorf("defaults: audience %s, visibility %s, policy %s", v.Audience, v.Visibility, v.PostingPolicy)
		}
		_, err = f.groups.Create(ctx, admin, groups.Input{Slug: "night-owls", Name: "Again"})
		wantCode(t, "slug taken", err, apperr.CodeInvalid)

		name := "Night owls (late)"
		_, err = f.groups.Update(ctx, member, "night-owls", groups.Patch{Name: &name})
		wantCode(t, "member edits", err, apperr.CodeForbidden)
		u := ok(f.groups.Update(ctx, admin, "night-owls", groups.Patch{Name: &name})).must(t, "admin edits")
		if u.Name != name {
			t.Errorf("name after edit %q, want %q", u.Name, name)
		}
		if got := ok(f.groups.Get(ctx, member, "night-owls")).must(t, "get"); got.Name != name {
			t.Errorf("member sees name %q, want %q", got.Name, name)
		}
	})
}

// Moved from cmd/hub (TestGroupAudienceRules): teens-only and adults-only
// groups keep the other bracket out, the directory and the group agree on
// can_join, and an adult assigned to moderate a teen group may join it.
func TestGroupAudienceRules(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "aud")
		adult := f.member(t, admin, "Willow", accounts.Adult)
		teen := f.member(t, admin, "Sprout", accounts.Teen)
		mod := f.member(t, admin, "Heron", accounts.Adult)

		cases := []struct {
			name  string
			who   *accounts.Principal
			group string
			code  apperr.Code // "" joins
		}{
			{"adult into teen", adult, "teen", apperr.CodeAudience},
			{"admin (adult) into teen", admin, "teen", apperr.CodeAudience},
			{"teen into caregivers", teen, "caregivers", apperr.CodeAudience},
			{"teen into abdominal", teen, "abdominal", apperr.CodeAudience},
			{"teen into teen", teen, "teen", ""},
			{"teen into vestibular", teen, "vestibular", ""},
			{"adult into caregivers", adult, "caregivers", ""},
			{"adult into vestibular", adult, "vestibular", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				wantCanJoin := tc.code == ""
				before := ok(f.groups.Get(ctx, tc.who, tc.group)).must(t, "get")
				if before.CanJoin != wantCanJoin || wantCanJoin != (before.JoinBlockedReason == "") {
					t.Errorf("before joining: can_join %v, reason %q; want can_join %v", before.CanJoin, before.JoinBlockedReason, wantCanJoin)
				}
				dir := ok(f.groups.List(ctx, tc.who, groups.Filter{})).must(t, "list")
				if e := entry(dir, tc.group); e == nil || e.CanJoin != wantCanJoin {
					t.Errorf("directory entry of %s: %+v, want can_join %v", tc.group, e, wantCanJoin)
				}
				v, err := f.groups.Join(ctx, tc.who, tc.group, false)
				if !wantCanJoin {
					wantCode(t, "join", err, tc.code)
					if after := ok(f.groups.Get(ctx, tc.who, tc.group)).must(t, "get"); after.Joined {
						t.Error("a refused join left a membership")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !v.Joined || v.CanJoin || v.JoinBlockedReason != "" {
					t.Errorf("after joining: joined %v, can_join %v, reason %q", v.Joined, v.CanJoin, v.JoinBlockedReason)
				}
				ok(f.groups.Join(ctx, tc.who, tc.group, false)).must(t, "join twice")
			})
		}

		t.Run("adult assigned as teen moderator joins teen", func(t *testing.T) {
			if v := ok(f.groups.Get(ctx, mod, "teen")).must(t, "get"); v.CanJoin {
				t.Fatal("unassigned adult can join teen")
			}
			wantCode(t, "member assigns a moderator", f.groups.SetModerator(ctx, adult, "teen", mod.User.ID, true), apperr.CodeForbidden)
			if err := f.groups.SetModerator(ctx, admin, "teen", mod.User.ID, true); err != nil {
				t.Fatal(err)
			}
			v := ok(f.groups.Get(ctx, mod, "teen")).must(t, "get")
			if !v.CanJoin || !v.Moderating || v.JoinBlockedReason != "" {
				t.Errorf("assigned moderator: can_join %v, moderating %v, reason %q", v.CanJoin, v.Moderating, v.JoinBlockedReason)
			}
			if j := ok(f.groups.Join(ctx, mod, "teen", false)).must(t, "moderator joins"); !j.Joined {
				t.Error("moderator did not join teen")
			}
			_, err := f.groups.Join(ctx, adult, "teen", false)
			wantCode(t, "another adult into teen", err, apperr.CodeAudience)
			ids := memberIDs(ok(f.groups.Members(ctx, admin, "teen")).must(t, "members"))
			if !slices.Contains(ids, mod.User.ID) || !slices.Contains(ids, teen.User.ID) {
				t.Errorf("teen members = %v, want the teen and the moderator", ids)
			}
			if m := ok(f.groups.Members(ctx, admin, "teen")).must(t, "members"); !moderatorFlag(m, mod.User.ID) {
				t.Error("the assigned moderator is not marked as one in the member list")
			}
		})
	})
}

func moderatorFlag(ms []groups.MemberView, id string) bool {
	for _, m := range ms {
		if m.UserID == id {
			return m.Moderator
		}
	}
	return false
}

// Moved from cmd/hub (TestGroupVisibility): invite-only groups do not
// exist for the uninvited, unlisted groups are reached by link only,
// archived groups take no one new and show only to their members and staff.
func TestGroupVisibility(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "vis")
		invitee := f.member(t, admin, "Fennel", accounts.Adult)
		other := f.member(t, admin, "Juniper", accounts.Adult)

		t.Run("invite only", func(t *testing.T) {
			ok(f.groups.Create(ctx, admin, groups.Input{Slug: "inner-circle", Name: "Inner circle", Visibility: groups.InviteOnly})).must(t, "create")
			for _, who := range []*accounts.Principal{invitee, other} {
				_, err := f.groups.Get(ctx, who, "inner-circle")
				wantCode(t, "get invite-only", err, apperr.CodeNotFound)
				_, err = f.groups.Join(ctx, who, "inner-circle", false)
				wantCode(t, "join invite-only", err, apperr.CodeNotFound)
				_, err = f.groups.Members(ctx, who, "inner-circle")
				wantCode(t, "members of invite-only", err, apperr.CodeNotFound)
				_, err = f.groups.Access(ctx, who, "inner-circle")
				wantCode(t, "access to invite-only", err, apperr.CodeNotFound)
				for _, archived := range []bool{false, true} {
					if slices.Contains(listed(t, f, who, groups.Filter{Archived: archived}), "inner-circle") {
						t.Errorf("uninvited member lists the invite-only group (archived=%v)", archived)
					}
				}
			}
			wantCode(t, "member invites", f.groups.Invite(ctx, other, "inner-circle", other.User.ID), apperr.CodeNotFound)
			wantCode(t, "invite a nobody", f.groups.Invite(ctx, admin, "inner-circle", "nobody"), apperr.CodeNotFound)
			for range 2 { // inviting twice is fine
				if err := f.groups.Invite(ctx, admin, "inner-circle", invitee.User.ID); err != nil {
					t.Fatal(err)
				}
			}
			v := ok(f.groups.Get(ctx, invitee, "inner-circle")).must(t, "invitee gets")
			if !v.Invited || !v.CanJoin {
				t.Errorf("invitee view: invited %v, can_join %v", v.Invited, v.CanJoin)
			}
			if !slices.Contains(listed(t, f, invitee, groups.Filter{}), "inner-circle") {
				t.Error("invitee does not list the group")
			}
			ok(f.groups.Join(ctx, invitee, "inner-circle", false)).must(t, "invitee joins")
			if ids := memberIDs(ok(f.groups.Members(ctx, admin, "inner-circle")).must(t, "members")); !slices.Equal(ids, []string{invitee.User.ID}) {
				t.Errorf("inner-circle members = %v, want the invitee", ids)
			}
			_, err := f.groups.Get(ctx, other, "inner-circle")
			wantCode(t, "uninvited after an invite", err, apperr.CodeNotFound)
			_, err = f.groups.Join(ctx, other, "inner-circle", false)
			wantCode(t, "uninvited join after an invite", err, apperr.CodeNotFound)
		})

		t.Run("unlisted", func(t *testing.T) {
			ok(f.groups.Create(ctx, admin, groups.Input{Slug: "side-room", Name: "Side room", Visibility: groups.Unlisted})).must(t, "create")
			if slices.Contains(listed(t, f, other, groups.Filter{}), "side-room") {
				t.Error("unlisted group is in a member's directory")
			}
			if v := ok(f.groups.Get(ctx, other, "side-room")).must(t, "get by link"); !v.CanJoin {
				t.Error("unlisted group is not joinable by link")
			}
			ok(f.groups.Join(ctx, other, "side-room", false)).must(t, "join")
			if !slices.Contains(listed(t, f, other, groups.Filter{Joined: true}), "side-room") {
				t.Error("joined unlisted group missing from the member's own groups")
			}
			if slices.Contains(listed(t, f, invitee, groups.Filter{}), "side-room") {
				t.Error("unlisted group is in a non-member's directory")
			}
		})

		t.Run("archived", func(t *testing.T) {
			ok(f.groups.Join(ctx, invitee, "retinal", false)).must(t, "Fennel joins retinal")
			yes, no := true, false
			_, err := f.groups.Update(ctx, invitee, "retinal", groups.Patch{Archived: &yes})
			wantCode(t, "member archives", err, apperr.CodeForbidden)
			if a := ok(f.groups.Update(ctx, admin, "retinal", groups.Patch{Archived: &yes})).must(t, "archive"); a.ArchivedAt == nil {
				t.Fatal("archiving did not archive")
			}
			_, err = f.groups.Join(ctx, admin, "retinal", false)
			wantCode(t, "admin joins archived", err, apperr.CodeConflict)
			_, err = f.groups.Join(ctx, other, "retinal", false)
			wantCode(t, "non-member joins archived", err, apperr.CodeNotFound)
			_, err = f.groups.Get(ctx, other, "retinal")
			wantCode(t, "non-member gets archived", err, apperr.CodeNotFound)
			for _, who := range []struct {
				name     string
				p        *accounts.Principal
				withFlag bool
			}{{"admin", admin, true}, {"group member", invitee, true}, {"non-member", other, false}} {
				if slices.Contains(listed(t, f, who.p, groups.Filter{}), "retinal") {
					t.Errorf("%s: archived group listed without the archived filter", who.name)
				}
				if got := slices.Contains(listed(t, f, who.p, groups.Filter{Archived: true}), "retinal"); got != who.withFlag {
					t.Errorf("%s: archived group listed with the filter = %v, want %v", who.name, got, who.withFlag)
				}
			}
			v := ok(f.groups.Get(ctx, invitee, "retinal")).must(t, "member gets archived")
			if !v.Joined || v.CanJoin || v.JoinBlockedReason == "" {
				t.Errorf("member's view of the archived group: joined %v, can_join %v, reason %q", v.Joined, v.CanJoin, v.JoinBlockedReason)
			}
			a := ok(f.groups.Access(ctx, invitee, "retinal")).must(t, "access")
			if !a.CanRead || a.CanPost {
				t.Errorf("member's access to an archived group: read %v, post %v; want read only", a.CanRead, a.CanPost)
			}
			ok(f.groups.Update(ctx, admin, "retinal", groups.Patch{Archived: &no})).must(t, "restore")
			ok(f.groups.Join(ctx, other, "retinal", false)).must(t, "join restored")
			if !slices.Contains(listed(t, f, other, groups.Filter{}), "retinal") {
				t.Error("restored group not listed")
			}
		})
	})
}

// Moved from cmd/hub (TestLurkersStayOutOfMemberLists): lurkers read but
// never appear in member lists or counts; switching back shows them.
func TestLurkersStayOutOfMemberLists(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "lurk")
		talker := f.member(t, admin, "Talker", accounts.Adult)
		lurker := f.member(t, admin, "Shadow", accounts.Adult)
		outsider := f.member(t, admin, "Outsider", accounts.Adult)

		ok(f.groups.Join(ctx, talker, "chronic", false)).must(t, "talker joins")
		if j := ok(f.groups.Join(ctx, lurker, "chronic", true)).must(t, "lurker joins"); !j.Joined || !j.Lurking {
			t.Fatalf("lurking join: joined %v, lurking %v", j.Joined, j.Lurking)
		}
		check := func(state string, lurkerShown bool) {
			t.Helper()
			want := []string{talker.User.ID}
			if lurkerShown {
				want = append(want, lurker.User.ID)
			}
			slices.Sort(want)
			for _, who := range []struct {
				name string
				p    *accounts.Principal
			}{{"member", talker}, {"admin", admin}, {"the lurker", lurker}} {
				if ids := memberIDs(ok(f.groups.Members(ctx, who.p, "chronic")).must(t, "members")); !slices.Equal(ids, want) {
					t.Errorf("%s: members seen by %s = %v, want %v", state, who.name, ids, want)
				}
				if n := ok(f.groups.Get(ctx, who.p, "chronic")).must(t, "get").MemberCount; n != len(want) {
					t.Errorf("%s: member_count seen by %s = %d, want %d", state, who.name, n, len(want))
				}
				if e := entry(ok(f.groups.List(ctx, who.p, groups.Filter{})).must(t, "list"), "chronic"); e == nil || e.MemberCount != len(want) {
					t.Errorf("%s: directory entry seen by %s = %+v, want member_count %d", state, who.name, e, len(want))
				}
			}
			self := ok(f.groups.Get(ctx, lurker, "chronic")).must(t, "lurker's view")
			if !self.Joined || self.Lurking == lurkerShown {
				t.Errorf("%s: lurker's own view joined %v, lurking %v", state, self.Joined, self.Lurking)
			}
			a := ok(f.groups.Access(ctx, lurker, "chronic")).must(t, "lurker's access")
			if !a.CanRead || a.CanPost == !lurkerShown || a.Lurking == lurkerShown {
				t.Errorf("%s: lurker's access read %v, post %v, lurking %v", state, a.CanRead, a.CanPost, a.Lurking)
			}
		}
		check("joined lurking", false)
		ok(f.groups.SetLurking(ctx, lurker, "chronic", false)).must(t, "stop lurking")
		check("switched to taking part", true)
		ok(f.groups.SetLurking(ctx, lurker, "chronic", true)).must(t, "lurk again")
		check("back to lurking", false)
		ok(f.groups.Join(ctx, lurker, "chronic", false)).must(t, "re-join taking part")
		check("re-joined taking part", true)
		ok(f.groups.Join(ctx, lurker, "chronic", true)).must(t, "re-join lurking")
		check("re-joined lurking", false)

		_, err := f.groups.Members(ctx, outsider, "chronic")
		wantCode(t, "outsider lists members", err, apperr.CodeForbidden)
		_, err = f.groups.SetLurking(ctx, outsider, "chronic", true)
		wantCode(t, "outsider sets lurking", err, apperr.CodeConflict)
		ok(f.groups.Leave(ctx, talker, "chronic")).must(t, "talker leaves")
		if ids := ok(f.groups.Members(ctx, admin, "chronic")).must(t, "members"); len(ids) != 0 {
			t.Errorf("after the talker left and the lurker lurks, members = %v, want none", memberIDs(ids))
		}
		_, err = f.groups.Members(ctx, talker, "chronic")
		wantCode(t, "leaver lists members", err, apperr.CodeForbidden)
		ok(f.groups.Leave(ctx, talker, "chronic")).must(t, "leaving twice")
	})
}

// Another community's groups, members and moderators are not_found, never
// forbidden: nothing tells one tenant what another holds.
func TestOtherTenantsGroupsAreNotFound(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		adminA := f.tenant(t, "alpha")
		adminB := f.tenant(t, "beta")
		memberB := f.member(t, adminB, "Birch", accounts.Adult)
		ok(f.groups.Create(ctx, adminA, groups.Input{Slug: "alpha-only", Name: "Alpha only"})).must(t, "alpha-only group")

		for _, who := range []struct {
			name string
			p    *accounts.Principal
		}{{"beta admin", adminB}, {"beta member", memberB}} {
			_, err := f.groups.Get(ctx, who.p, "alpha-only")
			wantCode(t, who.name+" gets", err, apperr.CodeNotFound)
			_, err = f.groups.Join(ctx, who.p, "alpha-only", false)
			wantCode(t, who.name+" joins", err, apperr.CodeNotFound)
			_, err = f.groups.Access(ctx, who.p, "alpha-only")
			wantCode(t, who.name+" access", err, apperr.CodeNotFound)
			_, err = f.groups.Members(ctx, who.p, "alpha-only")
			wantCode(t, who.name+" members", err, apperr.CodeNotFound)
			if slices.Contains(listed(t, f, who.p, groups.Filter{Archived: true}), "alpha-only") {
				t.Errorf("%s lists alpha's group", who.name)
			}
		}
		// An admin of one community cannot invite or appoint a member of another.
		wantCode(t, "alpha invites a beta member", f.groups.Invite(ctx, adminA, "vestibular", memberB.User.ID), apperr.CodeNotFound)
		wantCode(t, "alpha appoints a beta member", f.groups.SetModerator(ctx, adminA, "vestibular", memberB.User.ID, true), apperr.CodeNotFound)
		// Both have a group called vestibular: joining beta's leaves alpha's alone.
		vb := ok(f.groups.Join(ctx, memberB, "vestibular", false)).must(t, "beta vestibular")
		va := ok(f.groups.Get(ctx, adminA, "vestibular")).must(t, "alpha vestibular")
		if vb.ID == va.ID || va.MemberCount != 0 || vb.MemberCount != 1 {
			t.Errorf("vestibular: alpha %s with %d members, beta %s with %d; want separate groups, 0 and 1", va.ID, va.MemberCount, vb.ID, vb.MemberCount)
		}
		if mods := ok(f.groups.CanModerate(ctx, adminB, va.ID)).must(t, "can moderate"); mods {
			t.Error("beta's admin moderates alpha's group")
		}
	})
}

// Many members joining one group at once, and one member joining many
// times at once: every join counts once.
func TestConcurrentJoinsCountOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "busy")
		const n = 12
		members := make([]*accounts.Principal, n)
		for i := range members {
			members[i] = f.member(t, admin, fmt.Sprintf("Member %02d", i), accounts.Adult)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 3*n)
		start := make(chan struct{})
		for _, m := range members {
			for range 3 { // each member presses Join three times
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if _, err := f.groups.Join(ctx, m, "menstrual", false); err != nil {
						errs <- err
					}
				}()
			}
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent join: %v", err)
		}
		if got := ok(f.groups.Get(ctx, admin, "menstrual")).must(t, "get").MemberCount; got != n {
			t.Errorf("member_count = %d after %d members joined (3 times each), want %d", got, n, n)
		}
		if ids := ok(f.groups.Members(ctx, admin, "menstrual")).must(t, "members"); len(ids) != n {
			t.Errorf("%d members listed, want %d", len(ids), n)
		}
	})
}

// Access tells realtime and moderation what a member may do; it changes
// with membership and assignment, and the access hook hears of each change.
func TestAccessFollowsMembershipAndRoles(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "acc")
		member := f.member(t, admin, "Aster", accounts.Adult)
		var mu sync.Mutex
		var heard []string
		// The same groups, with a listener for access changes.
		f.groups = groups.NewService(f.db, nil, func(_ context.Context, tenantID, groupID, userID string) {
			mu.Lock()
			heard = append(heard, userID)
			mu.Unlock()
		})
		a := ok(f.groups.Access(ctx, member, "silent")).must(t, "before joining")
		if a.CanRead || a.CanPost || a.Moderating || a.Reason == "" {
			t.Errorf("before joining: %+v, want no reading, no posting, a reason", a)
		}
		ok(f.groups.Join(ctx, member, "silent", false)).must(t, "join")
		if a := ok(f.groups.Access(ctx, member, "silent")).must(t, "joined"); !a.CanRead || !a.CanPost || a.Reason != "" {
			t.Errorf("after joining: %+v, want read and post", a)
		}
		if err := f.groups.SetModerator(ctx, admin, "silent", member.User.ID, true); err != nil {
			t.Fatal(err)
		}
		if a := ok(f.groups.Access(ctx, member, "silent")).must(t, "assigned"); !a.Moderating {
			t.Error("assigned moderator's access is not moderating")
		}
		if mods := ok(f.groups.CanModerate(ctx, member, a.Group.ID)).must(t, "can moderate"); !mods {
			t.Error("CanModerate is false for the assigned moderator")
		}
		ids := ok(f.groups.ModeratedGroupIDs(ctx, member)).must(t, "moderated groups")
		if !slices.Equal(ids, []string{a.Group.ID}) {
			t.Errorf("moderated group ids %v, want [%s]", ids, a.Group.ID)
		}
		ok(f.groups.Leave(ctx, member, "silent")).must(t, "leave")
		mu.Lock()
		defer mu.Unlock()
		if n := len(heard); n < 2 || heard[n-1] != member.User.ID {
			t.Errorf("access hook heard %v, want the assignment and the leave of %s", heard, member.User.ID)
		}
	})
}

func asAppErr(err error, target **apperr.Error) bool {
	return errorsAs(err, target)
}
