package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
)

// TestJobFlagsHaveEnvVars: every flag of every `gpumarket job` subcommand is
// read from GPUMARKET_JOB_<FLAG>, and the help lists the exit codes.
func TestJobFlagsHaveEnvVars(t *testing.T) {
	cfg := DefaultConfig()
	job := jobCommand(&cfg, io.Discard, io.Discard)
	if len(job.Commands) != 11 { // with confirm (the Solana rail)
		t.Errorf("job has %d subcommands, want 11", len(job.Commands))
	}
	for _, sub := range job.Commands {
		for _, f := range sub.Flags {
			ev, ok := f.(interface{ GetEnvVars() []string })
			if !ok || len(ev.GetEnvVars()) != 1 || !strings.HasPrefix(ev.GetEnvVars()[0], "GPUMARKET_JOB_") {
				t.Errorf("job %s --%s: env vars %v, want one GPUMARKET_JOB_*", sub.Name, f.Names()[0], envVars(f))
			}
		}
	}
	for _, code := range []string{"4 no provider", "5 max price below the market band", "6 deadline passed", "7 result bytes do not match"} {
		if !strings.Contains(job.Description, code) {
			t.Errorf("job help lacks exit code %q", code)
		}
	}
}

func envVars(f cli.Flag) []string {
	if ev, ok := f.(interface{ GetEnvVars() []string }); ok {
		return ev.GetEnvVars()
	}
	return nil
}

// TestJobExitCodes: each client condition has its own exit code, also when
// wrapped; other errors keep the common mapping.
func TestJobExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{fmt.Errorf("submit: %w", client.ErrNoProvider), exitNoProvider},
		{fmt.Errorf("submit: %w", client.ErrBelowBand), exitBelowBand},
		{fmt.Errorf("%w: %w", client.ErrRefunded, gpumarket.Errorf(gpumarket.ECONFLICT, "refunded")), exitRefunded},
		{errors.Join(client.ErrResultMismatch, gpumarket.Errorf(gpumarket.EINVALID, "x")), exitResultMismatch},
		{fmt.Errorf("x: %w", client.ErrInsufficientFunds), exitFailure},
		{gpumarket.Errorf(gpumarket.EINVALID, "bad flag"), exitInvalid},
		{gpumarket.Errorf(gpumarket.EUNAVAILABLE, "node down"), exitUnavailable},
	}
	for _, tc := range tests {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

// TestJobSpecCommand: `job spec` builds and validates a spec without a
// chain or a matcher, and names the flag (and its variable) of a bad input.
func TestJobSpecCommand(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "job", "spec", "--kind", "llm", "--model", "llama-3-8b-instruct-q4", "--prompt", "hello", "--max-tokens", "16")
	if code != 0 {
		t.Fatalf("job spec: exit %d: %s", code, errOut)
	}
	s, err := gpumarket.DecodeJobSpec(strings.NewReader(out))
	if err != nil || s.Kind != gpumarket.JobKindLLM || s.Requirements.Estimate.OutputTokens != 16 {
		t.Fatalf("job spec printed %q (%v)", out, err)
	}
	// A render spec reads as the blender engine wants it (and the demo
	// executor accepts): the scene named "scene", a frame range, samples.
	scene := filepath.Join(t.TempDir(), "tiny.blend")
	if err := os.WriteFile(scene, []byte("BLENDER-v401 tiny"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, nil, "job", "spec", "--kind", "render", "--model", "blender-4.1-cycles", "--input", scene, "--frames", "2-3", "--width", "64", "--height", "48", "--samples", "4")
	if code != 0 {
		t.Fatalf("job spec --kind render: exit %d: %s", code, errOut)
	}
	s, err = gpumarket.DecodeJobSpec(strings.NewReader(out))
	if err != nil || len(s.Inputs) != 2 || s.Inputs[1].Name != "scene" || !strings.HasPrefix(s.Inputs[1].URI, "data:") || s.Requirements.Estimate.Frames != 2 {
		t.Fatalf("job spec --kind render printed %q (%v): want the scene embedded as input \"scene\" and 2 frames", out, err)
	}
	params, err := gpumarket.DecodeDataURI(s.Inputs[0].URI, 1<<10)
	if err != nil || string(params) != `{"frame_end":3,"frame_start":2,"height":48,"samples":4,"width":64}` {
		t.Errorf("render params %s (%v)", params, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "llm", "--model", "m"}, "--prompt (GPUMARKET_JOB_PROMPT): required for llm jobs"},
		{[]string{"--kind", "stt", "--model", "m", "--audio", "/nonexistent.wav"}, "--audio (GPUMARKET_JOB_AUDIO): file /nonexistent.wav does not exist"},
		{[]string{"--kind", "render", "--model", "m", "--frames", "4-1"}, "--frames (GPUMARKET_JOB_FRAMES)"},
		{[]string{"--kind", "llm"}, "--model (GPUMARKET_JOB_MODEL): required"},
	} {
		code, _, errOut := runCLI(t, nil, append([]string{"job", "spec"}, tc.args...)...)
		if code != exitInvalid || !strings.Contains(errOut, tc.want) {
			t.Errorf("job spec %v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, exitInvalid, tc.want)
		}
	}
}
