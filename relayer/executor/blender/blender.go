//go:build linux

package blender

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// settingsScript is the fixed script Blender runs (--python) to check the
// scene and apply the job's validated settings.
//
//go:embed settings.py
var settingsScript []byte

// Names inside a job's work dir, all chosen here.
const (
	sceneFile    = "scene.blend"
	scriptFile   = "settings.py"
	framesDir    = "out"
	tmpDir       = "tmp"
	tarFile      = "frames.tar"
	framePattern = "//" + framesDir + "/frame_#######" // relative to scene.blend
	scriptMark   = "gpumarket-blender: "
	refusedExit  = 3 // settings.py's exit status (--python-exit-code)
)

func frameName(n int) string { return fmt.Sprintf("frame_%07d.png", n) }

// Content types of a result.
const (
	ContentTypePNG = "image/png"
	ContentTypeTar = "application/x-tar"
)

// Executor runs render jobs with Blender (see the package documentation).
type Executor struct {
	cfg Config
	cmd *executor.Command
	log *slog.Logger
	// autoexec and script are "--disable-autoexec" and settingsScript; the
	// tests change them to show what they prevent.
	autoexec string
	script   []byte
}

var _ executor.Executor = (*Executor)(nil)

// New returns a Blender executor. It returns a *executor.ConfigError
// (EINVALID) naming the field when cfg is invalid (Blender not found, an
// unknown device, a bound out of range, a WorkRoot that is not an absolute
// directory) or when the binary's main did not call
// executor.RunLimitedMain. It does not start Blender.
func New(cfg Config, log *slog.Logger) (*Executor, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.Models = slices.Clone(cfg.Models)
	cmd, err := executor.NewCommand(executor.CommandConfig{
		Program:        cfg.Binary,
		WorkRoot:       cfg.WorkRoot,
		Timeout:        cfg.Timeout,
		MaxOutputBytes: cfg.MaxInputBytes + cfg.MaxOutputBytes + workDirSlack,
		MaxFiles:       cfg.MaxFrames + 1024,
		MaxLogBytes:    maxLogBytes,
		MaxSpecBytes:   cfg.MaxSpecBytes,
	}, log)
	if err != nil {
		var ce *executor.ConfigError
		if errors.As(err, &ce) {
			return nil, &executor.ConfigError{Executor: "blender", Field: ce.Field, Reason: ce.Reason}
		}
		return nil, err
	}
	return &Executor{cfg: cfg, cmd: cmd, log: log, autoexec: "--disable-autoexec", script: settingsScript}, nil
}

// Config returns the executor's configuration, defaults applied and Binary
// resolved to an absolute path.
func (e *Executor) Config() Config {
	c := e.cfg
	c.Models = slices.Clone(c.Models)
	return c
}

// plan is a render job decoded and checked.
type plan struct {
	render render
	scene  gpumarket.JobInput
	blend  []byte // the scene itself, for the benchmark (instead of fetching scene)
}

// decode checks job and its spec: a render job, for a served model, with a
// scene input and params within the bounds. Every refusal is EINVALID.
func (e *Executor) decode(job executor.Job) (*plan, error) {
	if job.Kind != gpumarket.JobKindRender {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: the blender executor does not run %s jobs", job.ID, job.Kind)
	}
	if err := job.Check(e.cfg.MaxSpecBytes); err != nil {
		return nil, err
	}
	spec, err := gpumarket.DecodeJobSpec(bytes.NewReader(job.Spec))
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec: %s", job.ID, gpumarket.ErrorMessage(err))
	}
	if spec.Kind != job.Kind {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is for %s, the job is %s", job.ID, spec.Kind, job.Kind)
	}
	if len(e.cfg.Models) > 0 && !slices.Contains(e.cfg.Models, spec.Model) {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: render model %q is not served", job.ID, clip(spec.Model))
	}
	p := &plan{}
	var params []byte
	for _, in := range spec.Inputs {
		switch in.Name {
		case SceneInput:
			p.scene = in
		case ParamsInput:
			if params, err = gpumarket.DecodeDataURI(in.URI, int64(e.cfg.MaxSpecBytes)); err != nil {
				return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q: %s", job.ID, ParamsInput, gpumarket.ErrorMessage(err))
			}
		default:
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q is not one of %q and %q", job.ID, clip(in.Name), SceneInput, ParamsInput)
		}
	}
	if p.scene.URI == "" {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: no %q input with the .blend file", job.ID, SceneInput)
	}
	if params == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: no %q input with the render parameters", job.ID, ParamsInput)
	}
	var pr Params
	if err := gpumarket.UnmarshalStrict(params, &pr); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: render params: %s", job.ID, gpumarket.ErrorMessage(err))
	}
	if p.render, err = pr.validate(job.ID, &e.cfg); err != nil {
		return nil, err
	}
	if est := spec.Requirements.Estimate.Frames; est != 0 && uint64(p.render.frames()) > est {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: %d frames asked, the estimate pays for %d", job.ID, p.render.frames(), est)
	}
	return p, nil
}

// Preflight reports whether e can run job before the relayer accepts it:
// a render job for a served model whose params are within the bounds, with
// a scene input that is a .blend file (checked on a data: URI's content) or
// an http(s) URL answering within MaxInputBytes. Blender is not started. It
// returns an EINVALID *gpumarket.Error naming the problem,
// executor.ErrInputUnreachable (wrapped) for an http(s) scene out of reach,
// and ctx's error (wrapped) when ctx ends first.
func (e *Executor) Preflight(ctx context.Context, job executor.Job) error {
	p, err := e.decode(job)
	if err != nil {
		return err
	}
	scheme, _, _ := strings.Cut(p.scene.URI, ":")
	switch strings.ToLower(scheme) {
	case "data":
		var head headWriter
		if _, err := executor.FetchInput(ctx, p.scene, &head, e.cfg.MaxInputBytes, executor.PreflightConfig{}); err != nil {
			return fmt.Errorf("job %d: %w", job.ID, err)
		}
		return checkBlend(job.ID, head.b)
	case "http", "https":
		return executor.CheckInputs(ctx, job.ID, []gpumarket.JobInput{p.scene}, e.inputConfig())
	}
	return gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q: scheme %q is not fetched by this executor (data, http and https are)", job.ID, SceneInput, clip(scheme))
}

func (e *Executor) inputConfig() executor.PreflightConfig {
	return executor.PreflightConfig{MaxInputBytes: e.cfg.MaxInputBytes, AllowPrivateInputs: e.cfg.AllowPrivateInputs}
}

// Run renders job. Besides the errors listed on executor.Executor, it
// returns an EINVALID error for a scene settings.py refuses (external
// files, linked libraries, Python drivers) or an input that is not a .blend
// file, and an *executor.ExitError when Blender fails. On success the
// result is one PNG (one frame) or a tar of PNGs, kept in the job's work
// dir until Release.
func (e *Executor) Run(ctx context.Context, job executor.Job) (*executor.Result, error) {
	p, err := e.decode(job)
	if err != nil {
		return nil, err
	}
	res, _, err := e.run(ctx, job, p)
	return res, err
}

// run renders the decoded job p and returns its result and Blender's run.
func (e *Executor) run(ctx context.Context, job executor.Job, p *plan) (*executor.Result, *executor.ProgramResult, error) {
	started := time.Now()
	pr, err := e.cmd.RunProgram(ctx, job, executor.ProgramRun{
		Prepare: func(ctx context.Context, dir *executor.WorkDir) ([]string, []string, error) {
			return e.prepare(ctx, job.ID, p, dir)
		},
	})
	if err != nil {
		if refusal := scriptReason(err, "refused: "); refusal != "" {
			return nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: scene refused: %s", job.ID, refusal)
		}
		if failure := scriptReason(err, "failed: "); failure != "" {
			return nil, nil, fmt.Errorf("%w (blender settings: %s)", err, failure)
		}
		return nil, nil, err
	}
	res, err := e.collect(job.ID, p.render, pr)
	if err != nil {
		if rmErr := pr.Dir.Remove(); rmErr != nil {
			e.log.Error("remove work dir", "job_id", job.ID, "err", rmErr)
		}
		return nil, nil, fmt.Errorf("run job %d: %w", job.ID, err)
	}
	e.log.Info("render done", "job_id", job.ID, "frames", res.Usage.Units1, "gpu_seconds", res.Usage.Units2,
		"blender", pr.Elapsed, "cpu", pr.UserCPU+pr.SystemCPU, "overhead", time.Since(started)-pr.Elapsed)
	return res, pr, nil
}

// prepare writes the .blend and the settings script into the work dir and
// returns Blender's arguments and environment.
func (e *Executor) prepare(ctx context.Context, id gpumarket.JobID, p *plan, dir *executor.WorkDir) ([]string, []string, error) {
	for _, d := range []string{framesDir, tmpDir} {
		if err := dir.Mkdir(d); err != nil {
			return nil, nil, fmt.Errorf("create %s: %w", d, err)
		}
	}
	if err := writeFile(dir, scriptFile, e.script); err != nil {
		return nil, nil, err
	}
	f, err := dir.Create(sceneFile)
	if err != nil {
		return nil, nil, fmt.Errorf("create %s: %w", sceneFile, err)
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	head := &headWriter{}
	if p.blend != nil {
		_, err = io.MultiWriter(buf, head).Write(p.blend)
	} else {
		_, err = executor.FetchInput(ctx, p.scene, io.MultiWriter(buf, head), e.cfg.MaxInputBytes, e.inputConfig())
	}
	if err == nil {
		err = buf.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, err
	}
	if err := checkBlend(id, head.b); err != nil {
		return nil, nil, err
	}
	return e.args(p.render), []string{"HOME=" + dir.Path(), "TMPDIR=" + filepath.Join(dir.Path(), tmpDir)}, nil
}

// args is Blender's command line for r: fixed words, the Config's threads
// and device, r's validated integers, and names inside the work dir (its
// current directory).
func (e *Executor) args(r render) []string {
	itoa := strconv.Itoa
	args := []string{"-b", "--factory-startup", e.autoexec, "-noaudio"}
	if e.cfg.Threads > 0 {
		args = append(args, "-t", itoa(e.cfg.Threads))
	}
	args = append(args, "./"+sceneFile, "-o", framePattern, "-F", "PNG", "-x", "1",
		"--python-exit-code", itoa(refusedExit), "--python", "./"+scriptFile)
	if r.frames() == 1 {
		args = append(args, "-f", itoa(r.start))
	} else {
		args = append(args, "-s", itoa(r.start), "-e", itoa(r.end), "-a")
	}
	return append(args, "--", itoa(r.width), itoa(r.height), itoa(r.samples), itoa(devices[e.cfg.Device]))
}

// collect checks the frames Blender wrote and builds the result.
func (e *Executor) collect(id gpumarket.JobID, r render, pr *executor.ProgramResult) (*executor.Result, error) {
	ents, err := pr.Dir.ReadDir(framesDir)
	if err != nil {
		return nil, fmt.Errorf("list frames: %w", err)
	}
	want := make([]string, 0, r.frames())
	for n := r.start; n <= r.end; n++ {
		want = append(want, frameName(n))
	}
	got := make([]string, 0, len(ents))
	for _, ent := range ents {
		got = append(got, ent.Name())
	}
	if !slices.Equal(got, want) {
		return nil, fmt.Errorf("blender wrote %d files in %s, want the %d frames %s..%s", len(got), framesDir, len(want), want[0], want[len(want)-1])
	}
	var frames []*os.File
	defer func() {
		for _, f := range frames {
			f.Close()
		}
	}()
	var total int64
	for _, name := range want {
		f, size, err := pr.Dir.Open(framesDir+"/"+name, 1<<62)
		if err != nil {
			return nil, fmt.Errorf("frame %s: %w", name, err)
		}
		frames = append(frames, f)
		if total += size; total > e.cfg.MaxOutputBytes {
			return nil, fmt.Errorf("%w: frames over %d bytes", executor.ErrOutputLimit, e.cfg.MaxOutputBytes)
		}
		if err := checkPNG(f, r.width, r.height); err != nil {
			return nil, fmt.Errorf("frame %s: %w", name, err)
		}
	}
	usage := gpumarket.Usage{Units1: uint64(len(frames)), Units2: e.gpuSeconds(pr)}
	remove := pr.Dir.Remove
	if len(frames) == 1 {
		f, path := frames[0], filepath.Join(pr.Dir.Path(), framesDir, want[0])
		frames = nil
		return executor.FileResult(path, f, total, ContentTypePNG, usage, remove), nil
	}
	f, size, err := writeTar(pr.Dir, want, frames)
	if err != nil {
		return nil, err
	}
	return executor.FileResult(filepath.Join(pr.Dir.Path(), tarFile), f, size, ContentTypeTar, usage, remove), nil
}

// gpuSeconds is the job's measured GPU-seconds, rounded up and at least 1:
// Blender's CPU time on the CPU device, its wall-clock time on a GPU.
func (e *Executor) gpuSeconds(pr *executor.ProgramResult) uint64 {
	d := pr.Elapsed
	if e.cfg.Device == DeviceCPU {
		d = pr.UserCPU + pr.SystemCPU
	}
	return max(uint64((d+time.Second-1)/time.Second), 1)
}

// checkPNG decodes the PNG in f and checks its size.
func checkPNG(f *os.File, width, height int) error {
	img, err := png.Decode(bufio.NewReader(io.NewSectionReader(f, 0, 1<<62)))
	if err != nil {
		return fmt.Errorf("not a valid PNG: %w", err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		return fmt.Errorf("PNG is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
	return nil
}

// writeTar writes the frames, in order, to tarFile in the work dir and
// returns it open for reading with its size.
func writeTar(dir *executor.WorkDir, names []string, frames []*os.File) (*os.File, int64, error) {
	out, err := dir.Create(tarFile)
	if err != nil {
		return nil, 0, fmt.Errorf("create %s: %w", tarFile, err)
	}
	buf := bufio.NewWriterSize(out, 1<<20)
	tw := tar.NewWriter(buf)
	mtime := time.Unix(0, 0)
	for i, f := range frames {
		st, err := f.Stat()
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Name: names[i], Mode: 0o644, Size: st.Size(), ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatUSTAR})
		}
		if err == nil {
			_, err = io.Copy(tw, io.NewSectionReader(f, 0, st.Size()))
		}
		if err != nil {
			out.Close()
			return nil, 0, fmt.Errorf("write %s: %w", tarFile, err)
		}
	}
	err = tw.Close()
	if err == nil {
		err = buf.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, 0, fmt.Errorf("write %s: %w", tarFile, err)
	}
	return dir.Open(tarFile, 1<<62)
}

// writeFile creates name in dir with data.
func writeFile(dir *executor.WorkDir, name string, data []byte) error {
	f, err := dir.Create(name)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// scriptReason returns the reason settings.py gave for refusing the scene
// (kind "refused: ") or failing (kind "failed: "), when err is its exit: an
// *executor.ExitError with status refusedExit and a "gpumarket-blender: "
// line of that kind in stderr. The reason is one of the script's fixed
// sentences; it is cut to printable ASCII and 160 bytes.
func scriptReason(err error, kind string) string {
	var xe *executor.ExitError
	if !errors.As(err, &xe) || xe.Status != refusedExit {
		return ""
	}
	prefix := scriptMark + kind
	i := bytes.LastIndex(xe.Stderr, []byte(prefix))
	if i < 0 {
		return ""
	}
	line, _, _ := bytes.Cut(xe.Stderr[i+len(prefix):], []byte("\n"))
	line = bytes.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, line)
	return clip(string(line))
}

// headWriter keeps the first bytes written to it.
type headWriter struct{ b []byte }

const headSize = 12

func (h *headWriter) Write(p []byte) (int, error) {
	if n := headSize - len(h.b); n > 0 {
		h.b = append(h.b, p[:min(n, len(p))]...)
	}
	return len(p), nil
}

// checkBlend checks a file's first bytes: a .blend file ("BLENDER", the
// pointer size '_' or '-', the endianness 'v' or 'V', a 3-digit version),
// or one compressed with gzip or zstd (as Blender saves them), which
// Blender checks further when it opens it.
func checkBlend(id gpumarket.JobID, head []byte) error {
	switch {
	case len(head) >= 12 && string(head[:7]) == "BLENDER" && (head[7] == '_' || head[7] == '-') &&
		(head[8] == 'v' || head[8] == 'V') && isDigits(head[9:12]):
		return nil
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return nil
	case len(head) >= 4 && bytes.Equal(head[:4], []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return nil
	}
	return gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q is not a .blend file", id, SceneInput)
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// clip cuts s to 160 bytes for an error message.
func clip(s string) string {
	if len(s) <= 160 {
		return s
	}
	return s[:160] + "…"
}
