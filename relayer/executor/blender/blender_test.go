//go:build linux

package blender

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

func TestRenderOneFrame(t *testing.T) {
	blend := scene(t, "plain", "")
	work := t.TempDir()
	e := newTestExecutor(t, Config{WorkRoot: work, AllowPrivateInputs: true})
	job := renderJob(t, blend, blobServer(t, blend), Params{Width: 64, Height: 48, Samples: 4})
	res, err := e.Run(t.Context(), job)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ContentType != ContentTypePNG {
		t.Errorf("ContentType = %q, want %q", res.ContentType, ContentTypePNG)
	}
	checkFrame(t, "frame 1", readResult(t, res), 64, 48)
	if res.Usage.Units1 != 1 || res.Usage.Units2 < 1 {
		t.Errorf("Usage = %+v, want 1 frame and at least 1 GPU-second", res.Usage)
	}
	if err := res.Release(); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if left := entries(t, work); len(left) != 0 {
		t.Errorf("work root after Release holds %v, want nothing", left)
	}
}

func TestRenderFrameRange(t *testing.T) {
	blend := scene(t, "plain", "")
	e := newTestExecutor(t, Config{AllowPrivateInputs: true, Threads: 2})
	job := renderJob(t, blend, blobServer(t, blend), Params{FrameStart: intp(1), FrameEnd: intp(2), Width: 40, Height: 30, Samples: 2})
	res, err := e.Run(t.Context(), job)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	defer res.Release()
	if res.ContentType != ContentTypeTar {
		t.Errorf("ContentType = %q, want %q", res.ContentType, ContentTypeTar)
	}
	names, files := untar(t, readResult(t, res))
	if want := []string{"frame_0000001.png", "frame_0000002.png"}; !slices.Equal(names, want) {
		t.Fatalf("tar entries = %v, want %v", names, want)
	}
	for i, b := range files {
		checkFrame(t, names[i], b, 40, 30)
	}
	if string(files[0]) == string(files[1]) {
		t.Error("frames 1 and 2 are identical; the sphere moves between them")
	}
	if res.Usage.Units1 != 2 {
		t.Errorf("Usage.Units1 = %d frames, want 2", res.Usage.Units1)
	}
}

// TestEmbeddedPythonDoesNotRun renders scenes whose Python would write a
// marker file: a text block registered to run on load, a driver with a
// Python expression. Neither runs; with --enable-autoexec in place of
// --disable-autoexec (the control) both do, so the test can tell.
func TestEmbeddedPythonDoesNotRun(t *testing.T) {
	for _, variant := range []string{"textblock", "driver"} {
		t.Run(variant, func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "ran")
			blend := scene(t, variant, marker)
			e := newTestExecutor(t, Config{AllowPrivateInputs: true})
			job := renderJob(t, blend, blobServer(t, blend), Params{Width: 16, Height: 16, Samples: 1})
			res, err := e.Run(t.Context(), job)
			switch variant {
			case "textblock":
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				res.Release()
			case "driver":
				// settings.py refuses the scene too (defence in depth).
				if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !contains(err, "driver has a Python expression") {
					t.Fatalf("Run = %v, want EINVALID naming the Python driver", err)
				}
			}
			if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the %s's Python ran: %s exists (%v)", variant, marker, err)
			}

			control := newTestExecutor(t, Config{AllowPrivateInputs: true})
			control.autoexec = "--enable-autoexec"
			if res, err := control.Run(t.Context(), job); err == nil {
				res.Release()
			}
			if _, err := os.Stat(marker); err != nil {
				t.Fatalf("control with --enable-autoexec: the %s's Python did not run (%v): the test cannot tell", variant, err)
			}
		})
	}
}

// TestFileOutputNodeRemoved: a compositor File Output node would write
// frames wherever the scene says; settings.py removes it (control: with
// that line of the script disabled, the file appears).
func TestFileOutputNodeRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "elsewhere")
	blend := scene(t, "fileout", dir)
	e := newTestExecutor(t, Config{AllowPrivateInputs: true})
	job := renderJob(t, blend, blobServer(t, blend), Params{Width: 16, Height: 16, Samples: 1})
	res, err := e.Run(t.Context(), job)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	res.Release()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a File Output node wrote outside the work dir: %s exists (%v)", dir, err)
	}
	control := newTestExecutor(t, Config{AllowPrivateInputs: true})
	const removal = "tree.nodes.remove(node)  # writes files anywhere: never kept"
	control.script = []byte(replaceOnce(t, string(settingsScript), removal, "pass"))
	if res, err := control.Run(t.Context(), job); err == nil {
		res.Release()
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("control without the removal: nothing written to %s (%v): the test cannot tell", dir, err)
	}
}

func TestSceneWithExternalFileRefused(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "texture.png")
	if err := os.WriteFile(outside, tinyPNG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ variant, want string }{
		{"image", "an image uses a file outside the job"},
		{"meshcache", "a mesh_cache modifier uses a path outside the job"},
	}
	for _, tt := range tests {
		t.Run(tt.variant, func(t *testing.T) {
			blend := scene(t, tt.variant, outside)
			e := newTestExecutor(t, Config{AllowPrivateInputs: true})
			_, err := e.Run(t.Context(), renderJob(t, blend, blobServer(t, blend), Params{Width: 16, Height: 16, Samples: 1}))
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !contains(err, tt.want) {
				t.Fatalf("Run = %v, want EINVALID with %q", err, tt.want)
			}
		})
	}
}

func TestRunRefusesInput(t *testing.T) {
	blend := scene(t, "plain", "")
	pngBytes := tinyPNG(t)
	tests := []struct {
		name string
		job  func(t *testing.T) executor.Job
		want string
	}{
		{"not a blend file", func(t *testing.T) executor.Job {
			return renderJob(t, pngBytes, blobServer(t, pngBytes), Params{Width: 8, Height: 8, Samples: 1})
		}, "is not a .blend file"},
		{"digest mismatch", func(t *testing.T) executor.Job {
			other := append([]byte(nil), blend...)
			other[len(other)-1] ^= 1
			j := renderJob(t, blend, blobServer(t, other), Params{Width: 8, Height: 8, Samples: 1})
			return j
		}, "sha256 does not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			e := newTestExecutor(t, Config{WorkRoot: work, AllowPrivateInputs: true})
			_, err := e.Run(t.Context(), tt.job(t))
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !contains(err, tt.want) {
				t.Fatalf("Run = %v, want EINVALID with %q", err, tt.want)
			}
			if left := entries(t, work); len(left) != 0 {
				t.Errorf("work root holds %v after a refused job, want nothing", left)
			}
		})
	}
}

func TestRunLimits(t *testing.T) {
	blend := scene(t, "plain", "")
	tests := []struct {
		name string
		cfg  Config
		want error
	}{
		// Blender takes over a second to start: the job overruns.
		{"timeout", Config{Timeout: 100 * time.Millisecond}, executor.ErrTimeout},
		{"output limit", Config{MaxOutputBytes: 100}, executor.ErrOutputLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			tt.cfg.WorkRoot, tt.cfg.AllowPrivateInputs = work, true
			e := newTestExecutor(t, tt.cfg)
			_, err := e.Run(t.Context(), renderJob(t, blend, blobServer(t, blend), Params{Width: 16, Height: 16, Samples: 1}))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Run = %v, want %v", err, tt.want)
			}
			if left := entries(t, work); len(left) != 0 {
				t.Errorf("work root holds %v, want nothing", left)
			}
		})
	}
}

// TestDeviceMissing: a GPU device the machine (or this Blender build, such
// as Debian's, built without CUDA) lacks fails the job with the script's
// reason instead of rendering on the CPU.
func TestDeviceMissing(t *testing.T) {
	blend := scene(t, "plain", "")
	e := newTestExecutor(t, Config{Device: DeviceCUDA, AllowPrivateInputs: true})
	if e.cfg.Device != DeviceCUDA {
		t.Fatal("device not kept")
	}
	res, err := e.Run(t.Context(), renderJob(t, blend, blobServer(t, blend), Params{Width: 16, Height: 16, Samples: 1}))
	if err == nil {
		res.Release()
		t.Skip("this machine's Blender has a CUDA device")
	}
	var xe *executor.ExitError
	if !errors.As(err, &xe) || !contains(err, "no CUDA device found") {
		t.Fatalf("Run = %v, want an ExitError naming the missing CUDA device", err)
	}
}
