package library

import (
	"strings"
	"sync"
)

// The fields of an article that search looks at.
const (
	fieldTitle = iota
	fieldSummary
	fieldTags
	fieldQuestions
	fieldBody
	numFields
)

// posting records how often a term occurs in each field of one document.
type posting struct {
	doc int32
	tf  [numFields]uint16
}

// tok is one indexed word of a document, in reading order. Title, summary,
// each question and body words follow each other with a gap token (term
// -1) between them, so a phrase never spans two fields or questions.
type tok struct {
	term  int32
	start int32 // byte offset in the article's Text; body words only
}

type docEntry struct {
	article  Article
	sortKey  string // titleKey(article.Title), to order equal scores
	lens     [numFields]int32
	toks     []tok
	bodyFrom int // index in toks of the first body word
	// toks[qFrom:qTo] are the article's questions, each followed by a gap.
	qFrom, qTo int
}

// segment is an immutable inverted index over one batch of articles: the
// built-ins, or one tenant's own. An Index searches one or more segments
// together.
type segment struct {
	docs     []docEntry
	terms    map[string]int32 // stem -> term id
	postings [][]posting      // by term id, in doc order
	lenSum   [numFields]int64
	// words maps every folded word seen to its stem ("" for a stop word).
	// deletes maps each indexed word, and each form of it with one letter
	// deleted, to the words: together they let a misspelt query word find
	// the vocabulary word it was meant to be (see typos.go). It is built
	// on the first typo, since most queries, and most short-lived tenant
	// views, never need it.
	words   map[string]string
	deletes func() map[string][]string
	bySlug  map[string]int32 // the last doc with that slug
	byTag   map[string][]int32
}

func newSegment(articles []Article) *segment {
	s := &segment{
		docs:   make([]docEntry, len(articles)),
		terms:  map[string]int32{},
		words:  map[string]string{},
		bySlug: map[string]int32{},
		byTag:  map[string][]int32{},
	}
	pt := newPlainTexter()
	for i, a := range articles {
		d := &s.docs[i]
		d.article = a.clone()
		if d.article.Text == "" && d.article.Body != "" {
			d.article.Text = pt.text(a.Body)
		}
		d.sortKey = titleKey(a.Title)
		s.addField(i, d, fieldTitle, a.Title)
		d.toks = append(d.toks, tok{term: -1})
		s.addField(i, d, fieldSummary, a.Summary)
		d.toks = append(d.toks, tok{term: -1})
		s.addField(i, d, fieldTags, strings.Join(a.Tags, " "))
		d.qFrom = len(d.toks)
		for _, q := range a.Questions {
			s.addField(i, d, fieldQuestions, q)
			d.toks = append(d.toks, tok{term: -1})
		}
		d.qTo = len(d.toks)
		d.bodyFrom = len(d.toks)
		s.addField(i, d, fieldBody, d.article.Text)
		for f, n := range d.lens {
			s.lenSum[f] += int64(n)
		}
		s.bySlug[a.Slug] = int32(i)
		for _, tag := range a.Tags {
			tag = normTag(tag)
			if ids := s.byTag[tag]; len(ids) == 0 || ids[len(ids)-1] != int32(i) {
				s.byTag[tag] = append(ids, int32(i))
			}
		}
	}
	s.deletes = sync.OnceValue(s.buildDeletes)
	return s
}

// addField indexes one field of doc i. Tags are indexed for matching but
// kept out of the word sequence: they are not prose, so phrases and
// snippets ignore them.
func (s *segment) addField(i int, d *docEntry, field int, text string) {
	tokenize(text, func(word []byte, start int) {
		if len(word) < 2 && (word[0] < '0' || word[0] > '9') {
			return
		}
		st, ok := s.words[string(word)]
		if !ok {
			w := string(word)
			if !isStopWord(w) {
				st = stem(w)
			}
			s.words[w] = st // "" remembers a stop word
		}
		if st == "" {
			return
		}
		id, ok := s.terms[st]
		if !ok {
			id = int32(len(s.postings))
			s.terms[st] = id
			s.postings = append(s.postings, nil)
		}
		ps := s.postings[id]
		if len(ps) == 0 || ps[len(ps)-1].doc != int32(i) {
			ps = append(ps, posting{doc: int32(i)})
			s.postings[id] = ps
		}
		if p := &ps[len(ps)-1]; p.tf[field] < 1<<16-1 {
			p.tf[field]++
		}
		d.lens[field]++
		switch field {
		case fieldBody:
			d.toks = append(d.toks, tok{term: id, start: int32(start)})
		case fieldTitle, fieldSummary, fieldQuestions:
			d.toks = append(d.toks, tok{term: id})
		}
	})
}
