// Package mail sends Quietroom's email through a durable outbox.
//
// A mail is a row of mail_outbox, written in the same transaction as the
// event that causes it (a reset request, a decided flag), so an event is
// never committed without its mail nor a mail queued for an event that was
// rolled back. A Worker on every hub instance claims due rows (FOR UPDATE
// SKIP LOCKED on PostgreSQL; SQLite's single writer makes the same UPDATE
// atomic), sends each through a Sender, and marks it sent, or schedules a
// retry with exponential backoff, or moves it to the dead state after
// MaxAttempts failures. A claim is a lease: an instance that dies mid-send
// leaves its rows to be claimed again when the lease runs out.
//
// Without an SMTP server configured, no worker runs and mails wait in the
// outbox, where `hub mail list` and `hub mail show` print them.
package mail
