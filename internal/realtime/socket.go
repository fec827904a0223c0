package realtime

import (
	"bufio"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/coder/websocket"
	"github.com/gin-gonic/gin"
)

// Sizes of the read and write buffers a socket keeps for its whole life.
// net/http hands a hijacked connection 4 KiB of each; most of a member's
// sockets sit idle for hours. Frames larger than a buffer bypass it, so the
// only cost is one more read call for a client frame over 128 bytes
// (clients send little) and one more write call for a frame over 512.
const (
	connReadBuffer  = 128
	connWriteBuffer = 512
)

// socket is the raw side of a WebSocket connection, which
// github.com/coder/websocket does not expose: write deadlines, and a way
// for an idle reader to wait for data without sitting deep inside the
// library's read path (see awaitReadable).
type socket struct {
	conn net.Conn      // nil if the upgrade did not go through hijack
	br   *bufio.Reader // the reader the library reads frames through
	// raw is set when waiting outside the library is safe: a plain socket
	// whose every byte after the handshake goes through br.
	raw syscall.RawConn
	// closing is held while the library may read br from a goroutine other
	// than the reader's: during a closing handshake the hub starts.
	closing sync.Mutex
	// out is under the library's write buffer; the writer gathers each
	// burst there (burst.go). Nil if the upgrade did not go through hijack.
	out *burstWriter
}

// closeHandshake closes ws with code, reading the peer's answer.
func (s *socket) closeHandshake(ws *websocket.Conn, code websocket.StatusCode, reason string) {
	if s == nil {
		ws.Close(code, reason)
		return
	}
	s.closing.Lock()
	defer s.closing.Unlock()
	ws.Close(code, reason)
}

// hasBuffered reports whether the library has bytes buffered to read.
func (s *socket) hasBuffered() bool {
	s.closing.Lock()
	defer s.closing.Unlock()
	return s.br.Buffered() > 0
}

// setWriteDeadline bounds the writes that follow; the zero time clears it.
func (s *socket) setWriteDeadline(t time.Time) {
	if s != nil && s.conn != nil {
		s.conn.SetWriteDeadline(t)
	}
}

// hijackRecorder hands the WebSocket library small buffers on hijack and
// keeps the connection underneath them.
type hijackRecorder struct {
	gin.ResponseWriter
	sock *socket
	// bursts lends burst buffers (shared by the hub's connections).
	bursts *sync.Pool
}

func (w *hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := w.ResponseWriter.Hijack()
	if err != nil {
		return nil, nil, err
	}
	r, wr := brw.Reader, brw.Writer
	pipelined := r.Buffered() > 0 // the client sent frames before the upgrade answer
	if !pipelined {
		r = bufio.NewReaderSize(conn, connReadBuffer)
	}
	w.sock = &socket{conn: conn, br: r}
	if wr.Buffered() == 0 && w.bursts != nil {
		w.sock.out = &burstWriter{conn: conn, pool: w.bursts}
		wr = bufio.NewWriterSize(w.sock.out, connWriteBuffer)
	} else if wr.Buffered() == 0 {
		wr = bufio.NewWriterSize(conn, connWriteBuffer)
	}
	if sc, ok := conn.(syscall.Conn); ok && !pipelined {
		if raw, err := sc.SyscallConn(); err == nil {
			w.sock.raw = raw
		}
	}
	return conn, bufio.NewReadWriter(r, wr), nil
}
