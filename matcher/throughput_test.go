package matcher

import (
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// withBenchmark gives c's attestation a measured llama-3-8b figure of
// tokensPerSecondMilli.
func withBenchmark(c *Candidate, tokensPerSecondMilli uint64) *Candidate {
	c.Attestation.Benchmarks = []gpumarket.Benchmark{{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b",
		Metric: gpumarket.MetricTokensPerSecond, ValueMilli: tokensPerSecondMilli, MeasuredAt: c.Attestation.IssuedAt}}
	return c
}

// deadlineRequest is llmRequest (2,000 output tokens) due seconds after testNow.
func deadlineRequest(seconds int64) *Request {
	r := llmRequest(1, 1_000_000)
	r.Job.Deadline = uint64(testNow.Unix() + seconds)
	return r
}

func TestEstimatedRunMs(t *testing.T) {
	att := func(k gpumarket.JobKind, model string, milli uint64) *gpumarket.Attestation {
		return &gpumarket.Attestation{Benchmarks: []gpumarket.Benchmark{{Kind: k, Model: model, Metric: gpumarket.BenchmarkMetric(k), ValueMilli: milli}}}
	}
	spec := func(k gpumarket.JobKind, model string, e gpumarket.Estimate) *gpumarket.JobSpec {
		return &gpumarket.JobSpec{Kind: k, Model: model, Requirements: gpumarket.Requirements{Estimate: e}}
	}
	tests := []struct {
		name   string
		a      *gpumarket.Attestation
		s      *gpumarket.JobSpec
		want   uint64
		wantOK bool
	}{
		{"llm: 2000 tokens at 50 tokens/s", att(gpumarket.JobKindLLM, "m", 50_000), spec(gpumarket.JobKindLLM, "m", gpumarket.Estimate{InputTokens: 9999, OutputTokens: 2000}), 40_000, true},
		{"render: 8 frames at 1.239 frames/s, rounded up", att(gpumarket.JobKindRender, "c", 1239), spec(gpumarket.JobKindRender, "c", gpumarket.Estimate{Frames: 8}), 6457, true},
		{"stt: 60 s at real-time factor 2", att(gpumarket.JobKindSTT, "s", 2000), spec(gpumarket.JobKindSTT, "s", gpumarket.Estimate{AudioSeconds: 60}), 30_000, true},
		{"tts: 150 characters are 10 s of audio", att(gpumarket.JobKindTTS, "v", 10_000), spec(gpumarket.JobKindTTS, "v", gpumarket.Estimate{Characters: 150}), 1000, true},
		{"tts: audio seconds win over characters", att(gpumarket.JobKindTTS, "v", 10_000), spec(gpumarket.JobKindTTS, "v", gpumarket.Estimate{Characters: 150, AudioSeconds: 30}), 3000, true},
		{"no benchmark for the model", att(gpumarket.JobKindLLM, "other", 50_000), spec(gpumarket.JobKindLLM, "m", gpumarket.Estimate{OutputTokens: 10}), 0, false},
		{"no benchmark for the kind", att(gpumarket.JobKindSTT, "m", 50_000), spec(gpumarket.JobKindLLM, "m", gpumarket.Estimate{OutputTokens: 10}), 0, false},
		{"no benchmarks", &gpumarket.Attestation{}, spec(gpumarket.JobKindLLM, "m", gpumarket.Estimate{OutputTokens: 10}), 0, false},
		{"no work in the estimate", att(gpumarket.JobKindRender, "c", 1000), spec(gpumarket.JobKindRender, "c", gpumarket.Estimate{GPUSeconds: 10}), 0, false},
		{"overflow saturates", att(gpumarket.JobKindLLM, "m", 1), spec(gpumarket.JobKindLLM, "m", gpumarket.Estimate{OutputTokens: 1 << 48}), ^uint64(0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := EstimatedRunMs(tt.a, tt.s)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("EstimatedRunMs(%s) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestDeadlineFilter(t *testing.T) {
	params := DefaultParams()
	tests := []struct {
		name     string
		c        *Candidate
		deadline int64 // seconds after testNow; 0: no deadline
		want     Reason
	}{
		{"fast enough", withBenchmark(candidate(1, 1000), 100_000), 60, Eligible},     // 20 s
		{"exactly on time", withBenchmark(candidate(1, 1000), 100_000), 20, Eligible}, // 20 s
		{"too slow", withBenchmark(candidate(1, 1000), 10_000), 60, RejectDeadline},   // 200 s
		{"deadline passed", withBenchmark(candidate(1, 1000), 100_000), -1, RejectDeadline},
		{"no benchmark is never rejected", candidate(1, 1000), 1, Eligible},
		{"no deadline", withBenchmark(candidate(1, 1000), 1), 0, Eligible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := llmRequest(1, 1_000_000)
			if tt.deadline != 0 {
				r.Job.Deadline = uint64(testNow.Unix() + tt.deadline)
			}
			rej, _ := Check(r, tt.c, &params, testNow)
			if rej.Reason != tt.want {
				t.Fatalf("Check(%s) = %v (%s), want %v", tt.name, rej.Reason, rej.Detail, tt.want)
			}
			if tt.want == RejectDeadline && !strings.Contains(rej.Detail, "tokens_per_second") {
				t.Errorf("Check(%s).Detail = %q, want the measured metric named", tt.name, rej.Detail)
			}
			// The indexed path decides the same.
			x := NewIndex([]*Candidate{tt.c})
			d := newDecider(t, nil)
			dec, err := d.DecideIndexed(r, x, testNow, DecideOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := dec.RejectedFor(RejectDeadline) == 1; got != (tt.want == RejectDeadline) {
				t.Errorf("DecideIndexed(%s) rejected for deadline %d, want %v", tt.name, dec.RejectedFor(RejectDeadline), tt.want == RejectDeadline)
			}
		})
	}
}

func TestThroughputComponent(t *testing.T) {
	tests := []struct {
		name    string
		est     uint64
		ok      bool
		fastest uint64
		want    uint32
	}{
		{"the fastest", 1000, true, 1000, Scale},
		{"twice as slow", 2000, true, 1000, Scale / 2},
		{"ten times as slow", 10_000, true, 1000, Scale / 10},
		{"no benchmark is neutral", 0, false, 1000, NeutralThroughput},
		{"instant", 0, true, 0, Scale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := throughputComponent(tt.est, tt.ok, tt.fastest); got != tt.want {
				t.Errorf("throughputComponent(%d, %v, %d) = %d, want %d", tt.est, tt.ok, tt.fastest, got, tt.want)
			}
		})
	}
}

func TestDecideWithBenchmarks(t *testing.T) {
	tests := []struct {
		name  string
		cands []*Candidate
		req   *Request
		want  gpumarket.Address
		// wantThroughput is the chosen one's throughput component.
		wantThroughput uint32
	}{
		// Provider 1 is cheaper (ranked first without benchmarks) but its
		// benchmark says it needs 200 s for a job due in 60 s: excluded,
		// provider 2 is chosen.
		{"the one that cannot meet the deadline is excluded, the next is chosen",
			[]*Candidate{withBenchmark(candidate(1, 900), 10_000), withBenchmark(candidate(2, 1000), 100_000)}, deadlineRequest(60), addr(2), Scale},
		{"without benchmarks the cheapest wins as before",
			[]*Candidate{candidate(1, 900), candidate(2, 1000)}, deadlineRequest(60), addr(1), NeutralThroughput},
		// Same price: the measured, faster one wins over the unmeasured one.
		{"faster wins at the same price",
			[]*Candidate{candidate(1, 1000), withBenchmark(candidate(2, 1000), 100_000)}, deadlineRequest(3600), addr(2), Scale},
		{"a little more expensive but ten times faster wins",
			[]*Candidate{withBenchmark(candidate(1, 950), 10_000), withBenchmark(candidate(2, 1000), 100_000)}, deadlineRequest(3600), addr(2), Scale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDecider(t, nil)
			dec, err := d.Decide(tt.req, tt.cands, testNow, DecideOptions{Rejections: true})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := dec.Choice()
			if !ok || got.Provider != tt.want || got.Score.Throughput != tt.wantThroughput {
				t.Fatalf("Decide(%s) chose %+v (ok %v, rejections %+v), want %s with throughput %d", tt.name, got, ok, dec.Rejections, tt.want, tt.wantThroughput)
			}
		})
	}
}

func TestExplainDeadline(t *testing.T) {
	params := DefaultParams()
	cands := []*Candidate{withBenchmark(candidate(1, 1000), 10_000), withBenchmark(candidate(2, 1000), 20_000)}
	got := Explain(deadlineRequest(60), cands, &params, testNow, Passed{})
	want := "no provider can take the job: 2 providers cannot finish it before the deadline by their measured benchmark " +
		"(the fastest of them needs about 100.000s for this job's estimate, the deadline is in 60s): extend the deadline or split the job"
	if got != want {
		t.Errorf("Explain(deadline) =\n%q\nwant\n%q", got, want)
	}
}
