package indexer

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// LocalOwner returns this process's default lease owner: "<hostname>-<pid>",
// unique on the host while the process runs.
func LocalOwner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// LocalHolderGone reports whether holder names, in LocalOwner's form, a
// process on this host that no longer runs: a predecessor that crashed or was
// killed, whose lease a restarted indexer may take over at once. A holder on
// another host, in another form, or whose process still runs (or whose pid
// was reused) is not gone: its lease is waited out.
func LocalHolderGone(holder string) bool {
	i := strings.LastIndexByte(holder, '-')
	if i < 0 {
		return false
	}
	host, _ := os.Hostname()
	pid, err := strconv.Atoi(holder[i+1:])
	if holder[:i] != host || err != nil || pid <= 0 || pid == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
