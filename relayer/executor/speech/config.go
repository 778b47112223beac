package speech

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// Launch is how the relayer starts a recipe: through an executor.Command
// running the gpumarket binary's engine subcommand.
type Launch struct {
	// Binary is the gpumarket binary that runs the recipe (its `engine`
	// subcommand). Default: this process's executable.
	Binary string
	// WorkRoot is the existing directory under which each job's working
	// directory is created. Required, absolute.
	WorkRoot string
	// Timeout bounds each job. Default 10m.
	Timeout time.Duration
	// MaxSpecBytes bounds the job spec. Default gpumarket.MaxJobSpecBytes.
	MaxSpecBytes int
	// Preflight sets the kinds and models served (the attestation's), as for
	// any command executor; the engine adds its own checks of the spec.
	Preflight executor.PreflightConfig
	// Inputs fetches, in the relayer, the inputs whose URI is not a data:
	// URI (a job spec's data: URIs hold at most 64 KiB: about 2 s of
	// 16 kHz audio); nil refuses such jobs. The recipe itself reads no
	// input: it gets the fetched bytes in its spec file.
	Inputs executor.InputFetcher
}

// ESpeakConfig configures the espeak-ng tts engine.
type ESpeakConfig struct {
	Launch
	// Program is espeak-ng. Default: "espeak-ng" found on PATH, made
	// absolute.
	Program string
	// Voices lists the espeak-ng voices a job may name (each 1 to 64 of
	// [A-Za-z0-9_.+-], such as "en", "en-us", "en-gb", "en+f3"). Default
	// en, en-us, en-gb.
	Voices []string
	// DefaultVoice is the voice of a job that names none. Default: the
	// first of Voices.
	DefaultVoice string
	// MaxCharacters bounds a job's text. Default 4096.
	MaxCharacters int
}

// PocketsphinxConfig configures the pocketsphinx stt engine.
type PocketsphinxConfig struct {
	Launch
	// Program is pocketsphinx_continuous (pocketsphinx 0.8 / 5prealpha, as
	// Debian 12 ships it), or pocketsphinx (5.x, its `single` command).
	// Default: whichever of the two is found on PATH, made absolute.
	Program string
	// Sox converts audio that is not 16 kHz mono 16-bit PCM. Default:
	// "sox" found on PATH, made absolute.
	Sox string
	// HMM, LM and Dict are the acoustic model directory, the language
	// model and the pronunciation dictionary. Defaults: Debian's
	// pocketsphinx-en-us files under /usr/share/pocketsphinx/model/en-us.
	HMM, LM, Dict string
	// MaxInputBytes bounds the job's WAV. Default 64 MiB.
	MaxInputBytes int64
	// MaxAudioSeconds bounds the job's audio. Default 600.
	MaxAudioSeconds uint64
}

// Defaults of the pocketsphinx model files (Debian's pocketsphinx-en-us).
const (
	DefaultHMM  = "/usr/share/pocketsphinx/model/en-us/en-us"
	DefaultLM   = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
	DefaultDict = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
)

var voiceName = regexp.MustCompile(`^[A-Za-z0-9_.+-]{1,64}$`)

func badConfig(engine, field, format string, args ...any) error {
	return &executor.ConfigError{Executor: engine, Field: field, Reason: fmt.Sprintf(format, args...)}
}

func (l *Launch) setDefaults() error {
	if l.Binary == "" {
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("find this binary: %w", err)
		}
		l.Binary = self
	}
	l.MaxSpecBytes = cmp.Or(l.MaxSpecBytes, gpumarket.MaxJobSpecBytes)
	return nil
}

// program returns path made absolute (looked up on PATH when it is a bare
// name), or a ConfigError for field.
func program(engine, field, path string) (string, error) {
	p, err := exec.LookPath(path)
	if err != nil {
		return "", badConfig(engine, field, "%q: %v (tools/ensure-engines.sh installs the Debian packages)", path, err)
	}
	if p, err = filepath.Abs(p); err != nil {
		return "", badConfig(engine, field, "%v", err)
	}
	return p, nil
}

func (c *ESpeakConfig) setDefaults() error {
	if err := c.Launch.setDefaults(); err != nil {
		return err
	}
	if len(c.Voices) == 0 {
		c.Voices = []string{"en", "en-us", "en-gb"}
	}
	c.DefaultVoice = cmp.Or(c.DefaultVoice, c.Voices[0])
	c.MaxCharacters = cmp.Or(c.MaxCharacters, 4096)
	var err error
	c.Program, err = program("espeak", "Program", cmp.Or(c.Program, "espeak-ng"))
	return err
}

func (c *ESpeakConfig) validate() error {
	for _, v := range c.Voices {
		if !voiceName.MatchString(v) {
			return badConfig("espeak", "Voices", "%q: want 1 to 64 of [A-Za-z0-9_.+-]", clip(v, 64))
		}
	}
	if !slices.Contains(c.Voices, c.DefaultVoice) {
		return badConfig("espeak", "DefaultVoice", "%q is not one of Voices", clip(c.DefaultVoice, 64))
	}
	if c.MaxCharacters < 0 {
		return badConfig("espeak", "MaxCharacters", "negative")
	}
	return nil
}

func (c *PocketsphinxConfig) setDefaults() error {
	if err := c.Launch.setDefaults(); err != nil {
		return err
	}
	c.HMM = cmp.Or(c.HMM, DefaultHMM)
	c.LM = cmp.Or(c.LM, DefaultLM)
	c.Dict = cmp.Or(c.Dict, DefaultDict)
	c.MaxInputBytes = cmp.Or(c.MaxInputBytes, 64<<20)
	c.MaxAudioSeconds = cmp.Or(c.MaxAudioSeconds, 600)
	var err error
	if c.Program == "" {
		c.Program = "pocketsphinx_continuous"
		if _, err := exec.LookPath(c.Program); err != nil {
			if _, err5 := exec.LookPath("pocketsphinx"); err5 == nil {
				c.Program = "pocketsphinx"
			}
		}
	}
	if c.Program, err = program("pocketsphinx", "Program", c.Program); err != nil {
		return err
	}
	c.Sox, err = program("pocketsphinx", "Sox", cmp.Or(c.Sox, "sox"))
	return err
}

func (c *PocketsphinxConfig) validate() error {
	for field, p := range map[string]string{"HMM": c.HMM, "LM": c.LM, "Dict": c.Dict} {
		if !filepath.IsAbs(p) {
			return badConfig("pocketsphinx", field, "%q is not an absolute path", p)
		}
		if _, err := os.Stat(p); err != nil {
			return badConfig("pocketsphinx", field, "%v (Debian's pocketsphinx-en-us provides the English model)", err)
		}
	}
	if c.MaxInputBytes < 0 {
		return badConfig("pocketsphinx", "MaxInputBytes", "negative")
	}
	return nil
}

// Recipe names: the engine subcommand's first argument.
const (
	RecipeESpeak       = "espeak-tts"
	RecipePocketsphinx = "pocketsphinx-stt"
)

// args are the engine subcommand's arguments for c: fixed per relayer,
// nothing from a job.
func (c *ESpeakConfig) args() []string {
	return []string{"engine", RecipeESpeak, "-espeak", c.Program, "-voices", strings.Join(c.Voices, ","),
		"-default-voice", c.DefaultVoice, "-max-characters", strconv.Itoa(c.MaxCharacters),
		"-max-spec-bytes", strconv.Itoa(c.MaxSpecBytes)}
}

func (c *PocketsphinxConfig) args() []string {
	return []string{"engine", RecipePocketsphinx, "-pocketsphinx", c.Program, "-sox", c.Sox,
		"-hmm", c.HMM, "-lm", c.LM, "-dict", c.Dict,
		"-max-input-bytes", strconv.FormatInt(c.MaxInputBytes, 10),
		"-max-audio-seconds", strconv.FormatUint(c.MaxAudioSeconds, 10),
		"-max-spec-bytes", strconv.Itoa(c.documentBytes())}
}

// documentBytes bounds the parameters document the recipe reads: the
// audio in base64 and the rest of the parameters.
func (c *PocketsphinxConfig) documentBytes() int {
	return int(c.MaxInputBytes/3*4) + 4 + 64<<10
}

// parseESpeakArgs reads what args wrote.
func parseESpeakArgs(args []string) (ESpeakConfig, error) {
	var c ESpeakConfig
	var voices string
	fs := flag.NewFlagSet(RecipeESpeak, flag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.StringVar(&c.Program, "espeak", "", "")
	fs.StringVar(&voices, "voices", "", "")
	fs.StringVar(&c.DefaultVoice, "default-voice", "", "")
	fs.IntVar(&c.MaxCharacters, "max-characters", 0, "")
	fs.IntVar(&c.MaxSpecBytes, "max-spec-bytes", 0, "")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%s arguments: %w", RecipeESpeak, err)
	}
	c.Voices = strings.Split(voices, ",")
	if !filepath.IsAbs(c.Program) || c.MaxCharacters <= 0 || c.MaxSpecBytes <= 0 {
		return c, fmt.Errorf("%s arguments: want an absolute -espeak and positive limits", RecipeESpeak)
	}
	return c, c.validate()
}

func parsePocketsphinxArgs(args []string) (PocketsphinxConfig, error) {
	var c PocketsphinxConfig
	fs := flag.NewFlagSet(RecipePocketsphinx, flag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.StringVar(&c.Program, "pocketsphinx", "", "")
	fs.StringVar(&c.Sox, "sox", "", "")
	fs.StringVar(&c.HMM, "hmm", "", "")
	fs.StringVar(&c.LM, "lm", "", "")
	fs.StringVar(&c.Dict, "dict", "", "")
	fs.Int64Var(&c.MaxInputBytes, "max-input-bytes", 0, "")
	fs.Uint64Var(&c.MaxAudioSeconds, "max-audio-seconds", 0, "")
	fs.IntVar(&c.MaxSpecBytes, "max-spec-bytes", 0, "")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%s arguments: %w", RecipePocketsphinx, err)
	}
	if !filepath.IsAbs(c.Program) || !filepath.IsAbs(c.Sox) || c.MaxInputBytes <= 0 || c.MaxAudioSeconds == 0 || c.MaxSpecBytes <= 0 {
		return c, fmt.Errorf("%s arguments: want absolute -pocketsphinx and -sox and positive limits", RecipePocketsphinx)
	}
	return c, c.validate()
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
