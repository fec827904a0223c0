package web

// The mentoring pages (docs/web.md, "Mentoring"): the member's mentoring
// hub, the mentee's request, the mentor's application and offers, the
// reviewers' page and a mentorship's private conversation. They call the
// same service as the JSON API (internal/mentoring); availability is asked
// as blocks of local time and stored as UTC hours of the week.

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/httpx"
	"quietroom/internal/library"
	"quietroom/internal/mentoring"
)

// ---- availability: local blocks of the week and UTC hours ----------------

const (
	hoursPerWeek   = 7 * 24
	minutesPerWeek = hoursPerWeek * 60
)

// weekDays are the rows of the availability grid, Monday first (the stored
// week starts on Monday 00:00 UTC).
var weekDays = []struct{ Key, Label string }{
	{"mon", "Monday"}, {"tue", "Tuesday"}, {"wed", "Wednesday"}, {"thu", "Thursday"},
	{"fri", "Friday"}, {"sat", "Saturday"}, {"sun", "Sunday"},
}

// dayBlocks are the grid's columns: local hours [From, To).
var dayBlocks = []struct {
	Key, Label string
	From, To   int
}{
	{"morning", "Morning", 8, 12}, {"afternoon", "Afternoon", 12, 17}, {"evening", "Evening", 17, 22},
}

// blockHours calls fn with the UTC hour of the week (0..167) of each local
// hour of a block, for a member whose clock is offset minutes ahead of UTC.
// An hour that starts on the half hour in UTC counts as the UTC hour it
// starts in.
func blockHours(day, block, offset int, fn func(utcHour int)) {
	b := dayBlocks[block]
	for h := b.From; h < b.To; h++ {
		local := day*24*60 + h*60
		utc := ((local-offset)%minutesPerWeek + minutesPerWeek) % minutesPerWeek
		fn(utc / 60)
	}
}

// blockKey names a grid cell in the form: "mon-evening".
func blockKey(day, block int) string { return weekDays[day].Key + "-" + dayBlocks[block].Key }

// availabilityFromBlocks turns the grid's checked cells (local time) into
// the stored 168 characters of '0' and '1', one per UTC hour from Monday
// 00:00 UTC. Unknown cells are ignored.
func availabilityFromBlocks(cells []string, offset int) string {
	week := []byte(strings.Repeat("0", hoursPerWeek))
	for d := range weekDays {
		for b := range dayBlocks {
			if slices.Contains(cells, blockKey(d, b)) {
				blockHours(d, b, offset, func(h int) { week[h] = '1' })
			}
		}
	}
	return string(week)
}

// blocksFromAvailability is the grid for stored hours: a cell is checked
// when any of its hours is free.
func blocksFromAvailability(a string, offset int) map[string]bool {
	out := map[string]bool{}
	if len(a) != hoursPerWeek {
		return out
	}
	for d := range weekDays {
		for b := range dayBlocks {
			blockHours(d, b, offset, func(h int) {
				if a[h] == '1' {
					out[blockKey(d, b)] = true
				}
			})
		}
	}
	return out
}

// freeTimes says in words when someone is free, in their own time.
func freeTimes(a string, offset int) []string {
	if len(a) != hoursPerWeek {
		return nil
	}
	var out []string
	covered := make([]bool, hoursPerWeek)
	for d, day := range weekDays {
		for b, blk := range dayBlocks {
			free := false
			blockHours(d, b, offset, func(h int) {
				covered[h] = true
				free = free || a[h] == '1'
			})
			if free {
				out = append(out, day.Label+" "+strings.ToLower(blk.Label))
			}
		}
	}
	for h := range hoursPerWeek {
		if a[h] == '1' && !covered[h] {
			out = append(out, "other hours")
			break
		}
	}
	return out
}

// ---- time zones --------------------------------------------------------

// tzOffsets are the UTC offsets the time zone select offers, in minutes:
// every whole hour from UTC−12 to UTC+14 and the half and three-quarter
// hours in use somewhere.
var tzOffsets = func() []int {
	out := []int{-570, -210, 210, 270, 330, 345, 390, 525, 570, 630, 765}
	for h := -12; h <= 14; h++ {
		out = append(out, h*60)
	}
	slices.Sort(out)
	return out
}()

// tzLabel writes an offset the way the select shows it: "UTC+1", "UTC+5:30", "UTC−3".
func tzLabel(minutes int) string {
	sign := "+"
	if minutes < 0 {
		sign, minutes = "−", -minutes
	}
	if minutes%60 == 0 {
		return fmt.Sprintf("UTC%s%d", sign, minutes/60)
	}
	return fmt.Sprintf("UTC%s%d:%02d", sign, minutes/60, minutes%60)
}

// inZone formats t in a member's offset, naming the offset.
func inZone(t time.Time, offset int) string {
	return t.In(time.FixedZone("", offset*60)).Format("Monday 2 January, 15:04") + " (" + tzLabel(offset) + ")"
}

// timeLeft says roughly how long is left until t.
func timeLeft(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "the time to answer is over"
	case d < time.Minute:
		return "less than a minute left"
	case d < time.Hour:
		return "about " + plural(int64(d/time.Minute), "minute") + " left"
	}
	return "about " + plural(int64(d/time.Hour), "hour") + " left"
}

// ---- the vocabulary in words -----------------------------------------------

func choiceLabel(key string, from []mentoring.Choice) string {
	for _, c := range from {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

func choiceLabels(keys string, from []mentoring.Choice) []string {
	var out []string
	for _, k := range strings.Fields(keys) {
		out = append(out, choiceLabel(k, from))
	}
	return out
}

var (
	requestReasons  = []mentoring.Choice{{Key: "new-diagnosis", Label: "I was newly diagnosed"}, {Key: "new-treatment", Label: "I am starting a new treatment"}}
	sameTypeChoices = []mentoring.Choice{
		{Key: "", Label: "No preference"}, {Key: "preferred", Label: "Preferred"}, {Key: "required", Label: "Required"},
	}
)

// controlID makes an element id from a field and one of its values.
func controlID(name, value string) string {
	if value == "" {
		value = "none"
	}
	r := strings.NewReplacer(":", "-", " ", "-")
	return name + "-" + r.Replace(value)
}

// ---- form pieces shared by the request and the application ------------------

// choice is one checkbox or radio.
type choice struct {
	ID, Value, Label string
	Checked          bool
}

// choiceGroup is a fieldset of checkboxes.
type choiceGroup struct {
	Name, Legend, Hint, Error string
	Options                   []choice
}

// gridCell is one checkbox of the availability grid.
type gridCell struct {
	ID, Value, Label string
	Checked          bool
}

type gridRow struct {
	Label string
	Cells []gridCell
}

type tzOption struct {
	Value    int
	Label    string
	Selected bool
}

// profileForm is the part of the request and application forms that both
// share: the lists, the time zone and the availability grid.
type profileForm struct {
	Groups []choiceGroup
	// Zones is the time zone select; Guess asks the page's script to pick
	// the device's zone, as nothing was chosen yet.
	Zones  []tzOption
	Guess  bool
	Blocks []struct {
		Key, Label string
		From, To   int
	}
	Rows []gridRow
	// Errors of the shared fields, for the template.
	TZError, AvailError string
}

// profileInput is what either form sent (or what is stored), before it
// becomes an Application or a RequestInput.
type profileInput struct {
	Types, Treatments, Topics, Languages []string
	Offset                               int
	OffsetChosen                         bool
	Blocks                               map[string]bool
}

func profileFromForm(c *gin.Context) profileInput {
	in := profileInput{Types: c.PostFormArray("types"), Treatments: c.PostFormArray("treatments"),
		Topics: c.PostFormArray("topics"), Languages: c.PostFormArray("languages"), Blocks: map[string]bool{}}
	off, err := strconv.Atoi(c.PostForm("tz_offset_minutes"))
	if err != nil {
		off = 1 << 20 // refused by the service, with the field named
	}
	in.Offset, in.OffsetChosen = off, true
	for _, b := range c.PostFormArray("availability") {
		in.Blocks[b] = true
	}
	return in
}

func (in profileInput) availability() string {
	var cells []string
	for k := range in.Blocks {
		cells = append(cells, k)
	}
	return availabilityFromBlocks(cells, in.Offset)
}

// newProfileForm builds the shared fields; legends differ between a mentee
// and a mentor.
func newProfileForm(mentor bool, in profileInput, errs map[string]string) profileForm {
	group := func(name, legend, hint string, from []mentoring.Choice, picked []string) choiceGroup {
		g := choiceGroup{Name: name, Legend: legend, Hint: hint, Error: errs[name]}
		for _, ch := range from {
			g.Options = append(g.Options, choice{ID: controlID(name, ch.Key), Value: ch.Key, Label: ch.Label, Checked: slices.Contains(picked, ch.Key)})
		}
		return g
	}
	f := profileForm{TZError: errs["tz_offset_minutes"], AvailError: errs["availability"], Blocks: dayBlocks, Guess: !in.OffsetChosen}
	if mentor {
		f.Groups = []choiceGroup{
			group("types", "The migraine types you live with", "Choose at least one.", mentoring.MigraineTypes(), in.Types),
			group("treatments", "Treatments you have experience with (optional)", "", mentoring.Treatments(), in.Treatments),
			group("topics", "What you can help with", "Choose at least one.", mentoring.Topics(), in.Topics),
			group("languages", "Languages you can mentor in", "Choose at least one.", mentoring.Languages(), in.Languages),
		}
	} else {
		f.Groups = []choiceGroup{
			group("types", "Your migraine type (optional)", "If you know it. A mentor who lives with the same type can be asked for below.", mentoring.MigraineTypes(), in.Types),
			group("treatments", "Treatments you have or are starting (optional)", "", mentoring.Treatments(), in.Treatments),
			group("topics", "What you would like help with", "Choose at least one.", mentoring.Topics(), in.Topics),
			group("languages", "Languages you can talk in", "Choose at least one.", mentoring.Languages(), in.Languages),
		}
	}
	zones := tzOffsets
	if !slices.Contains(zones, in.Offset) && in.Offset >= -12*60 && in.Offset <= 14*60 {
		zones = append(slices.Clone(zones), in.Offset)
		slices.Sort(zones)
	}
	for _, z := range zones {
		f.Zones = append(f.Zones, tzOption{Value: z, Label: tzLabel(z), Selected: z == in.Offset})
	}
	for d, day := range weekDays {
		row := gridRow{Label: day.Label}
		for b, blk := range dayBlocks {
			key := blockKey(d, b)
			row.Cells = append(row.Cells, gridCell{ID: "availability-" + key, Value: key,
				Label: day.Label + " " + strings.ToLower(blk.Label), Checked: in.Blocks[key]})
		}
		f.Rows = append(f.Rows, row)
	}
	return f
}

// ---- errors --------------------------------------------------------------

// mentoringFields are the fields of the mentoring forms in page order, with
// the control the error summary links to and the words it uses.
var mentoringFields = []struct{ Name, ID, Label string }{
	{"reason", "reason-new-diagnosis", "Why you would like a mentor"},
	{"types", "types-without-aura", "Migraine types"},
	{"treatments", "treatments-acute-pain-relievers", "Treatments"},
	{"topics", "topics-new-diagnosis", "Topics"},
	{"languages", "languages-en", "Languages"},
	{"tz_offset_minutes", "tz_offset_minutes", "Time zone"},
	{"availability", "availability-mon-morning", "When you are free"},
	{"same_type", "same_type-none", "A mentor with the same migraine type"},
	{"years", "years", "Years living with migraine"},
	{"capacity", "capacity", "Mentees at once"},
	{"about", "about", "About you"},
	{"note", "note", "Note for your mentor"},
	{"consent", "consent", "Consent"},
}

// summary is the error list at the top of a mentoring form; prefix is put
// before every id (forms repeated on a page have their own ids). A failure
// that names no field shows its message alone.
func summary(errs map[string]string, fields []struct{ Name, ID, Label string }, prefix string) []fieldError {
	var out []fieldError
	for _, f := range fields {
		if msg := errs[f.Name]; msg != "" {
			out = append(out, fieldError{prefix + f.ID, f.Label, msg})
		}
	}
	if len(out) == 0 && errs["_form"] != "" {
		out = append(out, fieldError{Message: sentence(errs["_form"])})
	}
	return out
}

// friendlier words for the service's messages that name API values.
func friendlier(errs map[string]string) {
	if errs["reason"] != "" {
		errs["reason"] = "choose one"
	}
	if errs["same_type"] != "" && strings.HasPrefix(errs["same_type"], "must be") {
		errs["same_type"] = "choose one"
	}
	if errs["tz_offset_minutes"] != "" {
		errs["tz_offset_minutes"] = "choose your time zone from the list"
	}
	if errs["capacity"] != "" {
		errs["capacity"] = "choose from 1 to 5"
	}
}

// mentoringFailed decides how a service error is shown: invalid input, a
// conflict or a refusal go back on the form (true, with v.Errors set);
// anything else (not found, a failure) becomes the error page.
func (h *Handler) mentoringFailed(c *gin.Context, err error, v *view, rename map[string]string) bool {
	switch apperr.CodeOf(err) {
	case apperr.CodeInvalid, apperr.CodeConflict, apperr.CodeForbidden:
		return h.formFailed(c, err, v, rename)
	}
	httpx.Error(c, err)
	return false
}

// ---- the hub ----------------------------------------------------------------

// requestDetails is a request in words, as its mentee and its mentor read it.
type requestDetails struct {
	Reason, SameType, Zone, Note               string
	Types, Treatments, Topics, Languages, Free []string
}

func detailsOf(r mentoring.Request) requestDetails {
	return requestDetails{
		Reason: choiceLabel(r.Reason, requestReasons), SameType: choiceLabel(r.SameType, sameTypeChoices),
		Zone: tzLabel(r.TZOffsetMinutes), Note: r.Note,
		Types: choiceLabels(r.Types, mentoring.MigraineTypes()), Treatments: choiceLabels(r.Treatments, mentoring.Treatments()),
		Topics: choiceLabels(r.Topics, mentoring.Topics()), Languages: choiceLabels(r.Languages, mentoring.Languages()),
		Free: freeTimes(r.Availability, r.TZOffsetMinutes),
	}
}

// requestView is one of the member's requests on the hub.
type requestView struct {
	mentoring.RequestStatus
	Open    bool
	Asked   string // whether a mentor was asked, in words
	Details requestDetails
}

func viewRequest(st mentoring.RequestStatus) requestView {
	v := requestView{RequestStatus: st, Details: detailsOf(st.Request)}
	switch st.Status {
	case mentoring.RequestWaiting:
		v.Open = true
		if st.Offers == 0 {
			v.Asked = "No mentor has been asked yet."
		} else {
			v.Asked = fmt.Sprintf("Mentors asked so far: %d. None could take it yet, so we keep looking.", st.Offers)
		}
	case mentoring.RequestOffered:
		v.Open = true
		v.Asked = "A mentor has been asked and is thinking about it."
		if st.Offers > 1 {
			v.Asked = fmt.Sprintf("A mentor has been asked and is thinking about it (mentors asked so far: %d).", st.Offers)
		}
	case mentoring.RequestMatched:
		v.Asked = "A mentor said yes."
	}
	return v
}

// hubPage is the mentoring hub's data.
type hubPage struct {
	Current     *requestView
	Earlier     []requestView
	Mentorships []mentoring.MentorshipView
	Profile     *profileView
	Offers      int // offers waiting for the member's answer
	Reviewer    bool
	Reading     []library.Article
}

// Mentoring is the member's mentoring hub: their request, mentorships and
// application, with the way to each form.
func (h *Handler) Mentoring(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	ctx := c.Request.Context()
	reqs, err := h.mentoring.MyRequests(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	ships, err := h.mentoring.MyMentorships(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	d := hubPage{Mentorships: ships, Reviewer: p.IsAdmin() || p.IsModerator()}
	for i, st := range reqs {
		rv := viewRequest(st)
		if i == 0 && st.Status != mentoring.RequestCancelled {
			d.Current = &rv
		} else {
			d.Earlier = append(d.Earlier, rv)
		}
	}
	if d.Profile, err = h.myProfile(c, p); err != nil {
		httpx.Error(c, err)
		return
	}
	if d.Profile != nil {
		offers, err := h.mentoring.MyOffers(ctx, p)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		for _, o := range offers {
			if o.Status == mentoring.OfferPending {
				d.Offers++
			}
		}
	}
	if cur := d.Current; cur != nil && (cur.Open || cur.Mentorship != nil && cur.Mentorship.Status == mentoring.MentorshipActive) {
		if d.Reading, err = h.starterReading(c, p, d.Current.Request); err != nil {
			httpx.Error(c, err)
			return
		}
	}
	v := newView(c, "Mentoring", "mentoring")
	v.Data = d
	h.pages.render(c, http.StatusOK, "mentoring", v)
}

// starterReading is a few library articles for a new mentee: what
// migraine is, their types, and the toolkit.
func (h *Handler) starterReading(c *gin.Context, p *accounts.Principal, r mentoring.Request) ([]library.Article, error) {
	ctx := c.Request.Context()
	var out []library.Article
	seen := map[string]bool{}
	add := func(a library.Article) {
		if !seen[a.Slug] && len(out) < 6 {
			seen[a.Slug] = true
			out = append(out, a)
		}
	}
	article := func(slug string) error {
		a, err := h.library.Article(ctx, p.Tenant.ID, slug)
		if apperr.CodeOf(err) == apperr.CodeNotFound {
			return nil
		}
		if err == nil {
			add(a)
		}
		return err
	}
	if err := article("what-is-migraine"); err != nil {
		return nil, err
	}
	for _, t := range strings.Fields(r.Types) {
		as, err := h.library.ByTag(ctx, p.Tenant.ID, t)
		if err != nil {
			return nil, err
		}
		for i, a := range as {
			if i == 2 {
				break
			}
			add(a)
		}
	}
	if err := article("migraine-toolkit"); err != nil {
		return nil, err
	}
	return out, nil
}

// ---- the mentee's request ------------------------------------------------

// requestPage is the request form's data.
type requestPage struct {
	// Open is the member's open request, shown with the Cancel button
	// instead of the form.
	Open     *requestView
	Form     profileForm
	Reasons  []choice
	SameType []choice
	Summary  []fieldError
}

// MentoringRequestForm shows the request form, or the open request.
func (h *Handler) MentoringRequestForm(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	reqs, err := h.mentoring.MyRequests(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Ask for a mentor", "mentoring")
	in := profileInput{Blocks: map[string]bool{}}
	v.Values = map[string]string{}
	if len(reqs) > 0 {
		if last := reqs[0]; last.Status == mentoring.RequestWaiting || last.Status == mentoring.RequestOffered {
			rv := viewRequest(last)
			v.Title = "Your request for a mentor"
			v.Data = requestPage{Open: &rv}
			h.pages.render(c, http.StatusOK, "mentoring-request", v)
			return
		}
		// Asking again: start from what the member asked last time.
		last := reqs[0].Request
		in = profileInput{Types: strings.Fields(last.Types), Treatments: strings.Fields(last.Treatments), Topics: strings.Fields(last.Topics),
			Languages: strings.Fields(last.Languages), Offset: last.TZOffsetMinutes, OffsetChosen: true,
			Blocks: blocksFromAvailability(last.Availability, last.TZOffsetMinutes)}
		v.Values = map[string]string{"reason": last.Reason, "same_type": last.SameType, "note": last.Note}
	}
	h.renderRequest(c, http.StatusOK, v, in)
}

func (h *Handler) renderRequest(c *gin.Context, status int, v view, in profileInput) {
	radios := func(name string, from []mentoring.Choice) []choice {
		var out []choice
		for _, ch := range from {
			out = append(out, choice{ID: controlID(name, ch.Key), Value: ch.Key, Label: ch.Label, Checked: v.Values[name] == ch.Key})
		}
		return out
	}
	v.Data = requestPage{Form: newProfileForm(false, in, v.Errors), Reasons: radios("reason", requestReasons),
		SameType: radios("same_type", sameTypeChoices), Summary: summary(v.Errors, mentoringFields, "")}
	h.pages.render(c, status, "mentoring-request", v)
}

// MentoringAsk sends the request form.
func (h *Handler) MentoringAsk(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	pf := profileFromForm(c)
	in := mentoring.RequestInput{Reason: c.PostForm("reason"), Types: pf.Types, Treatments: pf.Treatments, Topics: pf.Topics,
		Languages: pf.Languages, TZOffsetMinutes: pf.Offset, Availability: pf.availability(), SameType: c.PostForm("same_type"),
		Note: c.PostForm("note"), Consent: c.PostForm("consent") == "yes"}
	if _, err := h.mentoring.Ask(c.Request.Context(), p, in); err != nil {
		v := newView(c, "Ask for a mentor", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		friendlier(v.Errors)
		v.Values = map[string]string{"reason": in.Reason, "same_type": in.SameType, "note": in.Note}
		if in.Consent {
			v.Values["consent"] = "yes"
		}
		h.renderRequest(c, statusOf(err), v, pf)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=mentor-requested")
}

// MentoringCancel withdraws the member's open request.
func (h *Handler) MentoringCancel(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if err := h.mentoring.Cancel(c.Request.Context(), p, c.Param("request")); err != nil {
		if apperr.CodeOf(err) == apperr.CodeConflict {
			// Matched or cancelled meanwhile: the hub shows where it stands.
			c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=request-moved-on")
			return
		}
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=request-cancelled")
}

// ---- the mentor's application ----------------------------------------------

// profileView is a mentor profile with its status in words.
type profileView struct {
	mentoring.MentorProfile
	Types, Treatments, Topics, Languages, Free []string
	Zone                                       string
	// YouthExpired: approved for youth mentoring, but the vetting ran out.
	YouthExpired bool
}

func viewProfile(mp mentoring.MentorProfile) *profileView {
	return &profileView{MentorProfile: mp,
		Types: choiceLabels(mp.Types, mentoring.MigraineTypes()), Treatments: choiceLabels(mp.Treatments, mentoring.Treatments()),
		Topics: choiceLabels(mp.Topics, mentoring.Topics()), Languages: choiceLabels(mp.Languages, mentoring.Languages()),
		Free: freeTimes(mp.Availability, mp.TZOffsetMinutes), Zone: tzLabel(mp.TZOffsetMinutes),
		YouthExpired: mp.YouthApproved && mp.VettingExpiresAt != nil && !time.Now().Before(*mp.VettingExpiresAt),
	}
}

// myProfile is the member's application, or nil when there is none.
func (h *Handler) myProfile(c *gin.Context, p *accounts.Principal) (*profileView, error) {
	mp, err := h.mentoring.MyProfile(c.Request.Context(), p)
	if apperr.CodeOf(err) == apperr.CodeNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return viewProfile(mp), nil
}

// mentorPage is the application page's data.
type mentorPage struct {
	Profile    *profileView
	Form       profileForm
	Capacities []int
	Summary    []fieldError
}

// MentorForm shows the member's application (and its status) or an empty one.
func (h *Handler) MentorForm(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	prof, err := h.myProfile(c, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Mentor with us", "mentoring")
	in := profileInput{Blocks: map[string]bool{}}
	v.Values = map[string]string{"capacity": "2"}
	if prof != nil {
		v.Title = "Your mentor profile"
		mp := prof.MentorProfile
		in = profileInput{Types: strings.Fields(mp.Types), Treatments: strings.Fields(mp.Treatments), Topics: strings.Fields(mp.Topics),
			Languages: strings.Fields(mp.Languages), Offset: mp.TZOffsetMinutes, OffsetChosen: true,
			Blocks: blocksFromAvailability(mp.Availability, mp.TZOffsetMinutes)}
		v.Values = map[string]string{"years": strconv.Itoa(mp.Years), "capacity": strconv.Itoa(mp.Capacity), "about": mp.About}
	}
	h.renderMentor(c, http.StatusOK, v, prof, in)
}

func (h *Handler) renderMentor(c *gin.Context, status int, v view, prof *profileView, in profileInput) {
	v.Data = mentorPage{Profile: prof, Form: newProfileForm(true, in, v.Errors), Capacities: []int{1, 2, 3, 4, 5},
		Summary: summary(v.Errors, mentoringFields, "")}
	h.pages.render(c, status, "mentoring-mentor", v)
}

// MentorApply sends (or updates) the application.
func (h *Handler) MentorApply(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	pf := profileFromForm(c)
	years, err := strconv.Atoi(strings.TrimSpace(c.PostForm("years")))
	if err != nil {
		years = -1 // refused below, with the field named
	}
	capacity, err := strconv.Atoi(c.PostForm("capacity"))
	if err != nil {
		capacity = 0
	}
	in := mentoring.Application{Types: pf.Types, Treatments: pf.Treatments, Topics: pf.Topics, Languages: pf.Languages,
		Years: years, TZOffsetMinutes: pf.Offset, Availability: pf.availability(), Capacity: capacity, About: c.PostForm("about")}
	if _, err := h.mentoring.Apply(c.Request.Context(), p, in); err != nil {
		v := newView(c, "Mentor with us", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		prof, perr := h.myProfile(c, p)
		if perr != nil {
			httpx.Error(c, perr)
			return
		}
		if prof != nil {
			v.Title = "Your mentor profile"
		}
		friendlier(v.Errors)
		v.Values = map[string]string{"years": c.PostForm("years"), "capacity": c.PostForm("capacity"), "about": in.About}
		h.renderMentor(c, statusOf(err), v, prof, pf)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/mentor?notice=mentor-applied")
}

// MentorPause is the one-button pause and resume.
func (h *Handler) MentorPause(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	var paused bool
	switch c.PostForm("paused") {
	case "true":
		paused = true
	case "false":
	default:
		httpx.Error(c, apperr.InvalidField("paused", "must be true or false"))
		return
	}
	if _, err := h.mentoring.SetPaused(c.Request.Context(), p, paused); err != nil {
		httpx.Error(c, err)
		return
	}
	notice := "mentor-resumed"
	if paused {
		notice = "mentor-paused"
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/mentor?notice="+notice)
}

// ---- the mentor's offers ---------------------------------------------------

// offerView is an offer in the mentor's inbox.
type offerView struct {
	mentoring.OfferView
	Details  requestDetails
	Deadline string // in the mentor's time zone
	Left     string
	Decided  string
	Teen     bool
}

var offerStatusWords = map[string]string{
	mentoring.OfferAccepted: "You accepted", mentoring.OfferDeclined: "You declined",
	mentoring.OfferExpired: "Not answered in time", mentoring.OfferWithdrawn: "Withdrawn",
}

// offersPage is the inbox's data.
type offersPage struct {
	Profile       *profileView
	Pending, Past []offerView
	// Failed is the offer whose answer failed, with Summary saying why.
	Failed  string
	Summary []fieldError
}

// MentorOffers is the mentor's inbox: offers to answer, then past ones.
func (h *Handler) MentorOffers(c *gin.Context) {
	if signedIn(c) == nil {
		return
	}
	h.renderOffers(c, http.StatusOK, newView(c, "Offers to mentor", "mentoring"), "")
}

func (h *Handler) renderOffers(c *gin.Context, status int, v view, failed string) {
	p := accounts.PrincipalFrom(c.Request.Context())
	prof, err := h.myProfile(c, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	offers, err := h.mentoring.MyOffers(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	offset := 0
	if prof != nil {
		offset = prof.TZOffsetMinutes
	}
	d := offersPage{Profile: prof, Failed: failed}
	now := time.Now()
	for _, o := range offers {
		ov := offerView{OfferView: o, Details: detailsOf(o.Request), Deadline: inZone(o.Deadline, offset), Left: timeLeft(o.Deadline, now),
			Decided: offerStatusWords[o.Status], Teen: o.Request.Teen}
		ov.Reasons = slices.DeleteFunc(slices.Clone(o.Reasons), func(s string) bool { return strings.TrimSpace(s) == "" })
		if o.Status == mentoring.OfferPending {
			d.Pending = append(d.Pending, ov)
		} else {
			d.Past = append(d.Past, ov)
		}
	}
	if v.Errors != nil {
		d.Summary = summary(v.Errors, []struct{ Name, ID, Label string }{{"reason", "decline-reason-" + failed, "Reason"}}, "")
	}
	v.Data = d
	h.pages.render(c, status, "mentoring-offers", v)
}

// MentorAccept accepts an offer and opens the new mentorship's conversation.
func (h *Handler) MentorAccept(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	m, err := h.mentoring.Accept(c.Request.Context(), p, c.Param("offer"))
	if err != nil {
		v := newView(c, "Offers to mentor", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		h.renderOffers(c, statusOf(err), v, c.Param("offer"))
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/m/"+m.ID+"?notice=mentorship-started")
}

// MentorDecline declines an offer, with an optional reason.
func (h *Handler) MentorDecline(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if err := h.mentoring.Decline(c.Request.Context(), p, c.Param("offer"), c.PostForm("reason")); err != nil {
		v := newView(c, "Offers to mentor", "mentoring")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		v.Values = map[string]string{"reason": c.PostForm("reason")}
		h.renderOffers(c, statusOf(err), v, c.Param("offer"))
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/offers?notice=offer-declined")
}

// ---- the reviewers' page ---------------------------------------------------

// applicationView is one application on the review page, with its form.
type applicationView struct {
	*profileView
	Own     bool
	Errors  map[string]string
	Values  map[string]string
	Summary []fieldError
}

// Err and Val read the application form's maps without failing on absent keys.
func (a applicationView) Err(field string) string { return a.Errors[field] }
func (a applicationView) Val(field string) string { return a.Values[field] }

// reviewPage is the review page's data.
type reviewPage struct {
	Pending, Approved, Rejected []applicationView
}

// MentoringReview lists mentor applications for admins and moderators.
func (h *Handler) MentoringReview(c *gin.Context) {
	if signedIn(c) == nil {
		return
	}
	h.renderReview(c, http.StatusOK, "", nil, nil)
}

var reviewFields = []struct{ Name, ID, Label string }{
	{"decision", "decision-approve", "Decision"}, {"reason", "review-reason", "Reason"},
	{"youth_approved", "youth", "Youth mentoring"}, {"vetting_expires", "vetting", "Vetting expires on"},
}

func (h *Handler) renderReview(c *gin.Context, status int, failed string, values, errs map[string]string) {
	p := accounts.PrincipalFrom(c.Request.Context())
	apps, err := h.mentoring.Applications(c.Request.Context(), p, "")
	if err != nil {
		httpx.Error(c, err)
		return
	}
	d := reviewPage{}
	for _, mp := range apps {
		a := applicationView{profileView: viewProfile(mp), Own: mp.UserID == p.User.ID, Values: map[string]string{}}
		if mp.Status == mentoring.MentorApproved {
			a.Values["decision"] = "approve"
		}
		if mp.YouthApproved {
			a.Values["youth"] = "yes"
		}
		if mp.VettingExpiresAt != nil {
			a.Values["vetting"] = mp.VettingExpiresAt.UTC().Format(time.DateOnly)
		}
		if mp.UserID == failed {
			a.Values, a.Errors = values, errs
			a.Summary = summary(errs, reviewFields, "")
			for i := range a.Summary {
				if a.Summary[i].ID != "" {
					a.Summary[i].ID += "-" + mp.UserID
				}
			}
		}
		switch mp.Status {
		case mentoring.MentorPending:
			d.Pending = append(d.Pending, a)
		case mentoring.MentorApproved:
			d.Approved = append(d.Approved, a)
		default:
			d.Rejected = append(d.Rejected, a)
		}
	}
	v := newView(c, "Mentor applications", "mentoring")
	v.Data = d
	h.pages.render(c, status, "mentoring-review", v)
}

// MentoringReviewPost records a decision on one application.
func (h *Handler) MentoringReviewPost(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	in := mentoring.Review{Decision: c.PostForm("decision"), Reason: c.PostForm("reason"),
		TrainingCompleted: c.PostForm("training") == "yes", YouthApproved: c.PostForm("youth") == "yes"}
	values := map[string]string{"decision": in.Decision, "reason": in.Reason, "training": c.PostForm("training"),
		"youth": c.PostForm("youth"), "vetting": c.PostForm("vetting")}
	var dateErr string
	if s := strings.TrimSpace(c.PostForm("vetting")); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			dateErr = "must be a date, such as 2027-06-30"
		} else {
			in.VettingExpires = &t
		}
	}
	user := c.Param("user")
	var err error
	if dateErr != "" {
		err = apperr.InvalidField("vetting_expires", dateErr)
	} else {
		_, err = h.mentoring.ReviewApplication(c.Request.Context(), p, user, in)
	}
	if err != nil {
		if code := apperr.CodeOf(err); code == apperr.CodeForbidden && !p.IsAdmin() && !p.IsModerator() {
			httpx.Error(c, err) // not a reviewer at all: the error page
			return
		}
		v := newView(c, "", "")
		if !h.mentoringFailed(c, err, &v, nil) {
			return
		}
		h.renderReview(c, statusOf(err), user, values, v.Errors)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/review?notice=application-reviewed")
}

// ---- a mentorship's conversation ---------------------------------------------

// mentorshipPage is the conversation page's data: the room's attributes
// (docs/web.md, "The room") and the mentorship's own forms.
type mentorshipPage struct {
	Slug    string
	Access  groups.Access
	WSURL   string
	History string
	// Ship is the mentorship as its member sees it; nil for a moderator
	// reading a teen mentorship for safeguarding.
	Ship    *mentoring.MentorshipView
	Ratings []choice
	Summary []fieldError
}

// Mentorship is the private conversation of a mentor and a mentee.
func (h *Handler) Mentorship(c *gin.Context) {
	if signedIn(c) == nil {
		return
	}
	h.renderMentorship(c, http.StatusOK, newView(c, "", "mentoring"))
}

var feedbackFields = []struct{ Name, ID, Label string }{
	{"reason", "end-reason", "Why it ends"}, {"rating", "rating-1", "Rating"}, {"text", "feedback-text", "Feedback"},
}

func (h *Handler) renderMentorship(c *gin.Context, status int, v view) {
	ctx := c.Request.Context()
	p := accounts.PrincipalFrom(ctx)
	id := c.Param("mentorship")
	slug := "mentorship-" + id
	access, err := h.mentoring.Access(ctx, p, slug)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	ships, err := h.mentoring.MyMentorships(ctx, p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	api := "/api/v1/t/" + p.Tenant.Slug
	d := mentorshipPage{Slug: slug, Access: access, WSURL: api + "/ws", History: api + "/groups/" + slug + "/messages",
		Summary: summary(v.Errors, feedbackFields, "")}
	for i := range ships {
		if ships[i].ID == id {
			d.Ship = &ships[i]
		}
	}
	for r := 1; r <= 5; r++ {
		d.Ratings = append(d.Ratings, choice{ID: fmt.Sprintf("rating-%d", r), Value: strconv.Itoa(r), Label: ratingWords[r-1],
			Checked: v.Values["rating"] == strconv.Itoa(r)})
	}
	v.Title = "Mentorship (safeguarding view)"
	if d.Ship != nil {
		v.Title = "Mentorship with " + d.Ship.OtherName
	}
	v.Data = d
	h.pages.render(c, status, "mentoring-conversation", v)
}

var ratingWords = []string{"1: not helpful", "2: a little helpful", "3: helpful", "4: very helpful", "5: extremely helpful"}

// mentorshipFormFailed re-renders the conversation page after a failed
// form, or shows the error page.
func (h *Handler) mentorshipFormFailed(c *gin.Context, err error, values map[string]string) {
	v := newView(c, "", "mentoring")
	if !h.mentoringFailed(c, err, &v, nil) {
		return
	}
	v.Values = values
	h.renderMentorship(c, statusOf(err), v)
}

// MentorshipEnd ends the mentorship (either side).
func (h *Handler) MentorshipEnd(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	id := c.Param("mentorship")
	if _, err := h.mentoring.End(c.Request.Context(), p, id, c.PostForm("reason")); err != nil {
		h.mentorshipFormFailed(c, err, map[string]string{"reason": c.PostForm("reason")})
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/m/"+id+"?notice=mentorship-ended")
}

// MentorshipRematch is the mentee's "not a good fit": it ends and a new
// request looks for someone else.
func (h *Handler) MentorshipRematch(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	if _, err := h.mentoring.Rematch(c.Request.Context(), p, c.Param("mentorship")); err != nil {
		h.mentorshipFormFailed(c, err, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring?notice=rematch-requested")
}

// MentorshipFeedback records the member's rating of the mentorship.
func (h *Handler) MentorshipFeedback(c *gin.Context) {
	p := signedIn(c)
	if p == nil {
		return
	}
	id := c.Param("mentorship")
	rating, err := strconv.Atoi(c.PostForm("rating"))
	if err != nil {
		rating = 0 // refused by the service, with the field named
	}
	if _, err := h.mentoring.LeaveFeedback(c.Request.Context(), p, id, rating, c.PostForm("text")); err != nil {
		h.mentorshipFormFailed(c, err, map[string]string{"rating": c.PostForm("rating"), "text": c.PostForm("text")})
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/mentoring/m/"+id+"?notice=feedback-saved")
}
