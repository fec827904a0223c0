package mail

import (
	"context"
	"errors"
	"log/slog"
	netmail "net/mail"
	"time"
)

// WorkerConfig tunes one instance's sending loop.
type WorkerConfig struct {
	// Poll is how often the worker looks for due mails when nothing woke
	// it (mails queued by other instances, retries coming due).
	Poll time.Duration
	// SendTimeout bounds one send; it must be shorter than the outbox
	// lease.
	SendTimeout time.Duration
}

func DefaultWorkerConfig() WorkerConfig {
	return WorkerConfig{Poll: 2 * time.Second, SendTimeout: 30 * time.Second}
}

// Worker sends the outbox's due mails through a Sender. Every hub instance
// runs one; claims keep them from sending a mail twice.
type Worker struct {
	outbox *Outbox
	sender Sender
	from   *netmail.Address
	cfg    WorkerConfig
	log    *slog.Logger
}

func NewWorker(outbox *Outbox, sender Sender, from *netmail.Address, cfg WorkerConfig, log *slog.Logger) *Worker {
	return &Worker{outbox: outbox, sender: sender, from: from, cfg: cfg, log: log}
}

// Run sends until ctx ends. A send in progress when ctx ends is allowed to
// finish (bounded by SendTimeout) so its result is recorded.
func (w *Worker) Run(ctx context.Context) {
	poll := time.NewTicker(w.cfg.Poll)
	defer poll.Stop()
	lastPrune := time.Time{}
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Warn("mail worker", "err", err)
		}
		if time.Since(lastPrune) > time.Hour {
			if err := w.outbox.prune(ctx); err != nil {
				w.log.Warn("mail worker", "err", err)
			}
			lastPrune = time.Now()
		}
		if n > 0 && err == nil {
			continue // a full or partial batch: there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-w.outbox.wake:
		case <-poll.C:
		}
	}
}

// RunOnce claims one batch of due mails and sends them, returning how many
// it handled (sent or failed).
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	mails, token, err := w.outbox.claim(ctx)
	if err != nil {
		return 0, err
	}
	// Results are recorded even while shutting down: a mail the server
	// accepted must not be sent again by the next claimer.
	record := context.WithoutCancel(ctx)
	var errs []error
	for i, m := range mails {
		if ctx.Err() != nil {
			// Give the rest back at once instead of leaving them to the lease.
			for _, rest := range mails[i:] {
				if _, err := w.outbox.markFailed(record, rest, token, errors.New("not attempted: the hub was stopping")); err != nil {
					errs = append(errs, err)
				}
			}
			break
		}
		errs = append(errs, w.send(ctx, record, m, token))
	}
	return len(mails), errors.Join(errs...)
}

func (w *Worker) send(ctx, record context.Context, m Mail, token string) error {
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.SendTimeout)
	defer cancel()
	started := time.Now()
	err := w.sender.Send(sendCtx, Envelope{ID: m.ID, From: w.from, To: m.ToAddr, Subject: m.Subject,
		Text: m.BodyText, HTML: m.BodyHTML, Headers: m.HeaderMap(), Date: m.CreatedAt})
	w.outbox.metrics.sendSeconds.Observe(time.Since(started).Seconds())
	if err == nil {
		return w.outbox.markSent(record, m, token)
	}
	dead, markErr := w.outbox.markFailed(record, m, token, err)
	if markErr != nil {
		return markErr
	}
	if dead {
		w.log.Error("mail is dead after its last attempt", "mail", m.ID, "kind", m.Kind, "attempts", m.Attempts, "err", err)
	} else {
		w.log.Warn("mail not sent; will retry", "mail", m.ID, "kind", m.Kind, "attempt", m.Attempts, "err", err)
	}
	return nil
}
