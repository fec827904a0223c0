package screening

import "strings"

// BuiltinVersion labels the built-in pack; bump it whenever a rule
// changes so verdicts can be traced to the rules that made them.
const BuiltinVersion = "migraine-2025.2"

// BuiltinPack returns the built-in rules for migraine communities, fresh
// on every call. The facts behind them: there is no cure, only treatment;
// stopping preventives is a decision made with a doctor; acute medicine on
// more than a few days a week causes medication overuse (rebound)
// headache; one-sided weakness, a drooping face, slurred speech, sudden
// loss of sight in one eye or the worst headache of one's life can be a
// stroke or bleed and need emergency care; and these communities promise
// a space free of misinformation, harassment and medical shaming.
func BuiltinPack() Pack {
	var rules []Rule
	rules = append(rules, misinformationRules()...)
	rules = append(rules, shamingRules()...)
	rules = append(rules, harassmentRules()...)
	rules = append(rules, spamRules()...)
	rules = append(rules, crisisRules()...)
	rules = append(rules, conceptRules()...)
	rules = append(rules, crisisConceptRules()...)
	return Pack{Version: BuiltinVersion, Rules: rules}
}

// rule makes a pattern rule with the category's default action and
// contexts.
func rule(id string, c Category, s Severity, description string, patterns ...string) Rule {
	return Rule{ID: id, Category: c, Severity: s, Action: DefaultAction(c, s), Description: description,
		Patterns: patterns, Contexts: DefaultContexts(c)}
}

// words is a list of alternatives written once and used as (a|b|c) or,
// with opt, [a|b|c].
type words []string

func (w words) alt() string { return "(" + strings.Join(w, "|") + ")" }
func (w words) opt() string { return "[" + strings.Join(w, "|") + "]" }

// Word lists shared by several rules.
func medicines() words {
	return words{"meds", "medication", "medications", "medicine", "medicines", "pills", "prescription",
		"prescriptions", "prescription stuff", "preventive", "preventives", "preventative", "preventatives",
		"triptan", "triptans", "topiramate", "topamax", "propranolol", "amitriptyline", "candesartan",
		"venlafaxine", "botox", "aimovig", "emgality", "ajovy", "vyepti", "nurtec", "qulipta", "ubrelvy",
		"injections", "injection", "shots", "treatment", "treatments", "cgrp", "gepants", "drugs", "chemicals"}
}

func acuteMedicines() words {
	return words{"triptan", "triptans", "sumatriptan", "rizatriptan", "zolmitriptan", "eletriptan",
		"imitrex", "maxalt", "relpax", "painkiller", "painkillers", "pain killers", "pain meds",
		"ibuprofen", "advil", "motrin", "aspirin", "tylenol", "paracetamol", "acetaminophen", "excedrin",
		"naproxen", "aleve", "nsaids", "codeine", "opioids", "pills", "tablets"}
}

func headaches() words {
	return words{"migraine", "migraines", "headaches", "headache", "migraine attacks", "attacks",
		"chronic migraine", "my migraine", "my migraines", "your migraine", "your migraines", "my headaches",
		"your headaches", "my chronic migraine", "their migraines", "it", "them"}
}

func misinformationRules() []Rule {
	meds, acute, heads := medicines(), acuteMedicines(), headaches()
	daily := words{"every day", "everyday", "every single day", "daily", "each day", "all day",
		"every few hours", "every four hours", "as often as you want", "as often as you like", "whenever you want",
		"whenever you like", "whenever you feel like it", "as much as you want", "as much as you like",
		"all the time", "round the clock", "morning and night", "every morning", "every night", "forever"}
	stopVerb := words{"stop", "quit", "ditch", "drop", "dump", "bin", "toss", "skip", "scrap"}
	yours := words{"your", "all [of] [your|the|those]", "those", "the"}
	fine := words{"fine", "safe", "ok", "okay", "harmless", "no problem", "no big deal", "totally fine", "perfectly safe"}
	medical := words{"doctors", "neurologists", "pharma", "big pharma", "pharmas", "big pharmas", "drug companies", "the medical system",
		"the medical industry", "the system", "they", "theyre", "neurology", "the neurologist route", "medicine"}

	return []Rule{
		rule("misinfo.cure-claim", Misinformation, Medium,
			"Claims migraine can be cured or made to go away for good. There is no cure; treatments reduce attacks.",
			"(cures|cured|cure|will cure|can cure|curing) [chronic] "+heads.alt(),
			"(heals|healed|heal|reverses|reversed|reverse|eliminates|eliminated|eliminate|fixed|fixes|fix|got rid of|gets rid of|get rid of|ended|ends|end|clear|clears|cleared|banish|banishes|banished|beat|beats|stop|stops|stopped) "+heads.alt()+" (for good|forever|permanently|completely|for ever|for life)",
			"(migraine|migraines|headaches|attacks|headache) (stop|stopped|end|ended|go away|went away|will stop|will go away) (forever|for good|permanently|for life)",
			"(migraine|headache|pain) free (for life|forever|for good|permanently)",
			"(healed|cured|fixed) me (completely|for good|forever|permanently|totally)",
			"(there is|theres|there's) (a|one) [real|simple|natural|permanent|proven] cure",
			"(found|discovered|have|got|know) (a|the) [simple|natural|permanent|miracle] cure",
			"(miracle|natural|permanent|guaranteed|proven|secret|100) cure",
			"(youll|you will|you are|youre) [be] [completely|totally|fully] cured",
			"(is|are) [#] [totally|completely|fully|easily] (curable|reversible)",
			"(one|this) (simple|weird) trick",
			"(never|wont) (have|get) another (one|migraine|attack|headache)",
			"no more (attacks|migraines|headaches) (ever|forever|for good|again)",
			"(migraine|migraines|headaches) (gone|vanish|vanished|disappear|disappeared) (forever|for good|permanently|in # (days|day|weeks|week|hours))"),
		rule("misinfo.stop-medication", Misinformation, High,
			"Tells people to stop prescribed or preventive medication. Stopping is a decision made with a doctor.",
			stopVerb.alt()+" [taking|using|all] "+yours.alt()+" "+meds.alt(),
			"^ "+stopVerb.alt()+" [taking|using] (that|it|them)",
			"(throw|chuck) (away|out) "+yours.alt()+" "+meds.alt(),
			"^ (get|come|go) off (it|them|all of them|all of it|everything|"+yours.alt()+" "+meds.alt()+")",
			"(come|go|get|coming|going|getting) off (everything|all of it|it all|all your meds|all meds)",
			"^ go (natural|all natural|med free|medication free|drug free)",
			"you [honestly|really|even|just] (dont|do not) need (your|any|the|those|all|these) "+meds.alt(),
			"(everyone|everybody|you|people) (should|must|need to|needs to|ought to|have to) "+stopVerb.alt()+" [taking] (their|your|all) "+meds.alt(),
			"(coming|going|getting) off (your|the|a|any) "+meds.alt()+" *3 "+fine.alt(),
			"(no need|dont need|you dont have) to (taper|wean)",
			"(better|safer) than (meds|medication|pills|triptans|prescriptions|drugs|your meds)",
			"(throw|chuck|toss|bin|put) (the|your|those|all your|all the) "+meds.alt()+" (in the trash|in the bin|away|out)",
			"best thing i [ever] did was (quit|stop|stopping|quitting|ditch|ditching|come off|coming off|get off|getting off)",
			"stay away from (them|triptans|preventives|meds|medication|botox|cgrp|those pills|pharma)",
			meds.alt()+" (are|is) (addictive|toxic|poison|poisonous)",
			"(rot|rots|fry|fries|destroy|destroys|destroying|poisoning|poisons|damage|damages|damaging) (your|ur) (brain|liver|kidneys|body|gut)"),
		rule("misinfo.medication-overuse", Misinformation, High,
			"Encourages acute medicine every day or without limit, which causes medication overuse (rebound) headache.",
			"^ [just] (take|use|pop|keep taking|keep using|keep popping) [your|those|the|an|a] "+acute.alt()+" *2 "+daily.alt(),
			fine.alt()+" to (take|use) [them|it] *3 "+daily.alt(),
			"you can [safely|totally|just|easily] (take|use|pop) [your|the] "+acute.alt()+" *2 "+daily.alt(),
			"(daily|everyday) "+acute.alt()+" (are|is) [perfectly|totally|completely] "+fine.alt(),
			acute.alt()+" *4 "+daily.alt()+" *4 (is|are|its) [totally|perfectly|completely|absolutely] "+fine.alt(),
			"(rebound|rebound headaches|rebound headache|medication overuse|medication overuse headache|moh|the rebound thing) (is|are) [just] (a myth|myths|not real|made up|fake|overblown|a scam|nonsense|exaggerated)",
			"(rebound|rebound headaches|rebound headache|medication overuse|medication overuse headache|moh|the rebound thing) (isnt|is not|arent|are not) [a] real [thing]",
			"(take|use|have|pop) as many "+acute.opt()+" as (you|u) (want|like|need|can)",
			"no (limit|max|maximum) (on|to) (triptans|painkillers|how many)",
			"no such thing as (rebound|medication overuse)",
			"(no|zero) risk (taking|using|to take|in taking) *3 "+daily.alt()),
		rule("misinfo.dangerous-dosing", Misinformation, High,
			"Encourages doses above the label: several tablets at once, doubling doses, ignoring the maximum.",
			"(take|taking|pop|swallow|down) #3+ [extra] [of] "+acute.opt()+" (at once|at the same time|together|in one go)",
			"(take|taking|pop|swallow|down) #2+ more "+acute.opt()+" (at once|at the same time|together|in one go)",
			"(take|taking|pop|swallow|down) #5+ [more|extra] "+acute.alt(),
			"(take|pop|swallow|have) another (#|one|a couple) *2 (straight away|right away|immediately|then another)",
			"keep taking (them|it|more) (until|till) (it stops|it goes|it works)",
			"(double|triple) (the|your|ur) (dose|dosage)", "(double|triple) up (on|with)",
			"(take|took|taking|pop|popped) #3+ in a row",
			"ignore (the|that) (max|maximum|recommended) (dose|dosage|limit)",
			"(take|took|taking) #2000+ (mg|milligrams) [of] (tylenol|paracetamol|acetaminophen)",
			"(take|took|taking) #1200+ (mg|milligrams) [of] (ibuprofen|advil|motrin)",
			"^ (take|swallow|down) (the|a) (whole|entire) [blister] (pack|packet|bottle|box|strip)",
			"(more|extra) than the (label|box|packet|leaflet) says"),
		rule("misinfo.dangerous-remedy", Misinformation, High,
			"Recommends substances that are harmful to swallow.",
			"(turpentine|kerosene|chlorine dioxide|colloidal silver|miracle mineral)",
			"(drink|drinking|swallow|take) [some|a little] bleach"),
		rule("misinfo.anti-medical", Misinformation, Medium,
			"Anti-medical conspiracy: doctors or drug companies hiding cures or keeping people sick.",
			medical.alt()+" (doesnt|dont|does not|do not) want you (cured|to know|well|healthy|to get better)",
			"(paid|get paid|are paid|profit) to keep you (sick|coming back|ill)",
			"(designed|meant|made) to keep you (dependent|sick|hooked|coming back|ill)",
			medical.alt()+" *3 (bury|burying|buried|hide|hiding|suppress|suppressing) (it|the cure|cures|the truth)",
			"hiding (it|the cure|cures|the truth) from (us|you|everyone)",
			"(vaccine|vaccines|the jab|jabs|fluoride|chemtrails|5g) *4 (caused|cause|causes|causing|gave you|behind) [your|my|the] (migraine|migraines|headaches)",
			medical.alt()+" (are|is) (lying|lieing|liars)",
			medical.alt()+" (wont|will not|refuse to|dont want to) (admit|tell you)",
			medical.alt()+" *2 (is|are) (a racket|a scam|a con|a money grab)",
			"do your own research",
			"(pharma|big pharma|drug companies) (is|are) (milking|scamming|poisoning)",
			meds.alt()+" (are|is) [literally|basically|just|pure] (a scam|poison|neurotoxin|toxic)",
			"(its|it is) [literally|basically|pure] poison",
			"(just|only) masking [the] symptoms",
			medical.alt()+" *2 (make|makes|making) (money|a fortune|billions|a killing)",
			"(doctors|neurologists|gps) [just] (push|pushing|pushes) (pills|meds|drugs)",
			"kickbacks", "wake up (people|sheeple|sheep)", "sheeple",
			"(is|are|just|its) a scare tactic", "everything else is (a lie|a scam|poison|useless)",
			"(doctors|neurologists) (overmedicate|over medicate)"),
		rule("misinfo.miracle-products", Misinformation, Medium,
			"Miracle supplements, detoxes and cleanses sold as migraine treatment.",
			"miracle (supplement|supplements|tea|oil|oils|pill|pills|product|remedy|drops|gummies|powder|protocol)",
			"(flush|flushes|flushing|flushed) [out] [the|your] toxins",
			"toxins (cause|causing|behind|that cause)",
			"(heavy metal|parasite|liver|colon|juice) (detox|cleanse)",
			"detox (tea|teas|kit|cleanse) *3 (cure|cures|flush|flushes|gone)",
			"(100|all) natural *3 (cure|remedy|fix|solution)"),
	}
}

func shamingRules() []Rule {
	subject := words{"youre", "you are", "shes", "she is", "hes", "he is", "theyre", "they are"}
	return []Rule{
		rule("shaming.just-a-headache", Shaming, Medium,
			"Dismisses migraine as an ordinary headache or not a real illness.",
			"(just|only|merely) a [little|bit of a|small|silly|tiny] headache",
			"headache not (a|cancer|the end|a disability|a tumour|a tumor)",
			"(everyone|everybody|we all) (gets|get|has|have) headaches",
			"(stop|quit) making [such] a (fuss|big deal|scene)", "(fuss|drama) (about|over) a headache",
			"(migraine|migraines|it) (isnt|is not|arent|are not) (a real|real) [illness|disease|condition|thing]",
			"(its|thats|it is|that is) not a real (migraine|illness|disease|condition)",
			"(calling in sick|call in sick|calls in sick|taking time off|take time off|skip work|skipping work|miss work|missing work|cancel plans|cancelling plans) (for|over|because of) a [little|bit of a] headache",
			"people with (actual|real) (problems|pain|illnesses|illness)",
			"(headaches|a headache|migraines) (dont|doesnt|do not|does not) stop (anyone|people|me|normal people) from"),
		rule("shaming.faking", Shaming, High,
			"Says someone is faking, exaggerating or after attention.",
			subject.alt()+" [just|so|clearly|obviously|totally|probably|only|literally|always] (faking|fakin|making it up|making this up|making them up|lying|putting it on|exaggerating|pretending|overreacting|over reacting)",
			"(what a|such a|total|youre a|you are a|a total) (faker|fraud)",
			"attention (seeker|seeking|seekers|whore)",
			"(faking|doing) it for attention",
			"(you|youre|she|shes|he|hes|they) [just|only|obviously|clearly] (want|wants|crave|craves|looking for|after) attention",
			"(convenient|conveniently|funny|interesting|suspicious) how (you|your|youre|she|shes|her|he|hes|his|they|their)",
			"real migraines (dont|do not|arent)",
			"(you|she|he|they) (seem|seems|look|looks) (fine|okay|ok|perfectly fine|fine to me)",
			subject.alt()+" [just|so|totally|clearly] milking it",
			"if (you|she|he) (actually|really) wanted to get better", "(youd|you would|you need to|just) try harder"),
		rule("shaming.drug-seeking", Shaming, High,
			"Accuses someone of drug seeking for asking about medication.",
			"("+strings.Trim(subject.alt(), "()")+"|just|classic|such a|total|a) [just] drug (seeking|seeker|seekers)",
			"(youre|you are|you|she|he|just) [just|only] (after|chasing|want|wanting|wants) the [strong|good|hard|real] (pills|painkillers|opioids|drugs|meds|oxy|narcotics|stuff)"),
		rule("shaming.all-in-your-head", Shaming, Medium,
			"Says migraine is imagined or psychological.",
			"(all|just|only|its|it is|thats) in (your|her|his|their) head",
			"(its|it is|thats|just|all|totally) psychosomatic",
			"(go see|see|need) a (shrink|psychiatrist) not a (neurologist|doctor)"),
		rule("shaming.blame", Shaming, Medium,
			"Blames people for their migraine or calls them lazy or weak.",
			"(its|it is|all) (your|ur) [own] (fault|doing)", "your own doing",
			"you (bring|brought) (these|them|it|this|that) on yourself", "you did this to yourself",
			"(just|only) an excuse",
			"(using|use|uses) (migraine|migraines|it|your migraines|a headache) as an excuse",
			"(youre|you are) [just|so|being|really] (lazy|weak)"),
		rule("shaming.toughen-up", Shaming, Medium,
			"Tells someone to toughen up or stop complaining about pain.",
			"get over it", "(toughen|man|harden) up", "get a grip",
			"(stop|quit) (whining|complaining|moaning|exaggerating|whinging)",
			"(stop|quit) being [so] (dramatic|sensitive|a baby|weak|a drama queen)",
			"(stop|quit) playing the victim", "drama queen", "suck it up",
			"(tried|try) not being so (sensitive|dramatic)",
			subject.alt()+" [just|so|being|really|totally] (dramatic|hysterical|a baby|a drama queen|a wimp)",
			subject.alt()+" *2 (a hypochondriac|a princess|a snowflake|a wimp|a crybaby|a cry baby|a faker)",
			"(sounds like|just|pure|thats|its) laziness"),
	}
}

func harassmentRules() []Rule {
	noun := words{"idiot", "moron", "loser", "clown", "pig", "waste of space", "waste of oxygen", "imbecile",
		"cretin", "freak", "scum", "scumbag", "trash", "garbage", "retard", "dumbass", "bitch", "twat", "prick",
		"piece of shit", "piece of crap", "muppet", "worm", "troll", "dimwit", "halfwit", "numpty", "tosser",
		"wanker", "knob", "cow", "parasite", "leech", "lowlife", "low life", "degenerate", "plonker", "joke",
		"disgrace", "embarrassment", "menace", "nuisance", "pest", "waste of air", "waste of skin",
		"waste of a human being", "waste of a person"}
	// Adjectives that insult on their own ("you're so thick"), and ones
	// that only intensify a noun ("you complete waste of space").
	insulting := words{"stupid", "dumb", "pathetic", "worthless", "useless", "vile", "disgusting", "thick",
		"brainless", "braindead", "brain dead", "idiotic", "ignorant", "spineless"}
	adj := append(words{"fat", "ugly", "little", "absolute", "complete", "total", "utter", "fucking", "nasty"}, insulting...)
	nouns := strings.Trim(noun.alt(), "()")
	return []Rule{
		rule("harassment.self-harm-directed", Harassment, High,
			"Tells someone to kill or harm themselves or die. Held, not the crisis lane: the writer is not the one at risk.",
			"(kill|off|hang|end) yourself", "kys", "go die", "drop dead", "(you|u) [just|should|could|can] (die|go die)",
			"just die already", "(hope|wish) (you|u) (die|suffer|rot|get worse|never get better)",
			"go (jump|throw yourself) off a (bridge|cliff|building|roof)", "go play in traffic",
			"eat (glass|shit|a bullet)", "^ [just|please] stop breathing",
			"deserve (every|all the|your|each) (migraine|migraines|pain|attack|headache)", "deserve to (suffer|die|be in pain)"),
		rule("harassment.cruelty", Harassment, High,
			"Wishes pain or harm on someone.",
			"hope your (migraine|migraines|head|pain|headache|headaches) (never ends|gets worse|lasts forever|never stops|never goes away)",
			"(hope|wish) (you|u) (get|have) (a|an) (migraine|headache|stroke|aneurysm|tumour|tumor|brain tumour|brain tumor)",
			"(hope|wish) (you|u) get whats coming", "rot in hell", "go to hell"),
		rule("harassment.insult", Harassment, Medium,
			"Insults a member.",
			"(youre|you are) *2 ("+nouns+"|"+strings.Trim(insulting.alt(), "()")+")",
			"(youre|you are) *2 the (dumbest|stupidest|most annoying|worst|ugliest|most pathetic|thickest|most useless)",
			"you "+adj.opt()+" "+adj.opt()+" ("+nouns+")",
			"what (a|an) "+adj.opt()+" ("+nouns+")",
			"(absolute|complete|total|utter) (idiot|moron|clown|loser|imbecile|muppet)",
			"imagine being (this|so) "+adj.alt(),
			"you (make|made) me sick", "you disgust me"),
		rule("harassment.go-away", Harassment, Medium,
			"Tells someone to leave or shut up, or that nobody wants them.",
			"(nobody|noone|no one) *2 (wants|likes|needs|can stand|asked for|cares about) (you|your opinion|your input|your advice|your posts)",
			"(nobody|noone|no one) cares (about your|what you|about you)",
			"^ [just|now|please|so] (leave|get out of) (this|our) (group|chat|community|room|forum)",
			"do (us|everyone|everybody|the world|the group) a (favour|favor) and (leave|go|disappear)",
			"^ [just|now|so] get lost",
			"(fuck|f*ck|f**k|fck|piss|bugger|sod) off",
			"crawl (back|into|in|back into|back under|under) *2 (rock|hole|cave)",
			"(and|to) never (post|come back|show your face) (again|here)",
			"^ [just|now|so] get off (this|our) (group|chat|community|room|forum)", "(f|eff) off",
			"shut the (hell|fuck|f*ck|heck) up", "shut your (mouth|trap|face|gob)", "stfu", "gtfo",
			"shut up *2 (nobody|no one|noone|idiot|loser|moron|already)"),
	}
}

func spamRules() []Rule {
	contact := words{"dm", "pm", "message", "inbox", "text", "whatsapp", "email", "contact"}
	sell := words{"price", "prices", "pricing", "details", "info", "order", "orders", "buy", "purchase",
		"discount", "discounts", "deals", "the plug", "learn", "bulk", "wholesale", "number", "samples"}
	promo := words{"buy", "order", "shop", "discount", "code", "promo", "sale", "deal", "deals", "cheap",
		"offer", "checkout", "giveaway", "giveaways", "claim", "stock", "store", "earn", "income"}
	r := []Rule{
		rule("spam.contact-to-buy", Spam, Medium,
			"Asks members to message privately to buy something.",
			contact.alt()+" [me] (for|to) *2 "+sell.alt(),
			contact.alt()+" me if (you|u) (want|wanna|would like) to (buy|order|purchase|try|get)",
			"(message|dm|pm|send|text) me your (address|number|email|details)",
			"(whatsapp|telegram|signal|wechat|kik) me",
			"(text|message|contact|add) me on (whatsapp|telegram|signal|wechat|kik|insta|instagram|snap|snapchat)"),
		rule("spam.selling", Spam, Medium,
			"Sells medication, supplements or products.",
			"(selling|for sale|sell off|selling off) *3 ("+strings.Trim(medicines().alt(), "()")+"|pens|tablets|oxy|oxycodone|gummies|oils)",
			"(cheap|discount|discounted|bulk|wholesale) "+medicines().alt(),
			"(buy|order) *2 "+medicines().alt(),
			"(without|no) (a|need for a|prescription|script) (prescription|script|needed|required)",
			"without a (prescription|script)",
			"(i can|can) get you (cheap|discount|discounted)",
			"free (samples|sample|bottle|bottles|trial)"),
		rule("spam.promotion", Spam, Medium,
			"Links or calls to action that promote a shop, offer or account.",
			promo.alt()+" *6 <link>", "<link> *6 "+promo.alt(),
			"# off *6 <link>", "<link> *6 # off",
			"# off (our|my|all|everything|today|this week|this weekend|your first|sitewide|storewide)",
			"(sign up|register) (at|here|now|today|via) <link>",
			"limited (offer|time offer|stock|spots)", "(act|order|buy|shop) now",
			"(link|details|info|more) in [my] (bio|profile)", "(use|enter|apply|with) [my|the|promo|discount|coupon|this] code",
			"at checkout", "claim your free", "exclusive (discount|discounts|offer|offers|deal|deals)",
			"click (the|this|my) link", "(share|comment|follow|like) to win", "free giveaway",
			"(visit|check out|check) my (website|site|shop|store|page|channel|profile)",
			"(follow|subscribe to) [me|us] *2 on (insta|instagram|tiktok|youtube|telegram|facebook|twitter)",
			"(follow|subscribe to) my (page|channel|account|insta|instagram|tiktok)",
			"(my|our) [online] (store|shop)"),
		rule("spam.money", Spam, Medium,
			"Money-making, investment and crypto schemes.",
			"(earn|make|making) [up to] # *2 (a day|per day|a week|per week|a month|daily|weekly|from home)",
			"(make|making|earn|earning) money (fast|online|from home|while|quickly|easy|easily|from your phone|with me|by)",
			"(earn|earning|make) (commission|cash|income) *2 (from home|online|daily|weekly|from your phone)",
			"(brand|our) ambassadors", "passive income", "account manager", "invite code",
			"(pays|paying|returns|earn|earns|made) # *3 (daily|a day|per day|weekly|a week|this month|a month)",
			"(trading|investment|investing|signals|crypto) group", "join (our|my) (team|trading|channel|telegram)",
			"(invest|investing|investment|trade|trading|profit|profits|returns|signals|mentor|expert|opportunity) *3 (crypto|bitcoin|btc|forex|ethereum|usdt|nft|nfts)",
			"(crypto|bitcoin|btc|forex|ethereum|usdt) *3 (invest|investing|investment|trading|signals|profit|profits|returns|mentor|expert|group|opportunity|changed my life|doubled|tripled)"),
	}
	// Members warn each other about spam they got: that is a report.
	for i := range r {
		r[i].Unless = []string{
			"(spam|spammy|scam|scammy|phishing|dodgy|fake|weird|suspicious) (message|messages|dm|dms|pm|email|emails|text|texts|post|posts|account|accounts|link|links|call|calls) *4 (offering|selling|about|for|with|advertising|promising|pushing|claiming)",
			"(reported|report|reporting|blocked|block|flagged|flag|ignore|ignored|deleted) (it|them|him|her|the account|the message|the post|this)",
			"(beware|careful|watch out|heads up|warning) *4 (spam|scam|scammers|spammers|fake|sellers|messages|dms)",
			"(dont|never|do not) (buy|order|click) *4 (from|online|without|the link|links|strangers)",
		}
	}
	rep := rule("spam.repeated", Spam, Low,
		"A very long run of one character or the same word. Queued, not held: a member in pain screams too.",
		"<repeat>")
	rep.Action = ActionQueue
	return append(r, rep)
}

func crisisRules() []Rule {
	// Red flags are how members talk about their history too ("years ago
	// I had slurred speech"), so negation, distant past and hypotheticals
	// suppress them; asking about one that is happening does not.
	redFlag := func(id, description string, patterns ...string) Rule {
		r := rule(id, Crisis, High, description, patterns...)
		r.Contexts = Contexts{Negated: Suppress, Past: Suppress, Hypothetical: Suppress}
		return r
	}
	intent := words{"going to", "gonna", "want to", "wanna", "will", "might", "should", "could", "about to",
		"ready to", "plan to", "planning to", "planning on", "thinking about", "thinking of", "think about",
		"thought about", "considering", "ima", "im going to", "i will", "tempted to", "thoughts of",
		"thoughts about", "wants to", "ill", "i shall", "imma", "gonna just", "going to just"}.alt()
	pills := "(pill|pills|meds|tablets|medication|medicine|bottle|box|pack|packet)"
	selfHarm := rule("crisis.self-harm", Crisis, High,
		"Talk of suicide or self-harm. A person from the crisis team responds.",
		"(kill|killing|hurt|harm|cut|end) myself",
		"(hurting|harming|cutting) myself (tonight|today|again|now)",
		"(cut|burned|burnt|hurt|harmed) myself (again|on purpose|tonight|last night)",
		"(self harm|self harming|selfharm|selfharming)",
		"(end|ending|take|taking) my [own] life",
		intent+" [just] (end|ending) (it|things|everything|it all)",
		"(want to|wanna|wanting to|going to|gonna|ready to|plan to|planning to|wish i could) die",
		"(want to|wanna|gonna|going to|about to|ima) kms",
		"(dont|do not) want to (be here|be alive|exist|live|wake up) [anymore|any more|any longer]",
		"(not sure|dont know if|dont know) [if] (i|that i) (want to|wanna) (live|be alive|be here|go on)",
		"(no|dont see the|dont see any|whats the) point (in|of) (living|being alive|going on|being here)",
		"(tired of|done with) (living|being alive|life)", "(life|living) (isnt|is not|aint) worth (living|it)",
		"better off (dead|without me)", "end it all", "(ending|end) it (tonight|for good)",
		"suicidal", "(commit|committing|thinking about|thoughts of|considering|attempt|attempted) suicide",
		"no (reason|will) to (live|go on|keep going|be here)", "nothing to live for",
		"(wish|hope) i (wouldnt|dont|didnt|never|wont) wake up", "wish i (was|were) dead",
		"(sleep|go to sleep) and never wake up",
		"(cant|cannot) (go on|do this|take this|take it|take the pain|keep living like this|keep going) (anymore|any more|any longer|like this)",
		"(cant|cannot) keep (living|going) like this",
		"(want|wanna) to disappear (forever|for good|permanently)",
		"(nobody|no one|noone) *3 (notice|care|miss me) if i (was|were|wasnt|werent|disappeared|died)",
		"if i (was|were) gone", "(im|i am|i feel like) (a|such a) burden",
		"this is my last (post|message)", "goodbye (letters|letter|notes|note)",
		"(better off|happier|easier|better) *2 if i *2 (wasnt|werent|was not|were not) (around|here|alive)",
		intent+" *2 (step|jump|walk|throw myself) (in front of|off|under) (a|the) (bus|train|car|bridge|cliff|building|roof|lorry|truck)",
		"(cant|cannot|dont think i can) (survive|last|make it through) another (day|week|night|month)",
		"(thoughts of|thinking of|thoughts about) (hurting|harming|killing|cutting) myself",
		"(sleep|go to sleep) (forever|and never wake up|and not wake up)",
		"(feel|feels|felt) like i (cant|cannot) go on",
		intent+" *2 (take|taking|swallow|swallowing|overdose on|od on) (all|every|the whole|a whole) *2 "+pills,
		intent+" (overdose|od)", "(pills|meds|tablets) saved up", "(stockpiling|hoarding|saving up) [my] "+pills,
		"overdose on purpose",
		"(dont|do not) think i can (go on|do this|take this|take it|keep going|keep living|cope) *3 (anymore|any more|any longer|like this)",
		"(gonna|going to|want to|wanna|might|ima|imma|about to|should|could) kms", "kms (tonight|today|now|soon|honestly|fr|rn|lol)")
	// Recall first: "if", quotes and questions never lower self-harm
	// language; a negation of the words themselves and a clearly distant
	// past lower it to review, never clear it. Idioms that read like it
	// are listed, not guessed.
	selfHarm.Contexts = Contexts{Negated: Downgrade, Past: Downgrade}
	selfHarm.Unless = selfHarmIdioms()
	thunderclap := redFlag("crisis.red-flag-thunderclap", "A sudden, worst-ever headache can be a bleed: call emergency services.",
		"worst (headache|pain|migraine) of my [entire|whole] life",
		"(sudden|suddenly) [the] worst (headache|pain|migraine) (ever|ive ever had|i have ever had)",
		"(like|as) a thunderclap",
		"thunderclap [headache] (just|hit|started|came|is|right now)",
		"(having|have|got|im having|i have|i think i have|i think its) a thunderclap")
	// A first migraine remembered as the worst headache of one's life.
	thunderclap.Unless = []string{"(first|1st|very first) (migraine|migraines|attack|one) *6 worst (headache|pain|migraine)",
		"worst (headache|pain|migraine) *6 (first|1st|very first) (migraine|attack)"}
	return []Rule{
		selfHarm,
		redFlag("crisis.red-flag-face", "A drooping face can be a stroke: call emergency services.",
			"(face|mouth|smile|lip|lips|eyelid) *3 (drooping|droopy|droops|drooped|sagging|lopsided)",
			"(drooping|droopy|sagging) (face|mouth|smile)",
			"(think|thinking|scared|worried) (im|i am|shes|hes|she is|he is|theyre) having a stroke"),
		redFlag("crisis.red-flag-speech", "Sudden slurred or jumbled speech can be a stroke: call emergency services.",
			"(speech|words) (is|are|keeps|keep|getting|started|sounds|coming out|come out|keep coming out) [all|really|so] (slurred|slurry|jumbled|garbled|wrong|mixed up)",
			"(slurring|slur) (my|his|her|their) (words|speech)",
			"(cant|cannot|can not) (speak|talk) (properly|right|clearly|straight|at all)",
			"(i have|im having|having|i had|got|with) slurred speech"),
		redFlag("crisis.red-flag-weakness", "Sudden weakness or numbness on one side can be a stroke: call emergency services.",
			"(sudden|suddenly|all of a sudden|out of nowhere) *3 (weakness|weak|numbness|numb|paralysed|paralyzed) *4 (side|arm|leg|face|half)",
			"(cant|cannot|can not) (lift|move|feel) (my|his|her) [left|right] (arm|leg|hand|side)",
			"(arm|leg|hand|side) (wont|will not|isnt|cant|stopped) (work|working|move|moving|lift)",
			"(sudden|suddenly|all of a sudden|out of nowhere) *4 (arm|leg|side|face|hand) *3 (went|is|are|going|gone) (weak|numb|dead|limp)",
			"(arm|leg|side|hand) *2 (went|gone|going) (weak|limp|dead)"),
		redFlag("crisis.red-flag-vision", "Sudden loss of sight in one eye needs emergency care.",
			"(cant|cannot|can not) see (out of|from|with|in) (my|one|his|her) [left|right] eye",
			"(lost|losing|lose|lost all) [the|my|all] (vision|sight) (in|of|from) (one|my|his|her) [left|right] eye",
			"(suddenly|sudden) (blind|blindness) in (one|my) [left|right] eye"),
		thunderclap,
	}
}

// selfHarmIdioms read like self-harm language and are not.
func selfHarmIdioms() []string {
	return []string{
		"(end|ending|ended|finish|finishing) (it|things) (with|between) (my|me and my|him|her|them|us) *2 (boyfriend|girlfriend|partner|husband|wife|ex|bf|gf|fiance|fiancee|date|boss|job|landlord|gym|him|her|them|us|and)",
		"(end|ending|ended|finish|finishing) (it|things) with (him|her|them) *3 (relationship|dating|seeing)",
		"(cant|cannot) (do this|take it|go on|take this|cope|function) (anymore|any more|any longer) without (my|an|the|a|some) *2 (ice pack|ice packs|coffee|caffeine|tea|sunglasses|earplugs|blackout|nap|naps|heat pack|meds|triptan|help|support|glasses|fan)",
		"(die|dying) (of|from) (embarrassment|laughter|laughing|shame|boredom|cringe|the heat)",
	}
}
