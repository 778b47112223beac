package executor

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// named is a fake executor that answers with its name (as the output) and
// records the preflights it was asked.
type named struct {
	name       string
	preflights int
}

func (n *named) Run(_ context.Context, _ Job) (*Result, error) {
	return &Result{Body: []byte(n.name)}, nil
}

func (n *named) Preflight(_ context.Context, _ Job) error {
	n.preflights++
	return nil
}

func routerJob(tb testing.TB, kind gpumarket.JobKind, model string) Job {
	tb.Helper()
	est := map[gpumarket.JobKind]gpumarket.Estimate{
		gpumarket.JobKindRender: {Frames: 1}, gpumarket.JobKindTTS: {Characters: 10},
		gpumarket.JobKindSTT: {AudioSeconds: 10}, gpumarket.JobKindLLM: {InputTokens: 10, OutputTokens: 10}}[kind]
	js := gpumarket.JobSpec{Kind: kind, Model: model, Inputs: []gpumarket.JobInput{{Name: "params", URI: "data:application/json,{}"}},
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: est}}
	if err := js.Validate(); err != nil {
		tb.Fatal(err)
	}
	b, err := json.Marshal(js)
	if err != nil {
		tb.Fatal(err)
	}
	return Job{ID: 3, Kind: kind, Spec: b}
}

func TestRouterDispatchesByKindAndModel(t *testing.T) {
	espeak, sphinx, big, small := &named{name: "espeak"}, &named{name: "pocketsphinx"}, &named{name: "llm-70b"}, &named{name: "llm-any"}
	r, err := NewRouter([]Route{
		{Kind: gpumarket.JobKindTTS, Name: "espeak", Executor: espeak},
		{Kind: gpumarket.JobKindSTT, Name: "pocketsphinx", Executor: sphinx},
		{Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-70b-instruct"}, Name: "openai:big", Executor: big},
		{Kind: gpumarket.JobKindLLM, Name: "openai:small", Executor: small},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		job     Job
		want    string // the executor that runs it; "" refused
		wantErr string
	}{
		{"tts", routerJob(t, gpumarket.JobKindTTS, "espeak-ng"), "espeak", ""},
		{"stt", routerJob(t, gpumarket.JobKindSTT, "whisper-small"), "pocketsphinx", ""},
		{"llm model routed by name", routerJob(t, gpumarket.JobKindLLM, "llama-3-70b-instruct"), "llm-70b", ""},
		{"llm other model: the kind's catch-all", routerJob(t, gpumarket.JobKindLLM, "llama-3-8b-instruct"), "llm-any", ""},
		{"bare parameters document with a model", Job{ID: 4, Kind: gpumarket.JobKindLLM, Spec: []byte(`{"model":"llama-3-70b-instruct","messages":[]}`)}, "llm-70b", ""},
		{"render: no engine", routerJob(t, gpumarket.JobKindRender, "cycles-4.1"), "", "no engine is configured for render jobs"},
		{"unknown kind", Job{ID: 5, Kind: gpumarket.JobKind(99), Spec: []byte("{}")}, "", "unknown job kind 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Run(context.Background(), tt.job)
			perr := r.Preflight(context.Background(), tt.job)
			if tt.wantErr != "" {
				for what, err := range map[string]error{"Run": err, "Preflight": perr} {
					if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
						t.Errorf("%s = %v, want EINVALID naming %q", what, err, tt.wantErr)
					}
				}
				return
			}
			if err != nil || string(res.Body) != tt.want {
				t.Fatalf("Run = %v, %v; want the %s executor", res, err, tt.want)
			}
			if perr != nil {
				t.Errorf("Preflight = %v, want nil", perr)
			}
		})
	}
	if espeak.preflights != 1 || big.preflights != 2 || small.preflights != 1 {
		t.Errorf("preflights: espeak %d, llm-70b %d, llm-any %d; want 1, 2, 1 (each asked of its route's executor)", espeak.preflights, big.preflights, small.preflights)
	}
	if !r.Serves(gpumarket.JobKindTTS) || r.Serves(gpumarket.JobKindRender) {
		t.Errorf("Serves(tts), Serves(render) = %v, %v; want true, false", r.Serves(gpumarket.JobKindTTS), r.Serves(gpumarket.JobKindRender))
	}
}

func TestRouterOnlyModelRoutes(t *testing.T) {
	r, err := NewRouter([]Route{{Kind: gpumarket.JobKindLLM, Models: []string{"a"}, Name: "x", Executor: &named{name: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	err = r.Preflight(context.Background(), routerJob(t, gpumarket.JobKindLLM, "b"))
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), `no engine is configured for llm model "b"`) {
		t.Errorf("Preflight(model b) = %v, want EINVALID naming the model", err)
	}
}

func TestNewRouterRefusesConflicts(t *testing.T) {
	e := &named{name: "e"}
	tests := []struct {
		name    string
		routes  []Route
		wantErr string
	}{
		{"two catch-alls", []Route{{Kind: gpumarket.JobKindTTS, Name: "espeak", Executor: e}, {Kind: gpumarket.JobKindTTS, Name: "openai", Executor: e}}, `Routes[1]: tts jobs of every other model already go to espeak`},
		{"a model twice", []Route{{Kind: gpumarket.JobKindLLM, Models: []string{"m"}, Name: "a", Executor: e}, {Kind: gpumarket.JobKindLLM, Models: []string{"m"}, Name: "b", Executor: e}}, `llm model "m" already go to a`},
		{"no executor", []Route{{Kind: gpumarket.JobKindLLM, Name: "a"}}, "has no executor"},
		{"bad kind", []Route{{Kind: gpumarket.JobKind(9), Name: "a", Executor: e}}, "unknown job kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRouter(tt.routes)
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewRouter = %v, want a ConfigError naming %q", err, tt.wantErr)
			}
		})
	}
}
