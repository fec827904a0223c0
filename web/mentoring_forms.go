package web

// Form pieces shared by the mentoring pages: local-time availability
// blocks, time zones, the vocabulary in words and error summaries.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
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
