package screening

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Category is what kind of problem a rule looks for.
type Category string

const (
	Misinformation Category = "misinformation"
	Shaming        Category = "shaming"
	Harassment     Category = "harassment"
	Spam           Category = "spam"
	Crisis         Category = "crisis"
)

// Categories lists every category in report order.
func Categories() []Category {
	return []Category{Misinformation, Shaming, Harassment, Spam, Crisis}
}

func (c Category) valid() bool {
	switch c {
	case Misinformation, Shaming, Harassment, Spam, Crisis:
		return true
	}
	return false
}

// Severity orders matches for moderators.
type Severity string

const (
	Low    Severity = "low"
	Medium Severity = "medium"
	High   Severity = "high"
)

func (s Severity) valid() bool { return s == Low || s == Medium || s == High }

// Action is what happens to a message.
type Action string

const (
	ActionNone   Action = ""       // deliver, nothing to review
	ActionQueue  Action = "queue"  // deliver and queue for review
	ActionHold   Action = "hold"   // hold: not delivered until approved
	ActionCrisis Action = "crisis" // crisis lane: a person responds now
)

func (a Action) valid() bool { return a == ActionQueue || a == ActionHold || a == ActionCrisis }

func (a Action) rank() int {
	switch a {
	case ActionQueue:
		return 1
	case ActionHold:
		return 2
	case ActionCrisis:
		return 3
	}
	return 0
}

// Stronger reports whether a asks for more than b.
func (a Action) Stronger(b Action) bool { return a.rank() > b.rank() }

// Effect is what a context (negation, reported speech, ...) does to a
// match of a rule.
type Effect string

const (
	Keep      Effect = ""          // ignore the context: the match stands
	Suppress  Effect = "suppress"  // drop the match (Explain still shows it)
	Downgrade Effect = "downgrade" // keep the match but only queue it
)

func (e Effect) valid() bool { return e == Keep || e == Suppress || e == Downgrade }

// Contexts says, per kind of context around a match, what it does.
type Contexts struct {
	Negated      Effect // "there is no cure", "not just a headache", "nobody is faking"
	Reported     Effect // "my aunt said ...", "people tell me ...", quoted words with a speech verb
	Question     Effect // the sentence ends in "?" (not "did you know ...?")
	Past         Effect // distant past: "years ago", "used to", "when I was 19"
	Hypothetical Effect // "if I ever ...", "in case", "reminder: ..."
	Supervised   Effect // a clinician in the sentence: "with my neurologist", "my doctor said to"
}

// Rule is one thing the screen looks for.
type Rule struct {
	ID          string // stable, lower case, e.g. "misinfo.cure-claim"
	Category    Category
	Severity    Severity
	Action      Action
	Description string // plain words, shown to admins

	// Terms are literal phrases, as a tenant admin types them: punctuation
	// only separates words. Patterns use a small phrase syntax:
	//
	//	(a|b c)  alternatives, which may be several words
	//	[a]      optional
	//	*  *N    a gap of up to 3 (or N, at most 6) words
	//	#  #N+   any number, or a number of at least N ("ten" counts)
	//	<link>   a web address
	//	<repeat> a long run of one character or the same word
	//	^        at the start: the phrase must open a clause
	//
	// Both are normalised like messages, so "don't" and "dont" are equal.
	Terms    []string
	Patterns []string
	// Unless are patterns for idioms and reports that read like a match
	// but are not one ("end it with my boyfriend", "can't do this anymore
	// without my ice pack", "a spam message offering cheap triptans"): a
	// match in the same sentence as one is not actioned.
	Unless []string

	Contexts Contexts
	Shadow   bool // record matches but take no action (trying a rule out)
	Disabled bool // validated but not run
}

// Pack is a versioned set of rules.
type Pack struct {
	Version string
	Rules   []Rule
}

// Match is one rule matching one place in a message.
type Match struct {
	RuleID     string   `json:"rule_id"`
	Category   Category `json:"category"`
	Severity   Severity `json:"severity"`
	Action     Action   `json:"action"` // after any downgrade
	Shadow     bool     `json:"shadow"`
	Suppressed bool     `json:"suppressed"` // only from Explain
	Matched    string   `json:"matched"`    // the normalised words matched
	Excerpt    string   `json:"excerpt"`    // a short piece of the original text around it
	Why        string   `json:"why"`        // plain words for admins
	Start      int      `json:"start"`      // byte offsets of the match in the text
	End        int      `json:"end"`
}

// UnmarshalJSON reads a match in the documented snake_case shape, or in
// the Go field names that queue items stored before it had one.
func (m *Match) UnmarshalJSON(b []byte) error {
	type plain Match
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.RuleID == "" && bytes.Contains(b, []byte(`"RuleID"`)) {
		var legacy struct {
			RuleID, Matched, Excerpt, Why string
			Category                      Category
			Severity                      Severity
			Action                        Action
			Shadow, Suppressed            bool
			Start, End                    int
		}
		if err := json.Unmarshal(b, &legacy); err != nil {
			return err
		}
		p = plain{RuleID: legacy.RuleID, Category: legacy.Category, Severity: legacy.Severity, Action: legacy.Action,
			Shadow: legacy.Shadow, Suppressed: legacy.Suppressed, Matched: legacy.Matched, Excerpt: legacy.Excerpt,
			Why: legacy.Why, Start: legacy.Start, End: legacy.End}
	}
	*m = Match(p)
	return nil
}

// Result is the verdict on one message.
type Result struct {
	Matches []Match `json:"matches"` // actioned and shadow matches, one per rule
	Action  Action  `json:"action"`  // strongest non-shadow action, ActionNone for none
	Crisis  bool    `json:"crisis"`  // the crisis lane was raised
}

// RuleError says which rule and field a compile problem is in.
type RuleError struct {
	RuleID string
	Field  string // e.g. "patterns[2]", "category"
	Msg    string
}

func (e *RuleError) Error() string {
	if e.RuleID == "" {
		return fmt.Sprintf("screening: %s: %s", e.Field, e.Msg)
	}
	return fmt.Sprintf("screening: rule %q: %s: %s", e.RuleID, e.Field, e.Msg)
}
