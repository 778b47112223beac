package speech

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/audio/wav"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
)

var _ executor.Checker = (*Engine)(nil)

// checkModel is the model named by the jobs of Check: the engines run
// every model the same way (the relayer's preflight, not the engine,
// decides which models are served).
const checkModel = "check"

// Check runs one real job through the engine, as Run does: espeak-ng
// speaks executor.CheckSentence, pocketsphinx transcribes
// executor.CheckSpeechWAV. It returns the real-time factor (audio seconds
// per wall second of Run, the launcher included), or the error of Run, or
// an error when the output is not audio (tts) or holds no text (stt).
func (e *Engine) Check(ctx context.Context) ([]executor.Measurement, error) {
	var job executor.Job
	var err error
	if e.kind == gpumarket.JobKindTTS {
		job, err = executor.CheckJob(e.kind, checkModel, openai.TTSParams{Text: executor.CheckSentence},
			gpumarket.Estimate{Characters: uint64(len(executor.CheckSentence))})
	} else {
		job, err = executor.CheckJob(e.kind, checkModel, openai.STTParams{}, gpumarket.Estimate{AudioSeconds: 3},
			gpumarket.JobInput{Name: "audio", URI: gpumarket.DataURI("audio/wav", executor.CheckSpeechWAV)})
	}
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", e.name, err)
	}
	start := time.Now()
	res, err := e.Run(ctx, job)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", e.name, err)
	}
	wall := time.Since(start)
	defer res.Release()
	r, err := res.Open()
	if err != nil {
		return nil, fmt.Errorf("check %s: open the output: %w", e.name, err)
	}
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("check %s: read the output: %w", e.name, err)
	}
	m := executor.Measurement{Kind: e.kind, Wall: wall}
	if e.kind == gpumarket.JobKindTTS {
		info, err := wav.Parse(out)
		if err != nil {
			return nil, fmt.Errorf("check %s: the output: %w", e.name, err)
		}
		m.Work = float64(info.Milliseconds()) / 1000
		m.Detail = fmt.Sprintf("spoke %q: %.2f s of audio", executor.CheckSentence, m.Work)
		return []executor.Measurement{m}, nil
	}
	var doc struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || strings.TrimSpace(doc.Text) == "" {
		return nil, fmt.Errorf("check %s: the transcript of the test sentence is empty or not JSON", e.name)
	}
	info, err := wav.Parse(executor.CheckSpeechWAV)
	if err != nil {
		return nil, fmt.Errorf("check %s: the test audio: %w", e.name, err)
	}
	m.Work = float64(info.Milliseconds()) / 1000
	m.Detail = fmt.Sprintf("transcribed %.2f s of the test sentence as %q", m.Work, clip(doc.Text, 60))
	return []executor.Measurement{m}, nil
}
