package moderation

import (
	"regexp"
	"strings"

	"quietroom/internal/moderation/screening"
)

// The contact-detail detector holds, in every conversation a teen can read
// (teen mentorships, teen groups, all-ages groups with a teen member), a
// message that shares a way to be reached outside Quietroom or proposes to
// meet. It reads the text through screening's normalisation (width
// folding, accents, look-alike letters, invisible characters), then undoes
// the usual disguises: letters spaced or dashed apart ("s-n-a-p",
// "j a n e @ g m a i l . c o m"), digits spelled out or split by commas,
// slashes and underscores, "at" and "dot" for "@" and ".". It errs on the
// side of holding: a held message costs a short wait, a missed one a lot
// more; benign look-alikes (dosages, dates, times of day, "at the GP")
// are kept out by the shapes below, and the labelled tests pin both.

// contactReason names what a rule found, for the moderator.
type contactReason string

const (
	reasonEmail    contactReason = "an email address"
	reasonPhone    contactReason = "a phone number"
	reasonPlatform contactReason = "a messaging app or social account"
	reasonHandle   contactReason = "a username or handle"
	reasonWeb      contactReason = "a web address"
	reasonMeet     contactReason = "a proposal to meet"
)

// contactDetails reports whether text shares a way to be reached outside
// Quietroom or proposes to meet, and what it found.
//
// Every message in a conversation a teen can read passes through it, so
// the regular expressions (slow next to plain scans) run only when a
// cheap test finds what they need: a literal, a word, or seven digits.
func contactDetails(text string) (bool, contactReason) {
	t := readable(text)
	words := wordSet(t)
	for _, r := range contactRules {
		if r.worth(t, words) && r.re.MatchString(t) {
			return true, r.reason
		}
	}
	if digitCount(t) >= 7 && phoneNumber(t) {
		return true, reasonPhone
	}
	return false, ""
}

// wordSet is the set of a text's runs of letters.
func wordSet(t string) map[string]bool {
	set := map[string]bool{}
	start := -1
	for i := 0; i <= len(t); i++ {
		letter := i < len(t) && t[i] >= 'a' && t[i] <= 'z'
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			set[t[start:i]] = true
			start = -1
		}
	}
	return set
}

func digitCount(t string) int {
	n := 0
	for i := 0; i < len(t); i++ {
		if t[i] >= '0' && t[i] <= '9' {
			n++
		}
	}
	return n
}

// worth reports whether the rule's cheap test passes: any of its
// literals is in t, or any of its words is a word of t (no test: always).
func (r contactRule) worth(t string, words map[string]bool) bool {
	if len(r.lits) == 0 && len(r.words) == 0 {
		return true
	}
	for _, l := range r.lits {
		if strings.Contains(t, l) {
			return true
		}
	}
	for _, w := range r.words {
		if words[w] {
			return true
		}
	}
	return false
}

// containsContactDetails is contactDetails without the reason.
func containsContactDetails(text string) bool {
	ok, _ := contactDetails(text)
	return ok
}

// readable folds text like screening does, joins letters spaced apart,
// and writes spelled digits and "at"/"dot" words as symbols.
func readable(text string) string {
	t := screening.FoldText(text)
	t = strings.NewReplacer("’", "'", "‘", "'", "–", "-", "—", "-", "\u00a0", " ").Replace(t)
	if hasSpacedRun(t) {
		t = joinSpaced(t)
	}
	for w := range wordSet(t) {
		if _, ok := digitWords[w]; ok {
			return spelledDigits(t)
		}
	}
	return t
}

// hasSpacedRun is the cheap test for spacedRun: a single letter, digit or
// "@" standing alone between separators, twice in a row.
func hasSpacedRun(t string) bool {
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '@' }
	sep := func(c byte) bool { return c == ' ' || c == '-' || c == '_' || c == '*' }
	for i := 0; i+3 < len(t); i++ {
		if alnum(t[i]) && (i == 0 || !alnum(t[i-1])) && sep(t[i+1]) && alnum(t[i+2]) && (i+3 >= len(t) || !alnum(t[i+3])) {
			return true
		}
	}
	return false
}

// spacedRun finds three or more single letters, digits, "@" or "."
// separated by spaces, dashes, underscores, dots or stars: "s-n-a-p",
// "j a n e @ g m a i l . c o m".
var spacedRun = regexp.MustCompile(`(?:^|[^a-z0-9@])((?:[a-z0-9@][ \-_*·]{1,3}){2,}[a-z0-9@](?:[ \-_*·]{1,3}\.[ \-_*·]{1,3}(?:[a-z0-9][ \-_*·]{1,3})*[a-z0-9])?)(?:$|[^a-z0-9@])`)

func joinSpaced(t string) string {
	return spacedRun.ReplaceAllStringFunc(t, func(m string) string {
		// Keep the delimiters matched around the run.
		sub := spacedRun.FindStringSubmatchIndex(m)
		run := m[sub[2]:sub[3]]
		joined := strings.Map(func(r rune) rune {
			switch r {
			case ' ', '-', '_', '*', '·':
				return -1
			}
			return r
		}, run)
		return m[:sub[2]] + joined + m[sub[3]:]
	})
}

var digitWords = map[string]string{
	"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
	"six": "6", "seven": "7", "eight": "8", "nine": "9",
}

var wordRe = regexp.MustCompile(`[a-z]+`)

// spelledDigits writes number words as digits when they stand in a run of
// at least four digits or number words ("five five five one two three
// …"), so a phone number spelled out reads as one; "two or three times"
// stays words.
func spelledDigits(t string) string {
	words := wordRe.FindAllStringIndex(t, -1)
	if len(words) == 0 {
		return t
	}
	// Mark which words are digit words, then find runs of them
	// (separated only by spaces, commas, dashes or digits).
	type span struct{ a, b int }
	var runs [][]span
	var cur []span
	lastEnd := -1
	for _, w := range words {
		word := t[w[0]:w[1]]
		_, isDigit := digitWords[word]
		gapOK := lastEnd < 0 || strings.Trim(t[lastEnd:w[0]], " ,.-/_0123456789") == ""
		if isDigit && (len(cur) == 0 || gapOK) {
			cur = append(cur, span{w[0], w[1]})
			lastEnd = w[1]
			continue
		}
		if len(cur) > 0 {
			runs = append(runs, cur)
		}
		cur, lastEnd = nil, w[1]
		if isDigit {
			cur = []span{{w[0], w[1]}}
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	var b strings.Builder
	prev := 0
	for _, run := range runs {
		digits := len(run)
		for _, c := range t[run[0].a:run[len(run)-1].b] {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if digits < 4 {
			continue
		}
		for _, s := range run {
			b.WriteString(t[prev:s.a])
			b.WriteString(digitWords[t[s.a:s.b]])
			prev = s.b
		}
	}
	b.WriteString(t[prev:])
	return b.String()
}

type contactRule struct {
	re     *regexp.Regexp
	reason contactReason
	// lits and words are the cheap test (see worth).
	lits, words []string
}

// Words that, next to an app's name or a handle, make it a way to reach
// someone ("add me on insta", "my snap is …", "find me @wren").
const reachWords = `(?:me|my|add|follow|find|dm|pm|message|msg|text|hmu|hit|reach|contact|ping|talk|chat|i'?m|im|i am|your|ur)`

// Mail providers that, after "at", make an address ("jane.doe at gmail").
const mailProviders = `(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|proton(?:mail)?|aol|msn|gmx|yandex|zoho|btinternet|virginmedia)`

const apps = `(?:snap|sc|insta(?:gram)?|ig|telegram|discord|tik ?tok|kik|facebook|fb|messenger|twitter|wechat|viber|skype|kakao(?:talk)?|threads|bereal|roblox)`

var contactRules = []contactRule{
	// Email: "jane@gmail", "jane.doe@gmail.com", "jane (at) gmail (dot) com",
	// "jane at example dot org", "jane at example.org", "jane.doe at gmail".
	{re: regexp.MustCompile(`[a-z0-9][a-z0-9._%+-]*@[a-z][a-z0-9-]+`), reason: reasonEmail, lits: []string{"@"}},
	{re: regexp.MustCompile(`[a-z0-9][a-z0-9._%+-]*\s*(?:@|\(at\)|\[at\]|\{at\})\s*[a-z0-9-]+(?:\.|\s*(?:\(dot\)|\[dot\]|\{dot\}|\bdot\b)\s*)[a-z]{2,}\b`), reason: reasonEmail, lits: []string{"@", "(at)", "[at]", "{at}"}},
	{re: regexp.MustCompile(`[a-z0-9][a-z0-9._%+-]*\s+at\s+[a-z0-9-]+(?:\.|\s+dot\s+)(?:com|net|org|co|uk|io|me|de|fr|edu|info|biz|ca|au|nz|ie)\b`), reason: reasonEmail, words: []string{"at"}},
	{re: regexp.MustCompile(`\b[a-z0-9][a-z0-9._%+-]*\s+(?:at|\(at\)|\[at\])\s+` + mailProviders + `\b`), reason: reasonEmail, words: []string{"gmail", "googlemail", "hotmail", "yahoo", "outlook", "icloud", "proton", "protonmail", "aol", "msn", "gmx", "yandex", "zoho", "btinternet", "virginmedia"}},
	// Web addresses and bare domains.
	{re: regexp.MustCompile(`(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|io|me|co|uk|de|fr|ly|gg|app|link|xyz|info|biz|tv)\b`), reason: reasonWeb, lits: []string{"http", "www.", ".com", ".net", ".org", ".io", ".me", ".co", ".uk", ".de", ".fr", ".ly", ".gg", ".app", ".link", ".xyz", ".info", ".biz", ".tv"}},
	// Reddit users, LINE ids.
	{re: regexp.MustCompile(`(?:^|[^a-z0-9])/?u/[a-z0-9_-]{3,}`), reason: reasonHandle, lits: []string{"u/"}},
	{re: regexp.MustCompile(`\breddit\b.{0,20}\b(?:user ?name|user|account|handle|dm|pm|chat|message)\b|\b(?:my|your|ur) reddit\b|\breddit (?:is|me)\b`), reason: reasonHandle, words: []string{"reddit"}},
	{re: regexp.MustCompile(`\bline\s*(?:id|app|account)\b|\bline\s*[:=]\s*\S|\b(?:my|your|ur|add me on|me on) line\b`), reason: reasonPlatform, words: []string{"line"}},
	// Apps and their nicknames, when used to reach someone.
	{re: regexp.MustCompile(`\b(?:the gram|on gram|snapchat|whats ?app)\b`), reason: reasonPlatform, words: []string{"gram", "snapchat", "whats", "whatsapp"}},
	{re: regexp.MustCompile(`\b` + reachWords + `\b[^.!?\n]{0,12}\b` + apps + `\b`), reason: reasonPlatform, words: []string{"snap", "sc", "insta", "instagram", "ig", "telegram", "discord", "tik", "tiktok", "kik", "facebook", "fb", "messenger", "twitter", "wechat", "viber", "skype", "kakao", "kakaotalk", "threads", "bereal", "roblox"}},
	{re: regexp.MustCompile(`\b` + apps + `\s*(?:me\b|handle|name|id\b|user|account|[:=@])`), reason: reasonPlatform, words: []string{"snap", "sc", "insta", "instagram", "ig", "telegram", "discord", "tik", "tiktok", "kik", "facebook", "fb", "messenger", "twitter", "wechat", "viber", "skype", "kakao", "kakaotalk", "threads", "bereal", "roblox"}},
	{re: regexp.MustCompile(`\b(?:on|me on) signal\b|\bsignal me\b`), reason: reasonPlatform, words: []string{"signal"}},
	// Handles: "@wren_draws" with a word that makes it a way to reach.
	{re: regexp.MustCompile(`\b` + reachWords + `\b[^.!?\n]{0,16}(?:^|\s)@[a-z0-9_.]{3,}|(?:^|\s)@[a-z0-9_.]{3,}\s+(?:on|is my)\b`), reason: reasonHandle, lits: []string{"@"}},
	// Asking for or offering a private channel.
	{re: regexp.MustCompile(`\b(?:dm|pm|text|call|ring|message|msg|snap|facetime|email|e-mail) me\b|\bhmu\b|\bhit me up\b|\b(?:add|follow) me\b|\bfind me on\b|\b(?:my|your|ur) (?:number|phone number|mobile|cell|digits|email|e-mail|handle|user ?name|addy|address)\b|\bgive me your (?:number|email|snap|insta|handle)\b`), reason: reasonPlatform, words: []string{"me", "my", "your", "ur", "hmu"}},
	// Meeting off the platform.
	{re: regexp.MustCompile(`\b(?:let'?s|we (?:could|can|should)|wanna|want to|do you want to|how about we|shall we|could we|why don'?t we)\s+(?:meet|hang out|get together|link up|meet up)\b`), reason: reasonMeet, words: []string{"meet", "hang", "together", "link"}},
	{re: regexp.MustCompile(`\bmeet (?:me|you|u)\b|\bmeet ?up (?:at|in|on|after|before|near|outside|by|tomorrow|tonight|this|next|some ?time|irl)\b|\bmeet(?:ing)? (?:irl|in person|in real life|face to face|offline)\b|\b(?:see|hang out with) (?:you|u) (?:irl|in person|in real life)\b`), reason: reasonMeet, words: []string{"meet", "meetup", "meeting", "irl", "person", "real"}},
	{re: regexp.MustCompile(`\bcome (?:over|round|around) to (?:my|mine)\b|\bi live (?:at|on|near)\b|\bmy (?:home )?address\b`), reason: reasonMeet, words: []string{"come", "live", "address"}},
}

// phoneRun is seven or more digits, with at most three separators between
// neighbours (spaces, dots, dashes, commas, slashes, underscores,
// brackets), optionally after a "+".
var phoneRun = regexp.MustCompile(`\+?\(?\d(?:[\s().,/_\-]{0,3}\d){6,}`)

var (
	// Removed before looking for phone numbers: dates (12/03/2025,
	// 2025-03-12), year ranges (2019-2024), amounts with thousands
	// separators (1,500,000).
	dates     = regexp.MustCompile(`\b\d{1,4}\s?[/.\-]\s?\d{1,2}\s?[/.\-]\s?\d{1,4}\b`)
	years     = regexp.MustCompile(`\b(?:19|20)\d{2}\s?[-/]\s?(?:19|20)?\d{2}\b`)
	thousands = regexp.MustCompile(`(^|[^\d,])\d{1,3}(?:,\d{3})+(?:\.\d+)?($|[^\d,])`)
	listSep   = regexp.MustCompile(`\s*,\s+`)
	digits    = regexp.MustCompile(`^\d+$`)
)

// numberList reports a run that is a list of numbers of one length
// ("200, 400, 600"), not a phone number written in groups ("555, 123,
// 4567").
func numberList(run string) bool {
	parts := listSep.Split(strings.Trim(run, " ,"), -1)
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !digits.MatchString(p) || len(p) != len(parts[0]) {
			return false
		}
	}
	return true
}

// phoneNumber finds a run of seven or more digits shaped like a phone
// number, leaving out dates, year ranges, amounts and lists of numbers.
func phoneNumber(t string) bool {
	t = dates.ReplaceAllString(t, " # ")
	t = years.ReplaceAllString(t, " # ")
	t = thousands.ReplaceAllString(t, "$1 # $2")
	for _, m := range phoneRun.FindAllString(t, -1) {
		if numberList(m) {
			continue
		}
		return true
	}
	return false
}
