//go:build linux

package blender

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

// timings is a slog handler keeping the "blender" and "overhead" durations
// of the executor's "render done" lines.
type timings struct {
	mu               sync.Mutex
	blender, overall time.Duration
	jobs             int
}

func (h *timings) Enabled(context.Context, slog.Level) bool { return true }
func (h *timings) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *timings) WithGroup(string) slog.Handler            { return h }
func (h *timings) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "render done" {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.jobs++
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "blender":
			h.blender += a.Value.Duration()
		case "overhead":
			h.overall += a.Value.Duration()
		}
		return true
	})
	return nil
}

// BenchmarkRender renders the fixed "plain" scene at 320x240 with 16 samples
// on the CPU, one frame and eight frames per job, and reports frames/s
// (whole jobs, Blender's start included), Blender's own wall time per frame
// and the executor's overhead per job (time in Run outside Blender: fetch,
// work dir, PNG checks, tar, cleanup).
func BenchmarkRender(b *testing.B) {
	blend := scene(b, "plain", "")
	for _, frames := range []int{1, 8} {
		b.Run(fmt.Sprintf("frames=%d", frames), func(b *testing.B) {
			h := &timings{}
			cfg := Config{WorkRoot: b.TempDir(), AllowPrivateInputs: true}
			e, err := New(cfg, slog.New(h))
			if err != nil {
				b.Fatal(err)
			}
			job := renderJob(b, blend, blobServer(b, blend), Params{FrameStart: intp(1), FrameEnd: intp(frames), Width: 320, Height: 240, Samples: 16})
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				res, err := e.Run(b.Context(), job)
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
			}
			elapsed := time.Since(start)
			b.ReportMetric(float64(frames*b.N)/elapsed.Seconds(), "frames/s")
			b.ReportMetric(h.blender.Seconds()*1000/float64(frames*h.jobs), "blender-ms/frame")
			b.ReportMetric(h.overall.Seconds()*1000/float64(h.jobs), "overhead-ms/job")
		})
	}
}

func TestBenchmark(t *testing.T) {
	requireBlender(t)
	e := newTestExecutor(t, Config{})
	got, err := e.Benchmark(t.Context())
	if err != nil {
		t.Fatalf("Benchmark: %v", err)
	}
	if got.Frames != 8 || got.Width != 320 || got.Height != 240 || got.Samples != 16 || got.Device != DeviceCPU {
		t.Errorf("Benchmark = %+v, want 8 frames of 320x240 at 16 samples on the CPU", got)
	}
	if got.FramesPerSecond <= 0 || got.Blender <= 0 || got.CPU <= 0 || got.Usage.Units1 != 8 {
		t.Errorf("Benchmark = %+v, want measured times and 8 frames of usage", got)
	}
	t.Logf("benchmark: %.3f frames/s (Blender %v, CPU %v, overhead %v)", got.FramesPerSecond, got.Blender, got.CPU, got.Overhead)
}

func TestCheckMeasuresTheTestScene(t *testing.T) {
	requireBlender(t)
	e := newTestExecutor(t, Config{Models: []string{"cycles-4.1"}})
	got, err := e.Check(t.Context())
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(got) != 1 || got[0].Kind != gpumarket.JobKindRender || got[0].Work != 8 || got[0].Wall <= 0 ||
		got[0].Metric() != gpumarket.MetricFramesPerSecond || got[0].ValueMilli() == 0 || len(got[0].Models) != 1 || got[0].Models[0] != "cycles-4.1" {
		t.Fatalf("Check = %+v, want one render measurement of 8 frames for cycles-4.1", got)
	}
	t.Logf("check: %.3f frames/s (%s)", got[0].Value(), got[0].Detail)
}
