package screening

// Context kinds: owners of the phrases in the context trie.
const (
	kNegator      int32 = iota // "not", "never", "nobody"
	kNegCancel                 // looks negative but is not: "no wonder", "don't be afraid to"
	kSpeech                    // a speech or thought verb: "said", "thinks", "called"
	kSpeechAlways              // reported whoever speaks: "according to"
	kPast                      // distant past: "years ago", "used to"
	kHypo                      // "if", "in case", "reminder"
	kHypoCancel                // "know if", "as if": not a hypothetical
	kOpener                    // a question that is really advice: "did you know"
	kSupervised                // a clinician is in it: "with my neurologist", "my doctor said to"
)

// negWindow is how many words may stand between a negator and what it
// negates: "nobody here is faking", "I would never tell anyone to stop".
const negWindow = 3

// contextPhrases are the phrases read around a match, in the pattern
// syntax. Only the words of a match's own sentence count.
func contextPhrases() map[int32][]string {
	return map[int32][]string{
		kNegator: {"(no|not|never|nobody|noone|none|nothing|neither|nor|without|hardly|nah|nope)",
			"(dont|doesnt|didnt|isnt|arent|wasnt|werent|wont|cant|cannot|couldnt|shouldnt|wouldnt|aint|havent|hasnt|hadnt|mustnt)",
			"refuse to", "no longer", "no such thing as"},
		kNegCancel: {"no (wonder|doubt|matter|problem|joke|kidding)", "not (only|to mention)", "nothing but",
			"dont (be afraid|be scared|hesitate|worry|forget|wait)", "never (too late|mind)", "cant wait",
			"if not", "whether or not", "why not", "why dont (you|u)", "dont you know", "didnt you know"},
		kSpeech: {"(say|says|said|saying|tell|tells|told|telling|call|calls|called|calling)",
			"(claim|claims|claimed|claiming|think|thinks|thought|believe|believes|believed)",
			"(accuse|accuses|accused|accusing|ask|asks|asked|imply|implies|implied|implying)",
			"(suggest|suggests|suggested|insist|insists|insisted|hear|hears|heard)",
			"(wrote|writes|posted|posts|yelled|shouted|snapped|mentioned|commented|replied)",
			"(reckon|reckons|reckoned|assume|assumes|assumed|joked|jokes|sneered|muttered|hinted)",
			"(swear|swears|swore|insinuated|labelled|labeled|dismissed|dismisses)",
			"(act|acts|acted|acting) like", "(treat|treats|treated|look|looks|looked) at me like",
			"(feel|feels|felt|feeling) like",
			"(treat|treats|treated) me like", "(made|makes|make) me feel like",
			"(brushed|brushes) it off as", "(chalked|chalks) it up to", "(wrote|writes) it off as"},
		kSpeechAlways: {"according to", "so called", "quote unquote", "in (her|his|their) words"},
		kPast: {"used to", "(years|months|weeks|decades) (ago|back)", "a (year|month|decade) ago",
			"(last|past) (year|month|week|summer|winter|spring|autumn|fall|time)",
			"when i was", "as a (kid|child|teen|teenager|student|baby)", "back (then|in|when)",
			"in the past", "turned out", "(was|got|been) diagnosed",
			"in my (teens|twenties|thirties|20s|30s|40s)", "in #1950+", "(the|my) first time i had",
			"the first time (my|her|his)"},
		kHypo: {"if", "what if", "in case", "whenever", "reminder", "(signs|sign|symptoms|symptom) of",
			"warning signs", "how do (you|i) (know|tell)", "how can (you|i) tell", "when to",
			"should (i|you) ever", "if ever"},
		kHypoCancel: {"(know|sure|wonder|wondering|wondered|see|tell|check|ask|asking|asked|unsure|idk) if",
			"as if"},
		kSupervised: {"(with|under|ask|asked|check with|talk to|spoke to|speak to|told|tell) [your|my|the|a|their|her|his] (doctor|doctors|neurologist|neuro|gp|specialist|headache specialist|consultant|pharmacist|nurse|doc|prescriber|care team)",
			"(my|your|the|her|his|their|our) (doctor|doctors|neurologist|neuro|gp|specialist|headache specialist|consultant|pharmacist|nurse|doc|prescriber|care team) *3 (said|says|told|tells|suggested|suggests|recommended|recommends|advised|advises|wants|agreed|agrees|prescribed|prescribes|plan|planned|okd|approved|signed off)",
			"(medical|doctors|medical) (advice|supervision|guidance)", "(taper|tapering|weaning) (plan|schedule)",
			"(as|when|if) (prescribed|directed)", "(doctor|neurologist|gp|specialist) (approved|supervised|led)",
			"(under|with) supervision", "on (medical|doctors|my doctors|my neurologists) advice"},
		kOpener: {"did you know", "have you tried", "why not", "why dont you", "why bother", "have you considered",
			"have you thought about", "you know", "dont you know", "didnt you know", "fun fact"},
	}
}

// wordClasses are single words with a role in reading context.
func wordClasses() map[uint16][]string {
	return map[uint16][]string{
		clsFiller: {"so", "but", "and", "ok", "okay", "also", "honestly", "well", "btw", "hey", "lol",
			"seriously", "please", "guys", "oh", "yeah", "yes", "look", "listen", "tbh", "anyway",
			"then", "just", "really", "literally", "simply", "now", "however", "though", "although",
			"because", "if", "when", "while", "unless", "or", "plus", "ngl", "imo", "hun"},
		clsBreaker: {"but", "however", "though", "although", "except", "so", "because", "cause",
			"and", "then", "if", "when", "while", "unless", "whereas", "until"},
		clsAdverb: {"really", "honestly", "literally", "just", "always", "even", "actually", "also",
			"basically", "seriously", "totally", "genuinely", "truly", "still", "already", "once",
			"definitely", "kinda", "personally", "do", "did", "does", "would", "will", "strongly",
			"firmly", "keep", "keeps", "kept", "constantly", "openly", "all", "both", "often",
			"sometimes", "used", "to", "again", "apparently", "never", "probably", "clearly",
			"obviously", "has", "have", "had", "quietly", "loudly"},
		clsFirstPerson: {"i", "we", "ive", "weve", "id", "im"},
		clsNegator: {"no", "not", "never", "nobody", "noone", "none", "nothing", "neither", "nor", "without",
			"dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "cant", "cannot",
			"couldnt", "shouldnt", "wouldnt", "aint", "havent", "hasnt", "hadnt"},
		clsNegStop: {"just", "simply", "instead"},
	}
}

// marker is a context phrase found in a message: tokens [a, b), shown to
// admins from token show.
type marker struct{ a, b, show int32 }

// ctxState is what the context pass found, built lazily: most messages
// match no rule and never need it.
type ctxState struct {
	built                    bool
	hits                     []hit
	negs, speech, past, hypo []marker
	supervised               []marker
}

func (c *ctxState) reset() {
	c.built = false
	c.hits = c.hits[:0]
	c.negs, c.speech, c.past, c.hypo = c.negs[:0], c.speech[:0], c.past[:0], c.hypo[:0]
	c.supervised = c.supervised[:0]
}

func (e *Engine) readContext(s *scratch) {
	c := &s.ctx
	if c.built {
		return
	}
	c.built = true
	// Context only matters in the sentences with a match, and the ones
	// either side of them (a quote can be attributed after it closes).
	last := int32(-1)
	for _, h := range s.hits {
		sent := s.toks[h.start].sent
		from := max(0, sent-1)
		if from <= last {
			from = last + 1
		}
		to := min(int32(len(s.sents))-1, sent+1)
		if from <= to {
			e.ctx.scan(s, &c.hits, false, int(s.sents[from].first), int(s.sents[to].last)+1)
			last = to
		}
	}
	cancelled := func(kind, at int32) bool {
		for _, h := range c.hits {
			if h.owner == kind && h.start <= at && at < h.end {
				return true
			}
		}
		return false
	}
	for _, h := range c.hits {
		m := marker{a: h.start, b: h.end, show: h.start}
		switch h.owner {
		case kNegator:
			if !cancelled(kNegCancel, h.start) {
				c.negs = append(c.negs, m)
			}
		case kSpeech:
			if show, ok := s.speaker(h.start); ok {
				m.show = show
				c.speech = append(c.speech, m)
			}
		case kSpeechAlways:
			c.speech = append(c.speech, m)
		case kPast:
			c.past = append(c.past, m)
		case kHypo:
			if !cancelled(kHypoCancel, h.start) {
				c.hypo = append(c.hypo, m)
			}
		case kSupervised:
			c.supervised = append(c.supervised, m)
		case kOpener:
			if s.opensSentence(h.start) {
				s.sents[s.toks[h.start].sent].opener = true
			}
		}
	}
}

// speaker decides whether a speech verb at token v reports someone else's
// words. "My aunt said" does; "I think" (the writer's own view) and
// "tell her" (an order, no subject) do not. show is where the admin-facing
// quote of the marker starts ("my aunt said").
func (s *scratch) speaker(v int32) (show int32, ok bool) {
	first := s.sents[s.toks[v].sent].first
	j := v - 1
	for j >= first && s.toks[j].class&clsAdverb != 0 {
		j--
	}
	// "Nobody believes you" is the writer's own claim, already negated
	// where it governs the match ("nobody thinks you're faking").
	if j < first || s.toks[j].class&(clsFirstPerson|clsNegator) != 0 {
		return 0, false
	}
	return max(first, j-1), true
}

func (s *scratch) opensSentence(i int32) bool {
	for j := s.sents[s.toks[i].sent].first; j < i; j++ {
		if s.toks[j].class&clsFiller == 0 {
			return false
		}
	}
	return true
}

// negated finds a negator a few words before token start in the same
// clause: "there is no cure", "it's not just a headache".
func (s *scratch) negated(start int32) (marker, bool) {
	for _, m := range s.ctx.negs {
		if m.b > start || start-m.b > negWindow {
			continue
		}
		last := &s.toks[m.b-1]
		if last.sent != s.toks[start].sent || last.clause != s.toks[start].clause {
			continue
		}
		stopped := false
		for j := m.b; j < start; j++ {
			stopped = stopped || s.toks[j].class&clsNegStop != 0
		}
		if !stopped {
			return m, true
		}
	}
	return marker{}, false
}

// reported finds a speech marker earlier in the sentence ("my aunt said
// it's just a headache"), or, for quoted words, anywhere around the quote
// ("'just a headache', my GP called it").
func (s *scratch) reported(start int32) (marker, bool, bool) {
	sent := s.toks[start].sent
	for _, m := range s.ctx.speech {
		if s.toks[m.a].sent == sent && m.b <= start {
			return m, false, true
		}
	}
	if s.toks[start].flags&fQuoted == 0 {
		return marker{}, false, false
	}
	for _, q := range s.quotes {
		if start < q.a || start >= q.b {
			continue
		}
		from, to := s.toks[q.a].sent, s.toks[q.b-1].sent
		if q.a > 0 {
			from = s.toks[q.a-1].sent
		}
		if int(q.b) < len(s.toks) {
			to = s.toks[q.b].sent
		}
		for _, m := range s.ctx.speech {
			ms := s.toks[m.a].sent
			if ms >= from && ms <= to && (m.b <= q.a || m.a >= q.b) {
				return m, true, true
			}
		}
	}
	return marker{}, false, false
}

func (s *scratch) question(start int32) bool {
	st := s.sents[s.toks[start].sent]
	return st.question && !st.opener
}

func (s *scratch) past(start int32) (marker, bool) {
	sent := s.toks[start].sent
	for _, m := range s.ctx.past {
		if s.toks[m.a].sent == sent {
			return m, true
		}
	}
	return marker{}, false
}

func (s *scratch) hypothetical(start int32) (marker, bool) {
	sent := s.toks[start].sent
	for _, m := range s.ctx.hypo {
		if s.toks[m.a].sent == sent && m.b <= start {
			return m, true
		}
	}
	return marker{}, false
}

// supervisedBy finds a clinician anywhere in the match's sentence: "I
// came off topiramate with my neurologist" is a report, not advice.
func (s *scratch) supervisedBy(start int32) (marker, bool) {
	sent := s.toks[start].sent
	for _, m := range s.ctx.supervised {
		if s.toks[m.a].sent == sent {
			return m, true
		}
	}
	return marker{}, false
}

// recent reports whether a past marker is close to now: "last week",
// "last night", "past month".
func (s *scratch) recent(m marker) bool {
	switch s.form(m.a) {
	case "last", "past":
		return true
	}
	return false
}

// newSubject reports whether a first-person subject stands in tokens
// [from, to] (the first word of the match counts): "doesn't ease, I'm
// going to" starts a new clause.
func (s *scratch) newSubject(from, to int32) bool {
	for j := from; j <= to && int(j) < len(s.toks); j++ {
		switch s.form(j) {
		case "i", "im", "ill", "ive", "id":
			return true
		}
	}
	return false
}
