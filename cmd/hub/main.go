// Command hub runs Quietroom: `hub serve` (the default) serves the API,
// pages and WebSockets; `hub migrate`, `hub tenant create`, `hub admin
// create` and `hub healthcheck` are operator tools.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime"
	"quietroom/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hub:", err)
		os.Exit(1)
	}
}

const usage = `usage: hub [command] [flags]

commands:
  serve              serve the API, pages and WebSockets (default)
  migrate            apply pending schema migrations and exit
  tenant create      create a tenant: --slug --name [--admin-email] [--admin-password]
  admin create       add an admin to a tenant: --tenant --email [--display-name]
  admin reset-password
                     print a one-time link (1 hour) to choose a new password: --tenant --email
  mail list          list the outbox, newest first: [--status pending|sending|sent|dead] [--limit N]
  mail show ID       print one mail (headers and plain-text part) from the outbox
  mail retry ID      queue a dead mail again
  healthcheck        exit 0 when the hub on HUB_ADDR answers /healthz

Every setting is an environment variable with a flag override; run
'hub serve -h' to list them.`

// run is main without the process: arguments, environment and output are
// passed in, so tests can run the real command.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrateCmd(ctx, args, getenv, stdout, stderr)
	case "tenant":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: hub tenant create --slug S --name N [--admin-email E] [--admin-password P]")
		}
		return tenantCreateCmd(ctx, args[1:], getenv, stdout, stderr)
	case "admin":
		if len(args) > 0 && args[0] == "reset-password" {
			return resetPasswordCmd(ctx, args[1:], getenv, stdout, stderr)
		}
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: hub admin create --tenant SLUG --email E [--display-name N] | hub admin reset-password --tenant SLUG --email E")
		}
		return adminCreateCmd(ctx, args[1:], getenv, stdout, stderr)
	case "mail":
		return mailCmd(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, getenv)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(h).With("instance", cfg.InstanceID)
}

// openStore opens and migrates the database the configuration names.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxOpenConns: cfg.DBMaxOpenConns})
	if err != nil {
		return nil, err
	}
	log.Info("store opened", "store", db.Dialect, "location", db.Location)
	applied, err := db.Migrate(ctx, migrations())
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("applied migrations", "ids", applied)
	}
	// Display names made before look-alike folding get the new keys.
	if n, err := accounts.RekeyDisplayNames(ctx, db, log); err != nil {
		db.Close()
		return nil, err
	} else if n > 0 {
		log.Info("display-name keys brought up to date", "changed", n)
	}
	return db, nil
}

func openBroker(ctx context.Context, cfg config, log *slog.Logger) (realtime.Broker, realtime.PresenceStore, func(), error) {
	if cfg.RedisURL == "" {
		return realtime.NewMemoryBroker(), realtime.NewMemoryPresence(), func() {}, nil
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	client := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		client.Close()
		return nil, nil, nil, fmt.Errorf("connect to redis at %s: %w", opts.Addr, err)
	}
	b := realtime.NewRedisBroker(client, log)
	return b, realtime.NewRedisPresence(client), func() { b.Close(); client.Close() }, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	started := time.Now()
	cfg, err := loadConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	broker, presence, closeBroker, err := openBroker(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeBroker()
	log.Info("broker ready", "broker", broker.Name())

	hasher, err := passwordHasher(cfg, log)
	if err != nil {
		return err
	}
	defer hasher.Close()
	a, err := newApp(appDeps{cfg: cfg, log: log, db: db, broker: broker, presence: presence, hasher: hasher})
	if err != nil {
		return err
	}
	if cfg.Demo {
		login, err := a.ensureDemo(ctx, db.Dialect == store.SQLite)
		if err != nil {
			return err
		}
		if login != nil {
			fmt.Fprintf(stdout, "\n  Demo community created. Sign in with this admin login (change the password under your account settings):\n"+
				"    address:  http://%s/t/demo\n    email:    %s\n    password: %s\n  (shown only now; it is not stored anywhere in plain text)\n\n",
				displayAddr(cfg.Addr), login.Email, login.Password)
		}
	}
	handler, err := a.routes()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("hub listening", "addr", ln.Addr().String(), "startup", time.Since(started).Round(time.Millisecond))

	// The hub delivers broker messages until the server has shut down.
	hubCtx, stopHub := context.WithCancel(context.WithoutCancel(ctx))
	hubDone := make(chan error, 1)
	go func() { hubDone <- a.hub.Run(hubCtx) }()
	defer func() { stopHub(); <-hubDone }()
	// The mentoring worker expires offers and sends reminders.
	mentoringDone := make(chan struct{})
	go func() { defer close(mentoringDone); a.mentoring.Run(hubCtx) }()
	defer func() { stopHub(); <-mentoringDone }()
	// The mail worker empties the outbox; without a mail server, mail
	// waits there for `hub mail list`.
	if a.mailWorker != nil {
		log.Info("mail ready", "smtp", a.cfg.SMTP.String(), "from", a.cfg.MailFrom.String())
		mailDone := make(chan struct{})
		go func() { defer close(mailDone); a.mailWorker.Run(hubCtx) }()
		defer func() { stopHub(); <-mailDone }()
	} else {
		log.Info("mail is not configured (HUB_SMTP_URL is empty): mails stay in the outbox; read them with `hub mail list` and `hub mail show ID`")
	}
	// Waiting notification mails go out alone or as digests, outside
	// quiet hours (into the outbox, even without a mail server).
	noticesDone := make(chan struct{})
	go func() { defer close(noticesDone); a.notices.Run(hubCtx) }()
	defer func() { stopHub(); <-noticesDone }()

	if cfg.DebugAddr != "" {
		stopDebug, err := serveDebug(cfg.DebugAddr, log)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	// Stop accepting first, then ask WebSocket clients to move to another
	// instance (1001) and wait for them: http.Server.Shutdown does not
	// track hijacked connections.
	shutdownDone := make(chan error, 1)
	go func() { shutdownDone <- srv.Shutdown(shutdownCtx) }()
	closed := a.hub.CloseAll()
	for a.hub.ConnCount() > 0 && shutdownCtx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	if err := <-shutdownDone; err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("connections drained", "websockets", closed, "left", a.hub.ConnCount())
	log.Info("stopped cleanly")
	return nil
}

func displayAddr(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "localhost" + addr
	}
	return addr
}

// serveDebug serves Go's pprof handlers on their own listener, so they are
// never reachable through the public address.
func serveDebug(addr string, log *slog.Logger) (func(), error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on HUB_DEBUG_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	log.Info("debug profiles", "addr", ln.Addr().String())
	return func() { srv.Close(); <-done }, nil
}
