// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp)
// inside tests, which can be told to accept, refuse, stall or drop.
package mailtest

import (
	"bytes"
	"errors"
	"io"
	"net"
	netmail "net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Catcher is a real SMTP server for tests, which can be told to
// accept, refuse (451 on MAIL FROM), stall (hold DATA until released) or
// drop the connection in the middle of DATA.
type Catcher struct {
	t    testing.TB
	srv  *smtp.Server
	ln   net.Listener
	Addr string

	mu      sync.Mutex
	mode    string
	mails   []Mail
	release chan struct{}
	stalled chan struct{} // receives once per stalled DATA
}

// Mail is one mail the server accepted: the envelope and the raw message.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// Message parses the caught mail.
func (c Mail) Message(t testing.TB) *netmail.Message {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(c.Data))
	if err != nil {
		t.Fatalf("caught mail does not parse: %v\n%s", err, c.Data)
	}
	return m
}

// Start listens on a loopback port (addr "" picks one).
func Start(t testing.TB, addr string) *Catcher {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen for smtp: %v", err)
	}
	c := &Catcher{t: t, ln: ln, Addr: ln.Addr().String(), mode: "accept", release: make(chan struct{}), stalled: make(chan struct{}, 100)}
	c.srv = smtp.NewServer(smtp.BackendFunc(func(conn *smtp.Conn) (smtp.Session, error) {
		return &catcherSession{c: c, conn: conn}, nil
	}))
	c.srv.Domain = "localhost"
	c.srv.AllowInsecureAuth = true
	c.srv.ReadTimeout = time.Minute
	c.srv.WriteTimeout = time.Minute
	done := make(chan struct{})
	go func() { defer close(done); _ = c.srv.Serve(ln) }()
	t.Cleanup(func() { c.Stop(); <-done })
	return c
}

// Stop closes the server (idempotent); stalled sessions are released.
func (c *Catcher) Stop() {
	c.mu.Lock()
	select {
	case <-c.release:
	default:
		close(c.release)
	}
	c.mu.Unlock()
	// Closing the listener ourselves also stops a Serve that had not yet
	// registered it with the server when Close ran.
	_ = c.ln.Close()
	_ = c.srv.Close()
}

func (c *Catcher) SetMode(mode string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mode = mode
}

func (c *Catcher) getMode() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode
}

func (c *Catcher) Caught() []Mail {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Mail(nil), c.mails...)
}

// WaitFor waits until n mails have arrived.
func (c *Catcher) WaitFor(n int) []Mail {
	c.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		got := c.Caught()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("waited a minute for %d mails, got %d", n, len(got))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type catcherSession struct {
	c    *Catcher
	conn *smtp.Conn
	from string
	to   []string
}

func (s *catcherSession) Reset()        { s.from, s.to = "", nil }
func (s *catcherSession) Logout() error { return nil }

func (s *catcherSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.c.getMode() == "refuse" {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "not now, try later"}
	}
	s.from = from
	return nil
}

func (s *catcherSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *catcherSession) Data(r io.Reader) error {
	switch s.c.getMode() {
	case "stall":
		s.c.stalled <- struct{}{}
		<-s.c.release
		_, _ = io.Copy(io.Discard, r)
		return errors.New("stalled")
	case "drop":
		buf := make([]byte, 64)
		_, _ = io.ReadFull(r, buf)
		s.conn.Conn().Close()
		return errors.New("dropped")
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.c.mu.Lock()
	s.c.mails = append(s.c.mails, Mail{From: s.from, To: append([]string(nil), s.to...), Data: data})
	s.c.mu.Unlock()
	return nil
}
