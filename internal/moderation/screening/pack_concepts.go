package screening

// conceptRules are the rules written over the concept layer
// (concepts.go): each names concepts in braces, so a new drug or a new
// way of saying "stop" reaches every rule through one lexicon line.
func conceptRules() []Rule {
	x := newConceptExpander()
	r := func(id string, c Category, s Severity, description string, patterns ...string) Rule {
		for i, p := range patterns {
			patterns[i] = x.expand(p)
		}
		return rule(id, c, s, description, patterns...)
	}
	your := "[your|the|those|these|all|all your|all of your|all the|any|ur]"
	advice := func(rl Rule) Rule {
		// Advice, not a report: a clinician in the sentence, or the
		// writer's own past, makes it a story.
		rl.Contexts.Supervised, rl.Contexts.Past = Suppress, Suppress
		return rl
	}
	stopPreventive := advice(r("misinfo.stop-preventive", Misinformation, High,
		"STOP + PREVENTIVE without supervision: tells people to stop or skip preventive medicine, or to stop whenever they feel good. Stopping is planned with a doctor.",
		"^ [just] {stop} [taking|using|on] "+your+" {preventive}",
		"(you|u|people|everyone|we) (should|can|could|must|need to|ought to) [just] {stop} [taking|using] "+your+" {preventive}",
		"{stop} *4 {preventive} *3 {feel good}",
		"{preventive} *3 {feel good}",
		"{stop} *4 {any med} *3 {feel good}",
		"{stop} *3 {feel good}",
		"^ [just] (go|come|get|quit|stop) {cold turkey}",
		"{cold turkey} off *3 (everything|it all|all of it|{any med})",
		"(go|going|come|coming|get|getting|quit|stop|stopping) {cold turkey}",
		"{stop} *4 (everything|all of it|it all|all your meds) *3 (including|even|especially) *2 {any med}",
		"{any med} (arent|are not|isnt|is not) (needed|necessary) *3 (once|when|if) (you|u) feel"))
	overuse := advice(r("misinfo.overuse-concept", Misinformation, High,
		"FREQUENCY + ACUTE MED as advice: acute medicine on most days causes medication overuse headache.",
		"^ [just] {acute med} *3 {frequency}",
		"^ [just] {acute med} *3 # times a day",
		"^ [just] {take} [your|the|an|a|some|#] {acute med} *3 ({frequency}|# times a day|# days a week)",
		"(you|u) can [safely|totally|just|easily] {take} [your|the|an|a|some|#] {acute med} *3 ({frequency}|# times a day|# days a week)",
		"{acute med} *3 # times a day *3 # days a week",
		"{acute med} *4 (safe|fine|ok|okay|harmless) *3 ({frequency}|# days a week)",
		"(take|use|have|pop|swallow) as (many|much) {acute med} as (it takes|you need|you want|you like|needed|necessary)",
		"as many {acute med} as (it takes|you need|you want|you like)",
		"as many as it takes"))
	dose := advice(r("misinfo.dose-concept", Misinformation, High,
		"DOSE above the label: more tablets if one does not work, doubling or stacking doses.",
		"{take} #2+ more [{acute med}] *4 if *4 (doesnt|does not|isnt|is not|wont|dont|do not|didnt) (cut it|work|help|touch it|do it|do anything|kick in)",
		"{take} (another|more|extra|a few more|a couple more|two more) [{acute med}] *3 if *4 (doesnt|does not|isnt|is not|wont|dont|do not) (cut it|work|help|touch it|do it|do anything|kick in)",
		"if (one|the first|it|a single) *3 (doesnt|does not|didnt|isnt|wont) (cut it|work|help|touch it|do it|do anything|kick in) *3 {take} (#|another|more|extra|a few|a couple|two|three) [more]",
		"(double|triple) [up] (on|the|your) *2 {acute med}",
		"(stack|stacking|combine|combining) *3 {triptan} *3 (and|with) *2 {triptan}"))
	contraindicated := r("misinfo.contraindication", Misinformation, High,
		"Says a medicine is safe where it is not: triptans or ergots after a stroke or heart disease, the combined pill with aura.",
		"(can|safe|fine|ok|okay|no problem|still) *4 ({triptan}|{ergot}) *4 (after|with|despite|even after|even with|post|if youve had|if you have had|if you had) *2 {vascular}",
		"({triptan}|{ergot}) *3 (are|is) (safe|fine|ok|okay) *4 {vascular}",
		"{vascular} *6 (can|safe|fine|ok|okay|still) *3 ({take}|use|on) *2 ({triptan}|{ergot})",
		"(stay|staying|keep|keeping|carry on|stick|sticking|remain) *2 (on|with|taking) {contraceptive} *4 aura",
		"{contraceptive} *4 (aura|with aura) *4 (fine|safe|ok|okay|no problem|no issue|doesnt matter)",
		"aura *6 (stay|keep|carry on|stick) *2 (on|with|taking) {contraceptive}",
		"aura (doesnt|does not|wont) matter *4 {contraceptive}")
	contraindicated.Contexts.Supervised = Suppress
	endorsed := r("misinfo.endorsed-cure", Misinformation, Medium,
		"A cure claim the writer endorses (\"my naturopath says it cures it for good, worked for me\"): reported speech is no excuse.",
		"{cure} *6 {for good} *6 {endorse}",
		"{endorse} *6 {cure} *6 {for good}",
		"{authority} *6 {cure} *4 (it|migraine|migraines|headaches|my migraines|them) *3 {for good}",
		"(protocol|cleanse|detox|diet|supplement|tincture|oil|oils|regime|regimen|programme|program) *4 {cure} *3 (it|migraine|migraines|headaches|them) *3 {for good}")
	endorsed.Contexts.Reported = Keep
	threat := r("harassment.threat", Harassment, High,
		"Threatens a member: to tell their employer or family, expose them, or find them. Saying it as a quote is no excuse.",
		"(ill|i will|im going to|im gonna|gonna|going to|i shall) (tell|report|expose|contact|call|email|message|ring|inform|find|out) (your|ur) (boss|employer|work|manager|family|wife|husband|partner|kids|school|landlord|mum|mom|dad|parents|job)",
		"(ill|i will|im going to|im gonna|gonna) (tell|let) (everyone|everybody|the whole group|your whole|all your) *3 (you are|youre|ur) (a|an) (fraud|faker|liar|junkie|addict|fake)",
		"(i know|i found out|ive found) where (you|u) (live|work)",
		"(ill|i will|im going to|im gonna|gonna) (make|ruin|destroy) (your|ur) (life|career|reputation)",
		"(watch|wait) (your|ur) back",
		"(ill|i will|im going to|im gonna|gonna) (come|find|get|hurt|track) (for|to) (you|u)",
		"(ill|i will|im going to|im gonna|gonna) (find|get|hurt|track down|come for) (you|u)")
	threat.Contexts = Contexts{Negated: Suppress}
	return []Rule{stopPreventive, overuse, dose, contraindicated, endorsed, threat}
}

// crisisConceptRules widen the crisis lane: methods, relapse, obfuscated
// or plain suicide talk, someone else's crisis, and red flags over body
// and symptom concepts. Recall first: only a clearly past tense lowers
// them to review; negation, conditionals, quotes and questions never do
// (the package comment says why).
func crisisConceptRules() []Rule {
	x := newConceptExpander()
	r := func(id, description string, patterns ...string) Rule {
		for i, p := range patterns {
			patterns[i] = x.expand(p)
		}
		rl := rule(id, Crisis, High, description, patterns...)
		rl.Contexts = Contexts{Negated: Downgrade, Past: Downgrade}
		return rl
	}
	redFlag := func(id, description string, patterns ...string) Rule {
		rl := r(id, description, patterns...)
		// Members describe their history and ask general questions about
		// symptoms: negation, distant past and "if" mean it is not
		// happening now.
		rl.Contexts = Contexts{Negated: Suppress, Past: Suppress, Hypothetical: Suppress}
		return rl
	}
	intent := "(going to|gonna|want to|wanna|will|might|about to|ready to|plan to|planning to|planning on|thinking about|thinking of|thought about|considering|tempted to|thoughts of|ima|i will|ill|wants to|wanted to|could just)"
	selfHarm := r("crisis.self-harm-method", "Self-harm or suicide methods, relapse and plans, however spelled. A person from the crisis team responds.",
		"(started|start|starting|been|keep|kept|back to|gone back to|went back to) (cutting|burning|hurting|harming) [myself] (again|myself|my arms|my legs|my wrists)",
		"(cutting|burning|self harming|harming myself|hurting myself) again",
		"(relapsed|relapse|relapsing) *3 (self harm|cutting|self harming)",
		intent+" *2 (overdosing|overdose|oding|od) (on|with)",
		intent+" *2 (overdosing|oding)",
		"(overdosing|overdose|od) on (my|all|the|his|her|every|a) *4 {any med}",
		intent+" *2 {take} (all|every|the whole|a whole|the rest of) *3 {any med}",
		"{any med} *3 (all at once|together|in one go) *3 (end it|not wake up|never wake up|make it stop|be done)",
		"(suicide|killing myself|ending it|ending my life|death|dying) (is|seems|feels like|looks like) (the|my) (only|best|easiest|last) (way out|option|answer|choice|solution)",
		"(is|seems|feels like|looks like) the only way out",
		intent+" *2 end it *3 (tonight|today|now|this week|soon|for good)",
		"(end|ending) it (tonight|today|this week|for good|soon)",
		"(wrote|writing|written|left) *2 (note|notes|letter|letters) *4 (family|kids|husband|wife|mum|mom|goodbye)",
		"(bought|got|have|found|hid|hidden|hiding) *3 (rope|blade|blades|razor|razors) *4 (for|to) *2 (myself|end|when|tonight)",
		"(no|dont see|cant see) (way|point) (out|forward|in going on|in living)",
		"(want|wanna) (it|everything|this) (to end|to be over|to stop) *3 (for good|forever|permanently)",
		"(wish|wishing) *2 (i|id) (could|would) (just) (die|disappear forever|not exist|stop existing)",
		"(dont|do not) want to (wake up|exist|live) *3 (tomorrow|anymore|any more|again)",
		"(fantasise|fantasize|fantasising|fantasizing|dream|dreaming) about (dying|death|not waking up|ending it)")
	selfHarm.Unless = selfHarmIdioms()
	other := r("crisis.someone-else", "Someone else may be in danger (\"my daughter says she wants to die\"). The writer gets the crisis notice too, and a person responds.",
		"{other person} *6 {death wish}",
		"{other person} *6 ({self harm act}) {reflexive other}",
		"{third person} *3 ({says|said|keeps saying|told me|texted|messaged|wrote}|says|said|keeps saying|told me|texted|messaged|wrote) *3 {third person} *2 {death wish}",
		"{third person} (wants|wanted|want|is going|s going|are going|is planning|keeps talking about) to ({self harm act}) {reflexive other}",
		"{third person} (is|s|are|re|has been|been|is being) (self harming|cutting|suicidal|harming {reflexive other}|hurting {reflexive other})",
		"{other person} *4 (self harming|self harm|suicidal|overdosed|took an overdose|cutting {reflexive other}|tried to (kill|hurt) {reflexive other}|attempted suicide)",
		"(worried|scared|terrified|afraid) *4 {other person} *4 (might|will|could|is going to|wants to) *2 ({self harm act}) {reflexive other}")
	other.Contexts = Contexts{Past: Downgrade}
	return []Rule{
		selfHarm, other,
		redFlag("crisis.red-flag-sudden-worst", "A sudden, worst-ever or thunderclap headache, or a first severe one after 50, can be a bleed: call emergency services.",
			"{sudden} *4 {worst} *2 {headache}",
			"{worst} {headache} (ever|of my life) *3 {sudden}",
			"{sudden} *6 (worst|severe|excruciating|crushing|explosive) *3 {headache} *3 (ever|of my life|ive ever had)",
			"(first|first ever|never had|never had a) *4 (crushing|severe|bad|excruciating|explosive|splitting|thunderclap|worst) *2 {headache} *6 (#50+|fifty|sixty|seventy)",
			"(#50+|fifty|sixty|seventy) *6 (first|first ever|never had|never had a|new) *4 (crushing|severe|bad|excruciating|explosive|splitting|worst|sudden) *2 {headache}",
			"(new|first) (severe|crushing|bad|sudden) {headache} (after|at|over|past) (#50+|fifty|sixty)",
			"{headache} *3 (peaked|maxed out|reached full|hit full) *4 (seconds|a minute|one minute|instantly)"),
		redFlag("crisis.red-flag-one-side", "Weakness or numbness on one side, a weak hand with a numb face, or speech trouble can be a stroke: call emergency services.",
			"{one side} *3 {face body} *4 {numb weak}",
			"{one side} [of] [my|her|his] {face body} (is|went|has gone|gone|feels|going|keeps going) *2 {numb weak}",
			"(half|one side) (of|of my|my|her|his) (face|body) *4 {numb weak}",
			"(face|cheek|lip|mouth) *2 (is|are|went|gone|going|feels) {numb weak} *6 (hand|arm|leg|grip) *2 (is|are|went|gone|going|feels|so) {numb weak}",
			"(hand|arm|leg|grip) *2 (is|are|went|gone|going|feels) {numb weak} *6 (face|cheek|lip|mouth) *2 (is|are|went|gone|going|feels|so) {numb weak}",
			"(numb|numbness) *3 (face|cheek|lip|mouth) *6 (weak|weakness|cant grip|cant hold|dropping things|clumsy) *3 (hand|arm|grip)",
			"(weak|weakness) *3 (hand|arm) *6 (numb|numbness) *3 (face|cheek|lip|mouth)",
			"{speech} *6 (numb|weak|droop|drooping|confused)",
			"(my|her|his) (words|speech) (are|is|keep|keeps) *2 {speech}",
			"(cant|cannot) (find|get) (my|the|any) words (out|right) *4 (suddenly|now|right now|all of a sudden)"),
		redFlag("crisis.red-flag-sight", "Sudden loss of sight needs emergency care.",
			"{sudden} *4 {lost} *3 {eye sight} *3 (in|of|from) (one|my|her|his|the) [left|right] eye",
			"{lost} *2 (all|the|my) *2 {eye sight} (in|of|from) (one|my|her|his|the) [left|right] eye",
			"(one|my|her|his|the) [left|right] eye *3 (went|has gone|gone|just went|is) (black|dark|blind|dim|grey|gray)",
			"(went|gone|going|have gone|has gone) blind in (one|my|her|his|the) [left|right] eye",
			"{sudden} *4 (cant|cannot) see (anything|out of|from|with)",
			"curtain (came|coming|over|across|down) *4 (eye|vision|sight)"),
		redFlag("crisis.red-flag-infection", "Fever with a stiff neck or a rash that does not fade can be meningitis: call emergency services.",
			"{neck} *6 {fever}", "{fever} *6 {neck}",
			"{neck} *6 {rash}", "{rash} *6 {neck}",
			"{fever} *6 {rash} *6 (doesnt|does not|wont|will not|didnt|not) fade",
			"{rash} *4 (doesnt|does not|wont|will not|didnt|not) (fade|go away|disappear) *4 (glass|pressed|press|tumbler)",
			"(neck|necks) (is|so|really|very) stiff *6 {fever}"),
		redFlag("crisis.red-flag-head-injury", "A headache after a head injury with vomiting, confusion or drowsiness needs emergency care.",
			"{head injury} *6 {confused vomit}",
			"{confused vomit} *6 (after|since) *3 {head injury}",
			"(worse|worsening|getting worse|keeps getting worse) *3 {headache} *6 {head injury}",
			"{head injury} *6 (worse|worsening|getting worse) *3 {headache}",
			"(worse|worsening|getting worse) *3 {headache} *3 {confused vomit}"),
		redFlag("crisis.red-flag-pregnancy", "A headache in pregnancy with swelling or vision changes can be pre-eclampsia: seek care now.",
			"{pregnant} *6 {preeclampsia}",
			"{pregnant} *3 {headache} *6 {preeclampsia}",
			"{preeclampsia} *6 {pregnant}"),
	}
}
