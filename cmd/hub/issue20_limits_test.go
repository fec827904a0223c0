package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// Issue 20: every rate limit counts an attempt before the password is
// checked, in the database, so a burst of concurrent attempts (spread over
// two hub instances on PostgreSQL) admits exactly the limit; and password
// hashing is bounded, answering 503 rather than queueing without end.

// limitHubs are the hubs a concurrency case sends to: two instances
// sharing PostgreSQL and Redis, or one on SQLite (the embedded default
// runs one instance), each hashing with the limits of the default
// settings (the harness gives other tests a long queue).
func limitHubs(t *testing.T, d store.Dialect, opts ...func(*appDeps)) []*testHub {
	t.Helper()
	opts = append([]func(*appDeps){defaultHashLimits(t)}, opts...)
	if d == store.Postgres {
		return newCluster(t, 2, opts...).hubs
	}
	return []*testHub{newTestHubOn(t, storetest.Open(t, d, migrations()), realtime.NewMemoryBroker(), opts...)}
}

// defaultHashLimits gives a hub the hashing limiter the default settings
// build (hashes at once, queue, waits), with cheap argon2id parameters:
// what is tested is who gets a place, not the hash.
func defaultHashLimits(t *testing.T) func(*appDeps) {
	cfg, err := loadConfig(nil, envOf(map[string]string{}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.PasswordMemoryKiB, cfg.PasswordIterations, cfg.PasswordParallelism = 1024, 1, 1
	return func(d *appDeps) {
		hasher, err := passwordHasher(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(hasher.Close)
		if l := hasher.Limits(); l.Concurrent+l.Queue < 20 {
			t.Logf("default hashing limits: %d at once, %d waiting: fewer places than a burst from one address is allowed", l.Concurrent, l.Queue)
		}
		d.hasher = hasher
	}
}

// productionSignUpLimits are the documented defaults (the harness turns
// the sign-up limits off for tests that sign up many members).
func productionSignUpLimits(d *appDeps) {
	d.cfg.SignUpsPerAddress, d.cfg.SignUpsPerEmail, d.cfg.SignUpWindow = 20, 3, time.Hour
}

// burst sends n requests at the same moment, request i to hubs[i%len],
// and counts the answers by status. body(i) is the JSON body.
func burst(t *testing.T, hubs []*testHub, n int, path string, body func(i int) map[string]any) map[int]int {
	t.Helper()
	return burstAs(t, nil, hubs, n, "POST", path, body)
}

// burstAs is burst for method, with Authorization: Bearer token when
// token is not empty.
func burstAs(t *testing.T, token *string, hubs []*testHub, n int, method, path string, body func(i int) map[string]any) map[int]int {
	t.Helper()
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[int]int{}
	var failures []string
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf, _ := json.Marshal(body(i))
			req, err := http.NewRequest(method, hubs[i%len(hubs)].srv.URL+path, bytes.NewReader(buf))
			if err != nil {
				panic(err)
			}
			req.Header.Set("Content-Type", "application/json")
			if token != nil {
				req.Header.Set("Authorization", "Bearer "+*token)
			}
			<-start
			resp, err := http.DefaultClient.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err.Error())
				return
			}
			defer resp.Body.Close()
			var e struct {
				Error struct{ Code string } `json:"error"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode == http.StatusTooManyRequests && (e.Error.Code != "rate_limited" || resp.Header.Get("Retry-After") == "") {
				failures = append(failures, fmt.Sprintf("429 without rate_limited and Retry-After: %q %q", e.Error.Code, resp.Header.Get("Retry-After")))
			}
			counts[resp.StatusCode]++
		}()
	}
	close(start)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d requests failed: %s", len(failures), strings.Join(failures[:min(3, len(failures))], "; "))
	}
	return counts
}

func fmtCounts(c map[int]int) string {
	var keys []int
	for k := range c {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", c[k], k))
	}
	return strings.Join(parts, " ")
}

func TestConcurrentAttemptsAdmitExactlyTheLimit(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		hubs := limitHubs(t, d, productionSignUpLimits)
		h := hubs[0]

		t.Run("sign-in per address", func(t *testing.T) {
			h.createTenant("rl-address")
			// 60 wrong passwords for 60 different unknown emails from one
			// address: 20 are checked (401), 40 refused (429).
			got := burst(t, hubs, 60, "/api/v1/t/rl-address/auth/signin", func(i int) map[string]any {
				return map[string]any{"email": fmt.Sprintf("nobody%d@example.org", i), "password": "a wrong password"}
			})
			if got[http.StatusUnauthorized] != 20 || got[http.StatusTooManyRequests] != 40 || len(got) != 2 {
				t.Fatalf("answers %s, want 20×401 40×429", fmtCounts(got))
			}
		})

		t.Run("sign-in per account", func(t *testing.T) {
			h.createTenant("rl-account")
			h.signUp("rl-account", "Tansy", "adult")
			got := burst(t, hubs, 30, "/api/v1/t/rl-account/auth/signin", func(i int) map[string]any {
				return map[string]any{"email": qaEmail("Tansy"), "password": fmt.Sprintf("wrong guess %d", i)}
			})
			if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 25 || len(got) != 2 {
				t.Fatalf("answers %s, want 5×401 25×429", fmtCounts(got))
			}
			// The right password is refused too until the window passes.
			h.client("rl-account").signIn(qaEmail("Tansy"), qaPassword).must(t, http.StatusTooManyRequests)
		})

		// The current password typed again (to change it, or to delete
		// the account) is a sign-in attempt for the account: someone at an
		// unlocked device gets no more guesses than at the sign-in form.
		t.Run("current password per account", func(t *testing.T) {
			h.createTenant("rl-current")
			h.signUp("rl-current", "Rowan", "adult")
			token := h.qaBearerClient(t, "rl-current", qaEmail("Rowan"), qaPassword).bearer
			got := burstAs(t, &token, hubs, 30, "POST", "/api/v1/t/rl-current/me/password", func(i int) map[string]any {
				return map[string]any{"current_password": fmt.Sprintf("wrong guess %d", i), "new_password": "a brand new long password"}
			})
			if got[http.StatusUnprocessableEntity] != 5 || got[http.StatusTooManyRequests] != 25 || len(got) != 2 {
				t.Fatalf("password changes: answers %s, want 5×422 25×429", fmtCounts(got))
			}
			// The account's budget is spent for deletion and sign-in too,
			// even with the right password.
			del := hubs[len(hubs)-1].client("rl-current")
			del.bearer = token
			del.api("DELETE", "/me", map[string]any{"password": qaPassword}).must(t, http.StatusTooManyRequests)
			h.client("rl-current").signIn(qaEmail("Rowan"), qaPassword).must(t, http.StatusTooManyRequests)

			h.signUp("rl-current", "Juniper", "adult")
			token = h.qaBearerClient(t, "rl-current", qaEmail("Juniper"), qaPassword).bearer
			got = burstAs(t, &token, hubs, 12, "DELETE", "/api/v1/t/rl-current/me", func(i int) map[string]any {
				return map[string]any{"password": fmt.Sprintf("wrong guess %d", i)}
			})
			if got[http.StatusUnprocessableEntity] != 5 || got[http.StatusTooManyRequests] != 7 || len(got) != 2 {
				t.Fatalf("deletions: answers %s, want 5×422 7×429", fmtCounts(got))
			}
			var n int64
			h.app.db.Table("users").Where("email = ?", qaEmail("Juniper")).Count(&n)
			if n != 1 {
				t.Fatalf("%d accounts after wrong passwords, want the account kept", n)
			}
		})

		t.Run("sign-up per address", func(t *testing.T) {
			h.createTenant("su-address")
			got := burst(t, hubs, 60, "/api/v1/t/su-address/auth/signup", func(i int) map[string]any {
				return signUpBody(fmt.Sprintf("joiner%d@example.org", i), fmt.Sprintf("Joiner %d", i))
			})
			if got[http.StatusAccepted] != 20 || got[http.StatusTooManyRequests] != 40 || len(got) != 2 {
				t.Fatalf("answers %s, want 20×202 40×429", fmtCounts(got))
			}
			var n int64
			h.app.db.Table("users").Where("email LIKE ?", "joiner%").Count(&n)
			if n != 20 {
				t.Fatalf("%d accounts made, want 20", n)
			}
		})

		t.Run("sign-up per email", func(t *testing.T) {
			h.createTenant("su-email")
			got := burst(t, hubs, 30, "/api/v1/t/su-email/auth/signup", func(i int) map[string]any {
				return signUpBody("same.person@example.org", fmt.Sprintf("Hopeful %d", i))
			})
			if got[http.StatusAccepted] != 3 || got[http.StatusTooManyRequests] != 27 || len(got) != 2 {
				t.Fatalf("answers %s, want 3×202 27×429", fmtCounts(got))
			}
		})

		t.Run("reset per address and per email", func(t *testing.T) {
			h.createTenant("rs")
			h.signUp("rs", "Sage", "adult")
			if err := h.app.db.Table("users").Where("email = ?", qaEmail("Sage")).Update("email_confirmed_at", time.Now()).Error; err != nil {
				t.Fatal(err)
			}
			// 40 requests for one confirmed member: 3 reset links made,
			// every answer alike; they use 3 of the address's 10.
			got := burst(t, hubs, 40, "/api/v1/t/rs/auth/password-reset", func(int) map[string]any {
				return map[string]any{"email": qaEmail("Sage")}
			})
			if got[http.StatusAccepted] != 40 {
				t.Fatalf("answers %s, want 40×202", fmtCounts(got))
			}
			var links int64
			h.app.db.Table("account_tokens").Where("email = ? AND purpose = ?", qaEmail("Sage"), accounts.TokenReset).Count(&links)
			if links != 3 {
				t.Fatalf("%d reset links made, want 3", links)
			}
			got = burst(t, hubs, 30, "/api/v1/t/rs/auth/password-reset", func(i int) map[string]any {
				return map[string]any{"email": fmt.Sprintf("someone%d@example.org", i)}
			})
			if got[http.StatusAccepted] != 7 || got[http.StatusTooManyRequests] != 23 || len(got) != 2 {
				t.Fatalf("answers %s, want 7×202 23×429", fmtCounts(got))
			}
		})
	})
}

// When every hashing slot is taken and the queue is full, sign-in and
// sign-up answer 503 unavailable with Retry-After at once, without
// hashing, and the refused attempt counts against no limit.
func TestBusyHashingAnswers503AndCountsNothing(t *testing.T) {
	qaForEachDialect(t, func(t *testing.T, d store.Dialect) {
		for name, limits := range map[string]accounts.HashLimits{
			// Turned away at the door, before any database work.
			"queue full": {Concurrent: 1, Queue: -1, ReleaseAfter: -1},
			// Admitted and counted, then waited too long: the count is
			// taken back.
			"waited too long": {Concurrent: 1, Queue: 1, MaxWait: 20 * time.Millisecond, ReleaseAfter: -1},
		} {
			t.Run(name, func(t *testing.T) { testBusyHashing(t, d, limits) })
		}
	})
}

func testBusyHashing(t *testing.T, d store.Dialect, limits accounts.HashLimits) {
	{
		hasher, err := accounts.NewPasswordHasher(accounts.FastHashParams(), limits)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(hasher.Close)
		h := newTestHubOn(t, storetest.Open(t, d, migrations()), realtime.NewMemoryBroker(), productionSignUpLimits,
			func(deps *appDeps) { deps.hasher = hasher })
		h.createTenant("busy")
		h.signUp("busy", "Linden", "adult")

		release, err := hasher.Hold(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for i := range 8 { // more than the account's 5 failures
			r := h.client("busy").api("POST", "/auth/signin", map[string]any{"email": qaEmail("Linden"), "password": fmt.Sprintf("wrong %d", i)})
			if r.Status != http.StatusServiceUnavailable || r.ErrorCode() != "unavailable" || r.Header.Get("Retry-After") != "1" {
				t.Fatalf("sign-in while hashing is full: %d %s Retry-After %q, want 503 unavailable with Retry-After 1", r.Status, r.Raw, r.Header.Get("Retry-After"))
			}
			qaErrorShape(t, "503", r)
		}
		for i := range 4 { // more than the email's 3 sign-ups
			r := h.client("busy").api("POST", "/auth/signup", signUpBody("newcomer@example.org", fmt.Sprintf("Newcomer %d", i)))
			if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
				t.Fatalf("sign-up while hashing is full: %d %s", r.Status, r.Raw)
			}
		}
		// The sign-in page says so beside the form, keeping the email.
		pg := h.browser().post("/t/busy/signin", url.Values{"email": {qaEmail("Linden")}, "password": {"wrong again"}})
		if pg.Status != http.StatusServiceUnavailable || pg.Header.Get("Retry-After") != "1" || !pg.has("form-errors") ||
			!pg.has("busy checking other passwords") || !pg.has(`value="`+qaEmail("Linden")+`"`) {
			t.Fatalf("sign-in page while hashing is full: %d Retry-After %q\n%s", pg.Status, pg.Header.Get("Retry-After"), pg.Body)
		}
		if s := hasher.Stats(); s.Running != 1 || s.Refused != 13 {
			t.Fatalf("limiter %+v, want only the held slot running and 13 refusals", s)
		}
		release()
		// None of the refused attempts counted: the password still works,
		// and the address can still sign up.
		h.client("busy").signIn(qaEmail("Linden"), qaPassword).must(t, http.StatusOK)
		h.client("busy").api("POST", "/auth/signup", signUpBody("newcomer@example.org", "Newcomer")).must(t, http.StatusAccepted)
		h.client("busy").signIn("newcomer@example.org", qaPassword).must(t, http.StatusOK)
	}
}
