package mentoring_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/mentoring"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

const password = "a long enough password"

var allWeek = strings.Repeat("1", 168)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	accounts *accounts.Service
	svc      *mentoring.Service
	clock    *clock
}

func newFixture(t *testing.T, d store.Dialect) *fixture {
	t.Helper()
	db := storetest.Open(t, d, append(accounts.Migrations(), mentoring.Migrations()...))
	hasher, err := accounts.NewPasswordHasher(accounts.FastHashParams(), accounts.HashLimits{Queue: 1000, MaxWait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
	cfg := accounts.DefaultConfig()
	cfg.MaxSignUpsPerAddress, cfg.MaxSignUpsPerEmail, cfg.SessionTTL = 0, 0, 365*24*time.Hour
	acc := accounts.NewService(db, hasher, cfg, accounts.Hooks{Mailer: discardMailer{}}, c.Now)
	mcfg := mentoring.DefaultConfig()
	mcfg.BatchWindow = 0 // each request offered as it arrives (the batch window has its own tests)
	return &fixture{accounts: acc, svc: mentoring.NewService(db, nil, mcfg, c.Now, nil), clock: c}
}

func eachDialect(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, newFixture(t, d)) })
	}
}

func (f *fixture) tenant(t *testing.T, slug string) *accounts.Principal {
	t.Helper()
	ctx := context.Background()
	out, err := f.accounts.CreateTenant(ctx, accounts.CreateTenantInput{Slug: slug, Name: "Community " + slug,
		AdminEmail: "admin@" + slug + ".example", AdminPassword: password})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := f.accounts.SignIn(ctx, &out.Tenant, "admin@"+slug+".example", password, accounts.ClientInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) member(t *testing.T, admin *accounts.Principal, name string) *accounts.Principal {
	t.Helper()
	ctx := context.Background()
	email := strings.ToLower(name) + "@" + admin.Tenant.Slug + ".example"
	if err := f.accounts.SignUp(ctx, &admin.Tenant, accounts.SignUpInput{Email: email, Password: password, DisplayName: name,
		AgeBracket: accounts.Adult, AcceptGuidelines: true}, accounts.ClientInfo{}); err != nil {
		t.Fatal(err)
	}
	p, _, err := f.accounts.SignIn(ctx, &admin.Tenant, email, password, accounts.ClientInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func application(types ...string) mentoring.Application {
	return mentoring.Application{Types: types, Treatments: []string{"acute:triptans"}, Topics: []string{"new-diagnosis", "work"},
		Languages: []string{"en"}, Years: 8, Availability: allWeek, Capacity: 2, About: "Living with it since school."}
}

func request(types ...string) mentoring.RequestInput {
	return mentoring.RequestInput{Reason: "new-diagnosis", Types: types, Topics: []string{"new-diagnosis"}, Languages: []string{"en"},
		TZOffsetMinutes: 60, Availability: allWeek, Consent: true}
}

// mentor signs a member up, has them apply and the admin approve them.
func (f *fixture) mentor(t *testing.T, admin *accounts.Principal, name string, types ...string) *accounts.Principal {
	t.Helper()
	ctx := context.Background()
	m := f.member(t, admin, name)
	if _, err := f.svc.Apply(ctx, m, application(types...)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ReviewApplication(ctx, admin, m.User.ID, mentoring.Review{Decision: "approve", TrainingCompleted: true}); err != nil {
		t.Fatal(err)
	}
	return m
}

func pending(t *testing.T, f *fixture, p *accounts.Principal) []mentoring.OfferView {
	t.Helper()
	all, err := f.svc.MyOffers(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	var out []mentoring.OfferView
	for _, o := range all {
		if o.Status == mentoring.OfferPending {
			out = append(out, o)
		}
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func fieldsOf(err error) map[string]string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Fields
	}
	return nil
}

// From an application to a mentorship: bad input names its fields, only
// another admin of the same community reviews, the request goes to the
// one mentor who fits with reasons in words, only that mentor accepts,
// and both see the mentorship.
func TestFromApplicationToMentorship(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "calm")
		otherAdmin := f.tenant(t, "other")
		applicant := f.member(t, admin, "Heron")

		_, err := f.svc.Apply(ctx, applicant, mentoring.Application{Types: []string{"vestibular", "dizzy"}, Years: -1,
			TZOffsetMinutes: 9999, Availability: "101", Capacity: 9})
		for _, field := range []string{"types", "topics", "languages", "years", "tz_offset_minutes", "availability", "capacity"} {
			if fieldsOf(err)[field] == "" {
				t.Errorf("no error for %s: %v", field, err)
			}
		}
		if _, err := f.svc.Apply(ctx, applicant, application("vestibular", "chronic")); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.ReviewApplication(ctx, applicant, applicant.User.ID, mentoring.Review{Decision: "approve"})
		wantCode(t, "applicant reviews themself", err, apperr.CodeForbidden)
		_, err = f.svc.ReviewApplication(ctx, otherAdmin, applicant.User.ID, mentoring.Review{Decision: "approve"})
		wantCode(t, "admin of another community reviews", err, apperr.CodeNotFound)
		_, err = f.svc.ReviewApplication(ctx, admin, applicant.User.ID, mentoring.Review{Decision: "reject"})
		if fieldsOf(err)["reason"] == "" {
			t.Errorf("a rejection without a reason: %v, want a reason asked for", err)
		}
		if _, err := f.svc.ReviewApplication(ctx, admin, applicant.User.ID, mentoring.Review{Decision: "approve", TrainingCompleted: true}); err != nil {
			t.Fatal(err)
		}
		// A fitting mentor in another community is never offered.
		f.mentor(t, otherAdmin, "Faraway", "vestibular")

		mentee := f.member(t, admin, "Wren")
		_, err = f.svc.Ask(ctx, mentee, mentoring.RequestInput{Reason: "new-diagnosis"})
		wantCode(t, "a request without consent or topics", err, apperr.CodeInvalid)
		r, err := f.svc.Ask(ctx, mentee, request("vestibular"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != mentoring.RequestOffered {
			t.Fatalf("request status %s, want offered to the one fitting mentor", r.Status)
		}
		_, err = f.svc.Ask(ctx, mentee, request("vestibular"))
		wantCode(t, "a second open request", err, apperr.CodeConflict)

		offers := pending(t, f, applicant)
		if len(offers) != 1 || !strings.Contains(strings.Join(offers[0].Reasons, "; "), "estibular") {
			t.Fatalf("offers %+v, want one with its reasons naming vestibular", offers)
		}
		_, err = f.svc.Accept(ctx, mentee, offers[0].ID)
		wantCode(t, "the mentee accepts the mentor's offer", err, apperr.CodeNotFound)
		_, err = f.svc.Accept(ctx, otherAdmin, offers[0].ID)
		wantCode(t, "another community accepts", err, apperr.CodeNotFound)
		ship, err := f.svc.Accept(ctx, applicant, offers[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if ship.MentorID != applicant.User.ID || ship.MenteeID != mentee.User.ID || ship.Status != mentoring.MentorshipActive {
			t.Errorf("mentorship %+v, want Heron mentoring Wren, active", ship)
		}
		_, err = f.svc.Accept(ctx, applicant, offers[0].ID)
		wantCode(t, "accepting twice", err, apperr.CodeConflict)
		wantCode(t, "declining an accepted offer", f.svc.Decline(ctx, applicant, offers[0].ID, ""), apperr.CodeConflict)

		st, err := f.svc.MyRequests(ctx, mentee)
		if err != nil || len(st) != 1 || st[0].Status != mentoring.RequestMatched || st[0].Mentorship == nil {
			t.Fatalf("mentee's requests %+v (%v), want one matched with its mentorship", st, err)
		}
		for _, who := range []*accounts.Principal{applicant, mentee} {
			ms, err := f.svc.MyMentorships(ctx, who)
			if err != nil || len(ms) != 1 || ms[0].ID != ship.ID {
				t.Errorf("%s's mentorships %+v (%v), want the new one", who.User.DisplayName, ms, err)
			}
		}
		outsider := f.member(t, admin, "Moth")
		if ms, err := f.svc.MyMentorships(ctx, outsider); err != nil || len(ms) != 0 {
			t.Errorf("an outsider sees mentorships %+v (%v)", ms, err)
		}
		_, err = f.svc.End(ctx, outsider, ship.ID, "")
		wantCode(t, "an outsider ends it", err, apperr.CodeNotFound)
		_, err = f.svc.LeaveFeedback(ctx, mentee, ship.ID, 9, "")
		wantCode(t, "a rating of 9", err, apperr.CodeInvalid)
		if _, err := f.svc.LeaveFeedback(ctx, mentee, ship.ID, 5, "Kind and patient."); err != nil {
			t.Errorf("feedback: %v", err)
		}
	})
}

// An offer declined, or left past its deadline, passes to the next
// mentor who fits; with nobody left the request waits.
func TestOffersPassOnWhenDeclinedOrExpired(t *testing.T) {
	eachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.tenant(t, "pass")
		first := f.mentor(t, admin, "Alder", "chronic")
		second := f.mentor(t, admin, "Birch", "chronic")
		mentee := f.member(t, admin, "Cedar")
		if _, err := f.svc.Ask(ctx, mentee, request("chronic")); err != nil {
			t.Fatal(err)
		}
		holder := func() (*accounts.Principal, mentoring.OfferView) {
			t.Helper()
			var who *accounts.Principal
			var offer mentoring.OfferView
			n := 0
			for _, m := range []*accounts.Principal{first, second} {
				if os := pending(t, f, m); len(os) > 0 {
					who, offer, n = m, os[0], n+len(os)
				}
			}
			if n != 1 {
				t.Fatalf("%d pending offers, want exactly 1", n)
			}
			return who, offer
		}
		asked, offer := holder()
		if err := f.svc.Decline(ctx, asked, offer.ID, "not this month"); err != nil {
			t.Fatal(err)
		}
		next, offer := holder()
		if next.User.ID == asked.User.ID {
			t.Fatal("the declined offer went back to the mentor who declined it")
		}
		f.clock.Advance(mentoring.DefaultConfig().OfferTTL + time.Minute)
		if err := f.svc.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if os := pending(t, f, next); len(os) != 0 {
			t.Errorf("an offer past its deadline is still pending: %+v", os)
		}
		all, err := f.svc.MyOffers(ctx, next)
		if err != nil || len(all) != 1 || all[0].ID != offer.ID || all[0].Status != mentoring.OfferExpired {
			t.Errorf("the late mentor's offers %+v (%v), want the one, expired", all, err)
		}
		st, err := f.svc.MyRequests(ctx, mentee)
		if err != nil || len(st) != 1 || st[0].Status != mentoring.RequestWaiting {
			t.Fatalf("after both mentors passed: %+v (%v), want the request waiting", st, err)
		}
		if err := f.svc.Cancel(ctx, mentee, st[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Ask(ctx, mentee, request("chronic")); err != nil {
			t.Errorf("a new request after cancelling: %v", err)
		}
	})
}

type discardMailer struct{}

func (discardMailer) PasswordReset(context.Context, *store.Tx, accounts.Tenant, accounts.User, string, bool) error {
	return nil
}
func (discardMailer) ConfirmAddress(context.Context, *store.Tx, accounts.Tenant, accounts.User, string) error {
	return nil
}
func (discardMailer) SignUpAttempt(context.Context, *store.Tx, accounts.Tenant, accounts.User) error {
	return nil
}
func (discardMailer) Queued() {}
