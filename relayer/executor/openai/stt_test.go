package openai

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

func newTestSTT(tb testing.TB, url string, mutate func(*STTConfig)) *STT {
	tb.Helper()
	cfg := STTConfig{Config: Config{BaseURL: url, Models: map[string]string{"whisper-small": "Systran/faster-whisper-small"}}}
	if mutate != nil {
		mutate(&cfg)
	}
	s, err := NewSTT(cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func audioInput(b []byte) gpumarket.JobInput {
	sum := sha256.Sum256(b)
	return gpumarket.JobInput{Name: "audio", URI: gpumarket.DataURI("audio/wav", b), SHA256: hex.EncodeToString(sum[:]), SizeBytes: uint64(len(b))}
}

func sttJob(tb testing.TB, params map[string]any, extra ...gpumarket.JobInput) executor.Job {
	tb.Helper()
	if params == nil {
		params = map[string]any{}
	}
	return specJob(tb, gpumarket.JobKindSTT, "whisper-small", params, gpumarket.Estimate{AudioSeconds: 3}, extra...)
}

// multipartFields parses a recorded multipart request.
func multipartFields(tb testing.TB, r seen) (fields map[string]string, file []byte, fileType string) {
	tb.Helper()
	_, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
	if err != nil {
		tb.Fatal(err)
	}
	mr := multipart.NewReader(bytes.NewReader(r.body), params["boundary"])
	fields = map[string]string{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return fields, file, fileType
		}
		if err != nil {
			tb.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if p.FormName() == "file" {
			file, fileType = b, p.Header.Get("Content-Type")
			continue
		}
		fields[p.FormName()] = string(b)
	}
}

func TestSTTRecordedResponses(t *testing.T) {
	wav := readTestdata(t, "input/speech_16k.wav") // 20000 frames at 16 kHz: 1.25 s, counted 2
	tests := []struct {
		file, format string
		wantDoc      string
	}{
		{"speaches/transcription.http", "json", `{"text":"Hello from the GPU market."}`},
		// The server says the audio lasts 9.5 s; the executor counts 2.
		{"speaches/transcription_verbose.http", "verbose_json", `{"text":"Hello from the GPU market.","language":"en","segments":[{"start":0,"end":2.4,"text":" Hello from the GPU market."}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rs := newReplay(t, loadRecording(t, tt.file))
			s := newTestSTT(t, rs.URL, func(c *STTConfig) { c.ResponseFormat = tt.format })
			res, err := s.Run(context.Background(), sttJob(t, map[string]any{"language": "en", "temperature": 0}, audioInput(wav)))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if want := (gpumarket.Usage{Units1: 2, Units2: 26}); res.Usage != want {
				t.Errorf("Usage = %+v, want %+v", res.Usage, want)
			}
			if string(res.Body) != tt.wantDoc || res.ContentType != "application/json" {
				t.Errorf("result %s %s, want %s", res.ContentType, res.Body, tt.wantDoc)
			}
			req := rs.last(t)
			fields, file, fileType := multipartFields(t, req)
			if req.path != "/v1/audio/transcriptions" || fields["model"] != "Systran/faster-whisper-small" || fields["response_format"] != tt.format || fields["language"] != "en" || fields["temperature"] != "0" {
				t.Errorf("request %s fields %v", req.path, fields)
			}
			if !bytes.Equal(file, wav) || fileType != "audio/wav" {
				t.Errorf("file part: %d bytes of %s, want the %d input bytes", len(file), fileType, len(wav))
			}
		})
	}
}

func TestSTTAudioSecondsFromInput(t *testing.T) {
	rs := newReplay(t, loadRecording(t, "speaches/transcription_verbose.http"))
	s := newTestSTT(t, rs.URL, nil)
	tests := []struct {
		name string
		wav  []byte
		want uint64
	}{
		{"stereo 8 kHz, exactly 1 s", readTestdata(t, "input/speech_8k_stereo.wav"), 1},
		{"1 s and one frame", makeWAV(wavSpec{rate: 16000, frames: 16001}), 2},
		{"streamed sizes", makeWAV(wavSpec{rate: 16000, frames: 8000, unknownSize: true}), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The audio parameter (base64, as the demo executor's spec has it).
			res, err := s.Run(context.Background(), sttJob(t, map[string]any{"audio": base64.StdEncoding.EncodeToString(tt.wav)}))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.Usage.Units1 != tt.want {
				t.Errorf("audio seconds = %d, want %d", res.Usage.Units1, tt.want)
			}
		})
	}
}

func TestSTTRefusesBadAudio(t *testing.T) {
	rs := newReplay(t, loadRecording(t, "speaches/transcription.http"))
	s := newTestSTT(t, rs.URL, func(c *STTConfig) { c.MaxAudioSeconds = 1 })
	wav := readTestdata(t, "input/speech_16k.wav")
	badSum := audioInput(wav)
	badSum.SHA256 = strings.Repeat("0", 64)
	badSize := audioInput(wav)
	badSize.SizeBytes++
	tests := []struct {
		name   string
		params map[string]any
		inputs []gpumarket.JobInput
		want   string
	}{
		{"no audio", map[string]any{}, nil, "audio is required"},
		{"not a WAV", map[string]any{"audio": base64.StdEncoding.EncodeToString([]byte("OggS\x00\x02 not a wav file at all"))}, nil, "not a WAV file"},
		{"over the length limit", map[string]any{}, []gpumarket.JobInput{audioInput(wav)}, "2 s long, limit 1"},
		{"sha256 mismatch", map[string]any{}, []gpumarket.JobInput{badSum}, "sha256"},
		{"size mismatch", map[string]any{}, []gpumarket.JobInput{badSize}, "the spec declares"},
		{"https without a fetcher", map[string]any{}, []gpumarket.JobInput{{Name: "audio", URI: "https://example.com/a.wav"}}, "only data: URIs"},
		{"language", map[string]any{"language": "english", "audio": "AAAA"}, nil, "language"},
		{"empty audio", map[string]any{"audio": base64.StdEncoding.EncodeToString(makeWAV(wavSpec{rate: 16000}))}, nil, "no samples"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := sttJob(t, tt.params, tt.inputs...)
			_, err := s.Run(context.Background(), job)
			if perr := s.Preflight(context.Background(), job); perr == nil || err == nil || perr.Error() != err.Error() {
				t.Errorf("Preflight error = %v, want Run's %v", perr, err)
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run error = %v, want EINVALID naming %q", err, tt.want)
			}
		})
	}
	if rs.count() != 0 {
		t.Errorf("%d requests sent for refused jobs", rs.count())
	}
}

// fetcherFunc adapts a function to InputFetcher.
type fetcherFunc func(context.Context, gpumarket.JobInput, int64) ([]byte, error)

func (f fetcherFunc) Fetch(ctx context.Context, in gpumarket.JobInput, limit int64) ([]byte, error) {
	return f(ctx, in, limit)
}

func TestSTTFetchesOtherInputs(t *testing.T) {
	wav := readTestdata(t, "input/speech_16k.wav")
	rs := newReplay(t, loadRecording(t, "speaches/transcription.http"))
	var asked string
	s := newTestSTT(t, rs.URL, func(c *STTConfig) {
		c.Inputs = fetcherFunc(func(_ context.Context, in gpumarket.JobInput, limit int64) ([]byte, error) {
			asked = in.URI
			return wav, nil
		})
	})
	in := audioInput(wav)
	in.URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
	res, err := s.Run(context.Background(), sttJob(t, nil, in))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if asked != in.URI || res.Usage.Units1 != 2 {
		t.Errorf("fetched %q, usage %+v", asked, res.Usage)
	}
}

func TestSTTErrors(t *testing.T) {
	wav := readTestdata(t, "input/speech_16k.wav")
	rs := newReplay(t, loadRecording(t, "speaches/error_model_not_installed.http"))
	_, err := newTestSTT(t, rs.URL, nil).Run(context.Background(), sttJob(t, nil, audioInput(wav)))
	var se *StatusError
	if !errors.Is(err, ErrModelNotFound) || !errors.As(err, &se) || se.StatusCode != 404 {
		t.Errorf("Run error = %v, want ErrModelNotFound", err)
	}
	// A 200 that is not a transcription.
	rs = newReplay(t, loadRecording(t, "kokoro/speech_json_200.http"))
	if _, err := newTestSTT(t, rs.URL, nil).Run(context.Background(), sttJob(t, nil, audioInput(wav))); !errors.Is(err, ErrServerFailed) {
		t.Errorf("Run error = %v, want ErrServerFailed", err)
	}
}

func TestSTTResultIsValidJSON(t *testing.T) {
	rs := newReplay(t, loadRecording(t, "speaches/transcription_verbose.http"))
	s := newTestSTT(t, rs.URL, func(c *STTConfig) { c.ResponseFormat = "verbose_json" })
	res, err := s.Run(context.Background(), sttJob(t, nil, audioInput(readTestdata(t, "input/speech_16k.wav"))))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(res.Body) || bytes.Contains(res.Body, []byte("avg_logprob")) || bytes.Contains(res.Body, []byte("9.5")) {
		t.Errorf("result %s: want the executor's own document, without the server's extra fields or duration", res.Body)
	}
}
