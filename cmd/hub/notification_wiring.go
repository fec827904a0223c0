package main

import (
	"context"
	"fmt"
	"time"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/mail"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// mailMembers lets the mail notifications read members and issue
// unsubscribe tokens through accounts (mail.Members).
type mailMembers struct{ accounts **accounts.Service }

func (m mailMembers) NotificationMember(ctx context.Context, tx *store.Tx, tenantID, userID string) (mail.Member, bool, error) {
	t, u, err := (*m.accounts).MailRecipient(ctx, tx, tenantID, userID)
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

// mentoringMails queues mentoring's mailed notices as notification mails,
// in the transaction of the event that causes them (mentoring.Mailer).
type mentoringMails struct{ notes *mail.Notifications }

func (m mentoringMails) MailNotice(ctx context.Context, tx *store.Tx, tenantID, userID, code, message string) error {
	what, ok := mentoringMail[code]
	if !ok {
		return nil
	}
	return m.notes.Notify(ctx, tx, mail.Notice{TenantID: tenantID, UserID: userID, Kind: accounts.MailMentoring, Title: what.title, Body: message, Path: what.path})
}

// decisionMails tells reporters what became of their flag and authors what
// became of their held post, in the transaction that records the outcome.
// Crisis items are never mailed.
func decisionMails(notes *mail.Notifications) func(context.Context, *store.Tx, moderation.ItemDecided) error {
	return func(ctx context.Context, tx *store.Tx, d moderation.ItemDecided) error {
		if d.Crisis {
			return nil
		}
		where, name := "/groups/"+d.GroupSlug, d.GroupSlug
		if d.Conversation.Kind == conversation.Mentorship {
			where, name = "/mentoring/m/"+d.Conversation.Key, "your mentorship"
		}
		for _, id := range d.ReporterIDs {
			body := "A moderator looked at the message you flagged in " + name + " and decided it can stay. Thank you for telling us: flags help even when nothing needs to change."
			if d.Outcome == "removed" {
				body = "A moderator looked at the message you flagged in " + name + " and removed it. Thank you for looking out for others."
			}
			if err := notes.Notify(ctx, tx, mail.Notice{TenantID: d.TenantID, UserID: id, Kind: accounts.MailFlagOutcomes,
				Title: "A flag you raised was decided", Body: body, Path: where}); err != nil {
				return fmt.Errorf("queue a flag outcome mail: %w", err)
			}
		}
		if d.Held && !d.Appeal && d.AuthorID != "" {
			n := mail.Notice{TenantID: d.TenantID, UserID: d.AuthorID, Kind: accounts.MailPostReviews, Path: where,
				Title: "Your post was approved", Body: "A moderator approved the post you wrote in " + name + ": everyone in the group can read it now."}
			if d.Action == moderation.ActionRemove {
				n.Title, n.Path = "Your post was not published", "/settings"
				n.Body = "A moderator decided not to publish the post you wrote in " + name + ". If you think that was a mistake, you can appeal from your settings page, and another moderator will look at it."
			}
			if err := notes.Notify(ctx, tx, n); err != nil {
				return fmt.Errorf("queue a post review mail: %w", err)
			}
		}
		return nil
	}
}

// notificationConfig is the notifications' timing; tests shorten it.
func notificationConfig(d appDeps) mail.NotifyConfig {
	if d.notifyCfg != nil {
		return *d.notifyCfg
	}
	return mail.DefaultNotifyConfig()
}

// accountUsers gives the real-time service members' accounts as they are
// now (realtime.Members), from the accounts service made after it.
type accountUsers struct{ accounts **accounts.Service }

func (a accountUsers) User(ctx context.Context, tenantID, userID string) (*accounts.User, error) {
	return (*a.accounts).User(ctx, tenantID, userID)
}
