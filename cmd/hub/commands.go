package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime"
)

func migrateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "schema is up to date (%s)\n", db.Dialect)
	return nil
}

// opsApp opens the store and builds the services for a one-shot command.
func opsApp(ctx context.Context, cfg config, stderr io.Writer) (*app, func(), error) {
	log := newLogger(cfg, stderr)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	hasher, err := passwordHasher(cfg, log)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	a, err := newApp(appDeps{cfg: cfg, log: log, db: db, broker: realtime.NewMemoryBroker(), hasher: hasher})
	if err != nil {
		hasher.Close()
		db.Close()
		return nil, nil, err
	}
	return a, func() { hasher.Close(); db.Close() }, nil
}

// splitFlags separates a subcommand's own flags from the global settings
// flags, so `hub tenant create --slug x --database-url …` works.
func splitFlags(args []string, own ...string) (mine, rest []string) {
	isOwn := map[string]bool{}
	for _, o := range own {
		isOwn[o] = true
	}
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(args[i], "-")
		name, _, hasValue := strings.Cut(name, "=")
		target := &rest
		if isOwn[name] {
			target = &mine
		}
		*target = append(*target, args[i])
		if !hasValue && strings.HasPrefix(args[i], "-") && i+1 < len(args) {
			i++
			*target = append(*target, args[i])
		}
	}
	return mine, rest
}

// opsCommand parses a one-shot command's own flags (declared by define)
// apart from the global settings flags, then opens the store and builds
// the services. The caller must call the returned close function.
func opsCommand(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer, define func(*flag.FlagSet)) (*app, func(), error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	define(fs)
	var own []string
	fs.VisitAll(func(f *flag.Flag) { own = append(own, f.Name) })
	mine, rest := splitFlags(args, own...)
	if err := fs.Parse(mine); err != nil {
		return nil, nil, err
	}
	cfg, err := loadConfig(rest, getenv, stderr)
	if err != nil {
		return nil, nil, err
	}
	return opsApp(ctx, cfg, stderr)
}

func tenantCreateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var in accounts.CreateTenantInput
	a, closeApp, err := opsCommand(ctx, "tenant create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&in.Slug, "slug", "", "URL name of the tenant, e.g. aura-network")
		fs.StringVar(&in.Name, "name", "", "display name of the tenant")
		fs.StringVar(&in.AdminEmail, "admin-email", "", "email of the first admin (optional)")
		fs.StringVar(&in.AdminPassword, "admin-password", "", "password of the first admin (generated when empty)")
	})
	if err != nil {
		return err
	}
	defer closeApp()
	out, err := a.accounts.CreateTenant(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created tenant %s (%s) with its default groups\n", out.Tenant.Slug, out.Tenant.Name)
	if out.Admin != nil {
		fmt.Fprintf(stdout, "admin: %s\n", out.Admin.Email)
	}
	if out.Password != "" {
		fmt.Fprintf(stdout, "generated password (shown once): %s\n", out.Password)
	}
	return nil
}

func adminCreateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var tenant, email, display string
	a, closeApp, err := opsCommand(ctx, "admin create", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&tenant, "tenant", "", "tenant slug")
		fs.StringVar(&email, "email", "", "email of the new admin")
		fs.StringVar(&display, "display-name", "", "display name (a pseudonym)")
	})
	if err != nil {
		return err
	}
	defer closeApp()
	u, password, err := a.accounts.CreateAdmin(ctx, tenant, email, display)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "admin %s added to %s\ngenerated password (shown once): %s\n", u.Email, tenant, password)
	return nil
}

// healthcheck is the container health probe: the runtime image has no
// shell or curl, so the binary checks itself.
func healthcheck(ctx context.Context, getenv func(string) string) error {
	addr := getenv("HUB_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("HUB_ADDR %q: %w", addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthz: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %s", resp.Status)
	}
	return nil
}
