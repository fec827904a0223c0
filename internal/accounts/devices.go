package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
)

// Device is one signed-in session of a member, as the member sees it: where
// and when, never its token. ID is a handle made from the session's key, so
// the list can name a session to end without revealing anything that signs
// in.
type Device struct {
	ID         string    `json:"id"`
	Device     string    `json:"device"` // "Firefox on Linux", from the browser's User-Agent
	IP         string    `json:"ip,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Current    bool      `json:"current"`
}

// deviceHandle is the public id of a session.
func deviceHandle(sessionID string) string {
	sum := sha256.Sum256([]byte("device:" + sessionID))
	return hex.EncodeToString(sum[:8])
}

// Devices lists p's signed-in sessions, the most recently used first
// (connect tokens are not sessions a member signs into, and are left out).
func (s *Service) Devices(ctx context.Context, p *Principal) ([]Device, error) {
	var ss []Session
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND user_id = ? AND purpose = ? AND expires_at > ?",
		p.Tenant.ID, p.User.ID, PurposeSession, s.now()).Order("last_seen_at DESC, created_at DESC").Find(&ss).Error
	if err != nil {
		return nil, fmt.Errorf("sessions of %s: %w", p.User.ID, err)
	}
	out := make([]Device, 0, len(ss))
	for _, sess := range ss {
		out = append(out, Device{
			ID: deviceHandle(sess.ID), Device: describeAgent(sess.UserAgent), IP: sess.IP,
			CreatedAt: sess.CreatedAt, LastSeenAt: sess.LastSeenAt, ExpiresAt: sess.ExpiresAt, Current: sess.ID == p.Session.ID,
		})
	}
	return out, nil
}

// EndDevice signs p out on one of their devices (this one included), and
// closes its live connections. Another member's session, or one that has
// already ended, is not found.
func (s *Service) EndDevice(ctx context.Context, p *Principal, id string) (current bool, err error) {
	var ss []Session
	if err := s.db.WithContext(ctx).Select("id").Where("tenant_id = ? AND user_id = ? AND purpose = ?", p.Tenant.ID, p.User.ID, PurposeSession).
		Find(&ss).Error; err != nil {
		return false, fmt.Errorf("sessions of %s: %w", p.User.ID, err)
	}
	for _, sess := range ss {
		if deviceHandle(sess.ID) != id {
			continue
		}
		// The session and the connect tokens it issued end together.
		var ended int64
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Where("tenant_id = ? AND user_id = ? AND id = ?", p.Tenant.ID, p.User.ID, sess.ID).Delete(&Session{})
			if res.Error != nil {
				return res.Error
			}
			ended = res.RowsAffected
			return tx.Where("tenant_id = ? AND user_id = ? AND parent_id = ?", p.Tenant.ID, p.User.ID, sess.ID).Delete(&Session{}).Error
		})
		if err != nil {
			return false, fmt.Errorf("end session: %w", err)
		}
		if ended == 0 {
			break // ended meanwhile
		}
		s.sessionsEnded(ctx, p.Tenant.ID, p.User.ID, sess.ID, "")
		return sess.ID == p.Session.ID, nil
	}
	return false, apperr.NotFound("there is no signed-in device %s", id)
}

// describeAgent names a browser and system from a User-Agent in a few
// words; "Unknown device" when it says nothing recognisable.
func describeAgent(ua string) string {
	has := func(s string) bool { return strings.Contains(ua, s) }
	browser := ""
	switch {
	case has("Edg/"):
		browser = "Edge"
	case has("OPR/"):
		browser = "Opera"
	case has("Firefox/"):
		browser = "Firefox"
	case has("Chrome/") || has("Chromium/") || has("CriOS/"):
		browser = "Chrome"
	case has("Safari/") && has("Version/"):
		browser = "Safari"
	case has("curl/"):
		browser = "curl"
	}
	system := ""
	switch {
	case has("iPhone") || has("iPad"):
		system = "iOS"
	case has("Android"):
		system = "Android"
	case has("Windows"):
		system = "Windows"
	case has("Mac OS X") || has("Macintosh"):
		system = "macOS"
	case has("CrOS"):
		system = "ChromeOS"
	case has("Linux"):
		system = "Linux"
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "A browser on " + system
	}
	return "Unknown device"
}

// ListDevices: GET /me/sessions.
func (h *Handler) ListDevices(c *gin.Context) {
	ds, err := h.svc.Devices(c.Request.Context(), PrincipalFrom(c.Request.Context()))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sessions": ds})
}

// EndDevice: DELETE /me/sessions/{session}; ending the current one also
// clears its cookie.
func (h *Handler) EndDevice(c *gin.Context) {
	current, err := h.svc.EndDevice(c.Request.Context(), PrincipalFrom(c.Request.Context()), c.Param("session"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	if current {
		h.clearCookie(c, TenantFrom(c.Request.Context()))
	}
	c.Status(http.StatusNoContent)
}
