package hardware

import (
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func TestCheckReportRoundTripAndAttach(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", CheckReportFile)
	if _, err := LoadCheckReport(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("LoadCheckReport(missing) = %v, want os.ErrNotExist", err)
	}
	r := &CheckReport{CheckedAt: 1_800_000_000, Results: []CheckResult{
		{Engine: "blender", Kind: gpumarket.JobKindRender, Metric: gpumarket.MetricFramesPerSecond, ValueMilli: 1014, MeasuredAt: 1_800_000_000},
		{Engine: "openai", Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-8b", "not-served"}, Metric: gpumarket.MetricTokensPerSecond, ValueMilli: 50_000, MeasuredAt: 1_800_000_000},
	}}
	if err := SaveCheckReport(path, r); err != nil {
		t.Fatal(err)
	}
	got, err := LoadCheckReport(path)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("LoadCheckReport = %+v, %v; want %+v", got, err, r)
	}
	p := &Profile{
		Capabilities: []gpumarket.Capability{
			{Kind: gpumarket.JobKindRender, Models: []string{"cycles-a", "cycles-b"}, Prices: []gpumarket.Price{{Unit: gpumarket.UnitFrame, Amount: big.NewInt(1)}, {Unit: gpumarket.UnitGPUSecond, Amount: big.NewInt(1)}}},
			{Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-8b"}, Prices: []gpumarket.Price{{Unit: gpumarket.UnitKTokens, Amount: big.NewInt(1)}}},
		},
		Benchmarks: []gpumarket.Benchmark{{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b", Metric: gpumarket.MetricTokensPerSecond, ValueMilli: 999_000, MeasuredAt: 1}},
	}
	if n := p.AttachBenchmarks(got); n != 3 {
		t.Errorf("AttachBenchmarks = %d, want 3 (two render models, one served llm model)", n)
	}
	want := []gpumarket.Benchmark{
		{Kind: gpumarket.JobKindRender, Model: "cycles-a", Metric: gpumarket.MetricFramesPerSecond, ValueMilli: 1014, MeasuredAt: 1_800_000_000},
		{Kind: gpumarket.JobKindRender, Model: "cycles-b", Metric: gpumarket.MetricFramesPerSecond, ValueMilli: 1014, MeasuredAt: 1_800_000_000},
		{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b", Metric: gpumarket.MetricTokensPerSecond, ValueMilli: 50_000, MeasuredAt: 1_800_000_000},
	}
	if !reflect.DeepEqual(p.Benchmarks, want) {
		t.Errorf("Benchmarks = %+v, want %+v (the declared llm figure replaced)", p.Benchmarks, want)
	}
}

func TestLoadCheckReportRefusesMalformed(t *testing.T) {
	path := filepath.Join(t.TempDir(), CheckReportFile)
	if err := os.WriteFile(path, []byte(`{"checked_at": 1, "results": [], "extra": true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCheckReport(path); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("LoadCheckReport(unknown field) = %v, want EINVALID", err)
	}
}
