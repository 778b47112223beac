package gpumarket

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"strings"
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
	a, err := DecodeAttestation(bytes.NewReader(readProviderTestdata(tb, "attestation.json")))
	if err != nil {
		tb.Fatalf("DecodeAttestation(testdata) = %v", err)
	}
	return a
}

func TestAttestationValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(a *Attestation)
		field  string // "" means valid
	}{
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
		{"benchmark without unit", func(a *Attestation) { a.Benchmarks[0].Unit = "" }, "benchmarks[0].unit"},
		{"issued long ago", func(a *Attestation) { a.IssuedAt = 5 }, "issued_at"},
		{"expires before issued", func(a *Attestation) { a.ExpiresAt = a.IssuedAt }, "expires_at"},
		{"lifetime too long", func(a *Attestation) { a.ExpiresAt = a.IssuedAt + MaxAttestationLifetime + 1 }, "expires_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sampleAttestation(t)
			tt.mutate(a)
			wantFieldError(t, "Attestation.Validate()", a.Validate(), tt.field)
		})
	}
}

// wantFieldError asserts err is nil when field is "", and otherwise an
// EINVALID error whose message starts with "field:".
func wantFieldError(tb testing.TB, call string, err error, field string) {
	tb.Helper()
	if field == "" {
		if err != nil {
			tb.Fatalf("%s = %v, want nil", call, err)
		}
		return
	}
	if ErrorCode(err) != EINVALID || !strings.HasPrefix(ErrorMessage(err), field+":") {
		tb.Fatalf("%s = %v, want %s error naming %q", call, err, EINVALID, field)
	}
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

func TestPriceUnitCost(t *testing.T) {
	tests := []struct {
		unit  PriceUnit
		price int64
		qty   uint64
		want  int64
	}{
		{UnitFrame, 20000, 240, 4_800_000},
		{UnitGPUSecond, 150, 0, 0},
		{UnitKTokens, 1200, 2500, 3000},
		{UnitKTokens, 1200, 1, 2}, // 1.2 rounds up
		{UnitKChars, 7, 1000, 7},
		{UnitKChars, 7, 1001, 8},
		{UnitAudioMinute, 600, 90, 900},
		{UnitAudioMinute, 0, 90, 0},
	}
	for _, tt := range tests {
		t.Run(string(tt.unit), func(t *testing.T) {
			if got := tt.unit.Cost(big.NewInt(tt.price), tt.qty); got.Int64() != tt.want {
				t.Errorf("%s.Cost(%d, %d) = %v, want %d", tt.unit, tt.price, tt.qty, got, tt.want)
			}
		})
	}
	for k := JobKindRender; k <= JobKindLLM; k++ {
		for _, u := range k.Units() {
			if !u.Valid() || u.Kind() != k || u.Divisor() == 0 {
				t.Errorf("unit %q of %v: Valid=%v Kind=%v Divisor=%d", u, k, u.Valid(), u.Kind(), u.Divisor())
			}
		}
	}
	if JobKind(9).Units() != nil || PriceUnit("byte").Valid() {
		t.Error("invalid kind or unit reported as valid")
	}
}

func TestHeartbeatValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(h *Heartbeat)
		field  string
	}{
		{"valid", func(h *Heartbeat) {}, ""},
		{"no queue depth", func(h *Heartbeat) { h.QueueDepth = nil }, ""},
		{"zero provider", func(h *Heartbeat) { h.Provider = Address{} }, "provider"},
		{"zero sequence", func(h *Heartbeat) { h.Sequence = 0 }, "sequence"},
		{"epoch timestamp", func(h *Heartbeat) { h.Timestamp = 0 }, "timestamp"},
		{"absurd slots", func(h *Heartbeat) { h.FreeSlots = MaxSlots + 1 }, "free_slots"},
		{"load over 100%", func(h *Heartbeat) { h.LoadBps = 10_001 }, "load_bps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := DecodeHeartbeat(bytes.NewReader(readProviderTestdata(t, "heartbeat.json")))
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(h)
			wantFieldError(t, "Heartbeat.Validate()", h.Validate(), tt.field)
		})
	}
}

func TestJobSpecValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(s *JobSpec)
		field  string
	}{
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := DecodeJobSpec(bytes.NewReader(readProviderTestdata(t, "jobspec.json")))
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(s)
			wantFieldError(t, "JobSpec.Validate()", s.Validate(), tt.field)
		})
	}
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

func TestDecodeRejects(t *testing.T) {
	att := string(readProviderTestdata(t, "attestation.json"))
	tests := []struct {
		name string
		doc  string
		dec  func(string) error
	}{
		{"unknown field", strings.Replace(att, `"slots": 4`, `"slots": 4, "owner": "me"`, 1), decAtt},
		{"unknown nested field", strings.Replace(att, `"unit": "frame"`, `"unit": "frame", "currency": "usd"`, 1), decAtt},
		{"amount as number", strings.Replace(att, `"amount": "20000"`, `"amount": 20000`, 1), decAtt},
		{"amount with sign", strings.Replace(att, `"amount": "20000"`, `"amount": "+20000"`, 1), decAtt},
		{"kind as number", strings.Replace(att, `"kind": "llm"`, `"kind": 3`, 1), decAtt},
		{"short address", strings.Replace(att, `0x70997970c51812dc3a010c7d01b50e0d17dc79c8`, `0x7099`, 1), decAtt},
		{"trailing data", att + `{}`, decAtt},
		{"two documents", att + att, decAtt},
		{"not json", `gpu=4090`, decAtt},
		{"oversize", `{"gpu_model":"` + strings.Repeat("x", MaxAttestationBytes) + `"}`, decAtt},
		{"negative slots", strings.Replace(att, `"slots": 4`, `"slots": -4`, 1), decAtt},
		{"heartbeat oversize", `{"provider":"` + strings.Repeat(" ", MaxHeartbeatBytes) + `"}`, decHB},
		{"heartbeat unknown field", `{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","sequence":1,"timestamp":1790000000,"cpu":1}`, decHB},
		{"heartbeat float", `{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","sequence":1.5,"timestamp":1790000000}`, decHB},
		{"spec null", `null`, decSpec},
		{"spec unknown kind", strings.Replace(string(readProviderTestdata(t, "jobspec.json")), `"llm"`, `"video"`, 1), decSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.dec(tt.doc); ErrorCode(err) != EINVALID {
				t.Errorf("decode(%.60q) = %v, want %s", tt.doc, err, EINVALID)
			}
		})
	}
}

func decAtt(s string) error  { _, err := DecodeAttestation(strings.NewReader(s)); return err }
func decHB(s string) error   { _, err := DecodeHeartbeat(strings.NewReader(s)); return err }
func decSpec(s string) error { _, err := DecodeJobSpec(strings.NewReader(s)); return err }

func TestProviderStatusTransitions(t *testing.T) {
	allowed := map[[2]ProviderStatus]bool{
		{ProviderOffline, ProviderOnline}:    true,
		{ProviderOffline, ProviderBusy}:      true,
		{ProviderOffline, ProviderSuspended}: true,
		{ProviderOnline, ProviderBusy}:       true,
		{ProviderOnline, ProviderOffline}:    true,
		{ProviderOnline, ProviderSuspended}:  true,
		{ProviderBusy, ProviderOnline}:       true,
		{ProviderBusy, ProviderOffline}:      true,
		{ProviderBusy, ProviderSuspended}:    true,
		{ProviderSuspended, ProviderOffline}: true,
	}
	for from := ProviderOffline; from <= ProviderSuspended; from++ {
		for to := ProviderOffline; to <= ProviderSuspended; to++ {
			want := allowed[[2]ProviderStatus{from, to}]
			if got := from.CanMoveTo(to); got != want {
				t.Errorf("%v.CanMoveTo(%v) = %v, want %v", from, to, got, want)
			}
			if _, err := from.Transition(to); (err == nil) != want || (err != nil && ErrorCode(err) != EINVALID) {
				t.Errorf("%v.Transition(%v) = %v, want allowed=%v", from, to, err, want)
			}
		}
		if got, err := ParseProviderStatus(from.String()); err != nil || got != from {
			t.Errorf("ParseProviderStatus(%q) = %v, %v, want %v", from.String(), got, err, from)
		}
	}
	if _, err := ParseProviderStatus("asleep"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseProviderStatus(asleep) = %v, want %s", err, EINVALID)
	}
}

func TestAssignmentValidate(t *testing.T) {
	valid := Assignment{JobID: 1, Provider: Address{1}, Price: big.NewInt(5), Expiry: 1790000000}
	tests := []struct {
		name   string
		mutate func(a *Assignment)
		field  string
	}{
		{"valid", func(a *Assignment) {}, ""},
		{"zero provider", func(a *Assignment) { a.Provider = Address{} }, "provider"},
		{"nil price", func(a *Assignment) { a.Price = nil }, "price"},
		{"no expiry", func(a *Assignment) { a.Expiry = 0 }, "expiry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid
			tt.mutate(&a)
			wantFieldError(t, "Assignment.Validate()", a.Validate(), tt.field)
		})
	}
}

// jsonRoundTrip checks that a decoded document re-encodes to JSON that decodes
// again, to a value with the same encoding (empty and absent lists encode
// alike, so values are compared by their encodings).
func jsonRoundTrip[T any](tb testing.TB, v *T, decode func(*bytes.Reader) (*T, error)) {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("Marshal(%+v) = %v", v, err)
	}
	again, err := decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("decode(Marshal(v)) = %v for %s", err, b)
	}
	b2, err := json.Marshal(again)
	if err != nil || !bytes.Equal(b, b2) {
		tb.Fatalf("Marshal(decode(Marshal(v))) = %s, %v, want %s", b2, err, b)
	}
}

func FuzzDecodeAttestation(f *testing.F) {
	f.Add(readProviderTestdata(f, "attestation.json"))
	f.Add([]byte(`{"provider":"0x0000000000000000000000000000000000000001"}`))
	f.Add([]byte(`{"capabilities":[{"kind":"tts","models":["v"],"prices":[{"unit":"1k_chars","amount":"1"}]}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeAttestation(bytes.NewReader(b))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("DecodeAttestation = %v, want nil or %s", err, EINVALID)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("decoded attestation fails Validate: %v", err)
		}
		jsonRoundTrip(t, a, func(r *bytes.Reader) (*Attestation, error) { return DecodeAttestation(r) })
	})
}

func FuzzDecodeHeartbeat(f *testing.F) {
	f.Add(readProviderTestdata(f, "heartbeat.json"))
	f.Add([]byte(`{"provider":"0x70997970c51812dc3a010c7d01b50e0d17dc79c8","sequence":1,"timestamp":1790000000}`))
	f.Add([]byte(`{"sequence":18446744073709551615}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := DecodeHeartbeat(bytes.NewReader(b))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("DecodeHeartbeat = %v, want nil or %s", err, EINVALID)
			}
			return
		}
		if err := h.Validate(); err != nil {
			t.Fatalf("decoded heartbeat fails Validate: %v", err)
		}
		jsonRoundTrip(t, h, func(r *bytes.Reader) (*Heartbeat, error) { return DecodeHeartbeat(r) })
	})
}

func FuzzDecodeJobSpec(f *testing.F) {
	f.Add(readProviderTestdata(f, "jobspec.json"))
	f.Add([]byte(`{"kind":"render","model":"blender","inputs":[{"name":"scene","uri":"https://x/y.blend"}],"requirements":{"gpu_count":1,"estimate":{"frames":10}}}`))
	f.Add([]byte(`{"kind":"stt","requirements":{"estimate":{"audio_seconds":1}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeJobSpec(bytes.NewReader(b))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("DecodeJobSpec = %v, want nil or %s", err, EINVALID)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("decoded spec fails Validate: %v", err)
		}
		jsonRoundTrip(t, s, func(r *bytes.Reader) (*JobSpec, error) { return DecodeJobSpec(r) })
	})
}

func TestProviderStatusText(t *testing.T) {
	for s := ProviderOffline; s <= ProviderSuspended; s++ {
		b, err := s.MarshalText()
		var back ProviderStatus
		if err != nil || back.UnmarshalText(b) != nil || back != s {
			t.Errorf("ProviderStatus(%v) text round trip = %q, %v, %v", s, b, err, back)
		}
	}
	if _, err := ProviderStatus(9).MarshalText(); ErrorCode(err) != EINVALID {
		t.Errorf("ProviderStatus(9).MarshalText() = %v, want %s", err, EINVALID)
	}
}
