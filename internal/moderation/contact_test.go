package moderation

import "testing"

// Labelled messages for the contact-detail detector: every form the safety
// review saw delivered to a teen, and benign look-alikes that must pass.
func TestContactDetails(t *testing.T) {
	cases := []struct {
		text string
		want bool
		why  contactReason
	}{
		// Plain forms.
		{"my email is wren.k@example.com", true, reasonEmail},
		{"write to wren at gmail dot com", true, reasonEmail},
		{"call 07700 900 123 after school", true, reasonPhone},
		{"+44 (0)20 7946 0958", true, reasonPhone},
		{"see www.example.org for more", true, reasonWeb},
		{"my insta is wrenk_", true, reasonPlatform},
		{"add me on snapchat", true, reasonPlatform},
		{"find me @wren_draws", true, reasonHandle},
		{"whatsapp me", true, reasonPlatform},
		{"dm me", true, reasonPlatform},
		// Rewritten forms from the review.
		{"mentor.person＠gmail．com", true, reasonEmail},
		{"j a n e @ g m a i l . c o m", true, reasonEmail},
		{"jane.doe at gmail", true, reasonEmail},
		{"jane (at) outlook (dot) com", true, reasonEmail},
		{"text me on 555,123,4567", true, reasonPlatform},
		{"my number: 555/123/4567", true, reasonPlatform},
		{"it's 555_123_4567 x", true, reasonPhone},
		{"５５５１２３４５６７", true, reasonPhone},
		{"555 123 4567", true, reasonPhone},
		{"five five five one two three four five six seven", true, reasonPhone},
		{"it is five five five, one two three, four five six seven", true, reasonPhone},
		{"I'm on the gram as wren.draws", true, reasonPlatform},
		{"s-n-a-p: wrenk", true, reasonPlatform},
		{"my s n a p is wrenk", true, reasonPlatform},
		{"my LINE id is wren22", true, reasonPlatform},
		{"add me on line: wren22", true, reasonPlatform},
		{"my reddit is u/wren_draws", true, reasonHandle},
		{"I'm u/quiet_wren on there", true, reasonHandle},
		{"let's meet at the Costa on High Street, Saturday at 4", true, reasonMeet},
		{"we could meet up at the park after school", true, reasonMeet},
		{"meet me outside the library at 3?", true, reasonMeet},
		{"it would be nice to meet in person sometime", true, reasonMeet},
		{"@Teen19 text me on 555-123-4567 or jane.doe@gmail.com", true, reasonEmail},
		{"Сall mе: 555 123 4567", true, reasonPlatform}, // Cyrillic С and е
		{"hmu on disc0rd", true, reasonPlatform},
		// Benign look-alikes.
		{"I took 400 mg of ibuprofen at 3pm", false, ""},
		{"it lasted 72 hours, 3 days in a row", false, ""},
		{"I sat with my mum at the doctor's", false, ""},
		{"the dark room helped, thank you", false, ""},
		{"2024 was a rough year", false, ""},
		{"my appointment is on 12/03/2025 at 10:30", false, ""},
		{"the neurologist saw me on 2025-03-12 at 9:15", false, ""},
		{"I've had migraines from 2019-2024, worse in winter", false, ""},
		{"I was at the GP at 8 this morning", false, ""},
		{"waiting at the hospital since 6am", false, ""},
		{"I tried 200, 400 and 600 mg over three weeks", false, ""},
		{"2 x 200mg, then 1 x 500mg after 4 hours", false, ""},
		{"about 1,500,000 people in the UK have this", false, ""},
		{"my meeting at work went fine", false, ""},
		{"I met my neurologist for the first time", false, ""},
		{"two or three migraines a week, four if it's bad", false, ""},
		{"the phone signal is weak in the hospital", false, ""},
		{"I saw a video about vestibular rehab", false, ""},
		{"@Finch that sounds so hard, sending strength", false, ""},
		{"I'll be at home all weekend, resting", false, ""},
		{"looking at the sky helps me breathe", false, ""},
		{"my x-ray was clear", false, ""},
		{"dose: 2.5 mg, then 5 mg", false, ""},
		{"oh no, that sounds awful", false, ""},
		{"I waited in line at the pharmacy for an hour", false, ""},
		{"I meet up with my sister on Sundays", false, ""},
	}
	for _, c := range cases {
		got, why := contactDetails(c.text)
		if got != c.want {
			t.Errorf("contactDetails(%q) = %v (%s), want %v (normalised: %q)", c.text, got, why, c.want, readable(c.text))
			continue
		}
		if c.want && why != c.why {
			t.Logf("contactDetails(%q): found %s (labelled %s)", c.text, why, c.why)
		}
	}
}

func TestContactDetailsNumberLists(t *testing.T) {
	for text, want := range map[string]bool{
		"I tried 200, 400, 600 mg": false,
		"call 555, 123, 4567":      true,
		"doses of 100, 150, 200":   false,
	} {
		if got := containsContactDetails(text); got != want {
			t.Errorf("containsContactDetails(%q) = %v, want %v", text, got, want)
		}
	}
}
