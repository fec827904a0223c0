package library

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func loadBuiltin(t testing.TB) []Article {
	t.Helper()
	as, err := LoadBuiltin()
	if err != nil {
		t.Fatalf("LoadBuiltin: %v", err)
	}
	return as
}

func TestBuiltinArticlesLoad(t *testing.T) {
	as := loadBuiltin(t)
	if len(as) != builtinCount {
		t.Errorf("loaded %d built-in articles, want %d", len(as), builtinCount)
	}
	for _, a := range as {
		t.Run(a.Slug, func(t *testing.T) {
			if a.Title == "" || a.Summary == "" || a.Body == "" || len(a.Sources) == 0 || a.LastReviewed.IsZero() {
				t.Errorf("missing front matter: %+v", a)
			}
			if _, ok := TopicByKey(a.Topic); !ok {
				t.Errorf("topic %q is not a library topic", a.Topic)
			}
			if !a.Builtin {
				t.Error("Builtin is false")
			}
			html := strings.ToLower(string(a.HTML))
			if !strings.Contains(html, "<h2") || !strings.Contains(html, "<p>") {
				t.Errorf("HTML looks empty or unrendered: %.200s", a.HTML)
			}
			if strings.Contains(html, "<script") {
				t.Error("HTML contains <script")
			}
			assertSafeHTML(t, string(a.HTML))
			// The page template shows MedicalNote under every article; a
			// body that repeats it would show it twice.
			if strings.Contains(strings.ToLower(a.Body), "not medical advice") {
				t.Error("body repeats the medical-advice note; the page template shows MedicalNote")
			}
			// Search leans on the everyday questions an article answers.
			if len(a.Questions) < 4 {
				t.Errorf("declares %d questions it answers, want at least 4", len(a.Questions))
			}
		})
	}
}

// Links between built-in articles use /library/<slug>; each must lead
// somewhere.
func TestBuiltinLinksResolve(t *testing.T) {
	as := loadBuiltin(t)
	slugs := map[string]bool{}
	for _, a := range as {
		slugs[a.Slug] = true
	}
	link := regexp.MustCompile(`\]\((/[^)\s]*)\)`)
	for _, a := range as {
		for _, m := range link.FindAllStringSubmatch(a.Body, -1) {
			target, ok := strings.CutPrefix(m[1], "/library/")
			if !ok || !slugs[strings.SplitN(target, "#", 2)[0]] {
				t.Errorf("%s links to %s, which is not a library article", a.Slug, m[1])
			}
		}
	}
}

// Articles about a type of migraine carry the diagnosis string of that
// type's support group (see internal/groups/catalogue.go), so a group page
// can list them with ByTag.
func TestTypeArticlesCarryTheirDiagnosis(t *testing.T) {
	want := map[string]string{
		"migraine-without-aura":        "without-aura",
		"migraine-with-aura":           "with-aura",
		"chronic-migraine":             "chronic",
		"menstrual-migraine":           "menstrual",
		"vestibular-migraine":          "vestibular",
		"hemiplegic-migraine":          "hemiplegic",
		"retinal-migraine":             "retinal",
		"silent-migraine":              "silent",
		"abdominal-migraine":           "abdominal",
		"migraine-with-brainstem-aura": "brainstem-aura",
		// No group of its own: a very long attack, most often met in the
		// chronic group.
		"status-migrainosus": "chronic",
	}
	for _, a := range loadBuiltin(t) {
		if a.Topic != "types" {
			continue
		}
		tag, ok := want[a.Slug]
		if !ok {
			t.Errorf("type article %s has no diagnosis listed in this test", a.Slug)
			continue
		}
		if !a.HasTag(tag) {
			t.Errorf("%s lacks its diagnosis tag %q (tags %v)", a.Slug, tag, a.Tags)
		}
	}
}

func TestLoadReportsFileAndField(t *testing.T) {
	good := "---\ntitle: T\nslug: %s\nsummary: S\ntopic: basics\ntags: [a]\nsources:\n  - name: N\n    url: https://example.org/\nlast_reviewed: 2026-01-02\n---\n\nBody.\n"
	cases := []struct {
		name, file, src string
		want            []string
	}{
		{"no front matter", "x.md", "Just text", []string{"articles/x.md", "front matter"}},
		{"unclosed", "x.md", "---\ntitle: T\n", []string{"articles/x.md", "closing"}},
		{"bad yaml", "x.md", "---\ntitle: [\n---\nbody", []string{"articles/x.md", "front matter"}},
		{"unknown key", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "summary:", "summry:", 1), []string{"articles/x.md", "summry"}},
		{"slug mismatch", "x.md", strings.Replace(good, "%s", "y", 1), []string{"articles/x.md", "slug", `"y"`}},
		{"bad slug", "X Y.md", strings.Replace(good, "%s", "X Y", 1), []string{"slug", "lower-case"}},
		{"missing title", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "title: T\n", "", 1), []string{"articles/x.md: title: is required"}},
		{"unknown topic", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "topic: basics", "topic: gossip", 1), []string{"topic", "gossip"}},
		{"http source", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "https://", "http://", 1), []string{"sources[0].url", "https"}},
		{"no sources", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "sources:\n  - name: N\n    url: https://example.org/\n", "", 1), []string{"sources", "at least one"}},
		{"bad date", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "2026-01-02", "soon", 1), []string{"last_reviewed", "soon"}},
		{"bad tag", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "[a]", "[With Aura]", 1), []string{"tags", "With Aura"}},
		{"empty body", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "Body.", "", 1), []string{"body", "empty"}},
		{"empty question", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "tags: [a]\n", "tags: [a]\nquestions:\n  - \"Why?\"\n  - \" \"\n", 1), []string{"questions[1]", "empty"}},
		{"question twice", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "tags: [a]\n", "tags: [a]\nquestions: [\"Why?\", \"why?\"]\n", 1), []string{"questions[1]", "twice"}},
		{"long question", "x.md", strings.Replace(strings.Replace(good, "%s", "x", 1), "tags: [a]\n", "tags: [a]\nquestions: [\""+strings.Repeat("why ", 60)+"\"]\n", 1), []string{"questions[0]", "one line"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"articles/" + tc.file: {Data: []byte(tc.src)}}
			_, err := loadArticles(fsys, "articles")
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}

	fsys := fstest.MapFS{"articles/x.md": {Data: []byte(strings.Replace(good, "%s", "x", 1))}}
	as, err := loadArticles(fsys, "articles")
	if err != nil || len(as) != 1 || as[0].LastReviewed.Format("2006-01-02") != "2026-01-02" {
		t.Fatalf("loading a good file: %v, %+v", err, as)
	}
}

func TestTokenizeFolds(t *testing.T) {
	var got []string
	tokenize("Café MÉNIÈRE don't, Straße; l’aura 25–30% x", func(w []byte, _ int) {
		got = append(got, string(w))
	})
	want := "cafe meniere dont strasse laura 25 30 x"
	if strings.Join(got, " ") != want {
		t.Errorf("tokens = %q, want %q", strings.Join(got, " "), want)
	}
}

// builtinCount is how many articles ship in articles/.
const builtinCount = 28

// TestRequiredTopicsHaveArticles pins the articles the library promises:
// the basics, every phase, every migraine type the seed describes, the
// treatments, and the practical and safety pages.
func TestRequiredTopicsHaveArticles(t *testing.T) {
	as, err := LoadBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, a := range as {
		have[a.Slug] = true
	}
	for _, slug := range []string{
		"what-is-migraine", "migraine-phases", "phase-prodrome", "phase-aura", "phase-headache", "phase-postdrome",
		"migraine-without-aura", "migraine-with-aura", "chronic-migraine", "menstrual-migraine", "vestibular-migraine",
		"hemiplegic-migraine", "retinal-migraine", "silent-migraine", "abdominal-migraine", "status-migrainosus",
		"migraine-with-brainstem-aura",
		"acute-treatment", "preventive-treatment", "rescue-treatment", "medication-overuse-headache",
		"triggers-and-patterns", "tracking-without-obsession", "migraine-toolkit", "preparing-for-an-appointment",
		"finding-support", "emergency-red-flags",
	} {
		if !have[slug] {
			t.Errorf("no built-in article %q", slug)
		}
	}
}
