package main

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"quietroom/internal/realtime"
	"quietroom/internal/store/storetest"
)

// Issue 14, item 12: when an instance dies its presence entries expire,
// and the members it held go offline for everyone: subscribers are told,
// without waiting for some other change in the group.
func TestPresenceOfADeadInstanceExpiresAndIsPushed(t *testing.T) {
	rc := storetest.Redis(t)
	presence := realtime.NewRedisPresence(rc)
	presence.TTL = 2 * time.Second
	hubCfg := realtime.DefaultHubConfig()
	hubCfg.PresenceRefresh = 300 * time.Millisecond
	cl := newCluster(t, 1, func(d *appDeps) { d.presence = presence; d.hubCfg = &hubCfg })
	h := cl.hubs[0]
	h.createTenant("ghosts")
	m := joinedMember(t, h, "ghosts", "Watcher", "chronic")
	g := m.api("GET", "/groups/chronic", nil).must(t, http.StatusOK)
	tenant := h.app.accounts
	tn, err := tenant.TenantBySlug(context.Background(), "ghosts")
	if err != nil {
		t.Fatal(err)
	}
	ws := m.live(h, "chronic")
	names := func(ev wsEvent) []string {
		var out []string
		for _, a := range ev.Online {
			out = append(out, a.Name)
		}
		return out
	}
	ws.next(func(ev wsEvent) bool {
		return ev.Type == realtime.TypePresence && slices.Equal(names(ev), []string{"Watcher"})
	}, 30*time.Second)

	// Another instance held Ghost in the group, then died: its entry is
	// there, never refreshed, never removed.
	channel := realtime.ChannelName(tn.ID, g.Body["id"].(string))
	if err := presence.Set(context.Background(), channel, "dead-instance", []realtime.Author{{ID: "ghost-id", Name: "Ghost"}}); err != nil {
		t.Fatal(err)
	}
	ws.next(func(ev wsEvent) bool {
		return ev.Type == realtime.TypePresence && slices.Contains(names(ev), "Ghost") && ev.OnlineCount == 2
	}, 30*time.Second)
	// Its entry expires (2 s here, 60 s by default): subscribers are told.
	ev := ws.next(func(ev wsEvent) bool {
		return ev.Type == realtime.TypePresence && !slices.Contains(names(ev), "Ghost")
	}, 30*time.Second)
	if !slices.Equal(names(ev), []string{"Watcher"}) || ev.OnlineCount != 1 {
		t.Fatalf("presence after the dead instance's entry expired: %+v", ev)
	}
}
