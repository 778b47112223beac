package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/daemon"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/blender"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
	"github.com/gpumarket/gpumarket/relayer/executor/speech"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
)

// The relayer's engines: --engine KIND[:MODEL]=ENGINE[:TARGET], repeated,
// routes each kind (and, with :MODEL, one market model of it) to an engine,
// and the relayer runs them all through an executor.Router. For example
//
//	--engine tts=espeak --engine stt=pocketsphinx
//	--engine llm=openai:http://127.0.0.1:8000
//	--engine llm:llama-3-70b-instruct=openai:http://127.0.0.1:8001
//	--engine render=blender
//
// or GPUMARKET_RELAYER_ENGINE=tts=espeak,stt=pocketsphinx. A kind with no
// --engine is refused in preflight: the relayer never accepts its jobs.

// engineRoute is one parsed --engine value.
type engineRoute struct {
	raw    string // the flag value, for errors
	kind   gpumarket.JobKind
	model  string // "": every model of kind not routed elsewhere
	engine string // a key of engineBuilders
	target string // after the engine's ':' ("" when absent)
}

// engineBuilder builds one engine from its --engine route. kinds lists the
// job kinds it runs (nil: every kind).
type engineBuilder struct {
	kinds  []gpumarket.JobKind
	target string // what TARGET is, for help and errors ("" when none is taken)
	build  func(env *engineEnv, r engineRoute) (executor.Executor, error)
}

// engineBuilders is the constructor table of --engine, keyed by engine
// name. The blender entry is the hook for relayer/executor/blender
// (blender.New(blender.Config, *slog.Logger)), wired at its merge.
var engineBuilders = map[string]engineBuilder{
	"demo":         {build: buildDemo},
	"command":      {target: "the program's absolute path", build: buildCommand},
	"http":         {target: "the inference server's URL", build: buildHTTP},
	"openai":       {kinds: []gpumarket.JobKind{gpumarket.JobKindLLM, gpumarket.JobKindTTS, gpumarket.JobKindSTT}, target: "the OpenAI-compatible server's base URL", build: buildOpenAI},
	"espeak":       {kinds: []gpumarket.JobKind{gpumarket.JobKindTTS}, target: "optional: espeak-ng's path", build: buildESpeak},
	"pocketsphinx": {kinds: []gpumarket.JobKind{gpumarket.JobKindSTT}, target: "optional: pocketsphinx_continuous's path", build: buildPocketsphinx},
	"blender":      {kinds: []gpumarket.JobKind{gpumarket.JobKindRender}, target: "optional: blender's path", build: buildBlender},
}

// engineNames lists engineBuilders' keys, sorted.
func engineNames() string {
	var names []string
	for n := range engineBuilders {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// parseEngineRoute parses KIND[:MODEL]=ENGINE[:TARGET]. Errors name the
// part at fault, quoting at most 64 bytes of the value.
func parseEngineRoute(s string) (engineRoute, error) {
	r := engineRoute{raw: s}
	shown := s
	if len(shown) > 64 {
		shown = shown[:64] + "…"
	}
	left, right, ok := strings.Cut(s, "=")
	if !ok || left == "" || right == "" {
		return r, fmt.Errorf("%q: want KIND[:MODEL]=ENGINE[:TARGET], such as tts=espeak", shown)
	}
	kind, model, _ := strings.Cut(left, ":")
	var err error
	if r.kind, err = gpumarket.ParseJobKind(kind); err != nil {
		return r, fmt.Errorf("%q: %s", shown, gpumarket.ErrorMessage(err))
	}
	if strings.Contains(left, ":") && model == "" {
		return r, fmt.Errorf("%q: the model after %q is empty", shown, kind+":")
	}
	r.model = model
	r.engine, r.target, _ = strings.Cut(right, ":")
	b, ok := engineBuilders[r.engine]
	switch {
	case !ok:
		return r, fmt.Errorf("%q: unknown engine %q: want one of %s", shown, r.engine, engineNames())
	case b.kinds != nil && !slices.Contains(b.kinds, r.kind):
		return r, fmt.Errorf("%q: the %s engine does not run %s jobs", shown, r.engine, r.kind)
	case b.target == "" && r.target != "":
		return r, fmt.Errorf("%q: the %s engine takes no target after ':'", shown, r.engine)
	case strings.HasPrefix(b.target, "the ") && r.target == "":
		return r, fmt.Errorf("%q: the %s engine needs %s after ':'", shown, r.engine, b.target)
	}
	return r, nil
}

// engineEnv is what the builders share: the relayer's settings and what
// the saved attestation says is served.
type engineEnv struct {
	rc        *relayerConfig
	log       *slog.Logger
	served    map[gpumarket.JobKind][]string // nil: no attestation saved yet
	preflight executor.PreflightConfig
	workRoot  string
}

// inputs is the input fetcher of the engines that read inputs in the
// relayer (openai, espeak, pocketsphinx): data: and http(s) URIs, the
// matcher's blob store among them, under the preflight's address rules.
func (env *engineEnv) inputs() executor.InputFetcher {
	return executor.URLInputs{Config: env.preflight}
}

// models returns the market models r serves: its own, or the attestation's
// for its kind.
func (env *engineEnv) models(r engineRoute) []string {
	if r.model != "" {
		return []string{r.model}
	}
	return env.served[r.kind]
}

// work returns the command executors' work root, created.
func (env *engineEnv) work() (string, error) {
	if env.workRoot != "" {
		return env.workRoot, nil
	}
	root, err := filepath.Abs(filepath.Join(env.rc.DataDir, "work"))
	if err == nil {
		err = os.MkdirAll(root, 0o700)
	}
	if err != nil {
		return "", fmt.Errorf("work dir under the data dir: %w", err)
	}
	env.workRoot = root
	return root, nil
}

func buildDemo(env *engineEnv, _ engineRoute) (executor.Executor, error) {
	return synthetic.New(env.log), nil
}

func buildCommand(env *engineEnv, r engineRoute) (executor.Executor, error) {
	root, err := env.work()
	if err != nil {
		return nil, err
	}
	return executor.NewCommand(executor.CommandConfig{Program: r.target, WorkRoot: root, Timeout: env.rc.CommandTimeout, Preflight: env.preflight}, env.log)
}

func buildHTTP(env *engineEnv, r engineRoute) (executor.Executor, error) {
	return executor.NewHTTP(executor.HTTPConfig{URL: r.target, Timeout: env.rc.CommandTimeout, Preflight: env.preflight}, env.log)
}

func buildESpeak(env *engineEnv, r engineRoute) (executor.Executor, error) {
	root, err := env.work()
	if err != nil {
		return nil, err
	}
	return speech.NewESpeak(speech.ESpeakConfig{Launch: speech.Launch{WorkRoot: root, Timeout: env.rc.CommandTimeout, Preflight: env.preflight, Inputs: env.inputs()},
		Program: r.target}, env.log)
}

func buildPocketsphinx(env *engineEnv, r engineRoute) (executor.Executor, error) {
	root, err := env.work()
	if err != nil {
		return nil, err
	}
	return speech.NewPocketsphinx(speech.PocketsphinxConfig{Launch: speech.Launch{WorkRoot: root, Timeout: env.rc.CommandTimeout, Preflight: env.preflight, Inputs: env.inputs()},
		Program: r.target}, env.log)
}

// buildOpenAI builds the OpenAI-compatible executor of r's kind. Its models
// map sends each market model r serves to the server model id given by
// --openai-model MARKET=SERVER, or to the same name.
func buildOpenAI(env *engineEnv, r engineRoute) (executor.Executor, error) {
	market := env.models(r)
	if len(market) == 0 {
		return nil, errors.New("no models to serve: register first (the saved attestation lists the models of each kind) or name one, as in llm:MODEL=openai:URL")
	}
	models := map[string]string{}
	for _, m := range market {
		models[m] = m
		if id, ok := env.rc.openAIModels[m]; ok {
			models[m] = id
		}
	}
	cfg := openai.Config{BaseURL: r.target, Models: models, Timeout: env.rc.CommandTimeout, Inputs: env.inputs()}
	switch r.kind {
	case gpumarket.JobKindLLM:
		return openai.NewLLM(openai.LLMConfig{Config: cfg}, env.log)
	case gpumarket.JobKindTTS:
		return openai.NewTTS(openai.TTSConfig{Config: cfg, DefaultVoice: env.rc.OpenAIVoice}, env.log)
	default:
		return openai.NewSTT(openai.STTConfig{Config: cfg}, env.log)
	}
}

// buildBlender builds the render engine: Blender (the target, or blender on
// PATH) on the device --blender-device names, for the attested render models
// (or the route's own).
func buildBlender(env *engineEnv, r engineRoute) (executor.Executor, error) {
	device := blender.Device(strings.ToUpper(env.rc.BlenderDevice))
	switch device {
	case blender.DeviceCPU, blender.DeviceCUDA, blender.DeviceOptiX, blender.DeviceHIP, blender.DeviceMetal:
	default:
		return nil, fmt.Errorf("--blender-device (GPUMARKET_RELAYER_BLENDER_DEVICE) %.64q: want CPU, CUDA, OPTIX, HIP or METAL", env.rc.BlenderDevice)
	}
	root, err := env.work()
	if err != nil {
		return nil, err
	}
	return blender.New(blender.Config{Binary: r.target, WorkRoot: root, Device: device,
		Threads: env.rc.BlenderThreads, Models: env.models(r), Timeout: env.rc.CommandTimeout,
		AllowPrivateInputs: env.preflight.AllowPrivateInputs}, env.log)
}

// parseOpenAIModels reads --openai-model MARKET=SERVER values.
func (rc *relayerConfig) parseOpenAIModels(cmd *cli.Command) error {
	rc.openAIModels = map[string]string{}
	for _, v := range rc.OpenAIModels {
		market, server, ok := strings.Cut(v, "=")
		if !ok || market == "" || server == "" {
			shown := v
			if len(shown) > 64 {
				shown = shown[:64] + "…"
			}
			return invalid(flagErr(cmd, "openai-model", fmt.Sprintf("%q: want MARKET_MODEL=SERVER_MODEL_ID", shown)))
		}
		rc.openAIModels[market] = server
	}
	return nil
}

// router builds the executor.Router of the --engine routes. Every error
// names --engine (and its variable) and the route at fault.
func (rc *relayerConfig) router(cmd *cli.Command, log *slog.Logger) (*executor.Router, error) {
	if cmd.IsSet("executor") {
		return nil, invalid(flagErr(cmd, "engine", "set either "+flagRef(cmd, "executor")+" (one executor) or --engine routes, not both"))
	}
	if err := rc.parseOpenAIModels(cmd); err != nil {
		return nil, err
	}
	env := &engineEnv{rc: rc, log: log, preflight: rc.preflight()}
	if saved, err := daemon.LoadSignedAttestation(rc.attestationPath()); err == nil {
		env.served, _ = daemon.ServedModels(saved)
	}
	var routes []executor.Route
	for _, v := range rc.Engines {
		r, err := parseEngineRoute(v)
		if err != nil {
			return nil, invalid(flagErr(cmd, "engine", err.Error()))
		}
		ex, err := engineBuilders[r.engine].build(env, r)
		if err != nil {
			msg := err.Error()
			var ce *executor.ConfigError
			if errors.As(err, &ce) {
				msg = ce.Field + ": " + ce.Reason
			} else if gpumarket.ErrorCode(err) == gpumarket.EINVALID {
				msg = gpumarket.ErrorMessage(err)
			}
			return nil, invalid(flagErr(cmd, "engine", fmt.Sprintf("%s: %s", r.raw, msg)))
		}
		route := executor.Route{Kind: r.kind, Name: r.engine, Executor: ex}
		if r.target != "" {
			route.Name += ":" + r.target
		}
		if r.model != "" {
			route.Models = []string{r.model}
		}
		routes = append(routes, route)
	}
	router, err := executor.NewRouter(routes)
	if err != nil {
		var ce *executor.ConfigError
		if errors.As(err, &ce) {
			return nil, invalid(flagErr(cmd, "engine", ce.Field+": "+ce.Reason))
		}
		return nil, err
	}
	for kind := range env.served {
		if !router.Serves(kind) {
			log.Warn("attested kind has no --engine: its jobs are refused", "kind", kind)
		}
	}
	for _, rt := range router.Routes() {
		log.Info("engine", "kind", rt.Kind, "models", rt.Models, "engine", rt.Name)
	}
	return router, nil
}

// engineFlags are the run command's flags of the engine routes.
func engineFlags(rc *relayerConfig) []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "engine", Usage: "KIND[:MODEL]=ENGINE[:TARGET], repeatable: run KIND's jobs (or only MODEL's) on ENGINE, one of " + engineNames() +
			"; e.g. tts=espeak, stt=pocketsphinx, llm=openai:http://127.0.0.1:8000, render=blender (replaces --executor)", Sources: env("relayer-engine"), Destination: &rc.Engines},
		&cli.StringSliceFlag{Name: "openai-model", Usage: "MARKET_MODEL=SERVER_MODEL_ID, repeatable: the id an openai engine's server knows a market model by (default: the same name)", Sources: env("relayer-openai-model"), Destination: &rc.OpenAIModels},
		&cli.StringFlag{Name: "blender-device", Value: rc.BlenderDevice, Usage: "Cycles device of the blender engine: CPU, CUDA, OPTIX, HIP or METAL (every device of that type Blender finds is used)", Sources: env("relayer-blender-device"), Destination: &rc.BlenderDevice},
		&cli.IntFlag{Name: "blender-threads", Usage: "render threads of the blender engine (default: one per CPU)", Sources: env("relayer-blender-threads"), Destination: &rc.BlenderThreads},
		&cli.StringFlag{Name: "openai-voice", Value: rc.OpenAIVoice, Usage: "voice of tts jobs on an openai engine that name none", Sources: env("relayer-openai-voice"), Destination: &rc.OpenAIVoice},
	}
}
