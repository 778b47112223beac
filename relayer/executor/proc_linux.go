package executor

import (
	"bytes"
	"os"
	"strconv"
)

// proc is what the executor needs to know about a process from /proc.
type proc struct {
	pid   int
	state byte
	pgrp  int
}

// dead reports whether the process has exited (a zombie waiting to be reaped
// by its parent counts as dead: it runs nothing and holds no files).
func (p proc) dead() bool { return p.state == 'Z' || p.state == 'X' }

// listProcs returns every process visible in procfs. Processes that vanish
// while being read are skipped.
func listProcs(procfs string) []proc {
	ents, err := os.ReadDir(procfs)
	if err != nil {
		return nil
	}
	var ps []proc
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(procfs, pid); ok {
			ps = append(ps, p)
		}
	}
	return ps
}

// readProc parses /proc/<pid>/stat: "pid (comm) state ppid pgrp ...", where
// comm may itself contain spaces and parentheses.
func readProc(procfs string, pid int) (proc, bool) {
	b, err := os.ReadFile(procfs + "/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return proc{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return proc{}, false
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 3 || len(f[0]) != 1 {
		return proc{}, false
	}
	pgrp, err := strconv.Atoi(string(f[2]))
	if err != nil {
		return proc{}, false
	}
	return proc{pid: pid, state: f[0][0], pgrp: pgrp}, true
}

// environHas reports whether the process's initial environment contains the
// NUL-terminated entry want. Processes of other users are unreadable and
// reported as not matching.
func (p proc) environHas(procfs string, want []byte) bool {
	b, err := os.ReadFile(procfs + "/" + strconv.Itoa(p.pid) + "/environ")
	if err != nil {
		return false
	}
	return bytes.HasPrefix(b, want) || bytes.Contains(b, append([]byte{0}, want...))
}
