package match

import (
	"slices"
	"testing"
	"time"
)

func TestReasonsWording(t *testing.T) {
	// Shared hours: Tuesday 18:00–21:00 at UTC−5 for both sides, plus one
	// more hour the mentor has and the mentee not.
	var evenings Week
	for h := 18; h < 21; h++ {
		evenings.SetLocal(-300, time.Tuesday, h)
	}
	cases := []struct {
		name   string
		change func(r *Request, m *Mentor, w *Weights)
		want   []string
		exact  bool // want is the whole list, in order; otherwise each must appear
	}{
		{"baseline", func(r *Request, m *Mentor, w *Weights) {},
			[]string{"both live with chronic migraine", "in the same time zone", "speaks English", "has lived with migraine for 5 years"}, true},
		{"vestibular, one hour apart, Spanish", func(r *Request, m *Mentor, w *Weights) {
			r.Types, m.Types = []string{"vestibular"}, []string{"chronic", "vestibular"}
			r.UTCOffsetMinutes, m.UTCOffsetMinutes = -300, -360
			r.Languages, m.Languages = []string{"es"}, []string{"en", "es"}
			m.YearsWithMigraine = 1
		}, []string{"both live with vestibular migraine", "1 hour apart", "speaks Spanish", "has lived with migraine for a year"}, true},
		{"several types in the mentee's order", func(r *Request, m *Mentor, w *Weights) {
			r.Types = []string{"with-aura", "chronic", "menstrual", "chronic"}
			m.Types = []string{"menstrual", "chronic", "with-aura"}
		}, []string{"both live with migraine with aura, chronic migraine and menstrual migraine"}, false},
		{"CGRP preventive", func(r *Request, m *Mentor, w *Weights) {
			r.Treatments, m.Treatments = []string{"preventive:cgrp-antibodies"}, []string{"preventive:cgrp-antibodies"}
		}, []string{"has used a CGRP preventive"}, false},
		{"treatments grouped by verb", func(r *Request, m *Mentor, w *Weights) {
			r.Treatments = []string{"acute:triptans", "preventive:botox", "preventive:cgrp-antibodies", "rescue-plan"}
			m.Treatments = []string{"rescue-plan", "preventive:cgrp-antibodies", "preventive:botox", "acute:triptans"}
		}, []string{"has used triptans and a CGRP preventive", "has had Botox for migraine", "has made a rescue plan"}, false},
		{"treatments not in the table", func(r *Request, m *Mentor, w *Weights) {
			r.Treatments = []string{"preventive:flunarizine", "acute:ice-packs", "yoga"}
			m.Treatments = r.Treatments
		}, []string{"has used flunarizine as a preventive, ice packs for attacks and yoga"}, false},
		{"topics", func(r *Request, m *Mentor, w *Weights) {
			r.Topics, m.Topics = []string{"starting-treatment", "work", "parenting"}, []string{"work", "starting-treatment"}
		}, []string{"can talk about starting treatment and migraine at work"}, false},
		{"common hours", func(r *Request, m *Mentor, w *Weights) {
			r.UTCOffsetMinutes, m.UTCOffsetMinutes = -300, -300
			r.Availability = evenings
			m.Availability = evenings
			m.Availability.SetLocal(-300, time.Friday, 9)
		}, []string{"free at the same times 3 hours a week"}, false},
		{"one common hour", func(r *Request, m *Mentor, w *Weights) {
			r.Availability.Set(10)
			m.Availability.Set(10)
		}, []string{"free at the same times 1 hour a week"}, false},
		{"half-hour time zone", func(r *Request, m *Mentor, w *Weights) {
			r.UTCOffsetMinutes, m.UTCOffsetMinutes = 330, 480
		}, []string{"2½ hours apart"}, false},
		{"half an hour apart", func(r *Request, m *Mentor, w *Weights) {
			r.UTCOffsetMinutes, m.UTCOffsetMinutes = 330, 300
		}, []string{"half an hour apart"}, false},
		{"Nepal", func(r *Request, m *Mentor, w *Weights) {
			r.UTCOffsetMinutes, m.UTCOffsetMinutes = 345, 480
		}, []string{"2 hours 15 minutes apart"}, false},
		{"across the date line", func(r *Request, m *Mentor, w *Weights) {
			r.UTCOffsetMinutes, m.UTCOffsetMinutes = 14*60, -11*60
		}, []string{"1 hour apart"}, false},
		{"far apart is not a reason", func(r *Request, m *Mentor, w *Weights) {
			r.UTCOffsetMinutes, m.UTCOffsetMinutes = -480, 60
		}, []string{"both live with chronic migraine", "speaks English", "has lived with migraine for 5 years"}, true},
		{"regional language code", func(r *Request, m *Mentor, w *Weights) {
			r.Languages, m.Languages = []string{"pt-BR", "en"}, []string{"en", "pt-BR"}
		}, []string{"speaks Portuguese and English"}, false},
		{"unknown language code", func(r *Request, m *Mentor, w *Weights) {
			r.Languages, m.Languages = []string{"xx"}, []string{"xx"}
		}, []string{"speaks xx"}, false},
		{"types not in the table", func(r *Request, m *Mentor, w *Weights) {
			r.Types, m.Types = []string{"ocular", "cluster"}, []string{"cluster", "ocular"}
		}, []string{"both live with ocular migraine and cluster headache"}, false},
		{"a factor weighted 0 is not a reason", func(r *Request, m *Mentor, w *Weights) {
			w.Type, w.Experience, w.TimeZone = 0, 0, 0
		}, []string{"speaks English"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, m, w := request("r"), mentor("m"), DefaultWeights()
			c.change(&r, &m, &w)
			got := Suggest(r, []Mentor{m}, w, testNow, 1)
			if len(got) != 1 {
				t.Fatalf("not suggested (%s)", Check(r, m, testNow).Words())
			}
			reasons := got[0].Reasons
			if c.exact {
				if !slices.Equal(reasons, c.want) {
					t.Errorf("reasons %q, want exactly %q", reasons, c.want)
				}
				return
			}
			for _, want := range c.want {
				if !slices.Contains(reasons, want) {
					t.Errorf("reasons %q, want one to be %q", reasons, want)
				}
			}
		})
	}
}

func TestBatchPairsHaveReasons(t *testing.T) {
	r, m := request("r"), mentor("m")
	r.Treatments, m.Treatments = []string{"acute:gepants"}, []string{"acute:gepants"}
	a := AssignBatch([]Request{r}, []Mentor{m}, DefaultWeights(), testNow)
	if a.Matched != 1 || !slices.Contains(a.Pairs[0].Reasons, "has used gepants") {
		t.Errorf("got %+v", a)
	}
}

func TestJoinWords(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := joinWords(c.in); got != c.want {
			t.Errorf("joinWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
