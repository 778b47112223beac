package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/blender"
	"github.com/gpumarket/gpumarket/relayer/executor/speech"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
)

// blenderModel is the render model the demo's Blender engine serves (the
// scenario's real render job); other render models stay on the demo
// executor.
const blenderModel = "cycles-4.1"

// providerExecutor returns p's executor: an executor.Router sending tts
// jobs to espeak-ng, stt jobs to pocketsphinx and render jobs of
// blenderModel to Blender when they are installed (tools/ensure-engines.sh,
// tools/ensure-blender.sh), and everything else, or a kind whose engine is
// missing, to the demo executor. It prints which engine runs each real
// kind, and why a fallback happened. Blender fetches the scene from the
// matcher's input store on loopback: private inputs are allowed.
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
	if slices.Contains(models[gpumarket.JobKindRender], blenderModel) {
		bl, err := blender.New(blender.Config{WorkRoot: work, Models: []string{blenderModel}, AllowPrivateInputs: true}, log)
		if err != nil {
			d.printf("  %s: render %s jobs on the demo executor (Blender unavailable: %s)\n", p.short, blenderModel, gpumarket.ErrorMessage(err))
		} else {
			d.printf("  %s: render %s jobs on Blender\n", p.short, blenderModel)
			routes = append(routes, executor.Route{Kind: gpumarket.JobKindRender, Name: "blender", Models: []string{blenderModel}, Executor: bl})
			if d.blender == nil {
				d.blender = bl
			}
		}
	}
	for _, kind := range []gpumarket.JobKind{gpumarket.JobKindRender, gpumarket.JobKindTTS, gpumarket.JobKindSTT, gpumarket.JobKindLLM} {
		served := false // every model of kind
		for _, r := range routes {
			served = served || (r.Kind == kind && len(r.Models) == 0)
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

// withScene returns spec with a scene input: Blender's test scene, made by
// d.blender and uploaded to the matcher's input store (POST /v1/blobs) as
// a client does for a .blend over the inline limit.
func (d *demo) withScene(ctx context.Context, matcherURL string, spec []byte) ([]byte, error) {
	scene, err := d.blender.TestScene(ctx)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(scene)
	ref, err := (&client.MatcherBlobs{BaseURL: matcherURL}).Put(ctx, bytes.NewReader(scene), int64(len(scene)), hex.EncodeToString(sum[:]))
	if err != nil {
		return nil, fmt.Errorf("upload the scene: %w", err)
	}
	js, err := gpumarket.DecodeJobSpec(bytes.NewReader(spec))
	if err != nil {
		return nil, err
	}
	js.Inputs = append(js.Inputs, gpumarket.JobInput{Name: blender.SceneInput, URI: ref.URI, SHA256: ref.SHA256, SizeBytes: uint64(ref.SizeBytes)})
	if err := js.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(js)
}
