package main

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"quietroom/internal/realtime"
	"quietroom/internal/store/storetest"
)

// joinedMember signs up a member of tenant and joins group.
func joinedMember(t *testing.T, h *testHub, tenant, name, group string) *client {
	t.Helper()
	c := h.signUp(tenant, name, "adult")
	c.api("POST", "/groups/"+group+"/join", nil).must(t, http.StatusOK)
	return c
}

func ptr[T any](v T) *T { return &v }

// checkSequence asserts events are consecutive sequences starting at from.
func checkSequence(t *testing.T, who string, evs []wsEvent, from int64) {
	t.Helper()
	for i, ev := range evs {
		if ev.Seq != from+int64(i) {
			t.Fatalf("%s: event %d has seq %d, want %d (duplicate, gap or out of order)", who, i, ev.Seq, from+int64(i))
		}
	}
}

func TestTwoInstancesEveryClientGetsEveryMessageOnceInOrder(t *testing.T) {
	cl := newCluster(t, 2)
	cl.hubs[0].createTenant("aura")
	const group = "vestibular"
	type member struct {
		c  *client
		ws *wsClient
	}
	var members []member
	for i := 0; i < 6; i++ {
		h := cl.hubs[i%2]
		c := joinedMember(t, h, "aura", fmt.Sprintf("Member%d", i), group)
		ws, err := c.dialWS(h)
		if err != nil {
			t.Fatal(err)
		}
		ws.subscribe(group, nil)
		members = append(members, member{c, ws})
	}
	// Every member sends 10 messages concurrently, from both instances.
	const per = 10
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Add(1)
		go func(i int, m member) {
			defer wg.Done()
			for j := 0; j < per; j++ {
				m.ws.send(map[string]any{"type": "send", "group": group, "client_id": fmt.Sprintf("m%d-%d", i, j), "text": fmt.Sprintf("hello %d/%d", i, j)})
			}
		}(i, m)
	}
	wg.Wait()
	total := len(members) * per
	for i, m := range members {
		got := m.ws.messages(group, total, 15*time.Second)
		checkSequence(t, fmt.Sprintf("member %d", i), got, 1)
		m.ws.quiet(ofType(realtime.TypeMessage), 200*time.Millisecond)
	}
}

func TestResumeReplaysExactlyWhatWasMissed(t *testing.T) {
	cl := newCluster(t, 2)
	cl.hubs[0].createTenant("aura")
	const group = "chronic"
	sender := joinedMember(t, cl.hubs[0], "aura", "Sender", group)
	reader := joinedMember(t, cl.hubs[1], "aura", "Reader", group)
	sws := sender.live(cl.hubs[0], group)
	rws := reader.live(cl.hubs[1], group)
	for i := 1; i <= 3; i++ {
		sws.say(group, fmt.Sprintf("a%d", i), "before")
	}
	seen := rws.messages(group, 3, 5*time.Second)
	last := seen[len(seen)-1].Seq
	rws.conn.CloseNow()
	for i := 1; i <= 5; i++ {
		sws.say(group, fmt.Sprintf("b%d", i), "while away")
	}
	// Resume on the other instance.
	again, err := reader.dialWS(cl.hubs[0])
	if err != nil {
		t.Fatal(err)
	}
	sub := again.subscribe(group, ptr(last))
	if sub.Replayed != 5 || sub.Head != last+5 {
		t.Fatalf("subscribed = %+v, want 5 replayed up to head %d", sub, last+5)
	}
	sws.say(group, "c1", "after")
	got := again.messages(group, 6, 5*time.Second)
	checkSequence(t, "resumed reader", got, last+1)
	again.quiet(ofType(realtime.TypeMessage), 200*time.Millisecond)
}

// Both dialects: PostgreSQL appends in one statement, SQLite in a
// transaction; a repeated client id must come back as the original on both.
func TestResendingAClientIDNeverPostsTwice(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			h := newTestHub(t, d)
			h.createTenant("aura")
			c := joinedMember(t, h, "aura", "Sender", "chronic")
			ws := c.live(h, "chronic")
			first := ws.say("chronic", "same-id", "once")
			second := ws.say("chronic", "same-id", "once")
			if first.Seq != second.Seq || first.ID != second.ID {
				t.Fatalf("acks differ: %+v vs %+v", first, second)
			}
			ws.messages("chronic", 1, 5*time.Second)
			ws.quiet(ofType(realtime.TypeMessage), 300*time.Millisecond)
			page := c.api("GET", "/groups/chronic/messages", nil).must(t, http.StatusOK)
			if msgs := page.Body["messages"].([]any); len(msgs) != 1 {
				t.Fatalf("history has %d messages, want 1", len(msgs))
			}
		})
	}
}

// A replay larger than the send queue is paced, not treated as a slow
// client.
func TestResumeWithAReplayLargerThanTheSendQueue(t *testing.T) {
	small := realtime.DefaultHubConfig()
	small.QueueMessages, small.QueueBytes = 16, 32<<10
	cl := newCluster(t, 1, fastSenders, func(d *appDeps) { d.hubCfg = &small })
	h := cl.hubs[0]
	h.createTenant("aura")
	const group = "retinal"
	sender := joinedMember(t, h, "aura", "Sender", group)
	reader := joinedMember(t, h, "aura", "Reader", group)
	sws := sender.live(h, group)
	text := strings.Repeat("€", 3900) // ~12 KB a message: 100 of them are 37 times the queue
	for i := 1; i <= 100; i++ {
		sws.say(group, fmt.Sprintf("m%d", i), text)
	}
	rws, _ := reader.dialWS(h)
	if sub := rws.subscribe(group, ptr(int64(0))); sub.Replayed != 100 {
		t.Fatalf("subscribed %+v, want 100 to replay", sub)
	}
	checkSequence(t, "reader", rws.messages(group, 100, 20*time.Second), 1)
}

func TestEndedSessionsCloseTheirSocketsOnEveryInstance(t *testing.T) {
	cl := newCluster(t, 2)
	cl.hubs[0].createTenant("aura")
	m := joinedMember(t, cl.hubs[0], "aura", "Member", "chronic")
	here := m.live(cl.hubs[0], "chronic")
	there := m.live(cl.hubs[1], "chronic")
	m.api("POST", "/auth/signout-everywhere", nil).must(t, http.StatusOK)
	for name, ws := range map[string]*wsClient{"same instance": here, "other instance": there} {
		select {
		case <-ws.closed:
		case <-time.After(wsSafetyTimeout):
			t.Fatalf("%s: socket still open after sign-out everywhere", name)
		}
		if code := websocket.CloseStatus(ws.closeErr); code != realtime.CloseSessionEnded {
			t.Fatalf("%s: close %v, want 4003", name, ws.closeErr)
		}
	}
}

func TestDeletedMembersMessagesFollowTheTenantPolicy(t *testing.T) {
	for _, policy := range []string{"anonymise", "remove"} {
		t.Run(policy, func(t *testing.T) {
			h := newTestHub(t, "postgres")
			admin := h.createTenant("aura")
			admin.api("PATCH", "/settings", map[string]any{"deletion_policy": policy}).must(t, http.StatusOK)
			leaving := joinedMember(t, h, "aura", "Leaving", "chronic")
			staying := joinedMember(t, h, "aura", "Staying", "chronic")
			lws := leaving.live(h, "chronic")
			lws.say("chronic", "bye", "something personal")
			leaving.api("DELETE", "/me", map[string]any{"password": "a long enough password"}).must(t, http.StatusNoContent)

			page := staying.api("GET", "/groups/chronic/messages", nil).must(t, http.StatusOK)
			msg := page.Body["messages"].([]any)[0].(map[string]any)
			author := msg["author"].(map[string]any)
			if author["name"] != realtime.FormerMember || author["id"] != nil {
				t.Fatalf("history author = %v, want the former member with no id", author)
			}
			wantRemoved := policy == "remove"
			if msg["removed"] != wantRemoved || (wantRemoved && msg["text"] != "") {
				t.Fatalf("history message = %v, want removed=%v", msg, wantRemoved)
			}
			// A replay tells the same story as history.
			sws, _ := staying.dialWS(h)
			sws.subscribe("chronic", ptr(int64(0)))
			ev := sws.next(func(ev wsEvent) bool { return ev.Seq == 1 }, 5*time.Second)
			if strings.Contains(fmt.Sprint(ev), "Leaving") || strings.Contains(fmt.Sprint(ev), "something personal") && wantRemoved {
				t.Fatalf("replay still carries the deleted member: %+v", ev)
			}
		})
	}
}

// Leaving a group (on any instance) ends the socket's subscription to it:
// access is not only checked at subscribe.
func TestLeavingAGroupEndsItsSubscriptionEverywhere(t *testing.T) {
	cl := newCluster(t, 2)
	cl.hubs[0].createTenant("aura")
	const group = "abdominal"
	sender := joinedMember(t, cl.hubs[0], "aura", "Sender", group)
	leaver := joinedMember(t, cl.hubs[0], "aura", "Leaver", group)
	sws := sender.live(cl.hubs[0], group)
	lws := leaver.live(cl.hubs[1], group)
	sws.say(group, "m1", "hello")
	lws.messages(group, 1, 5*time.Second)

	leaver.api("POST", "/groups/"+group+"/leave", nil).must(t, http.StatusOK) // served by instance 1
	ev := lws.next(ofType(realtime.TypeUnsubscribed), 10*time.Second)
	if ev.Group != group || ev.Code != "access_changed" {
		t.Fatalf("unsubscribed = %+v, want access_changed for %s", ev, group)
	}
	sws.say(group, "m2", "after the leave")
	lws.quiet(ofType(realtime.TypeMessage), 500*time.Millisecond)
	lws.send(map[string]any{"type": "subscribe", "group": group})
	if ev := lws.next(ofType(realtime.TypeError), 5*time.Second); ev.Code != realtime.ErrForbidden {
		t.Fatalf("resubscribe after leaving: %+v, want forbidden", ev)
	}
}
