package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/mail"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// mailMembers lets the mail notifications read members and issue
// unsubscribe tokens through accounts (mail.Members).
type mailMembers struct{ accounts **accounts.Service }

func (m mailMembers) NotificationMember(ctx context.Context, tenantID, userID string) (mail.Member, bool, error) {
	t, u, err := (*m.accounts).MailRecipient(ctx, tenantID, userID)
	if apperr.CodeOf(err) == apperr.CodeNotFound {
		return mail.Member{}, false, nil
	}
	if err != nil {
		return mail.Member{}, false, err
	}
	prefs := u.Preferences()
	// Attack mode holds mail like quiet hours do: the digest goes out
	// once it ends.
	quiet := func(at time.Time) bool { return prefs.InQuietHours(at) || u.AttackMode(at).On }
	return mail.Member{Recipient: recipientOf(*t, *u), Confirmed: u.EmailConfirmed(), Wants: prefs.WantsMail, Quiet: quiet}, true, nil
}

func (m mailMembers) UnsubscribeToken(ctx context.Context, tx *store.Tx, tenantID, userID string, kinds []string) (string, error) {
	return (*m.accounts).IssueUnsubscribeToken(ctx, tx, tenantID, userID, kinds)
}

// mentoringMail says in a mail what mentoring tells members in the app:
// offers and their reminders to mentors, an accepted match to the mentee.
var mentoringMail = map[string]struct{ title, path string }{
	"mentor_offer":          {"Someone would like you as their mentor", "/mentoring/offers"},
	"mentor_offer_reminder": {"A reminder: an offer to mentor is waiting for your answer", "/mentoring/offers"},
	"mentor_matched":        {"A mentor accepted your request", "/mentoring"},
}

// mailingNotifier passes mentoring's notices to connected members and
// also queues them as mail. The notice is queued right after the event's
// own transaction (mentoring does not hand its transaction to notifiers),
// so a crash in between loses that one mail, never the event.
type mailingNotifier struct {
	live  mentoring.Notifier
	notes *mail.Notifications
	log   *slog.Logger
}

func (n mailingNotifier) Notify(ctx context.Context, tenantID string, userIDs []string, kind, code, message, group, itemID string) {
	n.live.Notify(ctx, tenantID, userIDs, kind, code, message, group, itemID)
	what, ok := mentoringMail[code]
	if !ok {
		return
	}
	for _, id := range userIDs {
		err := n.notes.Notify(ctx, nil, mail.Notice{TenantID: tenantID, UserID: id, Kind: accounts.MailMentoring, Title: what.title, Body: message, Path: what.path})
		if err != nil {
			n.log.Warn("could not queue a mentoring mail", "code", code, "err", err)
		}
	}
}

// decisionMails tells reporters what became of their flag and authors what
// became of their held post. Crisis items are never mailed.
func decisionMails(notes *mail.Notifications, log *slog.Logger) func(context.Context, moderation.ItemDecided) {
	return func(ctx context.Context, d moderation.ItemDecided) {
		if d.Crisis {
			return
		}
		where, name := "/groups/"+d.GroupSlug, d.GroupSlug
		if d.Conversation.Kind == conversation.Mentorship {
			where, name = "/mentoring/m/"+d.Conversation.Key, "your mentorship"
		}
		var errs []error
		for _, id := range d.ReporterIDs {
			body := "A moderator looked at the message you flagged in " + name + " and decided it can stay. Thank you for telling us: flags help even when nothing needs to change."
			if d.Outcome == "removed" {
				body = "A moderator looked at the message you flagged in " + name + " and removed it. Thank you for looking out for others."
			}
			errs = append(errs, notes.Notify(ctx, nil, mail.Notice{TenantID: d.TenantID, UserID: id, Kind: accounts.MailFlagOutcomes,
				Title: "A flag you raised was decided", Body: body, Path: where}))
		}
		if d.Held && !d.Appeal && d.AuthorID != "" {
			n := mail.Notice{TenantID: d.TenantID, UserID: d.AuthorID, Kind: accounts.MailPostReviews, Path: where,
				Title: "Your post was approved", Body: "A moderator approved the post you wrote in " + name + ": everyone in the group can read it now."}
			if d.Action == moderation.ActionRemove {
				n.Title, n.Path = "Your post was not published", "/settings"
				n.Body = "A moderator decided not to publish the post you wrote in " + name + ". If you think that was a mistake, you can appeal from your settings page, and another moderator will look at it."
			}
			errs = append(errs, notes.Notify(ctx, nil, n))
		}
		if err := errors.Join(errs...); err != nil {
			log.Warn("could not queue a moderation mail", "item", d.ItemID, "err", err)
		}
	}
}

// notificationConfig is the notifications' timing; tests shorten it.
func notificationConfig(d appDeps) mail.NotifyConfig {
	if d.notifyCfg != nil {
		return *d.notifyCfg
	}
	return mail.DefaultNotifyConfig()
}
