package library

import (
	"slices"
	"testing"
)

func topicKeysOf(ss []TopicSection) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Topic.Key)
	}
	return out
}

// A query that finds nothing still leads somewhere: to the topics whose
// words look like it, or to where newcomers start.
func TestClosestTopics(t *testing.T) {
	ix := builtinIndex(t)
	cases := []struct {
		query string
		want  string // the first topic
	}{
		{"vestiblarrrr", "types"},    // too far gone for typo matching
		{"trackingzzzz", "tracking"}, // ditto
		{"qwxzvk", "basics"},         // nothing close: the starter topics
	}
	for _, tc := range cases {
		if rs := ix.Search(tc.query, 10); len(rs) != 0 {
			t.Fatalf("Search(%q) found %v; the case needs a query that finds nothing", tc.query, slugsOf(rs))
		}
		got := ix.ClosestTopics(tc.query, 3, 3)
		if len(got) == 0 || len(got) > 3 || got[0].Topic.Key != tc.want {
			t.Errorf("ClosestTopics(%q) = %v, want %s first", tc.query, topicKeysOf(got), tc.want)
			continue
		}
		for _, s := range got {
			if len(s.Articles) == 0 || len(s.Articles) > 3 {
				t.Errorf("ClosestTopics(%q): topic %s has %d articles, want 1 to 3", tc.query, s.Topic.Key, len(s.Articles))
			}
			for _, a := range s.Articles {
				if a.Topic != s.Topic.Key {
					t.Errorf("%s listed under %s", a.Slug, s.Topic.Key)
				}
			}
		}
	}
	if got := topicKeysOf(ix.ClosestTopics("qwxzvk", 3, 3)); !slices.Equal(got, []string{"basics", "treatments", "community"}) {
		t.Errorf("starter topics = %v", got)
	}
	// A tenant's own shelf is offered too.
	view := ix.With([]Article{{Slug: "our-walks", Title: "Gentle walking group", Summary: "Saturday strolls.", Topic: "local", Body: "We walk slowly."}})
	if got := topicKeysOf(view.ClosestTopics("walkinggg", 3, 3)); len(got) == 0 || got[0] != "local" {
		t.Errorf("tenant view ClosestTopics(walkinggg) = %v, want local first", got)
	}
}
