// Package realtime carries group conversations: messages with per-group
// sequence numbers, the WebSocket protocol, each instance's hub of local
// connections, and the brokers that fan messages out between instances.
package realtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Broker fans payloads out to every hub instance. A hub subscribes to a
// channel only while it has local subscribers for it.
type Broker interface {
	Publish(ctx context.Context, channel string, payload []byte) error
	Subscribe(ctx context.Context, channels ...string) error
	Unsubscribe(ctx context.Context, channels ...string) error
	// Run delivers incoming payloads to deliver until ctx ends. resync is
	// called after the broker lost and regained its connection, when
	// messages may have been missed.
	Run(ctx context.Context, deliver func(channel string, payload []byte), resync func()) error
	Ping(ctx context.Context) error
	Name() string
}

// MemoryBroker is the in-process broker for a single instance: publishing
// delivers straight to the local subscribers' handler.
type MemoryBroker struct {
	mu      sync.RWMutex
	subs    map[string]bool
	queue   chan memoryMessage
	started chan struct{}
}

type memoryMessage struct {
	channel string
	payload []byte
}

func NewMemoryBroker() *MemoryBroker {
	return &MemoryBroker{subs: map[string]bool{}, queue: make(chan memoryMessage, 4096)}
}

func (b *MemoryBroker) Name() string                   { return "in-process" }
func (b *MemoryBroker) Ping(ctx context.Context) error { return nil }

func (b *MemoryBroker) Publish(ctx context.Context, channel string, payload []byte) error {
	b.mu.RLock()
	subscribed := b.subs[channel]
	b.mu.RUnlock()
	if !subscribed {
		return nil
	}
	select {
	case b.queue <- memoryMessage{channel, payload}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *MemoryBroker) Subscribe(ctx context.Context, channels ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range channels {
		b.subs[c] = true
	}
	return nil
}

func (b *MemoryBroker) Unsubscribe(ctx context.Context, channels ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range channels {
		delete(b.subs, c)
	}
	return nil
}

func (b *MemoryBroker) Run(ctx context.Context, deliver func(string, []byte), resync func()) error {
	for {
		select {
		case m := <-b.queue:
			deliver(m.channel, m.payload)
		case <-ctx.Done():
			return nil
		}
	}
}

// RedisBroker fans out through Redis pub/sub, one channel per tenant and
// conversation. go-redis reconnects and resubscribes by itself; each
// resubscription is reported through resync so the hub can fill any gap
// from the store.
type RedisBroker struct {
	client *redis.Client
	pubsub *redis.PubSub
	log    *slog.Logger
	// publisher pipelines concurrent publishes (redis_publish.go).
	publisher *redisPublisher
}

func NewRedisBroker(client *redis.Client, log *slog.Logger) *RedisBroker {
	// An empty PubSub that channels are added to as local subscribers appear.
	return &RedisBroker{client: client, pubsub: client.Subscribe(context.Background()), log: log,
		publisher: &redisPublisher{client: client}}
}

func (b *RedisBroker) Name() string { return "redis" }

func (b *RedisBroker) Ping(ctx context.Context) error {
	if err := b.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

// Publish returns once Redis has taken the message. Publishes from
// concurrent senders share one pipeline.
func (b *RedisBroker) Publish(ctx context.Context, channel string, payload []byte) error {
	return b.publisher.publish(ctx, channel, payload)
}

func (b *RedisBroker) Subscribe(ctx context.Context, channels ...string) error {
	return b.pubsub.Subscribe(ctx, channels...)
}

func (b *RedisBroker) Unsubscribe(ctx context.Context, channels ...string) error {
	return b.pubsub.Unsubscribe(ctx, channels...)
}

// Run reads the subscription until ctx ends. Receive surfaces every
// (re)subscription confirmation; a confirmation after an error means the
// connection was re-established and messages may have been lost.
func (b *RedisBroker) Run(ctx context.Context, deliver func(string, []byte), resync func()) error {
	stop := context.AfterFunc(ctx, func() { b.pubsub.Close() })
	defer stop()
	broken := false
	backoff := 50 * time.Millisecond
	for {
		msg, err := b.pubsub.Receive(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, redis.ErrClosed) {
				return nil
			}
			if !broken {
				b.log.Warn("redis subscription lost; reconnecting", "err", err)
			}
			broken = true
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return nil
			}
			backoff = min(backoff*2, 2*time.Second)
			continue
		}
		switch m := msg.(type) {
		case *redis.Message:
			deliver(m.Channel, []byte(m.Payload))
		case *redis.Subscription:
			if broken && m.Kind == "subscribe" {
				broken, backoff = false, 50*time.Millisecond
				b.log.Info("redis subscription restored; filling gaps from the store")
				resync()
			}
		case *redis.Pong:
		}
	}
}

// Close releases the subscription.
func (b *RedisBroker) Close() error { return b.pubsub.Close() }
