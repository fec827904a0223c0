package moderation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/moderation/screening"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// Groups is what moderation needs to know about conversations and who
// moderates them: cmd/hub joins the conversation directory (Resolve) and
// the groups service (the rest).
type Groups interface {
	Resolve(ctx context.Context, p *accounts.Principal, at conversation.Address) (conversation.Access, error)
	CanModerate(ctx context.Context, p *accounts.Principal, groupID string) (bool, error)
	ModeratorIDs(ctx context.Context, tenantID, groupID string) ([]string, error)
	ModeratedGroupIDs(ctx context.Context, p *accounts.Principal) ([]string, error)
	AdminIDs(ctx context.Context, tenantID string) ([]string, error)
	Names(ctx context.Context, tenantID string, ids []string) (map[string]string, error)
	// HasTeenReader: a teen is a member of (or invited to) the group.
	HasTeenReader(ctx context.Context, tenantID, groupID string) (bool, error)
}

// Config sets the queue's timings.
type Config struct {
	// Lease is how long a claim lasts unless renewed.
	Lease time.Duration
	// CrisisNotice is said privately to the author of a message that
	// matches crisis language, at once.
	CrisisNotice string
	// RepeatWindow: a screened message joins the pending item of the
	// author's previous one for the same rules if that one was at most
	// this long ago (0 turns merging off). MaxRepeats caps one item.
	RepeatWindow time.Duration
	MaxRepeats   int
}

// DefaultConfig is what the hub runs with.
func DefaultConfig() Config {
	return Config{
		Lease:        5 * time.Minute,
		RepeatWindow: 10 * time.Minute,
		MaxRepeats:   100,
		CrisisNotice: "We noticed your message and we're glad you wrote. You are not alone, and a moderator has been asked to check in with you. " +
			"If you might act on thoughts of harming yourself, or you have sudden new symptoms such as weakness or numbness on one side, " +
			"a drooping face, trouble speaking or the worst headache of your life, please call your local emergency number now.",
	}
}

// Service is the moderation queue: flags, screening verdicts, claims and
// actions, with an audit log of each.
type Service struct {
	db           *store.DB
	groups       Groups
	messages     Messages
	notifier     Notifier
	restrictions *Restrictions
	articles     Articles
	engine       *screening.Engine // the built-in rules and model, for tenants that changed nothing
	model        *screening.Model
	engines      engines
	cfg          Config
	now          func() time.Time
	log          *slog.Logger
	onDecided    []DecidedHook
}

// DecidedHook is told of an item's outcome in tx, the transaction that
// records it for the reporters: what it writes (mail, through the outbox)
// exists exactly when the outcome does, and its error rolls both back.
type DecidedHook func(ctx context.Context, tx *store.Tx, d ItemDecided) error

// NewService makes the moderation service and compiles the built-in
// screening rules. onDecided is told as each item's outcome is recorded
// (the mail notifications).
func NewService(db *store.DB, grp Groups, msgs Messages, notifier Notifier, restrictions *Restrictions, articles Articles, cfg Config, now func() time.Time, log *slog.Logger,
	onDecided ...DecidedHook) (*Service, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pack := screening.BuiltinPack()
	model, err := screening.BuiltinModel()
	if err != nil {
		return nil, fmt.Errorf("load the screening model: %w", err)
	}
	engine, err := screening.Compile(pack.Rules, screening.Options{Version: pack.Version, Model: model})
	if err != nil {
		return nil, fmt.Errorf("compile the built-in screening rules: %w", err)
	}
	return &Service{db: db, groups: grp, messages: msgs, notifier: notifier, restrictions: restrictions, articles: articles, engine: engine, model: model, cfg: cfg, now: now, log: log,
		engines: engines{m: map[string]tenantEngine{}}, onDecided: onDecided}, nil
}

// Decision is screening's verdict on one message, before it is stored.
type Decision struct {
	Hold, Queue, Crisis bool
	// ContactDetails: held because it shares a way to be reached.
	ContactDetails bool
	Notice         string
	Result         screening.Result
}

// Screen runs the tenant's rules over a message about to be sent. In a
// conversation whose policy holds contact details (teen mentorships),
// those are held too.
func (s *Service) Screen(ctx context.Context, p *accounts.Principal, g conversation.Conversation, text string) (Decision, error) {
	te, err := s.engineFor(ctx, p.Tenant.ID)
	if err != nil {
		return Decision{}, err
	}
	r := te.engine.Screen(text)
	d := Decision{Result: r, Crisis: r.Crisis}
	if r.Action == screening.ActionNone && len(r.Matches) > 0 {
		// Only shadow rules matched: record what they would have done.
		s.recordShadow(ctx, p, r)
	}
	switch r.Action {
	case screening.ActionHold:
		d.Hold = true
	case screening.ActionQueue:
		d.Queue = true
	case screening.ActionCrisis:
		// Never held for crisis: the words must reach people, and a
		// moderator must reach the author.
		d.Crisis, d.Notice = true, te.notice
	}
	held, err := s.holdsContactDetails(ctx, g, text)
	if err != nil {
		return Decision{}, err
	}
	if held {
		d.Hold, d.ContactDetails = true, true
	}
	return d, nil
}

// holdsContactDetails decides whether text must wait for a moderator
// because it shares contact details or proposes to meet where a teen can
// read it: a teen mentorship (its posting policy), a teen group, or an
// all-ages group with a teen member, whoever writes.
func (s *Service) holdsContactDetails(ctx context.Context, g conversation.Conversation, text string) (bool, error) {
	if g.Policy.Posting != conversation.PostHoldContactDetails && g.Policy.Audience == string(groups.AdultsOnly) {
		return false, nil
	}
	if !containsContactDetails(text) {
		return false, nil
	}
	if g.Policy.Posting == conversation.PostHoldContactDetails || g.Policy.Audience == string(groups.TeensOnly) {
		return true, nil
	}
	teens, err := s.groups.HasTeenReader(ctx, g.TenantID, g.ID)
	if err != nil {
		return false, fmt.Errorf("screen for contact details: %w", err)
	}
	return teens, nil
}

// recordShadow logs shadow matches, so admins can see what a rule in
// trial would catch. A failure to log loses only that record.
func (s *Service) recordShadow(ctx context.Context, p *accounts.Principal, r screening.Result) {
	var ids, excerpts []string
	for _, m := range r.Matches {
		if m.Shadow {
			ids, excerpts = append(ids, m.RuleID), append(excerpts, m.Excerpt)
		}
	}
	if len(ids) == 0 {
		return
	}
	if err := s.audit(s.db.WithContext(ctx), p.Tenant.ID, nil, "shadow_match", "", p.User.ID, strings.Join(ids, " "), "", strings.Join(excerpts, " | ")); err != nil {
		s.log.WarnContext(ctx, "record shadow rule matches", "tenant", p.Tenant.ID, "rules", strings.Join(ids, " "), "err", err)
	}
}

// Submission is a stored or held message that needs a moderator.
type Submission struct {
	MessageID    string
	Text         string
	Held         bool
	HeldByPolicy bool
	Decision     Decision
}

// Submit opens (or adds to) the queue item for a message the screen or
// the posting policy sent here, and alerts the group's moderators. A
// repeat (same author, group and rules within the repeat window) joins
// the open item of the first instead: one UPDATE, no new item, no audit
// row, so a flood costs the queue one item.
func (s *Service) Submit(ctx context.Context, p *accounts.Principal, g conversation.Conversation, sub Submission) error {
	now := s.now()
	item := Item{
		ID: store.NewID(), TenantID: p.Tenant.ID, GroupID: g.ID, GroupSlug: g.Address().GroupField(), Conversation: g.Address().String(), MessageID: sub.MessageID,
		AuthorID: p.User.ID, AuthorName: p.User.DisplayName, Excerpt: sub.Text, Held: sub.Held, HeldByPolicy: sub.HeldByPolicy,
		Crisis: sub.Decision.Crisis, Status: StatusPending, Version: 1, RepeatCount: 1, CreatedAt: now, UpdatedAt: now,
	}
	var cats, ruleIDs []string
	var live []screening.Match
	for _, m := range sub.Decision.Result.Matches {
		if m.Shadow {
			continue
		}
		live = append(live, m)
		cats = append(cats, string(m.Category))
		ruleIDs = append(ruleIDs, m.RuleID)
		item.Severity = max(item.Severity, severityRank(m.Severity))
	}
	if sub.HeldByPolicy {
		cats = append(cats, "policy")
	}
	if sub.Decision.ContactDetails {
		cats = append(cats, "contact-details")
		item.Severity = max(item.Severity, 2)
	}
	item.Categories = strings.Join(compact(cats), " ")
	matches, _ := json.Marshal(sub.Decision.Result.Matches)
	item.Matches = string(matches)
	why := "posting policy"
	if sub.Decision.ContactDetails {
		why = "contact details or a plan to meet where a teen can read"
	}
	if len(live) > 0 {
		why = "screening: " + item.Categories
	}
	// Where every moderator who could decide it is involved, it goes to the admins.
	mods, err := s.moderatorsOf(ctx, p.Tenant.ID, []Item{item})
	if err != nil {
		return err
	}
	routed := mods.routesAway(item)
	item.Escalated = routed
	// Only rule matches repeat: a crisis message always gets its own item
	// and alert, and a policy hold or contact details are about each
	// message, not a rule.
	if len(ruleIDs) > 0 && !item.Crisis && !sub.HeldByPolicy && !sub.Decision.ContactDetails && s.cfg.RepeatWindow > 0 {
		item.BurstKey = fmt.Sprintf("%s|%s|%s|held=%v", g.ID, p.User.ID, strings.Join(compact(ruleIDs), ","), sub.Held)
		item.LastRepeatAt = &now
	}
	for attempt := 0; ; attempt++ {
		if item.BurstKey != "" {
			merged, err := s.addRepeat(ctx, item, now)
			if err != nil || merged != "" {
				if err == nil {
					s.alert(ctx, p.Tenant.ID, g.ID, g.Address(), Item{ID: merged, AuthorID: item.AuthorID}, "item_repeated")
				}
				return err
			}
		}
		created := false
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&item)
			if res.Error != nil {
				return fmt.Errorf("open queue item: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				return nil // another repeat opened the burst first: join it
			}
			created = true
			action := "screened"
			if sub.Held {
				action = "held"
			}
			if err := s.audit(tx, p.Tenant.ID, nil, action, item.ID, item.AuthorID, why, "", string(matches)); err != nil {
				return err
			}
			if routed {
				return s.audit(tx, p.Tenant.ID, nil, "escalated", item.ID, item.AuthorID, whyRoutedAway, "", "")
			}
			return nil
		})
		if err != nil {
			return err
		}
		if created {
			s.alert(ctx, p.Tenant.ID, g.ID, g.Address(), item, "item_created")
			return nil
		}
		if attempt > 0 || item.BurstKey == "" {
			return fmt.Errorf("open queue item for message %s: lost a race twice", item.MessageID)
		}
	}
}

// addRepeat adds a message to the open item of its burst, if there is one
// still in the window and not full, and returns that item's id. Otherwise
// it retires any stale or full item of the burst, so a new one can open.
func (s *Service) addRepeat(ctx context.Context, item Item, now time.Time) (string, error) {
	db := s.db.WithContext(ctx)
	var open Item
	err := db.Select("id").Where("tenant_id = ? AND burst_key = ? AND status = ? AND last_repeat_at >= ? AND repeat_count < ?",
		item.TenantID, item.BurstKey, StatusPending, now.Add(-s.cfg.RepeatWindow), max(s.cfg.MaxRepeats, 1)).Take(&open).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
	case err != nil:
		return "", fmt.Errorf("find repeated item: %w", err)
	default:
		// The conditions again, so a resolution or a full item in between
		// is not written to; the version stays, so a moderator's view of
		// the item is not made stale by each repeat.
		res := db.Model(&Item{}).Where("tenant_id = ? AND id = ? AND status = ? AND burst_key = ? AND repeat_count < ?",
			item.TenantID, open.ID, StatusPending, item.BurstKey, max(s.cfg.MaxRepeats, 1)).
			Updates(map[string]any{"repeat_count": gorm.Expr("repeat_count + 1"), "repeat_ids": gorm.Expr("repeat_ids || ?", " "+item.MessageID),
				"last_repeat_at": now, "updated_at": now})
		if res.Error != nil {
			return "", fmt.Errorf("count repeated message: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return open.ID, nil
		}
	}
	// Only a stale or full item: one another repeat just opened stays.
	if err := db.Model(&Item{}).Where("tenant_id = ? AND burst_key = ? AND status = ? AND (last_repeat_at < ? OR repeat_count >= ?)",
		item.TenantID, item.BurstKey, StatusPending, now.Add(-s.cfg.RepeatWindow), max(s.cfg.MaxRepeats, 1)).
		Update("burst_key", "").Error; err != nil {
		return "", fmt.Errorf("close a finished burst: %w", err)
	}
	return "", nil
}

// alert tells the group's moderators who are online that the queue
// changed; a crisis item says so in words.
func (s *Service) alert(ctx context.Context, tenantID, groupID string, at conversation.Address, item Item, code string) {
	if s.notifier == nil {
		return
	}
	ids, err := s.groups.ModeratorIDs(ctx, tenantID, groupID)
	if err != nil {
		return // the queue holds the item; the alert is a courtesy
	}
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == item.AuthorID })
	msg := ""
	if item.Crisis && code == "item_created" {
		code, msg = "crisis", "A member may be in crisis in "+at.GroupField()+": please look now."
	}
	s.notifier.Notify(ctx, tenantID, ids, "moderation", code, msg, at, item.ID)
}

func severityRank(s screening.Severity) int {
	switch s {
	case screening.Low:
		return 1
	case screening.Medium:
		return 2
	case screening.High:
		return 3
	}
	return 0
}

// compact sorts and de-duplicates words.
func compact(ws []string) []string {
	slices.Sort(ws)
	return slices.Compact(ws)
}

// audit appends one entry to the log, inside the caller's transaction.
// actor is nil for the automatic screen.
func (s *Service) audit(tx *gorm.DB, tenantID string, actor *accounts.Principal, action, itemID, subjectID, why, before, after string) error {
	e := AuditEntry{ID: store.NewID(), TenantID: tenantID, At: s.now(), ActorName: "screening", Action: action,
		ItemID: itemID, SubjectID: subjectID, Why: why, Before: before, After: after}
	if actor != nil {
		e.ActorID, e.ActorName = actor.User.ID, actor.User.DisplayName
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Explanation is the admin test box's answer: what the rules make of a
// text, including matches a context suppressed.
type Explanation struct {
	RulesVersion string            `json:"rules_version"`
	Action       string            `json:"action"`
	Crisis       bool              `json:"crisis"`
	Matches      []screening.Match `json:"matches"`
	// Model is the learned model's score and band per category, next to
	// the rule matches (the band counts the rules too).
	Model []ModelScore `json:"model"`
}

// ModelScore is the model's view of one category of a tested text.
type ModelScore struct {
	Category  string  `json:"category"`
	Score     float64 `json:"score"`
	Band      string  `json:"band"` // clear, uncertain or confident
	Uncertain float64 `json:"uncertain"`
	Confident float64 `json:"confident"`
}

// Explain runs the rules over a text for an admin or moderator.
func (s *Service) Explain(ctx context.Context, p *accounts.Principal, text string) (Explanation, error) {
	if !p.IsAdmin() && !p.IsModerator() {
		return Explanation{}, apperr.Forbidden("only admins and moderators test the screening rules")
	}
	if len(text) > 8000 {
		return Explanation{}, apperr.InvalidField("text", "must be at most 8000 bytes")
	}
	te, err := s.engineFor(ctx, p.Tenant.ID)
	if err != nil {
		return Explanation{}, err
	}
	r := te.engine.Screen(text)
	ms := te.engine.Explain(text)
	if ms == nil {
		ms = []screening.Match{}
	}
	for _, m := range r.Matches {
		if strings.HasPrefix(m.RuleID, "model.") {
			ms = append(ms, m) // what the model added, beside the rules
		}
	}
	out := Explanation{RulesVersion: te.engine.Version(), Action: string(r.Action), Crisis: r.Crisis, Matches: ms, Model: []ModelScore{}}
	if r.Scored {
		for i, c := range screening.Categories() {
			t := te.engine.Thresholds(c)
			out.Model = append(out.Model, ModelScore{Category: string(c), Score: round3(r.Scores[i]), Band: string(r.Bands[i]),
				Uncertain: round3(t.Uncertain), Confident: round3(t.Confident)})
		}
	}
	return out, nil
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
