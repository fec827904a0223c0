package screening

// DefaultAction is the action a rule of this category and severity takes
// unless it says otherwise: the crisis lane for crisis, hold for spam,
// hold for serious misinformation, and hold or queue for conduct.
func DefaultAction(c Category, s Severity) Action {
	switch c {
	case Crisis:
		return ActionCrisis
	case Spam:
		return ActionHold
	case Misinformation:
		if s == High {
			return ActionHold
		}
		return ActionQueue
	case Shaming, Harassment:
		if s == Low {
			return ActionQueue
		}
		return ActionHold
	}
	return ActionQueue
}

// DefaultContexts is how context treats a category unless a rule says
// otherwise. Claims and jabs are suppressed when negated or reported
// ("my aunt said it's just a headache"); misinformation also when asked
// ("is there a cure?"). Spam ignores context. Crisis language is only
// downgraded to the review queue by negation or distant past, never
// dropped: see the package comment.
func DefaultContexts(c Category) Contexts {
	switch c {
	case Misinformation:
		return Contexts{Negated: Suppress, Reported: Suppress, Question: Suppress}
	case Shaming, Harassment:
		return Contexts{Negated: Suppress, Reported: Suppress}
	case Crisis:
		return Contexts{Negated: Downgrade, Past: Downgrade}
	}
	return Contexts{}
}

// TermRule makes a rule from a plain list of phrases, as a tenant admin
// types them, with the category's default action and contexts.
func TermRule(id string, c Category, s Severity, description string, terms ...string) Rule {
	return Rule{ID: id, Category: c, Severity: s, Action: DefaultAction(c, s), Description: description,
		Terms: terms, Contexts: DefaultContexts(c)}
}
