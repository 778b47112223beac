package matcher

import (
	"fmt"
	"math/bits"

	"github.com/gpumarket/gpumarket"
)

// CharactersPerAudioSecond converts a tts job's estimated characters to
// audio seconds when the estimate gives none (about 15 characters of
// English text are spoken per second at normal speed).
const CharactersPerAudioSecond = 15

// EstimatedRunMs returns how long the provider attesting a should take for
// the job spec, in milliseconds: the estimate's work measure divided by the
// attested benchmark of the job's kind and model (see
// gpumarket.BenchmarkMetric):
//
//	render  estimate.frames        / frames_per_second
//	llm     estimate.output_tokens / tokens_per_second   (prompt tokens are not counted)
//	stt     estimate.audio_seconds / realtime_factor
//	tts     estimate.audio_seconds (or characters / CharactersPerAudioSecond) / realtime_factor
//
// rounded up. It reports false when a has no benchmark for the kind and
// model or the estimate has no work measure: there is no estimate, and the
// deadline filter and the throughput component treat the provider as
// neutral.
func EstimatedRunMs(a *gpumarket.Attestation, spec *gpumarket.JobSpec) (uint64, bool) {
	if a == nil || spec == nil || len(a.Benchmarks) == 0 {
		return 0, false
	}
	b := a.Benchmark(spec.Kind, spec.Model)
	if b == nil || b.ValueMilli == 0 || b.Metric != gpumarket.BenchmarkMetric(spec.Kind) {
		return 0, false
	}
	work := estimatedWork(spec.Kind, spec.Requirements.Estimate)
	if work == 0 {
		return 0, false
	}
	// ms = ceil(work × 1000 / (valueMilli / 1000)) = ceil(work × 10^6 / valueMilli)
	hi, lo := bits.Mul64(work, 1_000_000)
	if hi >= b.ValueMilli {
		return ^uint64(0), true // longer than any deadline
	}
	q, rem := bits.Div64(hi, lo, b.ValueMilli)
	if rem != 0 {
		q++
	}
	return q, true
}

// estimatedWork is the estimate's measure of the work a benchmark rates:
// frames, completion tokens or audio seconds.
func estimatedWork(k gpumarket.JobKind, e gpumarket.Estimate) uint64 {
	switch k {
	case gpumarket.JobKindRender:
		return e.Frames
	case gpumarket.JobKindLLM:
		return e.OutputTokens
	case gpumarket.JobKindTTS:
		if e.AudioSeconds > 0 {
			return e.AudioSeconds
		}
		return (e.Characters + CharactersPerAudioSecond - 1) / CharactersPerAudioSecond
	}
	return e.AudioSeconds
}

// missesDeadline reports whether a provider attesting a, starting at unix
// time now, would finish the job after its deadline by its benchmark. A
// provider without an estimate, and a job without a deadline, never miss.
func missesDeadline(req *Request, a *gpumarket.Attestation, now int64) bool {
	if req.Job.Deadline == 0 {
		return false
	}
	ms, ok := EstimatedRunMs(a, req.Spec)
	if !ok {
		return false
	}
	if now < 0 || uint64(now) >= req.Job.Deadline {
		return true
	}
	return ms > (req.Job.Deadline-uint64(now))*1000
}

// deadlineDetail explains a RejectDeadline.
func deadlineDetail(req *Request, a *gpumarket.Attestation, now int64) string {
	ms, _ := EstimatedRunMs(a, req.Spec)
	b := a.Benchmark(req.Spec.Kind, req.Spec.Model)
	left := int64(req.Job.Deadline) - now
	return fmt.Sprintf("measured %s %d.%03d: the estimate takes about %s, the deadline is in %ds", b.Metric, b.ValueMilli/1000, b.ValueMilli%1000, formatMs(ms), max(left, 0))
}

func formatMs(ms uint64) string {
	if ms == ^uint64(0) {
		return "forever"
	}
	return fmt.Sprintf("%d.%03ds", ms/1000, ms%1000)
}

// throughputComponent scores a candidate's estimated run time est (ok:
// it has one) against the fastest eligible candidate's fastest: Scale ×
// fastest / est, so the fastest gets Scale and one twice as slow Scale/2.
// A candidate without an estimate gets NeutralThroughput.
func throughputComponent(est uint64, ok bool, fastest uint64) uint32 {
	if !ok {
		return NeutralThroughput
	}
	if est == 0 || fastest >= est {
		return Scale
	}
	hi, lo := bits.Mul64(fastest, Scale)
	q, _ := bits.Div64(hi, lo, est) // hi < est since fastest < est
	return uint32(q)
}

// NeutralThroughput is the throughput component of a provider without a
// benchmark for the job's kind and model: half of Scale, as if it were
// twice as slow as the fastest measured one.
const NeutralThroughput = Scale / 2
