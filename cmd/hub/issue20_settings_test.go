package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"quietroom/internal/accounts"
)

func TestPasswordHashingSettings(t *testing.T) {
	cases := []struct {
		args    []string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c config)
	}{
		{env: map[string]string{}, check: func(t *testing.T, c config) {
			p := accounts.HashParams(c.PasswordMemoryKiB, c.PasswordIterations, c.PasswordParallelism)
			if p.Memory != 65536 || p.Iterations != 2 || p.Parallelism != 1 || !accounts.MeetsOWASP(p) {
				t.Errorf("default parameters %+v, want 64 MiB, 2 passes, 1 lane (at or above OWASP)", p)
			}
			if c.HashConcurrency != 0 || c.HashQueue != 0 || c.HashMaxWait != 3*time.Second {
				t.Errorf("default limits %d %d %v, want GOMAXPROCS (0), 8× (0), 3s", c.HashConcurrency, c.HashQueue, c.HashMaxWait)
			}
		}},
		{env: map[string]string{"HUB_PASSWORD_MEMORY_KIB": "19456", "HUB_PASSWORD_ITERATIONS": "3", "HUB_PASSWORD_PARALLELISM": "2",
			"HUB_HASH_CONCURRENCY": "4", "HUB_HASH_QUEUE": "0", "HUB_HASH_MAX_WAIT": "500ms"}, check: func(t *testing.T, c config) {
			if c.PasswordMemoryKiB != 19456 || c.PasswordIterations != 3 || c.PasswordParallelism != 2 ||
				c.HashConcurrency != 4 || c.HashQueue != -1 || c.HashMaxWait != 500*time.Millisecond {
				t.Errorf("parsed %+v", c)
			}
		}},
		{args: []string{"--password-iterations", "4", "--hash-queue", "7"}, env: map[string]string{"HUB_PASSWORD_ITERATIONS": "3"}, check: func(t *testing.T, c config) {
			if c.PasswordIterations != 4 || c.HashQueue != 7 {
				t.Errorf("flags did not override: %d %d", c.PasswordIterations, c.HashQueue)
			}
		}},
		{env: map[string]string{"HUB_PASSWORD_ITERATIONS": "0"}, wantErr: "HUB_PASSWORD_ITERATIONS"},
		{env: map[string]string{"HUB_PASSWORD_PARALLELISM": "17"}, wantErr: "HUB_PASSWORD_PARALLELISM"},
		{env: map[string]string{"HUB_PASSWORD_MEMORY_KIB": "512"}, wantErr: "HUB_PASSWORD_MEMORY_KIB"},
		{env: map[string]string{"HUB_HASH_CONCURRENCY": "0"}, wantErr: "HUB_HASH_CONCURRENCY"},
		{env: map[string]string{"HUB_HASH_QUEUE": "-1"}, wantErr: "HUB_HASH_QUEUE"},
		{env: map[string]string{"HUB_HASH_MAX_WAIT": "1ms"}, wantErr: "HUB_HASH_MAX_WAIT"},
	}
	for _, c := range cases {
		var stderr bytes.Buffer
		cfg, err := loadConfig(c.args, envOf(c.env), &stderr)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%v: error %v, want one naming %q", c.env, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v %v: %v", c.args, c.env, err)
			continue
		}
		c.check(t, cfg)
	}
}

// The README's settings table lists every setting with its flag.
func TestREADMEListsEverySetting(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, s := range settings {
		if row := "| `" + s.Env + "` | `--" + s.Flag + "` |"; !strings.Contains(readme, row) {
			t.Errorf("README has no settings row starting %s", row)
		}
	}
}
