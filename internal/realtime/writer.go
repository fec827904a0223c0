package realtime

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/coder/websocket"
)

// The writing side of a Conn. Frames wait in a bounded queue; a writer
// goroutine is started when the first frame arrives and exits once the
// queue has stayed empty for WriterLinger. Most sockets sit idle for
// hours, and a parked writer would cost each of them a goroutine stack;
// a busy socket keeps its writer, whose stack has grown to what writing
// needs, instead of growing a new one for every burst. Each burst leaves
// in one write call (burst.go). Keepalive pings go through the same
// writer, started by a timer.

var errConnClosing = errors.New("connection closing")

// enqueue queues a frame without ever blocking on the socket. A full
// queue means the client cannot keep up: it is closed and will resume.
func (c *Conn) enqueue(b []byte) {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	if c.kicked || c.done {
		return
	}
	if len(c.pending) >= c.hub.cfg.QueueMessages || c.queued+len(b) > c.hub.cfg.QueueBytes {
		c.hub.metrics.slowDrops.Inc()
		c.kickLocked(CloseSlowConsumer, "too slow: reconnect and resume")
		return
	}
	c.pending = append(c.pending, b)
	c.queued += len(b)
	c.startWriterLocked()
}

// enqueueWait queues a frame, waiting for room: only the connection's own
// reader goroutine uses it (for replays), never the fan-out.
func (c *Conn) enqueueWait(ctx context.Context, b []byte) error {
	for {
		c.qmu.Lock()
		if c.kicked || c.done {
			c.qmu.Unlock()
			return errConnClosing
		}
		fits := len(c.pending) < c.hub.cfg.QueueMessages && c.queued+len(b) <= c.hub.cfg.QueueBytes
		if fits || c.queued == 0 {
			c.pending = append(c.pending, b)
			c.queued += len(b)
			c.startWriterLocked()
			c.qmu.Unlock()
			return nil
		}
		c.qmu.Unlock()
		select {
		case <-time.After(5 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// kick closes the connection with code once the writer gets to it; frames
// still queued are dropped, since the client resumes anyway.
func (c *Conn) kick(code websocket.StatusCode, reason string) {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	c.kickLocked(code, reason)
}

func (c *Conn) kickLocked(code websocket.StatusCode, reason string) {
	if c.kicked || c.done {
		return
	}
	c.kicked, c.closeCode, c.closeReason = true, code, reason
	c.pending = nil
	c.startWriterLocked()
}

// pingIfQuiet runs on the ping timer: a client heard from within
// PingInterval is alive and needs no ping, which also spares its reader a
// trip into the library to take the pong. Otherwise it asks the writer to
// ping, so the socket still has one writer.
func (c *Conn) pingIfQuiet() {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	if c.done {
		return
	}
	quiet := time.Since(time.Unix(0, c.lastHeard.Load()))
	if wait := c.cfg.PingInterval - quiet; wait > 0 {
		c.pinger.Reset(wait)
		return
	}
	c.pingDue = true
	c.startWriterLocked()
}

// startWriterLocked starts the writer unless it runs already (then it
// wakes it, in case it lingers) or the connection is being torn down
// (serve waits for writers it knows of).
func (c *Conn) startWriterLocked() {
	if c.writing {
		c.wakeWriterLocked()
		return
	}
	if c.done {
		return
	}
	c.writing = true
	c.wake = make(chan struct{}, 1)
	c.writers.Add(1)
	go c.writeLoop(c.wake)
}

// wakeWriterLocked tells a lingering writer there is work, or that the
// connection is ending.
func (c *Conn) wakeWriterLocked() {
	if c.wake == nil {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default: // already told
	}
}

// writeLoop writes until the queue has been empty for WriterLinger, then
// exits. It ends the connection when a write fails or after writing a
// kick's close frame.
func (c *Conn) writeLoop(wake <-chan struct{}) {
	defer c.writers.Done()
	var batch [][]byte
	var linger *time.Timer
	written := 0
	idle := false // the queue was found empty and stayed so for WriterLinger
	for {
		c.qmu.Lock()
		c.queued -= written
		clear(batch)
		batch, written = batch[:0], 0
		kicked, ping := c.kicked, c.pingDue
		c.pingDue = false
		if !kicked && !ping {
			batch, c.pending = c.pending, batch
		}
		if !kicked && !ping && len(batch) == 0 {
			if idle || c.done || c.cfg.WriterLinger <= 0 {
				// Idle from here: keep no slice from the last burst.
				c.writing, c.pending, c.wake = false, nil, nil
				c.qmu.Unlock()
				if linger != nil {
					linger.Stop()
				}
				return
			}
			c.qmu.Unlock()
			if linger == nil {
				linger = time.NewTimer(c.cfg.WriterLinger)
			} else {
				linger.Reset(c.cfg.WriterLinger)
			}
			select {
			case <-wake:
				linger.Stop()
			case <-linger.C:
				idle = true
			}
			continue
		}
		idle = false
		c.qmu.Unlock()

		switch {
		case kicked:
			// Close does the closing handshake; the reader sees it end
			// and serve tears the connection down. The writer stays
			// marked as running, so no other starts.
			c.sock.closeHandshake(c.ws, c.closeCode, c.closeReason)
			c.ws.CloseNow()
			return
		case ping:
			if err := c.ping(); err != nil {
				c.ws.CloseNow()
				return
			}
			c.lastHeard.Store(time.Now().UnixNano())
			c.qmu.Lock()
			if !c.done {
				c.pinger.Reset(c.cfg.PingInterval)
			}
			c.qmu.Unlock()
		default:
			bursting := c.sock.beginBurst()
			for i := 0; i < len(batch); {
				n, err := c.writeCoalesced(batch[i:], !bursting)
				if err != nil {
					if bursting {
						c.sock.endBurst(c.cfg.WriteTimeout)
					}
					c.ws.CloseNow()
					return
				}
				i += n
			}
			if bursting {
				if err := c.sock.endBurst(c.cfg.WriteTimeout); err != nil {
					c.ws.CloseNow()
					return
				}
			}
			written = queuedBytes(batch)
		}
	}
}

func queuedBytes(frames [][]byte) int {
	n := 0
	for _, b := range frames {
		n += len(b)
	}
	return n
}

// ping waits for the pong, which the reader takes.
func (c *Conn) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.WriteTimeout)
	defer cancel()
	return c.ws.Ping(ctx)
}

// writeCoalesced writes the first of frames, joined with as many of the
// following as fit in CoalesceBytes (one JSON object per line), and
// returns how many it wrote. deadline bounds the write (a burst's writes
// only gather in memory; its end is bounded instead).
func (c *Conn) writeCoalesced(frames [][]byte, deadline bool) (int, error) {
	frame, n := frames[0], 1
	var buf *bytes.Buffer
	if len(frames) > 1 && len(frame)+1+len(frames[1]) <= c.cfg.CoalesceBytes {
		buf = c.hub.buffers.Get().(*bytes.Buffer)
		buf.Reset()
		buf.Write(frame)
		for n < len(frames) && buf.Len()+1+len(frames[n]) <= c.cfg.CoalesceBytes {
			buf.WriteByte('\n')
			buf.Write(frames[n])
			n++
		}
		frame = buf.Bytes()
	}
	// A deadline on the socket, not a context: the library keeps the last
	// write's context, which would cost every idle connection a timer.
	if deadline {
		c.sock.setWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
	}
	err := c.ws.Write(context.Background(), websocket.MessageText, frame)
	if deadline {
		c.sock.setWriteDeadline(time.Time{})
	}
	if buf != nil && buf.Cap() <= 4*c.cfg.CoalesceBytes {
		c.hub.buffers.Put(buf) // a burst's oversized buffer is left to the GC
	}
	return n, err
}
