package openai

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"mime/multipart"
	"net/textproto"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// STTConfig configures an [STT] executor.
type STTConfig struct {
	Config
	// ResponseFormat is asked of the server: "json" (default) or
	// "verbose_json" (adds the language and timed segments to the result).
	ResponseFormat string
	// MaxAudioSeconds bounds a job's audio. Default 3600.
	MaxAudioSeconds uint64
}

// STTParams are an stt job's parameters (the spec's ParamsInput). The audio
// is a WAV file: the input named "audio", or Audio (standard base64, as the
// demo executor's spec carries it).
type STTParams struct {
	Model       string   `json:"model,omitempty"`
	Audio       string   `json:"audio,omitempty"`
	Language    string   `json:"language,omitempty"` // ISO 639-1, such as "en"
	Prompt      string   `json:"prompt,omitempty"`   // at most 1 KiB
	Temperature *float64 `json:"temperature,omitempty"`
}

// STT runs stt jobs on an OpenAI-compatible transcription endpoint (POST
// {BaseURL}/v1/audio/transcriptions, multipart): speaches
// (faster-whisper-server), whisper.cpp's server with its OpenAI route, and
// others.
//
// The usage is measured by the executor: Units1 is the input audio's
// seconds (rounded up) computed from its WAV header and bytes, never taken
// from the server; Units2 is the transcript's characters. The result is a
// JSON document built by the executor: {"text": …} and, with verbose_json,
// the language and the segments' start, end and text.
type STT struct {
	c   *client
	cfg STTConfig
}

var _ executor.Executor = (*STT)(nil)

var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// NewSTT returns an STT executor. It returns a *executor.ConfigError
// (EINVALID) naming the field when cfg is invalid.
func NewSTT(cfg STTConfig, log *slog.Logger) (*STT, error) {
	cfg.ResponseFormat = cmp.Or(cfg.ResponseFormat, "json")
	cfg.MaxAudioSeconds = cmp.Or(cfg.MaxAudioSeconds, 3600)
	if cfg.ResponseFormat != "json" && cfg.ResponseFormat != "verbose_json" {
		return nil, &executor.ConfigError{Executor: "openai-stt", Field: "ResponseFormat", Reason: fmt.Sprintf("%q: want json or verbose_json", cfg.ResponseFormat)}
	}
	c, err := newClient("stt", cfg.Config, log)
	if err != nil {
		return nil, err
	}
	cfg.Config = c.cfg
	return &STT{c: c, cfg: cfg}, nil
}

// Run transcribes the job's audio. Besides the errors listed on
// [executor.Executor], it returns a *StatusError, and an EINVALID error for
// audio that is not a measurable WAV file.
func (s *STT) Run(ctx context.Context, ej executor.Job) (*executor.Result, error) {
	if ej.Kind != gpumarket.JobKindSTT {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: the stt executor does not run %s jobs", ej.ID, ej.Kind)
	}
	j, err := decodeJob(ej, s.cfg.MaxSpecBytes)
	if err != nil {
		return nil, err
	}
	return s.c.run(ctx, ej, func(ctx context.Context) (*executor.Result, error) {
		body, contentType, audio, err := s.request(ctx, j)
		if err != nil {
			return nil, err
		}
		resp, err := s.c.post(ctx, "/v1/audio/transcriptions", contentType, body, "application/json")
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := readBody(resp.Body, s.cfg.MaxResponseBytes)
		if err != nil {
			return nil, fmt.Errorf("read transcript: %w", err)
		}
		doc, chars, err := s.transcript(b)
		if err != nil {
			return nil, err
		}
		return &executor.Result{Body: doc, ContentType: "application/json", Usage: gpumarket.Usage{Units1: audio.Seconds(), Units2: chars}}, nil
	})
}

// request validates the job and builds the multipart body.
func (s *STT) request(ctx context.Context, j *job) (body []byte, contentType string, audio WAV, err error) {
	var p STTParams
	if err := j.decodeParams(&p); err != nil {
		return nil, "", WAV{}, err
	}
	invalid := func(format string, args ...any) error {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: stt params: %s", j.ID, fmt.Sprintf(format, args...))
	}
	market, err := j.resolveModel(p.Model)
	if err != nil {
		return nil, "", WAV{}, err
	}
	model, err := s.c.serverModel(j.Job, market)
	if err != nil {
		return nil, "", WAV{}, err
	}
	switch {
	case p.Language != "" && !languageCode.MatchString(p.Language):
		return nil, "", WAV{}, invalid("language %q: want an ISO 639 code such as \"en\"", clip(p.Language, 16))
	case len(p.Prompt) > 1024 || !utf8.ValidString(p.Prompt):
		return nil, "", WAV{}, invalid("prompt must be at most 1024 bytes of UTF-8")
	case p.Temperature != nil && (math.IsNaN(*p.Temperature) || *p.Temperature < 0 || *p.Temperature > 1):
		return nil, "", WAV{}, invalid("temperature %v out of range 0..1", *p.Temperature)
	}
	var wav []byte
	in, hasInput := j.input("audio")
	switch {
	case hasInput && p.Audio != "":
		return nil, "", WAV{}, invalid("audio given both as a parameter and as an input")
	case hasInput:
		if wav, err = s.c.fetchInput(ctx, j, in, s.cfg.MaxInputBytes); err != nil {
			return nil, "", WAV{}, err
		}
	case p.Audio != "":
		if int64(len(p.Audio)) > s.cfg.MaxInputBytes/3*4+4 {
			return nil, "", WAV{}, invalid("audio is over %d bytes", s.cfg.MaxInputBytes)
		}
		if wav, err = base64.StdEncoding.DecodeString(p.Audio); err != nil {
			return nil, "", WAV{}, invalid("audio is not standard base64")
		}
	default:
		return nil, "", WAV{}, invalid("audio is required (an input named \"audio\" or the audio parameter)")
	}
	if audio, err = ParseWAV(wav); err != nil {
		return nil, "", WAV{}, invalid("audio: %v", err)
	}
	if audio.Frames() == 0 {
		return nil, "", WAV{}, invalid("audio has no samples")
	}
	if sec := audio.Seconds(); sec > s.cfg.MaxAudioSeconds {
		return nil, "", WAV{}, invalid("audio is %d s long, limit %d", sec, s.cfg.MaxAudioSeconds)
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="audio.wav"`)
	h.Set("Content-Type", "audio/wav")
	fw, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", WAV{}, fmt.Errorf("build request: %w", err)
	}
	fw.Write(wav)
	fields := [][2]string{{"model", model}, {"response_format", s.cfg.ResponseFormat}}
	if p.Language != "" {
		fields = append(fields, [2]string{"language", p.Language})
	}
	if p.Prompt != "" {
		fields = append(fields, [2]string{"prompt", p.Prompt})
	}
	if p.Temperature != nil {
		fields = append(fields, [2]string{"temperature", strconv.FormatFloat(*p.Temperature, 'f', -1, 64)})
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return nil, "", WAV{}, fmt.Errorf("build request: %w", err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", WAV{}, fmt.Errorf("build request: %w", err)
	}
	return buf.Bytes(), mw.FormDataContentType(), audio, nil
}

// transcript decodes the server's transcription and builds the result. It
// fails when the response is not a JSON object with a "text" string.
func (s *STT) transcript(b []byte) (doc []byte, chars uint64, err error) {
	var resp struct {
		Text     *string `json:"text"`
		Language string  `json:"language"`
		Segments []struct {
			Start float64 `json:"start"`
			End   float64 `json:"end"`
			Text  string  `json:"text"`
		} `json:"segments"`
	}
	if err := json.Unmarshal(b, &resp); err != nil || resp.Text == nil {
		return nil, 0, fmt.Errorf("%w: response is not a transcription (a JSON object with text)", ErrServerFailed)
	}
	if !utf8.ValidString(*resp.Text) {
		return nil, 0, fmt.Errorf("%w: transcript is not valid UTF-8", ErrServerFailed)
	}
	type segment struct {
		Start float64 `json:"start"`
		End   float64 `json:"end"`
		Text  string  `json:"text"`
	}
	out := struct {
		Text     string    `json:"text"`
		Language string    `json:"language,omitempty"`
		Segments []segment `json:"segments,omitempty"`
	}{Text: *resp.Text}
	if s.cfg.ResponseFormat == "verbose_json" {
		out.Language = identifier(resp.Language)
		for _, sg := range resp.Segments {
			out.Segments = append(out.Segments, segment(sg))
		}
	}
	doc, err = json.Marshal(out)
	if err != nil {
		return nil, 0, fmt.Errorf("encode result: %w", err)
	}
	return doc, uint64(utf8.RuneCountInString(out.Text)), nil
}
