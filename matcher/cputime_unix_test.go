//go:build unix

package matcher

import (
	"syscall"
	"time"
)

// processCPUTime returns the user+system CPU time the process has used, so
// that benchmarks can report CPU per decision on a shared, busy machine
// where wall-clock figures depend on the neighbours.
func processCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
