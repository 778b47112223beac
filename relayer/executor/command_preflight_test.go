//go:build linux

package executor

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// The command executor's Preflight checks the spec and the models served
// without starting the program.
func TestCommandPreflight(t *testing.T) {
	s := newSandbox(t)
	marker := filepath.Join(s.base, "started")
	prog := s.script(t, "prog", "touch "+marker+"\n")
	c := newCommand(t, CommandConfig{Program: prog, WorkRoot: s.work,
		Preflight: PreflightConfig{Models: map[gpumarket.JobKind][]string{gpumarket.JobKindLLM: {"llama-3-8b"}}}})
	ok := jobSpec(t, "llama-3-8b", dataInput("params", []byte(`{}`)))
	tests := []struct {
		name string
		kind gpumarket.JobKind
		spec []byte
		want func(*testing.T, error)
	}{
		{"runnable", gpumarket.JobKindLLM, ok, wantNil},
		{"model not served", gpumarket.JobKindLLM, jobSpec(t, "gpt-5", dataInput("params", []byte(`{}`))), wantCodeMsg(gpumarket.EINVALID, "not served")},
		{"kind not served", gpumarket.JobKindTTS, ok, wantCodeMsg(gpumarket.EINVALID, "spec is for llm")},
		{"not a job spec", gpumarket.JobKindLLM, []byte(`{"prompt":"hi"}`), wantCodeMsg(gpumarket.EINVALID, "spec")},
		{"unknown kind", gpumarket.JobKind(99), ok, wantCodeMsg(gpumarket.EINVALID, "unknown job kind")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want(t, c.Preflight(context.Background(), Job{ID: 3, Kind: tt.kind, Spec: tt.spec}))
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("Preflight started the program")
	}
	if ents, _ := os.ReadDir(s.work); len(ents) != 0 {
		t.Errorf("Preflight left %d entries in the work root", len(ents))
	}
}
