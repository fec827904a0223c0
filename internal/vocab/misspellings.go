package vocab

// Misspellings returns common misspellings that search's typo matching
// cannot reach (two slips in a short word, a sound-alike spelling), and
// words spelt differently in the UK and the US, each as a concept that
// means the word intended. Fresh on each call.
func Misspellings() []Concept {
	return []Concept{
		{Name: "migraine (spelling)", Means: []string{"migraine"}, Says: []string{"migranes", "migrain", "migrains", "migrene", "migrenes", "migraene", "migrean", "migreen", "migranie", "mygraine", "mygrane", "megrim"}},
		{Name: "headache (spelling)", Means: []string{"headache"}, Says: []string{"headake", "headakes", "hedache", "hedaches", "hedake", "headaches", "headace", "headeache", "heddache"}},
		{Name: "aura (spelling)", Means: []string{"aura"}, Says: []string{"aurora", "auroras", "ora", "orra", "awra"}},
		{Name: "nausea (spelling)", Means: []string{"nausea"}, Says: []string{"nausia", "nasea", "nausa", "nauseas", "nawsea"}},
		{Name: "dizzy (spelling)", Means: []string{"dizziness"}, Says: []string{"dizy", "dizzey", "dizzyness", "dizzines", "dizzie", "vertgo", "vertigio", "virtigo"}},
		{Name: "triptan (spelling)", Means: []string{"triptan"}, Says: []string{"tryptan", "tryptans", "triptin", "triptins", "sumatryptan", "sumatripan", "rizatripton"}},
		{Name: "menstrual (spelling)", Means: []string{"menstrual"}, Says: []string{"menstral", "mentrual", "menstrul", "menstural", "mestrual", "menstraul"}},
		{Name: "medicine (spelling)", Means: []string{"medication", "medicine"}, Says: []string{"medecine", "medicin", "medacine", "medicaton", "medcation", "meds"}},
		{Name: "emergency (spelling)", Means: []string{"emergency"}, Says: []string{"emergancy", "emergeny", "emergancey", "emergncy", "emerjency"}},
		{Name: "vestibular (spelling)", Means: []string{"vestibular"}, Says: []string{"vestibuler", "vestibula", "vestibullar", "vestiblar"}},
		{Name: "preventive (spelling)", Means: []string{"preventive"}, Says: []string{"preventitives", "preventaive", "preventivs"}},
		{Name: "paracetamol (spelling)", Means: []string{"paracetamol"}, Says: []string{"paracetemol", "paracetomol", "parasetamol", "paracetamal"}},
		// UK and US spellings of the same word, both ways.
		{Name: "estrogen (spelling)", Means: []string{"estrogen", "oestrogen", "hormone"}, Says: []string{"oestrogen", "estrogen", "estrogens", "oestrogens"}},
		{Name: "recognise (spelling)", Means: []string{"recognise", "recognize"}, Says: []string{"recognize", "recognise", "recognizing", "recognising"}},
		{Name: "ageing (spelling)", Means: []string{"ageing", "aging", "age"}, Says: []string{"ageing", "aging", "older", "getting older", "old age"}},
		{Name: "anaemia (spelling)", Means: []string{"anaemia", "anemia"}, Says: []string{"anaemia", "anemia", "anaemic", "anemic"}},
		{Name: "paediatric (spelling)", Means: []string{"children", "child"}, Says: []string{"paediatric", "pediatric", "paediatrician", "pediatrician"}},
		{Name: "haemorrhage (spelling)", Means: []string{"bleed", "emergency", "stroke"}, Says: []string{"haemorrhage", "hemorrhage", "haemorrhagic", "hemorrhagic"}},
		{Name: "tumour (spelling)", Means: []string{"tumour", "tumor", "emergency"}, Says: []string{"tumour", "tumor", "brain tumour", "brain tumor"}},
		{Name: "behaviour (spelling)", Means: []string{"behaviour", "behavior", "mood"}, Says: []string{"behaviour", "behavior", "behavioural", "behavioral"}},
		{Name: "ibuprofen (spelling)", Means: []string{"ibuprofen"}, Says: []string{"ibuprofin", "ibuprophen", "ibroprofen", "iboprofen", "ibuprofan"}},
	}
}
