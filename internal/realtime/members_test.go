package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// Deleting a member who wrote 450 messages takes at most 8 statements
// under either policy, on PostgreSQL and on SQLite: the work is set-based,
// so single-connection SQLite is not held for a statement per message.
// Replays and history agree afterwards: anonymised messages keep their
// words under "former member"; removed ones lose them everywhere, earlier
// versions and edited events included; other members' messages are
// untouched.
func TestDeletingAMembersMessagesIsSetBased(t *testing.T) {
	const n = 450
	for _, d := range storetest.Dialects {
		for _, policy := range []string{accounts.DeleteAnonymise, accounts.DeleteRemove} {
			t.Run(string(d)+"/"+policy, func(t *testing.T) {
				ctx := context.Background()
				db := storetest.Open(t, d, append(accounts.Migrations(), Migrations()...))
				tenant := accounts.Tenant{ID: newAppendTenant(t, db), DeletionPolicy: policy}
				st := NewStore(db, time.Now)
				convs := []string{store.NewID(), store.NewID()}
				at := conversation.Address{Kind: conversation.Group, Key: "chronic"}
				var ids []string
				for i := range n {
					c, err := st.AppendMessage(ctx, NewMessage{TenantID: tenant.ID, ConversationID: convs[i%2], Kind: conversation.Group, Address: at,
						AuthorID: "leaver", AuthorName: "Leaver", ClientID: fmt.Sprintf("m%d", i), Text: fmt.Sprintf("my words %d", i)})
					if err != nil {
						t.Fatal(err)
					}
					ids = append(ids, c.Message.ID)
				}
				other, err := st.AppendMessage(ctx, NewMessage{TenantID: tenant.ID, ConversationID: convs[0], Kind: conversation.Group, Address: at,
					AuthorID: "stayer", AuthorName: "Stayer", ClientID: "s1", Text: "replying to " + ids[0]})
				if err != nil {
					t.Fatal(err)
				}
				for i := range 3 { // edited messages: earlier versions and edited events
					if _, err := st.EditMessage(ctx, tenant.ID, convs[i%2], at, "leaver", ids[i], fmt.Sprintf("my edited words %d", i), time.Hour); err != nil {
						t.Fatal(err)
					}
				}

				statements := storetest.CountStatements(t, db)
				if err := db.InTx(ctx, func(tx *store.Tx) error { return st.DeleteUser(ctx, tx, tenant, "leaver") }); err != nil {
					t.Fatal(err)
				}
				if got := statements.N(); got > 8 {
					t.Errorf("deleting a member with %d messages took %d statements, want at most 8", n, got)
				} else {
					t.Logf("%d messages deleted (%s) in %d statements", n, policy, got)
				}

				var seen int
				for _, conv := range convs {
					ms, err := st.History(ctx, tenant.ID, conv, 0, 1000)
					if err != nil {
						t.Fatal(err)
					}
					for _, m := range ms {
						if m.ID == other.Message.ID {
							if m.AuthorName != "Stayer" || m.Body != "replying to "+ids[0] {
								t.Errorf("another member's message changed: %+v", m)
							}
							continue
						}
						seen++
						if m.AuthorID != nil || m.AuthorName != FormerMember {
							t.Fatalf("message %s still names its author: %+v", m.ID, m)
						}
						removed := m.Status == StatusRemoved && m.Body == "" && m.RemovedAt != nil
						if policy == accounts.DeleteRemove && !removed {
							t.Fatalf("message %s under the remove policy: %+v", m.ID, m)
						}
						if policy == accounts.DeleteAnonymise && (m.Status != StatusVisible || !strings.Contains(m.Body, "words")) {
							t.Fatalf("message %s under the anonymise policy lost its words: %+v", m.ID, m)
						}
					}
					evs, err := st.EventsAfter(ctx, tenant.ID, conv, 0, 0, 1000)
					if err != nil {
						t.Fatal(err)
					}
					for _, ev := range evs {
						var e Event
						if err := json.Unmarshal(ev.Payload, &e); err != nil {
							t.Fatal(err)
						}
						if e.ID == other.Message.ID {
							if e.Author == nil || e.Author.Name != "Stayer" || e.Text == "" {
								t.Errorf("another member's event changed: %s", ev.Payload)
							}
							continue
						}
						if strings.Contains(string(ev.Payload), "Leaver") || strings.Contains(string(ev.Payload), `"leaver"`) {
							t.Fatalf("event %d still names the member: %s", ev.Seq, ev.Payload)
						}
						if policy == accounts.DeleteRemove && strings.Contains(string(ev.Payload), "words") {
							t.Fatalf("event %d still carries removed words: %s", ev.Seq, ev.Payload)
						}
						if policy == accounts.DeleteAnonymise && e.Type == TypeMessage && (e.Author == nil || e.Author.Name != FormerMember || e.Text == "") {
							t.Fatalf("anonymised event %d: %s", ev.Seq, ev.Payload)
						}
						if policy == accounts.DeleteRemove && e.Seq == e.MessageSeq && e.Type != TypeRemoved {
							t.Fatalf("the message event %d was not replaced by a removal: %s", ev.Seq, ev.Payload)
						}
					}
				}
				if seen != n {
					t.Errorf("history holds %d of the member's %d messages", seen, n)
				}
				edits, err := st.edits(ctx, tenant.ID, ids[0])
				if err != nil {
					t.Fatal(err)
				}
				if (policy == accounts.DeleteRemove) != (len(edits) == 0) {
					t.Errorf("under %s, %d earlier versions remain", policy, len(edits))
				}
			})
		}
	}
}
