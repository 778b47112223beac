package demo

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/speech"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
)

// providerExecutor returns p's executor: an executor.Router sending tts
// jobs to espeak-ng and stt jobs to pocketsphinx when they are installed
// (tools/ensure-engines.sh), and everything else, or a kind whose engine is
// missing, to the demo executor. It prints which engine runs each speech
// kind, and why a fallback happened.
func (d *demo) providerExecutor(p *provider, log *slog.Logger) (executor.Executor, error) {
	demoExec := synthetic.New(log)
	models := map[gpumarket.JobKind][]string{}
	for _, c := range p.att.Capabilities {
		models[c.Kind] = append(models[c.Kind], c.Models...)
	}
	work, err := filepath.Abs(filepath.Join(d.runDir, "providers", p.short, "work"))
	if err == nil {
		err = os.MkdirAll(work, 0o700)
	}
	if err != nil {
		return nil, fmt.Errorf("work dir of %s: %w", p.name, err)
	}
	launch := speech.Launch{WorkRoot: work, Preflight: executor.PreflightConfig{Models: models}}
	var routes []executor.Route
	for _, kind := range []gpumarket.JobKind{gpumarket.JobKindTTS, gpumarket.JobKindSTT} {
		if _, ok := models[kind]; !ok {
			continue
		}
		var ex executor.Executor
		var name string
		var err error
		if kind == gpumarket.JobKindTTS {
			name = "espeak-ng"
			ex, err = speech.NewESpeak(speech.ESpeakConfig{Launch: launch}, log)
		} else {
			name = "pocketsphinx"
			ex, err = speech.NewPocketsphinx(speech.PocketsphinxConfig{Launch: launch}, log)
		}
		if err != nil {
			d.printf("  %s: %s jobs on the demo executor (%s unavailable: %s)\n", p.short, kind, name, gpumarket.ErrorMessage(err))
			continue
		}
		d.printf("  %s: %s jobs on %s\n", p.short, kind, name)
		routes = append(routes, executor.Route{Kind: kind, Name: name, Executor: ex})
	}
	for _, kind := range []gpumarket.JobKind{gpumarket.JobKindRender, gpumarket.JobKindTTS, gpumarket.JobKindSTT, gpumarket.JobKindLLM} {
		served := false
		for _, r := range routes {
			served = served || r.Kind == kind
		}
		if !served {
			routes = append(routes, executor.Route{Kind: kind, Name: "demo", Executor: demoExec})
		}
	}
	return executor.NewRouter(routes)
}

// maxSpokenWAV bounds the demo's spoken stt inputs: the audio travels in
// base64 in the params input, itself a data: URI of at most 64 KiB.
const maxSpokenWAV = 40 << 10

// spokenWAV returns text spoken by espeak-ng and converted by sox to 8 kHz
// mono 16-bit PCM (small enough for a job spec), or false when either is
// missing or the audio is too long: the demo then uses the demo executor's
// tones.
func spokenWAV(ctx context.Context, text string) ([]byte, bool) {
	espeak, err1 := exec.LookPath("espeak-ng")
	sox, err2 := exec.LookPath("sox")
	if err1 != nil || err2 != nil {
		return nil, false
	}
	dir, err := os.MkdirTemp("", "gpumarket-demo-wav-")
	if err != nil {
		return nil, false
	}
	defer os.RemoveAll(dir)
	raw, small := filepath.Join(dir, "speech.wav"), filepath.Join(dir, "speech8k.wav")
	if exec.CommandContext(ctx, espeak, "-v", "en", "-w", raw, "--", text).Run() != nil ||
		exec.CommandContext(ctx, sox, "-q", raw, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", small).Run() != nil {
		return nil, false
	}
	b, err := os.ReadFile(small)
	if err != nil || len(b) > maxSpokenWAV {
		return nil, false
	}
	return b, true
}
