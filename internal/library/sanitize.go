package library

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// newPolicy is bluemonday's UGCPolicy narrowed to what our Markdown
// renderer emits. UGCPolicy itself allows <img>, and a bluemonday policy
// cannot take an element back once allowed, so the allowlist is spelt out
// here rather than starting from UGCPolicy and subtracting. Everything not
// listed, <script>, <style>, <iframe>, <svg>, <img>, forms, event-handler
// and style attributes, is removed, and the contents of script-like
// elements go with them.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	// The URL rules of UGCPolicy (AllowStandardURLs): parseable URLs only,
	// relative or http(s)/mailto.
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	// Links out of Quietroom: no ranking credit, no referrer, a new tab
	// that cannot reach back through window.opener.
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)

	p.AllowElements("p", "br", "hr", "blockquote", "pre",
		"em", "strong", "del", "s", "code",
		"ul", "ol", "li",
		"table", "thead", "tbody", "tr")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,6}$`)).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	p.AllowElements("th", "td")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[A-Za-z0-9+#_-]{1,32}$`)).OnElements("code")

	p.AllowAttrs("id").Matching(regexp.MustCompile(`^sec-[a-z0-9-]{1,120}$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowElements("h1", "h2", "h3", "h4", "h5", "h6")

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).OnElements("a")
	return p
}
