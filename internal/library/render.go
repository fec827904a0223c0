package library

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// MaxMarkdownBytes bounds what Render accepts. Articles are a few
// kilobytes; the bound keeps one oversized tenant article from tying up a
// server.
const MaxMarkdownBytes = 256 << 10

// Render turns article Markdown, built-in or written by a tenant, into HTML
// that is safe to put straight into a page.
//
// Two layers do the work. Goldmark renders CommonMark plus GFM tables,
// strikethrough and bare-URL links, with raw HTML dropped (its "unsafe"
// mode stays off) and dangerous link targets blanked. Bluemonday then
// re-checks the result against an allowlist of exactly what that Markdown
// can produce, so a bug in either layer alone does not let script through.
//
// Decisions a reader of the HTML will notice:
//   - Images are not shown: an image becomes its alt text. Library pages stay
//     calm and text-first, and no tenant can embed tracking pixels or
//     hotlink pictures from elsewhere.
//   - Links may be relative, http, https or mailto; anything else loses its
//     href. Links to other sites open in a new tab with
//     rel="nofollow noreferrer noopener"; links within Quietroom are left
//     as they are.
//   - Headings get ids prefixed "sec-" for anchors; the prefix keeps them
//     from clobbering ids or globals the page itself uses.
//
// The "information, not medical advice" note (MedicalNote) is not added
// here: the article page shows it for every article, so bodies need not.
func Render(markdown string) (template.HTML, error) {
	if len(markdown) > MaxMarkdownBytes {
		return "", fmt.Errorf("library: article is %d bytes, more than the %d allowed", len(markdown), MaxMarkdownBytes)
	}
	r := sharedRenderer()
	src := []byte(strings.ToValidUTF8(markdown, "\uFFFD"))
	var buf bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(&headingIDs{used: map[string]bool{}}))
	if err := r.md.Convert(src, &buf, parser.WithContext(ctx)); err != nil {
		return "", fmt.Errorf("library: rendering markdown: %w", err)
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes())), nil
}

type markdownRenderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// sharedRenderer is built on first use and never changed afterwards; both
// goldmark.Markdown and bluemonday.Policy are safe for concurrent use once
// configured.
var sharedRenderer = sync.OnceValue(func() *markdownRenderer {
	return &markdownRenderer{md: newMarkdown(), policy: newPolicy()}
})

func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
		),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(
			// html.WithUnsafe() is deliberately absent: raw HTML is omitted.
			renderer.WithNodeRenderers(util.Prioritized(imagesAsText{}, 100)),
		),
	)
}

// imagesAsText renders ![alt](src) as just its alt text.
type imagesAsText struct{}

func (imagesAsText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkContinue, nil // the children, the alt text, render as usual
	})
}

// headingIDs gives headings ids like "sec-what-it-is", unique within one
// article. Only a-z, 0-9 and hyphens survive, after accents are folded.
type headingIDs struct {
	used map[string]bool
}

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	b.WriteString("sec-")
	dash := false
	for _, word := range strings.Fields(foldText(string(value))) {
		for _, c := range word {
			if c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				if dash && b.Len() > len("sec-") {
					b.WriteByte('-')
				}
				dash = false
				b.WriteRune(c)
			} else if c == '-' {
				dash = true
			}
		}
		dash = true
	}
	id := b.String()
	if id == "sec-" {
		id = "sec-" + strconv.Itoa(len(h.used)+1)
	}
	base := id
	for n := 2; h.used[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	h.used[id] = true
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
