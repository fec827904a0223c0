package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"quietroom/internal/accounts"
	"quietroom/internal/groups"
	"quietroom/internal/library"
	"quietroom/internal/mail"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/web"
)

// migrations is the whole schema history, in the order it is applied.
func migrations() []store.Migration {
	var all []store.Migration
	all = append(all, accounts.Migrations()...)
	all = append(all, groups.Migrations()...)
	all = append(all, realtime.Migrations()...)
	all = append(all, moderation.Migrations()...)
	all = append(all, library.Migrations()...)
	all = append(all, mentoring.Migrations()...)
	all = append(all, mail.Migrations()...)
	// Last: they read the groups, mentoring and realtime tables.
	all = append(all, conversation.Migrations()...)
	return all
}

// app is every service of one hub instance, wired by constructor.
type app struct {
	cfg          config
	log          *slog.Logger
	db           *store.DB
	broker       realtime.Broker
	registry     *prometheus.Registry
	accounts     *accounts.Service
	groups       *groups.Service
	realtime     *realtime.Service
	hub          *realtime.Hub
	restrictions *moderation.Restrictions
	moderation   *moderation.Service
	mentoring    *mentoring.Service
	library      *library.Service
	pages        *web.Handler
	connCfg      realtime.ConnConfig
	outbox       *mail.Outbox
	notices      *mail.Notifications
	// mailWorker is nil when no mail server is configured.
	mailWorker *mail.Worker
}

// appDeps are what an app is built from; tests pass their own databases,
// brokers, password parameters and clocks.
type appDeps struct {
	cfg      config
	log      *slog.Logger
	db       *store.DB
	broker   realtime.Broker
	presence realtime.PresenceStore
	hasher   *accounts.PasswordHasher
	now      func() time.Time
	// hubCfg, rtCfg and connCfg default to the realtime package's defaults.
	hubCfg  *realtime.HubConfig
	rtCfg   *realtime.ServiceConfig
	connCfg *realtime.ConnConfig
	// mailSender replaces the SMTP sender of HUB_SMTP_URL; mailCfg and
	// mailWorkerCfg default to the mail package's defaults.
	mailSender    mail.Sender
	mailCfg       *mail.Config
	mailWorkerCfg *mail.WorkerConfig
	notifyCfg     *mail.NotifyConfig
}

func newApp(d appDeps) (*app, error) {
	if d.now == nil {
		d.now = time.Now // tests pass their own clock
	}
	if d.cfg.PublicURL == "" {
		d.cfg.PublicURL = "http://localhost:8080" // loadConfig always sets it; tests may not
	}
	reg := prometheus.NewRegistry()
	sqlDB, err := d.db.DB.DB()
	if err != nil {
		return nil, fmt.Errorf("database pool: %w", err)
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(sqlDB, string(d.db.Dialect)),
	)
	outbox, mailWorker := newMail(d, reg)
	registerHashMetrics(reg, d.hasher)
	librarySvc, err := library.NewService(d.db, d.now)
	if err != nil {
		return nil, err
	}
	acctCfg := accounts.DefaultConfig()
	if d.cfg.SessionTTL > 0 {
		acctCfg.SessionTTL = d.cfg.SessionTTL
	}
	// Zero (tests that build config by hand, or 0 in the environment) is
	// no limit.
	acctCfg.MaxSignUpsPerAddress, acctCfg.MaxSignUpsPerEmail, acctCfg.SignUpWindow = d.cfg.SignUpsPerAddress, d.cfg.SignUpsPerEmail, d.cfg.SignUpWindow
	hubCfg := realtime.DefaultHubConfig()
	if d.hubCfg != nil {
		hubCfg = *d.hubCfg
	}
	hubCfg.InstanceID = d.cfg.InstanceID
	rtCfg := realtime.DefaultServiceConfig()
	if d.rtCfg != nil {
		rtCfg = *d.rtCfg
	}
	presence := d.presence
	if presence == nil {
		presence = realtime.NewMemoryPresence()
	}
	// Every service is complete when built: the hub first, since groups,
	// mentoring and restrictions tell it when access changes; moderation
	// on the realtime publisher (no screening there), then the realtime
	// service that screens through moderation.
	rtMetrics := realtime.NewMetrics(reg)
	rtStore := realtime.NewStore(d.db, d.now, realtime.WithMetrics(rtMetrics))
	hub := realtime.NewHub(d.broker, rtStore, presence, hubCfg, rtMetrics, d.log)
	groupsSvc := groups.NewService(d.db, d.now, hub.AccessChanged)
	restrictions := moderation.NewRestrictions(d.db, d.now, hub.AccessChanged)
	// Notification mails read members through accounts, which is built
	// last (it takes every domain's hooks): they reach it through this
	// variable, set below before anything can send.
	var accountsSvc *accounts.Service
	notices := mail.NewNotifications(d.db, outbox, mail.Links{Base: d.cfg.PublicURL}, mailMembers{&accountsSvc}, notificationConfig(d), d.now, d.log)
	mentCfg := mentoring.DefaultConfig()
	mentCfg.BatchWindow = d.cfg.MentoringBatchWindow
	mentSvc := mentoring.NewService(d.db, mentoringLive{hub}, mentoringMails{notices}, accounts.NewAttackModes(d.db, d.now),
		mentCfg, d.now, d.log, hub.AccessChanged)
	convs := conversation.NewDirectory(groupsSvc, mentSvc)
	rtPublisher := realtime.NewPublisher(rtStore, hub, d.broker, rtCfg, d.log)
	modSvc, err := moderation.NewService(d.db, moderationGroups{groupsSvc, convs}, moderationMessages{rtPublisher}, hubNotifier{hub}, restrictions,
		libraryArticles{librarySvc}, moderation.DefaultConfig(), d.now, d.log.With("component", "moderation"), decisionMails(notices))
	if err != nil {
		return nil, err
	}
	rtSvc := realtime.NewService(rtPublisher, convs, restrictions, screener{modSvc}, accountUsers{&accountsSvc}, rtCfg)
	accountsSvc = accounts.NewService(d.db, d.hasher, acctCfg, accounts.Hooks{
		TenantCreated: []accounts.TenantHook{groupsSvc.SeedCatalogue},
		UserDeleted: []accounts.UserDeletionHook{groupsSvc.DeleteUser, rtStore.DeleteUser, modSvc.DeleteUser, mentSvc.DeleteUser,
			func(ctx context.Context, tx *store.Tx, t accounts.Tenant, userID string) error {
				return outbox.DeleteUser(ctx, tx, t.ID, userID)
			}},
		Exporters:     []accounts.UserExporter{groupsSvc, rtStore, modSvc, mentSvc},
		SessionsEnded: []accounts.SessionsEndedHook{hub.EndSessions},
		RolesChanged: []func(context.Context, string, string){func(ctx context.Context, tenantID, userID string) {
			hub.AccessChanged(ctx, tenantID, "", userID)
		}},
		AttackModeChanged: []accounts.AttackModeHook{hub.AttackModeChanged, mentSvc.AttackModeChanged},
		Mailer:            accountMailer{outbox: outbox, links: mail.Links{Base: d.cfg.PublicURL}},
	}, d.now)
	demoSlug := ""
	if d.cfg.Demo {
		demoSlug = demoTenant
	}
	pages, err := web.NewHandler(accountsSvc, groupsSvc, librarySvc, modSvc, mentSvc, demoSlug)
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	connCfg := realtime.DefaultConnConfig()
	if d.connCfg != nil {
		connCfg = *d.connCfg
	}
	return &app{cfg: d.cfg, log: d.log, db: d.db, broker: d.broker, registry: reg, accounts: accountsSvc, groups: groupsSvc,
		realtime: rtSvc, hub: hub, restrictions: restrictions, moderation: modSvc, mentoring: mentSvc, library: librarySvc, pages: pages,
		connCfg: connCfg, outbox: outbox, notices: notices, mailWorker: mailWorker}, nil
}

// registerHashMetrics exposes the password-hashing limiter.
func registerHashMetrics(reg *prometheus.Registry, h *accounts.PasswordHasher) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hub_password_hashes_running", Help: "Password hashes running now."},
			func() float64 { return float64(h.Stats().Running) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "hub_password_hashes_waiting", Help: "Requests waiting for a password-hashing slot."},
			func() float64 { return float64(h.Stats().Waiting) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "hub_password_hashes_refused_total", Help: "Requests answered 503 because hashing was full."},
			func() float64 { return float64(h.Stats().Refused) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "hub_password_hash_memory_releases_total", Help: "Times freed hashing memory was handed back to the operating system after a burst."},
			func() float64 { return float64(h.Stats().Releases) }),
	)
}

// ready reports whether the store and the broker answer.
func (a *app) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.db.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := a.broker.Ping(ctx); err != nil {
		return fmt.Errorf("broker: %w", err)
	}
	return nil
}

// demoTenant is the community created on an empty store, where "/" leads.
const demoTenant = "demo"

// demoLogin is printed once, when the demo tenant is first created.
type demoLogin struct {
	Email, Password string
}

// ensureDemo creates the demo tenant on an empty store. In embedded mode it
// also creates an admin with a generated password, returned once.
func (a *app) ensureDemo(ctx context.Context, embedded bool) (*demoLogin, error) {
	n, err := a.accounts.CountTenants(ctx)
	if err != nil || n > 0 {
		return nil, err
	}
	in := accounts.CreateTenantInput{Slug: demoTenant, Name: "Quietroom demo"}
	if embedded {
		in.AdminEmail = "admin@demo.local"
		in.AdminDisplayName = "Demo admin"
	}
	out, err := a.accounts.CreateTenant(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("create demo tenant: %w", err)
	}
	if err := a.seedDemo(ctx, &out.Tenant); err != nil {
		return nil, fmt.Errorf("demo content: %w", err)
	}
	if out.Admin == nil {
		return nil, nil
	}
	return &demoLogin{Email: out.Admin.Email, Password: out.Password}, nil
}
