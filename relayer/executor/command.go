//go:build linux

package executor

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gpumarket/gpumarket"
)

// usageFileName is where the program reports its usage, in its working
// directory.
const usageFileName = "usage.json"

const (
	specFileName   = "spec.json"
	outputFileName = "output"
	maxUsageBytes  = 4 << 10
	stderrTailSize = 4 << 10
)

// CommandConfig configures a [Command] executor. Zero durations and sizes take
// the defaults named on each field.
type CommandConfig struct {
	// Program is the absolute path of the program to run. Required.
	Program string
	// Args are the program's arguments, fixed for every job.
	Args []string
	// WorkRoot is the existing directory under which per-job working
	// directories are created. Required, absolute.
	WorkRoot string
	// Path is the PATH the program sees. Default "/usr/local/bin:/usr/bin:/bin".
	Path string
	// ContentType is the media type of the program's output. Default
	// "application/octet-stream".
	ContentType string
	// Timeout bounds each job (the job's own deadline may bound it further).
	// Default 10m.
	Timeout time.Duration
	// KillGrace is the time between SIGTERM and SIGKILL. Default 5s.
	KillGrace time.Duration
	// MaxOutputBytes bounds the files the program writes in its working
	// directory, output included. Default 1 GiB. It is also set as the
	// program's RLIMIT_FSIZE (plus one byte), which the kernel applies to
	// every file the program, or anything it starts, writes anywhere: a
	// program that writes large caches outside its working directory needs
	// a larger value.
	MaxOutputBytes int64
	// MaxFiles bounds the number of entries (files, directories, links) in
	// the working directory, the spec, output and usage files included.
	// Default 4096.
	MaxFiles int
	// MaxOpenFiles, when set, is the program's RLIMIT_NOFILE (soft and
	// hard). Default 0: the relayer's own soft limit is inherited.
	MaxOpenFiles uint64
	// MaxLogBytes bounds stdout and stderr, each. Default 1 MiB.
	MaxLogBytes int64
	// MaxSpecBytes bounds the job spec. Default 16 MiB.
	MaxSpecBytes int
	// PollInterval is how often the working directory's size is checked.
	// Default 100ms.
	PollInterval time.Duration
	// Preflight sets the kinds, models and input limits Preflight accepts.
	Preflight PreflightConfig
}

func (c *CommandConfig) setDefaults() {
	c.Path = cmp.Or(c.Path, "/usr/local/bin:/usr/bin:/bin")
	c.ContentType = cmp.Or(c.ContentType, "application/octet-stream")
	c.Timeout = cmp.Or(c.Timeout, 10*time.Minute)
	c.KillGrace = cmp.Or(c.KillGrace, 5*time.Second)
	c.MaxOutputBytes = cmp.Or(c.MaxOutputBytes, 1<<30)
	c.MaxFiles = cmp.Or(c.MaxFiles, 4096)
	c.MaxLogBytes = cmp.Or(c.MaxLogBytes, 1<<20)
	c.MaxSpecBytes = cmp.Or(c.MaxSpecBytes, 16<<20)
	c.PollInterval = cmp.Or(c.PollInterval, 100*time.Millisecond)
}

func (c *CommandConfig) validate() error {
	bad := func(field, format string, args ...any) error { return badConfig("command", field, format, args...) }
	if !filepath.IsAbs(c.Program) {
		return bad("Program", "%q is not an absolute path", c.Program)
	}
	if st, err := os.Stat(c.Program); err != nil {
		return bad("Program", "%v", err)
	} else if !st.Mode().IsRegular() || st.Mode().Perm()&0o111 == 0 {
		return bad("Program", "%q is not an executable file", c.Program)
	}
	if !filepath.IsAbs(c.WorkRoot) {
		return bad("WorkRoot", "%q is not an absolute path", c.WorkRoot)
	}
	if st, err := os.Stat(c.WorkRoot); err != nil {
		return bad("WorkRoot", "%v", err)
	} else if !st.IsDir() {
		return bad("WorkRoot", "%q is not a directory", c.WorkRoot)
	}
	for field, v := range map[string]string{"WorkRoot": c.WorkRoot, "Path": c.Path} {
		if strings.ContainsAny(v, "\x00\n\r") {
			return bad(field, "contains a NUL or line break")
		}
	}
	if c.Timeout < 0 || c.KillGrace < 0 || c.PollInterval < 0 {
		return bad("Timeout/KillGrace/PollInterval", "negative duration")
	}
	if c.MaxOutputBytes < 0 || c.MaxLogBytes < 0 || c.MaxSpecBytes < 0 || c.MaxFiles < 0 {
		return bad("MaxOutputBytes/MaxLogBytes/MaxSpecBytes/MaxFiles", "negative size")
	}
	if !launcherReady.Load() {
		return bad("RunLimitedMain", "this binary's main does not call executor.RunLimitedMain first, so job limits cannot be set before the program starts")
	}
	return nil
}

// Command runs a configured program for each job.
//
// # Protocol
//
// The program is started as Program with Args (both fixed in the
// configuration; nothing from the job is added), in a fresh working directory
// created with os.MkdirTemp under WorkRoot (mode 0700, named "job-" plus a
// random suffix: never derived from the job). It is started through the
// relayer's own binary as a launcher (see [RunLimitedMain]), which sets the
// resource limits on itself and then execs Program: RLIMIT_FSIZE
// (MaxOutputBytes+1), RLIMIT_CORE 0 and, if configured, RLIMIT_NOFILE are in
// force from the program's first instruction, for everything it forks.
// (CPU time is bounded by Timeout; RLIMIT_NPROC counts every process of the
// relayer's user and RLIMIT_AS breaks GPU drivers' address space
// reservations, so neither is set.) Its environment is exactly:
//
//	GPUMARKET_JOB_ID       the job id in decimal
//	GPUMARKET_JOB_KIND     render, tts, stt or llm
//	GPUMARKET_SPEC_FILE    absolute path of the job spec (JSON, mode 0600)
//	GPUMARKET_OUTPUT_FILE  absolute path where the program writes its output
//	PATH                   CommandConfig.Path
//
// Nothing else is inherited from the relayer. Stdin is /dev/null.
//
// On success the program exits with status 0 after writing:
//   - the result to GPUMARKET_OUTPUT_FILE (a regular file with exactly one
//     link, not a symlink or a hard link to a file elsewhere; at most
//     MaxOutputBytes; an empty file is a valid empty result), and
//   - its usage to the file usage.json in its working directory, a JSON object
//     {"units1": N, "units2": M} in the units of gpumarket.Usage for the job's
//     kind (unknown fields are refused; at most 4 KiB). Usage goes through a
//     file, not stdout, so that text a program echoes from the spec can never
//     forge it.
//
// Stdout and stderr are captured up to MaxLogBytes each (stderr's tail is
// returned in [ExitError]); writing more kills the job with [ErrOutputLimit].
// The files in the working directory together may not exceed MaxOutputBytes,
// nor number more than MaxFiles (checked every PollInterval and on exit; the
// size is also enforced by RLIMIT_FSIZE per file).
//
// The working directory is opened (an [os.Root]) when it is created, and
// everything the executor reads from it afterwards (output, usage, sizes) is
// read through that descriptor, never by path: before reading, the path must
// still name the same directory (device and inode), so a program that swaps
// its working directory for a symlink or another directory fails the job
// instead of having the relayer read a file elsewhere.
//
// The program runs in its own process group. On timeout, cancellation or an
// exceeded limit the group gets SIGTERM, then SIGKILL after KillGrace (or as
// soon as the program itself exits). When the program exits on its own, any
// process it left in its group is killed with SIGKILL: a job's processes never
// outlive Run. Processes that left the group (setsid) are hunted by their
// environment (they carry this job's GPUMARKET_SPEC_FILE) and killed too; a
// process that both left the group and cleared its environment is beyond what
// this executor can see without cgroups.
//
// Limits: a program is trusted code chosen by the provider, and the executor
// does not sandbox its file system access; what it guarantees is that job
// data reaches the program only as the spec file's contents.
type Command struct {
	cfg    CommandConfig
	log    *slog.Logger
	now    func() time.Time
	procfs string
}

var _ Executor = (*Command)(nil)

// NewCommand returns a command executor. It returns a *ConfigError (EINVALID)
// naming the field when cfg is invalid (relative or missing program or work
// root).
func NewCommand(cfg CommandConfig, log *slog.Logger) (*Command, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.Args = append([]string(nil), cfg.Args...)
	return &Command{cfg: cfg, log: log, now: time.Now, procfs: "/proc"}, nil
}

// ExitError is returned when the program exits unsuccessfully on its own.
type ExitError struct {
	// Status is the exit status, or -1 when a signal ended the program.
	Status int
	// Signal is the signal that ended the program, if any.
	Signal syscall.Signal
	// Stderr is the tail of what the program wrote to stderr. It may contain
	// job data: treat it as private.
	Stderr []byte
}

// Error reports the exit status or signal; the stderr tail is left out of it.
func (e *ExitError) Error() string {
	if e.Signal != 0 {
		return fmt.Sprintf("program killed by signal %v", e.Signal)
	}
	return fmt.Sprintf("program exited with status %d", e.Status)
}

// Run runs the program for job. Besides the errors listed on [Executor], it
// returns an *[ExitError] when the program fails on its own and
// [ErrNoUsage] when it does not write a valid usage.json. On success the
// result's Path is the output file in the job's working directory; Release
// removes that directory.
func (c *Command) Run(ctx context.Context, job Job) (*Result, error) {
	if err := job.Check(c.cfg.MaxSpecBytes); err != nil {
		return nil, err
	}
	if !json.Valid(job.Spec) {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is not valid JSON", job.ID)
	}
	work, err := createWorkDir(c.cfg.WorkRoot)
	if err != nil {
		return nil, fmt.Errorf("job %d: %w", job.ID, err)
	}
	dir := work.path
	ok := false
	defer func() {
		if !ok {
			if err := work.remove(); err != nil {
				c.log.Error("remove work dir", "job_id", job.ID, "err", err)
			}
		}
	}()
	specPath := filepath.Join(dir, specFileName)
	outPath := filepath.Join(dir, outputFileName)
	if err := writeNewFile(work.root, specFileName, job.Spec); err != nil {
		return nil, fmt.Errorf("job %d: write spec: %w", job.ID, err)
	}
	env := []string{
		"GPUMARKET_JOB_ID=" + job.ID.String(),
		"GPUMARKET_JOB_KIND=" + job.Kind.String(),
		"GPUMARKET_SPEC_FILE=" + specPath,
		"GPUMARKET_OUTPUT_FILE=" + outPath,
		"PATH=" + c.cfg.Path,
	}
	runCtx, cancel := withJobTimeout(ctx, c.now(), c.cfg.Timeout, job)
	defer cancel()
	if runCtx.Err() != nil {
		return nil, fmt.Errorf("run job %d: not started: %w", job.ID, context.Cause(runCtx))
	}
	c.log.Info("job started", "job_id", job.ID, "kind", job.Kind, "program", c.cfg.Program)
	stderr, _, err := c.execute(runCtx, work, c.cfg.Args, env, "GPUMARKET_SPEC_FILE="+specPath)
	if err != nil {
		c.log.Warn("job failed", "job_id", job.ID, "kind", job.Kind, "err", err)
		return nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	if len(stderr) > 0 {
		c.log.Debug("job stderr", "job_id", job.ID, "bytes", len(stderr))
	}
	if err := work.check(); err != nil {
		c.log.Warn("job failed", "job_id", job.ID, "kind", job.Kind, "err", err)
		return nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	out, size, err := openSingleFile(work.root, outputFileName, c.cfg.MaxOutputBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("run job %d: program wrote no output file", job.ID)
	case err != nil:
		return nil, fmt.Errorf("run job %d: output: %w", job.ID, err)
	}
	usage, err := readUsage(work.root)
	if err != nil {
		out.Close()
		return nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	c.log.Info("job done", "job_id", job.ID, "kind", job.Kind, "bytes", size, "units1", usage.Units1, "units2", usage.Units2)
	ok = true
	release := func() error {
		out.Close()
		return work.remove()
	}
	return &Result{Path: outPath, ContentType: c.cfg.ContentType, Usage: usage, file: out, size: size, release: release}, nil
}

// execute runs the program with args in the work dir and returns its stderr
// tail and its process state (nil when it did not start). It returns only
// after every process of the job is gone.
func (c *Command) execute(ctx context.Context, work *workDir, args, env []string, marker string) ([]byte, *os.ProcessState, error) {
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("create stdout pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, nil, fmt.Errorf("create stderr pipe: %w", err)
	}
	// The launcher (this binary, see RunLimitedMain) sets the limits on
	// itself and execs the program: the limits hold before its first
	// instruction. A hard per-file size limit one byte above the allowed
	// size stops a program that writes without end (SIGXFSZ) while the
	// overrun is still visible; no core dumps fill the disk.
	limits := []rlimit{{"fsize", uint64(c.cfg.MaxOutputBytes) + 1}, {"core", 0}}
	if c.cfg.MaxOpenFiles > 0 {
		limits = append(limits, rlimit{"nofile", c.cfg.MaxOpenFiles})
	}
	cmd := &exec.Cmd{Path: launcherPath, Args: launcherArgs(limits, c.cfg.Program, args)}
	cmd.Dir = work.path
	cmd.Env = env
	cmd.Stdout = outW
	cmd.Stderr = errW
	// Its own process group, so that the whole job can be signalled at once;
	// SIGKILL if the relayer dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		return nil, nil, fmt.Errorf("start %s: %w", c.cfg.Program, err)
	}
	pgid := cmd.Process.Pid

	overflow := make(chan string, 2)
	stdout := &capture{limit: c.cfg.MaxLogBytes, name: "stdout", overflow: overflow}
	stderr := &capture{limit: c.cfg.MaxLogBytes, name: "stderr", overflow: overflow, keepTail: stderrTailSize}
	var readers sync.WaitGroup
	readers.Go(func() { _, _ = io.Copy(stdout, outR) })
	readers.Go(func() { _, _ = io.Copy(stderr, errR) })
	waitCh := make(chan error, 1)
	go func() { waitCh <- cmd.Wait() }()

	ticker := time.NewTicker(c.cfg.PollInterval)
	defer ticker.Stop()
	var cause error
	var waitErr error
	exited := false
loop:
	for {
		select {
		case waitErr = <-waitCh:
			exited = true
			break loop
		case <-ctx.Done():
			cause = context.Cause(ctx)
			break loop
		case name := <-overflow:
			cause = fmt.Errorf("%w: %s over %d bytes", ErrOutputLimit, name, c.cfg.MaxLogBytes)
			break loop
		case <-ticker.C:
			if cause = c.overLimit(work.root); cause != nil {
				break loop
			}
		}
	}
	if !exited {
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		grace := time.NewTimer(c.cfg.KillGrace)
		select {
		case waitErr = <-waitCh:
			exited = true
		case <-grace.C:
		}
		grace.Stop()
	}
	// Whatever is left of the job's group dies now, on success too.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	if !exited {
		waitErr = <-waitCh
	}
	survivors := c.reap(pgid, marker)

	// Readers end when the last holder of the pipes is dead; if something we
	// cannot see still holds them, stop reading after a while.
	done := make(chan struct{})
	go func() { readers.Wait(); close(done) }()
	drain := time.NewTimer(time.Second)
	select {
	case <-done:
	case <-drain.C:
		outR.Close()
		errR.Close()
		<-done
	}
	drain.Stop()
	outR.Close()
	errR.Close()

	if cause == nil {
		select {
		case name := <-overflow:
			cause = fmt.Errorf("%w: %s over %d bytes", ErrOutputLimit, name, c.cfg.MaxLogBytes)
		default:
		}
	}
	if cause == nil {
		cause = c.overLimit(work.root)
	}
	if survivors > 0 {
		c.log.Error("job processes survived SIGKILL", "pgid", pgid, "count", survivors)
		if cause == nil {
			cause = fmt.Errorf("%d job processes survived SIGKILL", survivors)
		}
	}
	if cause != nil {
		if errors.Is(cause, ErrTimeout) {
			return stderr.tail(), cmd.ProcessState, fmt.Errorf("%w (timeout %v or the job deadline)", ErrTimeout, c.cfg.Timeout)
		}
		return stderr.tail(), cmd.ProcessState, cause
	}
	if waitErr != nil {
		var ee *exec.ExitError
		if errors.As(waitErr, &ee) {
			xe := &ExitError{Status: ee.ExitCode(), Stderr: stderr.tail()}
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				xe.Signal = ws.Signal()
			}
			return xe.Stderr, cmd.ProcessState, xe
		}
		return stderr.tail(), cmd.ProcessState, fmt.Errorf("wait for program: %w", waitErr)
	}
	return stderr.tail(), cmd.ProcessState, nil
}

// reap kills, until none is left alive, every process in group pgid and every
// process whose environment carries marker (those that left the group). It
// returns how many were still alive when it gave up (after about 10s).
func (c *Command) reap(pgid int, marker string) int {
	want := []byte(marker + "\x00")
	var alive []int
	for range 1000 {
		alive = alive[:0]
		for _, p := range listProcs(c.procfs) {
			if p.dead() || p.pid == os.Getpid() {
				continue
			}
			if p.pgrp == pgid || p.environHas(c.procfs, want) {
				alive = append(alive, p.pid)
			}
		}
		if len(alive) == 0 {
			return 0
		}
		for _, pid := range alive {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		time.Sleep(10 * time.Millisecond)
	}
	return len(alive)
}

// capture is an io.Writer that keeps up to limit bytes (or only the last
// keepTail of them) and reports once on overflow, then discards.
type capture struct {
	mu       sync.Mutex
	limit    int64
	keepTail int
	name     string
	n        int64
	buf      bytes.Buffer
	overflow chan<- string
	tripped  bool
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += int64(len(p))
	if c.n > c.limit {
		if !c.tripped {
			c.tripped = true
			c.overflow <- c.name
		}
		return len(p), nil
	}
	c.buf.Write(p)
	if c.keepTail > 0 && c.buf.Len() > 2*c.keepTail {
		tail := append([]byte(nil), c.buf.Bytes()[c.buf.Len()-c.keepTail:]...)
		c.buf.Reset()
		c.buf.Write(tail)
	}
	return len(p), nil
}

func (c *capture) tail() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buf.Bytes()
	if c.keepTail > 0 && len(b) > c.keepTail {
		b = b[len(b)-c.keepTail:]
	}
	return append([]byte(nil), b...)
}

// overLimit returns an ErrOutputLimit error when the work dir holds more
// than MaxOutputBytes in regular files or more than MaxFiles entries.
func (c *Command) overLimit(root *os.Root) error {
	n, files := dirUsage(root, c.cfg.MaxOutputBytes, c.cfg.MaxFiles)
	switch {
	case n > c.cfg.MaxOutputBytes:
		return fmt.Errorf("%w: files over %d bytes", ErrOutputLimit, c.cfg.MaxOutputBytes)
	case files > c.cfg.MaxFiles:
		return fmt.Errorf("%w: more than %d files in the work dir", ErrOutputLimit, c.cfg.MaxFiles)
	}
	return nil
}

// dirUsage sums the sizes of the regular files under root and counts its
// entries (the root itself left out), stopping early once the sum exceeds
// stopBytes or the count stopFiles. Symbolic links are counted, never
// followed.
func dirUsage(root *os.Root, stopBytes int64, stopFiles int) (n int64, files int) {
	_ = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "." {
			return nil
		}
		files++
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		if n > stopBytes || files > stopFiles {
			return fs.SkipAll
		}
		return nil
	})
	return n, files
}

// workDir is a job's working directory: its path, as the program sees it,
// and the directory opened when it was created, through which everything
// is read.
type workDir struct {
	path string
	root *os.Root
	id   fs.FileInfo // of the directory root opened: device and inode
}

// createWorkDir creates a fresh job-* directory under parent and opens it.
func createWorkDir(parent string) (*workDir, error) {
	dir, err := os.MkdirTemp(parent, "job-")
	if err != nil {
		return nil, fmt.Errorf("create work dir: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("open work dir: %w", err)
	}
	id, err := root.Stat(".")
	if err != nil {
		root.Close()
		os.Remove(dir)
		return nil, fmt.Errorf("stat work dir: %w", err)
	}
	w := &workDir{path: dir, root: root, id: id}
	if err := w.check(); err != nil {
		root.Close()
		return nil, err
	}
	return w, nil
}

// check verifies that the path still names the directory opened at creation
// (not a symlink, not another directory moved into its place).
func (w *workDir) check() error {
	st, err := os.Lstat(w.path)
	if err != nil {
		return fmt.Errorf("work dir is gone: %w", err)
	}
	if !st.IsDir() || !os.SameFile(st, w.id) {
		return fmt.Errorf("work dir was replaced (now %v, device and inode differ): its files are not read", st.Mode().Type())
	}
	return nil
}

// remove deletes the work dir. If its path no longer names the directory
// created (the program swapped it), only the original directory's contents
// are removed, through its descriptor, and whatever the path now names is
// left alone.
func (w *workDir) remove() error {
	defer w.root.Close()
	if w.check() == nil {
		return os.RemoveAll(w.path)
	}
	d, err := w.root.Open(".")
	if err != nil {
		return fmt.Errorf("open replaced work dir: %w", err)
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return fmt.Errorf("list replaced work dir: %w", err)
	}
	for _, name := range names {
		if err := w.root.RemoveAll(name); err != nil {
			return fmt.Errorf("empty replaced work dir: %w", err)
		}
	}
	return fmt.Errorf("work dir %s was replaced by the program: emptied the original through its descriptor, left the path alone", w.path)
}

// openSingleFile opens name in root for reading: it must be a regular file
// (not a symlink, device or directory) with exactly one link (not a hard
// link to a file elsewhere), of at most maxBytes. It returns the open file
// and its size, or an error wrapping fs.ErrNotExist when there is no such
// entry.
func openSingleFile(root *os.Root, name string, maxBytes int64) (*os.File, int64, error) {
	st, err := root.Lstat(name)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is not a regular file (%v)", name, st.Mode().Type())
	}
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, err
	}
	fst, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	var links uint64
	if sys, ok := fst.Sys().(*syscall.Stat_t); ok {
		links = uint64(sys.Nlink)
	}
	switch {
	case !os.SameFile(st, fst) || !fst.Mode().IsRegular():
		err = fmt.Errorf("%s changed while it was opened", name)
	case links != 1:
		err = fmt.Errorf("%s is not a regular file with one link (it has %d: a hard link to a file elsewhere?)", name, links)
	case fst.Size() > maxBytes:
		err = fmt.Errorf("%s is %d bytes, over %d", name, fst.Size(), maxBytes)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fst.Size(), nil
}

// writeNewFile creates name in root (mode 0600, failing if it exists) and
// writes data to it.
func writeNewFile(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// decodeUsage decodes {"units1": N, "units2": M} with
// gpumarket.UnmarshalStrict; both fields are optional non-negative integers
// and nothing else is allowed.
func decodeUsage(data []byte) (gpumarket.Usage, error) {
	var v struct {
		Units1 uint64 `json:"units1"`
		Units2 uint64 `json:"units2"`
	}
	if err := gpumarket.UnmarshalStrict(data, &v); err != nil {
		return gpumarket.Usage{}, errors.New(gpumarket.ErrorMessage(err))
	}
	return gpumarket.Usage{Units1: v.Units1, Units2: v.Units2}, nil
}

// readUsage reads and strictly decodes the program's usage file in root.
func readUsage(root *os.Root) (gpumarket.Usage, error) {
	f, _, err := openSingleFile(root, usageFileName, maxUsageBytes)
	if err != nil {
		return gpumarket.Usage{}, fmt.Errorf("%w: %v", ErrNoUsage, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUsageBytes+1))
	if err != nil {
		return gpumarket.Usage{}, fmt.Errorf("%w: read %s: %v", ErrNoUsage, usageFileName, err)
	}
	u, err := decodeUsage(data)
	if err != nil {
		return gpumarket.Usage{}, fmt.Errorf("%w: %s: %v", ErrNoUsage, usageFileName, err)
	}
	return u, nil
}
