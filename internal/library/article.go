package library

import (
	"html/template"
	"slices"
	"time"
)

// MedicalNote is the reminder every article page shows below the article,
// built-in or written by a tenant. It lives in the page template rather than
// in article bodies, so no author has to remember it and no body repeats it.
const MedicalNote = "This is information, not medical advice. It can't replace care from a clinician who knows you, so please talk to your doctor, nurse or pharmacist about your own situation. In an emergency, call your local emergency number."

// Source is a reference an article draws on.
type Source struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
}

// Article is one library page. Body is the Markdown as written; HTML and
// Text are derived from it by Prepare.
type Article struct {
	Slug    string
	Title   string
	Summary string
	Topic   string // a Topic key
	Tags    []string
	// Questions are everyday questions the article answers, in the words
	// a member might use ("When should I go to A&E?"). Search gives them
	// their own field weight.
	Questions    []string
	Sources      []Source
	LastReviewed time.Time
	Body         string
	// HTML is Body rendered by Render: safe to put in a page as it is.
	HTML template.HTML
	// Text is Body as plain text, what search indexes and quotes in
	// snippets. NewIndex derives it when empty; storing it saves that
	// work each time a tenant's articles are indexed.
	Text string
	// Builtin is true for the articles shipped with Quietroom and false
	// for those a tenant wrote.
	Builtin bool
	// Link is set for a tenant's link resource (a local group, a crisis
	// line, an event page): the page leads there, and Body may be empty.
	Link string
}

// Prepare sets HTML and Text from Body. Call it whenever Body changes,
// such as when a tenant saves an article, and keep the results with it.
func (a *Article) Prepare() error {
	html, err := Render(a.Body)
	if err != nil {
		return err
	}
	a.HTML, a.Text = html, newPlainTexter().text(a.Body)
	return nil
}

// clone copies the slices too, so a caller that edits a returned article
// cannot change what an Index holds.
func (a Article) clone() Article {
	a.Tags = slices.Clone(a.Tags)
	a.Questions = slices.Clone(a.Questions)
	a.Sources = slices.Clone(a.Sources)
	return a
}

// HasTag reports whether the article carries tag.
func (a Article) HasTag(tag string) bool {
	return slices.Contains(a.Tags, tag)
}
