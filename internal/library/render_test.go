package library

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// xssPayloads are Markdown bodies a hostile tenant might save. None may
// leave anything executable, styled or loaded from elsewhere in the HTML.
var xssPayloads = []struct{ name, md string }{
	{"script block", "<script>alert(1)</script>"},
	{"script inline", "hello <script>alert(1)</script> world"},
	{"script split", "<<script>script>alert(1)<</script>/script>"},
	{"script uppercase", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"},
	{"img onerror", `<img src=x onerror=alert(1)>`},
	{"img onerror inline", `text <img src="x" onerror="alert(1)"> text`},
	{"svg onload", `<svg onload=alert(1)>`},
	{"svg script", `<svg><script>alert(1)</script></svg>`},
	{"svg xlink", `<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>`},
	{"svg animate", `<svg><animate onbegin=alert(1) attributeName=x dur=1s>`},
	{"math mxss", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`},
	{"iframe", `<iframe src="https://evil.example"></iframe>`},
	{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
	{"style block", "<style>body{display:none}</style>"},
	{"style attr", `<p style="background:url(javascript:alert(1))">x</p>`},
	{"object", `<object data="javascript:alert(1)"></object>`},
	{"embed", `<embed src="javascript:alert(1)">`},
	{"form", `<form action="https://evil.example"><input name=x><button>go</button></form>`},
	{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
	{"base href", `<base href="https://evil.example/">`},
	{"link stylesheet", `<link rel=stylesheet href="https://evil.example/x.css">`},
	{"details ontoggle", `<details open ontoggle=alert(1)>`},
	{"anchor javascript", `<a href="javascript:alert(1)">x</a>`},
	{"anchor onclick", `<a href="https://ok.example" onclick="alert(1)">x</a>`},
	{"md link javascript", `[click](javascript:alert(1))`},
	{"md link mixed case", `[click](JaVaScRiPt:alert(1))`},
	{"md link entity", `[click](java&#x09;script:alert(1))`},
	{"md link encoded", `[click](javascript&colon;alert(1))`},
	{"md link vbscript", `[click](vbscript:msgbox(1))`},
	{"md link data", `[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`},
	{"md link file", `[click](file:///etc/passwd)`},
	{"md link title breakout", `[x](https://ok.example "a\" onmouseover=\"alert(1)")`},
	{"md reference link", "[click][r]\n\n[r]: javascript:alert(1)"},
	{"md autolink javascript", `<javascript:alert(1)>`},
	{"md autolink data", `<data:text/html,<script>alert(1)</script>>`},
	{"md image javascript", `![x](javascript:alert(1))`},
	{"md image remote", `![tracking pixel](https://evil.example/pixel.png)`},
	{"md image onerror", `![x" onerror="alert(1)](x)`},
	{"heading with html", `# <img src=x onerror=alert(1)> Title`},
	{"html comment", `<!-- <script>alert(1)</script> -->`},
	{"cdata", `<![CDATA[<script>alert(1)</script>]]>`},
	{"code fence language", "```\"><script>alert(1)</script>\nx\n```"},
	{"table cell", "| a |\n|---|\n| <script>alert(1)</script> |"},
	{"nested in list", "- <img src=x onerror=alert(1)>\n- [x](javascript:alert(1))"},
}

func TestRenderRemovesXSS(t *testing.T) {
	for _, tc := range xssPayloads {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Render(tc.md)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			assertSafeHTML(t, string(out))
		})
	}
}

// assertSafeHTML parses out as a browser would and checks every element
// and attribute against what article HTML may contain.
func assertSafeHTML(t *testing.T, out string) {
	t.Helper()
	allowed := map[string]bool{
		"p": true, "br": true, "hr": true, "blockquote": true, "pre": true,
		"em": true, "strong": true, "del": true, "s": true, "code": true,
		"ul": true, "ol": true, "li": true, "a": true,
		"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	}
	lower := strings.ToLower(out)
	// Text may mention "javascript:" harmlessly; tags may not appear at all.
	for _, bad := range []string{"<script", "<style", "<iframe", "<svg", "<img", "<object", "<embed", "<form", "<meta", "<base", "<link"} {
		if strings.Contains(lower, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatalf("parse output: %v", err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if !allowed[n.Data] {
				t.Errorf("element <%s> in output:\n%s", n.Data, out)
			}
			for _, a := range n.Attr {
				key, val := strings.ToLower(a.Key), strings.ToLower(a.Val)
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.Contains(val, scheme) {
						t.Errorf("attribute %s=%q in output:\n%s", a.Key, a.Val, out)
					}
				}
				switch {
				case strings.HasPrefix(key, "on"), key == "style", key == "src", key == "srcdoc", key == "formaction":
					t.Errorf("attribute %s=%q in output:\n%s", a.Key, a.Val, out)
				case key == "href":
					assertSafeURL(t, a.Val, out)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

func assertSafeURL(t *testing.T, raw, out string) {
	t.Helper()
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		t.Errorf("unparseable href %q in output:\n%s", raw, out)
		return
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
	default:
		t.Errorf("href with scheme %q in output:\n%s", u.Scheme, out)
	}
}

func TestRenderKeepsMarkdown(t *testing.T) {
	cases := []struct {
		name, md string
		want     []string
	}{
		{"heading with anchor", "## What it is\n\ntext", []string{`<h2 id="sec-what-it-is">What it is</h2>`}},
		{"duplicate headings", "## Tips\n\n## Tips", []string{`id="sec-tips"`, `id="sec-tips-2"`}},
		{"accented heading", "## Ménière's disease", []string{`id="sec-menieres-disease"`}},
		{"emphasis", "some **bold** and *soft* words", []string{"<strong>bold</strong>", "<em>soft</em>"}},
		{"strikethrough", "~~gone~~", []string{"<del>gone</del>"}},
		{"bullet list", "- one\n- two", []string{"<ul>", "<li>one</li>", "<li>two</li>"}},
		{"ordered list", "3. three\n4. four", []string{`<ol start="3">`, "<li>three</li>"}},
		{"internal link", "See [acute treatment](/library/acute-treatment).", []string{`<a href="/library/acute-treatment">acute treatment</a>`}},
		{"external link", "[NHS](https://www.nhs.uk/conditions/migraine/)", []string{`href="https://www.nhs.uk/conditions/migraine/"`, `rel="nofollow noreferrer noopener"`, `target="_blank"`}},
		{"link title", `[x](https://example.org "More info")`, []string{`title="More info"`}},
		{"mailto", "[write](mailto:help@example.org)", []string{`href="mailto:help@example.org"`}},
		{"bare url", "Visit https://example.org today", []string{`href="https://example.org"`}},
		{"image becomes alt text", "![a calm room](https://example.org/room.png)", []string{"<p>a calm room</p>"}},
		{"blockquote", "> quiet", []string{"<blockquote>", "quiet"}},
		{"code", "`code` and\n\n```go\nx := 1\n```", []string{"<code>code</code>", `<code class="language-go">`}},
		{"table", "| Day | Pain |\n|:---|---:|\n| Mon | 3 |", []string{"<table>", `<th align="left">Day</th>`, `<td align="right">3</td>`}},
		{"escaped html text", "use `<script>` tags", []string{"<code>&lt;script&gt;</code>"}},
		{"entities", "5 &lt; 6 &amp; fish", []string{"5 &lt; 6 &amp; fish"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Render(tc.md)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %s:\n%s", w, out)
				}
			}
			assertSafeHTML(t, string(out))
		})
	}
}

func TestRenderRejectsHugeInput(t *testing.T) {
	if _, err := Render(strings.Repeat("a", MaxMarkdownBytes+1)); err == nil {
		t.Fatal("want an error for a body over MaxMarkdownBytes")
	}
	if out, err := Render(""); err != nil || out != "" {
		t.Fatalf("Render(\"\") = %q, %v; want empty, nil", out, err)
	}
}

// Render shares one goldmark and bluemonday set-up between goroutines
// (run with -race).
func TestRenderConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			md := fmt.Sprintf("## Part %d\n\n- [link](https://example.org/%d)\n", i, i)
			out, err := Render(md)
			if err != nil || !strings.Contains(string(out), fmt.Sprintf(`id="sec-part-%d"`, i)) {
				t.Errorf("Render(%q) = %q, %v", md, out, err)
			}
		})
	}
	wg.Wait()
}
