package openai

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

var _ executor.Checker = (*LLM)(nil)

// CheckPrompt is the prompt an llm engine answers in Check.
const CheckPrompt = "Count from one to twenty in words, separated by spaces."

// checkMaxTokens bounds the completion of Check's prompt.
const checkMaxTokens = 64

// Check sends CheckPrompt to the server once per market model the executor
// maps (so that a model the server does not serve fails the check), as Run
// does, and returns each model's tokens per second: completion tokens over
// the request's wall time. It returns the first model's error of Run
// (a *StatusError for the server's refusal), or an error when the server
// returned no completion tokens.
func (l *LLM) Check(ctx context.Context) ([]executor.Measurement, error) {
	models := make([]string, 0, len(l.cfg.Models))
	for m := range l.cfg.Models {
		models = append(models, m)
	}
	slices.Sort(models)
	var out []executor.Measurement
	for _, model := range models {
		job, err := executor.CheckJob(gpumarket.JobKindLLM, model, LLMParams{Prompt: CheckPrompt, MaxTokens: checkMaxTokens},
			gpumarket.Estimate{InputTokens: 32, OutputTokens: checkMaxTokens})
		if err != nil {
			return nil, fmt.Errorf("check llm model %s: %w", model, err)
		}
		start := time.Now()
		res, err := l.Run(ctx, job)
		if err != nil {
			return nil, fmt.Errorf("check llm model %s: %w", model, err)
		}
		wall := time.Since(start)
		res.Release()
		if res.Usage.Units2 == 0 {
			return nil, fmt.Errorf("check llm model %s: the server answered the test prompt with no completion tokens", model)
		}
		out = append(out, executor.Measurement{Kind: gpumarket.JobKindLLM, Models: []string{model}, Work: float64(res.Usage.Units2), Wall: wall,
			Detail: fmt.Sprintf("%d completion tokens for the test prompt", res.Usage.Units2)})
	}
	return out, nil
}
