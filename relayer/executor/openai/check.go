package openai

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

var (
	_ executor.Checker = (*LLM)(nil)
	_ executor.Checker = (*TTS)(nil)
	_ executor.Checker = (*STT)(nil)
)

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
	return checkModels(ctx, l.cfg.Models, l.Run,
		func(model string) (executor.Job, error) {
			return executor.CheckJob(gpumarket.JobKindLLM, model, LLMParams{Prompt: CheckPrompt, MaxTokens: checkMaxTokens},
				gpumarket.Estimate{InputTokens: 32, OutputTokens: checkMaxTokens})
		},
		func(res *executor.Result) (float64, string, error) {
			if res.Usage.Units2 == 0 {
				return 0, "", errors.New("the server answered the test prompt with no completion tokens")
			}
			return float64(res.Usage.Units2), fmt.Sprintf("%d completion tokens for the test prompt", res.Usage.Units2), nil
		})
}

// Check has the server speak executor.CheckSentence once per market model
// the executor maps, as Run does, and returns each model's real-time
// factor: audio seconds (measured from the WAV) over the request's wall
// time. It returns the first model's error of Run.
func (t *TTS) Check(ctx context.Context) ([]executor.Measurement, error) {
	return checkModels(ctx, t.cfg.Models, t.Run,
		func(model string) (executor.Job, error) {
			return executor.CheckJob(gpumarket.JobKindTTS, model, TTSParams{Text: executor.CheckSentence},
				gpumarket.Estimate{Characters: uint64(len(executor.CheckSentence))})
		},
		func(res *executor.Result) (float64, string, error) {
			if res.Usage.Units2 == 0 {
				return 0, "", errors.New("the server spoke the test sentence as no audio")
			}
			secs := float64(res.Usage.Units2) / 1000
			return secs, fmt.Sprintf("spoke the test sentence: %.2f s of audio", secs), nil
		})
}

// Check has the server transcribe executor.CheckSpeechWAV once per market
// model the executor maps, as Run does, and returns each model's real-time
// factor: the audio's seconds over the request's wall time. It returns the
// first model's error of Run, or an error for an empty transcript.
func (s *STT) Check(ctx context.Context) ([]executor.Measurement, error) {
	info, err := ParseWAV(executor.CheckSpeechWAV)
	if err != nil {
		return nil, fmt.Errorf("check stt: the test audio: %w", err)
	}
	secs := float64(info.Milliseconds()) / 1000
	return checkModels(ctx, s.cfg.Models, s.Run,
		func(model string) (executor.Job, error) {
			return executor.CheckJob(gpumarket.JobKindSTT, model, STTParams{Language: "en"}, gpumarket.Estimate{AudioSeconds: 3},
				gpumarket.JobInput{Name: "audio", URI: gpumarket.DataURI("audio/wav", executor.CheckSpeechWAV)})
		},
		func(res *executor.Result) (float64, string, error) {
			if res.Usage.Units2 == 0 {
				return 0, "", errors.New("the transcript of the test sentence is empty")
			}
			return secs, fmt.Sprintf("transcribed %.2f s of the test sentence (%d characters)", secs, res.Usage.Units2), nil
		})
}

// checkModels runs the check job of each market model of models (sorted)
// through run and measures it: work per wall time of run.
func checkModels(ctx context.Context, models map[string]string, run func(context.Context, executor.Job) (*executor.Result, error),
	job func(model string) (executor.Job, error), measure func(*executor.Result) (float64, string, error)) ([]executor.Measurement, error) {
	names := make([]string, 0, len(models))
	for m := range models {
		names = append(names, m)
	}
	slices.Sort(names)
	var out []executor.Measurement
	for _, model := range names {
		j, err := job(model)
		if err != nil {
			return nil, fmt.Errorf("check model %s: %w", model, err)
		}
		start := time.Now()
		res, err := run(ctx, j)
		if err != nil {
			return nil, fmt.Errorf("check model %s: %w", model, err)
		}
		wall := time.Since(start)
		work, detail, err := measure(res)
		res.Release()
		if err != nil {
			return nil, fmt.Errorf("check model %s: %w", model, err)
		}
		out = append(out, executor.Measurement{Kind: j.Kind, Models: []string{model}, Work: work, Wall: wall, Detail: detail})
	}
	return out, nil
}
