package speech

import (
	"context"
	"log/slog"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// Engine runs one kind of job (tts or stt) with a CPU engine through the
// command executor. See the package documentation for the protocol.
type Engine struct {
	kind    gpumarket.JobKind
	name    string // "espeak" or "pocketsphinx"
	maxSpec int
	fetcher executor.InputFetcher
	// prepare checks a job's spec and returns the parameters document the
	// recipe gets (nil in preflight).
	prepare func(*spec, inputSource) ([]byte, error)
	cmd     *executor.Command
}

var _ executor.Executor = (*Engine)(nil)

// NewESpeak returns the espeak-ng tts engine. It returns a
// *executor.ConfigError (EINVALID) naming the field when cfg is invalid,
// espeak-ng cannot be found, or the command executor refuses the launch
// settings (WorkRoot, Binary as Program).
func NewESpeak(cfg ESpeakConfig, log *slog.Logger) (*Engine, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	prepare := func(s *spec, src inputSource) ([]byte, error) {
		r, err := s.speakRequest(cfg, src)
		if err != nil || src.preflight {
			return nil, err
		}
		return r.document()
	}
	return newEngine(gpumarket.JobKindTTS, "espeak", cfg.Launch, cfg.args(), cfg.MaxSpecBytes, "audio/wav", prepare, log)
}

// NewPocketsphinx returns the pocketsphinx stt engine, with the errors of
// NewESpeak (the model files must exist).
func NewPocketsphinx(cfg PocketsphinxConfig, log *slog.Logger) (*Engine, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	prepare := func(s *spec, src inputSource) ([]byte, error) {
		r, err := s.transcribeRequest(cfg, src)
		if err != nil || src.preflight {
			return nil, err
		}
		return r.document()
	}
	return newEngine(gpumarket.JobKindSTT, "pocketsphinx", cfg.Launch, cfg.args(), cfg.documentBytes(), "application/json", prepare, log)
}

// newEngine builds the command executor that starts the recipe; docBytes
// bounds the parameters document it hands the recipe.
func newEngine(kind gpumarket.JobKind, name string, l Launch, args []string, docBytes int, contentType string, prepare func(*spec, inputSource) ([]byte, error), log *slog.Logger) (*Engine, error) {
	cmd, err := executor.NewCommand(executor.CommandConfig{Program: l.Binary, Args: args, WorkRoot: l.WorkRoot,
		ContentType: contentType, Timeout: l.Timeout, MaxSpecBytes: max(l.MaxSpecBytes, docBytes), Preflight: l.Preflight}, log)
	if err != nil {
		return nil, err
	}
	return &Engine{kind: kind, name: name, maxSpec: l.MaxSpecBytes, fetcher: l.Inputs, prepare: prepare, cmd: cmd}, nil
}

// Kind returns the job kind the engine runs.
func (e *Engine) Kind() gpumarket.JobKind { return e.kind }

// prepareJob refuses a job of another kind or whose spec the recipe would
// refuse, and returns the recipe's parameters document (nil in preflight).
func (e *Engine) prepareJob(ctx context.Context, job executor.Job, preflight bool) ([]byte, error) {
	if job.Kind != e.kind {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: the %s engine does not run %s jobs", job.ID, e.name, job.Kind)
	}
	s, err := decodeSpec(job.ID, job.Kind, job.Spec, e.maxSpec)
	if err != nil {
		return nil, err
	}
	return e.prepare(s, inputSource{ctx: ctx, fetcher: e.fetcher, preflight: preflight})
}

// Run checks the job as Preflight does (without the model and input-size
// checks of the command executor), reads its inputs (data: URIs, or
// through Launch.Inputs) and runs the recipe on a parameters document that
// holds them. It returns the errors of executor.Command.Run: an
// *executor.ExitError whose Stderr names the problem when the engine
// itself fails.
func (e *Engine) Run(ctx context.Context, job executor.Job) (*executor.Result, error) {
	doc, err := e.prepareJob(ctx, job, false)
	if err != nil {
		return nil, err
	}
	job.Spec = doc
	return e.cmd.Run(ctx, job)
}

// Preflight reports whether the engine can run job: a job of its kind,
// whose spec the recipe accepts (text, voice and speed for tts; a WAV data:
// input within the limits for stt), for a kind and model the
// PreflightConfig serves. It returns an EINVALID *gpumarket.Error naming the
// problem and runs nothing.
func (e *Engine) Preflight(ctx context.Context, job executor.Job) error {
	if _, err := e.prepareJob(ctx, job, true); err != nil {
		return err
	}
	return e.cmd.Preflight(ctx, job)
}
