package library

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// frontMatter mirrors the YAML block at the top of an article file.
type frontMatter struct {
	Title        string   `yaml:"title"`
	Slug         string   `yaml:"slug"`
	Summary      string   `yaml:"summary"`
	Topic        string   `yaml:"topic"`
	Tags         []string `yaml:"tags"`
	Sources      []Source `yaml:"sources"`
	LastReviewed string   `yaml:"last_reviewed"`
	Questions    []string `yaml:"questions"`
}

// parseArticleFile turns one article file into an Article (without HTML).
// Every problem found is reported, each naming the file and the field, so
// an author can fix a file in one go.
func parseArticleFile(name string, src []byte) (Article, error) {
	fail := func(field, format string, args ...any) error {
		return fmt.Errorf("library: %s: %s: %s", name, field, fmt.Sprintf(format, args...))
	}
	head, body, err := splitFrontMatter(src)
	if err != nil {
		return Article{}, fail("front matter", "%v", err)
	}
	var fm frontMatter
	dec := yaml.NewDecoder(bytes.NewReader(head))
	dec.KnownFields(true) // a misspelt key is an error, not a silently missing field
	if err := dec.Decode(&fm); err != nil {
		return Article{}, fail("front matter", "%v", err)
	}

	questions, errs := checkQuestions(fm.Questions, fail)
	a := Article{
		Slug:      strings.TrimSpace(fm.Slug),
		Title:     strings.TrimSpace(fm.Title),
		Summary:   strings.TrimSpace(fm.Summary),
		Topic:     strings.TrimSpace(fm.Topic),
		Tags:      fm.Tags,
		Questions: questions,
		Sources:   fm.Sources,
		Body:      strings.TrimSpace(string(body)),
	}
	if a.Title == "" {
		errs = append(errs, fail("title", "is required"))
	}
	wantSlug := strings.TrimSuffix(path.Base(name), ".md")
	switch {
	case a.Slug == "":
		errs = append(errs, fail("slug", "is required"))
	case !isSlug(a.Slug):
		errs = append(errs, fail("slug", "%q must be lower-case words joined by hyphens", a.Slug))
	case a.Slug != wantSlug:
		errs = append(errs, fail("slug", "%q must match the file name %q", a.Slug, wantSlug))
	}
	if a.Summary == "" {
		errs = append(errs, fail("summary", "is required"))
	}
	if _, ok := TopicByKey(a.Topic); !ok {
		errs = append(errs, fail("topic", "%q is not one of %s", a.Topic, topicKeys()))
	}
	seen := map[string]bool{}
	for _, tag := range a.Tags {
		switch {
		case !isSlug(tag):
			errs = append(errs, fail("tags", "%q must be lower-case words joined by hyphens", tag))
		case seen[tag]:
			errs = append(errs, fail("tags", "%q is listed twice", tag))
		}
		seen[tag] = true
	}
	errs = append(errs, checkSources(a.Sources, fail)...)
	if fm.LastReviewed == "" {
		errs = append(errs, fail("last_reviewed", "is required"))
	} else if a.LastReviewed, err = time.Parse(time.DateOnly, fm.LastReviewed); err != nil {
		errs = append(errs, fail("last_reviewed", "%q must be a date like 2026-01-31", fm.LastReviewed))
	}
	if a.Body == "" {
		errs = append(errs, fail("body", "is empty"))
	}
	return a, errors.Join(errs...)
}

// Limits on the questions an article declares.
const (
	maxQuestions     = 20
	maxQuestionBytes = 200
)

// checkQuestions trims the questions an article answers and checks each
// is one short line, said once.
func checkQuestions(qs []string, fail func(field, format string, args ...any) error) ([]string, []error) {
	var errs []error
	if len(qs) > maxQuestions {
		errs = append(errs, fail("questions", "has %d questions, at most %d are allowed", len(qs), maxQuestions))
	}
	out := make([]string, 0, len(qs))
	seen := map[string]bool{}
	for i, q := range qs {
		q = strings.TrimSpace(q)
		field := fmt.Sprintf("questions[%d]", i)
		switch {
		case q == "":
			errs = append(errs, fail(field, "is empty"))
		case len(q) > maxQuestionBytes || strings.ContainsAny(q, "\n\r"):
			errs = append(errs, fail(field, "must be one line of at most %d bytes", maxQuestionBytes))
		case seen[foldText(q)]:
			errs = append(errs, fail(field, "%q is listed twice", q))
		}
		seen[foldText(q)] = true
		out = append(out, q)
	}
	return out, errs
}

// checkSources insists on at least one source, each named and linked over
// https: readers follow these links from a health page.
func checkSources(sources []Source, fail func(field, format string, args ...any) error) []error {
	if len(sources) == 0 {
		return []error{fail("sources", "at least one source is required")}
	}
	var errs []error
	for i, s := range sources {
		field := fmt.Sprintf("sources[%d]", i)
		if strings.TrimSpace(s.Name) == "" {
			errs = append(errs, fail(field+".name", "is required"))
		}
		u, err := url.Parse(s.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			errs = append(errs, fail(field+".url", "%q must be an https URL", s.URL))
		}
	}
	return errs
}

// splitFrontMatter separates the YAML between the opening and closing
// "---" lines from the Markdown after them.
func splitFrontMatter(src []byte) (head, body []byte, err error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil, nil, errors.New(`must start with a "---" line`)
	}
	if bytes.HasPrefix(rest, []byte("---\n")) {
		return nil, rest[4:], nil
	}
	head, body, ok = bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		head, ok = bytes.CutSuffix(rest, []byte("\n---"))
		if !ok {
			return nil, nil, errors.New(`has no closing "---" line`)
		}
	}
	return head, body, nil
}

func topicKeys() string {
	var keys []string
	for _, t := range Topics() {
		keys = append(keys, t.Key)
	}
	return strings.Join(keys, ", ")
}

// isSlug reports whether s is lower-case words of a-z and 0-9 joined by
// single hyphens: the shape of slugs and tags, which end up in URLs.
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
