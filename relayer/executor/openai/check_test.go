package openai

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

func TestLLMCheck(t *testing.T) {
	s := usageServer(t, "one two three four five six seven eight nine ten", 20, 12, 32)
	got, err := newTestLLM(t, s.URL, nil).Check(t.Context())
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(got) != 1 || got[0].Kind != gpumarket.JobKindLLM || got[0].Work != 12 || got[0].Wall <= 0 ||
		got[0].Metric() != gpumarket.MetricTokensPerSecond || len(got[0].Models) != 1 || got[0].Models[0] != "llama-3-8b" {
		t.Fatalf("Check = %+v, want 12 completion tokens of llama-3-8b", got)
	}
}

func TestLLMCheckFailsForAModelTheServerRefuses(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"message":"model not found","type":"invalid_request_error"}}`))
	}))
	t.Cleanup(s.Close)
	if got, err := newTestLLM(t, s.URL, nil).Check(t.Context()); err == nil {
		t.Fatalf("Check against a server without the model = %+v, nil; want an error", got)
	}
}

func TestSpeechChecksAgainstRecordedServers(t *testing.T) {
	tests := []struct {
		name     string
		check    func(url string) ([]executor.Measurement, error)
		kind     gpumarket.JobKind
		model    string
		wantWork float64
	}{
		{"kokoro tts", func(url string) ([]executor.Measurement, error) { return newTestTTS(t, url, nil).Check(t.Context()) },
			gpumarket.JobKindTTS, "kokoro-82m", 0.5}, // the recording's 12000 frames at 24 kHz
		{"speaches stt", func(url string) ([]executor.Measurement, error) { return newTestSTT(t, url, nil).Check(t.Context()) },
			gpumarket.JobKindSTT, "whisper-small", 2.784}, // executor.CheckSpeechWAV
	}
	files := map[string]string{"kokoro tts": "kokoro/speech.http", "speaches stt": "speaches/transcription.http"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := newReplay(t, loadRecording(t, files[tt.name]))
			got, err := tt.check(rs.URL)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if len(got) != 1 || got[0].Kind != tt.kind || got[0].Models[0] != tt.model || got[0].Work != tt.wantWork ||
				got[0].Metric() != gpumarket.MetricRealtimeFactor || got[0].Wall <= 0 {
				t.Fatalf("Check = %+v, want %v s of %s audio for %s", got, tt.wantWork, tt.kind, tt.model)
			}
		})
	}
}
