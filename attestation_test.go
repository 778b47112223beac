package gpumarket

import (
	"math/big"
	"os"
	"testing"
)

// readProviderTestdata returns the bytes of testdata/name.
func readProviderTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func sampleAttestation(tb testing.TB) *Attestation {
	tb.Helper()
	return decodeTestdata(tb, "attestation.json", DecodeAttestation)
}

func TestAttestationValidate(t *testing.T) {
	testValidate(t, "Attestation.Validate()", "attestation.json", DecodeAttestation, []validateCase[Attestation]{
		{"valid", func(a *Attestation) {}, ""},
		{"apple needs no toolkit", func(a *Attestation) {
			a.Architecture, a.CUDAVersion, a.ComputeCapability = ArchApple, "", ""
		}, ""},
		{"amd with rocm", func(a *Attestation) {
			a.Architecture, a.CUDAVersion, a.ROCmVersion, a.ComputeCapability = ArchAMD, "", "6.1", "gfx90a"
		}, ""},
		{"zero provider", func(a *Attestation) { a.Provider = Address{} }, "provider"},
		{"zero token", func(a *Attestation) { a.Token = Address{} }, "token"},
		{"no gpus", func(a *Attestation) { a.GPUCount = 0 }, "gpu_count"},
		{"too many gpus", func(a *Attestation) { a.GPUCount = MaxGPUCount + 1 }, "gpu_count"},
		{"no vram", func(a *Attestation) { a.VRAMMiB = 0 }, "vram_mib"},
		{"no slots", func(a *Attestation) { a.Slots = 0 }, "slots"},
		{"bad arch", func(a *Attestation) { a.Architecture = "intel" }, "architecture"},
		{"empty model", func(a *Attestation) { a.GPUModel = "" }, "gpu_model"},
		{"control char", func(a *Attestation) { a.GPUModel = "RTX\x004090" }, "gpu_model"},
		{"padded region", func(a *Attestation) { a.Region = " eu" }, "region"},
		{"nvidia without cuda", func(a *Attestation) { a.CUDAVersion = "" }, "cuda_version"},
		{"nvidia with rocm", func(a *Attestation) { a.ROCmVersion = "6.0" }, "rocm_version"},
		{"amd with cuda", func(a *Attestation) { a.Architecture, a.ROCmVersion = ArchAMD, "6.1" }, "cuda_version"},
		{"no compute capability", func(a *Attestation) { a.ComputeCapability = "" }, "compute_capability"},
		{"device ids count", func(a *Attestation) { a.DeviceIDs = a.DeviceIDs[:1] }, "device_ids"},
		{"device ids duplicate", func(a *Attestation) { a.DeviceIDs[1] = a.DeviceIDs[0] }, "device_ids[1]"},
		{"no capabilities", func(a *Attestation) { a.Capabilities = nil }, "capabilities"},
		{"duplicate kind", func(a *Attestation) { a.Capabilities[1].Kind = JobKindRender }, "capabilities[1].kind"},
		{"bad kind", func(a *Attestation) { a.Capabilities[1].Kind = 9 }, "capabilities[1].kind"},
		{"no models", func(a *Attestation) { a.Capabilities[0].Models = nil }, "capabilities[0].models"},
		{"duplicate model", func(a *Attestation) { a.Capabilities[1].Models[1] = a.Capabilities[1].Models[0] }, "capabilities[1].models[1]"},
		{"missing price", func(a *Attestation) { a.Capabilities[0].Prices = a.Capabilities[0].Prices[:1] }, "capabilities[0].prices"},
		{"wrong unit", func(a *Attestation) { a.Capabilities[1].Prices[0].Unit = UnitKChars }, "capabilities[1].prices[0].unit"},
		{"units out of order", func(a *Attestation) {
			p := a.Capabilities[0].Prices
			p[0], p[1] = p[1], p[0]
		}, "capabilities[0].prices[0].unit"},
		{"nil amount", func(a *Attestation) { a.Capabilities[1].Prices[0].Amount = nil }, "capabilities[1].prices[0].amount"},
		{"negative amount", func(a *Attestation) { a.Capabilities[1].Prices[0].Amount = big.NewInt(-1) }, "capabilities[1].prices[0].amount"},
		{"huge amount", func(a *Attestation) {
			a.Capabilities[1].Prices[0].Amount = new(big.Int).Add(MaxUint256, big.NewInt(1))
		}, "capabilities[1].prices[0].amount"},
		{"benchmark without model", func(a *Attestation) { a.Benchmarks[0].Model = "" }, "benchmarks[0].model"},
		{"benchmark of a bad kind", func(a *Attestation) { a.Benchmarks[0].Kind = 9 }, "benchmarks[0].kind"},
		{"benchmark of another kind's metric", func(a *Attestation) { a.Benchmarks[0].Metric = MetricFramesPerSecond }, "benchmarks[0].metric"},
		{"benchmark of zero", func(a *Attestation) { a.Benchmarks[0].ValueMilli = 0 }, "benchmarks[0].value_milli"},
		{"benchmark too large", func(a *Attestation) { a.Benchmarks[0].ValueMilli = MaxBenchmarkValueMilli + 1 }, "benchmarks[0].value_milli"},
		{"benchmark measured after issue", func(a *Attestation) { a.Benchmarks[0].MeasuredAt = a.IssuedAt + 1 }, "benchmarks[0].measured_at"},
		{"benchmark measured twice", func(a *Attestation) { a.Benchmarks = append(a.Benchmarks, a.Benchmarks[0]) }, "benchmarks[1].model"},
		{"too many benchmarks", func(a *Attestation) {
			for len(a.Benchmarks) <= MaxBenchmarks {
				a.Benchmarks = append(a.Benchmarks, a.Benchmarks[0])
			}
		}, "benchmarks"},
		{"issued long ago", func(a *Attestation) { a.IssuedAt = 5 }, "issued_at"},
		{"expires before issued", func(a *Attestation) { a.ExpiresAt = a.IssuedAt }, "expires_at"},
		{"lifetime too long", func(a *Attestation) { a.ExpiresAt = a.IssuedAt + MaxAttestationLifetime + 1 }, "expires_at"},
	})
}

func TestAttestationHelpers(t *testing.T) {
	a := sampleAttestation(t)
	if c := a.Capability(JobKindLLM); c == nil || !c.Supports("mistral-7b-instruct") || c.Supports("gpt-5") {
		t.Errorf("Capability(llm) = %+v, want one serving mistral-7b-instruct only among those asked", c)
	}
	if c := a.Capability(JobKindTTS); c != nil {
		t.Errorf("Capability(tts) = %+v, want nil", c)
	}
	if got := a.Capability(JobKindRender).Price(UnitGPUSecond); got == nil || got.Int64() != 150 {
		t.Errorf("Price(gpu_second) = %v, want 150", got)
	}
	for _, tt := range []struct {
		now  int64
		want bool
	}{{a.IssuedAt, false}, {a.ExpiresAt - 1, false}, {a.ExpiresAt, true}} {
		if got := a.Expired(tt.now); got != tt.want {
			t.Errorf("Expired(%d) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func FuzzDecodeAttestation(f *testing.F) {
	f.Add(readProviderTestdata(f, "attestation.json"))
	f.Add([]byte(`{"provider":"0x0000000000000000000000000000000000000001"}`))
	f.Add([]byte(`{"capabilities":[{"kind":"tts","models":["v"],"prices":[{"unit":"1k_chars","amount":"1"}]}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, b, "DecodeAttestation", "attestation", DecodeAttestation) })
}
