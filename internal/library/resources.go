package library

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"quietroom/internal/apperr"
	"quietroom/internal/textcheck"
)

// Resource is a tenant's own library entry: an article its admins wrote,
// or a link to something outside (a local support group, a crisis line, a
// clinic, an event).
type Resource struct {
	ID        string    `json:"-"`
	TenantID  string    `json:"-"`
	Kind      string    `json:"kind"`
	Slug      string    `json:"slug"`
	Title     string    `json:"title"`
	Summary   string    `json:"summary"`
	Body      string    `json:"body"` // Markdown, rendered and sanitised on display
	URL       string    `json:"url"`
	Topic     string    `json:"topic"`
	TagsText  string    `json:"-" gorm:"column:tags"`
	CreatedBy string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (Resource) TableName() string { return "library_resources" }

// Tags returns the resource's tags.
func (r Resource) Tags() []string { return strings.Fields(r.TagsText) }

// Resource kinds.
const (
	KindArticle = "article"
	KindLink    = "link"
)

// Limits on what a tenant writes.
const (
	maxBodyChars = 50_000
	maxTags      = 12
)

// ResourceInput is what an admin writes; on update, absent fields stay.
type ResourceInput struct {
	Kind    *string   `json:"kind"`
	Slug    *string   `json:"slug"`
	Title   *string   `json:"title"`
	Summary *string   `json:"summary"`
	Body    *string   `json:"body"`
	URL     *string   `json:"url"`
	Topic   *string   `json:"topic"`
	Tags    *[]string `json:"tags"`
}

// apply checks in against r (the current resource, or a new one) and
// returns the result, or every problem at once.
func (in ResourceInput) apply(r Resource, builtin func(slug string) bool) (Resource, error) {
	bad := apperr.Fields{}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.Kind, in.Kind)
	set(&r.Slug, in.Slug)
	set(&r.Title, in.Title)
	set(&r.Summary, in.Summary)
	set(&r.Body, in.Body)
	set(&r.URL, in.URL)
	set(&r.Topic, in.Topic)
	if in.Tags != nil {
		r.TagsText = strings.Join(*in.Tags, " ")
	}

	if r.Kind != KindArticle && r.Kind != KindLink {
		bad.Add("kind", "must be article or link")
	}
	if msg := textcheck.Slug(r.Slug); msg != "" {
		bad.Add("slug", msg)
	} else if builtin(r.Slug) {
		bad.Add("slug", "is the address of a built-in article: pick another")
	}
	var msg string
	if r.Title, msg = textcheck.Line(r.Title, 3, 120); msg != "" {
		bad.Add("title", msg)
	}
	if r.Summary, msg = textcheck.Line(r.Summary, 1, 300); msg != "" {
		bad.Add("summary", msg)
	}
	minBody := 0
	if r.Kind == KindArticle {
		minBody = 1
	}
	if r.Body, msg = textcheck.Text(r.Body, minBody, maxBodyChars); msg != "" {
		bad.Add("body", msg)
	}
	r.URL = strings.TrimSpace(r.URL)
	switch {
	case r.Kind == KindLink && r.URL == "":
		bad.Add("url", "is required for a link")
	case r.URL != "":
		if msg := checkURL(r.URL); msg != "" {
			bad.Add("url", msg)
		}
	}
	if _, ok := TopicByKey(r.Topic); !ok {
		bad.Add("topic", "must be one of "+topicKeys())
	}
	tags := strings.Fields(strings.ToLower(r.TagsText))
	slices.Sort(tags)
	tags = slices.Compact(tags)
	if len(tags) > maxTags {
		bad.Add("tags", "at most 12 tags")
	}
	for _, t := range tags {
		if msg := textcheck.Slug(t); msg != "" {
			bad.Add("tags", "each tag "+msg+" (lower-case letters, digits and hyphens)")
			break
		}
	}
	r.TagsText = strings.Join(tags, " ")
	return r, bad.Err()
}

// checkURL accepts only web addresses: a link a member follows must not
// run script (javascript:) or carry content (data:).
func checkURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "must be a web address starting with https:// or http://"
	}
	if len(raw) > 2000 {
		return "must be at most 2000 characters"
	}
	return ""
}

// article is how a resource appears in the library beside built-in ones.
func (r Resource) article() (Article, error) {
	a := Article{
		Slug: r.Slug, Title: r.Title, Summary: r.Summary, Topic: r.Topic, Tags: r.Tags(),
		LastReviewed: r.UpdatedAt, Body: r.Body, Link: r.URL,
	}
	return a, a.Prepare()
}
