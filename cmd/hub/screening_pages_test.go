package main

import (
	"net/http"
	"net/url"
	"testing"

	"quietroom/internal/store"
)

// The rules page shows the model's score next to the rule matches, and
// admins move a category's thresholds there.
func TestRulesPageShowsModelAndThresholds(t *testing.T) {
	h := newTestHub(t, store.SQLite)
	h.createTenant("calm")
	admin := h.browser()
	admin.post("/t/calm/signin", url.Values{"email": {"admin@calm.example.org"}, "password": {"correct horse battery"}}).must(t, http.StatusSeeOther)
	token := admin.csrf("/t/calm/moderation/rules")

	tested := admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"test"},
		"text": {"thinking about overdosing on my sumatriptan and the amitriptyline together"}}).must(t, http.StatusOK)
	if !tested.has("Model score per category") || !tested.has("crisis lane") || !tested.has("confident") {
		t.Fatalf("test result:\n%s", tested.Body)
	}
	if !tested.has("Model thresholds") {
		t.Errorf("no thresholds section:\n%s", tested.Body)
	}

	bad := admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"thresholds"}, "category": {"spam"},
		"uncertain": {"0.9"}, "confident": {"0.2"}}).must(t, http.StatusUnprocessableEntity)
	if !bad.has("must not be above the confident one") {
		t.Errorf("inverted thresholds page:\n%s", bad.Body)
	}
	admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"thresholds"}, "category": {"spam"},
		"uncertain": {"0.25"}, "confident": {"0.75"}}).must(t, http.StatusSeeOther)
	page := admin.get("/t/calm/moderation/rules").must(t, http.StatusOK)
	if !page.has("<td>0.25</td>") || !page.has("(changed)") {
		t.Errorf("saved thresholds not shown:\n%s", page.Body)
	}
	admin.post("/t/calm/moderation/rules", url.Values{"csrf_token": {token}, "form": {"thresholds"}, "category": {"spam"}, "reset": {"1"}}).must(t, http.StatusSeeOther)
	if page := admin.get("/t/calm/moderation/rules").must(t, http.StatusOK); page.has("(changed)") {
		t.Errorf("reset thresholds still changed")
	}
}
