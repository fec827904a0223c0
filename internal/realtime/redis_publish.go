package realtime

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisPublisher sends the PUBLISH commands of concurrent senders in one
// pipeline: one write and one read on the Redis connection for all of
// them, instead of a round trip each (the second largest share of a hub's
// system calls under load, and of Redis's CPU). Like the store's batcher it
// runs a worker only while publishes wait, so an idle hub has none.
type redisPublisher struct {
	client *redis.Client

	mu      sync.Mutex
	queue   []*publishRequest
	running bool
}

type publishRequest struct {
	channel string
	payload []byte
	done    chan error
}

// maxPublishBatch bounds one pipeline.
const maxPublishBatch = 256

// publish queues one PUBLISH and waits until Redis took it or ctx ends.
func (p *redisPublisher) publish(ctx context.Context, channel string, payload []byte) error {
	req := &publishRequest{channel: channel, payload: payload, done: make(chan error, 1)}
	p.mu.Lock()
	p.queue = append(p.queue, req)
	if !p.running {
		p.running = true
		go p.work()
	}
	p.mu.Unlock()
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *redisPublisher) take() []*publishRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == 0 {
		p.running = false
		p.queue = nil
		return nil
	}
	n := min(len(p.queue), maxPublishBatch)
	batch := slices.Clone(p.queue[:n])
	clear(p.queue[:n])
	p.queue = p.queue[n:]
	return batch
}

func (p *redisPublisher) work() {
	for {
		batch := p.take()
		if batch == nil {
			return
		}
		p.send(batch)
	}
}

// send runs one pipeline and answers each request with its own result.
func (p *redisPublisher) send(batch []*publishRequest) {
	// The pipeline's own deadline: the senders wait at most their own.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if len(batch) == 1 {
		r := batch[0]
		r.done <- wrapPublishErr(r.channel, p.client.Publish(ctx, r.channel, r.payload).Err())
		return
	}
	pipe := p.client.Pipeline()
	cmds := make([]*redis.IntCmd, len(batch))
	for i, r := range batch {
		cmds[i] = pipe.Publish(ctx, r.channel, r.payload)
	}
	_, _ = pipe.Exec(ctx) // each command carries its own error
	for i, r := range batch {
		r.done <- wrapPublishErr(r.channel, cmds[i].Err())
	}
}

func wrapPublishErr(channel string, err error) error {
	if err != nil {
		return fmt.Errorf("publish to %s: %w", channel, err)
	}
	return nil
}
