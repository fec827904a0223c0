package realtime

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
)

// Directory tells the real-time service who may read and post in which
// conversation; conversation.Directory implements it over groups and
// mentorships.
type Directory interface {
	Resolve(ctx context.Context, p *accounts.Principal, a conversation.Address) (conversation.Access, error)
}

// SendGate knows which members are muted or suspended; moderation
// implements it. A zero until means the member may post.
type SendGate interface {
	BlockedUntil(ctx context.Context, tenantID, groupID, userID string) (until time.Time, message string, err error)
}

// Screener looks at every message before it is stored; moderation
// implements it with its rules. Review is told, after the message is stored
// or held, about each one whose verdict asks for a moderator.
type Screener interface {
	Screen(ctx context.Context, p *accounts.Principal, c conversation.Conversation, text string) (Verdict, error)
	Review(ctx context.Context, p *accounts.Principal, c conversation.Conversation, r Review) error
}

// Members looks up a member's account as it is now; accounts implements
// it. A connection reloads its member's roles from it after they change
// (see Conn.principalNow), so a member made moderator, or no longer one,
// is treated as such on a socket opened before.
type Members interface {
	User(ctx context.Context, tenantID, userID string) (*accounts.User, error)
}

// Verdict is what screening decided about one message.
type Verdict struct {
	// Hold keeps the message from the group until a moderator approves it.
	Hold bool
	// Queue lets it through and asks a moderator to look.
	Queue bool
	// Crisis puts it first in the queue; it is never held for that reason.
	Crisis bool
	// Notice, when set, is said privately to the author at once.
	Notice string
	// Detail is whatever the screener wants back in Review.
	Detail any
}

// Review is a message a moderator should see, with why.
type Review struct {
	MessageID string
	Text      string
	Held      bool
	// HeldByPolicy: the group's posting policy held it (not screening).
	HeldByPolicy bool
	Verdict      Verdict
}

// sendRights is what a member may do in a group as of one moment. A
// subscription keeps it, and the hub drops subscriptions whose rights
// change (AccessChanged), so sends need not look it up again.
type sendRights struct {
	access       conversation.Access
	blockedUntil time.Time
	blockedWhy   string
}

// rights looks up p's rights in a conversation.
func (s *Service) rights(ctx context.Context, p *accounts.Principal, at conversation.Address) (sendRights, error) {
	access, err := s.dir.Resolve(ctx, p, at)
	if err != nil {
		return sendRights{}, err
	}
	r := sendRights{access: access}
	if s.gate != nil && access.CanPost {
		if r.blockedUntil, r.blockedWhy, err = s.gate.BlockedUntil(ctx, p.Tenant.ID, access.Conversation.ID, p.User.ID); err != nil {
			return sendRights{}, err
		}
	}
	return r, nil
}

// ServiceConfig bounds what members send.
type ServiceConfig struct {
	MaxTextRunes int
	// SendRate and SendBurst are each member's token bucket on one
	// instance: SendBurst messages at once, refilled at SendRate a second.
	SendRate  rate.Limit
	SendBurst int
}

func DefaultServiceConfig() ServiceConfig {
	return ServiceConfig{MaxTextRunes: 4000, SendRate: 1, SendBurst: 10}
}

// Service is the real-time domain: members sending, editing and reading
// conversation messages, screened, with fan-out through the hub. What
// moderators do to messages is its Publisher's.
type Service struct {
	*Publisher
	dir     Directory
	gate    SendGate
	screen  Screener
	members Members
	cfg     ServiceConfig

	limitMu  sync.Mutex
	limiters map[string]*rate.Limiter
	now      func() time.Time
}

// NewService builds the service on pub. Every send passes through screen
// first (moderation's rules; nil: only the posting policy applies, and
// policy holds are refused, as nobody could approve them). members
// reloads a connected member's roles after they change (nil: a connection
// keeps the roles it opened with).
func NewService(pub *Publisher, dir Directory, gate SendGate, screen Screener, members Members, cfg ServiceConfig) *Service {
	return &Service{Publisher: pub, dir: dir, gate: gate, screen: screen, members: members, cfg: cfg,
		limiters: map[string]*rate.Limiter{}, now: pub.store.now}
}

// allow takes a token from the member's bucket.
func (s *Service) allow(tenantID, userID string) bool {
	key := tenantID + "/" + userID
	s.limitMu.Lock()
	defer s.limitMu.Unlock()
	l := s.limiters[key]
	if l == nil {
		if len(s.limiters) > 50000 {
			// Forget members whose buckets are full again: they lose nothing.
			for k, v := range s.limiters {
				if v.Tokens() >= float64(s.cfg.SendBurst) {
					delete(s.limiters, k)
				}
			}
		}
		l = rate.NewLimiter(s.cfg.SendRate, s.cfg.SendBurst)
		s.limiters[key] = l
	}
	return l.Allow()
}

// CheckText validates message text: valid UTF-8, not blank, at most
// MaxTextRunes characters.
func (s *Service) CheckText(text string) *FrameError { return checkText(text, s.cfg.MaxTextRunes) }

func checkText(text string, maxRunes int) *FrameError {
	switch n := utf8.RuneCountInString(text); {
	case !utf8.ValidString(text):
		return &FrameError{ErrInvalidUTF8, "text must be valid UTF-8"}
	case strings.ContainsFunc(text, isControl):
		return &FrameError{ErrBadFrame, "text must not hold control characters such as NUL (tab and line breaks are fine)"}
	case strings.TrimSpace(text) == "":
		return &FrameError{ErrEmptyText, "text is empty"}
	case n > maxRunes:
		return &FrameError{ErrTextTooLong, fmt.Sprintf("text is %d characters; the limit is %d", n, maxRunes)}
	}
	return nil
}

// Send posts text to a group as p. The message is committed with its
// sequence number before anyone is told; the returned Committed is the ack.
// known, when set, is p's current rights in the group (a subscription
// carries them), which spares the lookups.
func (s *Service) Send(ctx context.Context, p *accounts.Principal, at conversation.Address, known *sendRights, clientID, text string) (Committed, error) {
	if fe := s.CheckText(text); fe != nil {
		return Committed{}, fe
	}
	var r sendRights
	if known != nil {
		r = *known
	} else {
		var err error
		if r, err = s.rights(ctx, p, at); err != nil {
			return Committed{}, err
		}
	}
	access := r.access
	conv := access.Conversation
	if !access.CanPost {
		code := ErrForbidden
		if access.Lurking {
			code = ErrLurking
		}
		return Committed{}, &FrameError{code, access.Reason}
	}
	var refusal *FrameError
	switch {
	case s.now().Before(r.blockedUntil):
		refusal = &FrameError{ErrMuted, r.blockedWhy}
	case !s.allow(p.Tenant.ID, p.User.ID):
		refusal = &FrameError{ErrRateLimited, "you are sending faster than the limit: wait a moment"}
	}
	if refusal != nil {
		// A retry of a message already stored gets its original ack even
		// when a limit refuses new sends: retrying never fails or costs.
		// Checked only here, so the common path does not look it up.
		if prev, ok, err := s.store.ByClientID(ctx, p.Tenant.ID, conv.ID, p.User.ID, clientID); err != nil || ok {
			return Committed{Message: prev, Seq: prev.Seq, Duplicate: true}, err
		}
		return Committed{}, refusal
	}
	in := NewMessage{TenantID: p.Tenant.ID, ConversationID: conv.ID, Kind: conv.Kind,
		Address: conv.Address(), AuthorID: p.User.ID, AuthorName: p.User.DisplayName, AuthorRole: access.StaffRole, ClientID: clientID, Text: text}
	review, err := s.decide(ctx, p, conv, text)
	if err != nil {
		return Committed{}, err
	}
	if review.Held {
		return s.hold(ctx, p, conv, in, review)
	}
	c, err := s.store.AppendMessage(ctx, in)
	if err != nil {
		return Committed{}, err
	}
	if !c.Duplicate {
		s.hub.metrics.sent.Inc()
		s.publish(ctx, p.Tenant.ID, conv.ID, StoredEvent{Seq: c.Seq, Payload: c.Payload})
		if review.Verdict.Queue || review.Verdict.Crisis {
			review.MessageID, review.Text = c.Message.ID, text
			s.review(ctx, p, conv, review)
		}
	}
	return c, nil
}

// decide combines the conversation's posting policy and screening into
// what happens to one message. Without a screener, only the policy applies.
func (s *Service) decide(ctx context.Context, p *accounts.Principal, g conversation.Conversation, text string) (Review, error) {
	var r Review
	switch g.Policy.Posting {
	case conversation.PostHoldAll:
		r.Held, r.HeldByPolicy = true, true
	case conversation.PostHoldFirstPosts:
		n, err := s.store.postsBy(ctx, p.Tenant.ID, g.ID, p.User.ID)
		if err != nil {
			return Review{}, err
		}
		r.Held, r.HeldByPolicy = n < int64(g.Policy.HeldPosts), n < int64(g.Policy.HeldPosts)
	}
	if s.screen == nil {
		return r, nil
	}
	v, err := s.screen.Screen(ctx, p, g, text)
	if err != nil {
		return Review{}, fmt.Errorf("screen message: %w", err)
	}
	r.Verdict = v
	if v.Hold {
		r.Held = true
	}
	return r, nil
}

// hold keeps a message back for a moderator. The author gets an ack
// marked held (no sequence number yet) and the message reaches the group
// only if approved. Without a screener to queue it nobody could approve
// it, so then it is refused instead.
func (s *Service) hold(ctx context.Context, p *accounts.Principal, g conversation.Conversation, in NewMessage, review Review) (Committed, error) {
	if s.screen == nil {
		return Committed{}, &FrameError{ErrForbidden, "posts in this group wait for a moderator, and moderation is not running here"}
	}
	// Already approved and delivered: a late retry gets the real ack.
	if prev, ok, err := s.store.ByClientID(ctx, in.TenantID, in.ConversationID, in.AuthorID, in.ClientID); err != nil || ok {
		return Committed{Message: prev, Seq: prev.Seq, Duplicate: true}, err
	}
	h, dup, err := s.store.holdMessage(ctx, in)
	if err != nil {
		return Committed{}, err
	}
	held := Committed{Message: Message{ID: h.ID, ClientID: h.ClientID, CreatedAt: h.CreatedAt}, Held: true, Duplicate: dup}
	if dup {
		return held, nil
	}
	review.MessageID, review.Text = h.ID, in.Text
	if err := s.screen.Review(ctx, p, g, review); err != nil {
		// A hold nobody can see would never be approved: undo it, and the
		// client retries with the same client id.
		if rerr := s.store.rejectHeld(context.WithoutCancel(ctx), in.TenantID, h.ID); rerr != nil {
			s.log.Error("could not undo a hold whose review failed", "message", h.ID, "err", rerr)
		}
		return Committed{}, fmt.Errorf("queue held message: %w", err)
	}
	s.notifyAuthor(ctx, p, g, review.Verdict)
	return held, nil
}

// review queues a delivered message for a moderator. The message is
// already acked and delivered, so a failure here is logged, not returned.
func (s *Service) review(ctx context.Context, p *accounts.Principal, g conversation.Conversation, r Review) {
	if err := s.screen.Review(ctx, p, g, r); err != nil {
		s.log.Error("could not queue a message for review", "message", r.MessageID, "err", err)
	}
	s.notifyAuthor(ctx, p, g, r.Verdict)
}

// notifyAuthor says the screener's private notice to the author, on every
// instance where they are connected.
func (s *Service) notifyAuthor(ctx context.Context, p *accounts.Principal, g conversation.Conversation, v Verdict) {
	if v.Notice == "" {
		return
	}
	code := "notice"
	if v.Crisis {
		code = "crisis_support"
	}
	s.hub.Notify(ctx, p.Tenant.ID, []string{p.User.ID}, Event{Type: TypeNotice, Group: g.Address().GroupField(), Conversation: g.Address().String(), Code: code, Message: v.Notice})
}

// Typing tells the conversation that p is typing (throttled by the caller).
func (s *Service) Typing(ctx context.Context, p *accounts.Principal, access conversation.Access) {
	at := access.Conversation.Address()
	s.hub.publishEphemeral(ctx, p.Tenant.ID, access.Conversation.ID, Event{Type: TypeTyping, Group: at.GroupField(), Conversation: at.String(),
		Author: &Author{ID: p.User.ID, Name: p.User.DisplayName}})
}

// HistoryMessage is one message in a history page.
type HistoryMessage struct {
	ID        string     `json:"id"`
	Seq       int64      `json:"seq"`
	Author    Author     `json:"author"`
	Text      string     `json:"text"`
	At        time.Time  `json:"at"`
	EditedAt  *time.Time `json:"edited_at,omitempty"`
	Removed   bool       `json:"removed"`
	RemovedAt *time.Time `json:"removed_at,omitempty"`
	// Deleted: removed by its author (Removed is true too).
	Deleted bool `json:"deleted,omitempty"`
}

// HistoryPage is a page of history, newest first.
type HistoryPage struct {
	Messages []HistoryMessage `json:"messages"`
	Head     int64            `json:"head"`
	// NextBefore is the value of ?before= for the next (older) page; 0
	// when there is none.
	NextBefore int64 `json:"next_before"`
}

// History pages a group's messages backwards by sequence.
func (s *Service) History(ctx context.Context, p *accounts.Principal, at conversation.Address, before int64, limit int) (HistoryPage, error) {
	access, err := s.dir.Resolve(ctx, p, at)
	if err != nil {
		return HistoryPage{}, err
	}
	if !access.CanRead {
		return HistoryPage{}, apperr.Forbidden("%s", access.Reason)
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	ms, err := s.store.History(ctx, p.Tenant.ID, access.Conversation.ID, before, limit)
	if err != nil {
		return HistoryPage{}, err
	}
	head, err := s.store.Head(ctx, p.Tenant.ID, access.Conversation.ID)
	if err != nil {
		return HistoryPage{}, err
	}
	page := HistoryPage{Messages: make([]HistoryMessage, len(ms)), Head: head}
	for i, m := range ms {
		page.Messages[i] = historyMessage(m)
	}
	if len(ms) == limit && ms[len(ms)-1].Seq > 1 {
		page.NextBefore = ms[len(ms)-1].Seq
	}
	return page, nil
}
