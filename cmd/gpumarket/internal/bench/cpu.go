package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times (100 on
// every Linux the project runs on).
const clockTicks = 100

// procCPU reads a process's user+system time from /proc/<pid>/stat, with
// its waited-for children's when children is true, and its parent's pid.
func procCPU(pid int, children bool) (cpu time.Duration, ppid int, err error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0, err
	}
	// The command name (field 2) may hold spaces; the fields after it do not.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 15 {
		return 0, 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	// f[0] is field 3 (state): ppid is field 4, utime..cstime fields 14-17.
	ppid, _ = strconv.Atoi(f[1])
	var ticks int64
	last := 12
	if children {
		last = 14
	}
	for _, v := range f[11 : last+1] {
		n, _ := strconv.ParseInt(v, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, ppid, nil
}

// treeCPU is the CPU time of a server and its children: the postmaster's
// own, its reaped children's (backends that exited) and each live child's.
func treeCPU(root int) (time.Duration, error) {
	total, _, err := procCPU(root, true)
	if err != nil {
		return 0, err
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == root {
			continue
		}
		if cpu, ppid, err := procCPU(pid, false); err == nil && ppid == root {
			total += cpu
		}
	}
	return total, nil
}

// selfCPU is this process's user+system time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reads the CPU time of the processes a measurement involves:
// the node (anvil), the PostgreSQL server (when it runs on this machine)
// and this process. A pid of 0 is unknown and reads as 0.
type cpuMeter struct{ node, postmaster int }

// cpuSample is one reading of a cpuMeter.
type cpuSample struct{ node, server, self time.Duration }

func (m cpuMeter) read() cpuSample {
	var s cpuSample
	if m.node > 0 {
		s.node, _, _ = procCPU(m.node, true)
	}
	if m.postmaster > 0 {
		s.server, _ = treeCPU(m.postmaster)
	}
	s.self = selfCPU()
	return s
}

func (s cpuSample) sub(t cpuSample) cpuSample {
	return cpuSample{node: s.node - t.node, server: s.server - t.server, self: s.self - t.self}
}

// cpuFigures are the CPU seconds one side of a run pair spent.
type cpuFigures struct {
	client, server, node time.Duration // the indexer (or the raw limit's loop), PostgreSQL, anvil
}

func (c cpuFigures) String() string {
	return fmt.Sprintf("client %.2f + postgres %.2f + anvil %.2f = %.2f CPU s", c.client.Seconds(), c.server.Seconds(), c.node.Seconds(),
		(c.client + c.server + c.node).Seconds())
}
