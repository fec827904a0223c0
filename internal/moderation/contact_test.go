package moderation

import "testing"

func TestContactDetails(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"my email is wren.k@example.com", true},
		{"write to wren at gmail dot com", true},
		{"call 07700 900 123 after school", true},
		{"+44 (0)20 7946 0958", true},
		{"see www.example.org for more", true},
		{"my insta is wrenk_", true},
		{"add me on snapchat", true},
		{"find me @wren_draws", true},
		{"whatsapp me", true},
		{"dm me", true},
		{"I took 400 mg of ibuprofen at 3pm", false},
		{"it lasted 72 hours, 3 days in a row", false},
		{"I sat with my mum at the doctor's", false},
		{"the dark room helped, thank you", false},
		{"2024 was a rough year", false},
	}
	for _, c := range cases {
		if got := containsContactDetails(c.text); got != c.want {
			t.Errorf("containsContactDetails(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
