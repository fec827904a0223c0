package screening

import (
	"regexp"
	"sort"
	"strings"
)

// The concept layer: what the built-in rules are written over. A concept
// is a named list of words and phrases (a drug class, an action, a body
// part); a pack pattern names it in braces, "{stop} [taking] {your}
// {preventive}", and it expands to the alternatives at compile time. A new
// brand name or a new way of saying "stop" is one line here and every rule
// over the concept follows; the learned model gets the same concepts as
// features, so it generalises over them too.
//
// Concepts are listed in their own normalised spelling: lower case, no
// apostrophes ("dont"), hyphens as spaces.

// conceptLexicon returns every concept, fresh on each call.
func conceptLexicon() map[string][]string {
	c := map[string][]string{
		// Medicines by class: generic and brand names.
		"triptan": {"triptan", "triptans", "sumatriptan", "suma", "rizatriptan", "riza", "zolmitriptan", "eletriptan",
			"naratriptan", "almotriptan", "frovatriptan", "imitrex", "imigran", "maxalt", "rizalt", "zomig", "relpax",
			"amerge", "naramig", "axert", "almogran", "frova", "migard", "treximet", "tosymra", "onzetra", "zembrace"},
		"gepant": {"gepant", "gepants", "rimegepant", "ubrogepant", "atogepant", "zavegepant", "nurtec", "vydura",
			"ubrelvy", "qulipta", "aquipta", "zavzpret"},
		"ditan":    {"ditan", "ditans", "lasmiditan", "reyvow"},
		"cgrp mab": {"cgrp", "cgrps", "erenumab", "fremanezumab", "galcanezumab", "eptinezumab", "aimovig", "ajovy", "emgality", "vyepti", "cgrp injection", "cgrp injections", "cgrp shot", "cgrp shots", "monthly injection", "monthly injections", "monthly shot"},
		"preventive drug": {"preventive", "preventives", "preventative", "preventatives", "prophylactic", "prophylaxis",
			"topiramate", "topamax", "propranolol", "inderal", "amitriptyline", "elavil", "nortriptyline",
			"pamelor", "candesartan", "atacand", "gabapentin", "neurontin", "valproate", "sodium valproate",
			"depakote", "divalproex", "epilim", "onabotulinumtoxina", "botox", "botox injections", "venlafaxine", "effexor",
			"metoprolol", "timolol", "flunarizine", "sibelium", "pizotifen", "lisinopril", "memantine", "zonisamide",
			"pregabalin", "lyrica", "duloxetine", "cymbalta", "verapamil", "beta blocker", "beta blockers",
			"anticonvulsant", "anticonvulsants", "antidepressant", "antidepressants", "nerve blocks", "nerve block"},
		"nsaid": {"nsaid", "nsaids", "ibuprofen", "ibu", "ibuprofin", "advil", "motrin", "nurofen", "naproxen", "aleve",
			"naprosyn", "diclofenac", "voltaren", "voltarol", "cambia", "aspirin", "ketorolac", "toradol", "celecoxib",
			"celebrex", "mefenamic acid", "indomethacin", "anti inflammatories", "anti inflammatory"},
		"paracetamol": {"paracetamol", "acetaminophen", "tylenol", "panadol", "calpol", "apap"},
		"combination analgesic": {"excedrin", "co codamol", "cocodamol", "solpadeine", "migraleve", "fioricet",
			"fiorinal", "butalbital", "anadin", "anadin extra", "syndol", "co dydramol", "codydramol", "paramax", "migramax"},
		"opioid": {"codeine", "tramadol", "oxycodone", "oxy", "oxys", "hydrocodone", "vicodin", "percocet", "morphine",
			"opioid", "opioids", "opiate", "opiates", "dilaudid", "dihydrocodeine", "norco"},
		"ergot":       {"ergotamine", "cafergot", "dihydroergotamine", "dhe", "migranal", "trudhesa"},
		"generic med": {"meds", "med", "medication", "medications", "medicine", "medicines", "pills", "pill", "tablets", "tablet", "tabs", "prescription", "prescriptions", "script", "scripts", "painkillers", "painkiller", "pain killers", "pain meds", "drugs", "doses", "dose", "capsules", "rescue meds"},
		"contraceptive": {"combined pill", "combined contraceptive", "combined oral contraceptive", "combined oral contraceptives",
			"estrogen pill", "oestrogen pill", "the combined pill", "microgynon", "yasmin", "rigevidon", "ocp", "the pill"},

		// Actions.
		"stop": {"stop", "stopping", "quit", "quitting", "ditch", "ditching", "drop", "dropping", "dump", "bin", "skip",
			"skipping", "scrap", "come off", "coming off", "get off", "getting off", "go off", "going off", "give up",
			"throw away", "chuck", "ditch all", "wean off", "cut out", "abandon"},
		"cold turkey": {"cold turkey", "all at once", "overnight", "in one go", "no taper", "without tapering", "without weaning", "dont taper", "dont bother tapering", "no need to taper"},
		"more":        {"double", "triple", "double up", "stack", "stacking", "combine", "extra", "another", "more", "two more", "a few more", "a couple more", "top up"},
		"take":        {"take", "taking", "pop", "popping", "swallow", "swallowing", "down", "have", "use", "using", "chug", "neck"},
		"frequency": {"every day", "everyday", "every single day", "daily", "each day", "all day", "seven days a week",
			"every few hours", "every four hours", "every two hours", "four times a day", "five times a day", "six times a day", "round the clock", "around the clock",
			"morning and night", "every morning", "every night", "all week", "as often as you want", "as often as you like",
			"as often as you need", "whenever you want", "whenever you like", "whenever you need", "whenever it hurts",
			"as much as you want", "as much as you like", "as much as you need", "as many as you want", "as many as you need",
			"as many as it takes", "all the time", "most days", "every other day",
			"for weeks straight", "nonstop", "non stop", "no limit", "without limit"},
		"feel good": {"whenever you feel good", "when you feel good", "once you feel good", "whenever you feel better",
			"when you feel better", "once you feel better", "as soon as you feel better", "as soon as you feel good",
			"when the headaches stop", "once the attacks stop", "when youre feeling fine", "when you feel fine",
			"on good days", "when you have a good week", "once youre better", "when youre better"},

		// Cardiovascular contraindications.
		"vascular": {"stroke", "strokes", "a stroke", "heart attack", "heart disease", "heart condition", "angina",
			"high blood pressure", "uncontrolled blood pressure", "tia", "mini stroke", "bypass", "stent"},

		// Cure and conspiracy cues.
		"cure":      {"cure", "cures", "cured", "curing", "heal", "heals", "healed", "reverse", "reverses", "reversed", "eliminate", "eliminates", "eliminated", "fix", "fixes", "fixed", "gets rid of", "got rid of", "get rid of"},
		"for good":  {"for good", "forever", "permanently", "for life", "completely", "once and for all", "for ever", "never came back", "never come back", "gone for good"},
		"endorse":   {"worked for me", "works for me", "worked for my", "it works", "it worked", "swear by", "trust me", "can vouch", "did wonders", "does wonders", "changed my life", "guaranteed"},
		"authority": {"my naturopath", "naturopath", "my chiropractor", "chiropractor", "my homeopath", "homeopath", "my healer", "my guru", "a coach", "my coach", "my nutritionist", "my herbalist", "influencer", "a doctor on youtube", "this doctor on tiktok"},
		"conspiracy": {"big pharma", "pharma", "they dont want you to know", "hiding the cure", "suppressed", "cover up",
			"covering it up", "wake up", "sheeple", "do your own research", "the truth about"},

		// People, for crisis about someone else.
		"other person": {"my daughter", "my son", "my kid", "my child", "my teen", "my teenager", "my friend", "my best friend",
			"my partner", "my husband", "my wife", "my boyfriend", "my girlfriend", "my mum", "my mom", "my dad",
			"my sister", "my brother", "my flatmate", "my roommate", "a friend", "my niece", "my nephew", "my grandson", "my granddaughter"},
		"third person":    {"she", "he", "they", "shes", "hes", "theyre"},
		"self harm act":   {"kill", "killing", "hurt", "hurting", "harm", "harming", "cut", "cutting", "burn", "burning", "end", "ending", "overdose", "overdosing", "od", "starve", "starving"},
		"reflexive other": {"herself", "himself", "themselves", "themself"},
		"death wish":      {"want to die", "wants to die", "wanted to die", "wanna die", "wish i was dead", "wishes she was dead", "wishes he was dead", "better off dead", "dont want to live", "doesnt want to live", "doesnt want to be here", "dont want to be here", "no reason to live", "not worth living"},

		// Body and symptoms, for red flags.
		"one side":  {"one side", "one sided", "left side", "right side", "half my", "half of my", "half her", "half his", "half of her", "half of his", "half the", "half of the", "my left", "my right", "her left", "her right", "his left", "his right", "one arm", "one leg", "one hand"},
		"numb weak": {"numb", "numbness", "weak", "weakness", "dead", "limp", "heavy", "paralysed", "paralyzed", "tingling", "wont move", "cant move", "cant lift", "cant grip", "floppy"},
		"face body": {"face", "arm", "arms", "leg", "legs", "hand", "hands", "body", "side", "mouth", "lip", "cheek"},
		"sudden":    {"sudden", "suddenly", "all of a sudden", "out of nowhere", "out of the blue", "in seconds", "within seconds", "within a minute", "instantly", "came on fast", "like a switch", "from nowhere"},
		"worst":     {"worst", "worst ever", "most severe", "most painful", "crushing", "explosive", "exploding", "excruciating", "unbearable", "like being hit", "like a bomb", "like a gunshot", "like a bat", "like being shot", "split open", "like nothing before"},
		"headache":  {"headache", "headaches", "head pain", "pain in my head", "migraine", "head", "pain"},
		"eye sight": {"sight", "vision", "eyesight", "seeing"},
		"lost":      {"lost", "lose", "losing", "loss of", "gone", "went black", "went dark", "blacked out", "no", "went", "cant see"},
		"neck":      {"stiff neck", "neck is stiff", "neck stiffness", "neck is so stiff", "cant bend my neck", "cant move my neck", "cant touch my chin to my chest", "neck hurts to bend", "rigid neck", "neck wont bend", "stiff necked"},
		"fever":     {"fever", "temperature", "high temp", "temp of", "burning up", "feverish", "febrile", "shivering", "chills"},
		"rash":      {"rash", "spots that dont fade", "purple spots", "blotches", "rash that doesnt fade", "glass test", "tumbler test", "rash doesnt fade", "non blanching", "non fading"},
		"head injury": {"fall", "fell", "hit my head", "hit her head", "hit his head", "banged my head", "banged her head", "banged his head",
			"bumped my head", "bumped her head", "bumped his head", "head injury", "knocked my head", "knocked her head",
			"knocked his head", "concussion", "accident", "crash", "whacked my head", "smacked my head"},
		"confused vomit": {"vomiting", "vomit", "vomited", "throwing up", "threw up", "being sick", "been sick", "sick twice",
			"confused", "confusion", "drowsy", "cant stay awake", "sleepy", "disoriented", "not making sense", "passed out", "blacked out"},
		"pregnant":     {"pregnant", "pregnancy", "weeks along", "expecting", "third trimester", "second trimester", "postpartum", "just had a baby", "gave birth"},
		"preeclampsia": {"swelling", "swollen", "puffy", "blurred vision", "blurry vision", "seeing spots", "flashing lights", "vision change", "vision changes", "high blood pressure", "protein in my urine"},
		"speech":       {"slurred", "slurring", "slurry", "jumbled", "garbled", "words wrong", "wrong words", "gibberish", "cant get my words out", "cant get the words out", "cant speak", "cant talk", "words come out wrong", "words coming out wrong", "talking nonsense"},
	}
	c["acute med"] = concat(c["triptan"], c["gepant"], c["ditan"], c["nsaid"], c["paracetamol"], c["combination analgesic"],
		c["opioid"], c["ergot"], []string{"painkillers", "painkiller", "pain killers", "pain meds", "rescue meds", "rescue med"})
	c["preventive"] = concat(c["preventive drug"], c["cgrp mab"], []string{"atogepant", "qulipta"})
	c["any med"] = concat(c["acute med"], c["preventive"], c["generic med"])
	return c
}

func concat(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, w := range l {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

var conceptRef = regexp.MustCompile(`\{([a-z ]+)\}`)

// conceptExpander expands "{name}" in pack patterns to the concept's
// alternatives. An unknown name panics: the built-in pack is code, and a
// typo must fail its tests, not match nothing.
type conceptExpander map[string]string

func newConceptExpander() conceptExpander {
	out := conceptExpander{}
	for name, ws := range conceptLexicon() {
		ws = append([]string(nil), ws...)
		sort.Strings(ws)
		out[name] = "(" + strings.Join(ws, "|") + ")"
	}
	return out
}

func (x conceptExpander) expand(p string) string {
	return conceptRef.ReplaceAllStringFunc(p, func(m string) string {
		alt, ok := x[m[1:len(m)-1]]
		if !ok {
			panic("screening: unknown concept " + m)
		}
		return alt
	})
}
