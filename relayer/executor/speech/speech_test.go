package speech

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/audio/wav"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
)

// needEngines skips the test when espeak-ng, pocketsphinx or sox is
// missing, and fails it under CI=true (tools/ensure-engines.sh installs
// them).
func needEngines(tb testing.TB) {
	tb.Helper()
	var missing []string
	for _, p := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
		}
	}
	if _, err := exec.LookPath("pocketsphinx_continuous"); err != nil {
		if _, err := exec.LookPath("pocketsphinx"); err != nil {
			missing = append(missing, "pocketsphinx")
		}
	}
	if _, err := os.Stat(DefaultHMM); err != nil {
		missing = append(missing, "pocketsphinx-en-us")
	}
	if len(missing) == 0 {
		return
	}
	msg := "missing " + strings.Join(missing, ", ") + " (run tools/ensure-engines.sh)"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

func launch(tb testing.TB) Launch {
	tb.Helper()
	self, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	return Launch{Binary: self, WorkRoot: tb.TempDir()}
}

// specJob returns a job of kind whose JobSpec carries params in its params
// input, plus extra inputs.
func specJob(tb testing.TB, kind gpumarket.JobKind, model string, params any, extra ...gpumarket.JobInput) executor.Job {
	tb.Helper()
	p, err := json.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	est := gpumarket.Estimate{Characters: 100}
	if kind == gpumarket.JobKindSTT {
		est = gpumarket.Estimate{AudioSeconds: 10}
	}
	js := gpumarket.JobSpec{Kind: kind, Model: model,
		Inputs:       append([]gpumarket.JobInput{{Name: openai.ParamsInput, URI: gpumarket.DataURI("application/json", p)}}, extra...),
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: est}}
	if err := js.Validate(); err != nil {
		tb.Fatal(err)
	}
	b, err := json.Marshal(js)
	if err != nil {
		tb.Fatal(err)
	}
	return executor.Job{ID: 7, Kind: kind, Spec: b}
}

func readResult(tb testing.TB, res *executor.Result) []byte {
	tb.Helper()
	r, err := res.Open()
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// speak runs text through the espeak engine and returns the WAV and the
// usage reported.
func speak(tb testing.TB, e *Engine, text string, speed float64) ([]byte, gpumarket.Usage) {
	tb.Helper()
	res, err := e.Run(context.Background(), specJob(tb, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{Text: text, Speed: &speed}))
	if err != nil {
		var xe *executor.ExitError
		if errors.As(err, &xe) {
			tb.Fatalf("espeak Run: %v: %s", err, xe.Stderr)
		}
		tb.Fatalf("espeak Run: %v", err)
	}
	defer res.Release()
	if res.ContentType != "audio/wav" {
		tb.Errorf("ContentType = %q, want audio/wav", res.ContentType)
	}
	return readResult(tb, res), res.Usage
}

func TestESpeakUsageIsMeasuredFromItsWAV(t *testing.T) {
	needEngines(t)
	e, err := NewESpeak(ESpeakConfig{Launch: launch(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Hello world.", "The market speaks a real sentence, with ünïcode."} {
		audio, usage := speak(t, e, text, 1)
		info, err := wav.Parse(audio)
		if err != nil {
			t.Fatalf("wav.Parse(espeak output) = %v", err)
		}
		if usage.Units2 == 0 || usage.Units2 != info.Milliseconds() {
			t.Errorf("%q: usage %d ms, wav.Parse of the output %d ms; want equal and > 0", text, usage.Units2, info.Milliseconds())
		}
		if want := uint64(utf8.RuneCountInString(text)); usage.Units1 != want {
			t.Errorf("%q: usage %d characters, want %d", text, usage.Units1, want)
		}
	}
}

func TestPocketsphinxTranscribesESpeak(t *testing.T) {
	needEngines(t)
	l := launch(t)
	l.Preflight.AllowPrivateInputs = true
	l.Inputs = executor.URLInputs{Config: l.Preflight}
	tts, err := NewESpeak(ESpeakConfig{Launch: l}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stt, err := NewPocketsphinx(PocketsphinxConfig{Launch: l}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sentence, _ := speak(t, tts, "hello world, this is a test of the speech engine", 1)
	// A job spec's data: URIs hold at most 64 KiB: a short phrase, spoken
	// fast, fits (about 40 KB of 22 kHz WAV).
	phrase, _ := speak(t, tts, "hello world, a test", 1.6)
	info, err := wav.Parse(sentence)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("espeak-ng: %d bytes, %d ms at %d Hz", len(sentence), info.Milliseconds(), info.SampleRate)
	if info.SampleRate == 16000 {
		t.Fatalf("espeak-ng wrote 16 kHz audio: the test no longer exercises the sox conversion")
	}
	// Trailing silence makes the input longer than the speech: the seconds
	// counted are the input's (its data size left to "to the end").
	padded := append(append([]byte(nil), sentence...), make([]byte, int(info.SampleRate)*int(info.BlockAlign)*2)...)
	binary.LittleEndian.PutUint32(padded[info.DataOffset-4:], 0)
	// Already 16 kHz mono 16-bit: pocketsphinx reads it without sox.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.wav"), sentence, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sox", "-q", filepath.Join(dir, "in.wav"), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", filepath.Join(dir, "16k.wav")).CombinedOutput(); err != nil {
		t.Fatalf("sox: %v: %s", err, out)
	}
	native, err := os.ReadFile(filepath.Join(dir, "16k.wav"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"/sentence.wav": sentence, "/padded.wav": padded, "/16k.wav": native}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "audio/wav")
		w.Write(b)
	}))
	defer srv.Close()
	tests := []struct {
		name     string
		audio    []byte
		uri      string
		wantText bool // a phrase this short may come back empty
	}{
		{"sentence fetched over http", sentence, srv.URL + "/sentence.wav", true},
		{"padded with 2 s of silence", padded, srv.URL + "/padded.wav", true},
		{"16 kHz mono: no conversion", native, srv.URL + "/16k.wav", true},
		{"phrase in a data: URI", phrase, gpumarket.DataURI("audio/wav", phrase), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := wav.Parse(tt.audio)
			if err != nil {
				t.Fatal(err)
			}
			job := specJob(t, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{Language: "en"},
				gpumarket.JobInput{Name: "audio", URI: tt.uri, SizeBytes: uint64(len(tt.audio))})
			if err := stt.Preflight(context.Background(), job); err != nil {
				t.Fatalf("Preflight = %v", err)
			}
			res, err := stt.Run(context.Background(), job)
			if err != nil {
				var xe *executor.ExitError
				if errors.As(err, &xe) {
					t.Fatalf("pocketsphinx Run: %v: %s", err, xe.Stderr)
				}
				t.Fatalf("pocketsphinx Run: %v", err)
			}
			defer res.Release()
			var doc struct{ Text string }
			if err := json.Unmarshal(readResult(t, res), &doc); err != nil {
				t.Fatalf("result is not JSON: %v", err)
			}
			t.Logf("transcript: %q", doc.Text)
			if tt.wantText && strings.TrimSpace(doc.Text) == "" {
				t.Errorf("transcript is empty")
			}
			if res.Usage.Units1 == 0 || res.Usage.Units1 != in.Seconds() {
				t.Errorf("usage %d s, the input WAV holds %d s; want equal and > 0", res.Usage.Units1, in.Seconds())
			}
			if want := uint64(utf8.RuneCountInString(doc.Text)); res.Usage.Units2 != want {
				t.Errorf("usage %d characters, transcript has %d", res.Usage.Units2, want)
			}
		})
	}
}

// stubEngines returns configs whose engine programs and model files exist
// but are not engines: enough for everything that runs nothing.
func stubEngines(tb testing.TB) (ESpeakConfig, PocketsphinxConfig) {
	tb.Helper()
	l := launch(tb)
	l.Preflight = executor.PreflightConfig{Models: map[gpumarket.JobKind][]string{
		gpumarket.JobKindTTS: {"espeak-ng"}, gpumarket.JobKindSTT: {"pocketsphinx-en-us"}}}
	dir := tb.TempDir()
	for _, f := range []string{"hmm", "lm", "dict"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return ESpeakConfig{Launch: l, Program: "/bin/true", Voices: []string{"en", "en-us"}, MaxCharacters: 40},
		PocketsphinxConfig{Launch: l, Program: "/bin/true", Sox: "/bin/true", MaxAudioSeconds: 3,
			HMM: filepath.Join(dir, "hmm"), LM: filepath.Join(dir, "lm"), Dict: filepath.Join(dir, "dict")}
}

// silence returns a 16-bit mono WAV of ms milliseconds at rate.
func silence(rate, ms int) []byte {
	frames := rate * ms / 1000
	b := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00")
	le32 := func(v int) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	b = append(b, le32(rate)...)
	b = append(b, le32(rate*2)...)
	b = append(b, 2, 0, 16, 0)
	b = append(b, "data"...)
	b = append(b, le32(frames*2)...)
	return append(b, make([]byte, frames*2)...)
}

func TestPreflight(t *testing.T) {
	ecfg, pcfg := stubEngines(t)
	tts, err := NewESpeak(ecfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	stt, err := NewPocketsphinx(pcfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	fast, slow := 5.0, 0.5
	audio := func(b []byte) gpumarket.JobInput {
		return gpumarket.JobInput{Name: "audio", URI: gpumarket.DataURI("audio/wav", b)}
	}
	tests := []struct {
		name    string
		e       *Engine
		job     executor.Job
		wantErr string // "" when the job is accepted
	}{
		{"tts", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{Text: "hi", Voice: "en-us", Speed: &slow}), ""},
		{"tts text input", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", struct{}{}, gpumarket.JobInput{Name: "text", URI: gpumarket.DataURI("text/plain", []byte("hi"))}), ""},
		{"tts job on the stt engine", stt, specJob(t, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{Text: "hi"}), "does not run tts jobs"},
		{"tts model not served", tts, specJob(t, gpumarket.JobKindTTS, "xtts-v2", openai.TTSParams{Text: "hi"}), "xtts-v2"},
		{"tts no text", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{}), "text is required"},
		{"tts text too long", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{Text: strings.Repeat("é", 41)}), "41 characters, limit 40"},
		{"tts voice not offered", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{Text: "hi", Voice: "de"}), `voice "de" is not offered`},
		{"tts speed", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", openai.TTSParams{Text: "hi", Speed: &fast}), "speed 5 out of range"},
		{"tts unknown parameter", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", map[string]any{"text": "hi", "ssml": true}), "ssml"},
		{"tts https input, no fetcher", tts, specJob(t, gpumarket.JobKindTTS, "espeak-ng", struct{}{}, gpumarket.JobInput{Name: "text", URI: "https://example.com/t.txt"}), "data: URIs only"},
		{"stt", stt, specJob(t, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{}, audio(silence(16000, 1500))), ""},
		{"stt audio too long", stt, specJob(t, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{}, audio(silence(2000, 3100))), "4 s long, limit 3"},
		{"stt not WAV", stt, specJob(t, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{}, audio([]byte("OggS not a wav file"))), "not a WAV file"},
		{"stt no audio", stt, specJob(t, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{}), "audio is required"},
		{"stt other language", stt, specJob(t, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{Language: "fr"}, audio(silence(16000, 100))), "English (en) only"},
		{"stt sha256 mismatch", stt, specJob(t, gpumarket.JobKindSTT, "pocketsphinx-en-us", openai.STTParams{}, gpumarket.JobInput{Name: "audio", URI: gpumarket.DataURI("audio/wav", silence(16000, 100)), SHA256: strings.Repeat("0", 64)}), "sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.e.Preflight(context.Background(), tt.job)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Preflight = %v, want nil", err)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Preflight = %v, want EINVALID naming %q", err, tt.wantErr)
			}
			// Run refuses the same job before starting anything (the
			// served models are the command executor's preflight check
			// only).
			if tt.name == "tts model not served" {
				return
			}
			if _, err := tt.e.Run(context.Background(), tt.job); gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Run = %v, want the Preflight error", err)
			}
		})
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	ecfg, pcfg := stubEngines(t)
	tests := []struct {
		name  string
		new   func() error
		field string
	}{
		{"espeak program missing", func() error { c := ecfg; c.Program = "/nonexistent/espeak-ng"; _, err := NewESpeak(c, nil); return err }, "Program"},
		{"bad voice", func() error { c := ecfg; c.Voices = []string{"en; rm -rf"}; _, err := NewESpeak(c, nil); return err }, "Voices"},
		{"default voice not offered", func() error { c := ecfg; c.DefaultVoice = "de"; _, err := NewESpeak(c, nil); return err }, "DefaultVoice"},
		{"relative work root", func() error { c := ecfg; c.WorkRoot = "work"; _, err := NewESpeak(c, nil); return err }, "WorkRoot"},
		{"sox missing", func() error { c := pcfg; c.Sox = "/nonexistent/sox"; _, err := NewPocketsphinx(c, nil); return err }, "Sox"},
		{"model missing", func() error { c := pcfg; c.HMM = "/nonexistent/hmm"; _, err := NewPocketsphinx(c, nil); return err }, "HMM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ce *executor.ConfigError
			if err := tt.new(); !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("error = %v, want a ConfigError for %s", err, tt.field)
			}
		})
	}
}

// TestRecipeArgsRoundTrip checks that the recipe reads back the settings the
// relayer writes on its command line.
func TestRecipeArgsRoundTrip(t *testing.T) {
	ecfg, pcfg := stubEngines(t)
	if err := ecfg.setDefaults(); err != nil {
		t.Fatal(err)
	}
	if err := pcfg.setDefaults(); err != nil {
		t.Fatal(err)
	}
	e, err := parseESpeakArgs(ecfg.args()[2:])
	if err != nil || e.Program != ecfg.Program || !slices.Equal(e.Voices, ecfg.Voices) || e.DefaultVoice != ecfg.DefaultVoice || e.MaxCharacters != ecfg.MaxCharacters || e.MaxSpecBytes != ecfg.MaxSpecBytes {
		t.Errorf("parseESpeakArgs(args()) = %+v, %v; want %+v", e, err, ecfg)
	}
	p, err := parsePocketsphinxArgs(pcfg.args()[2:])
	if err != nil || p.Program != pcfg.Program || p.Sox != pcfg.Sox || p.HMM != pcfg.HMM || p.LM != pcfg.LM || p.Dict != pcfg.Dict ||
		p.MaxInputBytes != pcfg.MaxInputBytes || p.MaxAudioSeconds != pcfg.MaxAudioSeconds {
		t.Errorf("parsePocketsphinxArgs(args()) = %+v, %v; want %+v", p, err, pcfg)
	}
	if _, err := parseESpeakArgs([]string{"-espeak", "espeak-ng", "-voices", "en", "-default-voice", "en", "-max-characters", "1", "-max-spec-bytes", "1"}); err == nil {
		t.Errorf("parseESpeakArgs accepted a relative program")
	}
}
