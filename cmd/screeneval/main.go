// Command screeneval scores the built-in screening (rules and the learned
// model together, as the hub runs them) against labelled corpora:
// per-category precision, recall and F1, the benign false-positive rate,
// and with -v the messages it got wrong.
//
//	go run ./cmd/screeneval                  # the training part and the three held-out parts
//	go run ./cmd/screeneval -rules-only      # the same without the model
//	go run ./cmd/screeneval -corpus my.jsonl -v
//
// A corpus is JSON lines: {"text":"…","labels":["crisis"]}, labels from
// misinformation, shaming, harassment, spam, crisis; [] for benign.
package main

import (
	"flag"
	"fmt"
	"os"

	"quietroom/internal/moderation/screening"
)

func main() {
	path := flag.String("corpus", "", "a JSON-lines corpus to score instead of the embedded parts")
	rulesOnly := flag.Bool("rules-only", false, "score the rules without the model")
	verbose := flag.Bool("v", false, "list misclassified messages")
	flag.Parse()
	if err := run(*path, *rulesOnly, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "screeneval:", err)
		os.Exit(1)
	}
}

func run(path string, rulesOnly, verbose bool) error {
	pack := screening.BuiltinPack()
	opts := screening.Options{Version: pack.Version}
	what := "rules and model"
	if !rulesOnly {
		m, err := screening.BuiltinModel()
		if err != nil {
			return err
		}
		opts.Model = m
	} else {
		what = "rules only"
	}
	engine, err := screening.Compile(pack.Rules, opts)
	if err != nil {
		return fmt.Errorf("compile built-in pack: %w", err)
	}
	type part struct {
		name string
		load func() ([]screening.Example, error)
	}
	parts := []part{{"training part", screening.TrainingCorpus}, {"held-out part", screening.HeldOutCorpus}, {"fresh held-out part (frozen, read while tuning in a later round)", screening.FreshHeldOutCorpus},
		{"second fresh held-out part (frozen, never tuned on)", screening.SecondFreshHeldOutCorpus}}
	if path != "" {
		parts = []part{{path, func() ([]screening.Example, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, fmt.Errorf("open corpus: %w", err)
			}
			defer f.Close()
			return screening.ParseCorpus(f)
		}}}
	}
	fmt.Printf("pack %s, %d rules, %s\n", pack.Version, len(pack.Rules), what)
	for _, p := range parts {
		corpus, err := p.load()
		if err != nil {
			return err
		}
		fmt.Printf("\n%s\n", p.name)
		if err := screening.Evaluate(engine, corpus).WriteTable(os.Stdout, verbose); err != nil {
			return err
		}
	}
	return nil
}
