//go:build !race

package screening

import (
	"bytes"
	"testing"
)

// The embedded weights are what the corpus trains: retrain exactly as
// cmd/screentrain does and compare byte for byte. (Training is a few
// seconds of arithmetic; under the race detector it is far slower and
// exercises no concurrency, so it runs in the non-race step of make
// test.)
func TestEmbeddedModelMatchesTraining(t *testing.T) {
	m, err := BuiltinTrainedModel()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(EncodeModel(m), builtinModel) {
		t.Fatal("model.bin is not what the corpus trains: run go run ./cmd/screentrain and commit the result")
	}
}
