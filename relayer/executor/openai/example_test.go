package openai_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
)

// A provider running vLLM on port 8000 serves the market's "llama-3-8b"
// with the model vLLM loaded, streaming, with the completion bounded by
// what each job's payment covers at 20 base units per 1,000 tokens.
func ExampleNewLLM() {
	price := big.NewInt(20)
	maxPayment := func(executor.Job) *big.Int { return big.NewInt(2000) } // the daemon knows it from the chain
	llm, err := openai.NewLLM(openai.LLMConfig{
		Config: openai.Config{
			BaseURL: "http://127.0.0.1:8000",
			Models:  map[string]string{"llama-3-8b": "meta-llama/Llama-3.1-8B-Instruct"},
		},
		Stream: true,
		PaidTokens: func(j executor.Job) (uint64, bool) {
			return openai.PaidTokens(maxPayment(j), price), true
		},
	}, slog.Default())
	if err != nil {
		fmt.Println(err)
		return
	}
	var _ executor.Executor = llm
	fmt.Println(openai.PaidTokens(big.NewInt(2000), price))
	// Output: 100000
}

// Speech and transcription servers are configured the same way; the usage
// of their jobs is measured from the audio.
func ExampleNewTTS() {
	tts, err := openai.NewTTS(openai.TTSConfig{
		Config:       openai.Config{BaseURL: "http://127.0.0.1:8880", Models: map[string]string{"kokoro-82m": "kokoro"}},
		DefaultVoice: "af_heart",
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = tts.Run(context.Background(), executor.Job{ID: 1, Kind: gpumarket.JobKindTTS, Spec: []byte(`{"model":"kokoro-82m","text":"hi","voice":"bad voice"}`)})
	fmt.Println(gpumarket.ErrorCode(err))
	// Output: invalid
}
