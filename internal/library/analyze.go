package library

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// tokenize calls emit for each word in s: a run of letters and digits, with
// apostrophes inside it dropped ("don't" -> "dont", "migraine's" ->
// "migraines"). word is the folded form (see foldRune) and is only valid
// during the call; start is its byte offset in s.
func tokenize(s string, emit func(word []byte, start int)) {
	var buf []byte
	start := -1
	flush := func() {
		if start >= 0 && len(buf) > 0 {
			emit(buf, start)
		}
		buf, start = buf[:0], -1
	}
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case c < utf8.RuneSelf && ('a' <= c && c <= 'z' || '0' <= c && c <= '9'):
			if start < 0 {
				start = i
			}
			buf = append(buf, byte(c))
		case c < utf8.RuneSelf && 'A' <= c && c <= 'Z':
			if start < 0 {
				start = i
			}
			buf = append(buf, byte(c)+'a'-'A')
		case (c == '\'' || c == '’') && start >= 0 && i+size < len(s) && isWordRune(s[i+size:]):
			// An apostrophe inside a word: skip it, keep the word going.
		case c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.Is(unicode.Mn, c)):
			if start < 0 {
				start = i
			}
			buf = foldRune(buf, c)
		default:
			flush()
		}
		i += size
	}
	flush()
}

func isWordRune(s string) bool {
	c, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(c) || unicode.IsDigit(c)
}

// foldRune appends c lower-cased and without accents: é -> e, Ü -> u,
// ß -> ss. Combining marks disappear.
func foldRune(buf []byte, c rune) []byte {
	switch c {
	case 'ß':
		return append(buf, "ss"...)
	case 'æ', 'Æ':
		return append(buf, "ae"...)
	case 'œ', 'Œ':
		return append(buf, "oe"...)
	case 'ø', 'Ø':
		return append(buf, 'o')
	case 'đ', 'Đ':
		return append(buf, 'd')
	case 'ł', 'Ł':
		return append(buf, 'l')
	case 'þ', 'Þ':
		return append(buf, "th"...)
	case 'ı':
		return append(buf, 'i')
	}
	var tmp [utf8.UTFMax]byte
	n := utf8.EncodeRune(tmp[:], c)
	for _, d := range norm.NFD.String(string(tmp[:n])) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(d))
	}
	return buf
}

// foldText is s lower-cased and without accents, other characters kept.
func foldText(s string) string {
	var b []byte
	for _, c := range s {
		if c < utf8.RuneSelf {
			b = append(b, byte(unicode.ToLower(c)))
			continue
		}
		b = foldRune(b, c)
	}
	return string(b)
}

// normTag is how tags are compared: trimmed and folded.
func normTag(tag string) string {
	return foldText(strings.TrimSpace(tag))
}

// isStopWord lists words too common to help a search. It is the usual
// English list, minus words that carry meaning here: "before", "after"
// and "during" an attack, "without" aura, "not", "no".
func isStopWord(w string) bool {
	switch w {
	case "a", "about", "again", "all", "am", "an", "and", "any", "are", "as", "at",
		"be", "because", "been", "being", "both", "but", "by",
		"can", "cant", "could", "couldnt",
		"did", "didnt", "do", "does", "doesnt", "doing", "dont",
		"each", "for", "from", "further",
		"had", "has", "have", "having", "he", "her", "here", "hers", "herself",
		"him", "himself", "his", "how",
		"i", "id", "if", "im", "in", "into", "is", "isnt", "it", "its", "itself", "ive",
		"just", "me", "more", "most", "my", "myself",
		"of", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
		"own", "same", "she", "should", "so", "some", "such",
		"than", "that", "thats", "the", "their", "theirs", "them", "themselves", "then",
		"there", "theres", "these", "they", "this", "those", "through", "to", "too",
		"up", "very", "was", "we", "were", "what", "when", "where", "which", "while",
		"who", "whom", "why", "will", "with", "would",
		"you", "youd", "youll", "your", "youre", "yours", "yourself", "yourselves", "youve":
		return true
	}
	return false
}
