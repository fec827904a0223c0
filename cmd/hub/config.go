package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/mail"
)

// config is every setting of the hub. Each comes from an environment
// variable, and a flag of the same meaning overrides it; the README lists
// them all with their defaults.
type config struct {
	Addr            string
	DataDir         string
	DatabaseURL     string
	RedisURL        string
	OperatorToken   string
	LogFormat       string
	LogLevel        string
	ShutdownTimeout time.Duration
	TrustedProxies  []string
	InstanceID      string
	Demo            bool
	DBMaxOpenConns  int
	SessionTTL      time.Duration
	// MentoringBatchWindow is the batch window of communities that have
	// not chosen one (mentoring.Config.BatchWindow).
	MentoringBatchWindow time.Duration
	DebugAddr            string
	// argon2id's cost: memory per hash, passes and lanes.
	PasswordMemoryKiB   uint32
	PasswordIterations  uint32
	PasswordParallelism uint8
	// Password hashing limits: hashes at once (0: GOMAXPROCS), requests
	// waiting for one (0: 8 × HashConcurrency), and the longest wait.
	HashConcurrency int
	HashQueue       int
	HashMaxWait     time.Duration
	// SMTP is the parsed HUB_SMTP_URL; nil keeps mail in the outbox.
	SMTP      *mail.SMTPServer
	MailFrom  *netmail.Address
	PublicURL string
	// Sign-ups allowed per client address and per email within
	// SignUpWindow; 0 is no limit.
	SignUpsPerAddress int
	SignUpsPerEmail   int
	SignUpWindow      time.Duration
}

// envVar documents one setting: its variable, flag, default and meaning.
type envVar struct {
	Env, Flag, Default, Help string
}

var settings = []envVar{
	{"HUB_ADDR", "addr", ":8080", "address to listen on"},
	{"HUB_DATA_DIR", "data-dir", "./data", "directory for the embedded SQLite database (used when DATABASE_URL is empty)"},
	{"DATABASE_URL", "database-url", "", "PostgreSQL URL (postgres://user:pass@host:5432/db); empty means embedded SQLite"},
	{"REDIS_URL", "redis-url", "", "Redis URL (redis://host:6379/0) for fan-out between instances; empty means an in-process broker"},
	{"HUB_OPERATOR_TOKEN", "operator-token", "", "bearer token for the operator API (/api/v1/operator); empty disables it"},
	{"HUB_LOG_FORMAT", "log-format", "text", "log format: text or json"},
	{"HUB_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn or error"},
	{"HUB_SHUTDOWN_TIMEOUT", "shutdown-timeout", "15s", "how long a graceful shutdown may take"},
	{"HUB_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is trusted"},
	{"HUB_INSTANCE_ID", "instance-id", "(hostname)", "name of this instance in logs, /healthz and presence"},
	{"HUB_DEMO", "demo", "true", "create the demo tenant when the store is empty; / leads to it"},
	{"HUB_DB_MAX_OPEN_CONNS", "db-max-open-conns", "20", "PostgreSQL connection pool size"},
	{"HUB_SESSION_TTL", "session-ttl", "720h", "how long a sign-in lasts"},
	{"HUB_DEBUG_ADDR", "debug-addr", "", "address for Go's pprof profiles (e.g. 127.0.0.1:6060); empty disables it; never expose it publicly"},
	{"HUB_SMTP_URL", "smtp-url", "", "mail server: smtp://user:pass@host:587 (STARTTLS required), smtps://user:pass@host:465 (TLS), smtp://127.0.0.1:25 (plain, loopback only); empty keeps mail in the outbox (hub mail list)"},
	{"HUB_MAIL_FROM", "mail-from", "", "sender of every mail, e.g. Quietroom <no-reply@example.org>; required with HUB_SMTP_URL"},
	{"HUB_PUBLIC_URL", "public-url", "(http://localhost and the port of HUB_ADDR)", "base URL of the hub in links sent by mail, e.g. https://hub.example.org"},
	{"HUB_PASSWORD_MEMORY_KIB", "password-memory-kib", "65536", "argon2id memory per password hash, in KiB (below the OWASP minimum only for load tests that create thousands of accounts: the hub warns)"},
	{"HUB_PASSWORD_ITERATIONS", "password-iterations", "2", "argon2id passes over the memory per password hash"},
	{"HUB_PASSWORD_PARALLELISM", "password-parallelism", "1", "argon2id lanes per password hash (1 to 16)"},
	{"HUB_HASH_CONCURRENCY", "hash-concurrency", "(GOMAXPROCS)", "password hashes (sign-in, sign-up, password change, deletion, reset) running at once; with the memory per hash this bounds the memory hashing holds"},
	{"HUB_HASH_QUEUE", "hash-queue", "(8 × HUB_HASH_CONCURRENCY)", "requests that may wait for a hashing slot; further ones get 503 unavailable with Retry-After at once, without hashing"},
	{"HUB_HASH_MAX_WAIT", "hash-max-wait", "3s", "how long a request waits for a hashing slot before it gets 503 unavailable"},
	{"HUB_SIGNUPS_PER_ADDRESS", "signups-per-address", "20", "sign-ups allowed per client address and community within HUB_SIGNUP_WINDOW; 0 is no limit (load tests)"},
	{"HUB_SIGNUPS_PER_EMAIL", "signups-per-email", "3", "sign-ups allowed per email and community within HUB_SIGNUP_WINDOW; 0 is no limit"},
	{"HUB_SIGNUP_WINDOW", "signup-window", "1h", "the window of the sign-up limits"},
	{"HUB_MENTORING_BATCH_WINDOW", "mentoring-batch-window", "5m", "default batch window of mentee requests for communities that have not chosen one (whole minutes, 0 to 60m; 0 offers each request as it arrives)"},
}

// loadConfig reads the environment, then lets flags override it.
func loadConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	values := map[string]*string{}
	for _, s := range settings {
		def := getenv(s.Env)
		if def == "" && s.Default != "" && !strings.HasPrefix(s.Default, "(") {
			def = s.Default
		}
		values[s.Env] = fs.String(s.Flag, def, s.Help+" ($"+s.Env+")")
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	v := func(env string) string { return strings.TrimSpace(*values[env]) }
	cfg := config{
		Addr: v("HUB_ADDR"), DataDir: v("HUB_DATA_DIR"), DatabaseURL: v("DATABASE_URL"), RedisURL: v("REDIS_URL"),
		OperatorToken: v("HUB_OPERATOR_TOKEN"), LogFormat: v("HUB_LOG_FORMAT"), LogLevel: v("HUB_LOG_LEVEL"),
		InstanceID: v("HUB_INSTANCE_ID"), DebugAddr: v("HUB_DEBUG_ADDR"),
	}
	var err error
	if cfg.ShutdownTimeout, err = time.ParseDuration(v("HUB_SHUTDOWN_TIMEOUT")); err != nil {
		return config{}, fmt.Errorf("HUB_SHUTDOWN_TIMEOUT: %w", err)
	}
	if cfg.SessionTTL, err = time.ParseDuration(v("HUB_SESSION_TTL")); err != nil || cfg.SessionTTL < time.Minute {
		return config{}, fmt.Errorf("HUB_SESSION_TTL must be a duration of at least 1m, such as 720h")
	}
	if cfg.Demo, err = strconv.ParseBool(v("HUB_DEMO")); err != nil {
		return config{}, fmt.Errorf("HUB_DEMO must be true or false")
	}
	if cfg.DBMaxOpenConns, err = strconv.Atoi(v("HUB_DB_MAX_OPEN_CONNS")); err != nil || cfg.DBMaxOpenConns < 1 {
		return config{}, fmt.Errorf("HUB_DB_MAX_OPEN_CONNS must be a positive number")
	}
	mem, err := strconv.ParseUint(v("HUB_PASSWORD_MEMORY_KIB"), 10, 32)
	if err != nil || mem < 1024 {
		return config{}, fmt.Errorf("HUB_PASSWORD_MEMORY_KIB must be a number of KiB, at least 1024")
	}
	cfg.PasswordMemoryKiB = uint32(mem)
	iter, err := strconv.ParseUint(v("HUB_PASSWORD_ITERATIONS"), 10, 32)
	if err != nil || iter < 1 || iter > 100 {
		return config{}, fmt.Errorf("HUB_PASSWORD_ITERATIONS must be a number of passes from 1 to 100")
	}
	cfg.PasswordIterations = uint32(iter)
	par, err := strconv.ParseUint(v("HUB_PASSWORD_PARALLELISM"), 10, 8)
	if err != nil || par < 1 || par > 16 {
		return config{}, fmt.Errorf("HUB_PASSWORD_PARALLELISM must be a number of lanes from 1 to 16")
	}
	cfg.PasswordParallelism = uint8(par)
	if raw := v("HUB_HASH_CONCURRENCY"); raw != "" {
		if cfg.HashConcurrency, err = strconv.Atoi(raw); err != nil || cfg.HashConcurrency < 1 {
			return config{}, fmt.Errorf("HUB_HASH_CONCURRENCY must be a positive number (empty: GOMAXPROCS)")
		}
	}
	if raw := v("HUB_HASH_QUEUE"); raw != "" {
		if cfg.HashQueue, err = strconv.Atoi(raw); err != nil || cfg.HashQueue < 0 {
			return config{}, fmt.Errorf("HUB_HASH_QUEUE must be a whole number, 0 or more (empty: 8 × HUB_HASH_CONCURRENCY)")
		}
		if cfg.HashQueue == 0 {
			cfg.HashQueue = -1 // no queue at all
		}
	}
	if cfg.HashMaxWait, err = time.ParseDuration(v("HUB_HASH_MAX_WAIT")); err != nil || cfg.HashMaxWait < 10*time.Millisecond {
		return config{}, fmt.Errorf("HUB_HASH_MAX_WAIT must be a duration of at least 10ms, such as 3s")
	}
	if cfg.SignUpsPerAddress, err = strconv.Atoi(v("HUB_SIGNUPS_PER_ADDRESS")); err != nil || cfg.SignUpsPerAddress < 0 {
		return config{}, fmt.Errorf("HUB_SIGNUPS_PER_ADDRESS must be a whole number, 0 or more")
	}
	if cfg.SignUpsPerEmail, err = strconv.Atoi(v("HUB_SIGNUPS_PER_EMAIL")); err != nil || cfg.SignUpsPerEmail < 0 {
		return config{}, fmt.Errorf("HUB_SIGNUPS_PER_EMAIL must be a whole number, 0 or more")
	}
	if cfg.SignUpWindow, err = time.ParseDuration(v("HUB_SIGNUP_WINDOW")); err != nil || cfg.SignUpWindow < time.Minute {
		return config{}, fmt.Errorf("HUB_SIGNUP_WINDOW must be a duration of at least 1m, such as 1h")
	}
	if cfg.MentoringBatchWindow, err = time.ParseDuration(v("HUB_MENTORING_BATCH_WINDOW")); err != nil ||
		cfg.MentoringBatchWindow < 0 || cfg.MentoringBatchWindow > time.Hour || cfg.MentoringBatchWindow%time.Minute != 0 {
		return config{}, fmt.Errorf("HUB_MENTORING_BATCH_WINDOW must be whole minutes from 0m to 60m, such as 5m")
	}
	for _, p := range strings.Split(v("HUB_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	if err := loadMailConfig(&cfg, v); err != nil {
		return config{}, err
	}
	switch cfg.LogFormat {
	case "text", "json":
	default:
		return config{}, fmt.Errorf("HUB_LOG_FORMAT must be text or json")
	}
	if cfg.InstanceID == "" {
		cfg.InstanceID, _ = os.Hostname()
	}
	return cfg, nil
}

// passwordHasher builds the hasher the settings describe; parameters below
// the OWASP minimum are allowed (load tests) but logged as a warning.
func passwordHasher(cfg config, log *slog.Logger) (*accounts.PasswordHasher, error) {
	params := accounts.HashParams(cfg.PasswordMemoryKiB, cfg.PasswordIterations, cfg.PasswordParallelism)
	if !accounts.MeetsOWASP(params) {
		log.Warn("argon2id parameters are below the OWASP minimum (19456 KiB with 2 passes, or 47104 KiB with 1): use them for load tests only",
			"memory_kib", params.Memory, "iterations", params.Iterations, "parallelism", params.Parallelism)
	}
	h, err := accounts.NewPasswordHasher(params, accounts.HashLimits{Concurrent: cfg.HashConcurrency, Queue: cfg.HashQueue, MaxWait: cfg.HashMaxWait})
	if err != nil {
		return nil, err
	}
	l := h.Limits()
	log.Info("password hashing", "memory_kib", params.Memory, "iterations", params.Iterations, "parallelism", params.Parallelism,
		"concurrent", l.Concurrent, "queue", l.Queue, "max_wait", l.MaxWait, "max_hash_memory_mib", uint64(l.Concurrent)*uint64(params.Memory)/1024)
	return h, nil
}

// loadMailConfig reads HUB_SMTP_URL, HUB_MAIL_FROM and HUB_PUBLIC_URL.
func loadMailConfig(cfg *config, v func(string) string) error {
	if raw := v("HUB_SMTP_URL"); raw != "" {
		srv, err := mail.ParseSMTPURL(raw)
		if err != nil {
			return err
		}
		cfg.SMTP = &srv
		if v("HUB_MAIL_FROM") == "" {
			return fmt.Errorf("HUB_MAIL_FROM is required with HUB_SMTP_URL, e.g. 'Quietroom <no-reply@example.org>'")
		}
	}
	from := v("HUB_MAIL_FROM")
	if from == "" {
		from = "Quietroom <no-reply@localhost>"
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return fmt.Errorf("HUB_MAIL_FROM: %w", err)
	}
	cfg.MailFrom = addr
	public := strings.TrimSuffix(v("HUB_PUBLIC_URL"), "/")
	if public == "" {
		_, port, err := net.SplitHostPort(cfg.Addr)
		if err != nil || port == "" {
			port = "8080"
		}
		public = "http://localhost:" + port
	}
	u, err := url.Parse(public)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("HUB_PUBLIC_URL must be a base URL such as https://hub.example.org (no path)")
	}
	cfg.PublicURL = public
	return nil
}
