package library

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

func builtinIndex(t testing.TB) *Index {
	t.Helper()
	return NewIndex(loadBuiltin(t))
}

func slugsOf(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Slug
	}
	return out
}

func TestSearchRanksBuiltinArticles(t *testing.T) {
	ix := builtinIndex(t)
	cases := []struct {
		query  string
		within int      // the wanted article must be among the first within results
		want   []string // any one of these
	}{
		{"vertigo dizzy", 1, []string{"vestibular-migraine"}},
		{"rebound headache painkillers", 1, []string{"medication-overuse-headache"}},
		{"ibuprofen too often", 1, []string{"medication-overuse-headache"}},
		{"triptan", 1, []string{"acute-treatment"}},
		{"botox", 3, []string{"preventive-treatment"}},
		{"CGRP", 3, []string{"preventive-treatment"}},
		{"stroke warning", 1, []string{"emergency-red-flags"}},
		{"worst headache of my life", 1, []string{"emergency-red-flags"}},
		{"aura", 3, []string{"migraine-with-aura", "phase-aura"}},
		{"migraine without aura", 1, []string{"migraine-without-aura"}},
		{"period hormones", 1, []string{"menstrual-migraine"}},
		{"tummy pain children", 1, []string{"abdominal-migraine"}},
		{"double vision slurred speech", 1, []string{"migraine-with-brainstem-aura"}},
		{"one side weakness", 1, []string{"hemiplegic-migraine"}},
		{"vision loss one eye", 1, []string{"retinal-migraine"}},
		{"migraine without head pain", 1, []string{"silent-migraine"}},
		{"postdrome hangover", 1, []string{"phase-postdrome"}},
		{"brain fog appointment", 1, []string{"preparing-for-an-appointment"}},
		{"support group", 1, []string{"finding-support"}},
		{"status migrainosus", 1, []string{"status-migrainosus"}},
		{"log symptoms diary", 1, []string{"tracking-without-obsession"}},
		{"what to keep in my kit", 1, []string{"migraine-toolkit"}},
		// Typos.
		{"vestibuler", 1, []string{"vestibular-migraine"}},
		{"menstral", 1, []string{"menstrual-migraine"}},
		{"prodrom", 1, []string{"phase-prodrome"}},
		{"trigers", 1, []string{"triggers-and-patterns"}},
		// Stemming, case and accents.
		{"triggered", 1, []string{"triggers-and-patterns"}},
		{"preventative", 1, []string{"preventive-treatment"}},
		{"TRIPTANS", 1, []string{"acute-treatment"}},
		{"vértigo", 1, []string{"vestibular-migraine"}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			got := slugsOf(ix.Search(tc.query, 10))
			top := got[:min(tc.within, len(got))]
			if !slices.ContainsFunc(tc.want, func(s string) bool { return slices.Contains(top, s) }) {
				t.Errorf("Search(%q) top %d = %v, want one of %v", tc.query, tc.within, top, tc.want)
			}
		})
	}
}

func TestSearchResultFields(t *testing.T) {
	ix := builtinIndex(t)
	rs := ix.Search("vertigo dizzy", 3)
	if len(rs) == 0 {
		t.Fatal("no results")
	}
	r := rs[0]
	if r.Title != "Vestibular migraine" || r.Topic != "types" || r.Summary == "" || !r.Builtin || r.Score <= 0 {
		t.Errorf("result fields: %+v", r)
	}
	if !strings.Contains(strings.ToLower(r.Snippet), "dizz") || len(r.Snippet) > snippetBytes+2*len("…") {
		t.Errorf("snippet %q should show a match and be short", r.Snippet)
	}
	if strings.ContainsAny(r.Snippet, "*#[]\n") {
		t.Errorf("snippet %q should be plain text", r.Snippet)
	}
	for i := 1; i < len(rs); i++ {
		if rs[i].Score > rs[i-1].Score {
			t.Errorf("results not sorted by score: %v", rs)
		}
	}
}

func TestSearchMoreTermsRankHigher(t *testing.T) {
	ix := NewIndex([]Article{
		{Slug: "one", Title: "Notes", Body: "Sleep matters. Sleep, sleep and more sleep."},
		{Slug: "both", Title: "Notes", Body: "Sleep matters, and so does caffeine."},
		{Slug: "none", Title: "Notes", Body: "Nothing relevant here."},
	})
	got := slugsOf(ix.Search("sleep caffeine", 10))
	if !slices.Equal(got, []string{"both", "one"}) {
		t.Errorf("got %v, want [both one]", got)
	}
}

func TestSearchFieldWeights(t *testing.T) {
	ix := NewIndex([]Article{
		{Slug: "body", Title: "Notes", Summary: "Notes", Body: "Something about caffeine and other things entirely."},
		{Slug: "title", Title: "Caffeine", Summary: "Notes", Body: "Something about other things entirely."},
		{Slug: "tag", Title: "Notes", Summary: "Notes", Tags: []string{"caffeine"}, Body: "Something about other things entirely."},
		{Slug: "question", Title: "Notes", Summary: "Notes", Questions: []string{"Is caffeine a problem?"}, Body: "Something about other things entirely."},
	})
	got := slugsOf(ix.Search("caffeine", 10))
	if !slices.Equal(got, []string{"title", "tag", "question", "body"}) {
		t.Errorf("got %v, want title, then tag, then question, then body matches", got)
	}
}

func TestSearchEmptyAndHostileQueries(t *testing.T) {
	ix := builtinIndex(t)
	for _, q := range []string{"", "   \t\n", "the and of", "!!! ??? ...", "zzzzqqq"} {
		if rs := ix.Search(q, 10); len(rs) != 0 {
			t.Errorf("Search(%q) = %v, want no results", q, slugsOf(rs))
		}
	}
	// A huge query is cut to maxQueryTerms before any scoring (checked
	// below); how fast search runs is the benchmarks' business, not a test's.
	long := strings.Repeat("migraine aura vertigo triptan botox ", 5000)
	rs := ix.Search(long, 5)
	if len(rs) == 0 || len(rs) > 5 {
		t.Errorf("long query gave %d results", len(rs))
	}
	greek := "alpha beta gamma delta epsilon zeta theta iota kappa lambda omicron sigma upsilon omega rho tau chi psi "
	if got := len(parseQuery(strings.Repeat(greek, 100), builtinIndex(t).lay)); got != maxQueryTerms {
		t.Errorf("parseQuery kept %d terms, want %d", got, maxQueryTerms)
	}
	if rs := ix.Search("migraine", 0); len(rs) != defaultLimit {
		t.Errorf("limit 0 gave %d results, want %d", len(rs), defaultLimit)
	}
	if rs := ix.Search("migraine", 1000); len(rs) != builtinCount {
		t.Errorf("large limit gave %d results, want all %d", len(rs), builtinCount)
	}
}

func TestTenantViews(t *testing.T) {
	base := builtinIndex(t)
	ours := base.With([]Article{
		{Slug: "our-quiet-hours", Title: "Our quiet hours", Summary: "When the moderators are around.",
			Topic: "community", Tags: []string{"vestibular"}, Body: "Moderators watch the rooms from nine to five on weekdays."},
		{Slug: "acute-treatment", Title: "Our acute treatment notes", Summary: "Replaces the built-in.",
			Topic: "treatments", Body: "Ask the nurse line about sumatriptan."},
	})
	theirs := base.With([]Article{
		{Slug: "their-picnic", Title: "Picnic", Summary: "Summer meet-up.", Topic: "community", Body: "Moderators bring sandwiches."},
	})

	if got := slugsOf(ours.Search("moderators weekdays", 5)); len(got) == 0 || got[0] != "our-quiet-hours" {
		t.Errorf("tenant view search = %v, want our-quiet-hours first", got)
	}
	for _, s := range slugsOf(ours.Search("moderators", 50)) {
		if s == "their-picnic" {
			t.Error("one tenant's view found another tenant's article")
		}
	}
	if got := slugsOf(base.Search("moderators weekdays", 5)); slices.Contains(got, "our-quiet-hours") {
		t.Error("the base index sees a tenant article")
	}
	if _, ok := base.BySlug("our-quiet-hours"); ok {
		t.Error("base BySlug finds a tenant article")
	}

	// A tenant article with a built-in's slug replaces it in that view only.
	if a, ok := ours.BySlug("acute-treatment"); !ok || a.Builtin || a.Title != "Our acute treatment notes" {
		t.Errorf("tenant BySlug(acute-treatment) = %+v", a)
	}
	if a, _ := theirs.BySlug("acute-treatment"); !a.Builtin {
		t.Error("another tenant lost the built-in acute-treatment")
	}
	hits := 0
	for _, r := range ours.Search("triptan sumatriptan", 50) {
		if r.Slug == "acute-treatment" {
			hits++
			if r.Builtin {
				t.Error("the shadowed built-in still shows in the tenant's results")
			}
		}
	}
	if hits != 1 {
		t.Errorf("acute-treatment appears %d times in the tenant's results, want once", hits)
	}
	if n := len(ours.Articles()); n != builtinCount+1 {
		t.Errorf("tenant view has %d articles, want built-ins + 2 - 1 shadowed = %d", n, builtinCount+1)
	}

	vest := ours.ByTag("vestibular")
	if !slices.ContainsFunc(vest, func(a Article) bool { return a.Slug == "our-quiet-hours" }) {
		t.Error("ByTag on the view misses the tenant's tagged article")
	}
	if base.With(nil) != base {
		t.Error("With(nil) should return the index itself")
	}
}

// diagnoses is the catalogue's diagnosis list (internal/groups,
// DefaultCatalogue), copied rather than imported: the library must not
// depend on groups. "newly-diagnosed", "teen" and "caregivers" are
// audiences rather than types and are covered by general articles.
var diagnoses = []string{
	"without-aura", "with-aura", "chronic", "menstrual", "vestibular", "hemiplegic",
	"retinal", "silent", "abdominal", "brainstem-aura",
}

func TestEveryDiagnosisHasArticles(t *testing.T) {
	ix := builtinIndex(t)
	for _, d := range append(slices.Clone(diagnoses), "newly-diagnosed", "teen", "caregivers") {
		if len(ix.ByTag(d)) == 0 {
			t.Errorf("no article is tagged %q", d)
		}
	}
}

func TestByTag(t *testing.T) {
	ix := builtinIndex(t)
	cases := []struct {
		tag  string
		want []string // must all be present
	}{
		{"vestibular", []string{"vestibular-migraine", "preventive-treatment"}},
		{"with-aura", []string{"migraine-with-aura", "phase-aura", "silent-migraine"}},
		{"brainstem-aura", []string{"migraine-with-brainstem-aura", "emergency-red-flags"}},
		{" Chronic ", []string{"chronic-migraine", "medication-overuse-headache"}},
	}
	for _, tc := range cases {
		got := ix.ByTag(tc.tag)
		for _, w := range tc.want {
			if !slices.ContainsFunc(got, func(a Article) bool { return a.Slug == w }) {
				t.Errorf("ByTag(%q) lacks %s", tc.tag, w)
			}
		}
		if !slices.IsSortedFunc(got, func(a, b Article) int { return strings.Compare(titleKey(a.Title), titleKey(b.Title)) }) {
			t.Errorf("ByTag(%q) not sorted by title", tc.tag)
		}
	}
	if got := ix.ByTag("no-such-tag"); len(got) != 0 {
		t.Errorf("ByTag(no-such-tag) = %d articles", len(got))
	}
	// Returned articles are copies: editing one leaves the index alone.
	got := ix.ByTag("vestibular")
	got[0].Tags[0] = "changed"
	if again := ix.ByTag("vestibular"); again[0].Tags[0] == "changed" {
		t.Error("ByTag returned the index's own slice")
	}
}

func TestByTopicAndBySlug(t *testing.T) {
	ix := builtinIndex(t)
	sections := ix.ByTopic()
	var keys []string
	total := 0
	for _, s := range sections {
		keys = append(keys, s.Topic.Key)
		total += len(s.Articles)
		for _, a := range s.Articles {
			if a.Topic != s.Topic.Key {
				t.Errorf("%s (topic %s) under %s", a.Slug, a.Topic, s.Topic.Key)
			}
		}
	}
	var order []string
	for _, tp := range Topics() {
		if tp.Key != "local" { // only tenants write local resources
			order = append(order, tp.Key)
		}
	}
	if !slices.Equal(keys, order) {
		t.Errorf("topics %v, want %v", keys, order)
	}
	if total != builtinCount {
		t.Errorf("ByTopic holds %d articles, want %d", total, builtinCount)
	}
	if a, ok := ix.BySlug("phase-aura"); !ok || a.Title != "Aura, the sensory phase" || a.HTML == "" {
		t.Errorf("BySlug(phase-aura) = %+v, %v", a, ok)
	}
	if _, ok := ix.BySlug("nope"); ok {
		t.Error("BySlug(nope) found something")
	}
}

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		max  int
		want int
	}{
		{"vestibuler", "vestibular", 2, 1},
		{"menstral", "menstrual", 2, 1},
		{"migrane", "migraine", 1, 1},
		{"tirggers", "triggers", 1, 1}, // swapped neighbours
		{"abc", "abc", 1, 0},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 1, 2}, // gives up past max
		{"aaaa", "a", 1, 2},
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b, c.max); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
	if got := len(deletionVariants("abcd", 2)); got != 1+4+6 {
		t.Errorf("deletionVariants(abcd, 2) has %d entries, want 11", got)
	}
}

// An Index is shared by every request; typo tables are built lazily on
// first use, so hammer that path from many goroutines (run with -race).
func TestSearchConcurrently(t *testing.T) {
	base := builtinIndex(t)
	view := base.With([]Article{{Slug: "ours", Title: "Our vestibular circle", Topic: "community", Body: "Weekly vestibular chats."}})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, q := range []string{"vestibuler", "menstral", "aura", "trigers"} {
				if len(base.Search(q, 5)) == 0 || len(view.Search(q, 5)) == 0 {
					t.Errorf("no results for %q", q)
				}
			}
		})
	}
	wg.Wait()
}

func TestEmptyIndex(t *testing.T) {
	ix := NewIndex(nil)
	if rs := ix.Search("migraine", 10); rs != nil {
		t.Errorf("empty index search = %v", rs)
	}
	if len(ix.ByTopic()) != 0 || len(ix.ByTag("chronic")) != 0 || len(ix.Articles()) != 0 {
		t.Error("empty index lists articles")
	}
	// Articles without Text get it derived from Body.
	ix = ix.With([]Article{{Slug: "a", Title: "A", Body: "**Bold** [sleep](/x) tips"}})
	rs := ix.Search("sleep", 1)
	if len(rs) != 1 || rs[0].Snippet != "Bold sleep tips" {
		t.Errorf("search over derived text = %+v", rs)
	}
}

// Questions about going somewhere urgent put the emergency article first,
// however they are worded: the question words step aside and the place
// (A&E, ER, urgent care, an ambulance) means emergency care.
func TestEmergencyQuestionsRankEmergencyFirst(t *testing.T) {
	ix := builtinIndex(t)
	for _, q := range []string{
		"when should I go to A&E",
		"When should I go to the ER?",
		"should i go to urgent care for a migraine",
		"when do I go to A&E with a headache",
		"do I need an ambulance",
		"when to call 911 for a headache",
		"when is it time to go to the emergency room",
		"what helps, should I go to urgent care or wait",
	} {
		if got := slugsOf(ix.Search(q, 3)); len(got) == 0 || got[0] != "emergency-red-flags" {
			t.Errorf("Search(%q) = %v, want emergency-red-flags first", q, got)
		}
	}
}

// Question words step aside for content words, and stay when they are
// all there is.
func TestQuestionWordsStepAside(t *testing.T) {
	lay := builtinIndex(t).lay
	words := func(q string) []string {
		var out []string
		for _, t := range parseQuery(q, lay) {
			out = append(out, t.word)
		}
		return out
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"how fast do triptans work", []string{"triptans"}},
		{"what helps with dizziness please", []string{"dizziness"}},
		{"should I keep a headache diary", []string{"headache diary"}},
		{"when should I go to A&E", []string{"a e"}},
		{"what helps", []string{"helps"}},
	}
	for _, tc := range cases {
		if got := words(tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("parseQuery(%q) kept %q, want %q", tc.query, got, tc.want)
		}
	}
}
