package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/store"
	"quietroom/internal/textcheck"
)

// TenantHook runs inside the transaction that creates a tenant, so other
// domains (the groups catalogue) are provisioned atomically with it.
type TenantHook func(ctx context.Context, tx *store.Tx, t Tenant) error

// UserDeletionHook runs inside the transaction that deletes a user, so
// every domain removes or anonymises what it holds about them.
type UserDeletionHook func(ctx context.Context, tx *store.Tx, t Tenant, userID string) error

// UserExporter contributes one section to a member's data export.
type UserExporter interface {
	ExportUser(ctx context.Context, tenantID, userID string) (section string, data any, err error)
}

// SessionsEndedHook is told when sessions end (sign-out, sign-out
// everywhere, password change, deletion), so open WebSockets authenticated
// by them are closed too. only names one session ("" for all of the
// user's); except names one to spare.
type SessionsEndedHook func(ctx context.Context, tenantID, userID, only, except string)

// SignUpRequest is what SignUpRequested hooks learn of a sign-up: User is
// the account just made, or, when Existing, the account the address
// already had (left unchanged).
type SignUpRequest struct {
	Tenant   Tenant
	Email    string
	User     User
	Existing bool
}

// SignUpHook runs inside the sign-up's transaction (the email component
// queues the confirmation, or the "someone tried to sign up with your
// address" mail, atomically with it).
type SignUpHook func(ctx context.Context, tx *store.Tx, req SignUpRequest) error

// Hooks connect accounts to the domains built on top of it without
// accounts importing them; cmd/hub fills them in.
type Hooks struct {
	TenantCreated []TenantHook
	UserDeleted   []UserDeletionHook
	Exporters     []UserExporter
	SessionsEnded []SessionsEndedHook
	// SignUpRequested runs for every accepted sign-up, new or taken
	// address alike.
	SignUpRequested []SignUpHook
	// RolesChanged runs after a member's roles change (moderators and
	// admins read every group).
	RolesChanged []func(ctx context.Context, tenantID, userID string)
	// AttackModeChanged runs after a member turns attack mode on or off.
	AttackModeChanged []AttackModeHook
	// Mailer queues password-reset and other account mails.
	Mailer Mailer
}

func (s *Service) mailer() Mailer {
	if s.hooks.Mailer == nil {
		return noMailer{}
	}
	return s.hooks.Mailer
}

func (s *Service) sessionsEnded(ctx context.Context, tenantID, userID, only, except string) {
	for _, hook := range s.hooks.SessionsEnded {
		hook(ctx, tenantID, userID, only, except)
	}
}

// Config tunes sessions and sign-in rate limits.
type Config struct {
	SessionTTL time.Duration
	// Failed sign-ins allowed within FailureWindow, per account and per
	// client address, before further attempts are refused.
	MaxFailuresPerAccount int
	MaxFailuresPerAddress int
	FailureWindow         time.Duration
	// MailLimits bound requests for mailed links.
	MailLimits MailLimits
	// Sign-ups allowed within SignUpWindow per client address and per
	// email; 0 is no limit.
	MaxSignUpsPerAddress int
	MaxSignUpsPerEmail   int
	SignUpWindow         time.Duration
}

func DefaultConfig() Config {
	return Config{SessionTTL: 30 * 24 * time.Hour, MaxFailuresPerAccount: 5, MaxFailuresPerAddress: 20, FailureWindow: 15 * time.Minute,
		MaxSignUpsPerAddress: 20, MaxSignUpsPerEmail: 3, SignUpWindow: time.Hour, MailLimits: DefaultMailLimits()}
}

// Service is the accounts domain: tenants, users, sessions, roles.
type Service struct {
	db     *store.DB
	hasher *PasswordHasher
	cfg    Config
	hooks  Hooks
	now    func() time.Time
	// prunes spaces out the deletion of expired rate-limit rows.
	prunes pruneClock
	// gate answers attempts over a rate limit at the door (limits.go).
	gate attemptGate
}

func NewService(db *store.DB, hasher *PasswordHasher, cfg Config, hooks Hooks, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{db: db, hasher: hasher, cfg: cfg, hooks: hooks, now: func() time.Time { return now().UTC() }}
	// Every sign-up mails the address: a confirmation, or the owner of a
	// taken address a note (confirm.go).
	s.hooks.SignUpRequested = append(s.hooks.SignUpRequested, s.mailSignUp)
	return s
}

// DefaultGuidelines are what a new tenant starts with; admins edit them.
const DefaultGuidelines = `Be kind: everyone here is living with migraine or caring for someone who is.
Share experience, not prescriptions: say what worked for you, and leave medical decisions to people and their clinicians.
No shaming: migraine is a neurological condition, never "just a headache", and nobody here is faking.
Keep others' details private, and your own real name and contact details too.
No selling, no miracle cures, no misinformation.
If you are in crisis or have sudden new symptoms such as weakness on one side, slurred speech or the worst headache of your life, call your local emergency number now.`

// CreateTenantInput describes a new organisation and its first admin.
type CreateTenantInput struct {
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	AdminEmail string `json:"admin_email"`
	// AdminPassword may be empty: a strong one is generated and returned once.
	AdminPassword string `json:"admin_password"`
	// AdminDisplayName defaults to "<Name> admin".
	AdminDisplayName string `json:"admin_display_name"`
}

// CreatedTenant is the result of CreateTenant. Password is set only when it
// was generated, and is shown once.
type CreatedTenant struct {
	Tenant   Tenant `json:"tenant"`
	Admin    *User  `json:"admin,omitempty"`
	Password string `json:"generated_password,omitempty"`
}

// CreateTenant creates a tenant, runs the provisioning hooks and, when an
// admin email is given, its first admin, all in one transaction.
func (s *Service) CreateTenant(ctx context.Context, in CreateTenantInput) (CreatedTenant, error) {
	bad := apperr.Fields{}
	if msg := textcheck.Slug(in.Slug); msg != "" {
		bad.Add("slug", msg)
	}
	name, msg := textcheck.Line(in.Name, 2, 80)
	if msg != "" {
		bad.Add("name", msg)
	}
	var email string
	if in.AdminEmail != "" {
		var emsg string
		if email, emsg = normaliseEmail(in.AdminEmail); emsg != "" {
			bad.Add("admin_email", emsg)
		}
	} else if in.AdminPassword != "" {
		bad.Add("admin_email", "is required when a password is given")
	}
	password := in.AdminPassword
	generated := false
	if email != "" && password == "" {
		password, generated = GeneratePassword(), true
	}
	if email != "" {
		if msg := checkPassword(password, email); msg != "" {
			bad.Add("admin_password", msg)
		}
	}
	if err := bad.Err(); err != nil {
		return CreatedTenant{}, err
	}
	now := s.now()
	t := Tenant{ID: store.NewID(), Slug: in.Slug, Name: name, Guidelines: DefaultGuidelines, GuidelinesVersion: 1,
		DeletionPolicy: DeleteAnonymise, EditWindowMinutes: DefaultEditWindowMinutes, CreatedAt: now, UpdatedAt: now}
	out := CreatedTenant{Tenant: t}
	err := s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		if err := tx.Create(&t).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.InvalidField("slug", "is already taken")
			}
			return err
		}
		for _, hook := range s.hooks.TenantCreated {
			if err := hook(ctx, stx, t); err != nil {
				return err
			}
		}
		if email == "" {
			return nil
		}
		display := in.AdminDisplayName
		if display == "" {
			display = truncateRunes(name, 30) + " admin"
		}
		display, msg := checkDisplayName(display)
		if msg != "" {
			return apperr.InvalidField("admin_display_name", msg)
		}
		admin, err := s.newUser(ctx, t, email, password, display, Adult, Roles{RoleMember, RoleModerator, RoleAdmin})
		if err != nil {
			return err
		}
		admin.EmailConfirmedAt = &admin.CreatedAt // the operator vouches for it
		if err := insertUser(tx, admin); err != nil {
			return err
		}
		out.Admin = admin
		return nil
	})
	if err != nil {
		return CreatedTenant{}, fmt.Errorf("create tenant %s: %w", in.Slug, err)
	}
	if generated {
		out.Password = password
	}
	return out, nil
}

// TenantBySlug finds a tenant; unknown slugs are not_found.
func (s *Service) TenantBySlug(ctx context.Context, slug string) (*Tenant, error) {
	var t Tenant
	err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFound("no community called %q", slug)
	}
	if err != nil {
		return nil, fmt.Errorf("find tenant %s: %w", slug, err)
	}
	return &t, nil
}

// ListTenants is for operators.
func (s *Service) ListTenants(ctx context.Context) ([]Tenant, error) {
	var ts []Tenant
	if err := s.db.WithContext(ctx).Order("slug").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	return ts, nil
}

// CountTenants lets start-up decide whether the store is empty.
func (s *Service) CountTenants(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Tenant{}).Count(&n).Error
	return n, err
}

// TenantSettings are the fields an admin may change; nil means unchanged.
type TenantSettings struct {
	Name           *string `json:"name"`
	Guidelines     *string `json:"guidelines"`
	DeletionPolicy *string `json:"deletion_policy"`
	AllowedOrigins *string `json:"allowed_origins"`
	// EditWindowMinutes: 0 (editing off) to 1440.
	EditWindowMinutes *int `json:"edit_window_minutes"`
}

// UpdateTenant changes a tenant's settings. Editing the guidelines bumps
// their version; /me then reports guidelines_pending until the member
// accepts the new version (PATCH /me).
func (s *Service) UpdateTenant(ctx context.Context, p *Principal, in TenantSettings) (*Tenant, error) {
	if !p.IsAdmin() {
		return nil, apperr.Forbidden("only admins change community settings")
	}
	t := p.Tenant
	bad := apperr.Fields{}
	if in.Name != nil {
		v, msg := textcheck.Line(*in.Name, 2, 80)
		if msg != "" {
			bad.Add("name", msg)
		}
		t.Name = v
	}
	if in.Guidelines != nil {
		v, msg := textcheck.Text(*in.Guidelines, 20, 10000)
		if msg != "" {
			bad.Add("guidelines", msg)
		}
		if v != t.Guidelines {
			t.Guidelines = v
			t.GuidelinesVersion++
		}
	}
	if in.DeletionPolicy != nil {
		switch *in.DeletionPolicy {
		case DeleteAnonymise, DeleteRemove:
			t.DeletionPolicy = *in.DeletionPolicy
		default:
			bad.Add("deletion_policy", "must be anonymise or remove")
		}
	}
	if in.AllowedOrigins != nil {
		origins, msg := checkOrigins(*in.AllowedOrigins)
		if msg != "" {
			bad.Add("allowed_origins", msg)
		}
		t.AllowedOrigins = origins
	}
	if in.EditWindowMinutes != nil {
		if *in.EditWindowMinutes < 0 || *in.EditWindowMinutes > 1440 {
			bad.Add("edit_window_minutes", "must be from 0 (no editing) to 1440 minutes")
		}
		t.EditWindowMinutes = *in.EditWindowMinutes
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	t.UpdatedAt = s.now()
	res := s.db.WithContext(ctx).Model(&Tenant{}).Where("id = ?", t.ID).Updates(map[string]any{
		"name": t.Name, "guidelines": t.Guidelines, "guidelines_version": t.GuidelinesVersion,
		"deletion_policy": t.DeletionPolicy, "allowed_origins": t.AllowedOrigins, "updated_at": t.UpdatedAt,
		"edit_window_minutes": t.EditWindowMinutes,
	})
	if res.Error != nil {
		return nil, fmt.Errorf("update tenant %s: %w", t.Slug, res.Error)
	}
	return &t, nil
}

func checkOrigins(s string) (string, string) {
	const msg = "must be a space-separated list of origins such as https://example.org"
	var out []string
	for _, o := range strings.Fields(s) {
		u, err := url.Parse(o)
		switch {
		case len(o) > 200 || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.Path != "" || u.RawQuery != "" || u.User != nil || u.Fragment != "":
			return "", msg
		case strings.IndexFunc(u.Host, func(r rune) bool { return r > 0x7e || r < 0x21 }) >= 0:
			return "", "must use the ASCII (punycode) form of the host, as browsers send it"
		}
		out = append(out, strings.ToLower(o))
	}
	if len(out) > 20 {
		return "", "may list at most 20 origins"
	}
	return strings.Join(out, " "), ""
}

func normaliseEmail(raw string) (string, string) {
	e := strings.ToLower(strings.TrimSpace(raw))
	if e == "" {
		return "", "is required"
	}
	if len(e) > 254 {
		return "", "is too long"
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") && !strings.HasSuffix(e, ".local") && !strings.HasSuffix(e, "@localhost") {
		return "", "must be an email address such as name@example.org"
	}
	return e, ""
}

func checkPassword(pw, email string) string {
	n := len([]rune(pw))
	switch {
	case n < 10:
		return "must be at least 10 characters"
	case len(pw) > 256:
		return "must be at most 256 bytes"
	case strings.EqualFold(pw, email):
		return "must not be your email address"
	}
	return ""
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// GeneratePassword returns a random password for generated admin logins.
func GeneratePassword() string { return store.NewToken(12) }

// CreateAdmin adds an admin with a generated password to an existing
// tenant; the operator CLI uses it (PostgreSQL deployments print no demo
// login, so this is how their first admin appears).
func (s *Service) CreateAdmin(ctx context.Context, tenantSlug, email, display string) (*User, string, error) {
	t, err := s.TenantBySlug(ctx, tenantSlug)
	if err != nil {
		return nil, "", err
	}
	email, msg := normaliseEmail(email)
	if msg != "" {
		return nil, "", apperr.InvalidField("email", msg)
	}
	if display == "" {
		display = strings.SplitN(email, "@", 2)[0] + " (admin)"
	}
	display, msg = checkDisplayName(display)
	if msg != "" {
		return nil, "", apperr.InvalidField("display_name", msg)
	}
	password := GeneratePassword()
	u, err := s.newUser(ctx, *t, email, password, display, Adult, Roles{RoleMember, RoleModerator, RoleAdmin})
	if err != nil {
		return nil, "", err
	}
	u.EmailConfirmedAt = &u.CreatedAt // the operator vouches for it
	if err := insertUser(s.db.WithContext(ctx), u); err != nil {
		return nil, "", fmt.Errorf("create admin: %w", err)
	}
	return u, password, nil
}
