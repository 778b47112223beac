package openai

import "github.com/gpumarket/gpumarket/internal/audio/wav"

// WAV is what the executors learn from a WAV file's header and bytes: see
// [wav.Info] (durations from the bytes present, never from a declared
// length).
type WAV = wav.Info

// ErrNotWAV is returned (wrapped) by ParseWAV for bytes that are not a WAV
// file the executor can measure.
var ErrNotWAV = wav.ErrNotWAV

const wavUnknownSize = wav.UnknownSize

// ParseWAV is [wav.Parse]: it returns an error wrapping ErrNotWAV naming
// what is wrong with b.
func ParseWAV(b []byte) (WAV, error) { return wav.Parse(b) }
