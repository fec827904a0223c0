package screening

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/optimize"
)

// TrainOptions tune TrainModel.
type TrainOptions struct {
	L2         float64 // weight decay; 0 means 3e-5
	Iterations int     // L-BFGS iterations per category; 0 means 300
	Groups     *FeatureWeights
}

// sparseRow is one message's features for training.
type sparseRow struct {
	feats []uint32
	vals  []float64 // already L2-normalised
}

// featurise returns the model features of each text, as the engine reads
// it at run time, and the hashes of every feature seen.
func featurise(m *Model, texts []string) ([]sparseRow, []uint64, error) {
	pack := BuiltinPack()
	e, err := Compile(pack.Rules, Options{})
	if err != nil {
		return nil, nil, err
	}
	rows := make([]sparseRow, len(texts))
	var seen []uint64
	for i, t := range texts {
		s := e.prepare(t)
		s.wantRules, s.collect = true, true
		var res Result
		e.screenRules(s, t, &res)
		f, v := m.features(s)
		sq := 0.0
		for _, x := range v {
			sq += float64(x) * float64(x)
		}
		r := sparseRow{feats: slices.Clone(f), vals: make([]float64, len(v))}
		for k, x := range v {
			r.vals[k] = float64(x) / math.Sqrt(max(sq, float64(m.groups.MinNorm), 1e-12))
		}
		rows[i] = r
		seen = append(seen, s.raw...)
		e.pool.Put(s)
	}
	return rows, seen, nil
}

// TrainModel fits one L2-regularised logistic regression per category on
// the corpus with gonum's L-BFGS. It is deterministic: the same corpus
// gives the same weights. Thresholds are left at 0.5/0.9 until Calibrate.
func TrainModel(corpus []Example, opts TrainOptions) (*Model, error) {
	if opts.L2 == 0 {
		opts.L2 = 3e-5
	}
	if opts.Iterations == 0 {
		opts.Iterations = 300
	}
	texts := make([]string, len(corpus))
	for i, ex := range corpus {
		texts[i] = ex.Text
	}
	m := &Model{weights: make([]float32, modelDim*numCats), concepts: newConceptIndex(), groups: DefaultFeatureWeights()}
	if opts.Groups != nil {
		m.groups = *opts.Groups
	}
	rows, seen, err := featurise(m, texts)
	if err != nil {
		return nil, err
	}
	// What training saw is what the model reads later; anything else
	// would only hit other features' buckets.
	for _, h := range seen {
		m.learn(h)
	}
	for c, cat := range Categories() {
		y := make([]float64, len(corpus))
		pos := 0
		for i, ex := range corpus {
			if slices.Contains(ex.Labels, cat) {
				y[i] = 1
				pos++
			}
		}
		if pos == 0 {
			return nil, fmt.Errorf("train: no examples of %s", cat)
		}
		// Positives are rarer; weigh them up by the square root of the
		// imbalance so recall does not starve.
		wpos := math.Sqrt(float64(len(corpus)-pos) / float64(pos))
		x, err := fitLogistic(rows, y, wpos, opts)
		if err != nil {
			return nil, fmt.Errorf("train %s: %w", cat, err)
		}
		for f := 0; f < modelDim; f++ {
			m.weights[f*numCats+c] = float32(x[f])
		}
		m.bias[c] = float32(x[modelDim])
		m.Thresholds[c] = Thresholds{Uncertain: 0.5, Confident: 0.9}
	}
	return m, nil
}

// fitLogistic minimises the weighted mean log loss plus L2/2·|w|² over
// weights x[0:modelDim] and a bias x[modelDim] (not decayed).
func fitLogistic(rows []sparseRow, y []float64, wpos float64, opts TrainOptions) ([]float64, error) {
	n := float64(len(rows))
	p := optimize.Problem{
		Func: func(x []float64) float64 {
			var loss float64
			for i, r := range rows {
				z := x[modelDim]
				for k, f := range r.feats {
					z += x[f] * r.vals[k]
				}
				w := 1.0
				if y[i] == 1 {
					w = wpos
				}
				loss += w * logLoss(z, y[i])
			}
			reg := 0.0
			for _, v := range x[:modelDim] {
				reg += v * v
			}
			return loss/n + opts.L2/2*reg
		},
		Grad: func(grad, x []float64) {
			for i := range grad {
				grad[i] = 0
			}
			for i, r := range rows {
				z := x[modelDim]
				for k, f := range r.feats {
					z += x[f] * r.vals[k]
				}
				w := 1.0
				if y[i] == 1 {
					w = wpos
				}
				d := w * (sigmoid(z) - y[i]) / n
				for k, f := range r.feats {
					grad[f] += d * r.vals[k]
				}
				grad[modelDim] += d
			}
			for k := 0; k < modelDim; k++ {
				grad[k] += opts.L2 * x[k]
			}
		},
	}
	x0 := make([]float64, modelDim+1)
	res, err := optimize.Minimize(p, x0, &optimize.Settings{MajorIterations: opts.Iterations, GradientThreshold: 1e-7}, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, err
	}
	return res.X, nil
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func logLoss(z, y float64) float64 {
	// log(1+e^z) - y·z, computed stably.
	var l float64
	if z > 0 {
		l = z + math.Log1p(math.Exp(-z))
	} else {
		l = math.Log1p(math.Exp(z))
	}
	return l - y*z
}

// Calibrate sets each category's thresholds from scored messages the
// model was not trained on: Uncertain where rules plus the model reach
// the most recall that keeps precision at the floor (failing that, the
// best F-score; F2 for crisis: recall first), as long as the model alone
// flags at most benignCap of the benign messages and the threshold is at
// least minUncertain; Confident where the model alone is right at least
// 97% of the time (crisis: the Uncertain threshold, so the crisis lane is
// raised wherever the model raises it at all). rules says, per message
// and category, whether a rule already acted.
func (m *Model) Calibrate(corpus []Example, scores []Scores, rules [][numCats]bool) {
	for c, cat := range Categories() {
		type pt struct {
			p                float64
			pos, hit, benign bool
		}
		pts := make([]pt, len(corpus))
		for i, ex := range corpus {
			pts[i] = pt{scores[i][c], slices.Contains(ex.Labels, cat), rules[i][c], len(ex.Labels) == 0}
		}
		sort.Slice(pts, func(a, b int) bool { return pts[a].p > pts[b].p })
		beta := 1.0
		if cat == Crisis {
			beta = crisisBeta
		}
		totalPos, ruleTP, ruleFP, benign := 0, 0, 0, 0
		for _, q := range pts {
			if q.pos {
				totalPos++
			}
			if q.benign {
				benign++
			}
			if q.hit && q.pos {
				ruleTP++
			} else if q.hit {
				ruleFP++
			}
		}
		// Walk thresholds from high to low: messages above it are
		// predicted (with the rules' own predictions always in).
		bestF, bestT := -1.0, 0.95
		tp, fp := ruleTP, ruleFP
		modelTP, modelFP, benignFlagged := 0, 0, 0
		confident := 0.0
		for k, q := range pts {
			if !q.hit {
				if q.pos {
					tp++
				} else {
					fp++
				}
				if q.benign {
					benignFlagged++
				}
			}
			if q.pos {
				modelTP++
			} else {
				modelFP++
			}
			if k+1 < len(pts) && pts[k+1].p == q.p {
				continue
			}
			if q.p < minUncertain || float64(benignFlagged) > benignCap(cat)*float64(benign) {
				break
			}
			prec := float64(tp) / float64(max(tp+fp, 1))
			rec := float64(tp) / float64(max(totalPos, 1))
			f := (1 + beta*beta) * prec * rec / math.Max(beta*beta*prec+rec, 1e-9)
			// The most recall that keeps precision at the floor; failing
			// that, the best F-score.
			if prec >= minPrecision(cat) {
				f += 10 + rec
			}
			if f > bestF {
				bestF, bestT = f, q.p
			}
			if float64(modelTP)/float64(modelTP+modelFP) >= 0.97 {
				confident = q.p
			}
		}
		t := Thresholds{Uncertain: clamp(bestT), Confident: clamp(max(confident, bestT))}
		if confident == 0 {
			t.Confident = clamp(max(0.95, bestT))
		}
		if cat == Crisis {
			t.Confident = t.Uncertain
		}
		m.Thresholds[c] = t
	}
}

// minUncertain is the lowest uncertain threshold calibration picks: below
// it the model is guessing.
const minUncertain = 0.15

// benignCap is the share of benign messages the model alone may send to
// review in one category; the crisis lane may take a little more.
func benignCap(c Category) float64 {
	if c == Crisis {
		return 0.05
	}
	return 0.02
}

func clamp(p float64) float64 { return math.Min(math.Max(p, 0.01), 0.99) }

// BuiltinTrainedModel trains the model on TrainingCorpus and calibrates
// it on HeldOutCorpus with the built-in rules: what cmd/screentrain
// writes to model.bin.
func BuiltinTrainedModel() (*Model, error) {
	train, err := TrainingCorpus()
	if err != nil {
		return nil, err
	}
	held, err := HeldOutCorpus()
	if err != nil {
		return nil, err
	}
	m, err := TrainModel(train, TrainOptions{})
	if err != nil {
		return nil, err
	}
	if err := calibrateWithRules(m, held); err != nil {
		return nil, err
	}
	// Round-trip through the embedded format, so the thresholds and
	// weights are exactly what the hub will run.
	return DecodeModel(EncodeModel(m))
}

// ValidateTraining trains on three quarters of the training part and
// reports rules plus model on the other quarter, calibrated there: how
// settings are chosen without looking at the held-out part.
func ValidateTraining(opts TrainOptions) (Report, error) {
	train, err := TrainingCorpus()
	if err != nil {
		return Report{}, err
	}
	// A variant (cmd/screencorpus) follows its message and goes with it.
	var fit, val []Example
	inVal := false
	for _, ex := range train {
		if !strings.HasSuffix(ex.Note, "variant") {
			inVal = fnvBytes(fnvOffset, []byte(ex.Text))%4 == 0
		}
		if inVal {
			val = append(val, ex)
		} else {
			fit = append(fit, ex)
		}
	}
	m, err := TrainModel(fit, opts)
	if err != nil {
		return Report{}, err
	}
	if err := calibrateWithRules(m, val); err != nil {
		return Report{}, err
	}
	pack := BuiltinPack()
	e, err := Compile(pack.Rules, Options{Model: m})
	if err != nil {
		return Report{}, err
	}
	return Evaluate(e, val), nil
}

// calibrateWithRules calibrates m's thresholds on corpus, with the
// built-in rules' own predictions in.
func calibrateWithRules(m *Model, corpus []Example) error {
	pack := BuiltinPack()
	rulesOnly, err := Compile(pack.Rules, Options{Version: pack.Version})
	if err != nil {
		return err
	}
	scores := make([]Scores, len(corpus))
	rules := make([][numCats]bool, len(corpus))
	for i, ex := range corpus {
		s := rulesOnly.prepare(ex.Text)
		s.wantRules = true
		var res Result
		rulesOnly.screenRules(s, ex.Text, &res)
		scores[i] = m.score(s)
		rulesOnly.pool.Put(s)
		for _, c := range Predict(rulesOnly, ex.Text) {
			rules[i][catIndex(c)] = true
		}
	}
	m.Calibrate(corpus, scores, rules)
	return nil
}

// crisisBeta weighs recall over precision when calibrating the crisis
// lane: missing a person in danger costs more than a moderator's look.
var crisisBeta = 1.5

// minPrecision is the precision (rules and model together) the uncertain
// band must keep when calibrated; the crisis lane accepts more review
// work for recall.
func minPrecision(c Category) float64 {
	if c == Crisis {
		return 0.85
	}
	return 0.90
}
