// Package textcheck validates the short strings people type: names, titles,
// slugs. It refuses invisible and control characters that would let one
// name impersonate another or break a layout.
package textcheck

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/unicode/norm"
)

// Line trims s, normalises it to NFC and checks it is one line of
// printable text between min and max characters. It returns the cleaned
// value, or a message for the person who typed it.
func Line(s string, min, max int) (string, string) {
	if !utf8.ValidString(s) {
		return "", "must be valid UTF-8 text"
	}
	s = norm.NFC.String(strings.TrimSpace(s))
	if msg := printable(s, false); msg != "" {
		return "", msg
	}
	return s, length(s, min, max)
}

// Text is Line for multi-line text: newlines and tabs are allowed.
func Text(s string, min, max int) (string, string) {
	if !utf8.ValidString(s) {
		return "", "must be valid UTF-8 text"
	}
	s = norm.NFC.String(strings.TrimSpace(s))
	if msg := printable(s, true); msg != "" {
		return "", msg
	}
	return s, length(s, min, max)
}

func length(s string, min, max int) string {
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && min > 0:
		return "is required"
	case n < min:
		return fmt.Sprintf("must be at least %d characters", min)
	case n > max:
		return fmt.Sprintf("must be at most %d characters", max)
	}
	return ""
}

func printable(s string, multiline bool) string {
	visible, marks := false, 0
	for _, r := range s {
		// Combining marks stack on the character before them; a pile of
		// them (or nothing but them) makes text unreadable or invisible.
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
			if marks++; marks > 4 {
				return "has too many accents on one character"
			}
		} else {
			marks = 0
			if !unicode.IsSpace(r) {
				visible = true
			}
		}
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		// Cc: control characters; Cf: format characters such as zero-width
		// joiners and bidi overrides; Co/Cs: private use and surrogates.
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) || r == utf8.RuneError {
			return "contains an invisible or control character"
		}
	}
	if s != "" && !visible {
		return "must contain at least one visible character"
	}
	return ""
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Slug checks a URL identifier: lowercase letters, digits and single
// hyphens, 2 to 48 characters.
func Slug(s string) string {
	switch {
	case s == "":
		return "is required"
	case len(s) < 2 || len(s) > 48:
		return "must be 2 to 48 characters"
	case !slugPattern.MatchString(s):
		return "may hold only lowercase letters, digits and single hyphens"
	}
	return ""
}

// Key folds a name for uniqueness checks, so that names that look alike
// collide: compatibility forms ("Ｍoth"), case ("MOTH"), runs of spaces,
// and look-alike letters from other scripts (a Cyrillic "а" or a Greek
// "Α" in "Аlpha") all fold to one Unicode TR39 confusables skeleton. The
// skeleton is taken before and after lower-casing, since the table maps
// capitals and small letters separately (Greek "Μ" is an "M"; "m" is
// "rn").
func Key(s string) string {
	s = strings.TrimSpace(collapseSpaces(norm.NFKC.String(s)))
	return confusables.Skeleton(strings.ToLower(confusables.Skeleton(s)))
}

// Name is Line for names people are known by (display names, group
// names): runs of spaces collapse to one, and characters that render as
// nothing (fillers such as U+3164, which passes for a letter) are refused.
func Name(s string, min, max int) (string, string) {
	if !utf8.ValidString(s) {
		return "", "must be valid UTF-8 text"
	}
	s = collapseSpaces(s)
	if strings.ContainsFunc(s, blank) {
		return "", "contains a character that shows as blank space"
	}
	return Line(s, min, max)
}

// collapseSpaces turns every run of space separators (U+0020, U+3000, no-
// break spaces …) into one space; line breaks and tabs are left for Line
// to refuse.
func collapseSpaces(s string) string {
	var b strings.Builder
	prev := false
	for _, r := range s {
		if unicode.Is(unicode.Zs, r) {
			if !prev {
				b.WriteByte(' ')
			}
			prev = true
			continue
		}
		prev = false
		b.WriteRune(r)
	}
	return b.String()
}

// blank reports characters that take a place but show nothing: Unicode's
// default-ignorable code points (Hangul fillers, variation-less joiners
// are Cf and refused anyway) and the blank Braille pattern.
func blank(r rune) bool {
	return unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || r == '\u2800' || r == '\u115f' || r == '\u1160' ||
		r == '\u3164' || r == '\uffa0'
}
