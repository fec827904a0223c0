package main

import (
	"net/http"
	"slices"
	"testing"
)

func TestGroupAudienceRules(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("aud")
		adult := h.signUp("aud", "Willow", "adult")
		teen := h.signUp("aud", "Sprout", "teen")
		mod := h.signUp("aud", "Heron", "adult")

		cases := []struct {
			name   string
			who    *client
			group  string
			status int
			code   string
		}{
			{"adult into teen", adult, "teen", http.StatusForbidden, "audience_mismatch"},
			{"admin (adult) into teen", admin, "teen", http.StatusForbidden, "audience_mismatch"},
			{"teen into caregivers", teen, "caregivers", http.StatusForbidden, "audience_mismatch"},
			{"teen into abdominal", teen, "abdominal", http.StatusForbidden, "audience_mismatch"},
			{"teen into teen", teen, "teen", http.StatusOK, ""},
			{"teen into vestibular", teen, "vestibular", http.StatusOK, ""},
			{"adult into caregivers", adult, "caregivers", http.StatusOK, ""},
			{"adult into vestibular", adult, "vestibular", http.StatusOK, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := tc.who.qaAPI(t, "GET", "/groups/"+tc.group, nil).must(t, http.StatusOK)
				wantCanJoin := tc.status == http.StatusOK
				if before.Body["can_join"] != wantCanJoin {
					t.Errorf("before joining: can_join = %v, want %v: %s", before.Body["can_join"], wantCanJoin, before.Raw)
				}
				reason, _ := before.Body["join_blocked_reason"].(string)
				if wantCanJoin != (reason == "") {
					t.Errorf("before joining: join_blocked_reason = %q with can_join %v", reason, before.Body["can_join"])
				}
				// The directory says the same as the group view.
				list := tc.who.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)
				if g := qaGroupFrom(list, tc.group); g == nil || g["can_join"] != wantCanJoin {
					t.Errorf("directory entry of %s: %v, want can_join %v", tc.group, g, wantCanJoin)
				}
				r := tc.who.qaAPI(t, "POST", "/groups/"+tc.group+"/join", nil)
				if tc.status != http.StatusOK {
					qaExpectError(t, "join", r, tc.status, tc.code)
					after := tc.who.qaAPI(t, "GET", "/groups/"+tc.group, nil).must(t, http.StatusOK)
					if after.Body["joined"] != false {
						t.Errorf("a refused join left a membership: %s", after.Raw)
					}
					return
				}
				r.must(t, http.StatusOK)
				if r.Body["joined"] != true || r.Body["can_join"] != false {
					t.Errorf("after joining: joined=%v can_join=%v, want true/false", r.Body["joined"], r.Body["can_join"])
				}
				if reason, _ := r.Body["join_blocked_reason"].(string); reason != "" {
					t.Errorf("after joining: join_blocked_reason = %q", reason)
				}
				// Joining twice is not an error.
				tc.who.qaAPI(t, "POST", "/groups/"+tc.group+"/join", nil).must(t, http.StatusOK)
			})
		}

		t.Run("adult assigned as teen moderator joins teen", func(t *testing.T) {
			v := mod.qaAPI(t, "GET", "/groups/teen", nil).must(t, http.StatusOK)
			if v.Body["can_join"] != false {
				t.Fatalf("unassigned adult can join teen: %s", v.Raw)
			}
			// Only admins assign group moderators.
			qaExpectError(t, "member assigns moderator", adult.qaAPI(t, "PUT", "/groups/teen/moderators/"+mod.userID, nil), http.StatusForbidden, "forbidden")
			admin.qaAPI(t, "PUT", "/groups/teen/moderators/"+mod.userID, nil).must(t, http.StatusNoContent)
			v = mod.qaAPI(t, "GET", "/groups/teen", nil).must(t, http.StatusOK)
			if v.Body["can_join"] != true || v.Body["moderating"] != true {
				t.Errorf("assigned moderator: can_join=%v moderating=%v, want true/true: %s", v.Body["can_join"], v.Body["moderating"], v.Raw)
			}
			if reason, _ := v.Body["join_blocked_reason"].(string); reason != "" {
				t.Errorf("assigned moderator: join_blocked_reason = %q", reason)
			}
			j := mod.qaAPI(t, "POST", "/groups/teen/join", nil).must(t, http.StatusOK)
			if j.Body["joined"] != true {
				t.Errorf("moderator did not join teen: %s", j.Raw)
			}
			// The assignment is personal: other adults are still kept out.
			qaExpectError(t, "another adult into teen",
				adult.qaAPI(t, "POST", "/groups/teen/join", nil), http.StatusForbidden, "audience_mismatch")
			members := admin.qaAPI(t, "GET", "/groups/teen/members", nil).must(t, http.StatusOK)
			if ids := qaMemberIDs(members); !slices.Contains(ids, mod.userID) || !slices.Contains(ids, teen.userID) {
				t.Errorf("teen members = %v, want the teen and the moderator", ids)
			}
		})
	})
}

func TestGroupVisibility(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("vis")
		invitee := h.signUp("vis", "Fennel", "adult")
		other := h.signUp("vis", "Juniper", "adult")

		t.Run("invite only", func(t *testing.T) {
			admin.qaAPI(t, "POST", "/groups", map[string]any{
				"slug": "inner-circle", "name": "Inner circle", "visibility": "invite_only",
			}).must(t, http.StatusCreated)
			for _, who := range []*client{invitee, other} {
				qaExpectError(t, "GET invite-only", who.qaAPI(t, "GET", "/groups/inner-circle", nil), http.StatusNotFound, "not_found")
				qaExpectError(t, "join invite-only", who.qaAPI(t, "POST", "/groups/inner-circle/join", nil), http.StatusNotFound, "not_found")
				qaExpectError(t, "members of invite-only", who.qaAPI(t, "GET", "/groups/inner-circle/members", nil), http.StatusNotFound, "not_found")
				for _, q := range []string{"", "?archived=true"} {
					if slugs := qaGroupSlugs(who.qaAPI(t, "GET", "/groups"+q, nil).must(t, http.StatusOK)); slices.Contains(slugs, "inner-circle") {
						t.Errorf("uninvited member lists the invite-only group (%q)", q)
					}
				}
			}
			// Members cannot invite (not even themselves) into a group they cannot see.
			qaExpectError(t, "member invites", other.qaAPI(t, "POST", "/groups/inner-circle/invites", map[string]any{"user_id": other.userID}),
				http.StatusNotFound, "not_found")
			// Inviting someone who does not exist here is 404.
			qaExpectError(t, "invite a nobody", admin.qaAPI(t, "POST", "/groups/inner-circle/invites", map[string]any{"user_id": "nobody"}),
				http.StatusNotFound, "not_found")
			admin.qaAPI(t, "POST", "/groups/inner-circle/invites", map[string]any{"user_id": invitee.userID}).must(t, http.StatusNoContent)
			// Inviting twice is fine.
			admin.qaAPI(t, "POST", "/groups/inner-circle/invites", map[string]any{"user_id": invitee.userID}).must(t, http.StatusNoContent)

			v := invitee.qaAPI(t, "GET", "/groups/inner-circle", nil).must(t, http.StatusOK)
			if v.Body["invited"] != true || v.Body["can_join"] != true {
				t.Errorf("invitee view: invited=%v can_join=%v: %s", v.Body["invited"], v.Body["can_join"], v.Raw)
			}
			if slugs := qaGroupSlugs(invitee.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)); !slices.Contains(slugs, "inner-circle") {
				t.Errorf("invitee does not list the group: %v", slugs)
			}
			invitee.qaAPI(t, "POST", "/groups/inner-circle/join", nil).must(t, http.StatusOK)
			m := admin.qaAPI(t, "GET", "/groups/inner-circle/members", nil).must(t, http.StatusOK)
			if ids := qaMemberIDs(m); !slices.Equal(ids, []string{invitee.userID}) {
				t.Errorf("inner-circle members = %v, want the invitee", ids)
			}
			// The invitation was for one member only.
			qaExpectError(t, "uninvited after invite", other.qaAPI(t, "GET", "/groups/inner-circle", nil), http.StatusNotFound, "not_found")
			qaExpectError(t, "uninvited join after invite", other.qaAPI(t, "POST", "/groups/inner-circle/join", nil), http.StatusNotFound, "not_found")
		})

		t.Run("unlisted", func(t *testing.T) {
			admin.qaAPI(t, "POST", "/groups", map[string]any{
				"slug": "side-room", "name": "Side room", "visibility": "unlisted",
			}).must(t, http.StatusCreated)
			if slugs := qaGroupSlugs(other.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)); slices.Contains(slugs, "side-room") {
				t.Errorf("unlisted group is in a member's directory")
			}
			v := other.qaAPI(t, "GET", "/groups/side-room", nil).must(t, http.StatusOK)
			if v.Body["can_join"] != true {
				t.Errorf("unlisted group is not joinable by link: %s", v.Raw)
			}
			other.qaAPI(t, "POST", "/groups/side-room/join", nil).must(t, http.StatusOK)
			// Once joined, it is one of the member's groups.
			mine := other.qaAPI(t, "GET", "/groups?joined=true", nil).must(t, http.StatusOK)
			if slugs := qaGroupSlugs(mine); !slices.Contains(slugs, "side-room") {
				t.Errorf("joined unlisted group missing from ?joined=true: %v", slugs)
			}
			if slugs := qaGroupSlugs(invitee.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)); slices.Contains(slugs, "side-room") {
				t.Errorf("unlisted group is in a non-member's directory")
			}
		})

		t.Run("archived", func(t *testing.T) {
			// Fennel is in retinal before it is archived; Juniper is not.
			invitee.qaAPI(t, "POST", "/groups/retinal/join", nil).must(t, http.StatusOK)
			qaExpectError(t, "member archives", invitee.qaAPI(t, "PATCH", "/groups/retinal", map[string]any{"archived": true}),
				http.StatusForbidden, "forbidden")
			a := admin.qaAPI(t, "PATCH", "/groups/retinal", map[string]any{"archived": true}).must(t, http.StatusOK)
			if a.Body["archived_at"] == nil {
				t.Fatalf("PATCH archived:true did not archive: %s", a.Raw)
			}
			// No new members: an admin, who sees it, is told it is archived.
			qaExpectError(t, "admin joins archived", admin.qaAPI(t, "POST", "/groups/retinal/join", nil), http.StatusConflict, "conflict")
			// A member who is not in it cannot see it at all (404), so cannot
			// join it either (the brief said 409; see the report).
			r := other.qaAPI(t, "POST", "/groups/retinal/join", nil)
			if r.Status != http.StatusNotFound && r.Status != http.StatusConflict {
				t.Errorf("non-member joins archived group: %d %s, want 404 or 409", r.Status, qaShort(r.Raw))
			}
			qaExpectError(t, "non-member GET archived", other.qaAPI(t, "GET", "/groups/retinal", nil), http.StatusNotFound, "not_found")

			for _, who := range []struct {
				name      string
				c         *client
				withFlag  bool // listed with ?archived=true
				canDirect bool
			}{
				{"admin", admin, true, true},
				{"group member", invitee, true, true},
				{"non-member", other, false, false},
			} {
				plain := qaGroupSlugs(who.c.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK))
				if slices.Contains(plain, "retinal") {
					t.Errorf("%s: archived group listed without ?archived=true", who.name)
				}
				withFlag := qaGroupSlugs(who.c.qaAPI(t, "GET", "/groups?archived=true", nil).must(t, http.StatusOK))
				if slices.Contains(withFlag, "retinal") != who.withFlag {
					t.Errorf("%s: archived group in ?archived=true list = %v, want %v", who.name, !who.withFlag, who.withFlag)
				}
			}
			v := invitee.qaAPI(t, "GET", "/groups/retinal", nil).must(t, http.StatusOK)
			if v.Body["joined"] != true || v.Body["can_join"] != false || v.Body["join_blocked_reason"] == nil {
				t.Errorf("member's view of the archived group: %s", v.Raw)
			}
			qaExpectError(t, "bad archived flag", admin.qaAPI(t, "GET", "/groups?archived=maybe", nil), http.StatusUnprocessableEntity, "invalid")

			// Restoring opens it again.
			admin.qaAPI(t, "PATCH", "/groups/retinal", map[string]any{"archived": false}).must(t, http.StatusOK)
			other.qaAPI(t, "POST", "/groups/retinal/join", nil).must(t, http.StatusOK)
			if slugs := qaGroupSlugs(other.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)); !slices.Contains(slugs, "retinal") {
				t.Errorf("restored group not listed")
			}
		})
	})
}

func TestLurkersStayOutOfMemberLists(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("lurk")
		talker := h.signUp("lurk", "Talker", "adult")
		lurker := h.signUp("lurk", "Shadow", "adult")
		outsider := h.signUp("lurk", "Outsider", "adult")

		talker.qaAPI(t, "POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
		j := lurker.qaAPI(t, "POST", "/groups/chronic/join", map[string]any{"lurking": true}).must(t, http.StatusOK)
		if j.Body["joined"] != true || j.Body["lurking"] != true {
			t.Fatalf("lurking join: %s", j.Raw)
		}

		check := func(t *testing.T, state string, wantLurkerShown bool) {
			t.Helper()
			want := []string{talker.userID}
			if wantLurkerShown {
				want = append(want, lurker.userID)
			}
			for _, who := range []struct {
				name string
				c    *client
			}{{"member", talker}, {"admin", admin}, {"the lurker", lurker}} {
				m := who.c.qaAPI(t, "GET", "/groups/chronic/members", nil).must(t, http.StatusOK)
				ids := qaMemberIDs(m)
				if slices.Contains(ids, lurker.userID) != wantLurkerShown || !slices.Contains(ids, talker.userID) || len(ids) != len(want) {
					t.Errorf("%s: members seen by %s = %v, want %v", state, who.name, ids, want)
				}
				g := who.c.qaAPI(t, "GET", "/groups/chronic", nil).must(t, http.StatusOK)
				if n := qaNumber(g.Body["member_count"]); n != len(want) {
					t.Errorf("%s: member_count seen by %s = %d, want %d", state, who.name, n, len(want))
				}
				l := who.c.qaAPI(t, "GET", "/groups", nil).must(t, http.StatusOK)
				if n := qaNumber(qaGroupFrom(l, "chronic")["member_count"]); n != len(want) {
					t.Errorf("%s: directory member_count seen by %s = %d, want %d", state, who.name, n, len(want))
				}
			}
			self := lurker.qaAPI(t, "GET", "/groups/chronic", nil).must(t, http.StatusOK)
			if self.Body["joined"] != true || self.Body["lurking"] != !wantLurkerShown {
				t.Errorf("%s: lurker's own view joined=%v lurking=%v", state, self.Body["joined"], self.Body["lurking"])
			}
		}
		check(t, "joined lurking", false)

		lurker.qaAPI(t, "PATCH", "/groups/chronic/membership", map[string]any{"lurking": false}).must(t, http.StatusOK)
		check(t, "switched to taking part", true)

		lurker.qaAPI(t, "PATCH", "/groups/chronic/membership", map[string]any{"lurking": true}).must(t, http.StatusOK)
		check(t, "back to lurking", false)

		// Joining again with another lurking flag switches too.
		lurker.qaAPI(t, "POST", "/groups/chronic/join", map[string]any{"lurking": false}).must(t, http.StatusOK)
		check(t, "re-joined taking part", true)
		lurker.qaAPI(t, "POST", "/groups/chronic/join", map[string]any{"lurking": true}).must(t, http.StatusOK)
		check(t, "re-joined lurking", false)

		// Non-members of a listed group may not see who is in it.
		qaExpectError(t, "outsider lists members", outsider.qaAPI(t, "GET", "/groups/chronic/members", nil), http.StatusForbidden, "forbidden")
		// Nor switch lurking in a group they are not in.
		qaExpectError(t, "outsider sets lurking", outsider.qaAPI(t, "PATCH", "/groups/chronic/membership", map[string]any{"lurking": true}),
			http.StatusConflict, "conflict")
		// Leaving takes the member out of the list.
		talker.qaAPI(t, "POST", "/groups/chronic/leave", nil).must(t, http.StatusOK)
		m := admin.qaAPI(t, "GET", "/groups/chronic/members", nil).must(t, http.StatusOK)
		if ids := qaMemberIDs(m); len(ids) != 0 {
			t.Errorf("after the talker left and the lurker lurks, members = %v, want none", ids)
		}
		qaExpectError(t, "leaver lists members", talker.qaAPI(t, "GET", "/groups/chronic/members", nil), http.StatusForbidden, "forbidden")
	})
}
