package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"quietroom/internal/store"
)

// mentoringBrowser is a member's browser on the mentoring pages.
type mentoringBrowser struct {
	*browser
	token string
}

func newMentoringBrowser(t *testing.T, h *testHub, name string) *mentoringBrowser {
	t.Helper()
	b := h.browser()
	b.signUp("calm", name)
	return &mentoringBrowser{browser: b, token: b.csrf("/t/calm/mentoring")}
}

func adminMentoringBrowser(t *testing.T, h *testHub) *mentoringBrowser {
	t.Helper()
	b := h.browser()
	b.post("/t/calm/signin", url.Values{"email": {"admin@calm.example.org"}, "password": {"correct horse battery"}}).must(t, http.StatusSeeOther)
	return &mentoringBrowser{browser: b, token: b.csrf("/t/calm/mentoring")}
}

// form posts the fields with the CSRF token.
func (b *mentoringBrowser) form(path string, f url.Values) page {
	b.t.Helper()
	if f == nil {
		f = url.Values{}
	}
	f.Set("csrf_token", b.token)
	return b.post(path, f)
}

// apiJSON reads a JSON API answer with the browser's session cookie.
func (b *mentoringBrowser) apiJSON(path string) map[string]any {
	b.t.Helper()
	p := b.get("/api/v1/t/calm"+path).must(b.t, http.StatusOK)
	var out map[string]any
	if err := json.Unmarshal([]byte(p.Body), &out); err != nil {
		b.t.Fatalf("%s: %v\n%s", path, err, p.Body)
	}
	return out
}

// hoursSet lists the UTC hours of the week that a stored availability marks free.
func hoursSet(a string) []int {
	var out []int
	for i, c := range a {
		if c == '1' {
			out = append(out, i)
		}
	}
	return out
}

func sameInts(a, b []int) bool { return slices.Equal(a, b) }

func span(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func mentorForm(tz string, avail ...string) url.Values {
	return url.Values{"types": {"vestibular"}, "treatments": {"acute:triptans"}, "topics": {"new-diagnosis", "work"},
		"languages": {"en"}, "years": {"8"}, "capacity": {"2"}, "tz_offset_minutes": {tz}, "availability": avail,
		"about": {"Living with it since school."}}
}

func requestForm(tz string, avail ...string) url.Values {
	return url.Values{"reason": {"new-diagnosis"}, "types": {"vestibular"}, "topics": {"new-diagnosis"}, "languages": {"en"},
		"tz_offset_minutes": {tz}, "availability": avail, "same_type": {""}, "note": {"Just told it's vestibular."}, "consent": {"yes"}}
}

func TestMentoringPagesAccess(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("calm")

	anon := h.browser()
	for _, path := range []string{"/t/calm/mentoring", "/t/calm/mentoring/request", "/t/calm/mentoring/mentor",
		"/t/calm/mentoring/offers", "/t/calm/mentoring/review", "/t/calm/mentoring/m/abc"} {
		p := anon.get(path).must(t, http.StatusSeeOther)
		if want := "/t/calm/signin?next=" + url.QueryEscape(path); p.location() != want {
			t.Errorf("%s signed out went to %q, want %q", path, p.location(), want)
		}
	}

	member := newMentoringBrowser(t, h, "Wren")
	hub := member.get("/t/calm/mentoring").must(t, http.StatusOK)
	for _, want := range []string{`href="/t/calm/mentoring" aria-current="page"`, "Ask for a mentor", "Apply to mentor", "You have not asked for a mentor"} {
		if !hub.has(want) {
			t.Errorf("member's hub lacks %q", want)
		}
	}
	if hub.has("Review mentor applications") {
		t.Error("a member is offered the review page")
	}
	if !member.get("/t/calm/groups").has(`href="/t/calm/mentoring"`) {
		t.Error("the header has no Mentoring link for members")
	}
	if anon.get("/t/calm").has(`href="/t/calm/mentoring"`) {
		t.Error("the header shows Mentoring to visitors")
	}
	member.get("/t/calm/mentoring/review").must(t, http.StatusForbidden)
	member.get("/t/calm/mentoring/m/no-such-mentorship").must(t, http.StatusNotFound)
	member.form("/t/calm/mentoring/review/someone", url.Values{"decision": {"approve"}}).must(t, http.StatusForbidden)
	if r := member.get("/t/calm/mentoring/request").must(t, http.StatusOK); !r.has("I agree that my matched mentor may read this request") ||
		!r.has(`data-guess-zone="true"`) || !r.has(`aria-label="Breadcrumb"`) {
		t.Errorf("request form:\n%s", r.Body)
	}
	if m := member.get("/t/calm/mentoring/mentor").must(t, http.StatusOK); !m.has("Apply to mentor") || m.has("Pause: I need a break") {
		t.Errorf("mentor form for a newcomer:\n%s", m.Body)
	}
	if o := member.get("/t/calm/mentoring/offers").must(t, http.StatusOK); !o.has("Offers come to approved mentors") {
		t.Errorf("offers page of a non-mentor:\n%s", o.Body)
	}

	admin := adminMentoringBrowser(t, h)
	if r := admin.get("/t/calm/mentoring/review").must(t, http.StatusOK); !r.has("No application is waiting") {
		t.Errorf("empty review page:\n%s", r.Body)
	}
	if !admin.get("/t/calm/mentoring").has(`href="/t/calm/mentoring/review"`) {
		t.Error("reviewers get a link to the review page")
	}
	// Pages have no inline code (the CSP forbids it anyway).
	for _, path := range []string{"/t/calm/mentoring", "/t/calm/mentoring/request", "/t/calm/mentoring/mentor", "/t/calm/mentoring/offers", "/t/calm/mentoring/review"} {
		p := admin.get(path)
		if p.has("<script>") || regexp.MustCompile(`\sstyle=`).MatchString(p.Body) || regexp.MustCompile(`\son[a-z]+=`).MatchString(p.Body) {
			t.Errorf("%s holds inline script, style or event handler", path)
		}
	}
}

func TestMentoringRequestFormValidationAndAvailability(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("calm")
	member := newMentoringBrowser(t, h, "Wren")

	// Nothing chosen: every required field named, linked and marked.
	bad := member.form("/t/calm/mentoring/request", url.Values{"types": {"vestibular"}, "note": {"<b>hello</b>"}, "tz_offset_minutes": {"60"}}).
		must(t, http.StatusUnprocessableEntity)
	for _, want := range []string{`class="form-errors" role="alert"`, `id="reason-error"`, `id="topics-error"`, `id="languages-error"`,
		`id="availability-error"`, `id="consent-error"`, `href="#availability-mon-morning"`, `href="#consent"`, `aria-invalid="true"`,
		`<p class="field-error" id="reason-error">choose one</p>`, `value="vestibular" checked`, `&lt;b&gt;hello&lt;/b&gt;`, `<option value="60" selected>UTC&#43;1</option>`} {
		if !bad.has(want) {
			t.Errorf("request errors lack %s", want)
		}
	}
	if bad.has("<b>hello</b>") {
		t.Error("the note was echoed unescaped")
	}
	if bad.has(`data-guess-zone`) {
		t.Error("a zone the member chose is not guessed over")
	}

	// html/template writes "+" in text as "&#43;": the option reads UTC+1.
	// Monday evening at UTC+1 is 16:00–21:00 UTC on Monday.
	ok := member.form("/t/calm/mentoring/request", requestForm("60", "mon-evening")).must(t, http.StatusSeeOther)
	if ok.location() != "/t/calm/mentoring?notice=mentor-requested" {
		t.Fatalf("request went to %q", ok.location())
	}
	reqs := member.apiJSON("/mentoring/requests")["requests"].([]any)
	r := reqs[0].(map[string]any)
	if got := hoursSet(r["availability"].(string)); !sameInts(got, span(16, 20)) {
		t.Errorf("Monday evening at UTC+1: hours %v, want 16..20", got)
	}
	if r["tz_offset_minutes"].(float64) != 60 || r["consent"] != true || r["note"] != "Just told it's vestibular." {
		t.Errorf("stored request: %v", r)
	}
	hub := member.get("/t/calm/mentoring?notice=mentor-requested").must(t, http.StatusOK)
	for _, want := range []string{"Your request is in.", "We are looking for a mentor who fits", "No mentor has been asked yet.",
		"Starter reading", `href="/t/calm/library/what-is-migraine"`, `href="/t/calm/library/migraine-toolkit"`} {
		if !hub.has(want) {
			t.Errorf("hub after asking lacks %q", want)
		}
	}

	// One open request at a time: the page shows it with its Cancel button.
	open := member.get("/t/calm/mentoring/request").must(t, http.StatusOK)
	if !open.has("Cancel my request") || !open.has("Monday evening") || open.has("I agree that my matched mentor") {
		t.Fatalf("request page with an open request:\n%s", open.Body)
	}
	again := member.form("/t/calm/mentoring/request", requestForm("60", "mon-evening")).must(t, http.StatusConflict)
	if !again.has("You already have a request waiting for a mentor.") {
		t.Errorf("second request:\n%s", again.Body)
	}
	cancel := regexp.MustCompile(`action="(/t/calm/mentoring/request/[0-9a-f-]+/cancel)"`).FindStringSubmatch(open.Body)
	if cancel == nil {
		t.Fatal("no cancel form")
	}
	if p := member.form(cancel[1], nil).must(t, http.StatusSeeOther); p.location() != "/t/calm/mentoring?notice=request-cancelled" {
		t.Errorf("cancel went to %q", p.location())
	}
	if p := member.form(cancel[1], nil).must(t, http.StatusSeeOther); p.location() != "/t/calm/mentoring?notice=request-moved-on" {
		t.Errorf("cancelling twice went to %q", p.location())
	}
	// Asking again starts from the last request.
	refill := member.get("/t/calm/mentoring/request").must(t, http.StatusOK)
	for _, want := range []string{`value="mon-evening" checked`, `<option value="60" selected>UTC&#43;1</option>`, `value="new-diagnosis" checked`} {
		if !refill.has(want) {
			t.Errorf("the form after cancelling lacks %s", want)
		}
	}
	if refill.has(`name="consent" value="yes" checked`) {
		t.Error("consent is asked again each time")
	}

	// More conversions, through the mentor application (which can be
	// saved again and again): half-hour zones and the week's wrap-around.
	for _, c := range []struct {
		tz    string
		cells []string
		want  []int
	}{
		{"60", []string{"mon-evening"}, span(16, 20)},
		{"0", []string{"tue-morning"}, span(24+8, 24+11)},
		{"330", []string{"mon-morning"}, span(2, 5)},                   // 08:00 at UTC+5:30 is 02:30 UTC
		{"-180", []string{"sun-evening"}, append(span(164, 167), 0)},   // Sunday 17–22 at UTC−3 runs into Monday UTC
		{"600", []string{"mon-morning"}, append(span(166, 167), 0, 1)}, // 08:00 Monday at UTC+10 is Sunday 22:00 UTC
	} {
		member.form("/t/calm/mentoring/mentor", mentorForm(c.tz, c.cells...)).must(t, http.StatusSeeOther)
		mp := member.apiJSON("/mentoring/mentor")
		want := slices.Sorted(slices.Values(c.want))
		if got := hoursSet(mp["availability"].(string)); !sameInts(got, want) {
			t.Errorf("%v at %s: hours %v, want %v", c.cells, c.tz, got, want)
		}
		form := member.get("/t/calm/mentoring/mentor").must(t, http.StatusOK)
		if !form.has(`value="` + c.cells[0] + `" checked`) {
			t.Errorf("the mentor form does not show %s again at %s", c.cells[0], c.tz)
		}
	}
}

func TestMentoringPagesApplyReviewOfferAndConversation(t *testing.T) {
	h := newTestHub(t, store.Postgres)
	h.createTenant("calm")
	admin := adminMentoringBrowser(t, h)

	// A member applies through the form; errors come back on it.
	mentor := newMentoringBrowser(t, h, "Heron")
	bad := mentor.form("/t/calm/mentoring/mentor", url.Values{"years": {"many"}, "capacity": {"9"}, "tz_offset_minutes": {"0"}}).
		must(t, http.StatusUnprocessableEntity)
	for _, want := range []string{`id="types-error"`, `id="topics-error"`, `id="languages-error"`, `id="years-error"`, `id="capacity-error"`,
		`id="availability-error"`, `value="many"`} {
		if !bad.has(want) {
			t.Errorf("application errors lack %s", want)
		}
	}
	mentor.form("/t/calm/mentoring/mentor", mentorForm("0", "mon-evening", "tue-evening", "wed-evening")).must(t, http.StatusSeeOther)
	if p := mentor.get("/t/calm/mentoring/mentor?notice=mentor-applied").must(t, http.StatusOK); !p.has("Waiting for review") ||
		!p.has("Training not recorded yet") || !p.has("Save changes") || p.has("Pause: I need a break") {
		t.Errorf("pending application:\n%s", p.Body)
	}

	// The admin reviews it on the review page.
	review := admin.get("/t/calm/mentoring/review").must(t, http.StatusOK)
	m := regexp.MustCompile(`<li class="application card" data-user="([^"]+)" data-status="pending">`).FindStringSubmatch(review.Body)
	if m == nil || !review.has("Heron") || !review.has("Vestibular migraine") || !review.has("Living with it since school.") {
		t.Fatalf("review page:\n%s", review.Body)
	}
	uid := m[1]
	rej := admin.form("/t/calm/mentoring/review/"+uid, url.Values{"decision": {"reject"}}).must(t, http.StatusUnprocessableEntity)
	if !rej.has(`id="review-reason-`+uid+`-error"`) || !rej.has(`href="#review-reason-`+uid+`"`) {
		t.Errorf("reject without a reason:\n%s", rej.Body)
	}
	youth := admin.form("/t/calm/mentoring/review/"+uid, url.Values{"decision": {"approve"}, "youth": {"yes"}, "vetting": {"2001-01-01"}}).
		must(t, http.StatusUnprocessableEntity)
	if !youth.has(`id="vetting-`+uid+`-error"`) || !youth.has(`value="2001-01-01"`) {
		t.Errorf("youth approval with a past date:\n%s", youth.Body)
	}
	done := admin.form("/t/calm/mentoring/review/"+uid, url.Values{"decision": {"approve"}, "training": {"yes"}}).must(t, http.StatusSeeOther)
	if done.location() != "/t/calm/mentoring/review?notice=application-reviewed" {
		t.Errorf("review went to %q", done.location())
	}
	if p := mentor.get("/t/calm/mentoring/mentor").must(t, http.StatusOK); !p.has("Approved: you can mentor.") || !p.has("Training recorded on") ||
		!p.has("Pause: I need a break") {
		t.Errorf("approved mentor's page:\n%s", p.Body)
	}

	// A newcomer asks; the request goes to Heron, who sees it with reasons.
	mentee := newMentoringBrowser(t, h, "Wren")
	mentee.form("/t/calm/mentoring/request", requestForm("60", "mon-evening")).must(t, http.StatusSeeOther)
	if hub := mentee.get("/t/calm/mentoring").must(t, http.StatusOK); !hub.has("A mentor has been asked and is thinking about it.") {
		t.Errorf("mentee's hub while offered:\n%s", hub.Body)
	}
	if hub := mentor.get("/t/calm/mentoring").must(t, http.StatusOK); !hub.has("(1 waiting for your answer)") {
		t.Errorf("mentor's hub with an offer:\n%s", hub.Body)
	}
	offers := mentor.get("/t/calm/mentoring/offers").must(t, http.StatusOK)
	for _, want := range []string{"Answer by", "hours left.", "Why you were asked", "vestibular", "Just told it&#39;s vestibular.",
		"Monday evening", "UTC&#43;1", ">Accept</button>", ">Decline</button>"} {
		if !offers.has(want) {
			t.Errorf("offers page lacks %q", want)
		}
	}
	offer := regexp.MustCompile(`<li class="offer card" data-offer="([^"]+)">`).FindStringSubmatch(offers.Body)
	if offer == nil {
		t.Fatalf("no pending offer:\n%s", offers.Body)
	}
	mentee.form("/t/calm/mentoring/offers/"+offer[1]+"/accept", nil).must(t, http.StatusNotFound)
	accepted := mentor.form("/t/calm/mentoring/offers/"+offer[1]+"/accept", nil).must(t, http.StatusSeeOther)
	ship := regexp.MustCompile(`^/t/calm/mentoring/m/([0-9a-f-]+)\?notice=mentorship-started$`).FindStringSubmatch(accepted.location())
	if ship == nil {
		t.Fatalf("accept went to %q", accepted.location())
	}
	id := ship[1]
	if p := mentor.form("/t/calm/mentoring/offers/"+offer[1]+"/accept", nil).must(t, http.StatusConflict); !p.has("can no longer be answered") {
		t.Errorf("accepting twice:\n%s", p.Body)
	}

	// Both see the conversation, wired for room.js; nobody else does.
	conv := mentor.get("/t/calm/mentoring/m/"+id+"?notice=mentorship-started").must(t, http.StatusOK)
	for _, want := range []string{`id="room"`, `data-group="mentorship-` + id + `"`, `data-history-url="/api/v1/t/calm/groups/mentorship-` + id + `/messages"`,
		`data-ws-url="/api/v1/t/calm/ws"`, `data-can-post="true"`, `id="composer"`, `id="presence-list"`, "Mentorship with Wren",
		"You are Wren's mentor", "End mentorship", "Send feedback", "You accepted."} {
		if !conv.has(want) {
			t.Errorf("mentor's conversation page lacks %s", want)
		}
	}
	if conv.has("Not a good fit") {
		t.Error("the mentor is offered the mentee's rematch")
	}
	mconv := mentee.get("/t/calm/mentoring/m/"+id).must(t, http.StatusOK)
	if !mconv.has("Heron is your mentor") || !mconv.has("Not a good fit — find me someone else") {
		t.Errorf("mentee's conversation page:\n%s", mconv.Body)
	}
	hub := mentee.get("/t/calm/mentoring").must(t, http.StatusOK)
	if !hub.has(`href="/t/calm/mentoring/m/`+id+`">Conversation with Heron</a>`) || !hub.has("You have a mentor.") || !hub.has("Starter reading") ||
		!hub.has(`<a href="/t/calm/mentoring/m/`+id+`">Open your conversation</a>`) || hub.has("Ask for a mentor again") {
		t.Errorf("mentee's hub when matched:\n%s", hub.Body)
	}
	outsider := newMentoringBrowser(t, h, "Moth")
	outsider.get("/t/calm/mentoring/m/"+id).must(t, http.StatusNotFound)
	outsider.form("/t/calm/mentoring/m/"+id+"/end", nil).must(t, http.StatusNotFound)
	admin.get("/t/calm/mentoring/m/"+id).must(t, http.StatusNotFound) // adult mentorships are private

	// Feedback: a rating is needed; then thanks.
	fb := mentee.form("/t/calm/mentoring/m/"+id+"/feedback", url.Values{"rating": {"9"}, "text": {"Kind."}}).must(t, http.StatusUnprocessableEntity)
	if !fb.has(`id="rating-error"`) || !fb.has(`href="#rating-1"`) || !fb.has(">Kind.</textarea>") {
		t.Errorf("feedback errors:\n%s", fb.Body)
	}
	if p := mentee.form("/t/calm/mentoring/m/"+id+"/feedback", url.Values{"rating": {"5"}, "text": {"Kind and patient."}}).
		must(t, http.StatusSeeOther); p.location() != "/t/calm/mentoring/m/"+id+"?notice=feedback-saved" {
		t.Errorf("feedback went to %q", p.location())
	}
	if p := mentor.form("/t/calm/mentoring/m/"+id+"/rematch", nil).must(t, http.StatusForbidden); !p.has("Only the mentee asks for a different match.") {
		t.Errorf("the mentor's rematch:\n%s", p.Body)
	}

	// Decline, with a reason: the offer moves to Earlier offers.
	mentee2 := newMentoringBrowser(t, h, "Lark")
	mentee2.form("/t/calm/mentoring/request", requestForm("0", "tue-evening")).must(t, http.StatusSeeOther)
	offers = mentor.get("/t/calm/mentoring/offers").must(t, http.StatusOK)
	offer = regexp.MustCompile(`<li class="offer card" data-offer="([^"]+)">`).FindStringSubmatch(offers.Body)
	if offer == nil {
		t.Fatalf("no second offer:\n%s", offers.Body)
	}
	long := strings.Repeat("x", 501)
	tooLong := mentor.form("/t/calm/mentoring/offers/"+offer[1]+"/decline", url.Values{"reason": {long}}).must(t, http.StatusUnprocessableEntity)
	if !tooLong.has(`id="decline-reason-`+offer[1]+`-error"`) || !tooLong.has(`href="#decline-reason-`+offer[1]+`"`) {
		t.Errorf("decline with too long a reason:\n%s", tooLong.Body)
	}
	dec := mentor.form("/t/calm/mentoring/offers/"+offer[1]+"/decline", url.Values{"reason": {"too close to home"}}).must(t, http.StatusSeeOther)
	if dec.location() != "/t/calm/mentoring/offers?notice=offer-declined" {
		t.Errorf("decline went to %q", dec.location())
	}
	past := mentor.get("/t/calm/mentoring/offers?notice=offer-declined").must(t, http.StatusOK)
	if !past.has("You declined (“too close to home”)") || !past.has("You accepted") || past.has(`<li class="offer card"`) {
		t.Errorf("offers after declining:\n%s", past.Body)
	}
	if hub := mentee2.get("/t/calm/mentoring").must(t, http.StatusOK); !hub.has("Mentors asked so far: 1.") {
		t.Errorf("the declined mentee's hub:\n%s", hub.Body)
	}

	// The pause switch.
	if p := mentor.form("/t/calm/mentoring/mentor/pause", url.Values{"paused": {"true"}}).must(t, http.StatusSeeOther); p.location() != "/t/calm/mentoring/mentor?notice=mentor-paused" {
		t.Errorf("pause went to %q", p.location())
	}
	if p := mentor.get("/t/calm/mentoring/mentor").must(t, http.StatusOK); !p.has("Resume mentoring") || !p.has("You are paused") {
		t.Errorf("paused mentor's page:\n%s", p.Body)
	}
	mentor.form("/t/calm/mentoring/mentor/pause", url.Values{"paused": {"maybe"}}).must(t, http.StatusUnprocessableEntity)
	mentor.form("/t/calm/mentoring/mentor/pause", url.Values{"paused": {"false"}}).must(t, http.StatusSeeOther)

	// Ending: no more writing, the page says so, and ending twice is refused on the page.
	end := mentee.form("/t/calm/mentoring/m/"+id+"/end", url.Values{"reason": {"I have found my feet"}}).must(t, http.StatusSeeOther)
	if end.location() != "/t/calm/mentoring/m/"+id+"?notice=mentorship-ended" {
		t.Errorf("end went to %q", end.location())
	}
	ended := mentor.get("/t/calm/mentoring/m/"+id).must(t, http.StatusOK)
	if !ended.has("This mentorship ended") || !ended.has(`id="cannot-post"`) || ended.has(`id="composer"`) || ended.has("End mentorship") ||
		!ended.has(`data-can-post="false"`) {
		t.Errorf("ended mentorship:\n%s", ended.Body)
	}
	if p := mentor.form("/t/calm/mentoring/m/"+id+"/end", nil).must(t, http.StatusConflict); !p.has("This mentorship has already ended.") {
		t.Errorf("ending twice:\n%s", p.Body)
	}
}

func TestMentoringConversationPageSafeguardingView(t *testing.T) {
	h := longSessionHub(t)
	admin := h.createTenant("calm")
	mentor := approvedMentor(t, h, admin, "Heron",
		map[string]any{"youth_approved": true, "vetting_expires": h.clock.Now().Add(24 * time.Hour)}, "vestibular")
	teen := h.signUp("calm", "Finch", "teen")
	teen.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
	o := pendingOffers(t, mentor)
	if len(o) != 1 {
		t.Fatalf("offers to the vetted mentor: %v", o)
	}
	if p := newMentoringBrowser(t, h, "Mentorless").get("/t/calm/mentoring/offers"); !p.has("Nothing is waiting for you") {
		t.Errorf("offers of a member:\n%s", p.Body)
	}
	id := mentor.api("POST", "/mentoring/offers/"+o[0]["id"].(string)+"/accept", nil).must(t, http.StatusOK).Body["id"].(string)

	// The community's moderators read a teen's mentorship, without its forms.
	b := adminMentoringBrowser(t, h)
	p := b.get("/t/calm/mentoring/m/"+id).must(t, http.StatusOK)
	for _, want := range []string{"Mentorship (safeguarding view)", `data-group="mentorship-` + id + `"`, `data-can-post="false"`, `id="cannot-post"`,
		"Moderators read teen mentorships for safeguarding; they do not write in them.", "Messages with contact details"} {
		if !p.has(want) {
			t.Errorf("safeguarding view lacks %s", want)
		}
	}
	for _, absent := range []string{`id="composer"`, "End mentorship", "Send feedback"} {
		if p.has(absent) {
			t.Errorf("safeguarding view has %s", absent)
		}
	}
	b.form("/t/calm/mentoring/m/"+id+"/feedback", url.Values{"rating": {"1"}}).must(t, http.StatusNotFound)
}
