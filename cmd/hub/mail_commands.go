package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"quietroom/internal/mail"
)

const mailUsage = "usage: hub mail list [--status pending|sending|sent|dead] [--limit N] | hub mail show ID | hub mail retry ID"

// mailCmd reads the outbox: without a mail server, this is how a person
// running the demo finds a password-reset link.
func mailCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(mailUsage)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list":
		var f mail.ListFilter
		a, closeApp, err := opsCommand(ctx, "mail list", args, getenv, stderr, func(fs *flag.FlagSet) {
			fs.StringVar(&f.Status, "status", "", "only mails in this state: pending, sending, sent or dead")
			fs.IntVar(&f.Limit, "limit", 50, "at most this many mails")
		})
		if err != nil {
			return err
		}
		defer closeApp()
		switch f.Status {
		case "", mail.StatusPending, mail.StatusSending, mail.StatusSent, mail.StatusDead:
		default:
			return fmt.Errorf("--status must be pending, sending, sent or dead")
		}
		mails, err := a.outbox.List(ctx, f)
		if err != nil {
			return err
		}
		if len(mails) == 0 {
			fmt.Fprintln(stdout, "the outbox is empty")
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tQUEUED (UTC)\tSTATUS\tTRIES\tTO\tSUBJECT")
		for _, m := range mails {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", m.ID, m.CreatedAt.UTC().Format("2006-01-02 15:04"), m.Status, m.Attempts, m.ToAddr, m.Subject)
		}
		return tw.Flush()
	case "show", "retry":
		id, rest := "", args
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			id, rest = args[0], args[1:]
		}
		if id == "" {
			return errors.New(mailUsage)
		}
		a, closeApp, err := opsCommand(ctx, "mail "+sub, rest, getenv, stderr, func(*flag.FlagSet) {})
		if err != nil {
			return err
		}
		defer closeApp()
		if sub == "retry" {
			m, err := a.outbox.Retry(ctx, id)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "mail %s is queued again; a running hub with a mail server sends it\n", m.ID)
			return nil
		}
		m, err := a.outbox.Get(ctx, id)
		if err != nil {
			return err
		}
		printMail(stdout, m)
		return nil
	}
	return errors.New(mailUsage)
}

func printMail(w io.Writer, m *mail.Mail) {
	fmt.Fprintf(w, "ID:       %s\nStatus:   %s (%d attempts)\nQueued:   %s\nTo:       %s\nSubject:  %s\nKind:     %s\n",
		m.ID, m.Status, m.Attempts, m.CreatedAt.UTC().Format(time.RFC3339), m.ToAddr, m.Subject, m.Kind)
	if m.SentAt != nil {
		fmt.Fprintf(w, "Sent:     %s\n", m.SentAt.UTC().Format(time.RFC3339))
	}
	if m.LastError != "" {
		fmt.Fprintf(w, "Error:    %s\n", m.LastError)
	}
	headers := m.HeaderMap()
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s: %s\n", k, headers[k])
	}
	fmt.Fprintln(w)
	if m.BodyText == "" {
		fmt.Fprintln(w, "(the text was removed after sending: it may have held a one-time link)")
		return
	}
	fmt.Fprint(w, m.BodyText)
}

// resetPasswordCmd prints a one-time reset link for the operator to hand
// to a member, for communities whose hub has no mail server yet.
func resetPasswordCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var tenant, email string
	a, closeApp, err := opsCommand(ctx, "admin reset-password", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&tenant, "tenant", "", "tenant slug")
		fs.StringVar(&email, "email", "", "email of the member")
	})
	if err != nil {
		return err
	}
	defer closeApp()
	if tenant == "" || email == "" {
		return errors.New("usage: hub admin reset-password --tenant SLUG --email E")
	}
	u, token, err := a.accounts.IssueResetLinkToken(ctx, tenant, email)
	if err != nil {
		return err
	}
	link := mail.Links{Base: a.cfg.PublicURL}.Page(tenant, "/reset", url.Values{"token": {token}})
	fmt.Fprintf(stdout, "one-time link for %s (%s), valid for one hour:\n%s\n", u.Email, u.DisplayName, link)
	return nil
}
