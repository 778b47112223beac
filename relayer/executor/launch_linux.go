package executor

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// launcherArg0 is the argv[0] under which the running binary acts as the
// command executor's launcher instead of running its own main: it sets the
// job's resource limits on itself, then execs the job's program. Exec keeps
// the pid, the process group and the limits, so the program and everything
// it forks run under the limits from their first instruction. (os/exec
// cannot set limits between fork and exec; setting them on the child after
// it started, as prlimit does, leaves whatever it forked first unlimited.)
const launcherArg0 = "gpumarket-job-launcher"

// launcherPath is the binary the executor runs as the launcher: the running
// one, through the kernel's link, so that it works even after the file was
// replaced by an upgrade.
const launcherPath = "/proc/self/exe"

// launcherFailed is the exit status of a launcher that could not set a
// limit or exec the program (the shell's "command not found" status); its
// stderr says why.
const launcherFailed = 127

// launcherReady is set by RunLimitedMain in a process that is not a launcher:
// this binary will act as one when re-executed.
var launcherReady atomic.Bool

// RunLimitedMain makes the running binary usable as the [Command]
// executor's launcher. Call it first thing in main (and in TestMain of any
// test binary that runs a Command), before anything else reads os.Args or
// starts work: when the binary was started as the launcher, RunLimitedMain
// sets the job's resource limits, replaces the process with the job's
// program and never returns (exiting with status 127 and a line on stderr if
// it cannot). Otherwise it only records that the binary is ready and
// returns. [NewCommand] refuses to run in a binary whose main did not call it.
func RunLimitedMain() {
	if len(os.Args) == 0 || os.Args[0] != launcherArg0 {
		launcherReady.Store(true)
		return
	}
	err := launch(os.Args[1:], os.Environ())
	fmt.Fprintf(os.Stderr, "gpumarket job launcher: %v\n", err)
	os.Exit(launcherFailed)
}

// rlimitNames are the resource limits the launcher sets, by the names used
// on its command line.
var rlimitNames = map[string]int{
	"fsize":  syscall.RLIMIT_FSIZE,
	"nofile": syscall.RLIMIT_NOFILE,
	"core":   syscall.RLIMIT_CORE,
}

// rlimit is one resource limit the launcher sets, soft and hard.
type rlimit struct {
	name  string
	value uint64
}

// launcherArgs returns the launcher's argv: launcherArg0, one "name=value"
// per limit, "--", then the program and its arguments (argv only: nothing
// is ever joined into a shell string).
func launcherArgs(limits []rlimit, program string, args []string) []string {
	argv := []string{launcherArg0}
	for _, l := range limits {
		argv = append(argv, l.name+"="+strconv.FormatUint(l.value, 10))
	}
	argv = append(argv, "--", program)
	return append(argv, args...)
}

// parseLauncherArgs is the inverse of launcherArgs (without argv[0]).
func parseLauncherArgs(args []string) (limits []rlimit, program string, programArgs []string, err error) {
	for i, a := range args {
		if a == "--" {
			if i+1 >= len(args) {
				return nil, "", nil, errors.New("no program after --")
			}
			return limits, args[i+1], args[i+2:], nil
		}
		name, value, ok := strings.Cut(a, "=")
		if _, known := rlimitNames[name]; !ok || !known {
			return nil, "", nil, fmt.Errorf("argument %d: want name=value with name one of fsize, nofile, core", i+1)
		}
		n, err := strconv.ParseUint(value, 10, 64)
		if err != nil {
			return nil, "", nil, fmt.Errorf("limit %s: %w", name, err)
		}
		limits = append(limits, rlimit{name: name, value: n})
	}
	return nil, "", nil, errors.New("no -- before the program")
}

// launch sets the limits named in args on the current process and execs the
// program with env. It returns only on failure.
func launch(args, env []string) error {
	limits, program, programArgs, err := parseLauncherArgs(args)
	if err != nil {
		return fmt.Errorf("parse arguments: %w", err)
	}
	for _, l := range limits {
		if err := setLimit(rlimitNames[l.name], l.value); err != nil {
			return fmt.Errorf("set limit %s=%d: %w", l.name, l.value, err)
		}
	}
	err = syscall.Exec(program, append([]string{program}, programArgs...), env)
	return fmt.Errorf("exec %s: %w", program, err)
}

// setLimit sets resource's soft and hard limits to value, or to the current
// hard limit if that is lower (an unprivileged process cannot raise it).
// Lowering the hard limit is what keeps the program from raising the soft
// one again. It uses syscall.Setrlimit, which also stops the Go runtime from
// restoring its saved RLIMIT_NOFILE at exec.
func setLimit(resource int, value uint64) error {
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(resource, &cur); err != nil {
		return err
	}
	value = min(value, cur.Max)
	return syscall.Setrlimit(resource, &syscall.Rlimit{Cur: value, Max: value})
}
