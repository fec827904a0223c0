// Command screentrain trains the screening model on the training part of
// the labelled corpus, calibrates its three bands per category on the
// held-out part, and writes the weights the hub embeds:
//
//	go run ./cmd/screentrain    # writes internal/moderation/screening/model.bin
//
// Training is deterministic, so running it again on the same corpus
// writes the same file; TestEmbeddedModelMatchesTraining checks that the
// embedded weights are what the corpus trains. Run it after changing the
// corpus (cmd/screencorpus), the features or the concept lexicon.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"quietroom/internal/moderation/screening"
)

func main() {
	out := flag.String("o", "internal/moderation/screening/model.bin", "where to write the model")
	validate := flag.Bool("validate", false, "train on 3/4 of the training part and report on the other 1/4 (choosing settings without the held-out part); writes nothing")
	l2 := flag.Float64("l2", 0, "weight decay (0: the default)")
	char := flag.Float64("char", -1, "weight of character n-grams (-1: the default)")
	concept := flag.Float64("concept", -1, "weight of concept features (-1: the default)")
	rule := flag.Float64("rule", -1, "weight of rule features (-1: the default)")
	minNorm := flag.Float64("min-norm", -1, "least squared feature length a message is divided by (-1: the default)")
	flag.Parse()
	if *validate {
		g := screening.DefaultFeatureWeights()
		if *char >= 0 {
			g.Char = float32(*char)
		}
		if *concept >= 0 {
			g.Concept = float32(*concept)
		}
		if *rule >= 0 {
			g.Rule = float32(*rule)
		}
		if *minNorm >= 0 {
			g.MinNorm = float32(*minNorm)
		}
		rep, err := screening.ValidateTraining(screening.TrainOptions{L2: *l2, Groups: &g})
		if err == nil {
			err = rep.WriteTable(os.Stdout, os.Getenv("V") != "")
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "screentrain:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "screentrain:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	start := time.Now()
	m, err := screening.BuiltinTrainedModel()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, screening.EncodeModel(m), 0o644); err != nil {
		return err
	}
	fmt.Printf("trained and calibrated in %s, wrote %s\n", time.Since(start).Round(time.Millisecond), out)
	for _, c := range screening.Categories() {
		t := m.CategoryThresholds(c)
		fmt.Printf("%-15s uncertain ≥ %.3f, confident ≥ %.3f\n", c, t.Uncertain, t.Confident)
	}
	return nil
}
