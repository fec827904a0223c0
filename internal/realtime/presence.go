package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"quietroom/internal/realtime/conversation"
)

// PresenceStore holds who is online in each conversation, per instance, so
// every instance can show the whole group. Lurkers are never written.
type PresenceStore interface {
	// Set replaces this instance's online list for a channel.
	Set(ctx context.Context, channel, instance string, users []Author) error
	// Get merges every live instance's list.
	Get(ctx context.Context, channel string) ([]Author, error)
}

// presenceTTL is how long an instance's list counts without a refresh; an
// instance that dies vanishes from presence after it.
const presenceTTL = 60 * time.Second

// MaxPresenceNames bounds the names in one presence frame; OnlineCount
// in the frame still counts everyone.
const MaxPresenceNames = 100

type presenceEntry struct {
	Expires int64    `json:"exp"` // Unix milliseconds (older hubs wrote seconds)
	Users   []Author `json:"u"`
}

// MemoryPresence is the single-instance PresenceStore.
type MemoryPresence struct {
	mu   sync.Mutex
	data map[string]map[string]presenceEntry
	now  func() time.Time
	// TTL is how long an entry counts without a refresh (0: 60 s).
	TTL time.Duration
}

func NewMemoryPresence() *MemoryPresence {
	return &MemoryPresence{data: map[string]map[string]presenceEntry{}, now: time.Now}
}

func (m *MemoryPresence) Set(ctx context.Context, channel, instance string, users []Author) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(users) == 0 {
		delete(m.data[channel], instance)
		return nil
	}
	if m.data[channel] == nil {
		m.data[channel] = map[string]presenceEntry{}
	}
	m.data[channel][instance] = presenceEntry{Expires: m.now().Add(ttlOr(m.TTL)).UnixMilli(), Users: users}
	return nil
}

func (m *MemoryPresence) Get(ctx context.Context, channel string) ([]Author, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var entries []presenceEntry
	for _, e := range m.data[channel] {
		entries = append(entries, e)
	}
	return mergePresence(entries, m.now()), nil
}

// RedisPresence keeps one hash per channel, a field per instance.
type RedisPresence struct {
	client *redis.Client
	now    func() time.Time
	// TTL is how long an entry counts without a refresh (0: 60 s).
	TTL time.Duration
}

func ttlOr(d time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return presenceTTL
}

func NewRedisPresence(client *redis.Client) *RedisPresence {
	return &RedisPresence{client: client, now: time.Now}
}

func presenceKey(channel string) string { return "presence:" + channel }

func (r *RedisPresence) Set(ctx context.Context, channel, instance string, users []Author) error {
	key := presenceKey(channel)
	if len(users) == 0 {
		return r.client.HDel(ctx, key, instance).Err()
	}
	b, err := json.Marshal(presenceEntry{Expires: r.now().Add(ttlOr(r.TTL)).UnixMilli(), Users: users})
	if err != nil {
		return err
	}
	pipe := r.client.TxPipeline()
	pipe.HSet(ctx, key, instance, b)
	pipe.Expire(ctx, key, 2*ttlOr(r.TTL))
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("write presence: %w", err)
	}
	return nil
}

func (r *RedisPresence) Get(ctx context.Context, channel string) ([]Author, error) {
	vals, err := r.client.HGetAll(ctx, presenceKey(channel)).Result()
	if err != nil {
		return nil, fmt.Errorf("read presence: %w", err)
	}
	entries := make([]presenceEntry, 0, len(vals))
	for _, v := range vals {
		var e presenceEntry
		if json.Unmarshal([]byte(v), &e) == nil {
			entries = append(entries, e)
		}
	}
	return mergePresence(entries, r.now()), nil
}

func mergePresence(entries []presenceEntry, now time.Time) []Author {
	seen := map[string]Author{}
	for _, e := range entries {
		exp := e.Expires
		if exp < 1e11 {
			exp *= 1000 // written in seconds by an older hub
		}
		if exp < now.UnixMilli() {
			continue
		}
		for _, u := range e.Users {
			// One instance may not have heard yet that a member went
			// away: away wins, as the quieter reading.
			if prev, ok := seen[u.ID]; ok && prev.Status == StatusAway {
				u.Status = StatusAway
			}
			seen[u.ID] = u
		}
	}
	out := make([]Author, 0, len(seen))
	for _, u := range seen {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// joinPresence counts a non-lurking subscription as online.
func (h *Hub) joinPresence(ch *channel, sub *subscription) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	ch.presenceStale = true // the newcomer needs the list, lurker or not
	if sub.lurking {
		return
	}
	p := sub.conn.principal
	u := ch.online[p.User.ID]
	if u == nil {
		u = &onlineUser{author: Author{ID: p.User.ID, Name: p.User.DisplayName}, awayUntil: sub.conn.awayUntil.Load()}
		ch.online[p.User.ID] = u
		ch.presenceDirty = true
	}
	u.conns++
}

func (h *Hub) leavePresence(ch *channel, sub *subscription) {
	if sub.lurking {
		return
	}
	id := sub.conn.principal.User.ID
	ch.mu.Lock()
	if u := ch.online[id]; u != nil {
		u.conns--
		if u.conns <= 0 {
			delete(ch.online, id)
			ch.presenceDirty = true
		}
	}
	empty := len(ch.online) == 0
	ch.mu.Unlock()
	if empty {
		// The channel may be released next: write the empty list now.
		h.flushChannelPresence(ch)
	}
}

// flushPresence runs once a second: channels whose local online set
// changed write it and tell every instance; channels told of a change
// re-read the merged list and send it to their subscribers. Presence is
// thus at most one frame a second per group, however busy the door.
func (h *Hub) flushPresence() {
	h.mu.RLock()
	chans := make([]*channel, 0, len(h.channels))
	for _, ch := range h.channels {
		chans = append(chans, ch)
	}
	h.mu.RUnlock()
	for _, ch := range chans {
		h.flushChannelPresence(ch)
		ch.mu.Lock()
		stale := ch.presenceStale
		ch.presenceStale = false
		ch.mu.Unlock()
		if stale {
			h.sendPresence(ch)
		}
	}
}

func (h *Hub) flushChannelPresence(ch *channel) {
	ch.mu.Lock()
	if !ch.presenceDirty {
		ch.mu.Unlock()
		return
	}
	ch.presenceDirty = false
	users := ch.onlineLocked()
	ch.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(h.context()), 3*time.Second)
	defer cancel()
	if err := h.presence.Set(ctx, ch.name, h.cfg.InstanceID, users); err != nil {
		h.log.Warn("presence write failed", "channel", ch.name, "err", err)
		return
	}
	h.publishEphemeral(ctx, ch.tenantID, ch.convID, Event{Type: presenceChanged, ID: h.cfg.InstanceID})
}

func (ch *channel) onlineLocked() []Author {
	now := time.Now().UnixMilli()
	users := make([]Author, 0, len(ch.online))
	for _, u := range ch.online {
		a := u.author
		if u.awayUntil > now {
			a.Status = StatusAway
		}
		users = append(users, a)
	}
	return users
}

// refreshPresence rewrites this instance's lists before they expire, and
// pushes every channel's merged list that changed without a word (another
// instance's entries expired: it died).
func (h *Hub) refreshPresence() {
	h.mu.RLock()
	chans := make([]*channel, 0, len(h.channels))
	for _, ch := range h.channels {
		chans = append(chans, ch)
	}
	h.mu.RUnlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(h.context()), 5*time.Second)
	defer cancel()
	for _, ch := range chans {
		ch.mu.Lock()
		users := ch.onlineLocked()
		ch.mu.Unlock()
		if len(users) > 0 {
			_ = h.presence.Set(ctx, ch.name, h.cfg.InstanceID, users)
		}
	}
	for _, ch := range chans {
		merged, err := h.presence.Get(ctx, ch.name)
		if err != nil {
			h.log.Warn("presence read failed", "channel", ch.name, "err", err)
			continue
		}
		ch.mu.Lock()
		changed := presenceKeyOf(merged) != ch.presenceSent
		ch.mu.Unlock()
		if changed {
			h.sendPresenceList(ch, merged)
		}
	}
}

// presenceKeyOf identifies an online list by its members' ids, names and
// statuses (an attack mode that ended by itself changes only a status).
func presenceKeyOf(users []Author) string {
	var b strings.Builder
	for _, u := range users {
		b.WriteString(u.ID)
		b.WriteByte(' ')
		b.WriteString(u.Name)
		b.WriteByte(' ')
		b.WriteString(u.Status)
		b.WriteByte('\n')
	}
	return b.String()
}

// sendPresence sends the merged online list to the channel's subscribers.
func (h *Hub) sendPresence(ch *channel) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(h.context()), 3*time.Second)
	defer cancel()
	users, err := h.presence.Get(ctx, ch.name)
	if err != nil {
		h.log.Warn("presence read failed", "channel", ch.name, "err", err)
		return
	}
	h.sendPresenceList(ch, users)
}

func (h *Hub) sendPresenceList(ch *channel, users []Author) {
	key := presenceKeyOf(users)
	count := len(users)
	if len(users) > MaxPresenceNames {
		users = users[:MaxPresenceNames]
	}
	ch.mu.Lock()
	ch.presenceSent = key
	var at conversation.Address
	for sub := range ch.subs {
		at = sub.at
		break
	}
	frame, _ := json.Marshal(Event{Type: TypePresence, Group: at.GroupField(), Conversation: at.String(), Online: users, OnlineCount: count})
	for sub := range ch.subs {
		if sub.live {
			sub.conn.enqueue(frame)
		}
	}
	ch.mu.Unlock()
}

// presenceChanged is the broker-only signal that a channel's presence
// changed somewhere; clients receive TypePresence instead.
const presenceChanged = "presence_changed"

// handleEphemeral delivers an event that is not part of the durable stream.
func (h *Hub) handleEphemeral(ch *channel, env envelope) {
	var head struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	}
	if json.Unmarshal(env.Event, &head) != nil {
		return
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if head.Type == presenceChanged {
		// This instance already re-read its own change.
		if head.ID != h.cfg.InstanceID {
			ch.presenceStale = true
		}
		return
	}
	for sub := range ch.subs {
		if sub.live {
			sub.conn.enqueue(env.Event)
		}
	}
}

// publishEphemeral sends a non-durable event to every instance.
func (h *Hub) publishEphemeral(ctx context.Context, tenantID, convID string, ev Event) {
	body, _ := json.Marshal(ev)
	env, _ := json.Marshal(envelope{Tenant: tenantID, Conv: convID, Event: body})
	if err := h.broker.Publish(ctx, ChannelName(tenantID, convID), env); err != nil {
		// Presence and typing are best effort: with the broker down they
		// wait for it (presence is re-sent on the next change).
		h.log.Debug("ephemeral publish failed", "err", err)
	}
}
