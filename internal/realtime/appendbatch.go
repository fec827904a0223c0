package realtime

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Group commit. Every message is committed before its ack, and on
// PostgreSQL a commit is a WAL flush plus a round trip: one per message
// made PostgreSQL most of the backing CPU under load. So appends that
// arrive together share one transaction: a worker takes whatever waits
// (at most MaxBatch), sends the appends as one pipelined batch in a single
// transaction and answers each sender once it has committed. Appends to
// one conversation keep their arrival order, and the batch takes the
// conversations' sequence rows in a fixed order, so two instances'
// batches never deadlock. If the batch fails (a retried client id, a
// conversation not created yet, a lost connection) nothing of it was
// committed, and each append is tried again on its own, so one bad append
// costs the others nothing but time. Sequences stay gap-free: a rolled-back
// transaction hands out no numbers.

// GroupCommitConfig tunes the store's batcher.
type GroupCommitConfig struct {
	// MaxBatch is the most appends sharing one transaction; 1 turns
	// group commit off (every append commits on its own).
	MaxBatch int
	// Window is how long the worker waits for company when it finds a
	// single append waiting; 0 sends at once. Appends arriving while a
	// batch commits wait anyway and form the next batch.
	Window time.Duration
	// Workers is how many batches may be committing at once.
	Workers int
}

func DefaultGroupCommitConfig() GroupCommitConfig {
	return GroupCommitConfig{MaxBatch: 64, Window: 0, Workers: 2}
}

type appendRequest struct {
	ctx  context.Context
	in   NewMessage
	prep preparedAppend
	done chan appendResult
}

type appendResult struct {
	c   Committed
	err error
}

// appendBatcher runs a worker only while appends wait: an idle hub has no
// goroutine here, so nothing needs stopping at shutdown.
type appendBatcher struct {
	store   *Store
	pool    *sql.DB
	cfg     GroupCommitConfig
	metrics *Metrics

	mu      sync.Mutex
	queue   []*appendRequest
	workers int
}

// WithGroupCommit sets how appends share commits (PostgreSQL only; SQLite
// has one connection and commits each append). The default is
// DefaultGroupCommitConfig; MaxBatch 1 commits every append alone.
func WithGroupCommit(cfg GroupCommitConfig) StoreOption {
	return func(s *Store) { s.useGroupCommit(cfg) }
}

// WithMetrics counts the store's commits and batch sizes in m.
func WithMetrics(m *Metrics) StoreOption {
	return func(s *Store) { s.useMetrics(m) }
}

func (s *Store) useGroupCommit(cfg GroupCommitConfig) {
	if s.pool == nil || cfg.MaxBatch <= 1 {
		s.batcher = nil
		return
	}
	cfg.Workers = max(cfg.Workers, 1)
	s.batcher = &appendBatcher{store: s, pool: s.pool, cfg: cfg, metrics: s.metrics}
}

func (s *Store) useMetrics(m *Metrics) {
	s.metrics = m
	if s.batcher != nil {
		s.batcher.metrics = m
	}
}

// append queues one append and waits for its commit.
func (b *appendBatcher) append(ctx context.Context, in NewMessage) (Committed, error) {
	prep, err := b.store.prepareAppend(in)
	if err != nil {
		return Committed{}, err
	}
	req := &appendRequest{ctx: ctx, in: in, prep: prep, done: make(chan appendResult, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, req)
	if b.workers < b.cfg.Workers {
		b.workers++
		go b.work()
	}
	b.mu.Unlock()
	// The answer comes even if ctx ends: once sent, the append may commit,
	// and the sender must learn its sequence number or retry.
	r := <-req.done
	return r.c, r.err
}

// take removes up to MaxBatch waiting appends; nil means none wait and the
// worker has signed off.
func (b *appendBatcher) take() []*appendRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.queue) == 0 {
		b.workers--
		b.queue = nil // keep no backing array while idle
		return nil
	}
	n := min(len(b.queue), b.cfg.MaxBatch)
	batch := slices.Clone(b.queue[:n])
	clear(b.queue[:n])
	b.queue = b.queue[n:]
	return batch
}

func (b *appendBatcher) work() {
	for {
		batch := b.take()
		if batch == nil {
			return
		}
		if len(batch) == 1 && b.cfg.Window > 0 {
			time.Sleep(b.cfg.Window)
			b.mu.Lock()
			n := min(len(b.queue), b.cfg.MaxBatch-1)
			batch = append(batch, b.queue[:n]...)
			clear(b.queue[:n])
			b.queue = b.queue[n:]
			b.mu.Unlock()
		}
		b.commit(batch)
	}
}

// commit appends a batch in one transaction, or each on its own if that
// fails, and answers every request.
func (b *appendBatcher) commit(batch []*appendRequest) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- appendResult{err: err} // never sent: nothing stored
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	if len(live) == 1 {
		r := live[0]
		c, err := b.store.appendPostgres(r.ctx, r.in)
		b.metrics.observeCommit(1)
		r.done <- appendResult{c, err}
		return
	}
	seqs, err := b.send(live)
	if err != nil {
		if b.metrics != nil {
			b.metrics.groupCommitFallbacks.Inc()
		}
		for _, r := range live {
			c, err := b.store.appendPostgres(r.ctx, r.in)
			b.metrics.observeCommit(1)
			r.done <- appendResult{c, err}
		}
		return
	}
	b.metrics.observeCommit(len(live))
	for i, r := range live {
		if seqs[i] == 0 {
			r.done <- appendResult{err: errNoConversation}
			continue
		}
		r.done <- appendResult{c: r.prep.committed(seqs[i])}
	}
}

// send runs the batch as one transaction, in one round trip once the
// statement is prepared on the connection. A zero sequence number means
// that conversation has no row yet (nothing was stored for it).
func (b *appendBatcher) send(batch []*appendRequest) ([]int64, error) {
	// Sequence rows are locked in (tenant, conversation) order; the stable
	// sort keeps each conversation's appends in arrival order.
	slices.SortStableFunc(batch, func(x, y *appendRequest) int {
		return cmp.Or(cmp.Compare(x.in.TenantID, y.in.TenantID), cmp.Compare(x.in.ConversationID, y.in.ConversationID))
	})
	// The batch's own deadline: the senders' contexts belong to their
	// connections, and one closing must not abort the others' commit.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := b.pool.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("group commit: %w", err)
	}
	defer conn.Close()
	seqs := make([]int64, len(batch))
	err = conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("group commit: unexpected driver connection %T", driverConn)
		}
		// pgx sends a batch with a single Sync, so its statements run in
		// one implicit transaction: committed at the Sync, rolled back
		// whole if any statement fails.
		pb := &pgx.Batch{}
		for _, r := range batch {
			pb.Queue(appendPostgresSQL, r.prep.args...)
		}
		br := pc.Conn().SendBatch(ctx, pb)
		for i := range batch {
			err := br.QueryRow().Scan(&seqs[i])
			if errors.Is(err, pgx.ErrNoRows) {
				continue // no conversation row: that append stored nothing
			}
			if err != nil {
				br.Close()
				return err
			}
		}
		return br.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("group commit of %d appends: %w", len(batch), err)
	}
	return seqs, nil
}
