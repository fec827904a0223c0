package vocab

// Everyday returns the everyday words members use where the library's
// articles use plain clinical ones (UK and US): where to go for urgent
// help, keeping a diary, periods, dizziness, tummy pain, what aura looks
// like, and the parts of an attack. Fresh on each call; screening does not
// read these.
func Everyday() []Concept {
	return []Concept{
		// Where to go, and when it is serious.
		{Name: "emergency care", Means: []string{"emergency", "urgent"}, Says: []string{"emergency visit", "go to emergency", "the emergency room", "nhs 111", "e r", "emerg", "urgent help", "same day help", "straight away", "right away", "asap",
			"a e", "accident and emergency", "er", "the er", "emergency room", "emergency department",
			"emergency dept", "casualty", "urgent care", "urgent care centre", "urgent care center", "urgent treatment centre",
			"walk in centre", "walk in clinic", "911", "112", "111", "000", "ambulance", "paramedic", "paramedics",
			"the hospital", "emergency services", "call an ambulance", "emergency number"}},
		{Name: "danger", Means: []string{"emergency", "warning"}, Says: []string{"meningitis", "seizure", "fit", "fitting", "collapse", "collapsed", "fainted", "faint", "pass out", "dangerous headache", "serious headache", "warning sign", "something wrong", "something serious",
			"dangerous", "danger", "serious", "seriously", "life threatening", "red flag", "red flags",
			"scared", "frightened", "alarming", "worrying", "should i worry", "urgent"}},
		{Name: "stroke", Means: []string{"stroke"}, Says: []string{"stroke", "strokes", "mini stroke", "tia", "brain bleed", "bleed on the brain", "aneurysm", "fast test", "face drooping", "drooping", "droopy face"}},
		{Name: "doctor", Means: []string{"doctor", "appointment"}, Says: []string{"doctor visit", "doctors appointment", "clinic visit", "telehealth", "video appointment",
			"doc", "physician", "family doctor", "primary care", "appt", "appointment", "appointments", "consultation", "check up", "checkup"}},
		{Name: "specialist", Means: []string{"specialist", "neurologist"}, Says: []string{
			"neurology", "neuro", "headache specialist", "headache clinic", "migraine clinic", "specialist", "referral", "referred"}},

		// Medicines, in the words of people who take them.
		{Name: "painkiller", Means: []string{"painkiller", "counter", "acute"}, Says: []string{
			"painkiller", "painkillers", "pain killer", "pain killers", "pain relief", "pain reliever", "pain relievers",
			"pain medicine", "pain medication", "pain pills", "analgesic", "analgesics", "otc", "over the counter", "off the shelf",
			"from the chemist", "from the pharmacy", "from the drugstore"}},
		{Name: "overuse", Means: []string{"overuse", "rebound"}, Says: []string{"medication overuse", "painkiller headache", "analgesic headache", "taking too many", "too many tablets",
			"overuse", "overused", "over use", "too many", "too much", "too often", "rebound", "rebounds",
			"rebound headache", "medication headache", "moh", "relying on", "hooked on", "addicted to"}},
		{Name: "injection", Means: []string{"injection"}, Says: []string{"injection", "jab", "jabs", "shot", "shots", "injectable", "pen", "auto injector"}},
		{Name: "acute", Means: []string{"acute", "attack"}, Says: []string{
			"abortive", "abortives", "stop an attack", "stop the attack", "stop it", "at the start", "when it starts",
			"when one starts", "as soon as it starts", "first sign", "make it go away", "go away", "get rid of", "knock it out", "kill the pain", "relief", "relieve", "ease"}},
		{Name: "preventive", Means: []string{"preventive", "prevent"}, Says: []string{"preventative", "prophylaxis", "stop them coming back",
			"prevent", "prevents", "preventing", "prevention", "preventer", "fewer attacks", "fewer migraines",
			"stop them happening", "stop them coming", "stop them starting", "daily pill", "daily medicine",
			"daily medication", "long term treatment"}},
		{Name: "rescue", Means: []string{"rescue", "backup"}, Says: []string{"not help", "doesnt help", "dont help", "not helping", "no help", "isnt working", "arent working", "arent doing anything", "not doing anything", "does nothing", "do nothing", "nothing touches", "nothing is touching", "not touching it",
			"back up", "plan b", "second line", "doesnt work", "didnt work", "not working",
			"stopped working", "nothing works", "nothing helps", "fails", "failed", "usual meds", "last resort"}},
		{Name: "treatment options", Means: []string{"treatment", "options"}, Says: []string{"choices", "treat", "treated", "treating", "treats", "treatments", "therapy", "therapies", "cures", "what can i take", "what can i do"}},

		// Keeping track.
		{Name: "tracking", Means: []string{"tracking", "log", "diary"}, Says: []string{"keep track", "keeping track", "log book", "headache log", "migraine log", "migraine buddy", "bearable", "notes app", "pattern", "patterns", "tracking app",
			"diary", "diaries", "journal", "journals", "journaling", "journalling", "log", "logs", "logging", "logbook",
			"app", "apps", "tracker", "trackers", "track", "tracking", "records", "recording", "notebook", "chart", "spreadsheet", "keep notes", "take notes", "write down", "write it down", "writing down",
			"note down", "headache diary", "migraine diary", "symptom diary", "pain diary", "keep a note"}},

		// Hormones and periods.
		{Name: "period", Means: []string{"menstrual", "period"}, Says: []string{"menstrual cycle", "pill break", "pill free week", "period pain", "cramps", "heavy periods", "aunt flo", "shark week", "pre menstrual", "premenstrual",
			"period", "periods", "time of the month", "that time of the month", "time of month", "on my period", "on my periods",
			"cycles", "menstruation", "menstruating", "menses", "menstrual", "pms", "pmt", "pmdd",
			"monthly", "hormones", "hormone", "menopause", "perimenopause", "ovulation", "bleeding"}},

		// Symptoms.
		{Name: "dizziness", Means: []string{"vertigo", "dizziness", "balance"}, Says: []string{"spinny", "spinning room", "tilting", "floor moving", "disequilibrium", "sea legs",
			"dizzy", "dizziness", "dizzy spell", "lightheaded", "light headed", "giddy", "woozy", "room spinning", "room is spinning", "room was spinning", "spinning", "whirling",
			"loss of balance", "unsteady", "wobbly", "swaying", "rocking", "motion sick", "car sick", "carsick", "seasick", "sea sick", "travel sick", "travel sickness", "vestibular"}},
		{Name: "tummy", Means: []string{"abdominal", "tummy"}, Says: []string{"cyclic vomiting", "cyclical vomiting", "stomach migraine", "abdominal pain",
			"tummy", "tummies", "tummy ache", "tummy aches", "tummy pain", "stomach", "stomach ache", "stomachache", "stomach pain", "belly ache", "bellyache", "abdomen", "abdominal", "gut", "gut pain"}},
		{Name: "nausea", Means: []string{"nausea", "vomiting", "sick"}, Says: []string{
			"nausea", "nauseous", "nauseated", "feel sick", "feeling sick", "felt sick", "throw up", "throwing up",
			"puke", "puking", "vomit", "vomiting", "barf"}},
		{Name: "visual aura", Means: []string{"aura", "zigzag", "flickering"}, Says: []string{"spots", "seeing spots", "visual aura", "light show", "seeing lights", "bright spots", "heat haze", "broken glass", "fuzzy vision", "blurry vision", "blurred vision", "blurry", "eye migraine", "ocular migraine", "kaleidoscope vision",
			"zigzags", "zig zag", "zig zags", "zig zagging", "sparkles", "sparkling", "sparkle",
			"flashing lights", "flashing", "flashes", "flashes of light", "flicker", "shimmer",
			"wavy lines", "squiggly lines", "squiggles", "blind spots", "kaleidoscope", "fortification",
			"scintillating scotoma", "scotoma", "visual disturbances", "spots in my vision",
			"lights in my eyes", "halo", "halos", "tunnel vision", "aura", "auras"}},
		{Name: "sensory aura", Means: []string{"tingling", "numbness", "aura"}, Says: []string{
			"tingle", "tingles", "tingling", "prickling", "prickly"}},
		{Name: "vision loss", Means: []string{"vision", "loss", "eye"}, Says: []string{
			"blindness", "going blind", "cant see", "couldnt see", "lost my sight", "lose my sight",
			"lost sight", "lose sight", "loss of sight", "sight loss", "vision loss", "lost vision", "lose vision",
			"greyed out", "grayed out", "dimming", "dimmed", "one eye", "in one eye"}},
		{Name: "one side weakness", Means: []string{"weakness", "one side"}, Says: []string{
			"paralysed", "paralyzed", "paralyse", "paralyze", "cant move my arm", "arm went weak",
			"weak arm", "weak leg", "dead arm", "half my body", "one side of my body", "one sided weakness"}},
		{Name: "double vision", Means: []string{"double vision"}, Says: []string{"double vision", "seeing double", "see double", "seeing two"}},
		{Name: "light sound", Means: []string{"light", "sound", "sensitivity"}, Says: []string{
			"photophobia", "phonophobia", "light sensitivity", "sensitive to light", "light hurts", "bright light",
			"bright lights", "noise", "noises", "loud", "sound sensitivity", "sensitive to sound", "sensitive to noise", "smells"}},
		{Name: "brain fog", Means: []string{"fog", "thinking"}, Says: []string{"brain fog", "foggy", "fuzzy", "cant think", "cant concentrate", "muddled", "spaced out", "forgetful"}},
		{Name: "tired", Means: []string{"tired", "drained"}, Says: []string{"tired", "exhausted", "exhaustion", "wiped out", "washed out", "drained", "fatigue", "fatigued", "worn out", "knackered", "wrecked", "hungover", "hangover"}},
		{Name: "head pain", Means: []string{"headache"}, Says: []string{"head kills", "my head is killing me", "killing me", "head is pounding", "head pain", "pain in my head", "pain in the head", "sore head", "head ache", "head aches"}},
		{Name: "throbbing", Means: []string{"throbbing", "pain"}, Says: []string{"pounding", "pulsing", "thumping", "splitting", "hammering"}},

		// The shape of an attack.
		{Name: "early signs", Means: []string{"prodrome", "early", "warning"}, Says: []string{
			"early sign", "early warning", "warning signs before", "signs its coming", "coming on",
			"about to start", "before the pain", "before the headache", "premonitory", "prodrome", "heads up"}},
		{Name: "after attack", Means: []string{"postdrome", "recovery", "after"}, Says: []string{
			"after a migraine", "after the migraine", "after an attack", "after the attack", "the next day",
			"aftermath", "recovery", "recovering", "postdrome", "migraine hangover"}},
		{Name: "stages", Means: []string{"phases"}, Says: []string{"stage", "phase", "phases", "steps", "parts of an attack"}},
		{Name: "long attack", Means: []string{"migrainosus", "end", "days"}, Says: []string{"5 days", "five days", "days straight", "for a week", "week long", "days on end",
			"wont stop", "wont end", "will not end", "doesnt end", "doesnt stop",
			"doesnt go away", "not going away", "lasting days", "lasted days", "for days", "three days", "3 days",
			"four days", "72 hours", "all week", "status migrainosus", "days long"}},
		{Name: "frequent", Means: []string{"chronic", "days"}, Says: []string{
			"every day", "everyday", "most days", "almost every day", "all the time", "constant",
			"nonstop", "non stop", "15 days", "fifteen days", "every week", "weekly"}},

		// Causes and people.
		{Name: "trigger", Means: []string{"trigger"}, Says: []string{"food triggers", "dehydration", "dehydrated", "msg", "aspartame", "cheese", "wine", "perfume", "barometric pressure", "pressure changes", "storms", "heat", "exercise", "hunger", "skipped meal",
			"trigger", "triggers", "triggered", "set off", "sets off", "setting off", "bring on", "brings on", "brought on",
			"cause", "caused", "gives me", "gives you"}},
		{Name: "child", Means: []string{"children", "child"}, Says: []string{
			"kid", "kids", "child", "children", "childs", "toddler", "little one", "little ones", "my boy", "my girl", "years old", "primary school"}},
		{Name: "teen", Means: []string{"teen", "young"}, Says: []string{"teens", "teenager", "teenagers", "teenage", "adolescent", "adolescents", "school", "college", "uni"}},
		{Name: "support", Means: []string{"support", "community", "lonely"}, Says: []string{"online group", "support network", "peer mentor", "mentor", "buddy", "migraineurs", "people who get it", "people who understand", "community",
			"lonely", "loneliness", "isolated", "isolating", "nobody understands", "no one understands",
			"others like me", "people like me", "other people", "others", "peer support", "support group",
			"support groups", "forum", "chat", "talk to someone", "connect", "friends", "meet"}},
		{Name: "basics", Means: []string{"migraine", "brain", "condition"}, Says: []string{
			"what is a migraine", "whats a migraine", "what are migraines", "newly diagnosed", "new diagnosis", "diagnosis", "definition", "just a headache", "regular headache"}},
		{Name: "family history", Means: []string{"family", "runs"}, Says: []string{"genetic", "genes", "hereditary", "inherited", "runs in families", "runs in the family", "family history", "my mum has migraines", "my mom has migraines"}},
		{Name: "ringing ears", Means: []string{"ringing", "ears", "brainstem"}, Says: []string{"tinnitus", "ringing ears", "ringing in my ears", "ringing in ears", "buzzing ears", "ears ringing"}},
		{Name: "anti sickness", Means: []string{"anti sickness", "nausea"}, Says: []string{"anti sickness", "antisickness", "anti nausea", "antiemetic", "antiemetics", "metoclopramide", "maxolon", "reglan", "domperidone", "motilium", "prochlorperazine", "buccastem", "stemetil", "compazine", "ondansetron", "zofran", "promethazine", "phenergan"}},
		{Name: "hospital treatment", Means: []string{"rescue", "steroid", "fluids"}, Says: []string{"steroid", "steroids", "prednisolone", "prednisone", "dexamethasone", "iv fluids", "drip", "a drip", "infusion", "nerve block", "nerve blocks", "injection at the er", "cocktail", "migraine cocktail"}},
		{Name: "tension type", Means: []string{"tension", "headache"}, Says: []string{"tension headache", "tension headaches", "tension type", "tight band", "band around my head", "pressure in my head", "head pressure", "sinus headache", "sinus headaches", "sinus"}},
		{Name: "eye pain", Means: []string{"eye", "pain"}, Says: []string{"behind my eye", "behind my eyes", "behind the eye", "eye pain", "sore eyes", "pain in my eye", "light sensitive", "sensitive eyes"}},
		{Name: "how common", Means: []string{"common"}, Says: []string{"how many people", "how common", "prevalence", "statistics", "lots of people", "millions", "so many people"}},
		{Name: "kit", Means: []string{"toolkit", "kit"}, Says: []string{"kit", "kits", "essentials", "survival kit", "cold pack", "eye mask", "sunglasses", "earplugs", "ear plugs"}},
	}
}
