package mentoring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// errIneligible carries why a mentor may no longer take an offer; the
// offer is then withdrawn and passes to the next candidate.
type errIneligible struct{ why string }

func (e errIneligible) Error() string { return e.why }

// errFull: the mentor has no free place (they lowered their capacity): the
// offer, and every other waiting on them, passes on.
type errFull struct{ capacity int }

func (e errFull) Error() string {
	return fmt.Sprintf("you already mentor %d people, your most at once", e.capacity)
}

// Accept starts the mentorship. Every hard constraint is checked again
// inside the transaction that starts it, with the mentor's profile row
// locked (PostgreSQL: SELECT … FOR UPDATE; SQLite runs one write
// transaction at a time), so concurrent accepts never exceed the mentor's
// capacity and a mentor who lost their youth approval or whose vetting
// expired cannot take a teen. An offer the mentor may no longer take is
// withdrawn and passes on; when the mentor reaches capacity, their other
// pending offers pass on at once.
func (s *Service) Accept(ctx context.Context, p *accounts.Principal, offerID string) (Mentorship, error) {
	o, err := s.myOffer(ctx, p, offerID)
	if err != nil {
		return Mentorship{}, err
	}
	now := s.now()
	var m Mentorship
	full := false
	err = s.db.InTx(ctx, func(stx *store.Tx) error {
		tx := stx.ORM(ctx)
		var mp MentorProfile
		q := tx.Where("tenant_id = ? AND user_id = ?", o.TenantID, o.MentorID)
		if s.db.Dialect == store.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.Take(&mp).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errIneligible{"you are no longer a mentor here"}
			}
			return err
		}
		var cur Offer
		if err := tx.Where("tenant_id = ? AND id = ?", o.TenantID, o.ID).Take(&cur).Error; err != nil {
			return err
		}
		if cur.Status != OfferPending {
			return apperr.Conflict("this offer was answered meanwhile")
		}
		if !now.Before(cur.Deadline) {
			return apperr.Conflict("this offer's deadline has passed")
		}
		var r Request
		if err := tx.Where("tenant_id = ? AND id = ?", o.TenantID, o.RequestID).Take(&r).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return apperr.NotFound("this request no longer exists")
			}
			return err
		}
		if r.Status != RequestOffered {
			return apperr.Conflict("this request is %s now", r.Status)
		}
		switch {
		case mp.Status != MentorApproved:
			return errIneligible{"your mentor approval is no longer in force"}
		case mp.Paused:
			return apperr.Conflict("you are paused: resume to accept offers")
		case mp.TrainingCompletedAt == nil:
			return errIneligible{"your mentor training is not recorded"}
		case r.Teen && (!mp.YouthApproved || mp.AgeBracket != string(accounts.Adult)):
			return errIneligible{"this request is from a teen, and you are not approved to mentor teens"}
		case r.Teen && (mp.VettingExpiresAt == nil || !now.Before(*mp.VettingExpiresAt)):
			return errIneligible{"this request is from a teen, and your vetting has expired: ask an admin to renew it"}
		}
		var blocks int64
		if err := tx.Model(&Block{}).Where("tenant_id = ? AND ((user_id = ? AND blocked_id = ?) OR (user_id = ? AND blocked_id = ?))",
			o.TenantID, r.MenteeID, o.MentorID, o.MentorID, r.MenteeID).Count(&blocks).Error; err != nil {
			return err
		}
		if blocks > 0 {
			return errIneligible{"this pairing is no longer possible"}
		}
		var load int64
		if err := tx.Model(&Mentorship{}).Where("tenant_id = ? AND mentor_id = ? AND status = ?", o.TenantID, o.MentorID, MentorshipActive).
			Count(&load).Error; err != nil {
			return err
		}
		if int(load) >= mp.Capacity {
			return errFull{mp.Capacity}
		}
		res := tx.Model(&Offer{}).Where("tenant_id = ? AND id = ? AND status = ?", o.TenantID, o.ID, OfferPending).
			Updates(map[string]any{"status": OfferAccepted, "decided_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict("this offer was answered meanwhile")
		}
		if err := tx.Model(&Request{}).Where("tenant_id = ? AND id = ?", o.TenantID, o.RequestID).
			Updates(map[string]any{"status": RequestMatched, "updated_at": now}).Error; err != nil {
			return err
		}
		m = Mentorship{ID: store.NewID(), TenantID: o.TenantID, RequestID: o.RequestID, MentorID: o.MentorID, MenteeID: r.MenteeID,
			Status: MentorshipActive, Teen: r.Teen, StartedAt: now}
		full = int(load)+1 >= mp.Capacity
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		return s.mail(ctx, stx, m.TenantID, m.MenteeID, codeMatched, messageMatched)
	})
	var fullErr errFull
	if errors.As(err, &fullErr) {
		// Offers never wait on a full mentor: this one and the others pass on.
		if perr := s.passOnOffersOf(ctx, o.TenantID, o.MentorID, "mentor is full"); perr != nil {
			return Mentorship{}, errors.Join(apperr.Conflict("%s", fullErr), perr)
		}
		return Mentorship{}, apperr.Conflict("%s; your waiting offers have passed to other mentors (raise your capacity to be offered more)", fullErr)
	}
	var inel errIneligible
	if errors.As(err, &inel) {
		// The offer cannot stand: it passes to the next candidate.
		if cerr := s.closeOffer(ctx, o, OfferWithdrawn, inel.why); cerr != nil && apperr.CodeOf(cerr) != apperr.CodeConflict {
			return Mentorship{}, errors.Join(apperr.Conflict("%s", inel.why), cerr)
		}
		s.kick(ctx, o.TenantID)
		return Mentorship{}, apperr.Conflict("%s; the offer has passed to another mentor", inel.why)
	}
	if err != nil {
		return Mentorship{}, fmt.Errorf("accept offer %s: %w", o.ID, err)
	}
	s.notify(ctx, m.TenantID, m.MenteeID, codeMatched, messageMatched)
	if full {
		if err := s.passOnOffersOf(ctx, o.TenantID, o.MentorID, "mentor is full"); err != nil {
			s.log.Warn("pass on the offers of a full mentor", "mentor", o.MentorID, "err", err)
		}
	}
	return m, nil
}

// passOnOffersOf withdraws every offer waiting on a mentor, with a reason,
// and offers the requests to the next candidates.
func (s *Service) passOnOffersOf(ctx context.Context, tenantID, mentorID, reason string) error {
	var os []Offer
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND mentor_id = ? AND status = ?", tenantID, mentorID, OfferPending).
		Find(&os).Error; err != nil {
		return fmt.Errorf("pending offers of mentor %s: %w", mentorID, err)
	}
	for _, o := range os {
		if err := s.closeOffer(ctx, o, OfferWithdrawn, reason); err != nil && apperr.CodeOf(err) != apperr.CodeConflict {
			return err
		}
	}
	if len(os) > 0 {
		s.kick(ctx, tenantID)
	}
	return nil
}

// deadlineWords says an offer's deadline for a mentee's status line.
func deadlineWords(t time.Time) string {
	return t.UTC().Format("Mon 2 Jan 2006, 15:04 UTC")
}
