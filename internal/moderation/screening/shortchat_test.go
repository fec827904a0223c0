package screening

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Short everyday messages carrying an id, a count or a random token (the
// way test seeds and real chat look: "Earlier message 34 a1b2", "room 12",
// "order 88213") are delivered with nothing to review. The model once
// queued ~97% of them (short messages in its training data were nearly
// all harassment) and read "97f0" as "gtfo".
func TestShortMessagesWithTokensAreClear(t *testing.T) {
	e := builtinModelEngine(t)
	check := func(text string) bool {
		t.Helper()
		r := e.Screen(text)
		if r.Action == ActionNone && !r.Crisis {
			return true
		}
		t.Errorf("%q: action %q crisis %v, scores %.2f, matches %+v", text, r.Action, r.Crisis, r.Scores, r.Matches)
		return false
	}
	// Every 2-byte hex token, as the browser tests seed them.
	fails := 0
	for i := 0; i < 1<<16 && fails < 10; i++ {
		if !check(fmt.Sprintf("Earlier message %02d %04x", 1+i%40, i)) {
			fails++
		}
	}
	// Thousands more: neutral openings the model never saw in training,
	// with numbers and hex or number tokens of several lengths.
	openings := []string{
		"Hello from Ash", "Hello back from Birch", "Typed with the keyboard", "Still", "Welcome back",
		"While Birch was away (reconnect)", "Message", "Note", "Draft", "Seed", "Reply", "Post",
		"Thread", "Entry", "Sample", "Check", "Ping", "Line", "Row", "Item", "Morning check-in",
		"Back again", "Quick one", "Another", "One more", "Last one", "Round", "Batch", "Group chat",
		"Evening circle", "Hello from the keyboard", "Saying hi", "Just me", "Trying again",
	}
	tokens := func(r *rand.Rand) string {
		switch r.IntN(4) {
		case 0:
			return fmt.Sprintf("%04x", r.IntN(1<<16))
		case 1:
			return fmt.Sprintf("%06x", r.IntN(1<<24))
		case 2:
			return fmt.Sprintf("%08x", r.Uint32())
		}
		return fmt.Sprint(r.IntN(100000))
	}
	r := rand.New(rand.NewPCG(13, 2026))
	for i := 0; i < 6000 && fails < 20; i++ {
		o := openings[r.IntN(len(openings))]
		var text string
		switch r.IntN(3) {
		case 0:
			text = fmt.Sprintf("%s %s", o, tokens(r))
		case 1:
			text = fmt.Sprintf("%s %d %s", o, 1+r.IntN(200), tokens(r))
		default:
			text = fmt.Sprintf("%s %s %s", tokens(r), o, tokens(r))
		}
		if !check(text) {
			fails++
		}
	}
}
