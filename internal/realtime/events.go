package realtime

import (
	"encoding/json"
	"time"

	"quietroom/internal/accounts"
)

// Protocol is the WebSocket subprotocol this package speaks; a future
// incompatible protocol gets a new name.
const Protocol = "quietroom.v1"

// Author is how a message's author appears: a pseudonym, or "former
// member" once the account is deleted. Role is the author's staff role in
// the group when the message was sent ("admin" or "moderator"; absent for
// everyone else), which clients mark: the server sets it from the
// author's account, so a look-alike name never carries it.
type Author struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
	// Status, in presence only: "away" for a member who asked for quiet
	// (attack mode; never said as such), absent otherwise.
	Status string `json:"status,omitempty"`
}

// StatusAway is a present member's status while they are in attack mode.
const StatusAway = "away"

// Event is every server-to-client frame. Events with a Seq belong to a
// conversation's durable stream; the rest (acks, presence, typing, errors)
// are ephemeral.
type Event struct {
	Type string `json:"type"`
	// Conversation is the conversation's address ("group:{slug}",
	// "mentorship:{id}"); Group is the older spelling of the same
	// (docs/protocol.md, "Addressing conversations").
	Conversation string `json:"conversation,omitempty"`
	Group        string `json:"group,omitempty"`
	Seq          int64  `json:"seq,omitempty"`

	// message / edited / removed
	ID       string     `json:"id,omitempty"`
	Author   *Author    `json:"author,omitempty"`
	Text     string     `json:"text,omitempty"`
	At       *time.Time `json:"at,omitempty"`
	EditedAt *time.Time `json:"edited_at,omitempty"`
	// MessageSeq is the sequence of the message an edit or removal changes.
	MessageSeq int64  `json:"message_seq,omitempty"`
	Reason     string `json:"reason,omitempty"`

	// ack
	ClientID string `json:"client_id,omitempty"`
	// Held marks the ack of a message that waits for a moderator.
	Held bool `json:"held,omitempty"`

	// subscribed
	Head      int64 `json:"head,omitempty"`
	Replayed  int   `json:"replayed,omitempty"`
	Truncated bool  `json:"truncated,omitempty"`

	// presence
	Online      []Author `json:"online,omitempty"`
	OnlineCount int      `json:"online_count,omitempty"`

	// error, notice, moderation
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// moderation: the queue item that changed
	Item string `json:"item,omitempty"`

	// attack_mode: the member's own attack mode, changed on some device
	AttackMode *accounts.AttackMode `json:"attack_mode,omitempty"`
}

// Event types.
const (
	TypeMessage      = "message"
	TypeEdited       = "edited"
	TypeRemoved      = "removed"
	TypeRestored     = "restored"
	TypeAck          = "ack"
	TypeSubscribed   = "subscribed"
	TypeUnsubscribed = "unsubscribed"
	TypePresence     = "presence"
	TypeTyping       = "typing"
	TypeError        = "error"
	TypePong         = "pong"
	// TypeNotice is a private message from the service to one member
	// (a crisis-support notice); TypeModeration tells moderators that a
	// queue changed.
	TypeNotice     = "notice"
	TypeModeration = "moderation"
	// TypeAttackMode tells every socket of a member that their attack mode
	// changed, so each open tab follows at once.
	TypeAttackMode = "attack_mode"
)

// envelope is what travels through the broker: the routing fields the hub
// needs without decoding the client payload, plus that payload.
type envelope struct {
	Tenant string          `json:"t"`
	Conv   string          `json:"c"`
	Seq    int64           `json:"s,omitempty"` // 0 for ephemeral events
	Event  json.RawMessage `json:"e"`
}
