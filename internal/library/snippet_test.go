package library

import "testing"

func TestExcerpt(t *testing.T) {
	if got := flattenLines("  Heading\n\nFirst  item\n- two \n"); got != "Heading · First item · - two" {
		t.Errorf("flattenLines = %q", got)
	}
	long := "Intro line.\nThe quick brown fox jumps over the lazy dog and keeps running far beyond the hills, the rivers, the towns and the long roads that lead to the sea, where it finally rests under a tree."
	got := excerpt(long, len("Intro line.\nThe quick brown fox jumps over the lazy "))
	if got[:9] != "The quick" || len(got) > snippetBytes+len("…") || got[len(got)-len("…"):] != "…" {
		t.Errorf("excerpt = %q", got)
	}
	if got := excerpt("Short text.", 0); got != "Short text." {
		t.Errorf("excerpt of short text = %q", got)
	}
}
