package mentoring

import (
	"slices"
	"strings"
)

// Choice is one value of a list members pick from, with its words.
type Choice struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// MigraineTypes are the types a mentor lives with or a mentee asks about;
// the keys are the groups' diagnosis strings.
func MigraineTypes() []Choice {
	return []Choice{
		{"without-aura", "Migraine without aura"}, {"with-aura", "Migraine with aura"}, {"chronic", "Chronic migraine"},
		{"menstrual", "Menstrual migraine"}, {"vestibular", "Vestibular migraine"}, {"hemiplegic", "Hemiplegic migraine"},
		{"retinal", "Retinal migraine"}, {"silent", "Silent migraine"}, {"abdominal", "Abdominal migraine"},
		{"brainstem-aura", "Migraine with brainstem aura"},
	}
}

// Treatments are kinds of treatment experience, grouped by the prefix.
func Treatments() []Choice {
	return []Choice{
		{"acute:pain-relievers", "Pain relievers (acute)"}, {"acute:triptans", "Triptans (acute)"},
		{"acute:gepants", "Gepants (acute)"}, {"acute:ditans", "Ditans (acute)"},
		{"preventive:cgrp-antibodies", "CGRP antibodies (preventive)"}, {"preventive:anti-seizure", "Anti-seizure medicines (preventive)"},
		{"preventive:blood-pressure", "Blood-pressure medicines (preventive)"}, {"preventive:antidepressants", "Antidepressants (preventive)"},
		{"preventive:botox", "Botox (preventive)"}, {"neuromodulation", "Neuromodulation devices"}, {"rescue-plan", "A rescue plan"},
	}
}

// Topics are what a mentee wants help with.
func Topics() []Choice {
	return []Choice{
		{"new-diagnosis", "A new diagnosis"}, {"starting-treatment", "Starting a treatment"}, {"work", "Work"},
		{"school", "School"}, {"parenting", "Parenting"}, {"navigating-care", "Navigating care"},
		{"emergency-planning", "Emergency planning"},
	}
}

// Languages members can be matched in.
func Languages() []Choice {
	return []Choice{
		{"en", "English"}, {"es", "Spanish"}, {"fr", "French"}, {"de", "German"}, {"pt", "Portuguese"}, {"it", "Italian"},
		{"nl", "Dutch"}, {"pl", "Polish"}, {"ar", "Arabic"}, {"hi", "Hindi"}, {"zh", "Chinese"}, {"uk", "Ukrainian"},
	}
}

// pick checks a member's choices against a list: every value known, no
// duplicates, at least min. It returns them in the list's order.
func pick(values []string, from []Choice, min int) ([]string, string) {
	var out []string
	for _, c := range from {
		if slices.Contains(values, c.Key) {
			out = append(out, c.Key)
		}
	}
	for _, v := range values {
		if !slices.ContainsFunc(from, func(c Choice) bool { return c.Key == v }) {
			return nil, "has an unknown value " + quote(v)
		}
	}
	if len(out) < min {
		return nil, "choose at least one"
	}
	return out, ""
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40]
	}
	return "\"" + s + "\""
}

func join(ws []string) string { return strings.Join(ws, " ") }

// checkAvailability accepts 168 characters of 0 and 1 (UTC hours of the
// week from Monday 00:00) with at least one free hour.
func checkAvailability(a string) string {
	if len(a) != 168 || strings.Trim(a, "01") != "" {
		return "must be 168 hours, each 0 or 1"
	}
	if !strings.Contains(a, "1") {
		return "give at least one hour when you are free"
	}
	return ""
}
