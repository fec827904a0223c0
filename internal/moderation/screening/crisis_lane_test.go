package screening

import (
	"strings"
	"testing"
)

// The misses the issue lists, paraphrases of them, and obfuscated
// spellings: each must raise the crisis lane.
var crisisCases = []string{
	// Self-harm and suicide, any tense that is not clearly past.
	"I've started cutting again",
	"started cutting myself again last week and I can't stop",
	"thinking about overdosing on my sumatriptan and the amitriptyline together",
	"been thinking of overdosing on my meds",
	"su1c1de is the only way out",
	"suicide feels like the only way out at this point",
	"if the pain doesn't ease I'm going to end it tonight",
	"if this attack doesn't stop by morning I'll end it",
	"I'm not going to pretend, I want to die",
	"I'm not okay. I want to die",
	"is it normal to want to die during an attack?",
	"I don't want to wake up tomorrow",
	"i want to k i l l myself",
	"i want to k.i.l.l myself",
	"ｉ ｗａｎｔ ｔｏ ｄｉｅ",
	"going to take all my pills tonight",
	"s u i c i d a l again today",
	"kms tonight honestly",
	// Someone else's crisis.
	"my daughter says she wants to die",
	"my son told me he wants to kill himself",
	"my best friend has been self harming and I don't know what to do",
	"she keeps saying she wants to die and I'm scared",
	// Red flags.
	"I suddenly lost the sight in one eye an hour ago",
	"sudden loss of vision in my left eye, is this aura?",
	"stiff neck with a fever and a rash",
	"she has a fever and her neck is stiff",
	"half my face is numb and my hand is weak",
	"half of my face went numb and my hand feels weak",
	"first ever crushing headache at 58",
	"I'm 58 and just had my first ever crushing headache",
	"worsening headache with vomiting after a fall",
	"he fell and hit his head and now he's vomiting",
	"sudden worst headache of my life, came on in seconds",
	"the worst headache of my life right now",
	"my speech is slurred and my arm is weak",
	"I'm 34 weeks pregnant, bad headache and my ankles are really swollen",
	"pregnant with a pounding head and blurred vision",
}

// Idioms, history, questions and reports that must not raise the crisis
// lane (review at most is allowed for some; none of these may be crisis).
var notCrisisCases = []string{
	"I'm going to end it with my boyfriend",
	"this migraine is killing me",
	"can't do this anymore without my ice pack",
	"I used to think it was just a headache",
	"my first migraine was the worst headache of my life",
	"can aura cause numbness on one side?",
	"the light is killing me today",
	"I could die of embarrassment, I threw up at work",
	"I was diagnosed years ago after slurred speech turned out to be hemiplegic migraine",
	"great news, the new preventive is helping",
}

func TestCrisisLaneRecall(t *testing.T) {
	e := builtinEngine(t)
	for _, text := range crisisCases {
		if r := e.Screen(text); !r.Crisis {
			t.Errorf("%q: no crisis lane (action %q, matches %v)", text, r.Action, ruleIDs(r.Matches))
		}
	}
}

func TestCrisisLaneIdiomsStayOut(t *testing.T) {
	e := builtinEngine(t)
	for _, text := range notCrisisCases {
		if r := e.Screen(text); r.Crisis {
			t.Errorf("%q: crisis lane raised by %v", text, ruleIDs(r.Matches))
		}
	}
}

// A conditional, or a negation outside the self-harm words, never lowers
// them; a negation of the words themselves lowers them to review only.
func TestConditionalAndNegationKeepCrisis(t *testing.T) {
	e := builtinEngine(t)
	for _, text := range []string{
		"if the pain doesn't ease I'm going to end it tonight",
		"I'm not saying this for attention, I want to kill myself",
		"nothing helps and I'm going to end it tonight",
		"if it doesn't stop I will kill myself",
		"if I have one more attack like this I'll kill myself",
		"I don't think I can go on like this anymore",
	} {
		r := e.Screen(text)
		if !r.Crisis {
			t.Errorf("%q: crisis lane not raised: %+v", text, r)
		}
	}
	for _, text := range []string{"I'm not going to hurt myself, I just need to vent", "I'm not suicidal, just exhausted"} {
		if r := e.Screen(text); r.Crisis || r.Action != ActionQueue {
			t.Errorf("%q: crisis %v, action %q; want review (queue), not cleared", text, r.Crisis, r.Action)
		}
	}
}

// Adding benign context around a crisis sentence never clears it.
func TestBenignContextNeverClearsCrisis(t *testing.T) {
	e := builtinEngine(t)
	padding := []string{
		"Thanks everyone for the tips about ice packs last week.",
		"My neurologist appointment is on Tuesday.",
		"I used to love running before all this.",
		"Is anyone else finding the weather brutal?",
		"\"Reminder: drink water,\" my mum said.",
		"Never mind the rain.",
		"If you read this, hi.",
	}
	for _, core := range crisisCases {
		for _, before := range padding {
			for _, after := range padding[:3] {
				text := before + " " + core + ". " + after
				if !e.Screen(text).Crisis {
					t.Errorf("%q cleared the crisis in %q", before+" … "+after, core)
				}
			}
		}
	}
}

func ruleIDs(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.RuleID+"("+string(m.Action)+")")
	}
	return out
}

// Dangerous advice in new words, and endorsed or threatening "quotes".
func TestConceptRulesCatchNewWording(t *testing.T) {
	e := builtinEngine(t)
	cases := []struct {
		text string
		want Category
	}{
		{"come off your preventives whenever you feel good", Misinformation},
		{"honestly just drop the topiramate once you feel better", Misinformation},
		{"Excedrin four times a day, seven days a week", Misinformation},
		{"swallow two more if one doesn't cut it", Misinformation},
		{"go cold turkey off everything including the gabapentin", Misinformation},
		{"you can take a triptan even after a stroke", Misinformation},
		{"stay on the combined pill with aura", Misinformation},
		{"take as many paracetamol as it takes", Misinformation},
		{"my naturopath says the antifungal protocol cures it for good, worked for me", Misinformation},
		{"I'll tell your boss you're a fraud", Harassment},
	}
	for _, c := range cases {
		got := Predict(e, c.text)
		found := false
		for _, g := range got {
			found = found || g == c.want
		}
		if !found {
			t.Errorf("%q: predicted %v, want %s (matches %v)", c.text, got, c.want, ruleIDs(e.Explain(c.text)))
		}
	}
}

// Context that is clear stays benign: debunking, reporting spam, history,
// a clinician's plan.
func TestClearContextStaysBenign(t *testing.T) {
	e := builtinEngine(t)
	for _, text := range []string{
		"has anyone had a spam message offering cheap triptans? I reported it",
		"someone told me to go cold turkey off everything, which is dangerous, please don't",
		"I came off topiramate with my neurologist's taper plan",
		"my doctor said I can stop the propranolol once I've had three good months",
		"I used to take Excedrin every day and it gave me rebound headaches",
		"is it true you can't take triptans after a stroke?",
		"the myth that migraine can be cured for good needs to die",
	} {
		if got := Predict(e, text); len(got) > 0 {
			t.Errorf("%q: predicted %v (matches %v)", text, got, ruleIDs(e.Screen(text).Matches))
		}
	}
	_ = strings.TrimSpace
}
