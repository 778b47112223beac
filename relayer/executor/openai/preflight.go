package openai

import (
	"context"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// Preflight reports whether l can run job, before the relayer accepts it:
// an llm job whose spec and parameters decode strictly, for a market model
// the configuration maps to a server model, with a bounded request that
// leaves room for output tokens. The server is not contacted. It returns
// the EINVALID error Run would return for the same job.
func (l *LLM) Preflight(_ context.Context, ej executor.Job) error {
	if ej.Kind != gpumarket.JobKindLLM {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: the llm executor does not run %s jobs", ej.ID, ej.Kind)
	}
	j, err := decodeJob(ej, l.cfg.MaxSpecBytes)
	if err != nil {
		return err
	}
	_, _, _, err = l.request(j)
	return err
}

// Preflight reports whether t can run job, before the relayer accepts it:
// a tts job whose parameters decode strictly, for a mapped model, with text
// (given inline, or an input fetched within MaxCharacters) that is not
// empty and within the limits. The speech server is not contacted.
func (t *TTS) Preflight(ctx context.Context, ej executor.Job) error {
	if ej.Kind != gpumarket.JobKindTTS {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: the tts executor does not run %s jobs", ej.ID, ej.Kind)
	}
	j, err := decodeJob(ej, t.cfg.MaxSpecBytes)
	if err != nil {
		return err
	}
	_, err = t.request(ctx, j)
	return err
}

// Preflight reports whether s can run job, before the relayer accepts it:
// an stt job whose parameters decode strictly, for a mapped model, whose
// audio (inline, or an input fetched within MaxInputBytes and checked
// against its sha256) is a WAV file within MaxAudioSeconds. The
// transcription server is not contacted.
func (s *STT) Preflight(ctx context.Context, ej executor.Job) error {
	if ej.Kind != gpumarket.JobKindSTT {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: the stt executor does not run %s jobs", ej.ID, ej.Kind)
	}
	j, err := decodeJob(ej, s.cfg.MaxSpecBytes)
	if err != nil {
		return err
	}
	_, _, _, err = s.request(ctx, j)
	return err
}
