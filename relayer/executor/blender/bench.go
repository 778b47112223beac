//go:build linux

package blender

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// testSceneScript builds the fixed test scene (see TestScene).
//
//go:embed testscene.py
var testSceneScript []byte

const testSceneScriptFile = "testscene.py"

// TestScene returns the .blend of the executor's fixed test scene, built by
// Blender from the script shipped in this package (testscene.py: a sphere
// moving over a plane in sunlight, frames 1 to 8), under the same limits
// as a job. It returns the errors of Run (an *executor.ExitError when
// Blender fails).
func (e *Executor) TestScene(ctx context.Context) ([]byte, error) {
	job := executor.Job{Kind: gpumarket.JobKindRender, Spec: []byte("{}")}
	pr, err := e.cmd.RunProgram(ctx, job, executor.ProgramRun{
		Prepare: func(_ context.Context, dir *executor.WorkDir) ([]string, []string, error) {
			if err := dir.Mkdir(tmpDir); err != nil {
				return nil, nil, err
			}
			if err := writeFile(dir, testSceneScriptFile, testSceneScript); err != nil {
				return nil, nil, err
			}
			return []string{"-b", "--factory-startup", e.autoexec, "-noaudio", "--python-exit-code", "1", "--python", "./" + testSceneScriptFile},
				[]string{"HOME=" + dir.Path(), "TMPDIR=" + dir.Path() + "/" + tmpDir}, nil
		},
	})
	if err != nil {
		return nil, fmt.Errorf("build test scene: %w", err)
	}
	defer pr.Dir.Remove()
	f, _, err := pr.Dir.Open(sceneFile, e.cfg.MaxInputBytes)
	if err != nil {
		return nil, fmt.Errorf("build test scene: %w", err)
	}
	defer f.Close()
	return io.ReadAll(f)
}

// benchmarkParams are the fixed render of Benchmark: frames 1 to 8 of the
// test scene at 320x240 with 16 samples.
var benchmarkParams = Params{FrameStart: ptr(1), FrameEnd: ptr(8), Width: 320, Height: 240, Samples: 16}

func ptr(n int) *int { return &n }

// Benchmark is a measured render of the fixed test scene.
type Benchmark struct {
	Device                 Device
	Width, Height, Samples int
	Frames                 int
	FramesPerSecond        float64       // frames / Blender's wall time, its start included
	Blender                time.Duration // Blender's wall time
	CPU                    time.Duration // Blender's user + system CPU time
	Overhead               time.Duration // the executor's time outside Blender (checks, tar, cleanup)
	Usage                  gpumarket.Usage
}

// Benchmark builds the test scene and renders frames 1 to 8 of it at 320x240 with 16 samples on the
// configured device, as a job would be (settings script, PNG checks, tar),
// for `gpumarket relayer check` and the provider's attestation. It returns
// the errors of TestScene and Run.
func (e *Executor) Benchmark(ctx context.Context) (Benchmark, error) {
	blend, err := e.TestScene(ctx)
	if err != nil {
		return Benchmark{}, err
	}
	r, err := benchmarkParams.validate(0, &e.cfg)
	if err != nil {
		return Benchmark{}, fmt.Errorf("benchmark: %w (the configured bounds are below the benchmark's)", err)
	}
	start := time.Now()
	res, pr, err := e.run(ctx, executor.Job{Kind: gpumarket.JobKindRender, Spec: []byte("{}")}, &plan{render: r, blend: blend})
	if err != nil {
		return Benchmark{}, fmt.Errorf("benchmark: %w", err)
	}
	overall := time.Since(start)
	defer res.Release()
	return Benchmark{
		Device: e.cfg.Device, Width: r.width, Height: r.height, Samples: r.samples, Frames: r.frames(),
		FramesPerSecond: float64(r.frames()) / pr.Elapsed.Seconds(),
		Blender:         pr.Elapsed, CPU: pr.UserCPU + pr.SystemCPU, Overhead: overall - pr.Elapsed, Usage: res.Usage,
	}, nil
}

var _ executor.Checker = (*Executor)(nil)

// Check renders the fixed test scene as Benchmark does and returns its
// frames per second (Blender's wall time) for the configured models. It
// returns the errors of Benchmark.
func (e *Executor) Check(ctx context.Context) ([]executor.Measurement, error) {
	b, err := e.Benchmark(ctx)
	if err != nil {
		return nil, fmt.Errorf("check blender: %w", err)
	}
	return []executor.Measurement{{
		Kind: gpumarket.JobKindRender, Models: append([]string(nil), e.cfg.Models...), Work: float64(b.Frames), Wall: b.Blender,
		Detail: fmt.Sprintf("%d frames of the test scene at %dx%d, %d samples, %s", b.Frames, b.Width, b.Height, b.Samples, b.Device),
	}}, nil
}
