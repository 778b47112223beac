//go:build linux

package blender

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// tinyBlend is the start of a .blend file: Preflight reads only the header.
var tinyBlend = []byte("BLENDER-v304REND\x00\x00\x00\x00")

func TestPreflight(t *testing.T) {
	e, err := New(Config{Binary: "/bin/true", WorkRoot: t.TempDir(), Models: []string{"cycles"},
		MaxResolution: 1920, MaxPixels: 1920 * 1080, MaxSamples: 512, MaxFrames: 10}, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ok := Params{Width: 1920, Height: 1080, Samples: 512, FrameStart: intp(1), FrameEnd: intp(10)}
	tests := []struct {
		name string
		job  executor.Job
		want string // "" for success
	}{
		{"at the bounds", renderJob(t, tinyBlend, "", ok), ""},
		{"one frame by default", renderJob(t, tinyBlend, "", Params{Width: 1, Height: 1, Samples: 1}), ""},
		{"width 0", renderJob(t, tinyBlend, "", Params{Width: 0, Height: 8, Samples: 1}), "width 0 out of range [1, 1920]"},
		{"width over", renderJob(t, tinyBlend, "", Params{Width: 1921, Height: 8, Samples: 1}), "width 1921 out of range"},
		{"height over", renderJob(t, tinyBlend, "", Params{Width: 8, Height: 1921, Samples: 1}), "height 1921 out of range"},
		{"pixels over", renderJob(t, tinyBlend, "", Params{Width: 1920, Height: 1081, Samples: 1}), "over 2073600 pixels"},
		{"samples 0", renderJob(t, tinyBlend, "", Params{Width: 8, Height: 8}), "samples 0 out of range"},
		{"samples over", renderJob(t, tinyBlend, "", Params{Width: 8, Height: 8, Samples: 513}), "samples 513 out of range"},
		{"frames over", renderJob(t, tinyBlend, "", Params{Width: 8, Height: 8, Samples: 1, FrameStart: intp(1), FrameEnd: intp(11)}), "11 frames, limit 10"},
		{"end before start", renderJob(t, tinyBlend, "", Params{Width: 8, Height: 8, Samples: 1, FrameStart: intp(5), FrameEnd: intp(4)}), "frame_end 4 out of range"},
		{"negative frame", renderJob(t, tinyBlend, "", Params{Width: 8, Height: 8, Samples: 1, FrameStart: intp(-1)}), "frame_start -1 out of range"},
		{"frame over Blender's", renderJob(t, tinyBlend, "", Params{Width: 8, Height: 8, Samples: 1, FrameStart: intp(MaxFrameNumber + 1)}), "frame_start 1048575 out of range"},
		{"not a blend file", renderJob(t, tinyPNG(t), "", Params{Width: 8, Height: 8, Samples: 1}), `input "scene" is not a .blend file`},
		{"text as blend", renderJob(t, []byte("import os; os.system('x')"), "", Params{Width: 8, Height: 8, Samples: 1}), "is not a .blend file"},
		{"unknown param", jobWithParams(t, `{"width":8,"height":8,"samples":1,"python":"x"}`), `unknown field "python"`},
		{"params not an object", jobWithParams(t, `[1]`), "render params"},
		{"estimate too small", withSpec(t, renderJob(t, tinyBlend, "", Params{Width: 8, Height: 8, Samples: 1, FrameEnd: intp(3)}), func(s *gpumarket.JobSpec) {
			s.Requirements.Estimate.Frames = 2
		}), "3 frames asked, the estimate pays for 2"},
		{"model not served", withSpec(t, renderJob(t, tinyBlend, "", ok), func(s *gpumarket.JobSpec) { s.Model = "eevee" }), `model "eevee" is not served`},
		{"no scene", withSpec(t, renderJob(t, tinyBlend, "", ok), func(s *gpumarket.JobSpec) { s.Inputs = s.Inputs[1:] }), `no "scene" input`},
		{"no params", withSpec(t, renderJob(t, tinyBlend, "", ok), func(s *gpumarket.JobSpec) { s.Inputs = s.Inputs[:1] }), `no "params" input`},
		{"extra input", withSpec(t, renderJob(t, tinyBlend, "", ok), func(s *gpumarket.JobSpec) {
			s.Inputs = append(s.Inputs, gpumarket.JobInput{Name: "script.py", URI: "data:,x"})
		}), `input "script.py" is not one of`},
		{"ipfs scene", withSpec(t, renderJob(t, tinyBlend, "", ok), func(s *gpumarket.JobSpec) { s.Inputs[0].URI = "ipfs://bafy" }), `scheme "ipfs" is not fetched`},
		{"wrong digest", withSpec(t, renderJob(t, tinyBlend, "", ok), func(s *gpumarket.JobSpec) { s.Inputs[0].SHA256 = strings.Repeat("0", 64) }), "sha256 does not match"},
		{"private URL", withSpec(t, renderJob(t, tinyBlend, "", ok), func(s *gpumarket.JobSpec) { s.Inputs[0].URI = "http://127.0.0.1:1/v1/blobs/x" }), "not a public address"},
		{"wrong kind", func() executor.Job { j := renderJob(t, tinyBlend, "", ok); j.Kind = gpumarket.JobKindTTS; return j }(), "does not run tts jobs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Preflight(t.Context(), tt.job)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Preflight = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Preflight = %v, want an error with %q", err, tt.want)
			}
			if tt.name != "private URL" && gpumarket.ErrorCode(err) != gpumarket.EINVALID {
				t.Errorf("Preflight = %v, want EINVALID", err)
			}
		})
	}
}

func TestNewRefusesConfig(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		field string
	}{
		{"no blender", Config{Binary: "/nonexistent/blender"}, "Binary"},
		{"device", Config{Binary: "/bin/true", Device: "TPU"}, "Device"},
		{"threads", Config{Binary: "/bin/true", Threads: -1}, "Threads"},
		{"resolution", Config{Binary: "/bin/true", MaxResolution: 70000}, "MaxResolution"},
		{"samples", Config{Binary: "/bin/true", MaxSamples: -1}, "MaxSamples"},
		{"frames", Config{Binary: "/bin/true", MaxFrames: -5}, "MaxFrames"},
		{"work root", Config{Binary: "/bin/true", WorkRoot: "relative"}, "WorkRoot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, nil)
			var ce *executor.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || ce.Executor != "blender" {
				t.Fatalf("New = %v, want a blender ConfigError for %s", err, tt.field)
			}
		})
	}
}

func TestArgsFromConfigAndIntegersOnly(t *testing.T) {
	e, err := New(Config{Binary: "/bin/true", WorkRoot: t.TempDir(), Device: DeviceOptiX, Threads: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(e.args(render{start: 4, end: 6, width: 320, height: 240, samples: 16}), " ")
	want := "-b --factory-startup --disable-autoexec -noaudio -t 3 ./scene.blend -o //out/frame_####### -F PNG -x 1 " +
		"--python-exit-code 3 --python ./settings.py -s 4 -e 6 -a -- 320 240 16 2"
	if got != want {
		t.Errorf("args =\n%s\nwant\n%s", got, want)
	}
	got = strings.Join(e.args(render{start: 9, end: 9, width: 1, height: 2, samples: 3}), " ")
	if !strings.Contains(got, " -f 9 -- 1 2 3 2") || strings.Contains(got, " -a ") {
		t.Errorf("one-frame args = %s, want -f 9 and no -a", got)
	}
}

func jobWithParams(t *testing.T, params string) executor.Job {
	t.Helper()
	return rawJob(t, gpumarket.JobSpec{Kind: gpumarket.JobKindRender, Model: "cycles", Inputs: []gpumarket.JobInput{
		{Name: SceneInput, URI: gpumarket.DataURI("application/x-blender", tinyBlend)},
		{Name: ParamsInput, URI: gpumarket.DataURI("application/json", []byte(params))},
	}, Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{Frames: 1}}})
}

func withSpec(t *testing.T, j executor.Job, edit func(*gpumarket.JobSpec)) executor.Job {
	t.Helper()
	var s gpumarket.JobSpec
	if err := json.Unmarshal(j.Spec, &s); err != nil {
		t.Fatal(err)
	}
	edit(&s)
	return rawJob(t, s)
}

func tinyPNG(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func contains(err error, s string) bool { return err != nil && strings.Contains(err.Error(), s) }

func replaceOnce(t *testing.T, s, old, repl string) string {
	t.Helper()
	if strings.Count(s, old) != 1 {
		t.Fatalf("%q is not in the script exactly once", old)
	}
	return strings.Replace(s, old, repl, 1)
}
