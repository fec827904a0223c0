package screening

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
)

// The learned model: one logistic regression per category over hashed
// features of the normalised message (words, word pairs, character
// n-grams inside words, concepts and pairs of concepts, a few context
// cues). Rules give explainable matches; the model catches paraphrase.
// Its weights are trained by `go run ./cmd/screentrain` on the training
// part of the corpus and embedded (model.bin);
// TestEmbeddedModelMatchesTraining retrains and compares.

const (
	modelDim   = 1 << 15 // hashed feature buckets
	numCats    = 5       // Categories() order
	maxFeature = 4096    // features read from one message, at most
)

// Band is how sure screening is about one category of one message.
type Band string

const (
	BandClear     Band = "clear"     // deliver
	BandUncertain Band = "uncertain" // deliver and queue for review; never held on the model alone
	BandConfident Band = "confident" // a rule's action; on the model alone, queue at high severity (crisis: the crisis lane)
)

func (b Band) rank() int {
	switch b {
	case BandUncertain:
		return 1
	case BandConfident:
		return 2
	}
	return 0
}

// Thresholds are the model scores (0–1) where a category becomes
// uncertain and confident.
type Thresholds struct {
	Uncertain float64 `json:"uncertain"`
	Confident float64 `json:"confident"`
}

func (t Thresholds) band(p float64) Band {
	switch {
	case p >= t.Confident:
		return BandConfident
	case p >= t.Uncertain:
		return BandUncertain
	}
	return BandClear
}

// Valid reports what is wrong with t, or "".
func (t Thresholds) Valid() string {
	switch {
	case math.IsNaN(t.Uncertain) || math.IsNaN(t.Confident) || t.Uncertain <= 0 || t.Confident > 1:
		return "thresholds are scores between 0 and 1 (uncertain above 0, confident at most 1)"
	case t.Uncertain > t.Confident:
		return "the uncertain threshold must not be above the confident one"
	}
	return ""
}

// Model is a trained classifier. It is immutable and safe for concurrent
// use.
type Model struct {
	groups     FeatureWeights
	weights    []float32 // modelDim × numCats, feature-major
	known      []uint64  // filter of the features seen in training (knownBits bits); nil while training
	bias       [numCats]float32
	Thresholds [numCats]Thresholds // calibrated on the held-out part
	concepts   *conceptIndex
}

// FeatureWeights is how much each group of features counts in a
// message's (L2-normalised) feature vector.
type FeatureWeights struct {
	Word, Pair, Char, Concept, Cue, Rule float32
	// MinNorm is the least squared length a vector is divided by: a
	// message of two or three words keeps small feature values instead
	// of each word weighing as much as a whole sentence would.
	MinNorm float32
}

// DefaultFeatureWeights are what cmd/screentrain trains with.
func DefaultFeatureWeights() FeatureWeights {
	return FeatureWeights{Word: 1, Pair: 1, Char: 0.6, Concept: 1.5, Cue: 0.5, Rule: 2, MinNorm: 30}
}

// CategoryThresholds returns the model's calibrated thresholds for c.
func (m *Model) CategoryThresholds(c Category) Thresholds { return m.Thresholds[catIndex(c)] }

func catIndex(c Category) int {
	for i, k := range Categories() {
		if k == c {
			return i
		}
	}
	return -1
}

//go:embed model.bin
var builtinModel []byte

// BuiltinModel decodes the embedded model.
func BuiltinModel() (*Model, error) { return DecodeModel(builtinModel) }

// Scores are the model's probability per category, in Categories order.
type Scores [numCats]float64

// Of returns the score for c.
func (s Scores) Of(c Category) float64 {
	if i := catIndex(c); i >= 0 {
		return s[i]
	}
	return 0
}

// score runs the model over a prepared scratch.
func (m *Model) score(s *scratch) Scores {
	feats, vals := m.features(s)
	var z [numCats]float32
	var sq float32
	for i, f := range feats {
		v := vals[i]
		sq += v * v
		row := m.weights[int(f)*numCats : int(f)*numCats+numCats]
		for c := range z {
			z[c] += row[c] * v
		}
	}
	norm := float32(1 / math.Sqrt(float64(max(sq, m.groups.MinNorm, 1e-12))))
	var out Scores
	for c := range z {
		out[c] = 1 / (1 + math.Exp(-float64(z[c]*norm+m.bias[c])))
	}
	return out
}

// Encoding: "QRM2", dim, cats (uint32), the feature group weights
// and the norm floor (float32 ×7); per category bias, scale (float32)
// and thresholds (float32 ×2); then the weights as int8, quantised per
// category by its scale; then the filter of known features (uint64 ×
// knownBits/64).
var modelMagic = []byte("QRM2")

// EncodeModel writes m in the embedded format.
func EncodeModel(m *Model) []byte {
	var b bytes.Buffer
	b.Write(modelMagic)
	_ = binary.Write(&b, binary.LittleEndian, [2]uint32{modelDim, numCats})
	_ = binary.Write(&b, binary.LittleEndian, m.groups)
	var scale [numCats]float32
	for c := range numCats {
		maxAbs := float32(0)
		for f := 0; f < modelDim; f++ {
			maxAbs = max(maxAbs, float32(math.Abs(float64(m.weights[f*numCats+c]))))
		}
		scale[c] = max(maxAbs/127, 1e-9)
		_ = binary.Write(&b, binary.LittleEndian, [4]float32{m.bias[c], scale[c], float32(m.Thresholds[c].Uncertain), float32(m.Thresholds[c].Confident)})
	}
	q := make([]byte, modelDim*numCats)
	for i, w := range m.weights {
		q[i] = byte(int8(math.Round(float64(w / scale[i%numCats]))))
	}
	b.Write(q)
	known := m.known
	if known == nil {
		known = make([]uint64, knownBits/64)
	}
	_ = binary.Write(&b, binary.LittleEndian, known)
	return b.Bytes()
}

// DecodeModel reads a model written by EncodeModel.
func DecodeModel(data []byte) (*Model, error) {
	r := bytes.NewReader(data)
	magic := make([]byte, 4)
	if _, err := r.Read(magic); err != nil || !bytes.Equal(magic, modelMagic) {
		return nil, errors.New("screening model: not a model file")
	}
	var dims [2]uint32
	if err := binary.Read(r, binary.LittleEndian, &dims); err != nil {
		return nil, fmt.Errorf("screening model: %w", err)
	}
	if dims != [2]uint32{modelDim, numCats} {
		return nil, fmt.Errorf("screening model: %d×%d weights, want %d×%d (retrain with go run ./cmd/screentrain)", dims[0], dims[1], modelDim, numCats)
	}
	m := &Model{weights: make([]float32, modelDim*numCats), concepts: newConceptIndex()}
	if err := binary.Read(r, binary.LittleEndian, &m.groups); err != nil {
		return nil, fmt.Errorf("screening model: %w", err)
	}
	var scale [numCats]float32
	for c := range numCats {
		var h [4]float32
		if err := binary.Read(r, binary.LittleEndian, &h); err != nil {
			return nil, fmt.Errorf("screening model: %w", err)
		}
		m.bias[c], scale[c] = h[0], h[1]
		m.Thresholds[c] = Thresholds{Uncertain: float64(h[2]), Confident: float64(h[3])}
	}
	q := make([]byte, modelDim*numCats)
	if n, _ := r.Read(q); n != len(q) {
		return nil, errors.New("screening model: weights cut short")
	}
	for i, v := range q {
		m.weights[i] = float32(int8(v)) * scale[i%numCats]
	}
	m.known = make([]uint64, knownBits/64)
	if err := binary.Read(r, binary.LittleEndian, m.known); err != nil {
		return nil, fmt.Errorf("screening model: known features: %w", err)
	}
	return m, nil
}

// conceptIndex finds concept words and phrases among tokens by the hash
// of their forms, so looking them up allocates nothing.
type conceptIndex struct {
	byHash map[uint64]conceptEntry // phrase hash, and the hash of every start of a phrase
	maxLen int                     // longest phrase, in words
	names  []string
}

func newConceptIndex() *conceptIndex {
	lex := conceptLexicon()
	x := &conceptIndex{byHash: map[uint64]conceptEntry{}}
	for name := range lex {
		x.names = append(x.names, name)
	}
	sort.Strings(x.names)
	if len(x.names) > 64 {
		panic("screening: more than 64 concepts; widen seenConcept in features")
	}
	for id, name := range x.names {
		for _, phrase := range lex[name] {
			words := bytes.Fields([]byte(phrase))
			h := uint64(fnvOffset)
			for i, w := range words {
				if i > 0 {
					h = fnvByte(h, ' ')
				}
				h = fnvBytes(h, w)
				if i < len(words)-1 {
					e := x.byHash[h]
					e.prefix = true
					x.byHash[h] = e
				}
			}
			x.maxLen = max(x.maxLen, len(words))
			if e := x.byHash[h]; !containsU8(e.ids, uint8(id)) {
				e.ids = append(e.ids, uint8(id))
				x.byHash[h] = e
			}
		}
	}
	return x
}

// conceptEntry is what a phrase hash leads to: the concepts the phrase
// is, and whether a longer phrase starts with it (if not, reading on is
// pointless).
type conceptEntry struct {
	ids    []uint8
	prefix bool
}

func containsU8(l []uint8, v uint8) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }

func fnvBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// knownBits is the size of the filter of features seen in training.
const knownBits = 1 << 20

// knows reports whether feature h was (almost surely) seen in training.
// A feature training never saw has no weight of its own: its bucket holds
// other features' weights, so reading it only adds noise (a random token
// once tipped short messages into review).
func (m *Model) knows(h uint64) bool {
	if m.known == nil {
		return true // training: every feature counts
	}
	a, b := knownSlots(h)
	return m.known[a>>6]&(1<<(a&63)) != 0 && m.known[b>>6]&(1<<(b&63)) != 0
}

func knownSlots(h uint64) (uint32, uint32) {
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return uint32(h) % knownBits, uint32(h>>32) % knownBits
}

func (m *Model) learn(h uint64) {
	if m.known == nil {
		m.known = make([]uint64, knownBits/64)
	}
	a, b := knownSlots(h)
	m.known[a>>6] |= 1 << (a & 63)
	m.known[b>>6] |= 1 << (b & 63)
}

// numberForm and idForm are how the model reads every number and every
// code or id.
var (
	numberForm = []byte("#")
	idForm     = []byte("#id")
)

func isNumber(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '.') {
			return false
		}
	}
	return true
}

// mix finishes a feature hash into a bucket.
func mix(h uint64) uint32 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return uint32(h % modelDim)
}

// features lists the hashed features of a prepared message into
// s.feats (reused, so scoring allocates nothing once warm).
func (m *Model) features(s *scratch) ([]uint32, []float32) {
	out, vals := s.feats[:0], s.vals[:0]
	g := m.groups
	add := func(h uint64, v float32) {
		if len(out) < maxFeature && v != 0 && m.knows(h) {
			out = append(out, mix(h))
			vals = append(vals, v)
			if s.collect {
				s.raw = append(s.raw, h)
			}
		}
	}
	var seenConcept [64]bool
	var concepts []uint8
	concepts = s.concepts[:0]
	prev := uint64(fnvBytes(fnvOffset, []byte("^")))
	nt := len(s.toks)
	var cues [8]bool
	negLeft := 0
	for i := 0; i < nt; i++ {
		t := &s.toks[i]
		form := s.formBytes(int32(i))
		if len(form) == 0 {
			continue
		}
		// A number is read as "a number": which one is noise (a time, a
		// count, an id) except to the concepts, which see the real form.
		// Tokens written with digits get no character n-grams: an id or
		// a hex code ("a1b2") spells nothing, and its n-grams only
		// collide with words the model learned.
		word := form
		switch {
		case t.flags&fDigits != 0 && isNumber(form):
			word = numberForm
		case t.flags&fCode != 0:
			word = idForm
		}
		wh := fnvBytes(fnvByte(fnvOffset, 'w'), word)
		add(wh, g.Word)
		if negLeft > 0 {
			// A word in a negation's reach reads differently: "not
			// lazy", "nobody is faking".
			add(fnvBytes(fnvByte(fnvOffset, 'n'), word), g.Word)
			negLeft--
		}
		if t.class&clsNegator != 0 {
			negLeft = 3
		}
		add(prev*31+wh, g.Pair) // word pair
		prev = wh
		// Character n-grams, 3 to 5, inside the word with its edges.
		if len(form) <= 24 && t.flags&fDigits == 0 {
			var pad [26]byte
			pad[0] = '<'
			copy(pad[1:], form)
			pad[len(form)+1] = '>'
			p := pad[:len(form)+2]
			for n := 3; n <= 5; n++ {
				for a := 0; a+n <= len(p); a++ {
					add(fnvBytes(fnvByte(fnvOffset, byte('0'+n)), p[a:a+n]), g.Char)
				}
			}
		}
		// Concepts: the phrase of 1 to maxLen words starting here.
		h := uint64(fnvOffset)
		for k := 0; k < m.concepts.maxLen && i+k < nt; k++ {
			if k > 0 {
				h = fnvByte(h, ' ')
			}
			h = fnvBytes(h, s.formBytes(int32(i+k)))
			e, ok := m.concepts.byHash[h]
			if !ok {
				break
			}
			for _, id := range e.ids {
				if !seenConcept[id] {
					seenConcept[id] = true
					concepts = append(concepts, id)
				}
			}
			if !e.prefix {
				break
			}
		}
		switch {
		case t.class&clsNegator != 0:
			cues[0] = true
		case t.class&clsFirstPerson != 0:
			cues[1] = true
		}
		switch string(form) {
		case "you", "u", "your", "ur", "youre", "yourself":
			cues[2] = true
		case "my", "me", "myself", "mine":
			cues[3] = true
		case "she", "he", "her", "him", "they", "them", "herself", "himself", "themselves":
			cues[4] = true
		}
	}
	// Single letters in a row spell a word: "k y s", "s.u.i.c.i.d.e".
	for i := 0; i < nt; {
		j := i
		for j < nt && len(s.formBytes(int32(j))) == 1 {
			j++
		}
		if j-i >= 3 {
			h := fnvByte(fnvOffset, 'w')
			for k := i; k < j; k++ {
				h = fnvBytes(h, s.formBytes(int32(k)))
			}
			add(h, g.Word)
		}
		i = j + 1
	}
	for _, id := range concepts {
		add(fnvByte(fnvByte(fnvOffset, 'c'), id), g.Concept)
	}
	for a := 0; a < len(concepts); a++ {
		for b := a + 1; b < len(concepts); b++ {
			x, y := concepts[a], concepts[b]
			if x > y {
				x, y = y, x
			}
			add(fnvByte(fnvByte(fnvByte(fnvOffset, 'p'), x), y), g.Concept)
		}
	}
	for k, on := range cues {
		if on {
			add(fnvByte(fnvByte(fnvOffset, 'x'), byte(k)), g.Cue)
		}
	}
	if s.asks {
		add(fnvByte(fnvOffset, '?'), g.Cue)
	}
	for _, r := range s.ruleFeats {
		add(fnvByte(fnvByte(r.id, 'r'), r.state), g.Rule)
		add(fnvByte(fnvByte(fnvByte(fnvOffset, 'R'), r.cat), r.state), g.Rule)
	}
	s.feats, s.vals, s.concepts = out, vals, concepts
	return out, vals
}
