package conversation_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// schema is every table the directory and the migrations read, in the
// order cmd/hub applies them, without the conversation migrations.
func schema() []store.Migration {
	var all []store.Migration
	for _, ms := range [][]store.Migration{accounts.Migrations(), groups.Migrations(), realtime.Migrations(), moderation.Migrations(), mentoring.Migrations()} {
		all = append(all, ms...)
	}
	return all
}

type noNotices struct{}

func (noNotices) Notify(context.Context, string, []string, string, string, string, string, string) {}

// world is one tenant with a group, its admin, a member, and a mentorship.
type world struct {
	db                     *store.DB
	groups                 *groups.Service
	dir                    *conversation.Directory
	tenant                 accounts.Tenant
	admin, member, outside *accounts.Principal
	mentor, mentee         *accounts.Principal
	group                  groups.View
	mentorshipID           string
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	w := &world{db: db, tenant: accounts.Tenant{ID: store.NewID(), Slug: "t-" + store.NewID()[:8], Name: "Calm"}}
	if err := db.Exec(`INSERT INTO tenants (id, slug, name, guidelines, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?)`,
		w.tenant.ID, w.tenant.Slug, w.tenant.Name, now, now).Error; err != nil {
		t.Fatal(err)
	}
	person := func(name, roles string) *accounts.Principal {
		u := accounts.User{ID: store.NewID(), TenantID: w.tenant.ID, Email: name + "@example.org", DisplayName: name, DisplayNameKey: name,
			AgeBracket: accounts.Adult, RolesText: roles, GuidelinesAcceptedAt: now, PreferencesJSON: "{}"}
		if err := db.Create(&u).Error; err != nil {
			t.Fatal(err)
		}
		return &accounts.Principal{Tenant: w.tenant, User: u}
	}
	w.admin, w.member, w.outside = person("admin", "admin"), person("member", "member"), person("outsider", "member")
	w.mentor, w.mentee = person("mentor", "member mentor"), person("mentee", "member")
	w.groups = groups.NewService(db, time.Now)
	var err error
	if w.group, err = w.groups.Create(ctx, w.admin, groups.Input{Slug: "chronic", Name: "Chronic migraine"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.groups.Join(ctx, w.member, "chronic", false); err != nil {
		t.Fatal(err)
	}
	w.mentorshipID = store.NewID()
	if err := db.Exec(`INSERT INTO mentorships (id, tenant_id, request_id, mentor_id, mentee_id, status, teen, started_at, ended_by, end_reason)
		VALUES (?, ?, ?, ?, ?, 'active', false, ?, '', '')`, w.mentorshipID, w.tenant.ID, store.NewID(), w.mentor.User.ID, w.mentee.User.ID, now).Error; err != nil {
		t.Fatal(err)
	}
	ment := mentoring.NewService(db, noNotices{}, nil, nil, mentoring.DefaultConfig(), time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.dir = conversation.NewDirectory(w.groups, ment)
	return w
}

// Each kind is resolved by the domain that owns it, from the address's
// kind: a group's slug and a mentorship's id never stand in for each other,
// and what a member may not see is not_found.
func TestDirectoryResolvesEachKindThroughItsOwnDomain(t *testing.T) {
	w := newWorld(t, storetest.OpenPostgres(t, schema()))
	ctx := context.Background()
	group := conversation.Address{Kind: conversation.Group, Key: "chronic"}
	ship := conversation.Address{Kind: conversation.Mentorship, Key: w.mentorshipID}

	a, err := w.dir.Resolve(ctx, w.member, group)
	if err != nil {
		t.Fatal(err)
	}
	if c := a.Conversation; c.Kind != conversation.Group || c.ID != w.group.ID || c.Key != "chronic" || c.TenantID != w.tenant.ID ||
		c.Address() != group || !a.CanRead || !a.CanPost || c.Policy.Posting != conversation.PostOpen {
		t.Errorf("member in the group: %+v", a)
	}
	a, err = w.dir.Resolve(ctx, w.mentee, ship)
	if err != nil {
		t.Fatal(err)
	}
	if c := a.Conversation; c.Kind != conversation.Mentorship || c.ID != w.mentorshipID || c.Key != w.mentorshipID ||
		c.Address() != ship || !a.CanRead || !a.CanPost || a.Moderating {
		t.Errorf("mentee in the mentorship: %+v", a)
	}
	if a, err := w.dir.Resolve(ctx, w.outside, group); err != nil || a.CanRead || a.CanPost {
		t.Errorf("someone who has not joined reads the group: %+v, %v", a, err)
	}

	notFound := []struct {
		name string
		p    *accounts.Principal
		at   conversation.Address
	}{
		{"a stranger in an adult mentorship", w.outside, ship},
		{"an admin in an adult mentorship", w.admin, ship},
		{"the group's id as a mentorship", w.member, conversation.Address{Kind: conversation.Mentorship, Key: w.group.ID}},
		{"the mentorship's id as a group", w.mentee, conversation.Address{Kind: conversation.Group, Key: w.mentorshipID}},
		{"the old mentorship spelling as a group slug", w.mentee, conversation.Address{Kind: conversation.Group, Key: "mentorship-" + w.mentorshipID}},
		{"an unknown kind", w.member, conversation.Address{Kind: "room", Key: "chronic"}},
	}
	for _, tc := range notFound {
		if _, err := w.dir.Resolve(ctx, tc.p, tc.at); !isNotFound(err) {
			t.Errorf("%s: %v, want not_found", tc.name, err)
		}
	}

	// Another tenant's member sees neither.
	other := newWorld(t, w.db)
	for _, at := range []conversation.Address{group, ship} {
		if a, err := other.dir.Resolve(ctx, other.member, at); at.Kind == conversation.Mentorship && !isNotFound(err) ||
			at.Kind == conversation.Group && (err != nil || a.Conversation.ID == w.group.ID) {
			t.Errorf("another tenant resolves %s to %+v, %v", at, a, err)
		}
	}
}

// A group cannot take a slug that older clients read as a mentorship.
func TestGroupsRefuseTheOldMentorshipSpelling(t *testing.T) {
	w := newWorld(t, storetest.OpenPostgres(t, schema()))
	_, err := w.groups.Create(context.Background(), w.admin, groups.Input{Slug: "mentorship-circle", Name: "Mentorship circle"})
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeInvalid || e.Fields["slug"] == "" {
		t.Fatalf("creating group mentorship-circle: %v, want a slug error", err)
	}
	if _, err := w.groups.Create(context.Background(), w.admin, groups.Input{Slug: "mentorships", Name: "About mentorships"}); err != nil {
		t.Errorf("a slug that merely starts with the word is fine: %v", err)
	}
}

// Conversations stored before addresses existed were all of kind "group":
// the migrations take each one's kind from the table of the domain that
// owns it, and give each stored event its address.
func TestMigrationsFillKindsFromTheMentorshipsTable(t *testing.T) {
	db := storetest.OpenPostgres(t, schema())
	w := newWorld(t, db)
	now := time.Now().UTC()
	// A group whose slug looks like the old mentorship spelling (allowed
	// before): its kind is decided by the groups table, not by its name.
	lookalike := store.NewID()
	if err := db.Exec(`INSERT INTO groups (id, tenant_id, slug, name, description, diagnosis, audience, visibility, posting_policy, held_posts, created_at, updated_at)
		VALUES (?, ?, ?, 'Old', '', '', 'everyone', 'listed', 'open', 0, ?, ?)`, lookalike, w.tenant.ID, "mentorship-"+w.mentorshipID[:8], now, now).Error; err != nil {
		t.Fatal(err)
	}
	old := map[string]string{w.group.ID: "chronic", w.mentorshipID: "mentorship-" + w.mentorshipID, lookalike: "mentorship-" + w.mentorshipID[:8]}
	for id, groupField := range old {
		if err := db.Exec(`INSERT INTO conversations (tenant_id, id, kind, last_seq, created_at) VALUES (?, ?, 'group', 1, ?)`, w.tenant.ID, id, now).Error; err != nil {
			t.Fatal(err)
		}
		// The stored shape before addresses: no "conversation".
		payload := `{"seq":1,"type":"message","group":"` + groupField + `","id":"m-` + id + `","text":"say \"conversation\": hi"}`
		if err := db.Exec(`INSERT INTO conversation_events (tenant_id, conversation_id, seq, payload, created_at) VALUES (?, ?, 1, ?, ?)`,
			w.tenant.ID, id, payload, now).Error; err != nil {
			t.Fatal(err)
		}
		// A queue item about the message, from before items had addresses.
		if err := db.Exec(`INSERT INTO moderation_items (id, tenant_id, group_id, group_slug, message_id, author_id, author_name, excerpt,
			held, held_by_policy, crisis, severity, categories, matches, flag_count, status, resolution, resolution_note,
			resolved_by, claimed_by, claimed_by_name, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, 'a', 'A', 'hi', false, false, false, 0, '', '[]', 1, 'pending', '', '', '', '', '', 1, ?, ?)`,
			"item-"+id, w.tenant.ID, id, groupField, "m-"+id, now, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Migrate(context.Background(), append(schema(), conversation.Migrations()...)); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ kind, address string }{
		w.group.ID:     {"group", "group:chronic"},
		w.mentorshipID: {"mentorship", "mentorship:" + w.mentorshipID},
		lookalike:      {"group", "group:mentorship-" + w.mentorshipID[:8]},
	}
	for id, wt := range want {
		var kind, payload string
		if err := db.Raw(`SELECT kind FROM conversations WHERE tenant_id = ? AND id = ?`, w.tenant.ID, id).Scan(&kind).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Raw(`SELECT payload FROM conversation_events WHERE tenant_id = ? AND conversation_id = ?`, w.tenant.ID, id).Scan(&payload).Error; err != nil {
			t.Fatal(err)
		}
		var ev realtime.Event
		if err := json.Unmarshal([]byte(payload), &ev); err != nil {
			t.Fatalf("event of %s is no longer JSON: %v: %s", id, err, payload)
		}
		var itemAddress string
		if err := db.Raw(`SELECT conversation FROM moderation_items WHERE id = ?`, "item-"+id).Scan(&itemAddress).Error; err != nil {
			t.Fatal(err)
		}
		if itemAddress != wt.address {
			t.Errorf("%s: queue item's conversation %q, want %q", id, itemAddress, wt.address)
		}
		if kind != wt.kind || ev.Conversation != wt.address || ev.Group != old[id] || ev.Seq != 1 || ev.Text != `say "conversation": hi` {
			t.Errorf("%s: kind %q, event %+v; want kind %q, conversation %q, group %q", id, kind, ev, wt.kind, wt.address, old[id])
		}
	}
}

func isNotFound(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.CodeNotFound
}
