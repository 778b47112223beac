package executor

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/audio/wav"
)

func TestMeasurementValueMilli(t *testing.T) {
	for _, c := range []struct {
		name string
		m    Measurement
		want uint64
	}{
		{"8 frames in 4 s", Measurement{Kind: gpumarket.JobKindRender, Work: 8, Wall: 4 * time.Second}, 2000},
		{"rounded", Measurement{Kind: gpumarket.JobKindLLM, Work: 100, Wall: 3 * time.Second}, 33333},
		{"tiny is at least 1", Measurement{Kind: gpumarket.JobKindLLM, Work: 1, Wall: time.Hour}, 1},
		{"no work", Measurement{Kind: gpumarket.JobKindTTS, Work: 0, Wall: time.Second}, 0},
		{"no wall time", Measurement{Kind: gpumarket.JobKindTTS, Work: 3, Wall: 0}, 0},
		{"clamped", Measurement{Kind: gpumarket.JobKindLLM, Work: 1e15, Wall: time.Second}, gpumarket.MaxBenchmarkValueMilli},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.m.ValueMilli(); got != c.want {
				t.Errorf("ValueMilli(%+v) = %d, want %d", c.m, got, c.want)
			}
		})
	}
}

func TestMeasurementBenchmarks(t *testing.T) {
	m := Measurement{Kind: gpumarket.JobKindTTS, Work: 3, Wall: time.Second}
	got := m.Benchmarks([]string{"espeak-en", "espeak-de"}, 1_800_000_000)
	want := []gpumarket.Benchmark{
		{Kind: gpumarket.JobKindTTS, Model: "espeak-en", Metric: gpumarket.MetricRealtimeFactor, ValueMilli: 3000, MeasuredAt: 1_800_000_000},
		{Kind: gpumarket.JobKindTTS, Model: "espeak-de", Metric: gpumarket.MetricRealtimeFactor, ValueMilli: 3000, MeasuredAt: 1_800_000_000},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Benchmarks = %+v, want %+v", got, want)
	}
	m.Models = []string{"own"}
	if got := m.Benchmarks([]string{"route"}, 1); len(got) != 1 || got[0].Model != "own" {
		t.Errorf("Benchmarks with Models = %+v, want the measurement's own model", got)
	}
}

type checking struct {
	named
	m   []Measurement
	err error
}

func (c *checking) Check(context.Context) ([]Measurement, error) { return c.m, c.err }

func TestRouterCheck(t *testing.T) {
	boom := errors.New("boom")
	good := []Measurement{{Kind: gpumarket.JobKindLLM, Work: 10, Wall: time.Second}}
	r, err := NewRouter([]Route{
		{Kind: gpumarket.JobKindLLM, Name: "good", Executor: &checking{m: good}},
		{Kind: gpumarket.JobKindTTS, Name: "bad", Executor: &checking{err: boom}},
		{Kind: gpumarket.JobKindSTT, Name: "plain", Executor: &named{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Check(t.Context())
	if len(got) != 3 {
		t.Fatalf("Check = %d results, want 3", len(got))
	}
	if !got[0].Checked || got[0].Err != nil || !reflect.DeepEqual(got[0].Measurements, good) {
		t.Errorf("Check[good] = %+v, want its measurements", got[0])
	}
	if !got[1].Checked || !errors.Is(got[1].Err, boom) {
		t.Errorf("Check[bad] = %+v, want its error", got[1])
	}
	if got[2].Checked || got[2].Err != nil {
		t.Errorf("Check[plain] = %+v, want not checked", got[2])
	}
}

func TestCheckSpeechWAVIsTheSentence(t *testing.T) {
	info, err := wav.Parse(CheckSpeechWAV)
	if err != nil {
		t.Fatalf("Parse(CheckSpeechWAV): %v", err)
	}
	if info.Seconds() != 3 || info.Channels != 1 {
		t.Errorf("CheckSpeechWAV = %+v, want about 2.8 s of mono audio", info)
	}
	if _, err := CheckJob(gpumarket.JobKindSTT, "m", map[string]any{}, gpumarket.Estimate{AudioSeconds: 3}); err != nil {
		t.Errorf("CheckJob: %v", err)
	}
}
