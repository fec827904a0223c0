package main

import (
	"net/http"
	"testing"
)

// Issue 17: a notification mail is a row written in the same transaction
// as the event that causes it. So an event whose transaction rolls back
// (here: at commit, after the mail was written) queues no mail; a mail
// that cannot be written takes its event with it (no event without its
// notice, as there is no notice without its event); and an event that
// commits queues exactly one. Failures come from triggers the test adds
// to its own PostgreSQL database: a constraint trigger deferred to
// commit, and one that refuses notice rows.
func TestNotificationMailsAreWrittenWithTheirEvent(t *testing.T) {
	h, smtpd := newMailHub(t)
	admin := h.createTenant("calm")
	exec := func(sql string) {
		t.Helper()
		if err := h.app.db.Exec(sql).Error; err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`CREATE FUNCTION qr_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`)
	refuseMail := func(on bool) {
		if on {
			exec(`CREATE TRIGGER qr_refuse_mail BEFORE INSERT ON mail_notifications FOR EACH ROW EXECUTE FUNCTION qr_test_refuse()`)
		} else {
			exec(`DROP TRIGGER qr_refuse_mail ON mail_notifications`)
		}
	}
	failCommitOn := func(table, event string, on bool) {
		if on {
			exec(`CREATE CONSTRAINT TRIGGER qr_fail_commit AFTER ` + event + ` ON ` + table +
				` DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION qr_test_refuse()`)
		} else {
			exec(`DROP TRIGGER qr_fail_commit ON ` + table)
		}
	}
	notices := func(userID, title string) int64 {
		t.Helper()
		var n int64
		if err := h.app.db.Table("mail_notifications").Where("user_id = ? AND title = ?", userID, title).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	count := func(table, where string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := h.app.db.Table(table).Where(where, args...).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("mentoring: an accepted match", func(t *testing.T) {
		mentor := approvedMentor(t, h, admin, "Heron", nil, "vestibular")
		confirmByMail(t, h, smtpd, "calm", "heron@example.org")
		mentee := h.signUp("calm", "Wren", "adult")
		confirmByMail(t, h, smtpd, "calm", "wren@example.org")
		mentee.api("POST", "/mentoring/requests", menteeRequest("vestibular")).must(t, http.StatusCreated)
		offer := pendingOffers(t, mentor)[0]["id"].(string)
		const accepted = "A mentor accepted your request"

		refuseMail(true)
		if r := mentor.api("POST", "/mentoring/offers/"+offer+"/accept", nil); r.Status != http.StatusInternalServerError {
			t.Fatalf("accept while its mail cannot be written: %d %s, want 500", r.Status, r.Raw)
		}
		refuseMail(false)
		if n := count("mentorships", "mentee_id = ?", mentee.userID); n != 0 || notices(mentee.userID, accepted) != 0 {
			t.Fatalf("a failed mail left %d mentorships behind", n)
		}

		failCommitOn("mentorships", "INSERT", true)
		if r := mentor.api("POST", "/mentoring/offers/"+offer+"/accept", nil); r.Status != http.StatusInternalServerError {
			t.Fatalf("accept whose commit fails: %d %s, want 500", r.Status, r.Raw)
		}
		failCommitOn("mentorships", "INSERT", false)
		if n := notices(mentee.userID, accepted); n != 0 || count("mentorships", "mentee_id = ?", mentee.userID) != 0 {
			t.Fatalf("a rolled-back match queued %d mails", n)
		}

		mentor.api("POST", "/mentoring/offers/"+offer+"/accept", nil).must(t, http.StatusOK)
		if n := notices(mentee.userID, accepted); n != 1 {
			t.Fatalf("a committed match queued %d mails, want 1", n)
		}
	})

	t.Run("moderation: a decided flag", func(t *testing.T) {
		reporter := h.signUp("calm", "Robin", "adult")
		confirmByMail(t, h, smtpd, "calm", "robin@example.org")
		setMailPrefs(t, reporter, map[string]any{"email": map[string]bool{"flag_outcomes": true}})
		reporter.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
		ws := joinedMember(t, h, "calm", "Egret", "chronic").live(h, "chronic")
		decide := func(text string) int {
			t.Helper()
			said := ws.say("chronic", text[:2], text)
			reporter.api("POST", "/groups/chronic/messages/"+said.ID+"/flags", map[string]any{"reason": "spam"}).must(t, http.StatusCreated)
			it := queueItem(t, admin, said.ID)
			return admin.api("POST", "/moderation/items/"+it["id"].(string)+"/actions", map[string]any{"version": version(it), "action": "dismiss"}).Status
		}
		const decided = "A flag you raised was decided"

		refuseMail(true)
		if st := decide("m1 dark glasses indoors help me a lot"); st != http.StatusInternalServerError {
			t.Fatalf("a decision whose mail cannot be written answered %d, want 500", st)
		}
		refuseMail(false)
		if n := count("moderation_flags", "reporter_id = ? AND outcome <> 'pending'", reporter.userID); n != 0 {
			t.Fatalf("%d flags tell an outcome whose mail was never written", n)
		}

		failCommitOn("moderation_flags", "UPDATE", true)
		if st := decide("m2 a cold flannel on my neck helps"); st != http.StatusInternalServerError {
			t.Fatalf("a decision whose commit fails answered %d, want 500", st)
		}
		failCommitOn("moderation_flags", "UPDATE", false)
		if n := notices(reporter.userID, decided); n != 0 {
			t.Fatalf("a rolled-back decision queued %d mails", n)
		}

		if st := decide("m3 I keep a diary of my triggers"); st != http.StatusOK {
			t.Fatalf("decision answered %d", st)
		}
		if n := notices(reporter.userID, decided); n != 1 {
			t.Fatalf("a committed decision queued %d mails, want 1", n)
		}
	})
}
