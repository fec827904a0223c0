//go:build unix

package realtime

import (
	"errors"
	"syscall"
)

// awaitReadable parks the reader until the socket has bytes to read, at a
// shallow depth: a goroutine blocked deep inside the library's read path
// keeps an 8 KiB stack, one parked here shrinks to 4 KiB at the next GC,
// and an idle member's socket is mostly this goroutine. It returns at once
// when bytes are already buffered, or when waiting here is not safe.
func (s *socket) awaitReadable() error {
	if s == nil || s.raw == nil || s.hasBuffered() {
		return nil
	}
	var peek [1]byte
	return s.raw.Read(func(fd uintptr) bool {
		// Asked first, then after each readiness wake-up: done unless
		// the kernel has nothing yet. EOF and errors are for the
		// library's read to find and report.
		_, _, err := syscall.Recvfrom(int(fd), peek[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return !errors.Is(err, syscall.EAGAIN)
	})
}
