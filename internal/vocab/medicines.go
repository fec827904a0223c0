package vocab

// Medicines returns the medicine classes, generic and brand names (UK and
// US), fresh on each call. Screening's rules and model read every one of
// them by name.
func Medicines() []Concept {
	return []Concept{
		{Name: "triptan", Means: []string{"triptan"}, Says: []string{"triptan", "triptans", "sumatriptan", "suma", "rizatriptan", "riza", "zolmitriptan", "eletriptan",
			"naratriptan", "almotriptan", "frovatriptan", "imitrex", "imigran", "maxalt", "rizalt", "zomig", "relpax",
			"amerge", "naramig", "axert", "almogran", "frova", "migard", "treximet", "tosymra", "onzetra", "zembrace"}},
		{Name: "gepant", Means: []string{"gepant"}, Says: []string{"gepant", "gepants", "rimegepant", "ubrogepant", "atogepant", "zavegepant", "nurtec", "vydura",
			"ubrelvy", "qulipta", "aquipta", "zavzpret"}},
		{Name: "ditan", Means: []string{"ditan", "lasmiditan"}, Says: []string{"ditan", "ditans", "lasmiditan", "reyvow"}},
		{Name: "cgrp mab", Means: []string{"cgrp", "preventive", "injection"}, Says: []string{"cgrp", "cgrps", "erenumab", "fremanezumab", "galcanezumab", "eptinezumab", "aimovig", "ajovy", "emgality", "vyepti", "cgrp injection", "cgrp injections", "cgrp shot", "cgrp shots", "monthly injection", "monthly injections", "monthly shot"}},
		{Name: "preventive drug", Means: []string{"preventive"}, Says: []string{"preventive", "preventives", "preventative", "preventatives", "prophylactic", "prophylaxis",
			"topiramate", "topamax", "propranolol", "inderal", "amitriptyline", "elavil", "nortriptyline",
			"pamelor", "candesartan", "atacand", "gabapentin", "neurontin", "valproate", "sodium valproate",
			"depakote", "divalproex", "epilim", "onabotulinumtoxina", "botox", "botox injections", "venlafaxine", "effexor",
			"metoprolol", "timolol", "flunarizine", "sibelium", "pizotifen", "lisinopril", "memantine", "zonisamide",
			"pregabalin", "lyrica", "duloxetine", "cymbalta", "verapamil", "beta blocker", "beta blockers",
			"anticonvulsant", "anticonvulsants", "antidepressant", "antidepressants", "nerve blocks", "nerve block"}},
		{Name: "nsaid", Means: []string{"ibuprofen", "inflammatory", "painkiller"}, Says: []string{"nsaid", "nsaids", "ibuprofen", "ibu", "ibuprofin", "advil", "motrin", "nurofen", "naproxen", "aleve",
			"naprosyn", "diclofenac", "voltaren", "voltarol", "cambia", "aspirin", "ketorolac", "toradol", "celecoxib",
			"celebrex", "mefenamic acid", "indomethacin", "anti inflammatories", "anti inflammatory"}},
		{Name: "paracetamol", Means: []string{"paracetamol", "painkiller"}, Says: []string{"paracetamol", "acetaminophen", "tylenol", "panadol", "calpol", "apap"}},
		{Name: "combination analgesic", Means: []string{"painkiller", "paracetamol", "opioid"}, Says: []string{"excedrin", "co codamol", "cocodamol", "solpadeine", "migraleve", "fioricet",
			"fiorinal", "butalbital", "anadin", "anadin extra", "syndol", "co dydramol", "codydramol", "paramax", "migramax"}},
		{Name: "opioid", Means: []string{"opioid", "painkiller"}, Says: []string{"codeine", "tramadol", "oxycodone", "oxy", "oxys", "hydrocodone", "vicodin", "percocet", "morphine",
			"opioid", "opioids", "opiate", "opiates", "dilaudid", "dihydrocodeine", "norco"}},
		{Name: "ergot", Means: []string{"ergotamine", "acute"}, Says: []string{"ergotamine", "cafergot", "dihydroergotamine", "dhe", "migranal", "trudhesa"}},
		{Name: "generic med", Means: []string{"medicine", "medication"}, Says: []string{"meds", "med", "medication", "medications", "medicine", "medicines", "pills", "pill", "tablets", "tablet", "tabs", "prescription", "prescriptions", "script", "scripts", "painkillers", "painkiller", "pain killers", "pain meds", "drugs", "doses", "dose", "capsules", "rescue meds"}},
		{Name: "contraceptive", Means: []string{"contraceptive", "hormone"}, Says: []string{"combined pill", "combined contraceptive", "combined oral contraceptive", "combined oral contraceptives",
			"estrogen pill", "oestrogen pill", "the combined pill", "microgynon", "yasmin", "rigevidon", "ocp", "the pill"}},
	}
}
