package library

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
)

// builtinFS holds the articles that ship with Quietroom. An embed.FS is
// read-only, so it is no shared mutable state.
//
//go:embed articles/*.md
var builtinFS embed.FS

// LoadBuiltin parses, checks and renders the built-in articles, sorted by
// slug. Any article that fails its checks fails the whole load: a broken
// built-in is a bug to fix before release, not something to skip quietly.
func LoadBuiltin() ([]Article, error) {
	return loadArticles(builtinFS, "articles")
}

func loadArticles(fsys fs.FS, dir string) ([]Article, error) {
	names, err := fs.Glob(fsys, dir+"/*.md") // sorted, so slugs come out in order
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("library: no articles in %s", dir)
	}
	var (
		articles []Article
		errs     []error
	)
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a, err := parseArticleFile(name, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := a.Prepare(); err != nil {
			errs = append(errs, fmt.Errorf("library: %s: body: %w", name, err))
			continue
		}
		a.Builtin = true
		articles = append(articles, a)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return articles, nil
}
