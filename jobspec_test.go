package gpumarket

import (
	"testing"
)

func TestJobSpecValidate(t *testing.T) {
	testValidate(t, "JobSpec.Validate()", "jobspec.json", DecodeJobSpec, []validateCase[JobSpec]{
		{"valid", func(s *JobSpec) {}, ""},
		{"bad kind", func(s *JobSpec) { s.Kind = 7 }, "kind"},
		{"no model", func(s *JobSpec) { s.Model = "" }, "model"},
		{"no inputs", func(s *JobSpec) { s.Inputs = nil }, "inputs"},
		{"file uri", func(s *JobSpec) { s.Inputs[0].URI = "file:///etc/passwd" }, "inputs[0].uri"},
		{"no scheme", func(s *JobSpec) { s.Inputs[0].URI = "prompt.txt" }, "inputs[0].uri"},
		{"bad sha", func(s *JobSpec) { s.Inputs[0].SHA256 = "ABC" }, "inputs[0].sha256"},
		{"duplicate input", func(s *JobSpec) { s.Inputs = append(s.Inputs, s.Inputs[0]) }, "inputs[1].name"},
		{"no gpus", func(s *JobSpec) { s.Requirements.GPUCount = 0 }, "requirements.gpu_count"},
		{"absurd vram", func(s *JobSpec) { s.Requirements.MinVRAMMiB = MaxVRAMMiB + 1 }, "requirements.min_vram_mib"},
		{"empty estimate", func(s *JobSpec) { s.Requirements.Estimate = Estimate{} }, "requirements.estimate"},
		{"foreign measure", func(s *JobSpec) { s.Requirements.Estimate.Frames = 3 }, "requirements.estimate.frames"},
		{"absurd estimate", func(s *JobSpec) { s.Requirements.Estimate.InputTokens = 1 << 60 }, "requirements.estimate.input_tokens"},
	})
}

func TestEstimate(t *testing.T) {
	e := Estimate{Frames: 10, GPUSeconds: 20, InputTokens: 3, OutputTokens: 4}
	if got := e.Quantity(UnitKTokens); got != 7 {
		t.Errorf("Quantity(1k_tokens) = %d, want 7", got)
	}
	if got := e.Usage(JobKindRender); got != (Usage{Units1: 10, Units2: 20}) {
		t.Errorf("Usage(render) = %+v, want {10 20}", got)
	}
	if got := e.Usage(JobKindLLM); got != (Usage{Units1: 3, Units2: 4}) {
		t.Errorf("Usage(llm) = %+v, want {3 4}", got)
	}
}

func FuzzDecodeJobSpec(f *testing.F) {
	f.Add(readProviderTestdata(f, "jobspec.json"))
	f.Add([]byte(`{"kind":"render","model":"blender","inputs":[{"name":"scene","uri":"https://x/y.blend"}],"requirements":{"gpu_count":1,"estimate":{"frames":10}}}`))
	f.Add([]byte(`{"kind":"stt","requirements":{"estimate":{"audio_seconds":1}}}`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, b, "DecodeJobSpec", "spec", DecodeJobSpec) })
}
