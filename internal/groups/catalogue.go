package groups

// catalogueEntry is one group every new tenant starts with. The diagnoses
// follow the migraine types the product grew from; the library tags its
// articles with the same diagnosis strings.
type catalogueEntry struct {
	Slug, Name, Diagnosis, Description string
	Audience                           Audience
	Policy                             PostingPolicy
	HeldPosts                          int
}

// DefaultCatalogue is the list of groups a new tenant gets.
func DefaultCatalogue() []catalogueEntry {
	return []catalogueEntry{
		{"newly-diagnosed", "Newly diagnosed", "newly-diagnosed",
			"Just been told it's migraine, or starting a new treatment? Ask anything here, at your own pace.", Everyone, PostHoldFirstPosts, 3},
		{"without-aura", "Migraine without aura", "without-aura",
			"For the most common form: attacks of head pain, often with nausea and sensitivity to light and sound.", Everyone, PostOpen, 0},
		{"with-aura", "Migraine with aura", "with-aura",
			"For people whose attacks come with visual, sensory or speech changes before or during the pain.", Everyone, PostOpen, 0},
		{"chronic", "Chronic migraine", "chronic",
			"For people with headache on 15 or more days a month: living with it, treatments, work and rest.", Everyone, PostOpen, 0},
		{"menstrual", "Menstrual migraine", "menstrual",
			"For attacks tied to the menstrual cycle and hormone changes.", Everyone, PostOpen, 0},
		{"vestibular", "Vestibular migraine", "vestibular",
			"For dizziness, vertigo and balance problems, with or without head pain.", Everyone, PostOpen, 0},
		{"hemiplegic", "Hemiplegic migraine", "hemiplegic",
			"For a rare type with temporary weakness on one side of the body.", Everyone, PostOpen, 0},
		{"retinal", "Retinal migraine", "retinal",
			"For a rare type with temporary vision changes in one eye.", Everyone, PostOpen, 0},
		{"silent", "Silent migraine", "silent",
			"For aura and other migraine symptoms without the head pain (acephalgic migraine).", Everyone, PostOpen, 0},
		{"abdominal", "Abdominal migraine (parents and caregivers)", "abdominal",
			"For parents and caregivers of children with episodes of stomach pain, nausea and vomiting.", AdultsOnly, PostOpen, 0},
		{"brainstem-aura", "Migraine with brainstem aura", "brainstem-aura",
			"For a rare type whose aura comes from the brainstem: vertigo, double vision, slurred speech.", Everyone, PostOpen, 0},
		{"teen", "Teens with migraine", "teen",
			"For members aged 13 to 17: school, friends, family and attacks. Every post is read by a moderator first.", TeensOnly, PostHoldAll, 0},
		{"caregivers", "Caregivers and partners", "caregivers",
			"For the people who support someone with migraine.", AdultsOnly, PostOpen, 0},
	}
}
