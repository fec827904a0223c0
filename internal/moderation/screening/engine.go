package screening

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Options adjust a compiled rule set.
type Options struct {
	Version       string   // label for this rule set, recorded by callers with each verdict
	Disable       []string // rule IDs switched off, e.g. a tenant turning off a built-in rule
	Shadow        []string // rule IDs run in shadow: matches recorded, no action
	ExcerptRadius int      // bytes of text kept each side of a match; 0 means 40
}

// Engine screens messages against a compiled rule set. It is immutable
// after Compile and safe for concurrent use.
type Engine struct {
	version string
	rules   []compiledRule
	lx      *lexicon
	main    *trie
	ctx     *trie
	unless  *trie // idioms, owned by the rule they excuse
	radius  int
	pool    sync.Pool
}

type compiledRule struct {
	id       string
	category Category
	severity Severity
	action   Action
	contexts Contexts
	shadow   bool
	unless   bool // has idioms in e.unless
}

// Compile validates rules and builds an Engine. Every problem found is
// returned (joined), each a *RuleError naming the rule and field.
func Compile(rules []Rule, opts Options) (*Engine, error) {
	var errs []error
	index := map[string]int{}
	for i, r := range rules {
		if _, dup := index[r.ID]; dup && r.ID != "" {
			errs = append(errs, &RuleError{RuleID: r.ID, Field: "id", Msg: fmt.Sprintf("duplicate (rule %d)", i)})
		}
		index[r.ID] = i
	}
	disabled := map[string]bool{}
	shadow := map[string]bool{}
	for _, o := range []struct {
		field string
		ids   []string
		set   map[string]bool
	}{{"options.disable", opts.Disable, disabled}, {"options.shadow", opts.Shadow, shadow}} {
		for _, id := range o.ids {
			if _, ok := index[id]; !ok {
				errs = append(errs, &RuleError{Field: o.field, Msg: fmt.Sprintf("no rule %q", id)})
			}
			o.set[id] = true
		}
	}

	e := &Engine{version: opts.Version, lx: newLexicon(), main: newTrie(), ctx: newTrie(), unless: newTrie(), radius: opts.ExcerptRadius}
	if e.radius <= 0 {
		e.radius = 40
	}
	e.pool.New = func() any { return new(scratch) }
	s := new(scratch)
	// Sorted, so the same rules always compile to the same vocabulary ids
	// and matches come out in the same order.
	classes, phrases := wordClasses(), contextPhrases()
	for _, bits := range slices.Sorted(maps.Keys(classes)) {
		for _, w := range classes[bits] {
			e.lx.mark(w, bits)
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(phrases)) {
		for _, p := range phrases[kind] {
			n, anchored, err := parsePattern(e.lx, s, p)
			if err != nil {
				return nil, fmt.Errorf("screening: context phrase %q: %w", p, err)
			}
			e.ctx.insert(e.lx, n, anchored, kind)
		}
	}

	for _, r := range rules {
		specs, rerrs := compileRule(e.lx, s, r)
		errs = append(errs, rerrs...)
		if len(rerrs) > 0 || r.Disabled || disabled[r.ID] {
			continue
		}
		owner := int32(len(e.rules))
		e.rules = append(e.rules, compiledRule{id: r.ID, category: r.Category, severity: r.Severity,
			action: r.Action, contexts: r.Contexts, shadow: r.Shadow || shadow[r.ID]})
		for _, sp := range specs {
			if sp.unless {
				e.unless.insert(e.lx, sp.n, sp.anchored, owner)
				e.rules[owner].unless = true
			} else {
				e.main.insert(e.lx, sp.n, sp.anchored, owner)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	e.lx.finish()
	e.main.finish(len(e.lx.vocab))
	e.ctx.finish(len(e.lx.vocab))
	e.unless.finish(len(e.lx.vocab))
	return e, nil
}

// compiled is one term or pattern of a rule, parsed.
type compiled struct {
	n        *pnode
	anchored bool
	unless   bool // an idiom of Rule.Unless
}

// compileRule validates one rule and parses its terms and patterns.
func compileRule(lx *lexicon, s *scratch, r Rule) ([]compiled, []error) {
	var errs []error
	bad := func(field, msg string, args ...any) {
		errs = append(errs, &RuleError{RuleID: r.ID, Field: field, Msg: fmt.Sprintf(msg, args...)})
	}
	if msg := checkID(r.ID); msg != "" {
		bad("id", "%s", msg)
	}
	if !r.Category.valid() {
		bad("category", "%q is not one of misinformation, shaming, harassment, spam, crisis", r.Category)
	}
	if !r.Severity.valid() {
		bad("severity", "%q is not one of low, medium, high", r.Severity)
	}
	switch {
	case !r.Action.valid():
		bad("action", "%q is not one of queue, hold, crisis", r.Action)
	case r.Action == ActionCrisis && r.Category != Crisis:
		bad("action", "only crisis rules may use the crisis lane")
	case r.Category == Crisis && r.Action != ActionCrisis:
		bad("action", "crisis rules must use the crisis lane, not %q", r.Action)
	}
	if strings.TrimSpace(r.Description) == "" {
		bad("description", "is required: admins see it when the rule matches")
	}
	for name, eff := range map[string]Effect{"contexts.negated": r.Contexts.Negated, "contexts.reported": r.Contexts.Reported,
		"contexts.question": r.Contexts.Question, "contexts.past": r.Contexts.Past, "contexts.hypothetical": r.Contexts.Hypothetical,
		"contexts.supervised": r.Contexts.Supervised} {
		if !eff.valid() {
			bad(name, "%q is not one of \"\", suppress, downgrade", eff)
		}
	}
	if len(r.Terms) == 0 && len(r.Patterns) == 0 {
		bad("terms", "a rule needs at least one term or pattern")
	}
	var specs []compiled
	for i, t := range r.Terms {
		n, err := termPattern(lx, s, t)
		if err != nil {
			bad(fmt.Sprintf("terms[%d]", i), "%q %s", t, err)
			continue
		}
		specs = append(specs, compiled{n: n})
	}
	for i, p := range r.Patterns {
		n, anchored, err := parsePattern(lx, s, p)
		if err != nil {
			bad(fmt.Sprintf("patterns[%d]", i), "%q: %s", p, err)
			continue
		}
		specs = append(specs, compiled{n: n, anchored: anchored})
	}
	for i, p := range r.Unless {
		n, anchored, err := parsePattern(lx, s, p)
		if err != nil {
			bad(fmt.Sprintf("unless[%d]", i), "%q: %s", p, err)
			continue
		}
		specs = append(specs, compiled{n: n, anchored: anchored, unless: true})
	}
	return specs, errs
}

func checkID(id string) string {
	if id == "" {
		return "is required"
	}
	if len(id) > 64 {
		return "is longer than 64 characters"
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return fmt.Sprintf("%q may only use a-z, 0-9, '.', '-' and '_'", id)
		}
	}
	return ""
}

// Version is the label given in Options.
func (e *Engine) Version() string { return e.version }

// Screen reads one message and says what to do with it: at most one match
// per rule (its first unsuppressed occurrence), the strongest action of
// the non-shadow matches, and whether the crisis lane is raised.
func (e *Engine) Screen(text string) Result {
	s := e.prepare(text)
	defer e.pool.Put(s)
	var res Result
	for _, h := range s.hits {
		if res.has(e.rules[h.owner].id) {
			continue
		}
		m := e.judge(s, text, h)
		if m.Suppressed {
			continue
		}
		res.Matches = append(res.Matches, m)
		if m.Shadow {
			continue
		}
		if m.Action.Stronger(res.Action) {
			res.Action = m.Action
		}
		res.Crisis = res.Crisis || m.Action == ActionCrisis
	}
	return res
}

func (r *Result) has(id string) bool {
	for i := range r.Matches {
		if r.Matches[i].RuleID == id {
			return true
		}
	}
	return false
}

// Explain is Screen for the admin "test text" tool: every occurrence of
// every rule, including suppressed ones, with why each was or was not
// actioned.
func (e *Engine) Explain(text string) []Match {
	s := e.prepare(text)
	defer e.pool.Put(s)
	out := make([]Match, 0, len(s.hits))
	for _, h := range s.hits {
		out = append(out, e.judge(s, text, h))
	}
	return out
}

func (e *Engine) prepare(text string) *scratch {
	s := e.pool.Get().(*scratch)
	s.reset()
	tokenize(s, e.lx, text, true)
	s.candidates(e.lx, text)
	e.main.scan(s, &s.hits, true, 0, len(s.toks))
	for _, h := range s.hits {
		if e.rules[h.owner].unless {
			e.unless.scan(s, &s.uhits, false, 0, len(s.toks))
			break
		}
	}
	slices.SortFunc(s.hits, func(a, b hit) int { // by position, then rule order
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.owner, b.owner))
	})
	return s
}

// judge turns a hit into a Match, reading the context the rule cares
// about. Any suppressing context wins over a downgrading one.
func (e *Engine) judge(s *scratch, text string, h hit) Match {
	r := &e.rules[h.owner]
	m := Match{RuleID: r.id, Category: r.category, Severity: r.severity, Action: r.action, Shadow: r.shadow,
		Matched: e.matched(s, h), Start: int(s.toks[h.start].start), End: int(s.toks[h.end-1].end)}
	m.Excerpt = excerpt(text, m.Start, m.End, e.radius)
	m.Why = fmt.Sprintf("matched %q", m.Matched)
	if r.unless {
		for _, u := range s.uhits {
			if u.owner == h.owner && s.toks[u.start].sent == s.toks[h.start].sent {
				m.Suppressed = true
				m.Why += fmt.Sprintf("; not actioned, an idiom: %q", text[s.toks[u.start].start:s.toks[u.end-1].end])
				return m
			}
		}
	}
	if r.contexts == (Contexts{}) {
		return m
	}
	e.readContext(s)
	var suppress, downgrade string
	apply := func(eff Effect, reason string) {
		switch {
		case eff == Suppress && suppress == "":
			suppress = reason
		case eff == Downgrade && downgrade == "":
			downgrade = reason
		}
	}
	quoteOf := func(mk marker) string { return text[s.toks[mk.show].start:s.toks[mk.b-1].end] }
	if r.contexts.Reported != Keep {
		if mk, quoted, ok := s.reported(h.start); ok {
			if quoted {
				apply(r.contexts.Reported, fmt.Sprintf("quoted, with %q", quoteOf(mk)))
			} else {
				apply(r.contexts.Reported, fmt.Sprintf("reported speech: %q", quoteOf(mk)))
			}
		}
	}
	if r.contexts.Negated != Keep {
		// A negation in another clause ("if the pain doesn't ease I'm
		// going to end it") does not touch crisis language; only one on
		// the words themselves ("I'm not going to hurt myself") lowers it,
		// to review.
		if mk, ok := s.negated(h.start); ok && (r.category != Crisis || !s.newSubject(mk.b, h.start)) {
			apply(r.contexts.Negated, fmt.Sprintf("negated by %q", quoteOf(mk)))
		}
	}
	if r.contexts.Question != Keep && s.question(h.start) {
		apply(r.contexts.Question, "asked as a question")
	}
	if r.contexts.Hypothetical != Keep {
		if mk, ok := s.hypothetical(h.start); ok {
			apply(r.contexts.Hypothetical, fmt.Sprintf("hypothetical: %q", quoteOf(mk)))
		}
	}
	if r.contexts.Supervised != Keep {
		if mk, ok := s.supervisedBy(h.start); ok {
			apply(r.contexts.Supervised, fmt.Sprintf("with a clinician: %q", quoteOf(mk)))
		}
	}
	if r.contexts.Past != Keep {
		// Crisis language is lowered only by a clearly distant past:
		// "I started cutting again last week" is now.
		if mk, ok := s.past(h.start); ok && (r.category != Crisis || !s.recent(mk)) {
			apply(r.contexts.Past, fmt.Sprintf("in the past: %q", quoteOf(mk)))
		}
	}
	switch {
	case suppress != "":
		m.Suppressed = true
		m.Why += "; not actioned, " + suppress
	case downgrade != "" && r.action.Stronger(ActionQueue):
		m.Action = ActionQueue
		m.Why += fmt.Sprintf("; %s, so queued for review instead of %s", downgrade, actionWords(r.action))
	}
	return m
}

func actionWords(a Action) string {
	switch a {
	case ActionCrisis:
		return "the crisis lane"
	case ActionHold:
		return "held"
	}
	return string(a)
}

// matched spells out the words a hit matched: the rule's own words (so
// "u r f4k1ng" shows as "you are faking") and the message's words where
// a gap or number matched.
func (e *Engine) matched(s *scratch, h hit) string {
	var b strings.Builder
	for _, v := range s.paths[h.path : h.path+h.npath] {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if v >= 0 {
			b.WriteString(e.lx.vocab[v])
		} else {
			b.Write(s.formBytes(-v - 1))
		}
	}
	return b.String()
}

// excerpt cuts a short, single-line piece of text around [start, end),
// on word boundaries where it can.
func excerpt(text string, start, end, radius int) string {
	a, b := max(0, start-radius), min(len(text), end+radius)
	for a > 0 && a < start && !utf8.RuneStart(text[a]) {
		a++
	}
	for b < len(text) && b > end && !utf8.RuneStart(text[b]) {
		b--
	}
	if a > 0 {
		if k := strings.IndexAny(text[a:start], " \n\t"); k >= 0 {
			a += k + 1
		}
	}
	if b < len(text) {
		if k := strings.LastIndexAny(text[end:b], " \n\t"); k >= 0 {
			b = end + k
		}
	}
	var out strings.Builder
	out.Grow(b - a + 8)
	if a > 0 {
		out.WriteString("…")
	}
	space := false
	for _, r := range strings.TrimSpace(text[a:b]) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			out.WriteByte(' ') // one line: newlines and runs of spaces become one space
			space = false
		}
		out.WriteRune(r)
	}
	if b < len(text) {
		out.WriteString("…")
	}
	return out.String()
}
