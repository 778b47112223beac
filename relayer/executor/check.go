package executor

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Checker is implemented by executors that can prove themselves before a
// provider attests them (`gpumarket relayer check`): Check verifies that
// the engine is reachable (its program present, its server answering),
// that it serves its declared models, and runs one small real job per
// capability (a test frame, a test prompt, a test sentence), measuring it.
//
// Check returns one Measurement per capability and model it measured, or
// the error of the job that failed (wrapped with what was being checked).
// It returns ctx.Err() (wrapped) when ctx is cancelled.
type Checker interface {
	Check(ctx context.Context) ([]Measurement, error)
}

// Measurement is a benchmark Check measured: Work units of the kind's
// measure (frames, completion tokens, audio seconds) done in Wall.
type Measurement struct {
	Kind gpumarket.JobKind
	// Models lists the market models the figure stands for; empty: every
	// model of the route that was checked.
	Models []string
	Work   float64       // frames, completion tokens or audio seconds
	Wall   time.Duration // the engine's wall time for the work
	// Detail says what ran, for the report ("8 frames of the test scene at
	// 320x240, 16 samples, CPU").
	Detail string
}

// Metric returns the measurement's metric, gpumarket.BenchmarkMetric(Kind).
func (m Measurement) Metric() string { return gpumarket.BenchmarkMetric(m.Kind) }

// Value returns Work per second of Wall (0 for no wall time).
func (m Measurement) Value() float64 {
	if m.Wall <= 0 {
		return 0
	}
	return m.Work / m.Wall.Seconds()
}

// ValueMilli returns Value in thousandths, rounded, at least 1 when there
// was any work and at most gpumarket.MaxBenchmarkValueMilli: the integer an
// attestation carries.
func (m Measurement) ValueMilli() uint64 {
	v := math.Round(m.Value() * 1000)
	switch {
	case m.Work <= 0 || m.Wall <= 0 || math.IsNaN(v):
		return 0
	case v < 1:
		return 1
	case v > gpumarket.MaxBenchmarkValueMilli:
		return gpumarket.MaxBenchmarkValueMilli
	}
	return uint64(v)
}

// Benchmarks returns the attested figures of m, one per model (models when
// m names none), measured at unix time at.
func (m Measurement) Benchmarks(models []string, at int64) []gpumarket.Benchmark {
	if len(m.Models) != 0 {
		models = m.Models
	}
	out := make([]gpumarket.Benchmark, 0, len(models))
	for _, model := range models {
		out = append(out, gpumarket.Benchmark{Kind: m.Kind, Model: model, Metric: m.Metric(), ValueMilli: m.ValueMilli(), MeasuredAt: at})
	}
	return out
}

// RouteCheck is the outcome of checking one route.
type RouteCheck struct {
	Route        Route
	Checked      bool // false: the executor is not a Checker
	Measurements []Measurement
	Err          error
}

// Check runs Check on every route whose executor is a Checker, in the
// configured order, and returns one RouteCheck per route. A route's
// failure does not stop the others; ctx's cancellation does.
func (r *Router) Check(ctx context.Context) []RouteCheck {
	out := make([]RouteCheck, 0, len(r.routes))
	for _, rt := range r.routes {
		rc := RouteCheck{Route: rt}
		if c, ok := rt.Executor.(Checker); ok {
			rc.Checked = true
			if ctx.Err() != nil {
				rc.Err = fmt.Errorf("check %s: %w", rt.Name, ctx.Err())
			} else {
				rc.Measurements, rc.Err = c.Check(ctx)
			}
		}
		out = append(out, rc)
	}
	return out
}

// CheckSentence is the sentence a tts engine speaks in Check.
const CheckSentence = "the quick brown fox jumps over the lazy dog"

// CheckSpeechWAV is CheckSentence spoken (espeak-ng 1.51, voice en, resampled
// by sox to 8 kHz mono 16-bit: `espeak-ng -v en -w s.wav "…" && sox s.wav -r
// 8000 -c 1 -b 16 checkspeech.wav`, 2.78 s), the audio an stt engine
// transcribes in Check.
//
//go:embed checkspeech.wav
var CheckSpeechWAV []byte

// CheckJob returns the job an engine's Check runs: a job spec of kind and
// model whose parameters input holds the JSON of params, with the extra
// inputs and an estimate of est. It returns an EINVALID error when the spec
// is invalid.
func CheckJob(kind gpumarket.JobKind, model string, params any, est gpumarket.Estimate, inputs ...gpumarket.JobInput) (Job, error) {
	p, err := json.Marshal(params)
	if err != nil {
		return Job{}, gpumarket.Errorf(gpumarket.EINVALID, "check job params: %v", err)
	}
	js := gpumarket.JobSpec{Kind: kind, Model: model,
		Inputs:       append([]gpumarket.JobInput{{Name: "params", URI: gpumarket.DataURI("application/json", p)}}, inputs...),
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: est}}
	if err := js.Validate(); err != nil {
		return Job{}, fmt.Errorf("check job: %w", err)
	}
	b, err := json.Marshal(js)
	if err != nil {
		return Job{}, gpumarket.Errorf(gpumarket.EINVALID, "check job: %v", err)
	}
	return Job{Kind: kind, Spec: b}, nil
}
