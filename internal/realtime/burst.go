package realtime

import (
	"net"
	"sync"
	"time"
)

// burstWriter sits under the library's small write buffer. Between
// beginBurst and endBurst it keeps what the library flushes, so a burst of
// frames (and a frame larger than the library's 512-byte buffer, which it
// would flush in pieces) leaves in one write call; outside a burst it
// writes straight through. The burst's buffer is borrowed from a pool for
// the burst only, so an idle socket keeps none.
type burstWriter struct {
	conn net.Conn
	pool *sync.Pool // of *[]byte

	// mu serialises writes to conn: the library may write a control frame
	// (a pong, a close) from the reader goroutine while a burst is held.
	mu      sync.Mutex
	holding bool
	buf     *[]byte
}

func (w *burstWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.holding {
		*w.buf = append(*w.buf, p...)
		return len(p), nil
	}
	return w.conn.Write(p)
}

// maxKeptBurst is the largest burst buffer returned to the pool; a
// bigger one (a replay) is left to the collector.
const maxKeptBurst = 64 << 10

func (w *burstWriter) begin() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.holding = true
	w.buf = w.pool.Get().(*[]byte)
	*w.buf = (*w.buf)[:0]
}

// end writes what the burst gathered, within timeout, and stops holding.
func (w *burstWriter) end(timeout time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.holding = false
	buf := w.buf
	w.buf = nil
	var err error
	if len(*buf) > 0 {
		w.conn.SetWriteDeadline(time.Now().Add(timeout))
		_, err = w.conn.Write(*buf)
		w.conn.SetWriteDeadline(time.Time{})
	}
	if cap(*buf) <= maxKeptBurst {
		w.pool.Put(buf)
	}
	return err
}

// beginBurst starts holding writes; false when the socket has no burst
// writer (it was not hijacked), and writes go out as the library makes
// them.
func (s *socket) beginBurst() bool {
	if s == nil || s.out == nil {
		return false
	}
	s.out.begin()
	return true
}

// endBurst sends what the burst held in one write.
func (s *socket) endBurst(timeout time.Duration) error {
	return s.out.end(timeout)
}
