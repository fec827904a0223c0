package screening

import "strings"

// FoldText is the screening normalisation as a plain string, for
// detectors outside the rule engine (the contact-detail detector): lower
// case, width folded (fullwidth "＠" and "５" read as "@" and "5"),
// accents stripped, Cyrillic and Greek look-alikes mapped to the Latin
// letters they imitate, and invisible characters dropped. Each rune is
// folded exactly as the engine folds it (foldRune).
func FoldText(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i, r := range text {
		f := foldRune(text, i, r)
		for _, c := range f.r[:f.n] {
			b.WriteRune(c)
		}
	}
	return b.String()
}
