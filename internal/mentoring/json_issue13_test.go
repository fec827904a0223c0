package mentoring

import (
	"encoding/json"
	"regexp"
	"testing"

	"quietroom/internal/mentoring/match"
)

var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// jsonKeys lists the object keys of v's JSON, at every depth.
func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(any) []string
	walk = func(x any) []string {
		var out []string
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				out = append(append(out, k), walk(v)...)
			}
		case []any:
			for _, v := range x {
				out = append(out, walk(v)...)
			}
		}
		return out
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	return walk(generic)
}

func TestResponsesSpeakSnakeCase(t *testing.T) {
	for name, v := range map[string]any{
		"choices":  map[string]any{"types": MigraineTypes(), "treatments": Treatments(), "topics": Topics(), "languages": Languages()},
		"settings": Settings{Weights: match.DefaultWeights(), OfferHours: 48},
	} {
		keys := jsonKeys(t, v)
		if len(keys) < 3 {
			t.Errorf("%s: only keys %v", name, keys)
		}
		for _, k := range keys {
			if !snakeKey.MatchString(k) {
				t.Errorf("%s: key %q is not snake_case", name, k)
			}
		}
	}
	b, _ := json.Marshal(MigraineTypes()[1])
	if string(b) != `{"key":"with-aura","label":"Migraine with aura"}` {
		t.Errorf("choice = %s", b)
	}
}

func TestStoredWeightsReadBothShapes(t *testing.T) {
	w := match.DefaultWeights()
	w.Type, w.MaxPendingPerPlace, w.TimeZoneHours = 7, 4, 3
	snake, _ := json.Marshal(w)
	legacy, _ := json.Marshal(goNamedWeights(w))
	for name, saved := range map[string]string{"snake_case": string(snake), "go names": string(legacy)} {
		got, ok := storedWeights(saved)
		if !ok || got != w {
			t.Errorf("%s: storedWeights(%s) = %+v, %v; want %+v", name, saved, got, ok, w)
		}
	}
	if _, ok := storedWeights(`{"type":-1}`); ok {
		t.Error("invalid weights accepted")
	}
	if _, ok := storedWeights(`{"type":`); ok {
		t.Error("broken JSON accepted")
	}
}
