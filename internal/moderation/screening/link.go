package screening

import "strings"

// linkLen returns the length of a web address starting at text[i:], or 0.
// Addresses become one "<link>" token: spam rules care that a link is
// there, and its dots must not read as sentence ends or as "c.u.r.e".
// It runs at the start of every word, so it must not allocate.
func linkLen(text string, i int) int {
	rest := text[i:]
	end, dots := 0, 0
	for end < len(rest) {
		b := rest[end]
		if b <= ' ' || b >= 0x80 || b == '"' || b == '<' || b == '>' {
			break
		}
		if b == '.' {
			dots++
		}
		end++
	}
	if dots == 0 && !hasPrefixFold(rest[:end], "http") {
		return 0
	}
	run := strings.TrimRight(rest[:end], ".,!?;:)]}'")
	for _, p := range [...]string{"https://", "http://", "www."} {
		if hasPrefixFold(run, p) {
			if len(run) > len(p)+2 {
				return len(run)
			}
			return 0
		}
	}
	host := run
	if k := strings.IndexAny(host, "/?#"); k >= 0 {
		host = host[:k]
	}
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || !knownTLD(host[dot+1:]) {
		return 0
	}
	prev := byte('.')
	for k := 0; k < len(host); k++ {
		c := host[k]
		switch {
		case c == '.':
			if prev == '.' {
				return 0 // empty label
			}
		case !isAlnumByte(c) && c != '-':
			return 0
		}
		prev = c
	}
	return len(run)
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for k := 0; k < len(prefix); k++ {
		if lowerByte(s[k]) != prefix[k] {
			return false
		}
	}
	return true
}

// knownTLD lists endings seen on links in community spam. A short list on
// purpose: "e.g." and "c.u.r.e" must not look like addresses.
func knownTLD(s string) bool {
	if len(s) < 2 || len(s) > 6 {
		return false
	}
	var b [6]byte
	for k := 0; k < len(s); k++ {
		b[k] = lowerByte(s[k])
	}
	switch string(b[:len(s)]) {
	case "com", "net", "org", "io", "co", "ly", "me", "app", "shop", "store", "biz", "info",
		"xyz", "online", "site", "link", "gg", "tv", "uk", "ca", "au", "nz", "de", "fr", "eu",
		"club", "live", "health", "care", "top", "click", "buzz", "page", "gov":
		return true
	}
	return false
}
