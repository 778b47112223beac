package synthetic

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"strings"
	"unicode"

	"github.com/gpumarket/gpumarket/relayer/executor"

	"github.com/gpumarket/gpumarket"
)

// Executor is the built-in demo executor (`--executor demo`): deterministic, CPU-only, one small generator
// per job kind. Its output and usage are a pure function of (kind, spec):
// everything is computed in integer or fixed-point arithmetic, so results are
// byte-identical across machines and architectures.
//
// Usage figures:
//   - render: Units1 = frames; Units2 = GPU-seconds, ceil(width*height*frames*
//     max_iter / 2^22), at least 1
//   - tts: Units1 = characters (Unicode code points) of text
//   - stt: Units1 = audio seconds, rounded up
//   - llm: Units1 = input tokens, Units2 = output tokens (a token is a run of
//     letters and digits or a single other non-space character)
type Executor struct {
	log *slog.Logger
}

var _ executor.Executor = (*Executor)(nil)

// New returns the demo executor.
func New(log *slog.Logger) *Executor {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Executor{log: log}
}

// Run computes the demo result for job. It returns an EINVALID
// *gpumarket.Error for an unknown kind or a spec that [ValidateSpec] refuses,
// and the wrapped ctx error when ctx ends first.
func (d *Executor) Run(ctx context.Context, job executor.Job) (*executor.Result, error) {
	if err := job.Check(maxDemoSpecBytes); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("demo job %d: %w", job.ID, err)
	}
	params, err := Params(job.Kind, job.Spec)
	if err != nil {
		return nil, fmt.Errorf("demo job %d: %w", job.ID, err)
	}
	spec, err := decodeSpec(job.Kind, params)
	if err != nil {
		return nil, fmt.Errorf("demo job %d: %w", job.ID, err)
	}
	var res *executor.Result
	switch s := spec.(type) {
	case *RenderSpec:
		res, err = renderPNG(ctx, s)
	case *TTSSpec:
		res = synthesize(s)
	case *stt:
		res = transcribe(s)
	case *LLMSpec:
		res = complete(s)
	}
	if err != nil {
		return nil, fmt.Errorf("demo job %d: %w", job.ID, err)
	}
	d.log.Info("demo job done", "job_id", job.ID, "kind", job.Kind, "bytes", len(res.Body), "units1", res.Usage.Units1, "units2", res.Usage.Units2)
	return res, nil
}

// Preflight reports whether the demo executor can run job: a known kind, a
// spec within the size limit whose parameters (Params: the "params" input of
// a job spec, or the document itself) decode and validate for the kind, as
// Run would decode them. It returns the EINVALID *gpumarket.Error Run would
// return for such a job, and the wrapped ctx error when ctx has ended. It
// computes nothing.
func (d *Executor) Preflight(ctx context.Context, job executor.Job) error {
	if err := job.Check(maxDemoSpecBytes); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("demo job %d: %w", job.ID, err)
	}
	params, err := Params(job.Kind, job.Spec)
	if err != nil {
		return fmt.Errorf("demo job %d: %w", job.ID, err)
	}
	if _, err := decodeSpec(job.Kind, params); err != nil {
		return fmt.Errorf("demo job %d: %w", job.ID, err)
	}
	return nil
}

// fixed-point Q24 arithmetic for the Mandelbrot set.
const q = 24

func toQ(x float64) int64 { return int64(x * (1 << q)) }

func renderPNG(ctx context.Context, s *RenderSpec) (*executor.Result, error) {
	w, h := s.Width, s.Height
	img := image.NewNRGBA(image.Rect(0, 0, w, h*s.Frames))
	cx, cy := toQ(*s.CenterX), toQ(*s.CenterY)
	for f := range s.Frames {
		// Each operation below is a single correctly rounded IEEE operation
		// (explicit conversions forbid fused multiply-add), so the step is
		// the same on every architecture.
		zoom := float64(*s.Zoom * float64(4+f))
		step := max(int64(float64(3*4<<q)/float64(zoom*float64(w))), 1)
		for py := range h {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for px := range w {
				var c color.NRGBA
				if s.Scene == "gradient" {
					c = color.NRGBA{uint8(px * 255 / max(w-1, 1)), uint8(py * 255 / max(h-1, 1)), uint8(f * 255 / max(s.Frames-1, 1)), 255}
				} else {
					cr := cx + int64(px-w/2)*step
					ci := cy + int64(py-h/2)*step
					c = palette(mandelbrot(cr, ci, s.MaxIter), s.MaxIter)
				}
				img.SetNRGBA(px, f*h+py, c)
			}
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	gpuSec := max((uint64(s.work())+renderWorkPerGPUSec-1)/renderWorkPerGPUSec, 1)
	return &executor.Result{Body: buf.Bytes(), ContentType: "image/png", Usage: gpumarket.Usage{Units1: uint64(s.Frames), Units2: gpuSec}}, nil
}

// mandelbrot returns the escape iteration of c = cr + i*ci (Q24), or maxIter.
// While |z| <= 2 and |c| < 4 no intermediate value exceeds 2^56.
func mandelbrot(cr, ci int64, maxIter int) int {
	var zr, zi int64
	for i := range maxIter {
		zr2, zi2 := zr*zr>>q, zi*zi>>q
		if zr2+zi2 > 4<<q {
			return i
		}
		zi = (2*zr*zi)>>q + ci
		zr = zr2 - zi2 + cr
	}
	return maxIter
}

func palette(i, maxIter int) color.NRGBA {
	if i >= maxIter {
		return color.NRGBA{0, 0, 0, 255}
	}
	t := i * 255 / maxIter
	return color.NRGBA{uint8(t), uint8(t * t / 255), uint8(255 - t/2), 255}
}

// synthesize renders text as a tone sequence: 60 ms per character (a pitch
// derived from the code point), 60 ms of silence for spaces and 120 ms after
// punctuation, with 5 ms fades so tones do not click.
func synthesize(s *TTSSpec) *executor.Result {
	rate := s.SampleRate
	base := voiceBaseHz[s.Voice]
	toneLen := rate * 60 / 1000
	fade := rate * 5 / 1000
	var pcm []int16
	var phase uint32
	chars := 0
	for _, r := range s.Text {
		chars++
		switch {
		case unicode.IsSpace(r):
			pcm = append(pcm, make([]int16, toneLen)...)
			continue
		case unicode.IsPunct(r):
			pcm = append(pcm, make([]int16, 2*toneLen)...)
			continue
		}
		freq := base + uint32(r%24)*base/12
		inc := uint32(uint64(freq) << 32 / uint64(rate))
		for n := range toneLen {
			env := min(n, toneLen-1-n, fade)
			v := int64(isin(phase)) * 12000 >> 15 * int64(env) / int64(max(fade, 1))
			pcm = append(pcm, int16(v))
			phase += inc
		}
	}
	return &executor.Result{Body: encodeWAV(pcm, rate), ContentType: "audio/wav", Usage: gpumarket.Usage{Units1: uint64(chars)}}
}

// isin approximates sin(2π·phase/2^32) in Q15 with Bhaskara-style parabolas,
// in integers only.
func isin(phase uint32) int32 {
	x := int64(int32(phase)) // -2^31..2^31 maps to -π..π
	ax := x
	if ax < 0 {
		ax = -ax
	}
	y := x * ((1 << 31) - ax) >> 31 // parabola, peak 2^29 at ±π/2
	y = y << 2 >> 16                // Q15 (peak 2^15)
	// refine: y = 0.225*(y*|y| - y) + y
	ay := y
	if ay < 0 {
		ay = -ay
	}
	y += (y*ay>>15 - y) * 225 / 1000
	return int32(min(max(y, -32767), 32767))
}

// encodeWAV writes mono PCM 16-bit samples as a RIFF/WAVE file.
func encodeWAV(pcm []int16, rate int) []byte {
	data := 2 * len(pcm)
	b := make([]byte, 44, 44+data)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+data))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(data))
	for _, v := range pcm {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}

var demoWords = strings.Fields(`the a market job render frame light shadow voice signal token model
provider client chain block settle proof result compute graphics tensor kernel memory batch
stream sample noise wave text speech audio silence quick slow bright dark blue green red
is was will can runs holds sends reads writes turns moves waits starts ends`)

// splitmix64 is a tiny, fully specified PRNG, so completions never depend on
// the standard library's generator versions.
type splitmix64 uint64

func (s *splitmix64) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func seedFrom(parts ...[]byte) splitmix64 {
	h := sha256.New()
	for _, p := range parts {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	return splitmix64(binary.BigEndian.Uint64(h.Sum(nil)))
}

// transcribe produces a transcript of about 2.5 words per second of audio,
// the words chosen by a generator seeded with the hash of the samples.
func transcribe(s *stt) *executor.Result {
	rng := seedFrom([]byte("stt"), s.audio.data)
	frames := s.audio.frames()
	words := max(frames*5/(2*s.audio.sampleRate), 1)
	var b strings.Builder
	for i := range words {
		w := demoWords[rng.next()%uint64(len(demoWords))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteString(".\n")
	return &executor.Result{Body: []byte(b.String()), ContentType: "text/plain; charset=utf-8", Usage: gpumarket.Usage{Units1: s.audio.seconds()}}
}

// countTokens counts runs of letters and digits, and every other non-space
// character, as one token each.
func countTokens(s string) uint64 {
	var n uint64
	inWord := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				n++
			}
			inWord = true
		case unicode.IsSpace(r):
			inWord = false
		default:
			n++
			inWord = false
		}
	}
	return n
}

type llmToken struct {
	Index int    `json:"index"`
	Token string `json:"token"`
}

type llmDone struct {
	Done         bool   `json:"done"`
	InputTokens  uint64 `json:"input_tokens"`
	OutputTokens uint64 `json:"output_tokens"`
}

// complete streams a pseudo-completion seeded by the model, prompt and seed:
// words, an occasional comma, and a stop (".") drawn with probability 1/64
// once 8 tokens are out, or max_tokens reached.
func complete(s *LLMSpec) *executor.Result {
	var seed []byte
	if s.Seed != nil {
		seed = binary.BigEndian.AppendUint64(nil, *s.Seed)
	}
	rng := seedFrom([]byte("llm"), []byte(s.Model), []byte(s.Prompt), seed)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	out := 0
	for out < s.MaxTokens {
		r := rng.next()
		tok := " " + demoWords[r%uint64(len(demoWords))]
		switch {
		case out >= 8 && r>>58 == 0:
			tok = "."
		case (r>>40)%11 == 0 && out > 0:
			tok = ","
		}
		_ = enc.Encode(llmToken{Index: out, Token: tok}) // cannot fail for these types
		out++
		if tok == "." {
			break
		}
	}
	in := countTokens(s.Prompt)
	_ = enc.Encode(llmDone{Done: true, InputTokens: in, OutputTokens: uint64(out)})
	return &executor.Result{Body: buf.Bytes(), ContentType: "application/x-ndjson", Usage: gpumarket.Usage{Units1: in, Units2: uint64(out)}}
}
