package library

import "strings"

// stem reduces a lower-case, accent-folded English word to its Porter2
// (Snowball English) stem, so "triggers", "triggered" and "triggering" all
// index as "trigger". Words with anything other than a-z are returned as
// they are: numbers and folded foreign words are better matched whole.
//
// The algorithm follows the published Snowball description step by step;
// each step names the suffixes it looks at. Within a step only the longest
// matching suffix is considered, even when its condition then fails.
func stem(word string) string {
	if len(word) <= 2 || !isASCIILower(word) {
		return word
	}
	if s, ok := stemException(word); ok {
		return s
	}
	w := []byte(word)
	markY(w)
	r1, r2 := regions(w)

	w = step1a(w)
	if s := string(w); isStep1aException(s) {
		return s
	}
	w = step1b(w, r1)
	w = step1c(w)
	w = step2(w, r1)
	w = step3(w, r1, r2)
	w = step4(w, r2)
	w = step5(w, r1, r2)

	for i, c := range w {
		if c == 'Y' {
			w[i] = 'y'
		}
	}
	return string(w)
}

func isASCIILower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// isVowel treats y as a vowel; a y acting as a consonant has been turned
// into Y by markY and so is not one.
func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// markY capitalises a y at the start of the word or after a vowel: there it
// is a consonant.
func markY(w []byte) {
	for i, c := range w {
		if c == 'y' && (i == 0 || isVowel(w[i-1])) {
			w[i] = 'Y'
		}
	}
}

// regions returns the start of R1 and R2: the part after the first
// non-vowel that follows a vowel, and the same again inside R1.
func regions(w []byte) (r1, r2 int) {
	r1 = len(w)
	for _, prefix := range [...]string{"gener", "commun", "arsen"} {
		if strings.HasPrefix(string(w), prefix) {
			r1 = len(prefix)
			break
		}
	}
	if r1 == len(w) {
		r1 = afterVowelConsonant(w, 0)
	}
	return r1, afterVowelConsonant(w, r1)
}

func afterVowelConsonant(w []byte, from int) int {
	for i := from + 1; i < len(w); i++ {
		if !isVowel(w[i]) && isVowel(w[i-1]) {
			return i + 1
		}
	}
	return len(w)
}

func hasSuffix(w []byte, s string) bool {
	return len(w) >= len(s) && string(w[len(w)-len(s):]) == s
}

// longestSuffix returns the first of suffixes that w ends with; callers
// list them longest first.
func longestSuffix(w []byte, suffixes ...string) string {
	for _, s := range suffixes {
		if hasSuffix(w, s) {
			return s
		}
	}
	return ""
}

func hasVowel(w []byte) bool {
	for _, c := range w {
		if isVowel(c) {
			return true
		}
	}
	return false
}

// endsShortSyllable: a vowel then a non-vowel other than w, x or Y, after a
// non-vowel; or a vowel then a non-vowel at the very start of the word.
func endsShortSyllable(w []byte) bool {
	n := len(w)
	if n == 2 {
		return isVowel(w[0]) && !isVowel(w[1])
	}
	if n < 3 {
		return false
	}
	c := w[n-1]
	return !isVowel(w[n-3]) && isVowel(w[n-2]) && !isVowel(c) && c != 'w' && c != 'x' && c != 'Y'
}

func isShort(w []byte, r1 int) bool {
	return r1 >= len(w) && endsShortSyllable(w)
}

func endsDouble(w []byte) bool {
	n := len(w)
	if n < 2 || w[n-1] != w[n-2] {
		return false
	}
	switch w[n-1] {
	case 'b', 'd', 'f', 'g', 'm', 'n', 'p', 'r', 't':
		return true
	}
	return false
}

func step1a(w []byte) []byte {
	switch s := longestSuffix(w, "sses", "ied", "ies", "us", "ss", "s"); s {
	case "sses":
		return w[:len(w)-2]
	case "ied", "ies":
		if len(w) > 4 {
			return append(w[:len(w)-3], 'i')
		}
		return append(w[:len(w)-3], 'i', 'e')
	case "s":
		// Delete the s if a vowel comes before the letter just before it:
		// "gaps" -> "gap" but "gas" stays.
		if len(w) >= 3 && hasVowel(w[:len(w)-2]) {
			return w[:len(w)-1]
		}
	}
	return w
}

func step1b(w []byte, r1 int) []byte {
	s := longestSuffix(w, "eedly", "ingly", "edly", "eed", "ing", "ed")
	switch s {
	case "":
		return w
	case "eed", "eedly":
		if len(w)-len(s) >= r1 {
			return append(w[:len(w)-len(s)], 'e', 'e')
		}
		return w
	}
	stemPart := w[:len(w)-len(s)]
	if !hasVowel(stemPart) {
		return w
	}
	w = stemPart
	switch {
	case hasSuffix(w, "at"), hasSuffix(w, "bl"), hasSuffix(w, "iz"):
		return append(w, 'e')
	case endsDouble(w):
		return w[:len(w)-1]
	case isShort(w, r1):
		return append(w, 'e')
	}
	return w
}

func step1c(w []byte) []byte {
	n := len(w)
	if n > 2 && (w[n-1] == 'y' || w[n-1] == 'Y') && !isVowel(w[n-2]) {
		w[n-1] = 'i'
	}
	return w
}

func step2(w []byte, r1 int) []byte {
	s := longestSuffix(w,
		"ization", "ational", "fulness", "ousness", "iveness",
		"tional", "biliti", "lessli",
		"entli", "ation", "alism", "aliti", "ousli", "iviti", "fulli",
		"enci", "anci", "abli", "izer", "ator", "alli",
		"bli", "ogi", "li")
	if s == "" || len(w)-len(s) < r1 {
		return w
	}
	base := w[:len(w)-len(s)]
	switch s {
	case "tional":
		return append(base, "tion"...)
	case "enci":
		return append(base, "ence"...)
	case "anci":
		return append(base, "ance"...)
	case "abli":
		return append(base, "able"...)
	case "entli":
		return append(base, "ent"...)
	case "izer", "ization":
		return append(base, "ize"...)
	case "ational", "ation", "ator":
		return append(base, "ate"...)
	case "alism", "aliti", "alli":
		return append(base, "al"...)
	case "fulness":
		return append(base, "ful"...)
	case "ousli", "ousness":
		return append(base, "ous"...)
	case "iveness", "iviti":
		return append(base, "ive"...)
	case "biliti", "bli":
		return append(base, "ble"...)
	case "ogi":
		if hasSuffix(base, "l") {
			return append(base, "og"...)
		}
	case "fulli":
		return append(base, "ful"...)
	case "lessli":
		return append(base, "less"...)
	case "li":
		if len(base) > 0 && isValidLiEnding(base[len(base)-1]) {
			return base
		}
	}
	return w
}

func isValidLiEnding(c byte) bool {
	switch c {
	case 'c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't':
		return true
	}
	return false
}

func step3(w []byte, r1, r2 int) []byte {
	s := longestSuffix(w, "ational", "tional", "alize", "icate", "iciti", "ative", "ical", "ness", "ful")
	if s == "" || len(w)-len(s) < r1 {
		return w
	}
	base := w[:len(w)-len(s)]
	switch s {
	case "tional":
		return append(base, "tion"...)
	case "ational":
		return append(base, "ate"...)
	case "alize":
		return append(base, "al"...)
	case "icate", "iciti", "ical":
		return append(base, "ic"...)
	case "ful", "ness":
		return base
	case "ative":
		if len(base) >= r2 {
			return base
		}
	}
	return w
}

func step4(w []byte, r2 int) []byte {
	s := longestSuffix(w,
		"ement", "ance", "ence", "able", "ible", "ment",
		"ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
		"al", "er", "ic")
	if s == "" || len(w)-len(s) < r2 {
		return w
	}
	base := w[:len(w)-len(s)]
	if s == "ion" && !hasSuffix(base, "s") && !hasSuffix(base, "t") {
		return w
	}
	return base
}

func step5(w []byte, r1, r2 int) []byte {
	n := len(w)
	switch {
	case n > 0 && w[n-1] == 'e':
		if n-1 >= r2 || (n-1 >= r1 && !endsShortSyllable(w[:n-1])) {
			return w[:n-1]
		}
	case n > 1 && w[n-1] == 'l' && w[n-2] == 'l' && n-1 >= r2:
		return w[:n-1]
	}
	return w
}

// stemException covers the words Porter2 lists as special cases.
func stemException(w string) (string, bool) {
	switch w {
	case "skis":
		return "ski", true
	case "skies":
		return "sky", true
	case "dying":
		return "die", true
	case "lying":
		return "lie", true
	case "tying":
		return "tie", true
	case "idly":
		return "idl", true
	case "gently":
		return "gentl", true
	case "ugly":
		return "ugli", true
	case "early":
		return "earli", true
	case "only":
		return "onli", true
	case "singly":
		return "singl", true
	case "sky", "news", "howe", "atlas", "cosmos", "bias", "andes":
		return w, true
	}
	return "", false
}

// isStep1aException lists words left alone once step 1a has run.
func isStep1aException(w string) bool {
	switch w {
	case "inning", "outing", "canning", "herring", "earring",
		"proceed", "exceed", "succeed":
		return true
	}
	return false
}
