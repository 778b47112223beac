//go:build linux

package executor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ProgramRun is one run of a [Command]'s program with arguments and input
// files chosen by an executor built on top of it (package blender's render
// executor), under the same protections as [Command.Run]: the launcher's
// resource limits, a fresh working directory, the output size and file
// caps, the timeout and the kill of every process of the job.
type ProgramRun struct {
	// Prepare is called with the fresh work dir (the job's spec already in
	// it) before the program starts: it writes the job's input files and
	// returns the arguments that follow CommandConfig.Args and the extra
	// environment entries ("NAME=value", after the fixed ones of
	// [Command.Run]: HOME and TMPDIR pointing into the work dir, say). The
	// caller builds them only from values it validated (integers, fixed
	// words) and from paths inside the work dir: never from job bytes. An
	// environment name may not repeat a fixed one, nor an entry hold a NUL.
	// An error from Prepare fails the run before anything is started.
	Prepare func(ctx context.Context, dir *WorkDir) (args, env []string, err error)
}

// ProgramResult is what [Command.RunProgram] returns when the program
// exited with status 0 and the work dir stayed within its limits.
type ProgramResult struct {
	// Dir is the job's working directory with what the program wrote; the
	// caller reads it through Dir and calls Dir.Remove when done.
	Dir *WorkDir
	// Stderr is the tail of the program's stderr (it may hold job data).
	Stderr []byte
	// Elapsed is the program's wall-clock time, from start to exit.
	Elapsed time.Duration
	// UserCPU and SystemCPU are the CPU time of the program and of the
	// processes it waited for (getrusage of the exited child).
	UserCPU, SystemCPU time.Duration
}

// RunProgram runs c's program for job with the input files, arguments and
// environment run's Prepare gives, and returns the work dir the program
// filled. The environment and working directory are those of
// [Command.Run] (the spec is written to GPUMARKET_SPEC_FILE as there), plus
// the entries Prepare returns. Unlike Run it reads neither an output file
// nor usage.json: the caller reads what it needs from the result's Dir and
// measures usage itself (Elapsed, UserCPU, SystemCPU). It returns the
// errors of [Command.Run] (EINVALID for a refused job, ErrTimeout,
// ErrOutputLimit, *ExitError, ctx's error) and Prepare's error, wrapped. On
// error the work dir is already removed.
func (c *Command) RunProgram(ctx context.Context, job Job, run ProgramRun) (*ProgramResult, error) {
	if err := job.Check(c.cfg.MaxSpecBytes); err != nil {
		return nil, err
	}
	work, err := createWorkDir(c.cfg.WorkRoot)
	if err != nil {
		return nil, fmt.Errorf("job %d: %w", job.ID, err)
	}
	dir := &WorkDir{w: work}
	ok := false
	defer func() {
		if !ok {
			if err := work.remove(); err != nil {
				c.log.Error("remove work dir", "job_id", job.ID, "err", err)
			}
		}
	}()
	specPath := filepath.Join(work.path, specFileName)
	if err := writeNewFile(work.root, specFileName, job.Spec); err != nil {
		return nil, fmt.Errorf("job %d: write spec: %w", job.ID, err)
	}
	runCtx, cancel := withJobTimeout(ctx, c.now(), c.cfg.Timeout, job)
	defer cancel()
	var runArgs, runEnv []string
	if run.Prepare != nil {
		if runArgs, runEnv, err = run.Prepare(runCtx, dir); err != nil {
			if errors.Is(context.Cause(runCtx), ErrTimeout) && ctx.Err() == nil {
				err = fmt.Errorf("%w (timeout %v or the job deadline): %v", ErrTimeout, c.cfg.Timeout, err)
			}
			return nil, fmt.Errorf("run job %d: prepare: %w", job.ID, err)
		}
	}
	for _, e := range runEnv {
		name, _, hasValue := strings.Cut(e, "=")
		if !hasValue || name == "" || strings.ContainsRune(e, 0) || fixedEnv[name] {
			return nil, fmt.Errorf("run job %d: environment entry %q: want NAME=value, not a fixed name", job.ID, shorten(name))
		}
	}
	for _, a := range runArgs {
		if strings.ContainsRune(a, 0) {
			return nil, fmt.Errorf("run job %d: an argument holds a NUL", job.ID)
		}
	}
	if runCtx.Err() != nil {
		return nil, fmt.Errorf("run job %d: not started: %w", job.ID, context.Cause(runCtx))
	}
	env := append([]string{
		"GPUMARKET_JOB_ID=" + job.ID.String(),
		"GPUMARKET_JOB_KIND=" + job.Kind.String(),
		"GPUMARKET_SPEC_FILE=" + specPath,
		"GPUMARKET_OUTPUT_FILE=" + filepath.Join(work.path, outputFileName),
		"PATH=" + c.cfg.Path,
	}, runEnv...)
	args := append(append([]string(nil), c.cfg.Args...), runArgs...)
	c.log.Info("job started", "job_id", job.ID, "kind", job.Kind, "program", c.cfg.Program)
	start := c.now()
	stderr, state, err := c.execute(runCtx, work, args, env, "GPUMARKET_SPEC_FILE="+specPath)
	elapsed := c.now().Sub(start)
	if err != nil {
		c.log.Warn("job failed", "job_id", job.ID, "kind", job.Kind, "err", err)
		return nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	if err := work.check(); err != nil {
		return nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	res := &ProgramResult{Dir: dir, Stderr: stderr, Elapsed: elapsed}
	if ru, isRusage := state.SysUsage().(*syscall.Rusage); isRusage {
		res.UserCPU = time.Duration(ru.Utime.Nano())
		res.SystemCPU = time.Duration(ru.Stime.Nano())
	}
	ok = true
	return res, nil
}

// fixedEnv are the names [Command.Run] sets, which the environment a
// ProgramRun's Prepare returns may not repeat.
var fixedEnv = map[string]bool{
	"GPUMARKET_JOB_ID": true, "GPUMARKET_JOB_KIND": true, "GPUMARKET_SPEC_FILE": true,
	"GPUMARKET_OUTPUT_FILE": true, "PATH": true,
}

// WorkDir is a job's working directory as [Command.RunProgram] hands it to
// an executor: everything is read and written through the directory opened
// when it was created (never by path), after checking that the path still
// names it.
type WorkDir struct{ w *workDir }

// Path is the directory's absolute path, as the program sees it.
func (d *WorkDir) Path() string { return d.w.path }

// Mkdir creates the directory name (relative, inside the work dir, mode
// 0700). It returns the error of os.Root.Mkdir.
func (d *WorkDir) Mkdir(name string) error {
	if err := d.w.check(); err != nil {
		return err
	}
	return d.w.root.Mkdir(name, 0o700)
}

// Create creates the new file name (relative, inside the work dir, mode
// 0600; it must not exist) and returns it open for writing. It returns the
// error of os.Root.OpenFile.
func (d *WorkDir) Create(name string) (*os.File, error) {
	if err := d.w.check(); err != nil {
		return nil, err
	}
	return d.w.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// ReadDir lists the directory name inside the work dir, sorted by name. It
// returns an error when the work dir was replaced or name cannot be read.
func (d *WorkDir) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := d.w.check(); err != nil {
		return nil, err
	}
	return fs.ReadDir(d.w.root.FS(), name)
}

// Open opens name for reading: a regular file with one link (not a
// symlink, a device or a hard link to a file elsewhere) of at most maxBytes
// inside the work dir. It returns the open file and its size, or an error
// (wrapping fs.ErrNotExist when there is no such entry).
func (d *WorkDir) Open(name string, maxBytes int64) (*os.File, int64, error) {
	if err := d.w.check(); err != nil {
		return nil, 0, err
	}
	return openSingleFile(d.w.root, name, maxBytes)
}

// Remove deletes the work dir (see [Command.Run] for a directory the
// program replaced). Call it once, when nothing reads the directory any
// more.
func (d *WorkDir) Remove() error { return d.w.remove() }
