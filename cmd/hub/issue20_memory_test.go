//go:build !race

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// Issue 20: 60 sign-ins at once from 60 addresses (so every one is
// hashed, with the production argon2id parameters) on the embedded
// default. The hub's peak resident memory stays within what the hashing
// limiter allows, and falls back near the baseline once hashing goes
// quiet. It prints the figures; the race detector's shadow memory would
// distort them, so it runs in `make test-norace` only.
func TestSignInBurstMemoryIsBounded(t *testing.T) {
	const n = 60
	params := accounts.DefaultHashParams()
	hasher, err := accounts.NewPasswordHasher(params, accounts.HashLimits{Queue: n, MaxWait: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hasher.Close)
	h := newTestHubOn(t, storetest.Open(t, store.SQLite, migrations()), realtime.NewMemoryBroker(), func(d *appDeps) {
		d.hasher = hasher
		d.cfg.TrustedProxies = []string{"127.0.0.1/32"}
	})
	h.createTenant("burst")
	h.signUp("burst", "Member", "adult")
	// The baseline is the idle hub with the set-up's memory handed back.
	waitFor(t, "the set-up's hashing to end", func() bool { return hasher.Stats().Running == 0 })
	runtime.GC()
	debug.FreeOSMemory()
	releases := hasher.Stats().Releases

	baseline := procStatusKiB(t, "VmRSS")
	resetPeakRSS(t)
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]any{"email": fmt.Sprintf("unknown%d@example.org", i), "password": "a wrong password"})
			req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/t/burst/auth/signin", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.20.%d.%d", i/250, i%250+1))
			<-start
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	peak := procStatusKiB(t, "VmHWM")
	waitFor(t, "the burst's hashing memory handed back", func() bool { return hasher.Stats().Releases > releases })
	after := procStatusKiB(t, "VmRSS")

	for i, s := range statuses {
		if s != http.StatusUnauthorized {
			t.Fatalf("request %d: status %d, want 401 (every one hashed)", i, s)
		}
	}
	l := hasher.Limits()
	hashMiB := int64(l.Concurrent) * int64(params.Memory) / 1024
	t.Logf("%d sign-ins, argon2id m=%d KiB t=%d p=%d, %d at once: RSS baseline %d MiB, peak %d MiB (+%d), after release %d MiB (+%d); hashing bound %d MiB live",
		n, params.Memory, params.Iterations, params.Parallelism, l.Concurrent, baseline/1024, peak/1024, (peak-baseline)/1024, after/1024, (after-baseline)/1024, hashMiB)
	// The README's bound: the live hashing memory (each hash's memory is
	// collected before its slot passes on), plus room for 60 requests'
	// own buffers.
	if limit := hashMiB + 48; (peak-baseline)/1024 > limit {
		t.Errorf("peak RSS %d MiB above the baseline, want at most %d", (peak-baseline)/1024, limit)
	}
	if (after-baseline)/1024 > 32 {
		t.Errorf("RSS %d MiB above the baseline after the burst, want at most 32", (after-baseline)/1024)
	}
}

// procStatusKiB reads a kB field of /proc/self/status.
func procStatusKiB(t *testing.T, field string) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("/proc/self/status has no %s", field)
	return 0
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux 4.0+).
func resetPeakRSS(t *testing.T) {
	t.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("reset the peak RSS: %v", err)
	}
}

// waitFor polls cond; the minute is a safety net, not a budget.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
