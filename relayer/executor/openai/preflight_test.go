package openai

import (
	"context"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// TestPreflightAcceptsRunnableJobsOffline checks that a job each executor
// can run passes its Preflight without a request to the server.
func TestPreflightAcceptsRunnableJobsOffline(t *testing.T) {
	rs := newReplay(t, loadRecording(t, "speaches/transcription.http"))
	wav := readTestdata(t, "input/speech_16k.wav")
	l := newTestLLM(t, rs.URL, nil)
	if err := l.Preflight(context.Background(), specJob(t, gpumarket.JobKindLLM, "llama-3-8b", map[string]any{"prompt": "hi"}, gpumarket.Estimate{InputTokens: 1, OutputTokens: 8})); err != nil {
		t.Errorf("LLM Preflight: %v", err)
	}
	if err := newTestTTS(t, rs.URL, nil).Preflight(context.Background(), ttsJob(t, map[string]any{"text": "hello"})); err != nil {
		t.Errorf("TTS Preflight: %v", err)
	}
	if err := newTestSTT(t, rs.URL, nil).Preflight(context.Background(), sttJob(t, nil, audioInput(wav))); err != nil {
		t.Errorf("STT Preflight: %v", err)
	}
	if err := l.Preflight(context.Background(), ttsJob(t, map[string]any{"text": "hi"})); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("LLM Preflight(tts job) = %v, want EINVALID", err)
	}
	if rs.count() != 0 {
		t.Errorf("Preflight sent %d requests, want none", rs.count())
	}
}
