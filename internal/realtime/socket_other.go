//go:build !unix

package realtime

// awaitReadable does nothing where the socket cannot be polled: the reader
// waits inside the library's read instead.
func (s *socket) awaitReadable() error { return nil }
