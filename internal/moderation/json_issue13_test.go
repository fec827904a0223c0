package moderation

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"quietroom/internal/moderation/screening"
)

// A case's context and matches speak the documented snake_case JSON, and
// matches stored before that (Go field names) still read back.
func TestCaseJSONIsSnakeCase(t *testing.T) {
	c := Case{
		Matches: []screening.Match{{RuleID: "misinfo.cure-claim", Category: screening.Misinformation, Severity: screening.Medium,
			Action: screening.ActionQueue, Why: "matched", Excerpt: "cures migraine", Start: 1, End: 5}},
		Context: []Message{{ID: "m1", Seq: 3, AuthorID: "u1", AuthorName: "Wren", Text: "hi", At: time.Unix(0, 0).UTC()}},
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"rule_id":"misinfo.cure-claim"`, `"excerpt":"cures migraine"`, `"author_name":"Wren"`, `"seq":3`, `"text":"hi"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("case JSON lacks %s: %s", want, b)
		}
	}
	for _, leak := range []string{`"RuleID"`, `"AuthorName"`, `"Seq"`, `"Excerpt"`} {
		if strings.Contains(string(b), leak) {
			t.Errorf("case JSON leaks %s: %s", leak, b)
		}
	}

	stored := `[{"RuleID":"crisis.intent","Category":"crisis","Severity":"high","Action":"crisis","Shadow":false,"Suppressed":false,"Matched":"end it","Excerpt":"…end it…","Why":"matched","Start":4,"End":10}]`
	var old []screening.Match
	if err := json.Unmarshal([]byte(stored), &old); err != nil {
		t.Fatal(err)
	}
	want := screening.Match{RuleID: "crisis.intent", Category: screening.Crisis, Severity: screening.High, Action: screening.ActionCrisis,
		Matched: "end it", Excerpt: "…end it…", Why: "matched", Start: 4, End: 10}
	if len(old) != 1 || old[0] != want {
		t.Errorf("legacy match read as %+v, want %+v", old, want)
	}
}
