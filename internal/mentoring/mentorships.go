package mentoring

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/textcheck"
)

// MentorshipView is a mentorship as one of its two people sees it.
type MentorshipView struct {
	Mentorship
	Role         string `json:"role"` // mentor or mentee
	OtherName    string `json:"other_name"`
	Conversation string `json:"conversation"` // the address to subscribe to: mentorship:{id}
}

// MyMentorships lists p's mentorships as mentor and as mentee.
func (s *Service) MyMentorships(ctx context.Context, p *accounts.Principal) ([]MentorshipView, error) {
	var ms []Mentorship
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND (mentor_id = ? OR mentee_id = ?)", p.Tenant.ID, p.User.ID, p.User.ID).
		Order("started_at DESC").Limit(50).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("my mentorships: %w", err)
	}
	out := make([]MentorshipView, 0, len(ms))
	for _, m := range ms {
		v := MentorshipView{Mentorship: m, Role: "mentee", Conversation: m.Conversation().Address().String()}
		other := m.MentorID
		if m.MentorID == p.User.ID {
			v.Role, other = "mentor", m.MenteeID
		}
		var name string
		if err := s.db.WithContext(ctx).Table("users").Select("display_name").Where("tenant_id = ? AND id = ?", p.Tenant.ID, other).
			Scan(&name).Error; err != nil {
			return nil, fmt.Errorf("name in mentorship: %w", err)
		}
		if name == "" { // the account was deleted
			name = "former member"
		}
		v.OtherName = name
		out = append(out, v)
	}
	return out, nil
}

func (s *Service) mentorship(ctx context.Context, tenantID, id string) (Mentorship, error) {
	var m Mentorship
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Mentorship{}, apperr.NotFound("there is no such mentorship")
	}
	if err != nil {
		return Mentorship{}, fmt.Errorf("mentorship %s: %w", id, err)
	}
	return m, nil
}

// mine returns a mentorship p is part of; anyone else gets not found.
func (s *Service) mine(ctx context.Context, p *accounts.Principal, id string) (Mentorship, error) {
	m, err := s.mentorship(ctx, p.Tenant.ID, id)
	if err != nil {
		return Mentorship{}, err
	}
	if m.MentorID != p.User.ID && m.MenteeID != p.User.ID {
		return Mentorship{}, apperr.NotFound("there is no such mentorship")
	}
	return m, nil
}

// End ends an active mentorship; either side may. The pair is never
// matched again.
func (s *Service) End(ctx context.Context, p *accounts.Principal, id, reason string) (Mentorship, error) {
	m, err := s.mine(ctx, p, id)
	if err != nil {
		return Mentorship{}, err
	}
	if m.Status != MentorshipActive {
		return Mentorship{}, apperr.Conflict("this mentorship has already ended")
	}
	reason, msg := textcheck.Text(reason, 0, 500)
	if msg != "" {
		return Mentorship{}, apperr.InvalidField("reason", msg)
	}
	now := s.now()
	res := s.db.WithContext(ctx).Model(&Mentorship{}).Where("tenant_id = ? AND id = ? AND status = ?", m.TenantID, m.ID, MentorshipActive).
		Updates(map[string]any{"status": MentorshipEnded, "ended_at": now, "ended_by": p.User.ID, "end_reason": reason})
	if res.Error != nil {
		return Mentorship{}, fmt.Errorf("end mentorship: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return Mentorship{}, apperr.Conflict("this mentorship has already ended")
	}
	m.Status, m.EndedAt, m.EndedBy, m.EndReason = MentorshipEnded, &now, p.User.ID, reason
	s.accessChanged(ctx, m.TenantID, m.ID)
	other := m.MentorID
	if other == p.User.ID {
		other = m.MenteeID
	}
	s.notify(ctx, m.TenantID, other, "mentorship_ended", "Your mentorship has ended. Thank you for the time you shared.")
	s.kick(ctx, m.TenantID) // the mentor has room again
	return m, nil
}

// Rematch is the mentee saying "not a good fit": the mentorship ends and
// a new request, with the same details, waits for another mentor.
func (s *Service) Rematch(ctx context.Context, p *accounts.Principal, id string) (Request, error) {
	m, err := s.mine(ctx, p, id)
	if err != nil {
		return Request{}, err
	}
	if m.MenteeID != p.User.ID {
		return Request{}, apperr.Forbidden("only the mentee asks for a different match")
	}
	if err := s.checkNoOpenRequest(ctx, p); err != nil {
		return Request{}, err
	}
	if _, err := s.End(ctx, p, id, "not a good fit"); err != nil {
		return Request{}, err
	}
	old, err := s.request(ctx, m.TenantID, m.RequestID)
	if err != nil {
		return Request{}, err
	}
	now := s.now()
	r := old
	r.ID, r.Status, r.CreatedAt, r.UpdatedAt = store.NewID(), RequestWaiting, now, now
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return Request{}, fmt.Errorf("new request: %w", err)
	}
	s.kick(ctx, m.TenantID)
	return s.request(ctx, r.TenantID, r.ID)
}

// LeaveFeedback records (or replaces) p's rating of a mentorship.
func (s *Service) LeaveFeedback(ctx context.Context, p *accounts.Principal, id string, rating int, text string) (Feedback, error) {
	m, err := s.mine(ctx, p, id)
	if err != nil {
		return Feedback{}, err
	}
	bad := apperr.Fields{}
	if rating < 1 || rating > 5 {
		bad.Add("rating", "must be from 1 to 5")
	}
	text, msg := textcheck.Text(text, 0, 1000)
	bad.AddIf("text", msg)
	if err := bad.Err(); err != nil {
		return Feedback{}, err
	}
	f := Feedback{TenantID: m.TenantID, MentorshipID: m.ID, AuthorID: p.User.ID, Rating: rating, Text: text, CreatedAt: s.now()}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&f).Error; err != nil {
		return Feedback{}, fmt.Errorf("save feedback: %w", err)
	}
	return f, nil
}

// Resolve is mentoring's conversation.Resolver: the private conversation
// of the mentorship with id key. Its two people read and (while active)
// write; for a teen mentee the community's moderators may read it, and
// messages carrying contact details wait for a moderator.
func (s *Service) Resolve(ctx context.Context, p *accounts.Principal, id string) (conversation.Access, error) {
	m, err := s.mentorship(ctx, p.Tenant.ID, id)
	if err != nil {
		return conversation.Access{}, err
	}
	party := m.MentorID == p.User.ID || m.MenteeID == p.User.ID
	safeguarding := m.Teen && (p.IsModerator() || p.IsAdmin())
	if !party && !safeguarding {
		return conversation.Access{}, apperr.NotFound("there is no such conversation")
	}
	a := conversation.Access{Conversation: m.Conversation(), CanRead: true, Moderating: safeguarding}
	switch {
	case !party:
		a.Reason = "moderators read teen mentorships for safeguarding; they do not write in them"
	case m.Status != MentorshipActive:
		a.Reason = "this mentorship has ended"
	default:
		a.CanPost = true
	}
	return a, nil
}
