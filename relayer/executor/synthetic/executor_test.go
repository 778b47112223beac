package synthetic

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/relayer/executor"

	"github.com/gpumarket/gpumarket"
)

var update = flag.Bool("update", false, "rewrite testdata/demo.golden")

// ttsWAV returns the demo tts output for text, for use as stt input.
func ttsWAV(tb testing.TB, text string) []byte {
	tb.Helper()
	spec, _ := json.Marshal(map[string]any{"text": text})
	res, err := New(nil).Run(tb.Context(), executor.Job{ID: 1, Kind: gpumarket.JobKindTTS, Spec: spec})
	if err != nil {
		tb.Fatalf("tts Run = %v", err)
	}
	return res.Body
}

func sttSpec(tb testing.TB, audio []byte) string {
	tb.Helper()
	return `{"audio":"` + base64.StdEncoding.EncodeToString(audio) + `"}`
}

// demoCases are the golden cases: one or more per kind.
func demoCases(tb testing.TB) []struct {
	name string
	kind gpumarket.JobKind
	spec string
} {
	return []struct {
		name string
		kind gpumarket.JobKind
		spec string
	}{
		{"render mandelbrot", gpumarket.JobKindRender, `{"width":64,"height":48,"frames":3,"max_iter":200}`},
		{"render zoomed", gpumarket.JobKindRender, `{"width":32,"height":32,"center_x":-0.743,"center_y":0.131,"zoom":200,"max_iter":500}`},
		{"render gradient", gpumarket.JobKindRender, `{"width":16,"height":8,"frames":2,"scene":"gradient"}`},
		{"tts", gpumarket.JobKindTTS, `{"text":"Hello, GPU market!","voice":"high","sample_rate":8000}`},
		{"tts unicode", gpumarket.JobKindTTS, `{"text":"héllo wörld ✓"}`},
		{"stt", gpumarket.JobKindSTT, sttSpec(tb, ttsWAV(tb, "a short sentence to transcribe"))},
		{"llm", gpumarket.JobKindLLM, `{"model":"demo-1","prompt":"Write a haiku about GPUs.","max_tokens":40}`},
		{"llm seeded", gpumarket.JobKindLLM, `{"model":"demo-1","prompt":"Write a haiku about GPUs.","max_tokens":40,"seed":7}`},
	}
}

func TestDemoDeterministic(t *testing.T) {
	d := New(nil)
	var golden strings.Builder
	for _, tt := range demoCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			job := executor.Job{ID: 9, Kind: tt.kind, Spec: []byte(tt.spec)}
			a, err := d.Run(t.Context(), job)
			if err != nil {
				t.Fatalf("Run(%s) = %v", tt.spec, err)
			}
			job.ID = 10 // the id must not matter
			b, err := d.Run(t.Context(), job)
			if err != nil {
				t.Fatalf("Run(%s) = %v", tt.spec, err)
			}
			if !bytes.Equal(a.Body, b.Body) || a.Usage != b.Usage || a.ContentType != b.ContentType {
				t.Errorf("Run(%s) twice gave different results", tt.spec)
			}
			sum := sha256.Sum256(a.Body)
			fmt.Fprintf(&golden, "%s\t%s\t%d\t%d\t%s\n", tt.name, a.ContentType, a.Usage.Units1, a.Usage.Units2, hex.EncodeToString(sum[:]))
		})
	}
	// The golden file pins the outputs across machines, architectures and
	// time: the chain commits to these bytes.
	path := filepath.Join("testdata", "demo.golden")
	if *update {
		if err := os.WriteFile(path, []byte(golden.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got := golden.String(); got != string(want) {
		t.Errorf("demo outputs changed:\ngot\n%swant\n%s", got, want)
	}
}

func TestDemoRender(t *testing.T) {
	tests := []struct {
		spec            string
		w, h            int
		frames, gpuSecs uint64
	}{
		{`{"width":64,"height":48,"frames":3,"max_iter":200}`, 64, 144, 3, 1},
		{`{"width":512,"height":512,"frames":2,"max_iter":256}`, 512, 1024, 2, 32},
		{`{"width":1,"height":1}`, 1, 1, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			res, err := New(nil).Run(t.Context(), executor.Job{Kind: gpumarket.JobKindRender, Spec: []byte(tt.spec)})
			if err != nil {
				t.Fatalf("Run(%s) = %v", tt.spec, err)
			}
			img, err := png.Decode(bytes.NewReader(res.Body))
			if err != nil {
				t.Fatalf("decode png: %v", err)
			}
			if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
				t.Errorf("Run(%s) image %v, want %dx%d", tt.spec, b, tt.w, tt.h)
			}
			if want := (gpumarket.Usage{Units1: tt.frames, Units2: tt.gpuSecs}); res.Usage != want {
				t.Errorf("Run(%s) usage = %+v, want %+v", tt.spec, res.Usage, want)
			}
			if res.ContentType != "image/png" {
				t.Errorf("content type = %q, want image/png", res.ContentType)
			}
		})
	}
	// A Mandelbrot image is not flat: the set (black) and the outside both show.
	res, _ := New(nil).Run(t.Context(), executor.Job{Kind: gpumarket.JobKindRender, Spec: []byte(`{"width":32,"height":32}`)})
	img, _ := png.Decode(bytes.NewReader(res.Body))
	colors := map[uint32]bool{}
	for y := range 32 {
		for x := range 32 {
			r, g, b, _ := img.At(x, y).RGBA()
			colors[r<<16|g<<8|b] = true
		}
	}
	if len(colors) < 5 {
		t.Errorf("mandelbrot tile has %d colours, want a picture", len(colors))
	}
}

func TestDemoTTSAndSTT(t *testing.T) {
	text := "Hello, world"
	wavBytes := ttsWAV(t, text)
	w, err := parseWAV(wavBytes)
	if err != nil {
		t.Fatalf("parseWAV(tts output) = %v", err)
	}
	// 10 letters * 60 ms + 1 space * 60 ms + 1 comma * 120 ms = 780 ms at 16 kHz
	if w.sampleRate != 16000 || w.channels != 1 || w.frames() != 16000*780/1000 {
		t.Errorf("tts WAV = %d Hz, %d ch, %d frames; want 16000 Hz, 1 ch, %d frames", w.sampleRate, w.channels, w.frames(), 16000*780/1000)
	}
	res, err := New(nil).Run(t.Context(), executor.Job{Kind: gpumarket.JobKindTTS, Spec: []byte(`{"text":"Hello, world"}`)})
	if err != nil || res.Usage != (gpumarket.Usage{Units1: 12}) || res.ContentType != "audio/wav" {
		t.Errorf("tts Run = %+v, %v; want usage 12 characters, audio/wav", res, err)
	}
	var peak int16
	for i := 0; i+1 < len(w.data); i += 2 {
		peak = max(peak, int16(uint16(w.data[i])|uint16(w.data[i+1])<<8))
	}
	if peak < 10000 || peak > 12001 {
		t.Errorf("tts peak amplitude = %d, want about 12000", peak)
	}

	long := ttsWAV(t, strings.Repeat("abcdefghij ", 30)) // 30*(10*60+60) ms = 19.8 s
	res, err = New(nil).Run(t.Context(), executor.Job{Kind: gpumarket.JobKindSTT, Spec: []byte(sttSpec(t, long))})
	if err != nil {
		t.Fatalf("stt Run = %v", err)
	}
	if res.Usage != (gpumarket.Usage{Units1: 20}) {
		t.Errorf("stt usage = %+v, want 20 audio seconds", res.Usage)
	}
	words := strings.Fields(string(res.Body))
	if len(words) != 19800*5/2000 || !strings.HasSuffix(string(res.Body), ".\n") {
		t.Errorf("stt transcript = %q (%d words), want %d words ending in a period", res.Body, len(words), 19800*5/2000)
	}
}

func TestDemoLLM(t *testing.T) {
	run := func(spec string) ([]llmToken, llmDone, *executor.Result) {
		t.Helper()
		res, err := New(nil).Run(t.Context(), executor.Job{Kind: gpumarket.JobKindLLM, Spec: []byte(spec)})
		if err != nil {
			t.Fatalf("Run(%s) = %v", spec, err)
		}
		var toks []llmToken
		var done llmDone
		sc := bufio.NewScanner(bytes.NewReader(res.Body))
		for sc.Scan() {
			line := sc.Bytes()
			if bytes.Contains(line, []byte(`"done"`)) {
				dec := json.NewDecoder(bytes.NewReader(line))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&done); err != nil {
					t.Fatalf("decode done line %q: %v", line, err)
				}
				continue
			}
			var tok llmToken
			if err := json.Unmarshal(line, &tok); err != nil {
				t.Fatalf("decode token line %q: %v", line, err)
			}
			toks = append(toks, tok)
		}
		return toks, done, res
	}
	toks, done, res := run(`{"model":"demo-1","prompt":"Say hello to the market, please.","max_tokens":2048}`)
	if !done.Done || done.OutputTokens != uint64(len(toks)) || done.InputTokens != 8 {
		t.Errorf("done = %+v with %d tokens, want output_tokens = %d, input_tokens = 8", done, len(toks), len(toks))
	}
	if res.Usage != (gpumarket.Usage{Units1: 8, Units2: uint64(len(toks))}) {
		t.Errorf("usage = %+v, want {8 %d}", res.Usage, len(toks))
	}
	for i, tok := range toks {
		if tok.Index != i || tok.Token == "" {
			t.Errorf("token %d = %+v", i, tok)
		}
	}
	toks, _, _ = run(`{"model":"demo-1","prompt":"x","max_tokens":3}`)
	if len(toks) != 3 {
		t.Errorf("max_tokens 3 gave %d tokens", len(toks))
	}
	a, _, _ := run(`{"model":"demo-1","prompt":"one"}`)
	b, _, _ := run(`{"model":"demo-1","prompt":"two"}`)
	c, _, _ := run(`{"model":"demo-2","prompt":"one"}`)
	if fmt.Sprint(a) == fmt.Sprint(b) || fmt.Sprint(a) == fmt.Sprint(c) {
		t.Errorf("different prompts or models gave the same completion: %v", a)
	}
}

func TestCountTokens(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
	}{
		{"", 0},
		{"hello", 1},
		{"hello, world!", 4},
		{"  a  b\tc\n", 3},
		{"héllo wörld ✓", 3},
		{"x=1+2", 5},
	}
	for _, tt := range tests {
		if got := countTokens(tt.in); got != tt.want {
			t.Errorf("countTokens(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestValidateSpec(t *testing.T) {
	wav := ttsWAV(t, "hi")
	stereo := append([]byte(nil), wav...)
	stereo[22] = 2 // channels, without fixing align and byte rate
	tests := []struct {
		kind gpumarket.JobKind
		spec string
		want string // substring of the error; "" means valid
	}{
		{gpumarket.JobKindRender, `{"width":1,"height":1}`, ""},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"extra":1}`, `unknown field "extra"`},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"Width":2}`, `unknown field "Width"`},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"width":2}`, `duplicate field "width"`},
		{gpumarket.JobKindRender, `{"width":1,"height":1} {}`, "trailing data"},
		{gpumarket.JobKindRender, `[1,2]`, "not a JSON object"},
		{gpumarket.JobKindRender, `{"width":"1","height":1}`, `field "width"`},
		{gpumarket.JobKindRender, `{"width":1.5,"height":1}`, `field "width"`},
		{gpumarket.JobKindRender, `{"width":0,"height":1}`, "width 0 out of range"},
		{gpumarket.JobKindRender, `{"width":513,"height":1}`, "width 513 out of range"},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"frames":17}`, "frames 17 out of range"},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"zoom":0.5}`, "zoom 0.5 out of range"},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"center_x":1e308}`, "center_x"},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"scene":"$(touch x)"}`, "scene"},
		{gpumarket.JobKindRender, `{"width":512,"height":512,"frames":16,"max_iter":1000}`, "exceeds"},
		{gpumarket.JobKindRender, `{"width":null,"height":1}`, "width 0 out of range"},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"frame_start":1,"frame_end":4,"samples":16}`, ""},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"frame_start":0,"frame_end":16}`, "frames 17 out of range"},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"frame_start":3,"frame_end":2}`, "frame_end 2 out of range 3.."},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"frame_start":1,"frame_end":2,"frames":3}`, "disagrees"},
		{gpumarket.JobKindRender, `{"width":1,"height":1,"samples":5000}`, "samples 5000 out of range"},
		{gpumarket.JobKindTTS, `{"text":"hi"}`, ""},
		{gpumarket.JobKindTTS, `{"text":""}`, "text is required"},
		{gpumarket.JobKindTTS, `{"text":"a\u0000b"}`, "control character"},
		{gpumarket.JobKindTTS, "{\"text\":\"\xff\"}", "not valid UTF-8"},
		{gpumarket.JobKindSTT, `{"audio":"UklGRg"}`, "audio is not standard base64"},
		{gpumarket.JobKindTTS, `{"text":"` + strings.Repeat("é", MaxTTSRunes+1) + `"}`, "characters, limit"},
		{gpumarket.JobKindTTS, `{"text":"hi","voice":"../../etc/passwd"}`, "voice"},
		{gpumarket.JobKindTTS, `{"text":"hi","sample_rate":12345}`, "sample_rate"},
		{gpumarket.JobKindSTT, sttSpec(t, wav), ""},
		{gpumarket.JobKindSTT, `{"audio":"not base64!"}`, "audio is not standard base64"},
		{gpumarket.JobKindSTT, `{}`, "audio is required"},
		{gpumarket.JobKindSTT, sttSpec(t, []byte("RIFF....WAVE")), "RIFF size"},
		{gpumarket.JobKindSTT, sttSpec(t, stereo), "block align"},
		{gpumarket.JobKindSTT, sttSpec(t, wav[:len(wav)-1]), "RIFF size"},
		{gpumarket.JobKindSTT, sttSpec(t, encodeWAV(nil, 16000)), "no samples"},
		{gpumarket.JobKindSTT, sttSpec(t, wav)[:len(sttSpec(t, wav))-2] + `","language":"xx"}`, "language"},
		{gpumarket.JobKindLLM, `{"model":"demo-1","prompt":"hi"}`, ""},
		{gpumarket.JobKindLLM, `{"model":"Demo; rm -rf /","prompt":"hi"}`, "model"},
		{gpumarket.JobKindLLM, `{"model":"demo-1","prompt":"hi","max_tokens":-1}`, "max_tokens"},
		{gpumarket.JobKindLLM, `{"model":"demo-1","prompt":"hi","max_tokens":4096}`, "max_tokens"},
		{gpumarket.JobKindLLM, `{"model":"demo-1","prompt":"hi","seed":-1}`, `field "seed"`},
		{gpumarket.JobKindLLM, `{"model":"demo-1"}`, "prompt is required"},
		{gpumarket.JobKind(9), `{}`, "unknown job kind"},
	}
	for _, tt := range tests {
		name := tt.spec
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(tt.kind.String()+" "+name, func(t *testing.T) {
			err := ValidateSpec(tt.kind, []byte(tt.spec))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("ValidateSpec(%s) = %v, want nil", tt.kind, err)
			case tt.want != "" && (gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("ValidateSpec(%s) = %v, want EINVALID containing %q", tt.kind, err, tt.want)
			}
		})
	}
}

func TestDemoCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := New(nil).Run(ctx, executor.Job{Kind: gpumarket.JobKindRender, Spec: []byte(`{"width":8,"height":8}`)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run(cancelled ctx) = %v, want context.Canceled", err)
	}
}

// FuzzDemoSpec checks that no spec makes the decoder panic, and that every
// spec it accepts runs successfully and deterministically.
func FuzzDemoSpec(f *testing.F) {
	for _, c := range demoCases(f) {
		if len(c.spec) < 1024 { // large seeds make minimisation crawl
			f.Add(uint8(c.kind), []byte(c.spec))
		}
	}
	f.Add(uint8(2), []byte(sttSpec(f, encodeWAV([]int16{0, 1000, -1000, 32767, -32768, 5}, 8000))))
	f.Add(uint8(0), []byte(`{"width":1,"height":1,"width":1}`))
	f.Add(uint8(1), []byte(`{"text":"\ud800"}`))
	f.Add(uint8(2), []byte(`{"audio":""}`))
	f.Add(uint8(3), []byte(`{"model":"m","prompt":"p","seed":18446744073709551615}`))
	f.Fuzz(func(t *testing.T, kind uint8, spec []byte) {
		k := gpumarket.JobKind(kind % 5)
		err := ValidateSpec(k, spec)
		if err != nil {
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
				t.Fatalf("ValidateSpec = %v, want an EINVALID error", err)
			}
			return
		}
		if k == gpumarket.JobKindRender {
			// keep the fuzzer fast: only small renders are run
			var s RenderSpec
			_ = json.Unmarshal(spec, &s)
			if s.Width*s.Height*max(s.Frames, 1)*max(s.MaxIter, 64) > 1<<18 {
				return
			}
		}
		d := New(nil)
		a, err := d.Run(t.Context(), executor.Job{Kind: k, Spec: spec})
		if err != nil {
			t.Fatalf("Run(valid spec %q) = %v", spec, err)
		}
		b, err := d.Run(t.Context(), executor.Job{Kind: k, Spec: spec})
		if err != nil || !bytes.Equal(a.Body, b.Body) || a.Usage != b.Usage {
			t.Fatalf("Run(%q) not deterministic", spec)
		}
	})
}

// FuzzParseWAV checks the WAV parser never panics and that what it accepts
// is consistent.
func FuzzParseWAV(f *testing.F) {
	f.Add(encodeWAV([]int16{1, 2, 3}, 16000))
	f.Add(encodeWAV(nil, 8000))
	f.Add([]byte("RIFF\x04\x00\x00\x00WAVE"))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := parseWAV(b)
		if err != nil {
			return
		}
		if w.channels < 1 || w.channels > 2 || len(w.data)%(2*w.channels) != 0 || w.sampleRate < 8000 {
			t.Fatalf("parseWAV accepted inconsistent audio: %d ch, %d Hz, %d bytes", w.channels, w.sampleRate, len(w.data))
		}
	})
}

func benchDemo(b *testing.B, kind gpumarket.JobKind, spec string) {
	d := New(nil)
	job := executor.Job{Kind: kind, Spec: []byte(spec)}
	var n int
	for b.Loop() {
		res, err := d.Run(b.Context(), job)
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.Body)
	}
	b.ReportMetric(float64(n), "out-bytes")
}

func BenchmarkDemoRender(b *testing.B) {
	benchDemo(b, gpumarket.JobKindRender, `{"width":256,"height":256,"max_iter":256}`)
}

func BenchmarkDemoTTS(b *testing.B) {
	benchDemo(b, gpumarket.JobKindTTS, `{"text":"`+strings.Repeat("hello world ", 20)+`"}`)
}

func BenchmarkDemoSTT(b *testing.B) {
	benchDemo(b, gpumarket.JobKindSTT, sttSpec(b, ttsWAV(b, strings.Repeat("hello world ", 20))))
}

func BenchmarkDemoLLM(b *testing.B) {
	benchDemo(b, gpumarket.JobKindLLM, `{"model":"demo-1","prompt":"Explain GPUs.","max_tokens":512}`)
}
