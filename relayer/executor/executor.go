// Package executor runs one job and returns its output and usage. It is the
// part of the provider's relayer that does the work the chain pays for.
//
// Two executors here implement [Executor], and a third stands beside them:
//   - [Command] runs a program configured by the provider, in a fresh working
//     directory per job, with the job spec in a file, a fixed environment, a
//     timeout, an output size limit and a kill of its whole process group.
//   - [HTTP] posts the spec to a local inference server.
//   - [Command.RunProgram] runs the program with per-job arguments and
//     input files under the same protections, for executors built on top
//     of it (package blender's render executor); [FetchInput] downloads a
//     job's input with Preflight's client, checked against its declared
//     size and sha256.
//   - package synthetic (the demo executor) computes a small deterministic
//     result for each job kind without a GPU (a PNG, a WAV, a transcript, a
//     token stream), so that the demo and the tests run real jobs end to end.
//
// Engines a provider already runs have their own packages: openai
// (OpenAI-compatible LLM, TTS and STT servers) and speech (espeak-ng and
// pocketsphinx on the CPU, through [Command]). A [Router] runs several of
// them in one relayer, dispatching each job by its kind and model.
//
// Invariants:
//   - No field of a job (its id, its kind, any byte of its spec) is ever
//     interpolated into a command line, a shell, an environment variable other
//     than the fixed ones, a URL or a file path. The spec travels as opaque
//     bytes: in a file whose name the executor chooses, or as a request body.
//   - A job never outlives [Executor.Run]: when Run returns, the command
//     executor has killed every process left in the job's process group.
//   - Outputs are bounded: exceeding a limit fails the job with
//     [ErrOutputLimit] rather than filling memory or disk. The command
//     executor's resource limits are set before the program's first
//     instruction (the binary re-executes itself as a launcher, see
//     [RunLimitedMain]), so nothing the program forks escapes them.
//   - The command executor reads a job's output only from a regular file
//     with one link in the job's own working directory, through the
//     directory it created (checked by device and inode), never through a
//     symlink, a hard link or a directory swapped in by the program.
package executor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gpumarket/gpumarket"
)

// ConfigError is the EINVALID error NewCommand and NewHTTP return for a bad
// setting. Field names the config field at fault (Program, WorkRoot, URL,
// …) so that a caller can name its own flag or setting for it instead.
type ConfigError struct {
	Executor string // "command" or "http"
	Field    string
	Reason   string
}

func (e *ConfigError) Error() string { return e.Unwrap().Error() }

// Unwrap returns the error as an EINVALID *gpumarket.Error, for
// gpumarket.ErrorCode and gpumarket.ErrorMessage.
func (e *ConfigError) Unwrap() error {
	return gpumarket.Errorf(gpumarket.EINVALID, "%s executor config: %s: %s", e.Executor, e.Field, e.Reason)
}

func badConfig(executor, field, format string, args ...any) error {
	return &ConfigError{Executor: executor, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Job is one unit of work handed to an executor.
type Job struct {
	ID   gpumarket.JobID
	Kind gpumarket.JobKind
	// Spec is the job description as the client wrote it (JSON: inputs, model,
	// parameters). Executors treat it as untrusted bytes.
	Spec []byte
	// Deadline is when the result must be ready; the zero time means no
	// deadline beyond the executor's own timeout.
	Deadline time.Time
}

// Result is the output of a job.
//
// Exactly one of Body and Path is set. Path names a file owned by the result
// (large outputs stay on disk); call Release when done with it. Read the
// output with Open: for the command executor it reads the file the executor
// checked, through the descriptor it opened, whatever Path names by then.
type Result struct {
	Body        []byte
	Path        string
	ContentType string
	Usage       gpumarket.Usage

	file    *os.File // the checked output, when the executor opened it
	size    int64    // of file
	release func() error
}

// Open returns a reader over the output, whether it is held in memory or on
// disk; readers are independent and may be opened more than once until
// Release. It returns the error of os.Open for a file that cannot be opened.
func (r *Result) Open() (io.ReadCloser, error) {
	if r.file != nil {
		return io.NopCloser(io.NewSectionReader(r.file, 0, r.size)), nil
	}
	if r.Path == "" {
		return io.NopCloser(bytes.NewReader(r.Body)), nil
	}
	f, err := os.Open(r.Path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Release frees what the result holds on disk (the command executor's working
// directory). It is safe to call more than once and on in-memory results.
func (r *Result) Release() error {
	if r.release == nil {
		return nil
	}
	f := r.release
	r.release, r.file = nil, nil
	return f()
}

// FileResult returns a Result whose output is the open file f of size
// bytes, at path (for logs; Open reads through f); Release closes f and
// calls release (which may be nil). Executors built on RunProgram use it to
// hand back an output that stays on disk.
func FileResult(path string, f *os.File, size int64, contentType string, usage gpumarket.Usage, release func() error) *Result {
	return &Result{Path: path, ContentType: contentType, Usage: usage, file: f, size: size, release: func() error {
		f.Close()
		if release == nil {
			return nil
		}
		return release()
	}}
}

// Executor runs jobs.
type Executor interface {
	// Run executes job and returns its result. It returns an EINVALID
	// *gpumarket.Error for a job it refuses (unknown kind, invalid spec),
	// [ErrTimeout] when the job overran its time, [ErrOutputLimit] when it
	// produced too much output, and other wrapped errors for failures of the
	// program or server doing the work. It returns ctx.Err() (wrapped) when
	// ctx is cancelled.
	Run(ctx context.Context, job Job) (*Result, error)
	// Preflight reports whether the executor can run job, before the
	// relayer accepts it on-chain: the kind and model are served, the spec
	// parses for this executor and its inputs are within reach and the size
	// limits. It does none of the job's work and reads no input's content
	// beyond data: URIs held in the spec. It returns nil when the job can
	// run, an EINVALID *gpumarket.Error naming the problem (without echoing
	// the spec) when it cannot, [ErrInputUnreachable] (wrapped) for an input
	// out of reach, and ctx.Err() (wrapped) when ctx is cancelled.
	Preflight(ctx context.Context, job Job) error
}

// Conditions callers branch on, checked with errors.Is.
var (
	// ErrTimeout: the job ran past the executor's timeout or the job deadline.
	ErrTimeout = errors.New("job timed out")
	// ErrOutputLimit: the job produced more output than allowed.
	ErrOutputLimit = errors.New("job output exceeds the size limit")
	// ErrNoUsage: the program or server did not report usage correctly.
	ErrNoUsage = errors.New("job did not report usage")
)

// withJobTimeout returns ctx bounded by timeout and by the job's deadline;
// when either passes, context.Cause of the result is ErrTimeout.
func withJobTimeout(ctx context.Context, now time.Time, timeout time.Duration, job Job) (context.Context, context.CancelFunc) {
	end := now.Add(timeout)
	if !job.Deadline.IsZero() && job.Deadline.Before(end) {
		end = job.Deadline
	}
	return context.WithDeadlineCause(ctx, end, ErrTimeout)
}

// Check validates the parts of a job every executor relies on: a known
// kind and a spec of 1 to maxSpec bytes.
func (job Job) Check(maxSpec int) error {
	if !job.Kind.Valid() {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: unknown job kind %d", job.ID, uint8(job.Kind))
	}
	if len(job.Spec) == 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: empty spec", job.ID)
	}
	if len(job.Spec) > maxSpec {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is %d bytes, limit %d", job.ID, len(job.Spec), maxSpec)
	}
	return nil
}
