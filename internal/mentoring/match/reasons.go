package match

import (
	"fmt"
	"strings"
)

// Reasons are shown to the mentee, so they say what the two have in
// common in plain words, never a number out of a formula. A factor whose
// weight is 0 is not given as a reason, since it did not count; the
// mentor's load and the mentee's wait are about the queue, not the pair,
// and are left out too.

// The label tables are switches rather than package-level maps so the
// package holds no mutable state.

// typeLabel names a migraine type as a sentence needs it. Types not in the
// table read as their words plus "migraine": "ocular" → "ocular migraine".
func typeLabel(t string) string {
	switch t {
	case "chronic":
		return "chronic migraine"
	case "episodic":
		return "episodic migraine"
	case "with-aura":
		return "migraine with aura"
	case "without-aura":
		return "migraine without aura"
	case "vestibular":
		return "vestibular migraine"
	case "menstrual":
		return "menstrual migraine"
	case "hemiplegic":
		return "hemiplegic migraine"
	case "abdominal":
		return "abdominal migraine"
	case "retinal":
		return "retinal migraine"
	case "silent":
		return "silent migraine"
	case "brainstem-aura":
		return "migraine with brainstem aura"
	case "medication-overuse":
		return "medication overuse headache"
	case "cluster":
		return "cluster headache"
	}
	l := strings.ReplaceAll(t, "-", " ")
	if !strings.Contains(l, "migraine") && !strings.Contains(l, "headache") {
		l += " migraine"
	}
	return l
}

// treatmentLabel is a treatment as "<verb> <object>", so several with the
// same verb read as one phrase: "has used triptans and a CGRP preventive".
type treatmentLabel struct{ verb, object string }

// treatmentWords labels a treatment. Ones not in the table read from their
// kind: "preventive:flunarizine" → "has used flunarizine as a preventive".
func treatmentWords(t string) treatmentLabel {
	switch t {
	case "acute:triptans":
		return treatmentLabel{"has used", "triptans"}
	case "acute:gepants":
		return treatmentLabel{"has used", "gepants"}
	case "acute:ditans":
		return treatmentLabel{"has used", "lasmiditan"}
	case "acute:nsaids":
		return treatmentLabel{"has used", "anti-inflammatories for attacks"}
	case "acute:antiemetics":
		return treatmentLabel{"has used", "anti-sickness medicine"}
	case "preventive:cgrp-antibodies":
		return treatmentLabel{"has used", "a CGRP preventive"}
	case "preventive:gepants":
		return treatmentLabel{"has used", "a gepant as a preventive"}
	case "preventive:beta-blockers":
		return treatmentLabel{"has used", "a beta blocker as a preventive"}
	case "preventive:topiramate":
		return treatmentLabel{"has used", "topiramate"}
	case "preventive:amitriptyline":
		return treatmentLabel{"has used", "amitriptyline"}
	case "preventive:candesartan":
		return treatmentLabel{"has used", "candesartan"}
	case "preventive:botox":
		return treatmentLabel{"has had", "Botox for migraine"}
	case "preventive:nerve-blocks":
		return treatmentLabel{"has had", "nerve blocks"}
	case "neuromodulation":
		return treatmentLabel{"has used", "a neuromodulation device"}
	case "rescue-plan":
		return treatmentLabel{"has made", "a rescue plan"}
	}
	kind, name, ok := strings.Cut(t, ":")
	if !ok {
		return treatmentLabel{"has used", strings.ReplaceAll(t, "-", " ")}
	}
	name = strings.ReplaceAll(name, "-", " ")
	switch kind {
	case "acute":
		return treatmentLabel{"has used", name + " for attacks"}
	case "preventive":
		return treatmentLabel{"has used", name + " as a preventive"}
	}
	return treatmentLabel{"has used", name}
}

// topicLabel names a topic as the object of "can talk about".
func topicLabel(t string) string {
	switch t {
	case "new-diagnosis":
		return "a new diagnosis"
	case "starting-treatment":
		return "starting treatment"
	case "work":
		return "migraine at work"
	case "school":
		return "migraine at school"
	case "parenting":
		return "parenting with migraine"
	case "navigating-care":
		return "finding the right care"
	case "emergency-planning":
		return "planning for emergencies"
	}
	return strings.ReplaceAll(t, "-", " ")
}

// languageLabel names a language code; a regional code ("pt-BR") falls
// back to its language, and an unknown code is shown as it is.
func languageLabel(code string) string {
	if l := languageName(strings.ToLower(code)); l != "" {
		return l
	}
	if base, _, ok := strings.Cut(code, "-"); ok {
		if l := languageName(strings.ToLower(base)); l != "" {
			return l
		}
	}
	return code
}

func languageName(code string) string {
	switch code {
	case "ar":
		return "Arabic"
	case "bn":
		return "Bengali"
	case "ca":
		return "Catalan"
	case "cs":
		return "Czech"
	case "cy":
		return "Welsh"
	case "da":
		return "Danish"
	case "de":
		return "German"
	case "el":
		return "Greek"
	case "en":
		return "English"
	case "es":
		return "Spanish"
	case "fa":
		return "Persian"
	case "fi":
		return "Finnish"
	case "fr":
		return "French"
	case "ga":
		return "Irish"
	case "he":
		return "Hebrew"
	case "hi":
		return "Hindi"
	case "hu":
		return "Hungarian"
	case "id":
		return "Indonesian"
	case "it":
		return "Italian"
	case "ja":
		return "Japanese"
	case "ko":
		return "Korean"
	case "nl":
		return "Dutch"
	case "no":
		return "Norwegian"
	case "pa":
		return "Punjabi"
	case "pl":
		return "Polish"
	case "pt":
		return "Portuguese"
	case "ro":
		return "Romanian"
	case "ru":
		return "Russian"
	case "sv":
		return "Swedish"
	case "sw":
		return "Swahili"
	case "ta":
		return "Tamil"
	case "th":
		return "Thai"
	case "tl":
		return "Tagalog"
	case "tr":
		return "Turkish"
	case "uk":
		return "Ukrainian"
	case "ur":
		return "Urdu"
	case "vi":
		return "Vietnamese"
	case "zh":
		return "Chinese"
	case "asl":
		return "American Sign Language"
	case "bsl":
		return "British Sign Language"
	}
	return ""
}

// reasons says why m suits req, most important first: migraine type,
// treatments, topics, common hours, time zone, language, experience.
func reasons(req *Request, m *Mentor, w *Weights) []string {
	var out []string
	if w.Type > 0 {
		if shared := common(req.Types, m.Types); len(shared) > 0 {
			out = append(out, "both live with "+joinWords(mapWords(shared, typeLabel)))
		}
	}
	if w.Treatment > 0 {
		out = append(out, treatmentReasons(common(req.Treatments, m.Treatments))...)
	}
	if w.Topic > 0 {
		if shared := common(req.Topics, m.Topics); len(shared) > 0 {
			out = append(out, "can talk about "+joinWords(mapWords(shared, topicLabel)))
		}
	}
	if w.Availability > 0 {
		if h := req.Availability.Common(m.Availability); h > 0 {
			out = append(out, "free at the same times "+plural(h, "hour")+" a week")
		}
	}
	if w.TimeZone > 0 {
		// Only a near time zone is a reason; "7 hours apart" is not.
		if d := offsetDistance(req.UTCOffsetMinutes, m.UTCOffsetMinutes); closeness(d, w.TimeZoneHours) >= 0.5 {
			out = append(out, apart(d))
		}
	}
	if shared := common(req.Languages, m.Languages); len(shared) > 0 {
		out = append(out, "speaks "+joinWords(mapWords(shared, languageLabel)))
	}
	if w.Experience > 0 && m.YearsWithMigraine > 0 {
		years := "a year"
		if m.YearsWithMigraine > 1 {
			years = fmt.Sprintf("%d years", m.YearsWithMigraine)
		}
		out = append(out, "has lived with migraine for "+years)
	}
	return out
}

// treatmentReasons groups shared treatments by verb, in the mentee's order.
func treatmentReasons(shared []string) []string {
	var verbs []string
	objects := map[string][]string{}
	for _, t := range shared {
		l := treatmentWords(t)
		if _, ok := objects[l.verb]; !ok {
			verbs = append(verbs, l.verb)
		}
		objects[l.verb] = append(objects[l.verb], l.object)
	}
	out := make([]string, 0, len(verbs))
	for _, v := range verbs {
		out = append(out, v+" "+joinWords(objects[v]))
	}
	return out
}

// apart says how far apart two clocks are: "in the same time zone",
// "1 hour apart", "5½ hours apart", "45 minutes apart".
func apart(minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case minutes == 0:
		return "in the same time zone"
	case h == 0 && m == 30:
		return "half an hour apart"
	case h == 0:
		return plural(m, "minute") + " apart"
	case m == 0:
		return plural(h, "hour") + " apart"
	case m == 30:
		return fmt.Sprintf("%d½ hours apart", h)
	}
	return fmt.Sprintf("%s %s apart", plural(h, "hour"), plural(m, "minute"))
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// common lists the strings of a that b also has, in a's order, once each.
func common(a, b []string) []string {
	var out []string
	for i, s := range a {
		if contains(b, s) && !contains(a[:i], s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mapWords(list []string, label func(string) string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = label(s)
	}
	return out
}

// joinWords joins "a", "a and b", "a, b and c".
func joinWords(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
