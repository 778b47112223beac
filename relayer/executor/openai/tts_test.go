package openai

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

func newTestTTS(tb testing.TB, url string, mutate func(*TTSConfig)) *TTS {
	tb.Helper()
	cfg := TTSConfig{Config: Config{BaseURL: url, Models: map[string]string{"kokoro-82m": "kokoro"}}, DefaultVoice: "af_heart"}
	if mutate != nil {
		mutate(&cfg)
	}
	t, err := NewTTS(cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func ttsJob(tb testing.TB, params map[string]any, extra ...gpumarket.JobInput) executor.Job {
	tb.Helper()
	return specJob(tb, gpumarket.JobKindTTS, "kokoro-82m", params, gpumarket.Estimate{Characters: 30}, extra...)
}

func TestTTSRecordedResponses(t *testing.T) {
	tests := []struct {
		file   string
		wantMS uint64
	}{
		{"kokoro/speech.http", 500},          // 12000 frames at 24 kHz
		{"kokoro/speech_stream.http", 1250},  // 30000 frames at 24 kHz, sizes 0xFFFFFFFF
		{"openedai-speech/speech.http", 600}, // 13230 frames at 22.05 kHz, ffmpeg LIST chunk, sizes 0xFFFFFFFF
	}
	const text = "Héllo from the GPU market! ✓" // 28 characters, 32 bytes
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec := loadRecording(t, tt.file)
			rs := newReplay(t, rec)
			res, err := newTestTTS(t, rs.URL, nil).Run(context.Background(), ttsJob(t, map[string]any{"text": text, "speed": 1.1}))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if want := (gpumarket.Usage{Units1: 28, Units2: tt.wantMS}); res.Usage != want {
				t.Errorf("Usage = %+v, want %+v", res.Usage, want)
			}
			if res.ContentType != "audio/wav" || len(res.Body) != len(rec.body) {
				t.Errorf("result %s, %d bytes; want audio/wav, %d", res.ContentType, len(res.Body), len(rec.body))
			}
			// The result is a WAV whose declared sizes are the real ones.
			w, err := ParseWAV(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got := binary.LittleEndian.Uint32(res.Body[w.DataOffset-4:]); int(got) != len(res.Body)-w.DataOffset {
				t.Errorf("data size in the result = %d, want %d", got, len(res.Body)-w.DataOffset)
			}
			if got := binary.LittleEndian.Uint32(res.Body[4:]); int(got) != len(res.Body)-8 {
				t.Errorf("RIFF size in the result = %d, want %d", got, len(res.Body)-8)
			}

			req := rs.last(t)
			var sent map[string]any
			if err := json.Unmarshal(req.body, &sent); err != nil {
				t.Fatal(err)
			}
			if req.path != "/v1/audio/speech" || sent["model"] != "kokoro" || sent["input"] != text || sent["voice"] != "af_heart" || sent["response_format"] != "wav" || sent["speed"] != 1.1 {
				t.Errorf("request %s %s", req.path, req.body)
			}
		})
	}
}

func TestTTSTextFromInput(t *testing.T) {
	rs := newReplay(t, loadRecording(t, "kokoro/speech.http"))
	in := gpumarket.JobInput{Name: "text", URI: gpumarket.DataURI("text/plain", []byte("Read this aloud."))}
	res, err := newTestTTS(t, rs.URL, nil).Run(context.Background(), ttsJob(t, map[string]any{"voice": "am_adam"}, in))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.Usage.Units1 != 16 {
		t.Errorf("Units1 = %d, want 16 characters", res.Usage.Units1)
	}
	var sent speechRequest
	json.Unmarshal(rs.last(t).body, &sent)
	if sent.Input != "Read this aloud." || sent.Voice != "am_adam" {
		t.Errorf("sent %+v", sent)
	}
}

func TestTTSRejectsNonAudio(t *testing.T) {
	tests := []struct {
		file string
		want error
	}{
		{"kokoro/speech_json_200.http", ErrNotWAV},
		{"kokoro/error_validation.http", nil}, // a *StatusError 400
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rs := newReplay(t, loadRecording(t, tt.file))
			_, err := newTestTTS(t, rs.URL, nil).Run(context.Background(), ttsJob(t, map[string]any{"text": "hello"}))
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Errorf("Run error = %v, want %v", err, tt.want)
				}
				return
			}
			var se *StatusError
			if !errors.As(err, &se) || se.StatusCode != 400 || se.Code != "validation_error" || se.Type != "invalid_request_error" || se.Retryable() {
				t.Errorf("Run error = %v, want a 400 StatusError with Kokoro's code", err)
			}
		})
	}
	// audio/wav that is not a WAV, and a WAV without samples.
	rec := loadRecording(t, "kokoro/speech.http")
	for name, body := range map[string][]byte{
		"mp3 bytes": []byte("ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00"),
		"no frames": makeWAV(wavSpec{rate: 24000, frames: 0}),
	} {
		rec.body = body
		rs := newReplay(t, rec)
		if _, err := newTestTTS(t, rs.URL, nil).Run(context.Background(), ttsJob(t, map[string]any{"text": "hello"})); !errors.Is(err, ErrNotWAV) {
			t.Errorf("%s: Run error = %v, want ErrNotWAV", name, err)
		}
	}
}

func TestTTSRefusesBadParams(t *testing.T) {
	rs := newReplay(t, loadRecording(t, "kokoro/speech.http"))
	tt := newTestTTS(t, rs.URL, func(c *TTSConfig) { c.Voices = []string{"af_heart", "am_adam"}; c.MaxCharacters = 10 })
	for name, c := range map[string]struct {
		params map[string]any
		want   string
	}{
		"no text":        {map[string]any{}, "text is required"},
		"blank text":     {map[string]any{"text": "   "}, "text is required"},
		"too long":       {map[string]any{"text": "eleven char"}, "11 characters, limit 10"},
		"voice not list": {map[string]any{"text": "hi", "voice": "bf_emma"}, "not offered"},
		"voice charset":  {map[string]any{"text": "hi", "voice": "../x"}, "voice"},
		"speed":          {map[string]any{"text": "hi", "speed": 9}, "speed"},
		"unknown field":  {map[string]any{"text": "hi", "sample_rate": 16000}, "sample_rate"},
	} {
		job := ttsJob(t, c.params)
		_, err := tt.Run(context.Background(), job)
		if perr := tt.Preflight(context.Background(), job); perr == nil || err == nil || perr.Error() != err.Error() {
			t.Errorf("%s: Preflight error = %v, want Run's %v", name, perr, err)
		}
		if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Run error = %v, want EINVALID naming %q", name, err, c.want)
		}
	}
	if rs.count() != 0 {
		t.Errorf("%d requests sent for refused jobs", rs.count())
	}
}

func TestTTSResponseLimit(t *testing.T) {
	rec := loadRecording(t, "kokoro/speech_stream.http")
	rs := newReplay(t, rec)
	tts := newTestTTS(t, rs.URL, func(c *TTSConfig) { c.MaxResponseBytes = int64(len(rec.body)) - 1 })
	if _, err := tts.Run(context.Background(), ttsJob(t, map[string]any{"text": "hello"})); !errors.Is(err, executor.ErrOutputLimit) {
		t.Errorf("Run error = %v, want ErrOutputLimit", err)
	}
}
