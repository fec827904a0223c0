// Command screeneval scores the built-in screening pack against a
// labelled corpus: per-category precision, recall and F1, and with -v the
// messages it got wrong.
//
//	go run ./cmd/screeneval            # the embedded tuning corpus
//	go run ./cmd/screeneval -holdout   # the embedded held-out corpus
//	go run ./cmd/screeneval -corpus my.jsonl -v
package main

import (
	"flag"
	"fmt"
	"os"

	"quietroom/internal/moderation/screening"
)

func main() {
	path := flag.String("corpus", "", "JSON-lines corpus to score (default: the embedded tuning corpus)")
	holdout := flag.Bool("holdout", false, "score the embedded held-out corpus instead")
	verbose := flag.Bool("v", false, "list misclassified messages")
	flag.Parse()
	if err := run(*path, *holdout, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "screeneval:", err)
		os.Exit(1)
	}
}

func run(path string, holdout, verbose bool) error {
	pack := screening.BuiltinPack()
	engine, err := screening.Compile(pack.Rules, screening.Options{Version: pack.Version})
	if err != nil {
		return fmt.Errorf("compile built-in pack: %w", err)
	}
	corpus, name, err := load(path, holdout)
	if err != nil {
		return err
	}
	fmt.Printf("pack %s, %d rules, corpus %s\n\n", pack.Version, len(pack.Rules), name)
	return screening.Evaluate(engine, corpus).WriteTable(os.Stdout, verbose)
}

func load(path string, holdout bool) ([]screening.Example, string, error) {
	switch {
	case path != "":
		f, err := os.Open(path)
		if err != nil {
			return nil, "", fmt.Errorf("open corpus: %w", err)
		}
		defer f.Close()
		c, err := screening.ParseCorpus(f)
		return c, path, err
	case holdout:
		c, err := screening.HoldoutCorpus()
		return c, "embedded holdout", err
	}
	c, err := screening.BuiltinCorpus()
	return c, "embedded tuning", err
}
