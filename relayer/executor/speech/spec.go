package speech

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/audio/wav"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
)

// spec is a job's spec as the recipes read it: its parameters and inputs.
type spec struct {
	id     gpumarket.JobID
	kind   gpumarket.JobKind
	params []byte
	inputs []gpumarket.JobInput
}

// decodeSpec reads a gpumarket.JobSpec of kind (its parameters in
// openai.ParamsInput), or, for bytes that are not a job spec, the
// parameters document itself, as the OpenAI-compatible executors do.
func decodeSpec(id gpumarket.JobID, kind gpumarket.JobKind, b []byte, maxBytes int) (*spec, error) {
	if len(b) == 0 || len(b) > maxBytes {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is %d bytes, want 1 to %d", id, len(b), maxBytes)
	}
	js, err := gpumarket.DecodeJobSpec(bytes.NewReader(b))
	if err != nil {
		return &spec{id: id, kind: kind, params: b}, nil
	}
	if js.Kind != kind {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: spec is for %s, the job is %s", id, js.Kind, kind)
	}
	s := &spec{id: id, kind: kind, inputs: js.Inputs, params: []byte("{}")}
	if in, ok := s.input(openai.ParamsInput); ok {
		if !strings.HasPrefix(in.URI, "data:") {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q must be a data: URI", id, openai.ParamsInput)
		}
		if s.params, err = s.read(inputSource{}, in, int64(maxBytes)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *spec) invalid(format string, args ...any) error {
	return gpumarket.Errorf(gpumarket.EINVALID, "job %d: %s params: %s", s.id, s.kind, fmt.Sprintf(format, args...))
}

func (s *spec) input(name string) (gpumarket.JobInput, bool) {
	for _, in := range s.inputs {
		if in.Name == name {
			return in, true
		}
	}
	return gpumarket.JobInput{}, false
}

// inputSource is how a spec's inputs are read: data: URIs are decoded;
// other URIs go to fetcher (nil: refused, the engines read nothing over
// the network themselves), or, in preflight, are left unread (the command
// executor's Preflight checks their reach and size).
type inputSource struct {
	ctx       context.Context
	fetcher   executor.InputFetcher
	preflight bool
}

// read returns the input's bytes (at most limit), checked against the size
// and sha256 it declares; nil, nil for an input left unread in preflight.
func (s *spec) read(src inputSource, in gpumarket.JobInput, limit int64) ([]byte, error) {
	name := clip(in.Name, 64)
	invalid := func(format string, args ...any) error {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: input %q: %s", s.id, name, fmt.Sprintf(format, args...))
	}
	var b []byte
	switch {
	case strings.HasPrefix(in.URI, "data:"):
		var err error
		if b, err = gpumarket.DecodeDataURI(in.URI, limit); err != nil {
			return nil, invalid("%s", gpumarket.ErrorMessage(err))
		}
	case src.fetcher == nil:
		return nil, invalid("this engine reads data: URIs only (no input fetcher is configured)")
	case src.preflight:
		return nil, nil
	default:
		var err error
		if b, err = src.fetcher.Fetch(src.ctx, in, limit); err != nil {
			return nil, fmt.Errorf("fetch input %q: %w", name, err)
		}
		if int64(len(b)) > limit {
			return nil, invalid("%d bytes, limit %d", len(b), limit)
		}
	}
	if in.SizeBytes != 0 && uint64(len(b)) != in.SizeBytes {
		return nil, invalid("%d bytes, the spec declares %d", len(b), in.SizeBytes)
	}
	if in.SHA256 != "" {
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != in.SHA256 {
			return nil, invalid("sha256 does not match the spec's")
		}
	}
	return b, nil
}

// speakRequest is a checked tts job.
type speakRequest struct {
	text  string // "" when left unread in preflight
	voice string
	speed *float64
	wpm   int // espeak-ng's -s: words per minute
}

// document is the request as a bare parameters document, what the recipe
// reads: the relayer fetched what it had to, the recipe reads no input.
func (r speakRequest) document() ([]byte, error) {
	return json.Marshal(openai.TTSParams{Text: r.text, Voice: r.voice, Speed: r.speed})
}

// espeakWPM is espeak-ng's default speed; a job's speed factor scales it
// within espeak-ng's range.
const (
	espeakWPM    = 175
	espeakMinWPM = 80
	espeakMaxWPM = 450
)

// speakRequest checks a tts job against cfg: text inline or in the "text"
// input, within MaxCharacters, a configured voice, a speed of 0.25..4.
func (s *spec) speakRequest(cfg ESpeakConfig, src inputSource) (speakRequest, error) {
	var p openai.TTSParams
	if err := gpumarket.UnmarshalStrict(s.params, &p); err != nil {
		return speakRequest{}, s.invalid("%v", gpumarket.ErrorMessage(err))
	}
	text, unread := p.Text, false
	if in, ok := s.input("text"); ok {
		if text != "" {
			return speakRequest{}, s.invalid("text given both as a parameter and as an input")
		}
		b, err := s.read(src, in, int64(cfg.MaxCharacters)*utf8.UTFMax)
		if err != nil {
			return speakRequest{}, err
		}
		text, unread = string(b), b == nil // unread in preflight: checked when fetched

	}
	voice := p.Voice
	if voice == "" {
		voice = cfg.DefaultVoice
	}
	n := utf8.RuneCountInString(text)
	switch {
	case unread:
	case strings.TrimSpace(text) == "":
		return speakRequest{}, s.invalid("text is required")
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		return speakRequest{}, s.invalid("text is not valid UTF-8 without NUL")
	case n > cfg.MaxCharacters:
		return speakRequest{}, s.invalid("text has %d characters, limit %d", n, cfg.MaxCharacters)
	}
	switch {
	case !slices.Contains(cfg.Voices, voice):
		return speakRequest{}, s.invalid("voice %q is not offered (offered: %s)", clip(voice, 64), strings.Join(cfg.Voices, ", "))
	case p.Speed != nil && (math.IsNaN(*p.Speed) || *p.Speed < 0.25 || *p.Speed > 4):
		return speakRequest{}, s.invalid("speed %v out of range 0.25..4", *p.Speed)
	}
	wpm := espeakWPM
	if p.Speed != nil {
		wpm = min(max(int(math.Round(espeakWPM**p.Speed)), espeakMinWPM), espeakMaxWPM)
	}
	return speakRequest{text: text, voice: voice, speed: p.Speed, wpm: wpm}, nil
}

// transcribeRequest is a checked stt job: its WAV and what wav.Parse
// measured of it.
type transcribeRequest struct {
	audio []byte // nil when left unread in preflight
	info  wav.Info
}

func (r transcribeRequest) document() ([]byte, error) {
	return json.Marshal(openai.STTParams{Audio: base64.StdEncoding.EncodeToString(r.audio)})
}

// transcribeRequest checks an stt job against cfg: a WAV (the "audio"
// data: input or the base64 audio parameter) of at most MaxInputBytes and
// MaxAudioSeconds, in English when a language is named.
func (s *spec) transcribeRequest(cfg PocketsphinxConfig, src inputSource) (transcribeRequest, error) {
	var p openai.STTParams
	if err := gpumarket.UnmarshalStrict(s.params, &p); err != nil {
		return transcribeRequest{}, s.invalid("%v", gpumarket.ErrorMessage(err))
	}
	if p.Language != "" && p.Language != "en" {
		return transcribeRequest{}, s.invalid("language %q: this engine transcribes English (en) only", clip(p.Language, 16))
	}
	var audio []byte
	var err error
	in, hasInput := s.input("audio")
	switch {
	case hasInput && p.Audio != "":
		return transcribeRequest{}, s.invalid("audio given both as a parameter and as an input")
	case hasInput:
		if audio, err = s.read(src, in, cfg.MaxInputBytes); err != nil {
			return transcribeRequest{}, err
		}
		if audio == nil { // in preflight: checked when fetched
			return transcribeRequest{}, nil
		}
	case p.Audio != "":
		if int64(len(p.Audio)) > cfg.MaxInputBytes/3*4+4 {
			return transcribeRequest{}, s.invalid("audio is over %d bytes", cfg.MaxInputBytes)
		}
		if audio, err = base64.StdEncoding.DecodeString(p.Audio); err != nil {
			return transcribeRequest{}, s.invalid("audio is not standard base64")
		}
	default:
		return transcribeRequest{}, s.invalid("audio is required (an input named \"audio\" or the audio parameter)")
	}
	info, err := wav.Parse(audio)
	switch {
	case err != nil:
		return transcribeRequest{}, s.invalid("audio: %v", err)
	case info.Frames() == 0:
		return transcribeRequest{}, s.invalid("audio has no samples")
	case info.Seconds() > cfg.MaxAudioSeconds:
		return transcribeRequest{}, s.invalid("audio is %d s long, limit %d", info.Seconds(), cfg.MaxAudioSeconds)
	}
	return transcribeRequest{audio: audio, info: info}, nil
}

// clip returns s cut to at most n bytes (on a rune boundary), for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
