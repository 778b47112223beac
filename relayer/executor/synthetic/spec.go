package synthetic

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
)

// Bounds of the demo executor's specs. They keep every demo job small enough
// to run in well under a second on one CPU core.
const (
	MaxRenderSide       = 512     // width and height, pixels
	MaxRenderFrames     = 16      // frames per job
	MaxRenderIter       = 1000    // Mandelbrot iterations per pixel
	MaxRenderWork       = 1 << 27 // width*height*frames*max_iter
	MaxTTSRunes         = 1000    // characters of text
	MaxSTTAudioBytes    = 8 << 20 // decoded WAV bytes
	MaxSTTSeconds       = 600     // audio duration
	MaxLLMPromptBytes   = 32 << 10
	MaxLLMTokens        = 2048
	maxDemoSpecBytes    = 16 << 20
	renderWorkPerGPUSec = 1 << 22 // pixel-iterations billed as one GPU-second
	// MaxRenderSamples bounds a render spec's samples (the Blender
	// engine's default bound).
	MaxRenderSamples = 4096
	maxFrameNumber   = 1048574 // Blender's MAXFRAME
)

// RenderSpec is the demo executor's spec for render jobs. The output is one
// PNG with the frames stacked top to bottom.
type RenderSpec struct {
	Width  int `json:"width"`  // 1..MaxRenderSide, required
	Height int `json:"height"` // 1..MaxRenderSide, required
	Frames int `json:"frames"` // 1..MaxRenderFrames, default 1 (or frame_end-frame_start+1)
	// FrameStart and FrameEnd are the Blender engine's frame range
	// (0..1048574, FrameStart default 1, FrameEnd default FrameStart),
	// accepted so one render spec runs on either engine: they set Frames.
	FrameStart *int `json:"frame_start,omitempty"`
	FrameEnd   *int `json:"frame_end,omitempty"`
	// Samples is the Blender engine's samples per pixel (1..MaxRenderSamples),
	// accepted for the same reason; it does not change the image.
	Samples int      `json:"samples,omitempty"`
	Scene   string   `json:"scene"`    // "mandelbrot" (default) or "gradient"
	CenterX *float64 `json:"center_x"` // -2..2, default -0.5
	CenterY *float64 `json:"center_y"` // -2..2, default 0
	Zoom    *float64 `json:"zoom"`     // 1..10000, default 1; frame f zooms by a further 1+f/4
	MaxIter int      `json:"max_iter"` // 1..MaxRenderIter, default 64
}

// TTSSpec is the demo executor's spec for tts jobs. The output is a WAV file
// (PCM 16-bit mono) with one short tone per character.
type TTSSpec struct {
	Text       string `json:"text"`        // 1..MaxTTSRunes characters of UTF-8, required
	Voice      string `json:"voice"`       // "low", "mid" (default) or "high"
	SampleRate int    `json:"sample_rate"` // 8000, 16000 (default), 22050, 24000, 44100 or 48000
}

// STTSpec is the demo executor's spec for stt jobs. The output is a plain-text
// transcript.
type STTSpec struct {
	// Audio is a WAV file (PCM 16-bit, 1 or 2 channels, 8-48 kHz, at most
	// MaxSTTSeconds and MaxSTTAudioBytes) in standard, padded base64.
	// Required.
	Audio    string `json:"audio"`
	Language string `json:"language"` // "en" (default)
}

// LLMSpec is the demo executor's spec for llm jobs. The output is a token
// stream: newline-delimited JSON, one {"index":i,"token":"..."} per token and
// a final {"done":true,"input_tokens":n,"output_tokens":m}.
type LLMSpec struct {
	Model     string  `json:"model"`      // 1..64 of [a-z0-9._:-], required
	Prompt    string  `json:"prompt"`     // 1..MaxLLMPromptBytes of UTF-8, required
	MaxTokens int     `json:"max_tokens"` // 1..MaxLLMTokens, default 128
	Seed      *uint64 `json:"seed"`       // optional, varies the completion
}

// ValidateSpec checks spec against the demo executor's rules for kind. It
// returns an EINVALID *gpumarket.Error naming the offending field, or nil.
func ValidateSpec(kind gpumarket.JobKind, spec []byte) error {
	_, err := decodeSpec(kind, spec)
	return err
}

// decodeSpec strictly decodes (gpumarket.UnmarshalStrict: one JSON object,
// exactly the spec type's field names, no duplicates) and validates spec for
// kind, filling defaults. It returns a *RenderSpec, *TTSSpec, *stt (decoded
// audio) or *LLMSpec.
func decodeSpec(kind gpumarket.JobKind, spec []byte) (any, error) {
	invalid := func(err error) error {
		msg := err.Error()
		var e *gpumarket.Error
		if errors.As(err, &e) {
			msg = e.Message
		}
		return gpumarket.Errorf(gpumarket.EINVALID, "%s spec: %s", kind, msg)
	}
	if !kind.Valid() {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "unknown job kind %d", uint8(kind))
	}
	if len(spec) > maxDemoSpecBytes {
		return nil, invalid(fmt.Errorf("%d bytes, limit %d", len(spec), maxDemoSpecBytes))
	}
	var (
		v   any
		err error
	)
	switch kind {
	case gpumarket.JobKindRender:
		s := new(RenderSpec)
		if err = gpumarket.UnmarshalStrict(spec, s); err == nil {
			err = s.check()
		}
		v = s
	case gpumarket.JobKindTTS:
		s := new(TTSSpec)
		if err = gpumarket.UnmarshalStrict(spec, s); err == nil {
			err = s.check()
		}
		v = s
	case gpumarket.JobKindSTT:
		s := new(STTSpec)
		if err = gpumarket.UnmarshalStrict(spec, s); err == nil {
			v, err = s.check()
		}
	case gpumarket.JobKindLLM:
		s := new(LLMSpec)
		if err = gpumarket.UnmarshalStrict(spec, s); err == nil {
			err = s.check()
		}
		v = s
	}
	if err != nil {
		return nil, invalid(err)
	}
	return v, nil
}

func inRange(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s %d out of range %d..%d", field, v, lo, hi)
	}
	return nil
}

func floatField(field string, p **float64, def, lo, hi float64) error {
	if *p == nil {
		*p = &def
		return nil
	}
	if v := **p; math.IsNaN(v) || v < lo || v > hi {
		return fmt.Errorf("%s %v out of range %v..%v", field, v, lo, hi)
	}
	return nil
}

func (s *RenderSpec) check() error {
	if s.FrameStart != nil || s.FrameEnd != nil {
		start, end := 1, 0
		if s.FrameStart != nil {
			start = *s.FrameStart
		}
		end = start
		if s.FrameEnd != nil {
			end = *s.FrameEnd
		}
		if err := inRange("frame_start", start, 0, maxFrameNumber); err != nil {
			return err
		}
		if err := inRange("frame_end", end, start, maxFrameNumber); err != nil {
			return err
		}
		if s.Frames != 0 && s.Frames != end-start+1 {
			return fmt.Errorf("frames %d disagrees with frame_start %d to frame_end %d", s.Frames, start, end)
		}
		s.Frames = min(end-start+1, MaxRenderFrames+1) // more is refused below
	}
	if s.Frames == 0 {
		s.Frames = 1
	}
	if s.Samples != 0 {
		if err := inRange("samples", s.Samples, 1, MaxRenderSamples); err != nil {
			return err
		}
	}
	if s.MaxIter == 0 {
		s.MaxIter = 64
	}
	if s.Scene == "" {
		s.Scene = "mandelbrot"
	}
	for _, err := range []error{
		inRange("width", s.Width, 1, MaxRenderSide),
		inRange("height", s.Height, 1, MaxRenderSide),
		inRange("frames", s.Frames, 1, MaxRenderFrames),
		inRange("max_iter", s.MaxIter, 1, MaxRenderIter),
		floatField("center_x", &s.CenterX, -0.5, -2, 2),
		floatField("center_y", &s.CenterY, 0, -2, 2),
		floatField("zoom", &s.Zoom, 1, 1, 10000),
	} {
		if err != nil {
			return err
		}
	}
	if s.Scene != "mandelbrot" && s.Scene != "gradient" {
		return fmt.Errorf("scene %q: want mandelbrot or gradient", s.Scene)
	}
	if w := s.work(); w > MaxRenderWork {
		return fmt.Errorf("width*height*frames*max_iter = %d exceeds %d", w, MaxRenderWork)
	}
	return nil
}

func (s *RenderSpec) work() int64 {
	return int64(s.Width) * int64(s.Height) * int64(s.Frames) * int64(s.MaxIter)
}

var voiceBaseHz = map[string]uint32{"low": 110, "mid": 220, "high": 440}

func (s *TTSSpec) check() error {
	if s.Voice == "" {
		s.Voice = "mid"
	}
	if s.SampleRate == 0 {
		s.SampleRate = 16000
	}
	if _, ok := voiceBaseHz[s.Voice]; !ok {
		return fmt.Errorf("voice %q: want low, mid or high", s.Voice)
	}
	switch s.SampleRate {
	case 8000, 16000, 22050, 24000, 44100, 48000:
	default:
		return fmt.Errorf("sample_rate %d: want 8000, 16000, 22050, 24000, 44100 or 48000", s.SampleRate)
	}
	if err := checkText("text", s.Text, MaxTTSRunes*utf8.UTFMax); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(s.Text); n > MaxTTSRunes {
		return fmt.Errorf("text has %d characters, limit %d", n, MaxTTSRunes)
	}
	return nil
}

// checkText requires non-empty valid UTF-8 of at most maxBytes with no control
// characters other than tab and newline.
func checkText(field, s string, maxBytes int) error {
	if s == "" {
		return fmt.Errorf("%s is required", field)
	}
	if len(s) > maxBytes {
		return fmt.Errorf("%s is %d bytes, limit %d", field, len(s), maxBytes)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	for i, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return fmt.Errorf("%s has control character %U at byte %d", field, r, i)
		}
	}
	return nil
}

// wav is decoded PCM audio.
type wav struct {
	channels   int
	sampleRate int
	data       []byte // interleaved little-endian int16 samples
}

func (w *wav) frames() int { return len(w.data) / (2 * w.channels) }

// seconds returns the duration rounded up to whole seconds.
func (w *wav) seconds() uint64 {
	return uint64((w.frames() + w.sampleRate - 1) / w.sampleRate)
}

// stt is a validated stt spec.
type stt struct {
	spec  *STTSpec
	audio *wav
}

func (s *STTSpec) check() (*stt, error) {
	if s.Language == "" {
		s.Language = "en"
	}
	if s.Language != "en" {
		return nil, fmt.Errorf("language %q: want en", s.Language)
	}
	if len(s.Audio) == 0 {
		return nil, errors.New("audio is required")
	}
	if n := base64.StdEncoding.DecodedLen(len(s.Audio)); n > MaxSTTAudioBytes {
		return nil, fmt.Errorf("audio is about %d bytes, limit %d", n, MaxSTTAudioBytes)
	}
	audio, err := base64.StdEncoding.Strict().DecodeString(s.Audio)
	if err != nil {
		return nil, fmt.Errorf("audio is not standard base64: %v", err)
	}
	w, err := parseWAV(audio)
	if err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	if w.frames() == 0 {
		return nil, errors.New("audio: no samples")
	}
	if w.seconds() > MaxSTTSeconds {
		return nil, fmt.Errorf("audio: %d s long, limit %d", w.seconds(), MaxSTTSeconds)
	}
	return &stt{spec: s, audio: w}, nil
}

// parseWAV parses a RIFF/WAVE file holding PCM 16-bit audio with 1 or 2
// channels at 8-48 kHz. Chunks other than "fmt " and "data" are skipped.
func parseWAV(b []byte) (*wav, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, errors.New("not a RIFF/WAVE file")
	}
	if size := binary.LittleEndian.Uint32(b[4:8]); uint64(size)+8 != uint64(len(b)) {
		return nil, fmt.Errorf("RIFF size %d does not match file size %d", size, len(b))
	}
	var w wav
	haveFmt, haveData := false, false
	for rest := b[12:]; len(rest) > 0; {
		if len(rest) < 8 {
			return nil, errors.New("truncated chunk header")
		}
		id, n := string(rest[0:4]), binary.LittleEndian.Uint32(rest[4:8])
		rest = rest[8:]
		if uint64(n) > uint64(len(rest)) {
			return nil, fmt.Errorf("chunk %q of %d bytes overruns the file", id, n)
		}
		body := rest[:n]
		rest = rest[n:]
		if n%2 == 1 && len(rest) > 0 {
			rest = rest[1:] // pad byte
		}
		switch id {
		case "fmt ":
			if haveFmt {
				return nil, errors.New("duplicate fmt chunk")
			}
			haveFmt = true
			if len(body) < 16 {
				return nil, errors.New("fmt chunk too short")
			}
			format := binary.LittleEndian.Uint16(body[0:2])
			w.channels = int(binary.LittleEndian.Uint16(body[2:4]))
			w.sampleRate = int(binary.LittleEndian.Uint32(body[4:8]))
			byteRate := binary.LittleEndian.Uint32(body[8:12])
			align := int(binary.LittleEndian.Uint16(body[12:14]))
			bits := binary.LittleEndian.Uint16(body[14:16])
			switch {
			case format != 1:
				return nil, fmt.Errorf("format %d: want 1 (PCM)", format)
			case bits != 16:
				return nil, fmt.Errorf("%d bits per sample: want 16", bits)
			case w.channels < 1 || w.channels > 2:
				return nil, fmt.Errorf("%d channels: want 1 or 2", w.channels)
			case w.sampleRate < 8000 || w.sampleRate > 48000:
				return nil, fmt.Errorf("sample rate %d: want 8000..48000", w.sampleRate)
			case align != 2*w.channels || uint64(byteRate) != uint64(w.sampleRate)*uint64(align):
				return nil, errors.New("block align or byte rate inconsistent with the format")
			}
		case "data":
			if !haveFmt {
				return nil, errors.New("data chunk before fmt chunk")
			}
			if haveData {
				return nil, errors.New("duplicate data chunk")
			}
			haveData = true
			if len(body)%(2*w.channels) != 0 {
				return nil, errors.New("data is not a whole number of sample frames")
			}
			w.data = body
		}
	}
	if !haveFmt || !haveData {
		return nil, errors.New("missing fmt or data chunk")
	}
	return &w, nil
}

func (s *LLMSpec) check() error {
	if s.MaxTokens == 0 {
		s.MaxTokens = 128
	}
	if s.Model == "" || len(s.Model) > 64 {
		return fmt.Errorf("model must be 1..64 characters")
	}
	for _, r := range s.Model {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == ':' || r == '-') {
			return fmt.Errorf("model %q: only a-z, 0-9 and . _ : - are allowed", s.Model)
		}
	}
	if err := checkText("prompt", s.Prompt, MaxLLMPromptBytes); err != nil {
		return err
	}
	return inRange("max_tokens", s.MaxTokens, 1, MaxLLMTokens)
}
