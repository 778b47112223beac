package synthetic_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

func TestDemoRunsMatcherJobSpecs(t *testing.T) {
	req := gpumarket.Requirements{MinVRAMMiB: 1024, GPUCount: 1}
	tests := []struct {
		name   string
		kind   gpumarket.JobKind
		model  string
		params any
		want   string // in the output
	}{
		{"llm takes the spec's model", gpumarket.JobKindLLM, "llama-3-8b", map[string]any{"prompt": "hello there", "max_tokens": 8}, `"done":true`},
		{"tts", gpumarket.JobKindTTS, "voice-mid", synthetic.TTSSpec{Text: "hi", Voice: "mid"}, "RIFF"},
		{"render", gpumarket.JobKindRender, "mandelbrot", synthetic.RenderSpec{Width: 16, Height: 16}, "PNG"},
	}
	d := synthetic.New(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req
			r.Estimate = estimateFor(tt.kind)
			spec, err := synthetic.NewJobSpec(tt.kind, tt.model, tt.params, r)
			if err != nil {
				t.Fatalf("NewJobSpec: %v", err)
			}
			res, err := d.Run(context.Background(), executor.Job{ID: 1, Kind: tt.kind, Spec: spec})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if !strings.Contains(string(res.Body), tt.want) {
				t.Fatalf("output %.60q does not contain %q", res.Body, tt.want)
			}
		})
	}
}

func estimateFor(k gpumarket.JobKind) gpumarket.Estimate {
	switch k {
	case gpumarket.JobKindLLM:
		return gpumarket.Estimate{InputTokens: 10, OutputTokens: 10}
	case gpumarket.JobKindTTS:
		return gpumarket.Estimate{Characters: 2}
	case gpumarket.JobKindSTT:
		return gpumarket.Estimate{AudioSeconds: 1}
	}
	return gpumarket.Estimate{Frames: 1, GPUSeconds: 1}
}

func TestDemoParamsRefusals(t *testing.T) {
	spec, err := synthetic.NewJobSpec(gpumarket.JobKindTTS, "voice-mid", synthetic.TTSSpec{Text: "hi"},
		gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{Characters: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synthetic.Params(gpumarket.JobKindLLM, spec); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("DemoParams(llm, tts spec) = %v, want EINVALID", err)
	}
	dup, err := synthetic.NewJobSpec(gpumarket.JobKindLLM, "m", json.RawMessage(`{"prompt":"a","prompt":"b"}`),
		gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{InputTokens: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synthetic.Params(gpumarket.JobKindLLM, dup); gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), `duplicate field "prompt"`) {
		t.Fatalf("DemoParams(llm params with a duplicate key) = %v, want EINVALID naming the duplicate", err)
	}
	bad := strings.Replace(string(spec), `"name":"params"`, `"name":"other"`, 1)
	if _, err := synthetic.Params(gpumarket.JobKindTTS, []byte(bad)); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("DemoParams(no params input) = %v, want EINVALID", err)
	}
}
