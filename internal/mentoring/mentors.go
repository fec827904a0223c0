package mentoring

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/textcheck"
)

// Application is what a member fills in to mentor.
type Application struct {
	Types           []string `json:"types"`
	Treatments      []string `json:"treatments"`
	Topics          []string `json:"topics"`
	Languages       []string `json:"languages"`
	Years           int      `json:"years"`
	TZOffsetMinutes int      `json:"tz_offset_minutes"`
	Availability    string   `json:"availability"`
	Capacity        int      `json:"capacity"`
	About           string   `json:"about"`
}

func (in Application) check(bad apperr.Fields) (MentorProfile, string) {
	var mp MentorProfile
	var msg string
	types, msg := pick(in.Types, MigraineTypes(), 1)
	bad.AddIf("types", msg)
	treatments, msg := pick(in.Treatments, Treatments(), 0)
	bad.AddIf("treatments", msg)
	topics, msg := pick(in.Topics, Topics(), 1)
	bad.AddIf("topics", msg)
	langs, msg := pick(in.Languages, Languages(), 1)
	bad.AddIf("languages", msg)
	if in.Years < 0 || in.Years > 80 {
		bad.Add("years", "must be from 0 to 80")
	}
	if in.TZOffsetMinutes < -12*60 || in.TZOffsetMinutes > 14*60 {
		bad.Add("tz_offset_minutes", "must be a time zone offset from -720 to 840 minutes")
	}
	bad.AddIf("availability", checkAvailability(in.Availability))
	if in.Capacity < 1 || in.Capacity > 5 {
		bad.Add("capacity", "must be from 1 to 5 mentees at once")
	}
	about, msg := textcheck.Text(in.About, 0, 1000)
	bad.AddIf("about", msg)
	mp = MentorProfile{Types: join(types), Treatments: join(treatments), Topics: join(topics), Languages: join(langs),
		Years: in.Years, TZOffsetMinutes: in.TZOffsetMinutes, Availability: in.Availability, Capacity: in.Capacity, About: about}
	return mp, ""
}

// Apply submits (or updates) p's application to mentor. An edit of an
// approved profile keeps the approval; the review stays with admins.
func (s *Service) Apply(ctx context.Context, p *accounts.Principal, in Application) (MentorProfile, error) {
	if p.User.AgeBracket != accounts.Adult {
		return MentorProfile{}, apperr.Forbidden("peer mentors are adults; teens are welcome to ask for a mentor instead")
	}
	bad := apperr.Fields{}
	mp, _ := in.check(bad)
	if err := bad.Err(); err != nil {
		return MentorProfile{}, err
	}
	now := s.now()
	cur, err := s.profile(ctx, p.Tenant.ID, p.User.ID)
	switch {
	case err == nil:
		mp.Status, mp.Paused, mp.TrainingCompletedAt, mp.YouthApproved, mp.VettingExpiresAt = cur.Status, cur.Paused, cur.TrainingCompletedAt, cur.YouthApproved, cur.VettingExpiresAt
		mp.ReviewReason, mp.ReviewedBy, mp.CreatedAt = cur.ReviewReason, cur.ReviewedBy, cur.CreatedAt
		if cur.Status == MentorRejected {
			mp.Status = MentorPending // a rejected applicant may apply again
		}
	case apperr.CodeOf(err) == apperr.CodeNotFound:
		mp.Status, mp.CreatedAt = MentorPending, now
	default:
		return MentorProfile{}, err
	}
	mp.TenantID, mp.UserID, mp.DisplayName, mp.AgeBracket, mp.UpdatedAt = p.Tenant.ID, p.User.ID, p.User.DisplayName, string(p.User.AgeBracket), now
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&mp).Error; err != nil {
		return MentorProfile{}, fmt.Errorf("save mentor application: %w", err)
	}
	// A mentor who lowered their capacity to what they already mentor is
	// full: offers waiting on them pass on at once instead of waiting out
	// their deadline on someone who cannot accept them.
	var load int64
	if err := s.db.WithContext(ctx).Model(&Mentorship{}).Where("tenant_id = ? AND mentor_id = ? AND status = ?", p.Tenant.ID, p.User.ID, MentorshipActive).
		Count(&load).Error; err != nil {
		return MentorProfile{}, fmt.Errorf("mentees of %s: %w", p.User.ID, err)
	}
	if int(load) >= mp.Capacity {
		if err := s.passOnOffersOf(ctx, p.Tenant.ID, p.User.ID, "mentor is full"); err != nil {
			return MentorProfile{}, err
		}
	}
	return mp, nil
}

func (s *Service) profile(ctx context.Context, tenantID, userID string) (MentorProfile, error) {
	var mp MentorProfile
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).Take(&mp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return MentorProfile{}, apperr.NotFound("there is no mentor application")
	}
	if err != nil {
		return MentorProfile{}, fmt.Errorf("mentor profile: %w", err)
	}
	return mp, nil
}

// MyProfile returns p's own application.
func (s *Service) MyProfile(ctx context.Context, p *accounts.Principal) (MentorProfile, error) {
	return s.profile(ctx, p.Tenant.ID, p.User.ID)
}

// reviewer: admins, and the moderators they trust with it.
func reviewer(p *accounts.Principal) error {
	if !p.IsAdmin() && !p.IsModerator() {
		return apperr.Forbidden("only admins and moderators review mentor applications")
	}
	return nil
}

// Applications lists mentor profiles by status for reviewers.
func (s *Service) Applications(ctx context.Context, p *accounts.Principal, status string) ([]MentorProfile, error) {
	if err := reviewer(p); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var out []MentorProfile
	if err := q.Order("created_at").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("mentor applications: %w", err)
	}
	return out, nil
}

// Review is a reviewer's decision on an application.
type Review struct {
	Decision string `json:"decision"` // approve or reject
	Reason   string `json:"reason"`
	// TrainingCompleted records the mentor training, now.
	TrainingCompleted bool `json:"training_completed"`
	// YouthApproved with VettingExpires allows mentoring teens until then.
	YouthApproved  bool       `json:"youth_approved"`
	VettingExpires *time.Time `json:"vetting_expires"`
}

// ReviewApplication approves or rejects a member's application.
func (s *Service) ReviewApplication(ctx context.Context, p *accounts.Principal, userID string, in Review) (MentorProfile, error) {
	if err := reviewer(p); err != nil {
		return MentorProfile{}, err
	}
	mp, err := s.profile(ctx, p.Tenant.ID, userID)
	if err != nil {
		return MentorProfile{}, err
	}
	if userID == p.User.ID {
		return MentorProfile{}, apperr.Forbidden("someone else reviews your own application")
	}
	now := s.now()
	bad := apperr.Fields{}
	reason, msg := textcheck.Text(in.Reason, 0, 500)
	bad.AddIf("reason", msg)
	switch in.Decision {
	case "approve":
		mp.Status = MentorApproved
	case "reject":
		mp.Status = MentorRejected
		if strings.TrimSpace(reason) == "" {
			bad.Add("reason", "say why, kindly: the applicant reads it")
		}
	default:
		bad.Add("decision", "must be approve or reject")
	}
	if in.YouthApproved {
		if in.VettingExpires == nil || !in.VettingExpires.After(now) {
			bad.Add("vetting_expires", "youth mentoring needs vetting with an expiry date in the future")
		}
		if mp.AgeBracket != "adult" {
			bad.Add("youth_approved", "only adult mentors mentor teens")
		}
	}
	if err := bad.Err(); err != nil {
		return MentorProfile{}, err
	}
	mp.ReviewReason, mp.ReviewedBy, mp.UpdatedAt = reason, p.User.ID, now
	if in.TrainingCompleted {
		mp.TrainingCompletedAt = &now
	}
	mp.YouthApproved, mp.VettingExpiresAt = in.YouthApproved, in.VettingExpires
	if err := s.db.WithContext(ctx).Save(&mp).Error; err != nil {
		return MentorProfile{}, fmt.Errorf("review mentor %s: %w", userID, err)
	}
	// A mentor who may no longer mentor teens keeps no teen offer or
	// mentorship (safeguard.go).
	if err := s.safeguardMentor(ctx, p.Tenant.ID, userID, "youth approval withdrawn"); err != nil {
		return MentorProfile{}, err
	}
	if mp.Status == MentorApproved {
		s.kick(ctx, p.Tenant.ID) // waiting requests may now have a mentor
	} else if err := s.withdrawOffersOf(ctx, p.Tenant.ID, userID); err != nil {
		return MentorProfile{}, err // a rejected mentor's offers pass on
	}
	return mp, nil
}

// SetPaused pauses (no new offers; offers waiting on the mentor pass to
// the next candidate) or resumes a mentor, in one action.
func (s *Service) SetPaused(ctx context.Context, p *accounts.Principal, paused bool) (MentorProfile, error) {
	mp, err := s.profile(ctx, p.Tenant.ID, p.User.ID)
	if err != nil {
		return MentorProfile{}, err
	}
	mp.Paused, mp.UpdatedAt = paused, s.now()
	if err := s.db.WithContext(ctx).Model(&MentorProfile{}).Where("tenant_id = ? AND user_id = ?", p.Tenant.ID, p.User.ID).
		Updates(map[string]any{"paused": paused, "updated_at": mp.UpdatedAt}).Error; err != nil {
		return MentorProfile{}, fmt.Errorf("pause mentor: %w", err)
	}
	if paused {
		if err := s.withdrawOffersOf(ctx, p.Tenant.ID, p.User.ID); err != nil {
			return MentorProfile{}, err
		}
	} else {
		s.kick(ctx, p.Tenant.ID)
	}
	return mp, nil
}
