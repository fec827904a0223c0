package moderation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/moderation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// Deleting a member with 450 entries in the moderation log (flags they
// raised, appeals, entries about their messages) takes the same handful
// of statements as deleting one with none: the work is set-based, so on
// single-connection SQLite it never stalls the other writers for long.
// The log keeps every action, with the member as "former member".
func TestDeletingAMemberIsSetBased(t *testing.T) {
	const n = 450
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, d, append(accounts.Migrations(), moderation.Migrations()...))
			now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
			tenant := accounts.Tenant{ID: "t1", Slug: "calm", Name: "Calm", DeletionPolicy: accounts.DeleteAnonymise, CreatedAt: now, UpdatedAt: now}
			if err := db.Create(&tenant).Error; err != nil {
				t.Fatal(err)
			}
			svc, err := moderation.NewService(db, nil, nil, nil, nil, nil, moderation.DefaultConfig(), func() time.Time { return now }, nil)
			if err != nil {
				t.Fatal(err)
			}
			var entries []moderation.AuditEntry
			var flags []moderation.Flag
			for i := range n {
				at := now.Add(time.Duration(i) * time.Second)
				switch i % 3 {
				case 0: // a flag they raised, with a note after the reason
					entries = append(entries, moderation.AuditEntry{ID: fmt.Sprintf("a%03d", i), TenantID: tenant.ID, At: at,
						ActorID: "leaver", ActorName: "Leaver", Action: "flagged", ItemID: "i1", SubjectID: "other", Why: "harassment they keep following me"})
					flags = append(flags, moderation.Flag{ID: fmt.Sprintf("f%03d", i), TenantID: tenant.ID, ItemID: "i1",
						MessageID: fmt.Sprintf("m%03d", i), ReporterID: "leaver", Reason: "harassment", Note: "they keep following me", Outcome: "pending", CreatedAt: at})
				case 1: // an appeal in their own words
					entries = append(entries, moderation.AuditEntry{ID: fmt.Sprintf("a%03d", i), TenantID: tenant.ID, At: at,
						ActorID: "leaver", ActorName: "Leaver", Action: "appealed", ItemID: "i2", SubjectID: "leaver", Why: "I was only quoting my neurologist"})
				default: // the screener's record of their words
					entries = append(entries, moderation.AuditEntry{ID: fmt.Sprintf("a%03d", i), TenantID: tenant.ID, At: at,
						ActorName: "screening", Action: "screened", ItemID: "i3", SubjectID: "leaver", After: "the words they wrote"})
				}
			}
			// Someone else's entries stay as they are.
			entries = append(entries, moderation.AuditEntry{ID: "keep", TenantID: tenant.ID, At: now, ActorID: "mod", ActorName: "Moderator",
				Action: "removed", ItemID: "i4", SubjectID: "other", Why: "spam links", After: "buy now"})
			if err := db.CreateInBatches(entries, 100).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.CreateInBatches(flags, 100).Error; err != nil {
				t.Fatal(err)
			}

			statements := storetest.CountStatements(t, db)
			err = db.InTx(ctx, func(tx *store.Tx) error { return svc.DeleteUser(ctx, tx, tenant, "leaver") })
			if err != nil {
				t.Fatal(err)
			}
			if got := statements.N(); got > 8 {
				t.Errorf("deleting a member with %d log entries took %d statements, want at most 8", n, got)
			}

			var after []moderation.AuditEntry
			if err := db.Order("id").Find(&after).Error; err != nil {
				t.Fatal(err)
			}
			if len(after) != n+1 {
				t.Fatalf("%d log entries after the deletion, want all %d kept", len(after), n+1)
			}
			for _, e := range after {
				if e.ID == "keep" {
					if e.ActorID != "mod" || e.Why != "spam links" || e.After != "buy now" || e.SubjectID != "other" {
						t.Errorf("another member's entry changed: %+v", e)
					}
					continue
				}
				if e.ActorID == "leaver" || e.SubjectID == "leaver" || e.ActorName == "Leaver" {
					t.Fatalf("entry %s still names the member: %+v", e.ID, e)
				}
				switch e.Action {
				case "flagged":
					if e.ActorName != moderation.FormerMember || e.Why != "harassment" {
						t.Fatalf("flag entry %s: actor %q, why %q; want former member, the reason only", e.ID, e.ActorName, e.Why)
					}
				case "appealed":
					if e.ActorName != moderation.FormerMember || e.Why != "" {
						t.Fatalf("appeal entry %s: actor %q, why %q; want former member, no words", e.ID, e.ActorName, e.Why)
					}
				case "screened":
					if e.After != "" || e.ActorName != "screening" {
						t.Fatalf("screening entry %s: actor %q, after %q; want the screener, no words", e.ID, e.ActorName, e.After)
					}
				}
			}
			var left int64
			if err := db.Model(&moderation.Flag{}).Where("reporter_id = ?", "leaver").Count(&left).Error; err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Errorf("%d flags of the deleted member remain", left)
			}
		})
	}
}
