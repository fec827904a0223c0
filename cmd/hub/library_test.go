package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

func TestLibraryAPI(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	visitor := h.client("calm") // the library needs no account

	idx := visitor.api("GET", "/library", nil).must(t, http.StatusOK)
	topics := idx.Body["topics"].([]any)
	if len(topics) < 8 || topics[0].(map[string]any)["key"] != "basics" {
		t.Fatalf("topics: %s", idx.Raw)
	}

	searches := []struct{ query, want string }{
		{"vertigo dizzy", "vestibular-migraine"},
		{"worst headache of my life", "emergency-red-flags"},
		{"rebound headache painkillers", "medication-overuse-headache"},
		{"vestibuler", "vestibular-migraine"},
		{"when should I go to A&E", "emergency-red-flags"},
		{"should i keep a headache diary", "tracking-without-obsession"},
	}
	for _, s := range searches {
		r := visitor.api("GET", "/library/search?q="+url.QueryEscape(s.query), nil).must(t, http.StatusOK)
		results := r.Body["results"].([]any)
		if len(results) == 0 || results[0].(map[string]any)["slug"] != s.want {
			t.Errorf("search %q: %s", s.query, r.Raw)
		}
	}
	visitor.api("GET", "/library/search?q=aura&limit=0", nil).must(t, http.StatusUnprocessableEntity)
	if r := visitor.api("GET", "/library/search?q=", nil).must(t, http.StatusOK); len(r.Body["results"].([]any)) != 0 || r.Body["closest_topics"] != nil {
		t.Errorf("empty query: %s", r.Raw)
	}
	// Found something: no fallback. Found nothing: the closest topics and
	// where to ask the community.
	if r := visitor.api("GET", "/library/search?q=aura", nil).must(t, http.StatusOK); r.Body["closest_topics"] != nil || r.Body["ask_community"] != nil {
		t.Errorf("a search with results offers the fallback: %s", r.Raw)
	}
	none := visitor.api("GET", "/library/search?q=zzzzqqq", nil).must(t, http.StatusOK)
	closest, _ := none.Body["closest_topics"].([]any)
	if len(none.Body["results"].([]any)) != 0 || len(closest) == 0 || none.Body["ask_community"] != "/t/calm/groups" {
		t.Fatalf("no results: %s", none.Raw)
	}
	first := closest[0].(map[string]any)
	if first["key"] == "" || first["label"] == "" || len(first["articles"].([]any)) == 0 {
		t.Errorf("closest topic: %s", none.Raw)
	}

	art := visitor.api("GET", "/library/articles/emergency-red-flags", nil).must(t, http.StatusOK)
	if !strings.Contains(art.Body["html"].(string), "<h2") || !strings.Contains(art.Body["medical_note"].(string), "not medical advice") ||
		len(art.Body["sources"].([]any)) == 0 || art.Body["builtin"] != true || len(art.Body["questions"].([]any)) == 0 {
		t.Errorf("article: %s", art.Raw)
	}
	visitor.api("GET", "/library/articles/nope", nil).must(t, http.StatusNotFound)
	tagged := visitor.api("GET", "/library/tags/vestibular", nil).must(t, http.StatusOK)
	if !strings.Contains(string(tagged.Raw), `"slug":"vestibular-migraine"`) {
		t.Errorf("tag vestibular: %s", tagged.Raw)
	}
}

func TestLibraryResources(t *testing.T) {
	qaEachDialect(t, testLibraryResources)
}

func testLibraryResources(t *testing.T, h *testHub) {
	admin := h.createTenant("calm")
	other := h.createTenant("other")
	member := h.signUp("calm", "Wren", "adult")

	crisis := map[string]any{
		"kind": "link", "slug": "calm-crisis-line", "title": "Calm county crisis line",
		"summary": "Free, confidential support by phone, day and night.", "url": "https://crisis.example.org/call",
		"topic": "local", "tags": []string{"crisis", "Vestibular"},
	}
	member.api("POST", "/library/resources", crisis).must(t, http.StatusForbidden)
	created := admin.api("POST", "/library/resources", crisis).must(t, http.StatusCreated)
	if created.Body["tags"].([]any)[1] != "vestibular" {
		t.Errorf("tags are lower-cased and sorted: %s", created.Raw)
	}

	// Bad input names every field and stores nothing.
	bad := admin.api("POST", "/library/resources", map[string]any{
		"kind": "poster", "slug": "Emergency Red Flags", "title": "x", "summary": "", "url": "javascript:alert(1)", "topic": "gossip",
	}).must(t, http.StatusUnprocessableEntity)
	for _, f := range []string{"kind", "slug", "title", "summary", "url", "topic"} {
		if bad.Field(f) == "" {
			t.Errorf("no error for %s: %s", f, bad.Raw)
		}
	}
	for _, tc := range []struct {
		name  string
		patch map[string]any
		field string
	}{
		{"built-in slug", map[string]any{"slug": "emergency-red-flags"}, "slug"},
		{"data url", map[string]any{"url": "data:text/html,<script>alert(1)</script>"}, "url"},
		{"article without text", map[string]any{"kind": "article", "slug": "empty-article", "body": ""}, "body"},
	} {
		in := map[string]any{}
		for k, v := range crisis {
			in[k] = v
		}
		in["slug"] = "another-one"
		for k, v := range tc.patch {
			in[k] = v
		}
		if r := admin.api("POST", "/library/resources", in).must(t, http.StatusUnprocessableEntity); r.Field(tc.field) == "" {
			t.Errorf("%s: %s", tc.name, r.Raw)
		}
	}
	if r := admin.api("POST", "/library/resources", crisis).must(t, http.StatusUnprocessableEntity); r.Field("slug") == "" {
		t.Errorf("duplicate slug: %s", r.Raw)
	}

	// A tenant-written article with hostile Markdown renders harmless.
	payload := "Meets on Tuesdays.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n" +
		"[click](javascript:alert(3)) <a href=\"javascript:alert(4)\" onclick=\"alert(5)\">x</a>\n\n<iframe src=\"https://evil.example\"></iframe>"
	admin.api("POST", "/library/resources", map[string]any{
		"kind": "article", "slug": "tuesday-group", "title": "Tuesday peer group", "summary": "A small group that meets in person.",
		"body": payload, "topic": "community", "tags": []string{"chronic"},
	}).must(t, http.StatusCreated)
	art := member.api("GET", "/library/articles/tuesday-group", nil).must(t, http.StatusOK)
	html := strings.ToLower(art.Body["html"].(string))
	for _, evil := range []string{"<script", "onerror", "javascript:", "onclick", "<iframe", "<img"} {
		if strings.Contains(html, evil) {
			t.Errorf("rendered resource holds %q: %s", evil, html)
		}
	}
	if !strings.Contains(html, "meets on tuesdays") || art.Body["builtin"] != false {
		t.Errorf("rendered resource: %s", art.Raw)
	}

	// Searchable here, invisible to the other community.
	if r := member.api("GET", "/library/search?q=crisis+line", nil).must(t, http.StatusOK); !strings.Contains(string(r.Raw), "calm-crisis-line") {
		t.Errorf("own resource not found by search: %s", r.Raw)
	}
	if r := other.api("GET", "/library/search?q=crisis+line+tuesday", nil).must(t, http.StatusOK); strings.Contains(string(r.Raw), "calm-crisis-line") || strings.Contains(string(r.Raw), "tuesday-group") {
		t.Errorf("another community's resource leaked into search: %s", r.Raw)
	}
	other.api("GET", "/library/articles/calm-crisis-line", nil).must(t, http.StatusNotFound)
	other.api("PATCH", "/library/resources/calm-crisis-line", map[string]any{"title": "Taken over"}).must(t, http.StatusNotFound)
	other.api("DELETE", "/library/resources/calm-crisis-line", nil).must(t, http.StatusNotFound)
	if r := other.api("GET", "/library/tags/vestibular", nil).must(t, http.StatusOK); strings.Contains(string(r.Raw), "calm-crisis-line") {
		t.Errorf("another community's resource leaked into a tag: %s", r.Raw)
	}
	if r := member.api("GET", "/library/tags/vestibular", nil).must(t, http.StatusOK); !strings.Contains(string(r.Raw), "calm-crisis-line") {
		t.Errorf("own resource missing from its tag: %s", r.Raw)
	}

	// Edits show at once (the cached view follows), deletion removes it.
	admin.api("PATCH", "/library/resources/calm-crisis-line", map[string]any{"title": "Calm county helpline"}).must(t, http.StatusOK)
	if r := member.api("GET", "/library/search?q=helpline", nil).must(t, http.StatusOK); !strings.Contains(string(r.Raw), "Calm county helpline") {
		t.Errorf("edit not searchable: %s", r.Raw)
	}
	if list := admin.api("GET", "/library/resources", nil).must(t, http.StatusOK); len(list.Body["resources"].([]any)) != 2 {
		t.Errorf("resources: %s", list.Raw)
	}
	member.api("GET", "/library/resources", nil).must(t, http.StatusForbidden)
	admin.api("DELETE", "/library/resources/calm-crisis-line", nil).must(t, http.StatusNoContent)
	member.api("GET", "/library/articles/calm-crisis-line", nil).must(t, http.StatusNotFound)
	admin.api("DELETE", "/library/resources/calm-crisis-line", nil).must(t, http.StatusNotFound)
}

func TestLibraryPages(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	visitor := h.browser()

	index := visitor.get("/t/calm/library").must(t, http.StatusOK)
	if !index.has("Migraine basics") || !index.has(`href="/t/calm/library/emergency-red-flags"`) || !index.has(`role="search"`) {
		t.Fatalf("library index:\n%s", index.Body)
	}
	found := visitor.get("/t/calm/library/search?q="+url.QueryEscape("dizzy spells")).must(t, http.StatusOK)
	if !found.has(`href="/t/calm/library/vestibular-migraine"`) || !found.has(`value="dizzy spells"`) {
		t.Errorf("search page:\n%s", found.Body)
	}
	if none := visitor.get("/t/calm/library/search?q=zzzzqqq").must(t, http.StatusOK); !none.has("Nothing in the library matches") ||
		!none.has(`href="/t/calm/groups"`) || !none.has("Ask the community") || !none.has(`href="/t/calm/library/what-is-migraine"`) {
		t.Errorf("no results page:\n%s", none.Body)
	}
	art := visitor.get("/t/calm/library/phase-aura").must(t, http.StatusOK)
	if !art.has("not medical advice") || !art.has("<h2") || !art.has("Last reviewed") ||
		!art.has(`href="/t/calm/library/emergency-red-flags"`) || art.has(`href="/library/`) {
		t.Errorf("article page:\n%s", art.Body)
	}
	visitor.get("/t/calm/library/manage").must(t, http.StatusSeeOther)

	member := h.browser()
	member.signUp("calm", "Moth")
	member.get("/t/calm/library/manage").must(t, http.StatusForbidden)

	admin := h.browser()
	admin.post("/t/calm/signin", url.Values{"email": {"admin@calm.example.org"}, "password": {"correct horse battery"}}).must(t, http.StatusSeeOther)
	token := admin.csrf("/t/calm/library/manage")
	bad := admin.post("/t/calm/library/manage", url.Values{"csrf_token": {token}, "kind": {"link"}, "slug": {"x y"}, "title": {"Clinic"},
		"summary": {"Our clinic"}, "url": {"javascript:alert(1)"}, "topic": {"local"}}).must(t, http.StatusUnprocessableEntity)
	if !bad.has(`id="url-error"`) || !bad.has(`id="slug-error"`) || !bad.has(`value="Clinic"`) {
		t.Errorf("resource form errors:\n%s", bad.Body)
	}
	saved := admin.post("/t/calm/library/manage", url.Values{"csrf_token": {token}, "kind": {"article"}, "slug": {"clinic-hours"},
		"title": {"Clinic <hours>"}, "summary": {"When the headache clinic is open."}, "topic": {"local"}, "tags": {"chronic, newly-diagnosed"},
		"body": {"Open **Mondays**.\n\n<script>alert(1)</script>"}}).must(t, http.StatusSeeOther)
	if saved.location() != "/t/calm/library/clinic-hours?notice=resource-saved" {
		t.Fatalf("saved went to %q", saved.location())
	}
	page := member.get("/t/calm/library/clinic-hours").must(t, http.StatusOK)
	if !page.has("<strong>Mondays</strong>") || page.has("<script>alert") || !page.has("Clinic &lt;hours&gt;") || !page.has("not medical advice") {
		t.Errorf("resource page:\n%s", page.Body)
	}
	admin.post("/t/calm/library/manage/clinic-hours", url.Values{"csrf_token": {token}, "kind": {"article"}, "slug": {"clinic-hours"},
		"title": {"Clinic opening hours"}, "summary": {"When it is open."}, "topic": {"local"}, "body": {"Open Mondays."}}).must(t, http.StatusSeeOther)
	if edit := admin.get("/t/calm/library/manage/clinic-hours").must(t, http.StatusOK); !edit.has(`value="Clinic opening hours"`) {
		t.Errorf("edit form:\n%s", edit.Body)
	}
	admin.post("/t/calm/library/manage/clinic-hours/delete", url.Values{"csrf_token": {token}}).must(t, http.StatusSeeOther)
	member.get("/t/calm/library/clinic-hours").must(t, http.StatusNotFound)

	// A group's room lists the articles on its diagnosis.
	mt := member.csrf("/t/calm/groups")
	member.post("/t/calm/groups/vestibular/join", url.Values{"csrf_token": {mt}}).must(t, http.StatusSeeOther)
	if room := member.get("/t/calm/groups/vestibular"); !room.has("Reading for this group") || !room.has(`href="/t/calm/library/vestibular-migraine"`) {
		t.Errorf("room without its reading:\n%s", room.Body)
	}
}

// The real binary passes no clock (tests do): every service must then run
// on the wall clock rather than fail.
func TestAppWithoutATestClock(t *testing.T) {
	h := newTestHubOn(t, storetest.Open(t, store.SQLite, migrations()), realtime.NewMemoryBroker(), func(d *appDeps) { d.now = nil })
	admin := h.createTenant("calm")
	admin.api("POST", "/library/resources", map[string]any{
		"kind": "link", "slug": "helpline", "title": "Helpline", "summary": "Open every day.", "url": "https://help.example.org", "topic": "local",
	}).must(t, http.StatusCreated)
	admin.api("PATCH", "/library/resources/helpline", map[string]any{"title": "Our helpline"}).must(t, http.StatusOK)
	admin.api("POST", "/groups/vestibular/join", nil).must(t, http.StatusOK)
	ws := admin.live(h, "vestibular")
	if ack := ws.say("vestibular", "w1", "hello from the wall clock"); ack.Seq != 1 {
		t.Errorf("ack: %+v", ack)
	}
}
