package moderation

import (
	"regexp"
	"strings"
)

// Contact details in a teen mentorship wait for a moderator, so that no
// private channel opens outside the app. These patterns err on the side of
// holding: a held message costs a short wait, a missed one a lot more.
var contactPatterns = []*regexp.Regexp{
	// email, also written out: "name at mail dot com"
	regexp.MustCompile(`(?i)[a-z0-9._%+-]+\s*(@|\(at\)|\[at\]|\sat\s)\s*[a-z0-9-]+\s*(\.|\(dot\)|\[dot\]|\sdot\s)\s*[a-z]{2,}`),
	// phone: seven or more digits, with spaces, dots, dashes or brackets between
	regexp.MustCompile(`(\+?\d[\s().-]*){7,}`),
	// web addresses and bare domains
	regexp.MustCompile(`(?i)(https?://|www\.)\S+|\b[a-z0-9-]+\.(com|net|org|io|me|co|uk|de|fr|ly|gg|app|link)\b`),
	// social handles, and apps named with a handle
	regexp.MustCompile(`(?i)(^|\s)@[a-z0-9_.]{3,}`),
	regexp.MustCompile(`(?i)\b(snap(chat)?|insta(gram)?|ig|whats ?app|telegram|signal|discord|tiktok|kik|facebook|fb|twitter|x\.com|dm me|text me|call me)\b`),
}

// containsContactDetails reports whether text seems to share a way to be
// reached outside Quietroom.
func containsContactDetails(text string) bool {
	t := strings.ToLower(text)
	for _, re := range contactPatterns {
		if re.MatchString(t) {
			return true
		}
	}
	return false
}
