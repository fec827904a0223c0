package match

import (
	"testing"
	"time"
)

// mentor is an adult mentor with one free place whom request may have.
func mentor(id string) Mentor {
	return Mentor{ID: id, Types: []string{"chronic"}, Languages: []string{"en"}, YearsWithMigraine: 5,
		Capacity: 1, Age: Adult, Approved: true}
}

// request is an adult mentee who may have mentor.
func request(id string) Request {
	return Request{ID: id, MenteeID: "user-" + id, Types: []string{"chronic"}, Languages: []string{"en"},
		WaitingSince: testNow.Add(-3 * day)}
}

func TestEachHardConstraint(t *testing.T) {
	cases := []struct {
		name   string
		change func(r *Request, m *Mentor)
		want   Violation
	}{
		{"baseline", func(r *Request, m *Mentor) {}, Allowed},
		{"self", func(r *Request, m *Mentor) { r.MenteeID = m.ID }, Self},
		{"excluded pair", func(r *Request, m *Mentor) { r.Excluded = []string{"other", m.ID} }, Excluded},
		{"excluded other mentor only", func(r *Request, m *Mentor) { r.Excluded = []string{"other"} }, Allowed},
		{"paused", func(r *Request, m *Mentor) { m.Paused = true }, Paused},
		{"not approved", func(r *Request, m *Mentor) { m.Approved = false }, NotApproved},
		{"approval expired", func(r *Request, m *Mentor) { m.ApprovalExpires = testNow.Add(-time.Hour) }, ApprovalExpired},
		{"approval expires exactly now", func(r *Request, m *Mentor) { m.ApprovalExpires = testNow }, ApprovalExpired},
		{"approval still valid", func(r *Request, m *Mentor) { m.ApprovalExpires = testNow.Add(time.Hour) }, Allowed},
		{"full capacity", func(r *Request, m *Mentor) { m.Capacity, m.Load = 3, 3 }, Full},
		{"over capacity", func(r *Request, m *Mentor) { m.Capacity, m.Load = 2, 4 }, Full},
		{"no capacity set", func(r *Request, m *Mentor) { m.Capacity = 0 }, Full},
		{"capacity above five is five", func(r *Request, m *Mentor) { m.Capacity, m.Load = 9, 5 }, Full},
		{"one place left", func(r *Request, m *Mentor) { m.Capacity, m.Load = 5, 4 }, Allowed},
		{"no shared language", func(r *Request, m *Mentor) { m.Languages = []string{"es", "fr"} }, NoSharedLanguage},
		{"mentee lists no language", func(r *Request, m *Mentor) { r.Languages = nil }, NoSharedLanguage},
		{"one shared language is enough", func(r *Request, m *Mentor) {
			r.Languages, m.Languages = []string{"es", "en"}, []string{"fr", "es"}
		}, Allowed},
		{"teen, mentor not youth approved", func(r *Request, m *Mentor) { r.Teen = true }, NotYouthVetted},
		{"teen, vetting expired", func(r *Request, m *Mentor) {
			r.Teen, m.YouthApproved, m.VettingExpires = true, true, testNow.Add(-day)
		}, NotYouthVetted},
		{"teen, vetting expires exactly now", func(r *Request, m *Mentor) {
			r.Teen, m.YouthApproved, m.VettingExpires = true, true, testNow
		}, NotYouthVetted},
		{"teen, vetting date missing", func(r *Request, m *Mentor) { r.Teen, m.YouthApproved = true, true }, NotYouthVetted},
		{"teen, vetting valid but youth approval withdrawn", func(r *Request, m *Mentor) {
			r.Teen, m.VettingExpires = true, testNow.Add(day)
		}, NotYouthVetted},
		{"teen, vetted mentor", func(r *Request, m *Mentor) {
			r.Teen, m.YouthApproved, m.VettingExpires = true, true, testNow.Add(day)
		}, Allowed},
		{"adult mentee, teen mentor", func(r *Request, m *Mentor) { m.Age = Teen }, TeenMentor},
		{"teen mentee, vetted teen mentor", func(r *Request, m *Mentor) {
			r.Teen, m.Age, m.YouthApproved, m.VettingExpires = true, Teen, true, testNow.Add(day)
		}, Allowed},
		{"same type required, none shared", func(r *Request, m *Mentor) {
			r.SameType, m.Types = Required, []string{"vestibular"}
		}, NoSharedType},
		{"same type required, mentee lists none", func(r *Request, m *Mentor) { r.SameType, r.Types = Required, nil }, NoSharedType},
		{"same type required, one shared", func(r *Request, m *Mentor) {
			r.SameType, r.Types, m.Types = Required, []string{"vestibular", "chronic"}, []string{"chronic"}
		}, Allowed},
		{"same type preferred, none shared", func(r *Request, m *Mentor) {
			r.SameType, m.Types = Preferred, []string{"vestibular"}
		}, Allowed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, m := request("r"), mentor("m")
			c.change(&r, &m)
			if got := Check(r, m, testNow); got != c.want {
				t.Fatalf("Check = %q (%s), want %q", got, got.Words(), c.want)
			}
			// Every entry point agrees with Check.
			suggested := len(Suggest(r, []Mentor{m}, DefaultWeights(), testNow, 0)) == 1
			batch := AssignBatch([]Request{r}, []Mentor{m}, DefaultWeights(), testNow).Matched == 1
			greedy := AssignGreedy([]Request{r}, []Mentor{m}, DefaultWeights(), testNow).Matched == 1
			if want := c.want == Allowed; suggested != want || batch != want || greedy != want {
				t.Errorf("suggested %v, batch matched %v, greedy matched %v; want all %v", suggested, batch, greedy, want)
			}
		})
	}
}

func TestViolationWords(t *testing.T) {
	for _, v := range []Violation{Allowed, Self, Excluded, Paused, NotApproved, ApprovalExpired, Full,
		NotYouthVetted, TeenMentor, NoSharedLanguage, NoSharedType} {
		if w := v.Words(); w == "" || w == string(v) {
			t.Errorf("%q has no words", v)
		}
	}
}
