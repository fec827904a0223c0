package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLoopbackCheck(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.8.9.10": true, "::1": true, "localhost": true, "LOCALHOST.": true,
		"::ffff:127.0.0.1": true,
		"10.0.0.1":         false, "0.0.0.0": false, "::": false, "192.168.1.1": false, "128.0.0.1": false,
		"example.org": false, "localhost.example.org": false, "127.0.0.1.nip.io": false, "": false,
	} {
		if got := isLoopbackHost(host); got != want {
			t.Errorf("isLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestParseHubURL(t *testing.T) {
	h, err := parseHubURL("http://127.0.0.1:18301/", false)
	if err != nil || h.base != "http://127.0.0.1:18301" || h.ws != "ws://127.0.0.1:18301" {
		t.Fatalf("got %+v, %v", h, err)
	}
	h, err = parseHubURL("https://[::1]:8443/hub", false)
	if err != nil || h.ws != "wss://[::1]:8443/hub" {
		t.Fatalf("got %+v, %v", h, err)
	}
	for _, bad := range []string{"http://10.1.2.3:8080", "http://example.org", "ws://127.0.0.1:8080", "127.0.0.1:8080", "http://user@127.0.0.1"} {
		if _, err := parseHubURL(bad, false); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if _, err := parseHubURL("http://10.1.2.3:8080", true); err != nil {
		t.Errorf("-allow-remote should accept a remote hub: %v", err)
	}
}

func TestFlagBounds(t *testing.T) {
	env := func(string) string { return "tok" }
	var sink strings.Builder
	if _, err := parseFlags([]string{"-scenario", "idle", "-clients", "50001"}, env, &sink); err == nil {
		t.Error("more than 50000 clients accepted")
	}
	if _, err := parseFlags([]string{"-scenario", "groups", "-groups", "1000", "-members", "51"}, env, &sink); err == nil {
		t.Error("groups × members above 50000 accepted")
	}
	if _, err := parseFlags([]string{"-hubs", "http://192.0.2.1:8080"}, env, &sink); err == nil {
		t.Error("a remote hub accepted without -allow-remote")
	}
	if _, err := parseFlags([]string{"-duration", "20m"}, env, &sink); err == nil {
		t.Error("a duration beyond -max-duration accepted")
	}
	cfg, err := parseFlags([]string{"-scenario", "idle", "-clients", "250", "-hubs", "http://127.0.0.1:1,http://localhost:2"}, env, &sink)
	if err != nil || cfg.groups != 3 || len(cfg.hubs) != 2 {
		t.Fatalf("idle defaults: %+v, %v", cfg, err)
	}
}

func TestSendFrame(t *testing.T) {
	for _, size := range []int{1, 30, 31, 32, 100, 4000} {
		b := appendSendFrame(nil, "g0001", 42, 7, 1712345678901234567, size)
		var f struct {
			Type     string `json:"type"`
			Group    string `json:"group"`
			ClientID string `json:"client_id"`
			Text     string `json:"text"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("size %d: %s is not JSON: %v", size, b, err)
		}
		if f.Type != "send" || f.Group != "g0001" || f.ClientID != "c42-7" {
			t.Fatalf("size %d: %+v", size, f)
		}
		if at, ok := parseSentAt(f.Text); !ok || at != 1712345678901234567 {
			t.Fatalf("size %d: text %q gives %d %v", size, f.Text, at, ok)
		}
		if n, ok := sendNumber(f.ClientID); !ok || n != 7 {
			t.Fatalf("client id %q gives %d", f.ClientID, n)
		}
		if size >= 32 && len(f.Text) != size {
			t.Errorf("size %d: text is %d bytes", size, len(f.Text))
		}
	}
}

func TestPlanSpreadsGroupsAcrossHubs(t *testing.T) {
	cfg := config{scenario: "groups", clients: 20, groups: 4, members: 5, hubs: make([]hubTarget, 2)}
	p := newPlan(cfg)
	for g, ms := range p.members {
		if len(ms) != 5 {
			t.Fatalf("group %d has %d members", g, len(ms))
		}
		seen := map[int]bool{}
		for _, m := range ms {
			seen[p.hubOf(int(m))] = true
		}
		if len(seen) != 2 {
			t.Errorf("group %d sits on %d hub(s)", g, len(seen))
		}
	}
	idle := newPlan(config{scenario: "idle", clients: 10, groups: 0, hubs: make([]hubTarget, 1)})
	for _, g := range idle.groupOf {
		if g != -1 {
			t.Fatal("idle with -groups 0 must subscribe nothing")
		}
	}
}
