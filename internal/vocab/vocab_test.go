package vocab

import (
	"strings"
	"testing"
)

// TestConceptsAreWellFormed checks every list: names unique, something
// said and meant, and every phrase in normalised spelling (lower-case
// letters and digits, single spaces), listed once per concept.
func TestConceptsAreWellFormed(t *testing.T) {
	names := map[string]bool{}
	for _, c := range All() {
		if c.Name == "" || names[c.Name] {
			t.Errorf("concept name %q is empty or used twice", c.Name)
		}
		names[c.Name] = true
		if len(c.Says) == 0 || len(c.Means) == 0 {
			t.Errorf("%s: needs both Says and Means", c.Name)
		}
		seen := map[string]bool{}
		for _, p := range c.Says {
			if seen[p] {
				t.Errorf("%s: %q listed twice", c.Name, p)
			}
			seen[p] = true
			if !normalised(p) {
				t.Errorf("%s: %q is not in normalised spelling", c.Name, p)
			}
		}
	}
}

func normalised(p string) bool {
	if p == "" || strings.TrimSpace(p) != p || strings.Contains(p, "  ") {
		return false
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == ' ') {
			return false
		}
	}
	return true
}

// TestListsAreFresh: callers may change what they get without changing
// what the next caller sees.
func TestListsAreFresh(t *testing.T) {
	a := Medicines()
	a[0].Says[0] = "changed"
	if Medicines()[0].Says[0] == "changed" {
		t.Error("Medicines returned shared slices")
	}
}
