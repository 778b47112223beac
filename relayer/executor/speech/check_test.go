package speech

import (
	"testing"

	"github.com/gpumarket/gpumarket"
)

func TestCheckRunsARealJobAndMeasuresItsRealTimeFactor(t *testing.T) {
	needEngines(t)
	tts, err := NewESpeak(ESpeakConfig{Launch: launch(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	stt, err := NewPocketsphinx(PocketsphinxConfig{Launch: launch(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []*Engine{tts, stt} {
		t.Run(e.name, func(t *testing.T) {
			got, err := e.Check(t.Context())
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if len(got) != 1 || got[0].Kind != e.kind || got[0].Metric() != gpumarket.MetricRealtimeFactor ||
				got[0].Work < 1 || got[0].Wall <= 0 || got[0].ValueMilli() == 0 {
				t.Fatalf("Check = %+v, want one %s measurement of at least a second of audio", got, e.kind)
			}
			t.Logf("%s: real-time factor %.2f (%s)", e.name, got[0].Value(), got[0].Detail)
		})
	}
}

func TestCheckFailsWhenTheEngineFails(t *testing.T) {
	needEngines(t)
	// "false" exits 1 without output: the recipe reports the failure.
	e, err := NewESpeak(ESpeakConfig{Launch: launch(t), Program: "/bin/false"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.Check(t.Context()); err == nil {
		t.Fatalf("Check with a failing engine = %+v, nil; want an error", got)
	}
}
