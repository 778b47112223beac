package synthetic

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// Preflight refuses exactly the jobs Run refuses, without running them.
func TestPreflight(t *testing.T) {
	req := gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{InputTokens: 10}}
	withParams, err := NewJobSpec(gpumarket.JobKindLLM, "llama-3-8b", map[string]any{"prompt": "hi", "max_tokens": 4}, req)
	if err != nil {
		t.Fatal(err)
	}
	badParams, err := NewJobSpec(gpumarket.JobKindLLM, "llama-3-8b", map[string]any{"max_tokens": 4}, req) // no prompt
	if err != nil {
		t.Fatal(err)
	}
	// A job spec without the executor's parameters: the observed bug.
	noParams, err := json.Marshal(gpumarket.JobSpec{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b", Requirements: req,
		Inputs: []gpumarket.JobInput{{Name: "prompt", URI: "https://example.com/prompt.txt"}}})
	if err != nil {
		t.Fatal(err)
	}
	malformed := strings.Replace(string(withParams), "data:application/json;base64,", "data:application/json;base64,%%", 1)
	tests := []struct {
		name string
		kind gpumarket.JobKind
		spec []byte
		msg  string // "" when runnable
	}{
		{"job spec with params", gpumarket.JobKindLLM, withParams, ""},
		{"bare parameters", gpumarket.JobKindLLM, []byte(`{"model":"m","prompt":"hi"}`), ""},
		{"job spec without params", gpumarket.JobKindLLM, noParams, `no "params" input`},
		{"params failing validation", gpumarket.JobKindLLM, badParams, "prompt"},
		{"malformed params input", gpumarket.JobKindLLM, []byte(malformed), `input "params"`},
		{"job spec of another kind", gpumarket.JobKindTTS, withParams, "job spec is for llm"},
		{"bare parameters of another kind", gpumarket.JobKindTTS, []byte(`{"model":"m","prompt":"hi"}`), "tts spec"},
		{"empty spec", gpumarket.JobKindLLM, nil, "empty spec"},
		{"unknown kind", gpumarket.JobKind(42), withParams, "unknown job kind"},
	}
	d := New(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := executor.Job{ID: 9, Kind: tt.kind, Spec: tt.spec}
			err := d.Preflight(context.Background(), job)
			switch {
			case tt.msg == "" && err != nil:
				t.Fatalf("Preflight = %v, want nil", err)
			case tt.msg != "" && (gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.msg)):
				t.Fatalf("Preflight = %v, want EINVALID containing %q", err, tt.msg)
			}
			_, runErr := d.Run(context.Background(), job)
			if (runErr == nil) != (err == nil) {
				t.Errorf("Preflight = %v but Run = %v: they must agree", err, runErr)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Preflight(ctx, executor.Job{ID: 9, Kind: gpumarket.JobKindLLM, Spec: withParams}); !errors.Is(err, context.Canceled) {
		t.Errorf("Preflight(cancelled) = %v, want context.Canceled", err)
	}
}
