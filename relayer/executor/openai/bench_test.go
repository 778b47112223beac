package openai

import (
	"context"
	"testing"

	"github.com/gpumarket/gpumarket/relayer/executor"
)

// The benchmarks measure the executor's overhead per job, the time outside
// the engine: the replay server answers at once with a recorded response,
// so each iteration is spec decoding, validation, request encoding, the
// loopback HTTP round trip, response parsing, the usage checks and the
// result document.

func benchRun(b *testing.B, e executor.Executor, job executor.Job) {
	b.Helper()
	ctx := context.Background()
	if _, err := e.Run(ctx, job); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Run(ctx, job); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLLM(b *testing.B) {
	for _, c := range []struct {
		name, file string
		stream     bool
	}{
		{"vllm", "vllm/chat.http", false},
		{"vllm-stream", "vllm/chat_stream.http", true},
		{"llamacpp-stream", "llamacpp/chat_stream.http", true},
	} {
		b.Run(c.name, func(b *testing.B) {
			rs := newReplay(b, loadRecording(b, c.file))
			benchRun(b, newTestLLM(b, rs.URL, func(cfg *LLMConfig) { cfg.Stream = c.stream }), haikuJob(b, nil))
		})
	}
}

func BenchmarkTTS(b *testing.B) {
	rs := newReplay(b, loadRecording(b, "kokoro/speech_stream.http")) // 60 KB of WAV
	benchRun(b, newTestTTS(b, rs.URL, nil), ttsJob(b, map[string]any{"text": "Hello from the GPU market."}))
}

func BenchmarkSTT(b *testing.B) {
	rs := newReplay(b, loadRecording(b, "speaches/transcription_verbose.http"))
	s := newTestSTT(b, rs.URL, func(c *STTConfig) { c.ResponseFormat = "verbose_json" })
	benchRun(b, s, sttJob(b, nil, audioInput(readTestdata(b, "input/speech_16k.wav")))) // 40 KB of WAV
}
