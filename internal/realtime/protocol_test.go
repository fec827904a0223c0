package realtime

import (
	"strings"
	"testing"
)

func TestDecodeClientFrame(t *testing.T) {
	cases := []struct {
		name, frame, code string
	}{
		{"subscribe", `{"type":"subscribe","group":"chronic","since":4}`, ""},
		{"send", `{"type":"send","group":"chronic","client_id":"c-1","text":"hi"}`, ""},
		{"ping", `{"type":"ping"}`, ""},
		{"no type", `{"group":"chronic"}`, ErrMissingField},
		{"trailing data", `{"type":"ping"} {"type":"ping"}`, ErrBadFrame},
		{"number as group", `{"type":"subscribe","group":7}`, ErrBadFrame},
		{"invalid utf8", "{\"type\":\"ping\",\"group\":\"\xc3\x28\"}", ErrInvalidUTF8},
		{"long client id", `{"type":"send","group":"g","client_id":"` + strings.Repeat("a", 65) + `","text":"x"}`, ErrBadFrame},
		{"subscribe by address", `{"type":"subscribe","conversation":"mentorship:0b7c","since":4}`, ""},
		{"send by address", `{"type":"send","conversation":"group:chronic","client_id":"c-1","text":"hi"}`, ""},
		{"both spellings agree", `{"type":"subscribe","conversation":"group:chronic","group":"chronic"}`, ""},
		{"old mentorship spelling agrees", `{"type":"subscribe","conversation":"mentorship:ab","group":"mentorship-ab"}`, ""},
		{"both spellings differ", `{"type":"subscribe","conversation":"group:chronic","group":"vestibular"}`, ErrBadFrame},
		{"unknown kind", `{"type":"subscribe","conversation":"room:chronic"}`, ErrBadFrame},
		{"slug as address", `{"type":"subscribe","conversation":"chronic"}`, ErrBadFrame},
		{"send naming nothing", `{"type":"send","client_id":"c-1","text":"hi"}`, ErrMissingField},
		{"unknown type is truncated", `{"type":"` + strings.Repeat("z", 500) + `"}`, ErrUnknownType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, fe := DecodeClientFrame([]byte(tc.frame))
			got := ""
			if fe != nil {
				got = fe.Code
				if len(fe.Message) > 200 {
					t.Errorf("error message is %d bytes: errors must stay short", len(fe.Message))
				}
			}
			if got != tc.code {
				t.Fatalf("code %q, want %q (%v)", got, tc.code, fe)
			}
		})
	}
}

// FuzzDecodeClientFrame holds the decoder to never panicking, and to
// accepting only frames whose required fields are present.
func FuzzDecodeClientFrame(f *testing.F) {
	for _, seed := range []string{
		`{"type":"subscribe","group":"chronic","since":4}`,
		`{"type":"send","group":"chronic","client_id":"c-1","text":"hi"}`,
		`{"type":"unsubscribe","group":"g"}`, `{"type":"typing","group":"g"}`, `{"type":"ping"}`,
		`{"type":"subscribe","conversation":"mentorship:ab"}`, `{"type":"send","conversation":"group:g","group":"g","client_id":"c","text":"x"}`,
		`{"type":"send"`, `[]`, `null`, "\xff", `{"type":"send","text":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		frame, fe := DecodeClientFrame(data)
		if fe != nil {
			if fe.Code == "" {
				t.Fatalf("error without a code for %q", data)
			}
			return
		}
		switch frame.Type {
		case FrameSend:
			if frame.At.IsZero() || frame.ClientID == "" || frame.Text == nil || len(frame.ClientID) > MaxClientIDLen {
				t.Fatalf("accepted an incomplete send: %+v", frame)
			}
		case FrameSubscribe, FrameUnsubscribe, FrameTyping:
			if frame.At.IsZero() {
				t.Fatalf("accepted %s naming no conversation", frame.Type)
			}
		case FramePing:
		default:
			t.Fatalf("accepted unknown type %q", frame.Type)
		}
	})
}
