package realtime

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/coder/websocket"

	"quietroom/internal/realtime/conversation"
)

// Close codes the hub uses besides the standard ones. 4xxx codes tell the
// client what to do next; docs/protocol.md lists them.
const (
	// CloseSlowConsumer: the client did not read fast enough and its send
	// queue overflowed. Reconnect and resume with the last sequence seen.
	CloseSlowConsumer websocket.StatusCode = 4001
	// CloseResume: the server could not keep this connection in order
	// (it fell too far behind). Reconnect and resume.
	CloseResume websocket.StatusCode = 4002
	// CloseSessionEnded: the session was revoked or expired: sign in again.
	CloseSessionEnded websocket.StatusCode = 4003
	// CloseTooManyConnections: the member already has MaxConnsPerMember
	// sockets open on this instance; the newest one is closed. Close
	// another tab or device; do not reconnect in a loop.
	CloseTooManyConnections websocket.StatusCode = 4004
	// CloseGoingAway: this instance is shutting down: reconnect (another
	// instance will answer) and resume.
	CloseGoingAway = websocket.StatusGoingAway
)

// Client frame types.
const (
	FrameSubscribe   = "subscribe"
	FrameUnsubscribe = "unsubscribe"
	FrameSend        = "send"
	FrameTyping      = "typing"
	FramePing        = "ping"
)

// ClientFrame is every client-to-server frame.
type ClientFrame struct {
	Type string `json:"type"`
	// Conversation is the conversation's address: "group:{slug}" or
	// "mentorship:{id}".
	Conversation string `json:"conversation,omitempty"`
	// Group is the older way to name one: a group's slug (or an address,
	// or the deprecated "mentorship-{id}"). Either field will do.
	Group string `json:"group,omitempty"`
	// At is the conversation the frame names, read from either field.
	At conversation.Address `json:"-"`
	// Since is the last sequence the client has for Group; omitted means
	// "no replay, live from now".
	Since *int64 `json:"since,omitempty"`
	// ClientID makes sends idempotent: resending it never posts twice.
	ClientID string  `json:"client_id,omitempty"`
	Text     *string `json:"text,omitempty"`
}

// FrameError is a protocol error reported in an error frame; the
// connection stays open.
type FrameError struct {
	Code    string
	Message string
}

func (e *FrameError) Error() string { return e.Code + ": " + e.Message }

// Frame error codes.
const (
	ErrBadFrame         = "bad_frame"
	ErrInvalidUTF8      = "invalid_utf8"
	ErrUnknownType      = "unknown_type"
	ErrMissingField     = "missing_field"
	ErrTextTooLong      = "text_too_long"
	ErrEmptyText        = "empty_text"
	ErrNotFound         = "not_found"
	ErrForbidden        = "forbidden"
	ErrNotSubscribed    = "not_subscribed"
	ErrAlreadySubscribe = "already_subscribed"
	ErrRateLimited      = "rate_limited"
	ErrMuted            = "muted"
	ErrLurking          = "lurking"
	ErrStoreUnavailable = "store_unavailable"
	ErrInternal         = "internal"
)

// MaxClientIDLen bounds client ids; a UUID is 36.
const MaxClientIDLen = 64

// DecodeClientFrame parses and checks one client frame. It never panics on
// any input (a fuzz target holds it to that).
func DecodeClientFrame(data []byte) (ClientFrame, *FrameError) {
	var f ClientFrame
	if !utf8.Valid(data) {
		return f, &FrameError{ErrInvalidUTF8, "frames must be valid UTF-8 text"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return ClientFrame{}, &FrameError{ErrBadFrame, "a frame must be one JSON object of the documented form: " + trimErr(err)}
	}
	if dec.More() {
		return ClientFrame{}, &FrameError{ErrBadFrame, "send one JSON object per frame"}
	}
	if len(f.Group) > 200 || strings.ContainsFunc(f.Group, isControl) {
		return f, &FrameError{ErrBadFrame, "group must be a group's slug: printable text of at most 200 bytes"}
	}
	if fe := f.address(); fe != nil {
		return f, fe
	}
	switch f.Type {
	case FrameSubscribe, FrameUnsubscribe, FrameTyping:
		if f.At.IsZero() {
			return f, &FrameError{ErrMissingField, "conversation is required (or group, its older spelling)"}
		}
		if f.Since != nil && *f.Since < 0 {
			return f, &FrameError{ErrBadFrame, "since must be 0 or more"}
		}
	case FrameSend:
		switch {
		case f.At.IsZero():
			return f, &FrameError{ErrMissingField, "conversation is required (or group, its older spelling)"}
		case f.ClientID == "":
			return f, &FrameError{ErrMissingField, "client_id is required"}
		case len(f.ClientID) > MaxClientIDLen || strings.ContainsFunc(f.ClientID, func(r rune) bool { return r < 0x21 || r > 0x7e }):
			return f, &FrameError{ErrBadFrame, "client_id must be 1 to 64 printable ASCII characters"}
		case f.Text == nil:
			return f, &FrameError{ErrMissingField, "text is required"}
		}
	case FramePing:
	case "":
		return f, &FrameError{ErrMissingField, "type is required"}
	default:
		return f, &FrameError{ErrUnknownType, "unknown frame type " + truncate(f.Type, 32)}
	}
	return f, nil
}

// address reads the conversation a frame names from either of its fields;
// when both are given they must agree.
func (f *ClientFrame) address() *FrameError {
	var fromGroup conversation.Address
	if f.Group != "" {
		a, err := conversation.FromGroupField(f.Group)
		if err != nil {
			return &FrameError{ErrBadFrame, err.Error()}
		}
		fromGroup = a
	}
	if f.Conversation == "" {
		f.At = fromGroup
		return nil
	}
	a, err := conversation.Parse(f.Conversation)
	if err != nil {
		return &FrameError{ErrBadFrame, err.Error()}
	}
	if !fromGroup.IsZero() && fromGroup != a {
		return &FrameError{ErrBadFrame, "conversation and group name different conversations: send one of them"}
	}
	f.At = a
	return nil
}

// isControl reports C0 and C1 control characters other than tab, line
// feed and carriage return: NUL cannot even be stored (PostgreSQL text
// refuses it), and none of them means anything in a chat message.
func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f
}

func trimErr(err error) string { return truncate(strings.TrimPrefix(err.Error(), "json: "), 120) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// errorFrame reports e about the conversation f names (as the client named
// it, when the name could not be read).
func errorFrame(f ClientFrame, ref string, e *FrameError) []byte {
	ev := Event{Type: TypeError, Group: f.Group, Conversation: f.Conversation, ClientID: ref, Code: e.Code, Message: e.Message}
	if !f.At.IsZero() {
		ev.Group, ev.Conversation = f.At.GroupField(), f.At.String()
	}
	b, _ := json.Marshal(ev)
	return b
}
