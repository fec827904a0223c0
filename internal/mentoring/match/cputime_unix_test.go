//go:build unix

package match

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this test process has used so far (user and
// system, every thread). A time budget is checked against it rather than
// the wall clock, so other work on a busy machine does not fail the test.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
