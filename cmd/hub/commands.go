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
	hasher, err := accounts.NewPasswordHasher(accounts.HashParams(cfg.PasswordMemoryKiB))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	a, err := newApp(appDeps{cfg: cfg, log: log, db: db, broker: realtime.NewMemoryBroker(), hasher: hasher})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return a, func() { db.Close() }, nil
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

func tenantCreateCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	mine, rest := splitFlags(args, "slug", "name", "admin-email", "admin-password")
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	slug := fs.String("slug", "", "URL name of the tenant, e.g. aura-network")
	name := fs.String("name", "", "display name of the tenant")
	email := fs.String("admin-email", "", "email of the first admin (optional)")
	password := fs.String("admin-password", "", "password of the first admin (generated when empty)")
	if err := fs.Parse(mine); err != nil {
		return err
	}
	cfg, err := loadConfig(rest, getenv, stderr)
	if err != nil {
		return err
	}
	a, closeApp, err := opsApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp()
	out, err := a.accounts.CreateTenant(ctx, accounts.CreateTenantInput{Slug: *slug, Name: *name, AdminEmail: *email, AdminPassword: *password})
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
	mine, rest := splitFlags(args, "tenant", "email", "display-name")
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tenant := fs.String("tenant", "", "tenant slug")
	email := fs.String("email", "", "email of the new admin")
	display := fs.String("display-name", "", "display name (a pseudonym)")
	if err := fs.Parse(mine); err != nil {
		return err
	}
	cfg, err := loadConfig(rest, getenv, stderr)
	if err != nil {
		return err
	}
	a, closeApp, err := opsApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp()
	u, password, err := a.accounts.CreateAdmin(ctx, *tenant, *email, *display)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "admin %s added to %s\ngenerated password (shown once): %s\n", u.Email, *tenant, password)
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
