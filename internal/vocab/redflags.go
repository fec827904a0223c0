package vocab

// RedFlags returns the symptom words behind screening's red-flag rules
// (sudden or worst-ever pain, one-sided weakness, a stiff neck with fever,
// a head injury...), fresh on each call. Screening reads every one of them
// by name.
func RedFlags() []Concept {
	return []Concept{
		{Name: "numb weak", Means: []string{"numbness", "weakness"}, Says: []string{"numb", "numbness", "weak", "weakness", "dead", "limp", "heavy", "paralysed", "paralyzed", "tingling", "wont move", "cant move", "cant lift", "cant grip", "floppy"}},
		{Name: "sudden", Means: []string{"sudden"}, Says: []string{"sudden", "suddenly", "all of a sudden", "out of nowhere", "out of the blue", "in seconds", "within seconds", "within a minute", "instantly", "came on fast", "like a switch", "from nowhere"}},
		{Name: "worst", Means: []string{"worst", "severe"}, Says: []string{"worst", "worst ever", "most severe", "most painful", "crushing", "explosive", "exploding", "excruciating", "unbearable", "like being hit", "like a bomb", "like a gunshot", "like a bat", "like being shot", "split open", "like nothing before"}},
		{Name: "neck", Means: []string{"stiff", "neck"}, Says: []string{"stiff neck", "neck is stiff", "neck stiffness", "neck is so stiff", "cant bend my neck", "cant move my neck", "cant touch my chin to my chest", "neck hurts to bend", "rigid neck", "neck wont bend", "stiff necked"}},
		{Name: "fever", Means: []string{"fever"}, Says: []string{"fever", "temperature", "high temp", "temp of", "burning up", "feverish", "febrile", "shivering", "chills"}},
		{Name: "rash", Means: []string{"rash"}, Says: []string{"rash", "spots that dont fade", "purple spots", "blotches", "rash that doesnt fade", "glass test", "tumbler test", "rash doesnt fade", "non blanching", "non fading"}},
		{Name: "head injury", Means: []string{"head injury", "emergency"}, Says: []string{"fall", "fell", "hit my head", "hit her head", "hit his head", "banged my head", "banged her head", "banged his head",
			"bumped my head", "bumped her head", "bumped his head", "head injury", "knocked my head", "knocked her head",
			"knocked his head", "concussion", "accident", "crash", "whacked my head", "smacked my head"}},
		{Name: "confused vomit", Means: []string{"confusion", "vomiting"}, Says: []string{"vomiting", "vomit", "vomited", "throwing up", "threw up", "being sick", "been sick", "sick twice",
			"confused", "confusion", "drowsy", "cant stay awake", "sleepy", "disoriented", "not making sense", "passed out", "blacked out"}},
		{Name: "pregnant", Means: []string{"pregnancy"}, Says: []string{"pregnant", "pregnancy", "weeks along", "expecting", "third trimester", "second trimester", "postpartum", "just had a baby", "gave birth"}},
		{Name: "speech", Means: []string{"slurred", "speech"}, Says: []string{"slurred", "slurring", "slurry", "jumbled", "garbled", "words wrong", "wrong words", "gibberish", "cant get my words out", "cant get the words out", "cant speak", "cant talk", "words come out wrong", "words coming out wrong", "talking nonsense"}},
	}
}
