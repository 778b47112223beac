package speech

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/audio/wav"
)

// The command executor's protocol (see executor.Command): what the recipe
// reads from its environment and where it writes its usage.
const (
	envJobID      = "GPUMARKET_JOB_ID"
	envJobKind    = "GPUMARKET_JOB_KIND"
	envSpecFile   = "GPUMARKET_SPEC_FILE"
	envOutputFile = "GPUMARKET_OUTPUT_FILE"
	usageFile     = "usage.json"
	maxEngineLog  = 1 << 20
)

// Main runs the recipe named by args[0] (RecipeESpeak or
// RecipePocketsphinx) with the remaining arguments, for the job the
// command executor describes in the environment, in the current (working)
// directory. It returns the process exit status: 0 when the output and
// usage.json are written, 2 with a line on stderr naming the problem
// otherwise. It is what `gpumarket engine` runs.
func Main(ctx context.Context, args []string, stderr io.Writer) int {
	if err := Run(ctx, args); err != nil {
		fmt.Fprintf(stderr, "gpumarket engine: %s\n", gpumarket.ErrorMessage(err))
		return 2
	}
	return 0
}

// Run is Main returning the error: an EINVALID *gpumarket.Error for a job
// the recipe refuses, a wrapped error naming the engine when it fails.
func Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("name a recipe: %s or %s", RecipeESpeak, RecipePocketsphinx)
	}
	job, err := readJobEnv()
	if err != nil {
		return err
	}
	switch args[0] {
	case RecipeESpeak:
		cfg, err := parseESpeakArgs(args[1:])
		if err != nil {
			return err
		}
		return job.speak(ctx, cfg)
	case RecipePocketsphinx:
		cfg, err := parsePocketsphinxArgs(args[1:])
		if err != nil {
			return err
		}
		return job.transcribe(ctx, cfg)
	}
	return fmt.Errorf("unknown recipe %q: want %s or %s", clip(args[0], 32), RecipeESpeak, RecipePocketsphinx)
}

// jobEnv is the job as the command executor hands it over.
type jobEnv struct {
	id       gpumarket.JobID
	kind     gpumarket.JobKind
	specFile string
	output   string
}

func readJobEnv() (jobEnv, error) {
	var j jobEnv
	id, err := strconv.ParseUint(os.Getenv(envJobID), 10, 64)
	if err != nil {
		return j, fmt.Errorf("%s: not a job id: run by the relayer's command executor only", envJobID)
	}
	j.id = gpumarket.JobID(id)
	if j.kind, err = gpumarket.ParseJobKind(os.Getenv(envJobKind)); err != nil {
		return j, fmt.Errorf("%s: %s", envJobKind, gpumarket.ErrorMessage(err))
	}
	j.specFile, j.output = os.Getenv(envSpecFile), os.Getenv(envOutputFile)
	if !filepath.IsAbs(j.specFile) || !filepath.IsAbs(j.output) {
		return j, fmt.Errorf("%s and %s must be absolute paths", envSpecFile, envOutputFile)
	}
	return j, nil
}

func (j jobEnv) spec(maxBytes int) (*spec, error) {
	f, err := os.Open(j.specFile)
	if err != nil {
		return nil, fmt.Errorf("open spec: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(maxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	return decodeSpec(j.id, j.kind, b, maxBytes)
}

// speak runs espeak-ng on the job's text (written to a file: the text is
// never an argument) into the output file, and reports the characters and
// the milliseconds wav.Parse measures in what espeak-ng wrote.
func (j jobEnv) speak(ctx context.Context, cfg ESpeakConfig) error {
	if j.kind != gpumarket.JobKindTTS {
		return fmt.Errorf("job %d: %s runs tts jobs, not %s", j.id, RecipeESpeak, j.kind)
	}
	s, err := j.spec(cfg.MaxSpecBytes)
	if err != nil {
		return err
	}
	req, err := s.speakRequest(cfg, inputSource{})
	if err != nil {
		return err
	}
	if err := writeNew("text.txt", []byte(req.text)); err != nil {
		return err
	}
	// -b 1: the text file is UTF-8; no -m: SSML and other markup are not
	// interpreted.
	if _, err := runEngine(ctx, cfg.Program, "-b", "1", "-v", req.voice, "-s", strconv.Itoa(req.wpm),
		"-f", "text.txt", "-w", j.output); err != nil {
		return err
	}
	audio, err := os.ReadFile(j.output)
	if err != nil {
		return fmt.Errorf("read espeak-ng output: %w", err)
	}
	info, err := wav.Parse(audio)
	if err != nil {
		return fmt.Errorf("espeak-ng output: %w", err)
	}
	if info.Frames() == 0 {
		return errors.New("espeak-ng wrote no audio samples")
	}
	return writeUsage(gpumarket.Usage{Units1: uint64(utf8.RuneCountInString(req.text)), Units2: info.Milliseconds()})
}

// transcribe runs pocketsphinx on the job's WAV (converted by sox to
// 16 kHz mono 16-bit PCM when it is not) and writes {"text": …}; the usage
// is the seconds of the job's own WAV and the transcript's characters.
func (j jobEnv) transcribe(ctx context.Context, cfg PocketsphinxConfig) error {
	if j.kind != gpumarket.JobKindSTT {
		return fmt.Errorf("job %d: %s runs stt jobs, not %s", j.id, RecipePocketsphinx, j.kind)
	}
	s, err := j.spec(cfg.MaxSpecBytes)
	if err != nil {
		return err
	}
	req, err := s.transcribeRequest(cfg, inputSource{})
	if err != nil {
		return err
	}
	// The engine hears exactly the audio counted: sizes written in, nothing
	// after the data chunk.
	if err := writeNew("input.wav", wav.Trim(req.audio, req.info)); err != nil {
		return err
	}
	in := "input.wav"
	if w := req.info; w.Format != 1 || w.Channels != 1 || w.SampleRate != 16000 || w.BitsPerSample != 16 {
		if _, err := runEngine(ctx, cfg.Sox, "-q", "input.wav", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", "input16k.wav"); err != nil {
			return err
		}
		in = "input16k.wav"
	}
	var text string
	if filepath.Base(cfg.Program) == "pocketsphinx" {
		// pocketsphinx 5.x: one JSON object per utterance, its text in "t".
		out, err := runEngine(ctx, cfg.Program, "-hmm", cfg.HMM, "-lm", cfg.LM, "-dict", cfg.Dict, "-loglevel", "FATAL", "single", in)
		if err != nil {
			return err
		}
		text, err = jsonUtterances(out)
		if err != nil {
			return err
		}
	} else {
		out, err := runEngine(ctx, cfg.Program, "-infile", in, "-hmm", cfg.HMM, "-lm", cfg.LM, "-dict", cfg.Dict, "-logfn", "/dev/null")
		if err != nil {
			return err
		}
		text = strings.Join(strings.Fields(string(out)), " ")
	}
	if !utf8.ValidString(text) {
		return errors.New("pocketsphinx: transcript is not valid UTF-8")
	}
	doc, err := json.Marshal(struct {
		Text string `json:"text"`
	}{text})
	if err != nil {
		return fmt.Errorf("encode transcript: %w", err)
	}
	if err := writeNew(j.output, doc); err != nil {
		return err
	}
	return writeUsage(gpumarket.Usage{Units1: req.info.Seconds(), Units2: uint64(utf8.RuneCountInString(text))})
}

// jsonUtterances joins the "t" of each JSON line pocketsphinx 5.x prints.
func jsonUtterances(out []byte) (string, error) {
	var parts []string
	for line := range bytes.Lines(out) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var u struct {
			T string `json:"t"`
		}
		if err := json.Unmarshal(line, &u); err != nil {
			return "", errors.New("pocketsphinx: output is not JSON lines")
		}
		if u.T != "" {
			parts = append(parts, u.T)
		}
	}
	return strings.Join(parts, " "), nil
}

// runEngine runs program with args (an argv: no shell), stdin closed, and
// returns its stdout (at most maxEngineLog bytes). A failure names the
// program and carries the last line of its stderr.
func runEngine(ctx context.Context, program string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, program, args...)
	var stdout, stderr limitedBuffer
	stdout.limit, stderr.limit = maxEngineLog, 4<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", filepath.Base(program), err, lastLine(stderr.Bytes()))
	}
	if stdout.over {
		return nil, fmt.Errorf("%s: stdout over %d bytes", filepath.Base(program), maxEngineLog)
	}
	return stdout.Bytes(), nil
}

type limitedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return clip(lines[len(lines)-1], 200)
}

// writeNew creates name (mode 0600, failing if it exists) with data.
func writeNew(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	return f.Close()
}

// writeUsage writes the usage file of the command executor's protocol.
func writeUsage(u gpumarket.Usage) error {
	b, err := json.Marshal(map[string]uint64{"units1": u.Units1, "units2": u.Units2})
	if err != nil {
		return err
	}
	return writeNew(usageFile, b)
}
