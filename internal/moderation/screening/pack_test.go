package screening

import (
	"strings"
	"testing"
)

func TestBuiltinPackPolicy(t *testing.T) {
	p := BuiltinPack()
	if p.Version == "" || len(p.Rules) < 20 {
		t.Fatalf("pack %q with %d rules", p.Version, len(p.Rules))
	}
	byCategory := map[Category]int{}
	for _, r := range p.Rules {
		byCategory[r.Category]++
		if r.Description == "" || len(r.Patterns)+len(r.Terms) == 0 {
			t.Errorf("%s: needs a description and patterns", r.ID)
		}
		if !strings.HasPrefix(r.ID, map[Category]string{Misinformation: "misinfo.", Shaming: "shaming.",
			Harassment: "harassment.", Spam: "spam.", Crisis: "crisis."}[r.Category]) {
			t.Errorf("%s: ID does not name its category %s", r.ID, r.Category)
		}
		var want Action
		switch {
		case r.Category == Crisis:
			want = ActionCrisis
		case r.ID == "spam.repeated":
			want = ActionQueue // a member in pain screams too
		case r.Category == Spam, r.Severity == High, r.Category == Shaming && r.Severity == Medium,
			r.Category == Harassment && r.Severity == Medium:
			want = ActionHold
		default:
			want = ActionQueue
		}
		if r.Action != want {
			t.Errorf("%s (%s, %s): action %q, want %q", r.ID, r.Category, r.Severity, r.Action, want)
		}
	}
	for _, c := range Categories() {
		if byCategory[c] == 0 {
			t.Errorf("no built-in %s rules", c)
		}
	}
	for _, id := range []string{"misinfo.stop-medication", "misinfo.dangerous-dosing", "misinfo.medication-overuse"} {
		if r := findRule(p, id); r == nil || r.Severity != High || r.Action != ActionHold {
			t.Errorf("%s must be high severity and held: %+v", id, r)
		}
	}
}

func TestBuiltinPackIsFresh(t *testing.T) {
	a := BuiltinPack()
	a.Rules[0].Patterns[0] = "changed"
	a.Rules = a.Rules[:1]
	if b := BuiltinPack(); len(b.Rules) < 2 || b.Rules[0].Patterns[0] == "changed" {
		t.Error("BuiltinPack shares state between calls")
	}
}

func findRule(p Pack, id string) *Rule {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			return &p.Rules[i]
		}
	}
	return nil
}
