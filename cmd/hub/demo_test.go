package main

import (
	"net/http"
	"strings"
	"testing"

	"quietroom/internal/store/storetest"
)

// The demo community starts alive (a few members, a calm conversation in
// two groups with library links, one approved mentor), all marked as demo,
// and none of it reaches any other community.
func TestDemoContentIsMarkedAndOnlyInTheDemo(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			h := newTestHub(t, d)
			login, err := h.app.ensureDemo(t.Context(), true)
			if err != nil {
				t.Fatal(err)
			}
			admin := h.client("demo")
			admin.signIn(login.Email, login.Password).must(t, http.StatusOK)

			// Members: every example member is marked and cannot sign in.
			users := admin.api("GET", "/users", nil).must(t, http.StatusOK)
			var demo []string
			for _, u := range users.Body["users"].([]any) {
				name := u.(map[string]any)["display_name"].(string)
				if strings.HasSuffix(name, "(demo)") {
					demo = append(demo, name)
				}
			}
			if len(demo) < 4 {
				t.Fatalf("demo members: %v", demo)
			}
			h.client("demo").signIn("ada@demo.demo.invalid", "a guess at a password").must(t, http.StatusUnauthorized)

			// Conversations: in two groups, every author marked, a library link, nothing waiting for a moderator.
			for _, slug := range []string{"vestibular", "chronic"} {
				g := admin.api("GET", "/groups/"+slug, nil).must(t, http.StatusOK)
				if !strings.Contains(g.Body["description"].(string), "demo community") {
					t.Errorf("%s does not say it holds examples: %q", slug, g.Body["description"])
				}
				admin.api("POST", "/groups/"+slug+"/join", nil).must(t, http.StatusOK)
				hist := admin.api("GET", "/groups/"+slug+"/messages", nil).must(t, http.StatusOK)
				msgs := hist.Body["messages"].([]any)
				if len(msgs) < 4 {
					t.Fatalf("%s has %d demo messages: %s", slug, len(msgs), hist.Raw)
				}
				link := false
				for _, m := range msgs {
					mm := m.(map[string]any)
					author, _ := mm["author"].(map[string]any)
					if name, _ := author["name"].(string); !strings.HasSuffix(name, "(demo)") {
						t.Errorf("%s: a message from %v, not marked as demo", slug, author)
					}
					link = link || strings.Contains(mm["text"].(string), "/t/demo/library/")
				}
				if !link {
					t.Errorf("%s: no library link in the demo conversation", slug)
				}
			}
			if st := admin.api("GET", "/moderation/stats", nil).must(t, http.StatusOK); st.Body["pending"].(float64) != 0 {
				t.Errorf("the demo conversation left items for moderators: %s", st.Raw)
			}
			// One approved mentor, marked.
			apps := admin.api("GET", "/mentoring/applications?status=approved", nil).must(t, http.StatusOK)
			if !strings.Contains(string(apps.Raw), "Ravi (demo)") {
				t.Errorf("approved mentors: %s", apps.Raw)
			}

			// Another community starts empty.
			other := h.createTenant("aura")
			other.api("POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
			if hist := other.api("GET", "/groups/vestibular/messages", nil).must(t, http.StatusOK); len(hist.Body["messages"].([]any)) != 0 {
				t.Errorf("demo messages outside the demo: %s", hist.Raw)
			}
			if u := other.api("GET", "/users", nil).must(t, http.StatusOK); strings.Contains(string(u.Raw), "(demo)") {
				t.Errorf("demo members outside the demo: %s", u.Raw)
			}
		})
	}
}
