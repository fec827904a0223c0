package mentoring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
	"quietroom/internal/textcheck"
)

// RequestInput is what a mentee tells us.
type RequestInput struct {
	Reason          string   `json:"reason"` // new-diagnosis or new-treatment
	Types           []string `json:"types"`
	Treatments      []string `json:"treatments"`
	Topics          []string `json:"topics"`
	Languages       []string `json:"languages"`
	TZOffsetMinutes int      `json:"tz_offset_minutes"`
	Availability    string   `json:"availability"`
	SameType        string   `json:"same_type"` // "", preferred, required
	Note            string   `json:"note"`
	// Consent to share this request with the matched mentor.
	Consent bool `json:"consent"`
}

// Ask opens p's request for a mentor. One open request at a time.
func (s *Service) Ask(ctx context.Context, p *accounts.Principal, in RequestInput) (Request, error) {
	bad := apperr.Fields{}
	if in.Reason != "new-diagnosis" && in.Reason != "new-treatment" {
		bad.Add("reason", "must be new-diagnosis or new-treatment")
	}
	types, msg := pick(in.Types, MigraineTypes(), 0)
	bad.AddIf("types", msg)
	treatments, msg := pick(in.Treatments, Treatments(), 0)
	bad.AddIf("treatments", msg)
	topics, msg := pick(in.Topics, Topics(), 1)
	bad.AddIf("topics", msg)
	langs, msg := pick(in.Languages, Languages(), 1)
	bad.AddIf("languages", msg)
	if in.TZOffsetMinutes < -12*60 || in.TZOffsetMinutes > 14*60 {
		bad.Add("tz_offset_minutes", "must be a time zone offset from -720 to 840 minutes")
	}
	bad.AddIf("availability", checkAvailability(in.Availability))
	switch in.SameType {
	case "", "preferred":
	case "required":
		if len(types) == 0 {
			bad.Add("same_type", "name your migraine type to require a mentor who shares it")
		}
	default:
		bad.Add("same_type", "must be empty, preferred or required")
	}
	note, msg := textcheck.Text(in.Note, 0, 1000)
	bad.AddIf("note", msg)
	if !in.Consent {
		bad.Add("consent", "a mentor can only help if they may read your request")
	}
	if err := bad.Err(); err != nil {
		return Request{}, err
	}
	if err := s.checkNoOpenRequest(ctx, p); err != nil {
		return Request{}, err
	}
	var active int64
	if err := s.db.WithContext(ctx).Model(&Mentorship{}).Where("tenant_id = ? AND mentee_id = ? AND status = ?",
		p.Tenant.ID, p.User.ID, MentorshipActive).Count(&active).Error; err != nil {
		return Request{}, fmt.Errorf("active mentorships: %w", err)
	}
	if active > 0 {
		return Request{}, apperr.Conflict("you have a mentor: to change, use \"not a good fit\" in your mentorship")
	}
	now := s.now()
	r := Request{ID: store.NewID(), TenantID: p.Tenant.ID, MenteeID: p.User.ID, Status: RequestWaiting, Reason: in.Reason,
		Types: join(types), Treatments: join(treatments), Topics: join(topics), Languages: join(langs),
		TZOffsetMinutes: in.TZOffsetMinutes, Availability: in.Availability, SameType: in.SameType, Note: note,
		Consent: true, Teen: p.User.AgeBracket == accounts.Teen, CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return Request{}, fmt.Errorf("save request: %w", err)
	}
	// With no batch window the request is offered now; otherwise it waits
	// for its window to close, and the worker is told when that is.
	s.kick(ctx, p.Tenant.ID)
	s.poke()
	return s.request(ctx, p.Tenant.ID, r.ID)
}

// checkNoOpenRequest refuses a second open request: one at a time.
func (s *Service) checkNoOpenRequest(ctx context.Context, p *accounts.Principal) error {
	var open int64
	if err := s.db.WithContext(ctx).Model(&Request{}).Where("tenant_id = ? AND mentee_id = ? AND status IN ?",
		p.Tenant.ID, p.User.ID, []string{RequestWaiting, RequestOffered}).Count(&open).Error; err != nil {
		return fmt.Errorf("open requests: %w", err)
	}
	if open > 0 {
		return apperr.Conflict("you already have a request waiting for a mentor")
	}
	return nil
}

func (s *Service) request(ctx context.Context, tenantID, id string) (Request, error) {
	var r Request
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Request{}, apperr.NotFound("there is no such request")
	}
	if err != nil {
		return Request{}, fmt.Errorf("request %s: %w", id, err)
	}
	return r, nil
}

// RequestStatus is a mentee's request as they follow it.
type RequestStatus struct {
	Request
	// Step says in words where the request is.
	Step       string      `json:"step"`
	Mentorship *Mentorship `json:"mentorship,omitempty"`
	// Offers counts how many mentors were asked so far.
	Offers int `json:"offers"`
	// OfferDeadline is when the mentor asked now must answer by (the
	// request passes on then), while the request is offered.
	OfferDeadline *time.Time `json:"offer_deadline,omitempty"`
	// MatchAt is when the request's batch window closes and it is matched
	// together with the others that arrived in the same window, while it
	// waits for that.
	MatchAt *time.Time `json:"match_at,omitempty"`
}

// MyRequests lists p's requests, newest first, with where each stands.
func (s *Service) MyRequests(ctx context.Context, p *accounts.Principal) ([]RequestStatus, error) {
	var rs []Request
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND mentee_id = ?", p.Tenant.ID, p.User.ID).
		Order("created_at DESC").Limit(20).Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("my requests: %w", err)
	}
	set, err := s.settings(ctx, p.Tenant.ID)
	if err != nil {
		return nil, err
	}
	window := set.batchWindow()
	opened := windowOpened(s.now(), window)
	out := make([]RequestStatus, 0, len(rs))
	for _, r := range rs {
		st := RequestStatus{Request: r}
		var n int64
		if err := s.db.WithContext(ctx).Model(&Offer{}).Where("tenant_id = ? AND request_id = ?", r.TenantID, r.ID).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("offers of request: %w", err)
		}
		st.Offers = int(n)
		switch r.Status {
		case RequestWaiting:
			st.Step = "We are looking for a mentor who fits. This can take a little while."
			if window > 0 && !r.CreatedAt.Before(opened) {
				at := r.CreatedAt.UTC().Truncate(window).Add(window)
				st.MatchAt = &at
				st.Step = "We will look for a mentor at " + deadlineWords(at) + ", together with everyone else who asked in the same few minutes, so that everyone gets the best fit."
			}
		case RequestOffered:
			var o Offer
			err := s.db.WithContext(ctx).Where("tenant_id = ? AND request_id = ? AND status = ?", r.TenantID, r.ID, OfferPending).
				Order("created_at DESC").Limit(1).Find(&o).Error
			if err != nil {
				return nil, fmt.Errorf("pending offer of request: %w", err)
			}
			st.Step = "A mentor has been asked to answer."
			if o.ID != "" {
				d := o.Deadline
				st.OfferDeadline = &d
				st.Step = "A mentor has been asked and has until " + deadlineWords(d) + " to answer; if they cannot, the next mentor who fits is asked."
			}
		case RequestMatched:
			var m Mentorship
			if err := s.db.WithContext(ctx).Where("tenant_id = ? AND request_id = ?", r.TenantID, r.ID).Order("started_at DESC").Take(&m).Error; err == nil {
				st.Mentorship = &m
			}
			st.Step = "You have a mentor. Say hello in your private conversation."
			if st.Mentorship != nil && st.Mentorship.Status == MentorshipEnded {
				st.Step = "This mentorship has ended."
			}
		case RequestCancelled:
			st.Step = "You cancelled this request."
		}
		out = append(out, st)
	}
	return out, nil
}

// Cancel withdraws p's open request and any offer waiting on it.
func (s *Service) Cancel(ctx context.Context, p *accounts.Principal, requestID string) error {
	r, err := s.request(ctx, p.Tenant.ID, requestID)
	if err != nil {
		return err
	}
	if r.MenteeID != p.User.ID {
		return apperr.NotFound("there is no such request")
	}
	if r.Status != RequestWaiting && r.Status != RequestOffered {
		return apperr.Conflict("this request is %s: there is nothing to cancel", r.Status)
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Offer{}).Where("tenant_id = ? AND request_id = ? AND status = ?", r.TenantID, r.ID, OfferPending).
			Updates(map[string]any{"status": OfferWithdrawn, "decided_at": now}).Error; err != nil {
			return fmt.Errorf("withdraw offers: %w", err)
		}
		return tx.Model(&Request{}).Where("tenant_id = ? AND id = ?", r.TenantID, r.ID).
			Updates(map[string]any{"status": RequestCancelled, "updated_at": now}).Error
	})
}
