package openai

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"mime"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// TTSConfig configures a [TTS] executor.
type TTSConfig struct {
	Config
	// DefaultVoice is the voice of a job that names none. Required.
	DefaultVoice string
	// Voices, when set, lists the voices a job may name; otherwise any
	// voice name of 1 to 64 of [A-Za-z0-9_.:+-] is passed on.
	Voices []string
	// MaxCharacters bounds a job's text. Default 4096 (OpenAI's limit).
	MaxCharacters int
}

// TTSParams are a tts job's parameters (the spec's ParamsInput). The text
// comes from Text, or else from an input named "text".
type TTSParams struct {
	Model string   `json:"model,omitempty"`
	Text  string   `json:"text,omitempty"`
	Voice string   `json:"voice,omitempty"`
	Speed *float64 `json:"speed,omitempty"` // 0.25..4
}

// TTS runs tts jobs on an OpenAI-compatible speech endpoint (POST
// {BaseURL}/v1/audio/speech with response_format wav): Kokoro-FastAPI,
// openedai-speech, speaches, and others.
//
// The usage is measured by the executor, not reported by the server:
// Units1 is the text's characters (Unicode code points), Units2 the
// milliseconds of audio in the returned WAV, computed from its header and
// the bytes present. A response that is not WAV audio fails the job. The
// result is the WAV; when the server streamed it with an unknown size
// (0xFFFFFFFF or 0 in the RIFF and data headers), the sizes are written in.
type TTS struct {
	c   *client
	cfg TTSConfig
}

var _ executor.Executor = (*TTS)(nil)

var voiceName = regexp.MustCompile(`^[A-Za-z0-9_.:+-]{1,64}$`)

// NewTTS returns a TTS executor. It returns a *executor.ConfigError
// (EINVALID) naming the field when cfg is invalid.
func NewTTS(cfg TTSConfig, log *slog.Logger) (*TTS, error) {
	cfg.MaxCharacters = cmp.Or(cfg.MaxCharacters, 4096)
	bad := func(field, format string, args ...any) error {
		return &executor.ConfigError{Executor: "openai-tts", Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if !voiceName.MatchString(cfg.DefaultVoice) {
		return nil, bad("DefaultVoice", "%q: want 1 to 64 of [A-Za-z0-9_.:+-]", cfg.DefaultVoice)
	}
	for _, v := range cfg.Voices {
		if !voiceName.MatchString(v) {
			return nil, bad("Voices", "%q: want 1 to 64 of [A-Za-z0-9_.:+-]", v)
		}
	}
	if len(cfg.Voices) > 0 && !slices.Contains(cfg.Voices, cfg.DefaultVoice) {
		return nil, bad("DefaultVoice", "%q is not one of Voices", cfg.DefaultVoice)
	}
	if cfg.MaxCharacters < 0 {
		return nil, bad("MaxCharacters", "negative")
	}
	c, err := newClient("tts", cfg.Config, log)
	if err != nil {
		return nil, err
	}
	cfg.Config = c.cfg
	return &TTS{c: c, cfg: cfg}, nil
}

type speechRequest struct {
	Model          string   `json:"model"`
	Input          string   `json:"input"`
	Voice          string   `json:"voice"`
	ResponseFormat string   `json:"response_format"`
	Speed          *float64 `json:"speed,omitempty"`
}

// Run speaks the job's text and returns the WAV. Besides the errors listed
// on [executor.Executor], it returns a *StatusError and an error wrapping
// ErrNotWAV for a response that is not WAV audio.
func (t *TTS) Run(ctx context.Context, ej executor.Job) (*executor.Result, error) {
	if ej.Kind != gpumarket.JobKindTTS {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: the tts executor does not run %s jobs", ej.ID, ej.Kind)
	}
	j, err := decodeJob(ej, t.cfg.MaxSpecBytes)
	if err != nil {
		return nil, err
	}
	return t.c.run(ctx, ej, func(ctx context.Context) (*executor.Result, error) {
		req, err := t.request(ctx, j)
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(req)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		resp, err := t.c.post(ctx, "/v1/audio/speech", "application/json", body, "audio/wav")
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		ct := resp.Header.Get("Content-Type")
		if !audioType(ct) {
			return nil, fmt.Errorf("%w: response content type %q is not audio", ErrNotWAV, clip(ct, 64))
		}
		audio, err := readBody(resp.Body, t.cfg.MaxResponseBytes)
		if err != nil {
			return nil, fmt.Errorf("read audio: %w", err)
		}
		w, err := ParseWAV(audio)
		if err != nil {
			return nil, fmt.Errorf("response: %w", err)
		}
		if w.Frames() == 0 {
			return nil, fmt.Errorf("%w: the audio has no samples", ErrNotWAV)
		}
		fixSizes(audio, w)
		usage := gpumarket.Usage{Units1: uint64(utf8.RuneCountInString(req.Input)), Units2: w.Milliseconds()}
		return &executor.Result{Body: audio, ContentType: "audio/wav", Usage: usage}, nil
	})
}

func (t *TTS) request(ctx context.Context, j *job) (speechRequest, error) {
	var p TTSParams
	if err := j.decodeParams(&p); err != nil {
		return speechRequest{}, err
	}
	invalid := func(format string, args ...any) error {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: tts params: %s", j.ID, fmt.Sprintf(format, args...))
	}
	market, err := j.resolveModel(p.Model)
	if err != nil {
		return speechRequest{}, err
	}
	req := speechRequest{ResponseFormat: "wav", Voice: cmp.Or(p.Voice, t.cfg.DefaultVoice), Speed: p.Speed}
	if req.Model, err = t.c.serverModel(j.Job, market); err != nil {
		return speechRequest{}, err
	}
	text := p.Text
	if in, ok := j.input("text"); ok {
		if text != "" {
			return speechRequest{}, invalid("text given both as a parameter and as an input")
		}
		b, err := t.c.fetchInput(ctx, j, in, int64(t.cfg.MaxCharacters)*utf8.UTFMax)
		if err != nil {
			return speechRequest{}, err
		}
		text = string(b)
	}
	n := utf8.RuneCountInString(text)
	switch {
	case strings.TrimSpace(text) == "":
		return speechRequest{}, invalid("text is required")
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		return speechRequest{}, invalid("text is not valid UTF-8 without NUL")
	case n > t.cfg.MaxCharacters:
		return speechRequest{}, invalid("text has %d characters, limit %d", n, t.cfg.MaxCharacters)
	case !voiceName.MatchString(req.Voice):
		return speechRequest{}, invalid("voice %q: want 1 to 64 of [A-Za-z0-9_.:+-]", clip(req.Voice, 64))
	case len(t.cfg.Voices) > 0 && !slices.Contains(t.cfg.Voices, req.Voice):
		return speechRequest{}, invalid("voice %q is not offered", req.Voice)
	case p.Speed != nil && (math.IsNaN(*p.Speed) || *p.Speed < 0.25 || *p.Speed > 4):
		return speechRequest{}, invalid("speed %v out of range 0.25..4", *p.Speed)
	}
	req.Input = text
	return req, nil
}

// audioType reports whether a response's content type can be WAV audio:
// audio/* WAV names, or application/octet-stream (the bytes decide).
func audioType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	switch strings.ToLower(mt) {
	case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/x-pn-wav", "application/octet-stream":
		return true
	}
	return false
}

// fixSizes writes the real RIFF and data sizes into a WAV streamed with an
// unknown size, when its data chunk runs to the end of the file.
func fixSizes(b []byte, w WAV) {
	if string(b[0:4]) != "RIFF" || w.DataOffset < 8 || len(b) > math.MaxUint32 {
		return
	}
	dataSize := binary.LittleEndian.Uint32(b[w.DataOffset-4 : w.DataOffset])
	if dataSize != 0 && dataSize != wavUnknownSize {
		return
	}
	binary.LittleEndian.PutUint32(b[w.DataOffset-4:w.DataOffset], uint32(len(b)-w.DataOffset))
	binary.LittleEndian.PutUint32(b[4:8], uint32(len(b)-8))
}
