package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// plan says which group each client is in and which hub it talks to.
type plan struct {
	n       int
	hubs    int
	slugs   []string  // group slugs, g0001…
	groupOf []int32   // per client; -1 when it subscribes to nothing
	members [][]int32 // per group, its clients
}

// newPlan assigns clients to groups in contiguous blocks and to hubs
// round-robin by client index, so the members of one group alternate
// between the hubs and every message crosses instances.
func newPlan(cfg config) plan {
	p := plan{n: cfg.clients, hubs: len(cfg.hubs), groupOf: make([]int32, cfg.clients)}
	g := cfg.groups
	for i := range g {
		p.slugs = append(p.slugs, fmt.Sprintf("g%04d", i+1))
	}
	p.members = make([][]int32, g)
	for i := range p.n {
		gi := -1
		switch {
		case g == 0:
		case cfg.scenario == "groups":
			gi = i / cfg.members
		default: // idle and bigroom: contiguous blocks
			gi = int(int64(i) * int64(g) / int64(p.n))
		}
		p.groupOf[i] = int32(gi)
		if gi >= 0 {
			p.members[gi] = append(p.members[gi], int32(i))
		}
	}
	return p
}

func (p plan) hubOf(i int) int { return i % p.hubs }

// apiClient speaks the hub's JSON API.
type apiClient struct {
	http          *http.Client
	operatorToken string
}

func newAPIClient(cfg config) *apiClient {
	tr := &http.Transport{
		Proxy:               nil, // never send load through a proxy from the environment
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2*cfg.setupConcurrency + 8,
		MaxIdleConnsPerHost: 2*cfg.setupConcurrency + 8,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	return &apiClient{http: &http.Client{Transport: tr, Timeout: 90 * time.Second}, operatorToken: cfg.operatorToken}
}

// apiError is a non-2xx answer.
type apiError struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Message)
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", e.Fields)
	}
	return s
}

// retryable: worth another try (the hub is busy or restarting).
func retryable(err error) bool {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Status == http.StatusTooManyRequests || ae.Status >= 500
	}
	return !errors.Is(err, context.Canceled) // network errors, timeouts
}

// do sends one JSON request; body may be nil. A 2xx answer is decoded into
// out (when not nil).
func (a *apiClient) do(ctx context.Context, method, url, bearer string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "quietroom-loadgen")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, url, err)
	}
	if resp.StatusCode/100 != 2 {
		var eb struct {
			Error struct {
				Code    string            `json:"code"`
				Message string            `json:"message"`
				Fields  map[string]string `json:"fields"`
			} `json:"error"`
		}
		_ = json.Unmarshal(data, &eb)
		if eb.Error.Message == "" {
			eb.Error.Message = truncateBytes(data, 200)
		}
		return fmt.Errorf("%s %s: %w", method, url, &apiError{resp.StatusCode, eb.Error.Code, eb.Error.Message, eb.Error.Fields})
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, url, err)
		}
	}
	return nil
}

// doRetry retries transient failures a few times with backoff.
func (a *apiClient) doRetry(ctx context.Context, method, url, bearer string, body, out any) error {
	backoff := 250 * time.Millisecond
	var err error
	for attempt := 1; ; attempt++ {
		err = a.do(ctx, method, url, bearer, body, out)
		if err == nil || attempt == 4 || !retryable(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return err
		}
		backoff *= 2
	}
}

func truncateBytes(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// setupResult is what setup made.
type setupResult struct {
	tenant     string
	tokens     []string // per client: its bearer session token
	signupTime time.Duration
	setupTime  time.Duration
}

type sessionAnswer struct {
	Token string `json:"token"`
}

// setup creates the tenant, its groups and its users (each joined to
// their group), all through the API.
func (r *runner) setup(ctx context.Context) (*setupResult, error) {
	began := time.Now()
	cfg, p, api := r.cfg, r.plan, r.api
	hub0 := cfg.hubs[0].base
	tenant := "load-" + randomHex(4)
	adminEmail := "admin@" + tenant + ".example.org"
	adminPassword := "admin-" + randomHex(12)

	// Check every hub answers before creating anything.
	for _, h := range cfg.hubs {
		var health struct {
			Instance string `json:"instance"`
		}
		if err := api.do(ctx, "GET", h.base+"/healthz", "", nil, &health); err != nil {
			return nil, fmt.Errorf("hub %s is not answering: %w", h.base, err)
		}
		r.logf("hub %s is up (instance %q)", h.base, health.Instance)
	}

	err := api.do(ctx, "POST", hub0+"/api/v1/operator/tenants", api.operatorToken, map[string]any{
		"slug": tenant, "name": "Load test " + tenant, "admin_email": adminEmail, "admin_password": adminPassword,
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("create tenant: %w", err)
	}
	var admin sessionAnswer
	if err := api.doRetry(ctx, "POST", hub0+"/api/v1/t/"+tenant+"/auth/signin", "", map[string]any{
		"email": adminEmail, "password": adminPassword, "bearer_token": true,
	}, &admin); err != nil {
		return nil, fmt.Errorf("admin sign-in: %w", err)
	}
	if admin.Token == "" {
		return nil, errors.New("admin sign-in returned no token although bearer_token was asked for")
	}
	r.logf("tenant %s created; creating %d group(s)", tenant, len(p.slugs))

	err = parallel(ctx, cfg.setupConcurrency, len(p.slugs), func(ctx context.Context, i int) error {
		slug := p.slugs[i]
		err := api.doRetry(ctx, "POST", hub0+"/api/v1/t/"+tenant+"/groups", admin.Token, map[string]any{
			"slug": slug, "name": "Load group " + slug, "description": "Created by the load tool.",
			"diagnosis": "load-test", "audience": "everyone", "visibility": "listed", "posting_policy": "open",
		}, nil)
		if err != nil {
			return fmt.Errorf("create group %s: %w", slug, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Sign-ups hash a password each (argon2id): the slow part of setup.
	res := &setupResult{tenant: tenant, tokens: make([]string, p.n)}
	password := "load-" + randomHex(12)
	var done atomic.Int64
	signupStart := time.Now()
	stopProgress := make(chan struct{})
	var progressWG sync.WaitGroup
	progressWG.Add(1)
	go func() {
		defer progressWG.Done()
		t := time.NewTicker(progressInterval)
		defer t.Stop()
		for {
			select {
			case <-stopProgress:
				return
			case <-t.C:
				n := done.Load()
				rate := float64(n) / time.Since(signupStart).Seconds()
				eta := "?"
				if rate > 0 {
					eta = (time.Duration(float64(int64(p.n)-n)/rate) * time.Second).Round(time.Second).String()
				}
				warn := ""
				if dl, ok := ctx.Deadline(); ok && rate > 0 && time.Duration(float64(int64(p.n)-n)/rate*float64(time.Second)) > time.Until(dl) {
					warn = " — this exceeds -max-duration: raise it"
				}
				r.logf("setup   signed up and joined %d/%d users (%.1f/s, ETA %s)%s", n, p.n, rate, eta, warn)
			}
		}
	}()
	err = parallel(ctx, cfg.setupConcurrency, p.n, func(ctx context.Context, i int) error {
		base := cfg.hubs[p.hubOf(i)].base + "/api/v1/t/" + tenant
		token, err := r.signUp(ctx, base, i, tenant, password)
		if err != nil {
			return err
		}
		if g := p.groupOf[i]; g >= 0 {
			if err := api.doRetry(ctx, "POST", base+"/groups/"+p.slugs[g]+"/join", token, nil, nil); err != nil {
				return fmt.Errorf("user %d joining %s: %w", i, p.slugs[g], err)
			}
		}
		res.tokens[i] = token
		done.Add(1)
		return nil
	})
	close(stopProgress)
	progressWG.Wait()
	if err != nil {
		return nil, err
	}
	res.signupTime = time.Since(signupStart)
	res.setupTime = time.Since(began)
	r.logf("setup   %d users signed up and joined in %.1fs (%.1f/s)", p.n, res.signupTime.Seconds(),
		float64(p.n)/res.signupTime.Seconds())
	return res, nil
}

// signUp creates user i and returns its bearer token. Sign-up starts no
// session (it answers 202 alike for new and taken addresses), so it signs
// in next; a sign-up retried after an ambiguous failure is answered 202
// too. The hubs need HUB_SIGNUPS_PER_ADDRESS=0 for thousands of sign-ups
// from one address.
func (r *runner) signUp(ctx context.Context, base string, i int, tenant, password string) (string, error) {
	email := "u" + strconv.Itoa(i+1) + "@" + tenant + ".example.org"
	body := map[string]any{"email": email, "password": password, "display_name": "Load user " + strconv.Itoa(i+1),
		"age_bracket": "adult", "accept_guidelines": true}
	var s sessionAnswer
	backoff := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := r.api.do(ctx, "POST", base+"/auth/signup", "", body, nil)
		var ae *apiError
		if err != nil && attempt > 1 && errors.As(err, &ae) && ae.Status/100 == 4 && ae.Fields["display_name"] != "" {
			err = nil // the earlier attempt went through after all
		}
		if err == nil {
			err = r.api.doRetry(ctx, "POST", base+"/auth/signin", "", map[string]any{
				"email": email, "password": password, "bearer_token": true}, &s)
			if err == nil {
				break
			}
		}
		if attempt == 4 || !retryable(err) || ctx.Err() != nil {
			return "", fmt.Errorf("sign up user %d: %w", i, err)
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return "", fmt.Errorf("sign up user %d: %w", i, err)
		}
		backoff *= 2
	}
	if s.Token == "" {
		return "", fmt.Errorf("sign up user %d: no token in the answer although bearer_token was asked for", i)
	}
	return s.Token, nil
}

// parallel runs fn(0..n-1) on workers goroutines; the first error cancels
// the rest and is returned.
func parallel(ctx context.Context, workers, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err })
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}
