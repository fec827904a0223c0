package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"time"

	"quietroom/internal/store"
)

// Notice is one thing a member may be told by mail: a reply, an offer to
// mentor, a decided flag. Notify stores it; it goes out alone or, when
// several arrive close together, in one digest, outside the member's
// quiet hours. Kinds are accounts.MailKinds; a crisis notice is never one
// of them (it is shown in the app, at once).
type Notice struct {
	TenantID string
	UserID   string
	Kind     string
	// Title is one line ("A mentor accepted your request"); Body says the
	// rest in plain words; Path is the page it is about, inside the
	// community ("/mentoring").
	Title string
	Body  string
	Path  string
}

// Member is what notifications need to know about a recipient.
type Member struct {
	Recipient
	// Confirmed: an unconfirmed address receives no notification.
	Confirmed bool
	// Wants reports whether the member wants mails of a kind now.
	Wants func(kind string) bool
	// Quiet reports whether t is in the member's quiet hours.
	Quiet func(t time.Time) bool
}

// Members looks recipients up and issues the one-click unsubscribe tokens
// (accounts owns both); cmd/hub implements it.
type Members interface {
	// NotificationMember returns the member, or ok false when the
	// account is gone; read through tx when it is not nil (a notice
	// queued in the transaction of its event).
	NotificationMember(ctx context.Context, tx *store.Tx, tenantID, userID string) (m Member, ok bool, err error)
	// UnsubscribeToken is written in tx, with the mail that carries it.
	UnsubscribeToken(ctx context.Context, tx *store.Tx, tenantID, userID string, kinds []string) (string, error)
}

// NotifyConfig decides when waiting notices go out.
type NotifyConfig struct {
	// Settle: notices go out once the newest is this old, so a burst
	// becomes one digest.
	Settle time.Duration
	// MaxWait: a steady trickle still goes out once the oldest is this
	// old (outside quiet hours).
	MaxWait time.Duration
	// Poll is how often Run looks.
	Poll time.Duration
}

func DefaultNotifyConfig() NotifyConfig {
	return NotifyConfig{Settle: 2 * time.Minute, MaxWait: 30 * time.Minute, Poll: 30 * time.Second}
}

// Notifications turns notices into mails.
type Notifications struct {
	db      *store.DB
	outbox  *Outbox
	links   Links
	members Members
	cfg     NotifyConfig
	now     func() time.Time
	log     *slog.Logger
}

func NewNotifications(db *store.DB, outbox *Outbox, links Links, members Members, cfg NotifyConfig, now func() time.Time, log *slog.Logger) *Notifications {
	if now == nil {
		now = time.Now
	}
	return &Notifications{db: db, outbox: outbox, links: links, members: members, cfg: cfg, now: func() time.Time { return now().UTC() }, log: log}
}

// waitingNotice is a row of mail_notifications.
type waitingNotice struct {
	ID        string
	TenantID  string
	UserID    string
	Kind      string
	Title     string
	Body      string
	Path      string
	Batch     string
	CreatedAt time.Time
}

func (waitingNotice) TableName() string { return "mail_notifications" }

// ErrNotMailable is returned for a notice that may never be mailed.
var ErrNotMailable = errors.New("this notice is never sent by mail")

// Notify stores a notice for the member, through tx when the event that
// causes it has one (nil: its own): in the event's transaction, the notice
// exists exactly when the event does. Notices of a kind the member turned
// off, or for an unconfirmed address, are dropped here; the choice is
// checked again when the mail is made.
//
// This is the entry point for every notification mail, mentions and
// replies included.
func (n *Notifications) Notify(ctx context.Context, tx *store.Tx, notice Notice) error {
	if notice.Kind == "" || strings.Contains(notice.Kind, "crisis") {
		return ErrNotMailable
	}
	m, ok, err := n.members.NotificationMember(ctx, tx, notice.TenantID, notice.UserID)
	if err != nil || !ok || !m.Confirmed || !m.Wants(notice.Kind) {
		return err
	}
	db := n.db.WithContext(ctx)
	if tx != nil {
		db = tx.ORM(ctx)
	}
	row := waitingNotice{ID: store.NewID(), TenantID: notice.TenantID, UserID: notice.UserID, Kind: notice.Kind,
		Title: oneLine(notice.Title, 120), Body: notice.Body, Path: notice.Path, CreatedAt: n.now()}
	if err := db.Create(&row).Error; err != nil {
		return fmt.Errorf("store %s notice: %w", notice.Kind, err)
	}
	return nil
}

// Run sends due notices until ctx ends; the app owns it.
func (n *Notifications) Run(ctx context.Context) {
	t := time.NewTicker(n.cfg.Poll)
	defer t.Stop()
	for {
		if _, err := n.Flush(ctx); err != nil && ctx.Err() == nil {
			n.log.Warn("notification mails", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Flush turns every member's due notices into one mail each (a single
// notice as itself, several as a digest) and returns how many mails it
// queued. Members in their quiet hours wait. Several instances may flush
// at once: claiming a member's notices is one conditional UPDATE.
func (n *Notifications) Flush(ctx context.Context) (int, error) {
	var rows []waitingNotice
	if err := n.db.WithContext(ctx).Select("tenant_id, user_id, created_at").Where("batch = ?", "").
		Order("created_at").Limit(10000).Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("read waiting notices: %w", err)
	}
	type span struct{ oldest, newest time.Time }
	due := map[[2]string]*span{}
	var order [][2]string
	for _, r := range rows {
		k := [2]string{r.TenantID, r.UserID}
		if s, ok := due[k]; ok {
			s.newest = r.CreatedAt
			continue
		}
		due[k] = &span{r.CreatedAt, r.CreatedAt}
		order = append(order, k)
	}
	now := n.now()
	queued := 0
	var errs []error
	for _, k := range order {
		s := due[k]
		if now.Sub(s.newest) < n.cfg.Settle && now.Sub(s.oldest) < n.cfg.MaxWait {
			continue
		}
		sent, err := n.flushMember(ctx, k[0], k[1], now)
		if err != nil {
			errs = append(errs, err)
		}
		if sent {
			queued++
		}
	}
	if queued > 0 {
		n.outbox.Queued()
	}
	return queued, errors.Join(errs...)
}

func (n *Notifications) flushMember(ctx context.Context, tenantID, userID string, now time.Time) (bool, error) {
	m, ok, err := n.members.NotificationMember(ctx, nil, tenantID, userID)
	if err != nil {
		return false, err
	}
	if ok && m.Quiet(now) {
		return false, nil // after quiet hours
	}
	sent := false
	err = n.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		batch := store.NewID()
		res := tx.Model(&waitingNotice{}).Where("tenant_id = ? AND user_id = ? AND batch = ?", tenantID, userID, "").Update("batch", batch)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // another instance took them
		}
		var notices []waitingNotice
		if err := tx.Where("tenant_id = ? AND user_id = ? AND batch = ?", tenantID, userID, batch).Order("created_at").Find(&notices).Error; err != nil {
			return err
		}
		if err := tx.Where("tenant_id = ? AND user_id = ? AND batch = ?", tenantID, userID, batch).Delete(&waitingNotice{}).Error; err != nil {
			return err
		}
		if !ok || !m.Confirmed {
			return nil
		}
		var wanted []waitingNotice
		for _, w := range notices {
			if m.Wants(w.Kind) {
				wanted = append(wanted, w)
			}
		}
		if len(wanted) == 0 {
			return nil
		}
		msg, err := n.compose(ctx, stx, m, wanted)
		if err != nil {
			return err
		}
		if _, err := n.outbox.Enqueue(ctx, stx, msg); err != nil {
			return err
		}
		sent = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("notices of %s: %w", userID, err)
	}
	return sent, nil
}

// kindNames are how footers name each kind of mail.
var kindNames = map[string]string{
	"mentions": "mentions", "replies": "replies", "mentoring": "mentoring",
	"flag_outcomes": "decisions on your flags", "post_reviews": "reviews of your held posts",
}

func (n *Notifications) compose(ctx context.Context, tx *store.Tx, m Member, notices []waitingNotice) (Message, error) {
	var kinds []string
	seen := map[string]bool{}
	for _, w := range notices {
		if !seen[w.Kind] {
			seen[w.Kind] = true
			kinds = append(kinds, w.Kind)
		}
	}
	sort.Strings(kinds)
	token, err := n.members.UnsubscribeToken(ctx, tx, m.TenantID, m.UserID, kinds)
	if err != nil {
		return Message{}, err
	}
	unsubscribe := n.links.Page(m.TenantSlug, "/unsubscribe", url.Values{"token": {token}})
	community := OneLine(m.TenantName)
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = kindNames[k]
		if names[i] == "" {
			names[i] = k
		}
	}
	footer := []string{
		"You get these mails because you turned on " + strings.Join(names, " and ") + " mails in " + community + ". Change which mails you get in your settings: " + n.links.Page(m.TenantSlug, "/settings", nil),
		"To stop " + strings.Join(names, " and ") + " mails with one click: " + unsubscribe,
	}
	c := Content{Greeting: m.greeting(), Footer: footer}
	kind := "notice_" + notices[0].Kind
	if len(notices) == 1 {
		w := notices[0]
		c.Subject = w.Title
		c.Paragraphs = []string{w.Body}
		c.Action = &Action{Label: "Open " + community, URL: n.links.Page(m.TenantSlug, w.Path, nil)}
	} else {
		kind = "digest"
		c.Subject = fmt.Sprintf("%d updates from %s", len(notices), community)
		c.Paragraphs = append(c.Paragraphs, fmt.Sprintf("Here is what happened in %s while you were away:", community))
		for _, w := range notices {
			c.Paragraphs = append(c.Paragraphs, w.Title+". "+w.Body+" "+n.links.Page(m.TenantSlug, w.Path, nil))
		}
		c.Action = &Action{Label: "Open " + community, URL: n.links.Page(m.TenantSlug, "", nil)}
	}
	return Message{TenantID: m.TenantID, UserID: m.UserID, Kind: kind, To: m.Email, Content: c, Unsubscribe: unsubscribe}, nil
}
