package screening

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folded is what one input rune reads as: up to four lower-case runes
// (NFKD can expand ligatures and fullwidth forms), or none for invisible
// characters.
type folded struct {
	r [4]rune
	n int
}

// foldRune lowers r, strips accents by NFKD decomposition (dropping the
// combining marks) and maps look-alike letters from other scripts to the
// Latin letter they imitate. text[i:] starts with r; the decomposition is
// read from the norm tables in place, so nothing is allocated.
func foldRune(text string, i int, r rune) folded {
	var f folded
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		f.r[0], f.n = r, 1
		return f
	}
	if invisible(r) {
		return f // zero-width joiners and stray marks must not split words
	}
	if s := foldSpecial(r); s != "" {
		for _, c := range s {
			f.r[f.n] = c
			f.n++
		}
		return f
	}
	d := norm.NFKD.PropertiesString(text[i:]).Decomposition()
	if d == nil {
		f.r[0], f.n = lookAlike(unicode.ToLower(r)), 1
		return f
	}
	for len(d) > 0 && f.n < len(f.r) {
		c, size := utf8.DecodeRune(d)
		d = d[size:]
		if invisible(c) {
			continue
		}
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
		} else {
			c = lookAlike(unicode.ToLower(c))
		}
		f.r[f.n] = c
		f.n++
	}
	return f
}

func invisible(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r)
}

// foldSpecial covers letters NFKD leaves alone but people read as Latin.
func foldSpecial(r rune) string {
	switch r {
	case 'ß', 'ẞ':
		return "ss"
	case 'æ', 'Æ':
		return "ae"
	case 'œ', 'Œ':
		return "oe"
	case 'ø', 'Ø':
		return "o"
	case 'ł', 'Ł':
		return "l"
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d"
	case 'þ', 'Þ':
		return "th"
	case 'ı':
		return "i"
	}
	return ""
}

// lookAlike maps Cyrillic and Greek letters that look like Latin ones
// ("сurе" typed with Cyrillic с and е). Terms are folded the same way, so
// a tenant's own Cyrillic terms still match.
func lookAlike(r rune) rune {
	switch r {
	case 'а', 'α':
		return 'a'
	case 'в', 'β':
		return 'b'
	case 'с', 'ϲ':
		return 'c'
	case 'ԁ':
		return 'd'
	case 'е', 'ε':
		return 'e'
	case 'н', 'η':
		return 'h'
	case 'і', 'ι', 'ї':
		return 'i'
	case 'ј':
		return 'j'
	case 'к', 'κ':
		return 'k'
	case 'м':
		return 'm'
	case 'о', 'ο':
		return 'o'
	case 'р', 'ρ':
		return 'p'
	case 'ѕ':
		return 's'
	case 'т', 'τ':
		return 't'
	case 'υ':
		return 'u'
	case 'ν':
		return 'v'
	case 'х', 'χ':
		return 'x'
	case 'у':
		return 'y'
	}
	return r
}

// leet undoes a digit or symbol standing in for a letter. alt is the
// second reading of the ambiguous ones ("1" is i or l).
func leet(c byte) (primary, alt byte) {
	switch c {
	case '0':
		return 'o', 'o'
	case '1':
		return 'i', 'l'
	case '3':
		return 'e', 'e'
	case '4', '@':
		return 'a', 'a'
	case '5', '$':
		return 's', 's'
	case '7':
		return 't', 't'
	case '8':
		return 'b', 'b'
	case '9':
		return 'g', 'g'
	case '!':
		return 'i', 'l'
	case '|':
		return 'l', 'i'
	}
	return c, c
}

// squeeze collapses every run of a repeated byte to one ("faaaking" →
// "faking", "sleep" → "slep"); stretched words are compared this way.
func squeeze(dst, b []byte) []byte {
	for i, c := range b {
		if i > 0 && b[i-1] == c {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// stretched reports a run of three or more of one letter: someone
// dragging a word out ("cuuure"), not a real double letter ("all").
func stretched(b []byte) bool {
	return longestRun(b) >= 3
}

func longestRun(b []byte) int {
	best, run := 0, 0
	for i, c := range b {
		if i > 0 && b[i-1] == c {
			run++
		} else {
			run = 1
		}
		if run > best && c >= 'a' && c <= 'z' {
			best = run
		}
	}
	return best
}
