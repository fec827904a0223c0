// Command screencorpus builds the labelled screening corpus from its
// hand-written sources and splits it, once, into a training part and a
// held-out part:
//
//	go run ./cmd/screencorpus
//
// Sources are internal/moderation/screening/testdata/src/*.txt, one
// message a line as LABELS|text, where LABELS are letters: B benign, M
// misinformation, S shaming, H harassment, P spam (promotion), C crisis
// (several letters for several labels, e.g. MP). Each message also gets
// one variant in another voice (terse and lower case, a typo, a chatty
// opener or sign-off), chosen by a hash of its text, so the corpus holds
// the way people really type. A message and its variant always land in
// the same part, chosen by a hash too: no held-out text, nor a variant of
// one, is in the training part (TestCorpusSplitDoesNotLeak checks).
//
// The output is testdata/train.jsonl and testdata/heldout.jsonl; the
// older testdata/corpus.jsonl (the first rule pack's tuning set) joins
// the training part and testdata/holdout.jsonl the held-out part.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

const dir = "internal/moderation/screening/testdata"

type example struct {
	Text   string   `json:"text"`
	Labels []string `json:"labels"`
	Note   string   `json:"note,omitempty"`
}

var letters = map[rune]string{'M': "misinformation", 'S': "shaming", 'H': "harassment", 'P': "spam", 'C': "crisis"}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "screencorpus:", err)
		os.Exit(1)
	}
}

func run() error {
	files, err := filepath.Glob(filepath.Join(dir, "src", "*.txt"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no sources in %s/src (run from the repository root): %v", dir, err)
	}
	sort.Strings(files)
	oldTrain, err := readCorpus(filepath.Join(dir, "corpus.jsonl"))
	if err != nil {
		return err
	}
	oldHeld, err := readCorpus(filepath.Join(dir, "holdout.jsonl"))
	if err != nil {
		return err
	}
	seen := map[string]string{}
	var train, held []example
	var groups [][]example
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(fh)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			code, text, ok := strings.Cut(line, "|")
			if !ok || strings.TrimSpace(text) == "" {
				return fmt.Errorf("%s:%d: want LABELS|text", f, n)
			}
			ex := example{Text: strings.TrimSpace(text), Labels: []string{}, Note: filepath.Base(f)}
			for _, c := range code {
				if c == 'B' {
					continue
				}
				l, ok := letters[c]
				if !ok {
					return fmt.Errorf("%s:%d: unknown label letter %q", f, n, c)
				}
				ex.Labels = append(ex.Labels, l)
			}
			key := fold(ex.Text)
			if prev, dup := seen[key]; dup {
				return fmt.Errorf("%s:%d: %q repeats a message of %s", f, n, ex.Text, prev)
			}
			seen[key] = fmt.Sprintf("%s:%d", f, n)
			group := []example{ex}
			if v := variant(ex.Text); v != "" && seen[fold(v)] == "" {
				seen[fold(v)] = fmt.Sprintf("%s:%d (variant)", f, n)
				group = append(group, example{Text: v, Labels: ex.Labels, Note: ex.Note + " variant"})
			}
			groups = append(groups, group)
		}
		fh.Close()
		// Every fourth message of each source (in hash order) is held
		// out, so each category is held out in proportion.
		sort.Slice(groups, func(i, j int) bool { return hash(groups[i][0].Text) < hash(groups[j][0].Text) })
		for i, g := range groups {
			// A message close to one of the older corpora goes where
			// that one is, so no near copy crosses the split.
			toHeld := i%4 == 1
			switch {
			case near(g, oldTrain):
				toHeld = false
			case near(g, oldHeld):
				toHeld = true
			}
			if toHeld {
				held = append(held, g...)
			} else {
				train = append(train, g...)
			}
		}
		groups = groups[:0]
		if err := sc.Err(); err != nil {
			return err
		}
	}
	if err := write(filepath.Join(dir, "train.jsonl"), train); err != nil {
		return err
	}
	if err := write(filepath.Join(dir, "heldout.jsonl"), held); err != nil {
		return err
	}
	fmt.Printf("train %d, held out %d\n", len(train), len(held))
	return nil
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// fold is the text as compared for duplicates: letters and digits only.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	openers  = []string{"ugh ", "honestly, ", "not sure where to put this but ", "ok so ", "Sorry for the long post. ", "hi all, ", "idk anymore. ", "quick one - "}
	closers  = []string{" x", " :(", " tbh", " lol", "...", " ugh", " 😔", " idk"}
	variants = []func(string, uint32) string{terse, typo, framed}
)

// variant rewrites text in another voice.
func variant(text string) string {
	h := hash("v:" + text)
	return variants[h%uint32(len(variants))](text, h/7)
}

// terse is chat spelling: lower case, no apostrophes, "u" for "you".
func terse(s string, h uint32) string {
	t := " " + strings.ToLower(strings.TrimRight(s, ".!? ")) + " "
	t = strings.NewReplacer("'", "", "’", "", ",", "", ".", "").Replace(t)
	t = chat.Replace(t)
	t = strings.TrimSpace(t)
	if fold(t) == fold(s) {
		return typo(s, h)
	}
	return t
}

var chat = strings.NewReplacer(" you ", " u ", " your ", " ur ", " youre ", " ur ", " are ", " r ", " because ", " cos ",
	" really ", " rly ", " please ", " pls ", " people ", " ppl ", " tonight ", " tonite ", " with ", " w ", " to ", " 2 ",
	" for ", " 4 ", " though ", " tho ", " thanks ", " thx ", " know ", " kno ", " going to ", " gonna ", " want to ", " wanna ")

// typo swaps two letters inside the longest word: "sumatirptan".
func typo(s string, h uint32) string {
	words := strings.Fields(s)
	best := -1
	for i, w := range words {
		if len(w) >= 6 && (best < 0 || len(w) > len(words[best])) && isASCIIWord(w) {
			best = i
		}
	}
	if best < 0 {
		return framed(s, h)
	}
	w := []byte(words[best])
	k := 1 + int(h%uint32(len(w)-3))
	w[k], w[k+1] = w[k+1], w[k]
	words[best] = string(w)
	return strings.Join(words, " ")
}

func isASCIIWord(w string) bool {
	for _, c := range w {
		if c > 127 || !unicode.IsLetter(c) {
			return false
		}
	}
	return true
}

func framed(s string, h uint32) string {
	if h%2 == 0 {
		return openers[h/2%uint32(len(openers))] + s
	}
	return strings.TrimRight(s, ".") + closers[h/2%uint32(len(closers))]
}

func write(path string, exs []example) error {
	var b strings.Builder
	for _, ex := range exs {
		line, err := json.Marshal(ex)
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func readCorpus(path string) ([]map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []map[string]bool
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var ex example
		if err := json.Unmarshal([]byte(line), &ex); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, words(ex.Text))
	}
	return out, nil
}

func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out[w] = true
	}
	return out
}

// near reports whether any message of g shares nearly all its words (or
// all of them) with one of corpus.
func near(g []example, corpus []map[string]bool) bool {
	for _, ex := range g {
		ws := words(ex.Text)
		for _, other := range corpus {
			n := 0
			for w := range ws {
				if other[w] {
					n++
				}
			}
			union := len(ws) + len(other) - n
			if union > 0 && (float64(n)/float64(union) >= 0.6 || n == len(ws) && n == len(other)) {
				return true
			}
		}
	}
	return false
}
