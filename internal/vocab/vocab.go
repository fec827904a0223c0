// Package vocab is the lay vocabulary of migraine: the words members use
// for medicines, symptoms and everyday things (A&E, a headache diary, the
// time of the month), grouped into concepts. It is a leaf: it imports
// nothing of Quietroom, so every domain that reads members' words can use
// the one list without importing another domain.
//
// Two packages read it:
//   - moderation/screening writes its rules and model features over the
//     medicine classes (Medicines) and the red-flag symptoms (RedFlags);
//   - library expands search queries with every concept (All): a word a
//     member types brings in the plain words the articles use (Means), at
//     a lower weight than the word itself.
//
// Phrases are in normalised spelling: lower case, no apostrophes ("dont"),
// hyphens and other punctuation as spaces ("co codamol", "a e" for A&E).
//
// Adding a phrase to a concept in Medicines or RedFlags changes what
// screening matches and the features its learned model sees: run
// screening's tests (and its held-out gate) after such a change. Adding or
// renaming a concept there changes the model's feature layout and needs a
// retrained model.
package vocab

// Concept is one idea and the ways people say it.
type Concept struct {
	// Name identifies the concept ("triptan", "emergency care"); screening
	// names it in braces in its patterns.
	Name string
	// Says lists the words and phrases people use for it.
	Says []string
	// Means lists the plain words a patient leaflet would use for it,
	// which is what search looks for when a member uses one of Says.
	Means []string
}

// All returns every concept, fresh on each call: medicines, red-flag
// symptoms, everyday words and common misspellings.
func All() []Concept {
	var out []Concept
	out = append(out, Medicines()...)
	out = append(out, RedFlags()...)
	out = append(out, Everyday()...)
	out = append(out, Misspellings()...)
	return out
}
