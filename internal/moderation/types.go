package moderation

import (
	"context"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
)

// Item is one message under review. Flags, screening and the posting
// policy all add to the same item, so a message is reviewed once.
type Item struct {
	ID        string `json:"id"`
	TenantID  string `json:"-"`
	GroupID   string `json:"-"`
	GroupSlug string `json:"group"`
	// Conversation is the item's conversation by address (group:{slug},
	// mentorship:{id}); GroupSlug is its older spelling.
	Conversation string `json:"conversation"`
	MessageID    string `json:"message_id"`
	AuthorID     string `json:"author_id"`
	AuthorName   string `json:"author_name"`
	Excerpt      string `json:"text"`
	Held         bool   `json:"held"`
	HeldByPolicy bool   `json:"held_by_policy"`
	Crisis       bool   `json:"crisis"`
	Severity     int    `json:"severity"` // 0 none, 1 low, 2 medium, 3 high
	Categories   string `json:"-"`        // space-separated screening categories and flag reasons
	Matches      string `json:"-"`        // JSON of the screening matches
	FlagCount    int    `json:"flag_count"`
	// FlagWeight sums the flags, each weighted by its reporter's standing.
	FlagWeight     int        `json:"flag_weight"`
	Status         string     `json:"status"`
	Resolution     string     `json:"resolution,omitempty"`
	ResolutionNote string     `json:"resolution_note,omitempty"`
	ResolvedBy     string     `json:"-"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
	ClaimedBy      string     `json:"claimed_by,omitempty"`
	ClaimedByName  string     `json:"claimed_by_name,omitempty"`
	ClaimExpiresAt *time.Time `json:"claim_expires_at,omitempty"`
	Version        int        `json:"version"`
	// Escalated items are for admins only.
	Escalated bool `json:"escalated"`
	// Appeal is the author's words against a removal; the item is then
	// pending again, for anyone but FirstResolvedBy.
	Appeal          string     `json:"appeal,omitempty"`
	AppealedAt      *time.Time `json:"appealed_at,omitempty"`
	FirstResolvedBy string     `json:"-"`
	// RepeatCount is how many messages this item stands for: repeats of
	// the same rule by the same author within the repeat window join the
	// first one's item (their ids in RepeatIDs) instead of opening their
	// own. Actions apply to all of them.
	RepeatCount  int        `json:"repeat_count" gorm:"default:1"`
	RepeatIDs    string     `json:"-"` // space-separated message ids after the first
	BurstKey     string     `json:"-"` // group, author, rules and hold: what repeats share; empty once resolved
	LastRepeatAt *time.Time `json:"last_repeat_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

func (Item) TableName() string { return "moderation_items" }

// conversation is what the item's actions apply to. Items stored before
// addresses whose conversation no migration could place (its group or
// mentorship is gone) fall back to the older spelling.
func (it Item) conversation() conversation.Conversation {
	at, err := conversation.Parse(it.Conversation)
	if err != nil {
		at, _ = conversation.FromGroupField(it.GroupSlug)
	}
	return conversation.Conversation{ID: it.GroupID, TenantID: it.TenantID, Kind: at.Kind, Key: at.Key}
}

// Item statuses and resolutions.
const (
	StatusPending  = "pending"
	StatusResolved = "resolved"

	ActionApprove = "approve" // release a held message; dismiss flags
	ActionRemove  = "remove"  // tombstone the message, or drop it if held
	ActionDismiss = "dismiss" // nothing wrong: close the item
)

// Flag is one member's report of one message.
type Flag struct {
	ID         string     `json:"id"`
	TenantID   string     `json:"-"`
	ItemID     string     `json:"-"`
	MessageID  string     `json:"message_id"`
	ReporterID string     `json:"-"`
	Reason     string     `json:"reason"`
	Note       string     `json:"note,omitempty"`
	Outcome    string     `json:"outcome"` // "pending", then the item's resolution
	CreatedAt  time.Time  `json:"created_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	// Notice tells the reporter, when it is so, that no moderator can
	// decide the item now (not stored).
	Notice string `json:"notice,omitempty" gorm:"-"`
}

func (Flag) TableName() string { return "moderation_flags" }

// Flag reasons a member may give.
const (
	ReasonMisinformation = "misinformation"
	ReasonHarassment     = "harassment"
	ReasonShaming        = "shaming"
	ReasonCrisis         = "crisis"
	ReasonSpam           = "spam"
	ReasonPrivacy        = "privacy"
	ReasonOther          = "other"
)

// FlagReasons lists the reasons with the words members see.
func FlagReasons() []struct{ Key, Label string } {
	return []struct{ Key, Label string }{
		{ReasonMisinformation, "Medical misinformation"},
		{ReasonHarassment, "Harassment"},
		{ReasonShaming, "Medical shaming or stigma"},
		{ReasonCrisis, "Someone may be in crisis or at risk"},
		{ReasonSpam, "Spam or selling"},
		{ReasonPrivacy, "Someone's personal details"},
		{ReasonOther, "Something else (say what)"},
	}
}

// AuditEntry is one line of the append-only moderation log.
type AuditEntry struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor_id"`   // empty for the automatic screener
	ActorName string    `json:"actor_name"` // "screening" for the screener
	Action    string    `json:"action"`
	ItemID    string    `json:"item_id,omitempty"`
	SubjectID string    `json:"subject_id,omitempty"` // the member acted on
	Why       string    `json:"why,omitempty"`
	Before    string    `json:"before,omitempty"`
	After     string    `json:"after,omitempty"`
}

func (AuditEntry) TableName() string { return "moderation_audit" }

// Message is a conversation message as moderation sees it.
type Message struct {
	ID         string    `json:"id"`
	Seq        int64     `json:"seq"` // 0 while held
	AuthorID   string    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
	Held       bool      `json:"held"`
	Removed    bool      `json:"removed"`
}

// Messages is what moderation needs from the conversations (the
// real-time service implements it; cmd/hub passes it in).
type Messages interface {
	// Message finds a message, delivered or held, in a group.
	Message(ctx context.Context, tenantID, groupID, messageID string) (Message, error)
	// Around returns up to n delivered messages either side of seq.
	Around(ctx context.Context, tenantID, groupID string, seq int64, n int) ([]Message, error)
	Remove(ctx context.Context, tenantID string, c conversation.Conversation, messageID, reason string) error
	Release(ctx context.Context, tenantID string, c conversation.Conversation, heldID string) error
	Reject(ctx context.Context, tenantID, heldID string) error
	// Restore brings a removed message back with its text (undo, appeal).
	Restore(ctx context.Context, tenantID string, c conversation.Conversation, messageID, text string) error
	// Post adds a message from a moderator (a correction) to the group.
	Post(ctx context.Context, p *accounts.Principal, c conversation.Conversation, text string) error
}

// Articles lets a correction point to the library.
type Articles interface {
	// ArticleTitle returns the title of an article the tenant's members can read.
	ArticleTitle(ctx context.Context, tenantID, slug string) (string, error)
}

// Notifier reaches members who are connected right now.
type Notifier interface {
	// Notify sends an ephemeral event of kind ("notice", "moderation") to
	// the members' open connections.
	// at names the conversation concerned (zero: none).
	Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message string, at conversation.Address, itemID string)
}
