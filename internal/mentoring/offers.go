package mentoring

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/mentoring/match"
	"quietroom/internal/store"
	"quietroom/internal/textcheck"
)

// kick offers the tenant's due waiting requests (see offerBatch). It is
// called whenever something changes who could mentor whom; a failure is
// logged and retried by the next tick.
func (s *Service) kick(ctx context.Context, tenantID string) {
	if _, err := s.offerBatch(ctx, tenantID, false); err != nil && ctx.Err() == nil {
		s.log.Warn("make mentor offers", "tenant", tenantID, "err", err)
	}
}

// maxBatch is the most requests one batch assigns; older requests first.
// The matcher takes well under a second for 5,000 × 1,000.
const maxBatch = 5000

// offerBatch offers waiting requests all at once with the batch matcher
// (match.AssignBatch): the most mentees matched, then the best total fit,
// with the places that offers already waiting on a mentor hold counted as
// taken, so no mentor is offered more requests than free places. Without
// all, only due requests are offered: those that arrived before the
// tenant's current batch window opened (every waiting request when the
// window is 0), so the requests of one window are matched together once
// it closes. It returns how many offers it made.
func (s *Service) offerBatch(ctx context.Context, tenantID string, all bool) (int, error) {
	s.matchMu.Lock()
	defer s.matchMu.Unlock()
	set, err := s.settings(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	now := s.now()
	q := s.db.WithContext(ctx).Where("tenant_id = ? AND status = ?", tenantID, RequestWaiting)
	if !all {
		q = q.Where("created_at < ?", windowOpened(now, set.batchWindow()))
	}
	var waiting []Request
	if err := q.Order("created_at").Limit(maxBatch).Find(&waiting).Error; err != nil {
		return 0, fmt.Errorf("waiting requests: %w", err)
	}
	if len(waiting) == 0 {
		return 0, nil
	}
	mentors, err := s.matchMentors(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	for i := range mentors {
		mentors[i].Load += mentors[i].PendingOffers
	}
	reqs := make([]match.Request, len(waiting))
	byID := make(map[string]Request, len(waiting))
	for i, r := range waiting {
		ex, err := s.excluded(ctx, r)
		if err != nil {
			return 0, err
		}
		reqs[i] = toMatchRequest(r, ex)
		byID[r.ID] = r
	}
	made := 0
	for _, pair := range match.AssignBatch(reqs, mentors, set.Weights, now).Pairs {
		r := byID[pair.RequestID]
		o := Offer{ID: store.NewID(), TenantID: r.TenantID, RequestID: r.ID, MentorID: pair.MentorID, Status: OfferPending,
			Score: float64(pair.Score), Reasons: strings.Join(pair.Reasons, "\n"), Deadline: now.Add(time.Duration(set.OfferHours) * time.Hour), CreatedAt: now}
		err := s.db.InTx(ctx, func(stx *store.Tx) error {
			tx := stx.ORM(ctx)
			res := tx.Model(&Request{}).Where("tenant_id = ? AND id = ? AND status = ?", r.TenantID, r.ID, RequestWaiting).
				Updates(map[string]any{"status": RequestOffered, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return errStale // someone else moved the request on
			}
			if err := tx.Create(&o).Error; err != nil {
				return err
			}
			return s.mail(ctx, stx, r.TenantID, o.MentorID, codeOffer, messageOffer)
		})
		if errors.Is(err, errStale) {
			continue
		}
		if err != nil {
			return made, fmt.Errorf("offer request %s: %w", r.ID, err)
		}
		made++
		s.notify(ctx, r.TenantID, o.MentorID, codeOffer, messageOffer)
	}
	return made, nil
}

// NextWindowClose is when the earliest open batch window with a request
// waiting in it closes, across tenants; ok is false when no request waits
// for its window. The worker wakes then.
func (s *Service) NextWindowClose(ctx context.Context) (at time.Time, ok bool, err error) {
	now := s.now()
	var tenants []string
	if err := s.db.WithContext(ctx).Model(&Request{}).Where("status = ? AND created_at >= ?", RequestWaiting, now.Add(-MaxBatchWindowMinutes*time.Minute)).
		Distinct().Pluck("tenant_id", &tenants).Error; err != nil {
		return time.Time{}, false, fmt.Errorf("tenants with new requests: %w", err)
	}
	for _, t := range tenants {
		set, err := s.settings(ctx, t)
		if err != nil {
			return time.Time{}, false, err
		}
		w := set.batchWindow()
		if w <= 0 {
			continue
		}
		opened := windowOpened(now, w)
		var n int64
		if err := s.db.WithContext(ctx).Model(&Request{}).Where("tenant_id = ? AND status = ? AND created_at >= ?", t, RequestWaiting, opened).
			Count(&n).Error; err != nil {
			return time.Time{}, false, fmt.Errorf("requests in the open window: %w", err)
		}
		if n > 0 && (!ok || opened.Add(w).Before(at)) {
			at, ok = opened.Add(w), true
		}
	}
	return at, ok, nil
}

// excluded lists the mentors a request must never be offered: the mentee
// themself, blocked pairs, mentors who already declined or let an offer
// for it expire, and pairs whose mentorship ended.
func (s *Service) excluded(ctx context.Context, r Request) (map[string]bool, error) {
	ex := map[string]bool{r.MenteeID: true}
	var ids []string
	if err := s.db.WithContext(ctx).Model(&Offer{}).Where("tenant_id = ? AND request_id = ?", r.TenantID, r.ID).
		Pluck("mentor_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("earlier offers: %w", err)
	}
	for _, id := range ids {
		ex[id] = true
	}
	ids = nil
	if err := s.db.WithContext(ctx).Model(&Mentorship{}).Where("tenant_id = ? AND mentee_id = ?", r.TenantID, r.MenteeID).
		Pluck("mentor_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("earlier mentorships: %w", err)
	}
	for _, id := range ids {
		ex[id] = true
	}
	var blocks []Block
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND (user_id = ? OR blocked_id = ?)", r.TenantID, r.MenteeID, r.MenteeID).
		Find(&blocks).Error; err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	for _, b := range blocks {
		ex[b.UserID], ex[b.BlockedID] = true, true
	}
	ex[r.MenteeID] = true
	return ex, nil
}

var errStale = errors.New("changed meanwhile")

// OfferView is an offer as the mentor sees it, with the request's details
// (the mentee consented to share them) and why they were matched.
type OfferView struct {
	Offer
	Reasons []string `json:"reasons"`
	Request Request  `json:"request"`
}

// MyOffers lists offers made to p (the mentor's inbox), pending first.
func (s *Service) MyOffers(ctx context.Context, p *accounts.Principal) ([]OfferView, error) {
	var os []Offer
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND mentor_id = ?", p.Tenant.ID, p.User.ID).
		Order("created_at DESC").Limit(50).Find(&os).Error; err != nil {
		return nil, fmt.Errorf("my offers: %w", err)
	}
	out := make([]OfferView, 0, len(os))
	for _, o := range os {
		r, err := s.request(ctx, o.TenantID, o.RequestID)
		if apperr.CodeOf(err) == apperr.CodeNotFound {
			continue // the mentee's account was deleted
		}
		if err != nil {
			return nil, err
		}
		reasons := []string{}
		if o.Reasons != "" {
			reasons = strings.Split(o.Reasons, "\n")
		}
		out = append(out, OfferView{Offer: o, Reasons: reasons, Request: r})
	}
	return out, nil
}

func (s *Service) myOffer(ctx context.Context, p *accounts.Principal, offerID string) (Offer, error) {
	var o Offer
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ? AND mentor_id = ?", p.Tenant.ID, offerID, p.User.ID).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Offer{}, apperr.NotFound("there is no such offer")
	}
	if err != nil {
		return Offer{}, fmt.Errorf("offer %s: %w", offerID, err)
	}
	if o.Status != OfferPending {
		return Offer{}, apperr.Conflict("this offer is %s: it can no longer be answered", o.Status)
	}
	if !s.now().Before(o.Deadline) {
		return Offer{}, apperr.Conflict("this offer's deadline has passed")
	}
	return o, nil
}

// Decline passes the request to the next candidate.
func (s *Service) Decline(ctx context.Context, p *accounts.Principal, offerID, reason string) error {
	o, err := s.myOffer(ctx, p, offerID)
	if err != nil {
		return err
	}
	reason, msg := textcheck.Text(reason, 0, 500)
	if msg != "" {
		return apperr.InvalidField("reason", msg)
	}
	if err := s.closeOffer(ctx, o, OfferDeclined, reason); err != nil {
		return err
	}
	s.kick(ctx, o.TenantID)
	return nil
}

// closeOffer ends a pending offer and puts its request back to waiting.
func (s *Service) closeOffer(ctx context.Context, o Offer, status, reason string) error {
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Offer{}).Where("tenant_id = ? AND id = ? AND status = ?", o.TenantID, o.ID, OfferPending).
			Updates(map[string]any{"status": status, "decline_reason": reason, "decided_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict("this offer was answered meanwhile")
		}
		return tx.Model(&Request{}).Where("tenant_id = ? AND id = ? AND status = ?", o.TenantID, o.RequestID, RequestOffered).
			Updates(map[string]any{"status": RequestWaiting, "updated_at": now}).Error
	})
}

// withdrawOffersOf passes every offer waiting on a mentor to the next
// candidate (they paused, or their approval was withdrawn).
func (s *Service) withdrawOffersOf(ctx context.Context, tenantID, mentorID string) error {
	return s.withdrawOffers(ctx, tenantID, []string{mentorID}, "mentor paused")
}

// withdrawOffers passes every offer waiting on the mentors to the next
// candidates, recording why.
func (s *Service) withdrawOffers(ctx context.Context, tenantID string, mentorIDs []string, why string) error {
	var os []Offer
	if err := s.db.WithContext(ctx).Where("tenant_id = ? AND mentor_id IN ? AND status = ?", tenantID, mentorIDs, OfferPending).
		Find(&os).Error; err != nil {
		return fmt.Errorf("offers to withdraw: %w", err)
	}
	for _, o := range os {
		if err := s.closeOffer(ctx, o, OfferWithdrawn, why); err != nil && apperr.CodeOf(err) != apperr.CodeConflict {
			return err
		}
	}
	if len(os) > 0 {
		s.kick(ctx, tenantID)
	}
	return nil
}

// Tick expires offers past their deadline (passing their requests on) and
// reminds mentors of offers close to it. The worker calls it every minute.
func (s *Service) Tick(ctx context.Context) error {
	// Mentors whose youth vetting expired keep no teen.
	if err := s.safeguardExpired(ctx); err != nil {
		return err
	}
	now := s.now()
	var expired []Offer
	if err := s.db.WithContext(ctx).Where("status = ? AND deadline <= ?", OfferPending, now).Limit(1000).Find(&expired).Error; err != nil {
		return fmt.Errorf("expired offers: %w", err)
	}
	tenants := map[string]bool{}
	for _, o := range expired {
		if err := s.closeOffer(ctx, o, OfferExpired, ""); err != nil && apperr.CodeOf(err) != apperr.CodeConflict {
			return err
		}
		tenants[o.TenantID] = true
	}
	var due []Offer
	if err := s.db.WithContext(ctx).Where("status = ? AND reminded_at IS NULL AND deadline <= ?", OfferPending, now.Add(s.cfg.RemindBefore)).
		Limit(1000).Find(&due).Error; err != nil {
		return fmt.Errorf("offers to remind: %w", err)
	}
	for _, o := range due {
		// Every replica's worker sees the same due offers: the one whose
		// update marks the offer sends its reminder (its mail queued in
		// the same transaction), the others skip it.
		err := s.db.InTx(ctx, func(stx *store.Tx) error {
			res := stx.ORM(ctx).Model(&Offer{}).Where("tenant_id = ? AND id = ? AND reminded_at IS NULL", o.TenantID, o.ID).Update("reminded_at", now)
			if res.Error != nil {
				return fmt.Errorf("mark reminder: %w", res.Error)
			}
			if res.RowsAffected == 0 {
				return errStale
			}
			return s.mail(ctx, stx, o.TenantID, o.MentorID, codeOfferReminder, messageOfferReminder)
		})
		if errors.Is(err, errStale) {
			continue
		}
		if err != nil {
			return err
		}
		s.notify(ctx, o.TenantID, o.MentorID, codeOfferReminder, messageOfferReminder)
	}
	if err := s.withdrawFromResting(ctx); err != nil {
		return err
	}
	// Waiting requests get another look: mentors may have freed up.
	var waitingTenants []string
	if err := s.db.WithContext(ctx).Model(&Request{}).Where("status = ?", RequestWaiting).Distinct().Pluck("tenant_id", &waitingTenants).Error; err != nil {
		return fmt.Errorf("tenants with waiting requests: %w", err)
	}
	for _, t := range waitingTenants {
		tenants[t] = true
	}
	for t := range tenants {
		s.kick(ctx, t)
	}
	return nil
}
