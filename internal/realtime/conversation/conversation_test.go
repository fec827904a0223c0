package conversation_test

import (
	"testing"

	"quietroom/internal/realtime/conversation"
)

func TestParseAddress(t *testing.T) {
	cases := []struct {
		in      string
		want    conversation.Address
		wantErr bool
	}{
		{"group:vestibular", conversation.Address{Kind: conversation.Group, Key: "vestibular"}, false},
		{"mentorship:0b7c6f0e-1d2a-4c1e-9f00-2a9d1c3e4b5f", conversation.Address{Kind: conversation.Mentorship, Key: "0b7c6f0e-1d2a-4c1e-9f00-2a9d1c3e4b5f"}, false},
		// The key is everything after the first colon.
		{"group:a:b", conversation.Address{Kind: conversation.Group, Key: "a:b"}, false},
		{"vestibular", conversation.Address{}, true},
		{"mentorship-0b7c", conversation.Address{}, true},
		{"room:vestibular", conversation.Address{}, true},
		{"Group:vestibular", conversation.Address{}, true},
		{"group:", conversation.Address{}, true},
		{":vestibular", conversation.Address{}, true},
		{"group:with space", conversation.Address{}, true},
		{"group:nul\x00", conversation.Address{}, true},
		{"group:" + string(make([]byte, 300)), conversation.Address{}, true},
	}
	for _, tc := range cases {
		got, err := conversation.Parse(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		if err == nil && got.String() != tc.in {
			t.Errorf("Parse(%q).String() = %q: an address must read back as written", tc.in, got.String())
		}
	}
}

// The protocol's older "group" field names a group by slug, takes a full
// address, and still reads the deprecated mentorship spelling; events write
// each address back into it the same way.
func TestGroupFieldReadsSlugsAddressesAndTheOldMentorshipSpelling(t *testing.T) {
	cases := []struct {
		in      string
		want    conversation.Address
		wantErr bool
	}{
		{"vestibular", conversation.Address{Kind: conversation.Group, Key: "vestibular"}, false},
		{"group:vestibular", conversation.Address{Kind: conversation.Group, Key: "vestibular"}, false},
		{"mentorship:abc", conversation.Address{Kind: conversation.Mentorship, Key: "abc"}, false},
		{"mentorship-abc", conversation.Address{Kind: conversation.Mentorship, Key: "abc"}, false},
		// Not a mentorship: no id follows the old prefix.
		{"mentorship-", conversation.Address{Kind: conversation.Group, Key: "mentorship-"}, false},
		{"room:abc", conversation.Address{}, true},
		{"", conversation.Address{}, true},
		{"chro\x00nic", conversation.Address{}, true},
	}
	for _, tc := range cases {
		got, err := conversation.FromGroupField(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("FromGroupField(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
	for _, a := range []conversation.Address{{Kind: conversation.Group, Key: "chronic"}, {Kind: conversation.Mentorship, Key: "abc"}} {
		back, err := conversation.FromGroupField(a.GroupField())
		if err != nil || back != a {
			t.Errorf("%s written as group %q reads back as %+v, %v", a, a.GroupField(), back, err)
		}
	}
}
