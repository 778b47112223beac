package gpumarket

import (
	"strings"
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

// TestDecodeJobSpecParserDifferential checks that a spec another
// (case-sensitive, first- or last-wins) parser could read differently is
// refused: duplicate keys and case-variant field names, at any depth.
func TestDecodeJobSpecParserDifferential(t *testing.T) {
	const rest = `"inputs":[{"name":"prompt","uri":"data:,hi"}],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":4}}`
	tests := []struct {
		name, body, want string
	}{
		{"case variant beside the field", `{"kind":"llm","model":"a","MODEL":"b",` + rest + `}`, `unknown field "MODEL"`},
		{"case variant alone", `{"kind":"llm","Model":"b",` + rest + `}`, `unknown field "Model"`},
		{"duplicate", `{"kind":"llm","model":"a","model":"b",` + rest + `}`, `duplicate field "model"`},
		{"duplicate kind", `{"kind":"llm","kind":"tts","model":"a",` + rest + `}`, `duplicate field "kind"`},
		{"nested case variant", `{"kind":"llm","model":"a",` + strings.Replace(rest, `"input_tokens":4`, `"input_tokens":4,"Input_Tokens":9`, 1) + `}`, `unknown field "Input_Tokens" in requirements.estimate`},
		{"nested duplicate", `{"kind":"llm","model":"a",` + strings.Replace(rest, `"gpu_count":1`, `"gpu_count":1,"gpu_count":8`, 1) + `}`, `duplicate field "gpu_count" in requirements`},
		{"duplicate in an input", `{"kind":"llm","model":"a",` + strings.Replace(rest, `"name":"prompt"`, `"name":"prompt","name":"other"`, 1) + `}`, `duplicate field "name" in inputs[0]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeJobSpec(strings.NewReader(tt.body))
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Errorf("DecodeJobSpec(%s) = %v, want EINVALID containing %q", tt.body, err, tt.want)
			}
		})
	}
	if _, err := DecodeJobSpec(strings.NewReader(`{"kind":"llm","model":"a",` + rest + `}`)); err != nil {
		t.Errorf("DecodeJobSpec(the same spec, once each) = %v, want nil", err)
	}
}
