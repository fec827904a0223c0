package realtime

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"quietroom/internal/apperr"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
)

// Message is the current state of one message, as history pages show it.
type Message struct {
	ID             string
	TenantID       string
	ConversationID string
	Seq            int64
	AuthorID       *string
	AuthorName     string
	// AuthorRole is the author's staff role in the conversation when they
	// sent it ("admin", "moderator" or "").
	AuthorRole string
	ClientID   string
	Body       string
	Status     string
	CreatedAt  time.Time
	EditedAt   *time.Time
	RemovedAt  *time.Time
}

// Message statuses.
const (
	StatusVisible = "visible"
	StatusRemoved = "removed"
)

// conversationRow is a conversation's stored head.
type conversationRow struct {
	TenantID  string
	ID        string
	Kind      string
	LastSeq   int64
	CreatedAt time.Time
}

func (conversationRow) TableName() string { return "conversations" }

type conversationEvent struct {
	TenantID       string
	ConversationID string
	Seq            int64
	Payload        string
	CreatedAt      time.Time
}

func (conversationEvent) TableName() string { return "conversation_events" }

// Store persists conversations. Every method takes the tenant id first.
type Store struct {
	db  *store.DB
	now func() time.Time
	// pool runs the PostgreSQL append, the one statement every message
	// takes, without gorm's statement building (about a tenth of a hub's
	// CPU under load). Nil on SQLite, which appends through gorm.
	pool *sql.DB
	// batcher lets concurrent appends share a commit (appendbatch.go);
	// nil appends one message per transaction.
	batcher *appendBatcher
	metrics *Metrics
}

// StoreOption changes how NewStore builds a Store.
type StoreOption func(*Store)

func NewStore(db *store.DB, now func() time.Time, opts ...StoreOption) *Store {
	if now == nil {
		now = time.Now
	}
	s := &Store{db: db, now: func() time.Time { return now().UTC() }}
	if db.Dialect == store.Postgres {
		if pool, err := db.DB.DB(); err == nil {
			s.pool = pool
		}
	}
	s.useGroupCommit(DefaultGroupCommitConfig())
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// ensureConversation creates the conversation row on first use.
func ensureConversation(tx *gorm.DB, tenantID, convID string, kind conversation.Kind, now time.Time) error {
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&conversationRow{
		TenantID: tenantID, ID: convID, Kind: string(kind), CreatedAt: now,
	}).Error
}

// nextSeq takes the conversation's next sequence number. The UPDATE locks
// the conversation row until the transaction ends, so sequences are handed
// out in commit order and a rolled-back transaction leaves no gap.
func nextSeq(tx *gorm.DB, tenantID, convID string) (int64, error) {
	var seq int64
	err := tx.Raw(`UPDATE conversations SET last_seq = last_seq + 1 WHERE tenant_id = ? AND id = ? RETURNING last_seq`,
		tenantID, convID).Scan(&seq).Error
	if err != nil {
		return 0, fmt.Errorf("next sequence: %w", err)
	}
	if seq == 0 {
		return 0, errNoConversation
	}
	return seq, nil
}

// errNoConversation: the conversation row does not exist yet.
var errNoConversation = errors.New("no such conversation")

func insertEvent(tx *gorm.DB, tenantID, convID string, seq int64, ev Event, now time.Time) ([]byte, error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	err = tx.Create(&conversationEvent{TenantID: tenantID, ConversationID: convID, Seq: seq, Payload: string(payload), CreatedAt: now}).Error
	if err != nil {
		return nil, fmt.Errorf("insert event %d: %w", seq, err)
	}
	return payload, nil
}

// NewMessage is what a sender submits.
type NewMessage struct {
	TenantID, ConversationID string
	Kind                     conversation.Kind
	// Address is how events name the conversation.
	Address              conversation.Address
	AuthorID, AuthorName string
	// AuthorRole is the author's staff role in the conversation now
	// (conversation.Access.StaffRole); the message keeps it.
	AuthorRole string
	ClientID   string
	Text       string
}

// Committed is a stored event ready to publish.
type Committed struct {
	Message   Message
	Seq       int64
	Payload   []byte
	Duplicate bool // the client id was already used: nothing new was stored
	// Held: the message waits for a moderator; it has no Seq or Payload yet.
	Held bool
}

// errDuplicateClientID ends an append whose client id was already used.
var errDuplicateClientID = errors.New("client id already used")

// AppendMessage stores a message and its event under the next sequence
// number in one transaction: take the sequence, insert the message, insert
// the event. A repeated client id trips the unique index, the transaction
// rolls back (the sequence with it) and the original is returned.
func (s *Store) AppendMessage(ctx context.Context, in NewMessage) (Committed, error) {
	appendMessage := s.appendPortable
	switch {
	case s.batcher != nil:
		appendMessage = s.batcher.append
	case s.db.Dialect == store.Postgres:
		appendMessage = s.appendPostgres
	}
	out, err := appendMessage(ctx, in)
	if errors.Is(err, errNoConversation) {
		// First message of the conversation.
		if err := ensureConversation(s.db.WithContext(ctx), in.TenantID, in.ConversationID, in.Kind, s.now()); err != nil {
			return Committed{}, fmt.Errorf("create conversation: %w", err)
		}
		out, err = appendMessage(ctx, in)
	}
	if errors.Is(err, errDuplicateClientID) {
		prev, ok, err := s.byClientID(s.db.WithContext(ctx), in.TenantID, in.ConversationID, in.AuthorID, in.ClientID)
		if err != nil || !ok {
			return Committed{}, fmt.Errorf("append message to %s: client id clash but no original: %v", in.ConversationID, err)
		}
		return Committed{Message: prev, Seq: prev.Seq, Duplicate: true}, nil
	}
	if err != nil {
		return Committed{}, fmt.Errorf("append message to %s: %w", in.ConversationID, err)
	}
	return out, nil
}

func (s *Store) newMessage(in NewMessage, seq int64) Message {
	author := in.AuthorID
	return Message{ID: store.NewID(), TenantID: in.TenantID, ConversationID: in.ConversationID, Seq: seq,
		AuthorID: &author, AuthorName: in.AuthorName, AuthorRole: in.AuthorRole, ClientID: in.ClientID, Body: in.Text,
		Status: StatusVisible, CreatedAt: s.now()}
}

// appendPostgres does the whole append in one statement: the sequence
// row is locked, the message and its event inserted and the transaction
// committed inside the server, so no lock is ever held across a round trip
// to the hub. The event's JSON gets its seq spliced in by SQL, since only
// the statement knows it. Concurrent appends share commits through the
// store's batcher (appendbatch.go); this is the one-message path.
func (s *Store) appendPostgres(ctx context.Context, in NewMessage) (Committed, error) {
	a, err := s.prepareAppend(in)
	if err != nil {
		return Committed{}, err
	}
	if s.pool == nil {
		return Committed{}, errors.New("the PostgreSQL connection pool is not available")
	}
	var seq int64
	err = s.pool.QueryRowContext(ctx, appendPostgresSQL, a.args...).Scan(&seq)
	if err = appendError(err); err != nil {
		return Committed{}, err
	}
	return a.committed(seq), nil
}

// preparedAppend is one message ready for appendPostgresSQL.
type preparedAppend struct {
	m    Message
	body []byte // the event's JSON without its seq
	args []any
}

func (s *Store) prepareAppend(in NewMessage) (preparedAppend, error) {
	m := s.newMessage(in, 0)
	body, err := json.Marshal(messageEvent(in.Address, m)) // seq 0 is omitted
	if err != nil {
		return preparedAppend{}, err
	}
	args := []any{in.TenantID, in.ConversationID,
		m.ID, in.AuthorID, in.AuthorName, in.ClientID, in.Text, StatusVisible, m.CreatedAt,
		string(body[1:]), in.AuthorRole}
	return preparedAppend{m: m, body: body, args: args}, nil
}

// committed is the append's result once the statement returned seq.
func (a preparedAppend) committed(seq int64) Committed {
	m := a.m
	m.Seq = seq
	payload := append([]byte(fmt.Sprintf(`{"seq":%d,`, seq)), a.body[1:]...)
	return Committed{Message: m, Seq: seq, Payload: payload}
}

// appendError names what an append statement's error means.
func appendError(err error) error {
	switch {
	case isUniqueViolation(err):
		return errDuplicateClientID
	case errors.Is(err, sql.ErrNoRows), errors.Is(err, pgx.ErrNoRows):
		return errNoConversation
	}
	return err
}

const appendPostgresSQL = `
	WITH s AS (
		UPDATE conversations SET last_seq = last_seq + 1 WHERE tenant_id = $1 AND id = $2 RETURNING last_seq
	), m AS (
		INSERT INTO messages (id, tenant_id, conversation_id, seq, author_id, author_name, author_role, client_id, body, status, created_at)
		SELECT $3, $1, $2, s.last_seq, $4, $5, $11, $6, $7, $8, $9 FROM s RETURNING seq
	)
	INSERT INTO conversation_events (tenant_id, conversation_id, seq, payload, created_at)
	SELECT $1, $2, m.seq, '{"seq":' || m.seq || ',' || $10, $9 FROM m RETURNING seq`

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.Is(err, gorm.ErrDuplicatedKey) || (errors.As(err, &pgErr) && pgErr.Code == "23505")
}

// appendPortable is the append as a transaction of separate statements,
// for SQLite (one connection, so nothing waits on its lock).
func (s *Store) appendPortable(ctx context.Context, in NewMessage) (Committed, error) {
	var out Committed
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		seq, err := nextSeq(tx, in.TenantID, in.ConversationID)
		if err != nil {
			return err
		}
		m := s.newMessage(in, seq)
		if err := tx.Create(&m).Error; err != nil {
			if isUniqueViolation(err) {
				return errDuplicateClientID
			}
			return fmt.Errorf("insert message: %w", err)
		}
		payload, err := insertEvent(tx, in.TenantID, in.ConversationID, seq, messageEvent(in.Address, m), m.CreatedAt)
		if err != nil {
			return err
		}
		out = Committed{Message: m, Seq: seq, Payload: payload}
		return nil
	})
	return out, err
}

// ByClientID finds a message the author already sent with this client id.
func (s *Store) ByClientID(ctx context.Context, tenantID, convID, authorID, clientID string) (Message, bool, error) {
	return s.byClientID(s.db.WithContext(ctx), tenantID, convID, authorID, clientID)
}

func (s *Store) byClientID(tx *gorm.DB, tenantID, convID, authorID, clientID string) (Message, bool, error) {
	var m Message
	err := tx.Where("tenant_id = ? AND conversation_id = ? AND author_id = ? AND client_id = ?", tenantID, convID, authorID, clientID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Message{}, false, nil
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("find by client id: %w", err)
	}
	return m, true, nil
}

func messageEvent(in conversation.Address, m Message) Event {
	at := m.CreatedAt
	// The client id lets the sender match the event to its pending copy.
	ev := Event{Type: TypeMessage, Group: in.GroupField(), Conversation: in.String(), Seq: m.Seq, ID: m.ID, Text: m.Body, At: &at,
		Author: &Author{Name: m.AuthorName, Role: m.AuthorRole}, ClientID: m.ClientID}
	if m.AuthorID != nil {
		ev.Author.ID = *m.AuthorID
	}
	return ev
}

// RemoveMessage tombstones a message: its text is dropped and a durable
// removed event tells every client.
func (s *Store) RemoveMessage(ctx context.Context, tenantID, convID string, at conversation.Address, messageID, reason string) (Committed, error) {
	now := s.now()
	c, err := s.changeMessage(ctx, tenantID, convID, messageID, func(m *Message, seq int64) (map[string]any, Event, error) {
		if m.Status == StatusRemoved {
			return nil, Event{}, apperr.Conflict("the message was already removed")
		}
		m.Status, m.Body, m.RemovedAt = StatusRemoved, "", &now
		return map[string]any{"status": StatusRemoved, "body": "", "removed_at": now},
			Event{Type: TypeRemoved, Group: at.GroupField(), Conversation: at.String(), Seq: seq, ID: m.ID, MessageSeq: m.Seq, Reason: reason}, nil
	})
	if err != nil {
		return Committed{}, fmt.Errorf("remove message %s: %w", messageID, err)
	}
	return c, nil
}

// RestoreMessage brings a removed message back with its text (a removal
// undone, or an appeal granted), as a durable restored event.
func (s *Store) RestoreMessage(ctx context.Context, tenantID, convID string, at conversation.Address, messageID, text string) (Committed, error) {
	c, err := s.changeMessage(ctx, tenantID, convID, messageID, func(m *Message, seq int64) (map[string]any, Event, error) {
		if m.Status != StatusRemoved {
			return nil, Event{}, apperr.Conflict("the message is not removed")
		}
		m.Status, m.Body, m.RemovedAt = StatusVisible, text, nil
		return map[string]any{"status": StatusVisible, "body": text, "removed_at": nil},
			Event{Type: TypeRestored, Group: at.GroupField(), Conversation: at.String(), Seq: seq, ID: m.ID, MessageSeq: m.Seq, Text: text}, nil
	})
	if err != nil {
		return Committed{}, fmt.Errorf("restore message %s: %w", messageID, err)
	}
	return c, nil
}

// changeMessage changes a stored message and records the change as the
// conversation's next event, in one transaction. change checks the message
// and says what to update and which event to store; an error from it
// rolls everything back.
func (s *Store) changeMessage(ctx context.Context, tenantID, convID, messageID string,
	change func(m *Message, seq int64) (map[string]any, Event, error), also ...func(tx *gorm.DB) error) (Committed, error) {
	var out Committed
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m Message
		err := tx.Where("tenant_id = ? AND conversation_id = ? AND id = ?", tenantID, convID, messageID).Take(&m).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return apperr.NotFound("no such message")
		}
		if err != nil {
			return err
		}
		seq, err := nextSeq(tx, tenantID, convID)
		if err != nil {
			return err
		}
		updates, ev, err := change(&m, seq)
		if err != nil {
			return err
		}
		if err := tx.Model(&Message{}).Where("tenant_id = ? AND id = ?", tenantID, m.ID).Updates(updates).Error; err != nil {
			return err
		}
		for _, f := range also {
			if err := f(tx); err != nil {
				return err
			}
		}
		payload, err := insertEvent(tx, tenantID, convID, seq, ev, s.now())
		if err != nil {
			return err
		}
		out = Committed{Message: m, Seq: seq, Payload: payload}
		return nil
	})
	return out, err
}

func (s *Store) Head(ctx context.Context, tenantID, convID string) (int64, error) {
	var c conversationRow
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND id = ?", tenantID, convID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("head of %s: %w", convID, err)
	}
	return c.LastSeq, nil
}

// EventsAfter returns the stored events with after < seq <= upTo (upTo 0
// means no upper bound), oldest first, at most limit.
func (s *Store) EventsAfter(ctx context.Context, tenantID, convID string, after, upTo int64, limit int) ([]StoredEvent, error) {
	q := s.db.WithContext(ctx).Where("tenant_id = ? AND conversation_id = ? AND seq > ?", tenantID, convID, after)
	if upTo > 0 {
		q = q.Where("seq <= ?", upTo)
	}
	var rows []conversationEvent
	if err := q.Order("seq").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("events of %s after %d: %w", convID, after, err)
	}
	out := make([]StoredEvent, len(rows))
	for i, r := range rows {
		out[i] = StoredEvent{Seq: r.Seq, Payload: []byte(r.Payload)}
	}
	return out, nil
}

// StoredEvent is one durable event as it is sent to clients.
type StoredEvent struct {
	Seq     int64
	Payload []byte
}

// History pages a conversation backwards: messages with seq < before
// (before 0: from the newest), newest first, at most limit.
func (s *Store) History(ctx context.Context, tenantID, convID string, before int64, limit int) ([]Message, error) {
	q := s.db.WithContext(ctx).Where("tenant_id = ? AND conversation_id = ?", tenantID, convID)
	if before > 0 {
		q = q.Where("seq < ?", before)
	}
	var ms []Message
	if err := q.Order("seq DESC").Limit(limit).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("history of %s: %w", convID, err)
	}
	return ms, nil
}
