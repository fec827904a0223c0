package main

import (
	"net/http"
	"strings"
	"testing"
)

// heldIDs lists the ids a member's GET /conversations/{address}/held returns.
func heldIDs(t *testing.T, c *client, address string) []string {
	t.Helper()
	r := c.api("GET", "/conversations/"+address+"/held", nil).must(t, http.StatusOK)
	var ids []string
	for _, it := range r.Body["held"].([]any) {
		m := it.(map[string]any)
		if m["status"] != "waiting_for_moderator" || m["conversation"] != address {
			t.Fatalf("held entry: %s", r.Raw)
		}
		ids = append(ids, m["id"].(string))
	}
	return ids
}

// TestHeldPostStaysVisibleToItsAuthorOnly: a held post is listed for its
// author on the other instance (a reload, another device), never for
// another member or another tenant, and leaves the list once approved
// (it is then in the history) or removed.
func TestHeldPostStaysVisibleToItsAuthorOnly(t *testing.T) {
	cl := newCluster(t, 2)
	a, b := cl.hubs[0], cl.hubs[1]
	admin := a.createTenant("calm")
	other := a.createTenant("other")
	author, peer := a.signUp("calm", "Finch", "teen"), b.signUp("calm", "Robin", "teen")
	for _, c := range []*client{author, peer} {
		c.api("POST", "/groups/teen/join", nil).must(t, http.StatusOK)
	}
	// The author's second device signs in through the other instance.
	elsewhere := b.client("calm")
	elsewhere.signIn("finch@example.org", "a long enough password").must(t, http.StatusOK)

	ws := author.live(a, "teen")
	ack1 := ws.say("teen", "c1", "exams tomorrow and my head is pounding")
	ack2 := ws.say("teen", "c2", "the dark room helped a bit")
	if !ack1.Held || !ack2.Held {
		t.Fatalf("teen posts should be held: %+v %+v", ack1, ack2)
	}

	if got := heldIDs(t, elsewhere, "group:teen"); len(got) != 2 || got[0] != ack1.ID || got[1] != ack2.ID {
		t.Fatalf("author on the other instance sees %v, want [%s %s]", got, ack1.ID, ack2.ID)
	}
	if r := elsewhere.api("GET", "/conversations/group:teen/held", nil).must(t, http.StatusOK); !strings.Contains(string(r.Raw), `"client_id":"c1"`) || !strings.Contains(string(r.Raw), "exams tomorrow") {
		t.Errorf("held entry lacks its text or client id: %s", r.Raw)
	}
	if got := heldIDs(t, peer, "group:teen"); len(got) != 0 {
		t.Errorf("another member sees someone else's held posts: %v", got)
	}
	// Addresses are per tenant: another tenant's group:teen is its own
	// conversation, and lists nothing of this one.
	if got := heldIDs(t, other, "group:teen"); len(got) != 0 {
		t.Errorf("another tenant sees this tenant's held posts: %v", got)
	}
	author.api("GET", "/conversations/group:nope/held", nil).must(t, http.StatusNotFound)
	author.api("GET", "/conversations/bogus/held", nil).must(t, http.StatusNotFound)

	it1, it2 := queueItem(t, admin, ack1.ID), queueItem(t, admin, ack2.ID)
	admin.api("POST", "/moderation/items/"+it1["id"].(string)+"/actions", map[string]any{"version": version(it1), "action": "approve"}).must(t, http.StatusOK)
	if got := heldIDs(t, elsewhere, "group:teen"); len(got) != 1 || got[0] != ack2.ID {
		t.Fatalf("after approval the author sees %v, want [%s]", got, ack2.ID)
	}
	if h := elsewhere.api("GET", "/conversations/group:teen/messages", nil).must(t, http.StatusOK); !strings.Contains(string(h.Raw), ack1.ID) {
		t.Errorf("approved post is not in the conversation: %s", h.Raw)
	}
	admin.api("POST", "/moderation/items/"+it2["id"].(string)+"/actions", map[string]any{"version": version(it2), "action": "remove", "note": "off topic"}).must(t, http.StatusOK)
	if got := heldIDs(t, elsewhere, "group:teen"); len(got) != 0 {
		t.Errorf("after removal the author still sees %v", got)
	}
}
