package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/audio/wav"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
	"github.com/gpumarket/gpumarket/relayer/executor/speech"
)

func TestRelayerEngineFlags(t *testing.T) {
	ctx := context.Background()
	const flag = "--engine (GPUMARKET_RELAYER_ENGINE)"
	tests := []struct {
		name string
		args []string
		want string // in the error, after the flag's name; "" when the routes are valid
	}{
		{"no '='", []string{"--engine", "tts"}, `"tts": want KIND[:MODEL]=ENGINE[:TARGET]`},
		{"unknown kind", []string{"--engine", "video=demo"}, "video"},
		{"unknown engine", []string{"--engine", "tts=festival"}, `unknown engine "festival": want one of blender, command, demo, espeak, http, openai, pocketsphinx`},
		{"engine of another kind", []string{"--engine", "stt=espeak"}, "the espeak engine does not run stt jobs"},
		{"missing target", []string{"--engine", "llm=openai"}, "the openai engine needs the OpenAI-compatible server's base URL"},
		{"target not taken", []string{"--engine", "tts=demo:x"}, "takes no target"},
		{"empty model", []string{"--engine", "llm:=demo"}, `the model after "llm:" is empty`},
		{"openai without models", []string{"--engine", "llm=openai:http://127.0.0.1:8000"}, "no models to serve: register first"},
		{"openai not on loopback", []string{"--engine", "llm:m=openai:http://10.1.2.3:8000"}, "llm:m=openai:http://10.1.2.3:8000: BaseURL"},
		{"espeak program missing", []string{"--engine", "tts=espeak:/nonexistent/espeak-ng"}, "tts=espeak:/nonexistent/espeak-ng: Program"},
		{"command program relative", []string{"--engine", "render=command:run.sh"}, "Program"},
		{"blender program missing", []string{"--engine", "render=blender:/nonexistent/blender"}, "render=blender:/nonexistent/blender: Binary: exec"},
		{"blender device unknown", []string{"--engine", "render=blender", "--blender-device", "tpu"}, `--blender-device (GPUMARKET_RELAYER_BLENDER_DEVICE) "tpu": want CPU`},
		{"a kind twice", []string{"--engine", "tts=demo", "--engine", "tts=demo"}, "Routes[1]: tts jobs of every other model already go to demo"},
		{"with --executor", []string{"--executor", "demo", "--engine", "tts=demo"}, "set either --executor (GPUMARKET_RELAYER_EXECUTOR)"},
		{"bad --openai-model", []string{"--engine", "tts=demo", "--openai-model", "llama"}, ""},
		{"valid routes", []string{"--engine", "tts=demo", "--engine", "stt=demo", "--engine", "llm:llama-3-8b-instruct=openai:http://127.0.0.1:8000",
			"--openai-model", "llama-3-8b-instruct=meta-llama/Meta-Llama-3-8B-Instruct"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "--data-dir", t.TempDir()}, tt.args...)
			out, err := runRelayerCLI(ctx, t, args...)
			if err == nil {
				t.Fatalf("no error; output %s", out)
			}
			msg := err.Error()
			if tt.name == "bad --openai-model" {
				if !strings.Contains(msg, `--openai-model (GPUMARKET_RELAYER_OPENAI_MODEL): "llama": want MARKET_MODEL=SERVER_MODEL_ID`) {
					t.Fatalf("error %q does not name --openai-model", msg)
				}
				return
			}
			if tt.want == "" {
				// Past the engines, run stops at the next missing setting.
				if strings.Contains(msg, "--engine") || !strings.Contains(msg, "--database-url") {
					t.Fatalf("error %q: want the engines accepted and the missing --database-url named", msg)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(msg, flag+": ") || !strings.Contains(msg, tt.want) {
				t.Fatalf("error %q: want EINVALID naming %s and %q", msg, flag, tt.want)
			}
		})
	}
}

func TestRelayerEngineFromEnvironment(t *testing.T) {
	t.Setenv("GPUMARKET_RELAYER_ENGINE", "tts=demo,stt=festival")
	_, err := runRelayerCLI(context.Background(), t, "run", "--data-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), `--engine (GPUMARKET_RELAYER_ENGINE): "stt=festival": unknown engine`) {
		t.Fatalf("error = %v, want the variable's bad route named", err)
	}
}

// TestEngineSubcommandRunsTheRecipe runs a tts job through the espeak
// engine with this binary's `gpumarket engine` subcommand as the recipe,
// as the relayer does.
func TestEngineSubcommandRunsTheRecipe(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("espeak-ng is missing (run tools/ensure-engines.sh)")
		}
		t.Skip("espeak-ng is missing (run tools/ensure-engines.sh)")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	e, err := speech.NewESpeak(speech.ESpeakConfig{Launch: speech.Launch{Binary: self, WorkRoot: t.TempDir()}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := json.Marshal(openai.TTSParams{Text: "Providers earn from real engines."})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Run(context.Background(), executor.Job{ID: 1, Kind: gpumarket.JobKindTTS, Spec: spec})
	if err != nil {
		var xe *executor.ExitError
		if errors.As(err, &xe) {
			t.Fatalf("Run: %v: %s", err, xe.Stderr)
		}
		t.Fatalf("Run: %v", err)
	}
	defer res.Release()
	r, err := res.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	audio, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	info, err := wav.Parse(audio)
	if err != nil || res.Usage.Units2 == 0 || res.Usage.Units2 != info.Milliseconds() || res.Usage.Units1 != 33 {
		t.Fatalf("usage %+v, wav.Parse = %d ms, %v; want 33 characters and the WAV's milliseconds", res.Usage, info.Milliseconds(), err)
	}
}
