package gpumarket

import (
	"fmt"
	"io"
	"math/big"
)

// MaxAttestationBytes is the size limit of an attestation's JSON encoding,
// enforced by DecodeAttestation before any parsing.
const MaxAttestationBytes = 64 << 10

// Structural limits of an attestation, enforced by Attestation.Validate.
const (
	MaxGPUCount             = 64
	MaxVRAMMiB              = 1 << 20 // 1 TiB per GPU
	MaxSlots                = 1024
	MaxModelsPerCapability  = 64
	MaxBenchmarks           = 32
	MaxBenchmarkValueMilli  = 1_000_000_000_000 // a billion units per second
	MaxDeviceIDs            = MaxGPUCount
	MaxAttestationLifetime  = 30 * 24 * 3600 // seconds
	minAttestationTimestamp = 1_600_000_000
)

// Architecture is the GPU vendor architecture family.
type Architecture string

// The architectures an attestation may declare.
const (
	ArchNVIDIA Architecture = "nvidia"
	ArchAMD    Architecture = "amd"
	ArchApple  Architecture = "apple"
)

// Valid reports whether a is one of the defined architectures.
func (a Architecture) Valid() bool { return a == ArchNVIDIA || a == ArchAMD || a == ArchApple }

// Capability is one kind of work a provider offers, the models it serves for
// it (LLM models, TTS voices, render engines, STT models) and its prices:
// exactly one for each unit of the kind, in the order of JobKind.Units
// (render: frame, then gpu_second), so that a document has one encoding.
type Capability struct {
	Kind   JobKind  `json:"kind"`
	Models []string `json:"models"`
	Prices []Price  `json:"prices"`
}

// Price returns the capability's price for unit u, or nil if it has none.
func (c *Capability) Price(u PriceUnit) *big.Int {
	for i := range c.Prices {
		if c.Prices[i].Unit == u {
			return c.Prices[i].Amount
		}
	}
	return nil
}

// Supports reports whether the capability serves model.
func (c *Capability) Supports(model string) bool {
	for _, m := range c.Models {
		if m == model {
			return true
		}
	}
	return false
}

// The benchmark metrics `gpumarket relayer check` measures, one per job
// kind: what a job's estimate (frames, tokens, audio seconds) is divided by
// to estimate its run time.
const (
	MetricFramesPerSecond = "frames_per_second" // render: frames of the fixed test scene per second
	MetricTokensPerSecond = "tokens_per_second" // llm: completion tokens per second of wall time
	MetricRealtimeFactor  = "realtime_factor"   // tts, stt: audio seconds per wall second
)

// BenchmarkMetric returns the metric a benchmark of kind k measures.
func BenchmarkMetric(k JobKind) string {
	switch k {
	case JobKindRender:
		return MetricFramesPerSecond
	case JobKindLLM:
		return MetricTokensPerSecond
	default:
		return MetricRealtimeFactor
	}
}

// Benchmark is one measured figure of one capability, e.g. {llm,
// "llama-3-8b-q4", "tokens_per_second", 95500, t} for 95.5 tokens/s measured
// at unix time t. Values are integers in thousandths of the metric's unit
// (no floats in signed data) so that the document hashes the same
// everywhere; Metric is BenchmarkMetric(Kind).
type Benchmark struct {
	Kind       JobKind `json:"kind"`
	Model      string  `json:"model"`
	Metric     string  `json:"metric"`
	ValueMilli uint64  `json:"value_milli"`
	MeasuredAt int64   `json:"measured_at"`
}

// Benchmark returns the attestation's benchmark of kind k and model, or nil.
func (a *Attestation) Benchmark(k JobKind, model string) *Benchmark {
	for i := range a.Benchmarks {
		if b := &a.Benchmarks[i]; b.Kind == k && b.Model == model {
			return b
		}
	}
	return nil
}

// Attestation is the document a provider's registered signer signs about its
// machine: hardware, software stack, what it serves, at what prices, where,
// and until when. Its EIP-712 struct hash (see internal/eth/eip712) is the
// commitment the provider registers on-chain; a document whose hash differs
// from the registered commitment is rejected.
//
// Timestamps are unix seconds. VRAMMiB is per GPU. Slots is the number of jobs
// the provider will run concurrently; the matcher never assigns more.
type Attestation struct {
	Provider          Address      `json:"provider"`
	GPUModel          string       `json:"gpu_model"`
	GPUCount          uint32       `json:"gpu_count"`
	VRAMMiB           uint32       `json:"vram_mib"`
	Architecture      Architecture `json:"architecture"`
	CUDAVersion       string       `json:"cuda_version,omitempty"`
	ROCmVersion       string       `json:"rocm_version,omitempty"`
	DriverVersion     string       `json:"driver_version"`
	ComputeCapability string       `json:"compute_capability"`
	DeviceIDs         []string     `json:"device_ids,omitempty"`
	Slots             uint32       `json:"slots"`
	Region            string       `json:"region"`
	Token             Address      `json:"token"`
	Capabilities      []Capability `json:"capabilities"`
	Benchmarks        []Benchmark  `json:"benchmarks,omitempty"`
	IssuedAt          int64        `json:"issued_at"`
	ExpiresAt         int64        `json:"expires_at"`
	// Solana optionally binds a Solana wallet to Provider for the Solana
	// payment rail. It is outside the EIP-712 attestation type (so the
	// commitment of an attestation without it is unchanged) and carries its
	// own signatures by both keys, over a statement that names this
	// attestation's commitment (see SolanaWallet).
	Solana *SolanaWallet `json:"solana,omitempty"`
}

// Capability returns the attestation's capability for kind k, or nil.
func (a *Attestation) Capability(k JobKind) *Capability {
	for i := range a.Capabilities {
		if a.Capabilities[i].Kind == k {
			return &a.Capabilities[i]
		}
	}
	return nil
}

// Expired reports whether the attestation is no longer valid at unix time
// now: it is valid on [IssuedAt, ExpiresAt).
func (a *Attestation) Expired(now int64) bool { return now >= a.ExpiresAt }

// Validate checks every field of the attestation and returns an EINVALID
// error naming the first field that is wrong. It does not look at the clock:
// use Expired for that.
func (a *Attestation) Validate() error {
	switch {
	case a.Provider.IsZero():
		return invalidField("provider", "is the zero address")
	case a.Token.IsZero():
		return invalidField("token", "is the zero address")
	case a.GPUCount == 0 || a.GPUCount > MaxGPUCount:
		return invalidField("gpu_count", "%d is not in [1, %d]", a.GPUCount, MaxGPUCount)
	case a.VRAMMiB == 0 || a.VRAMMiB > MaxVRAMMiB:
		return invalidField("vram_mib", "%d is not in [1, %d]", a.VRAMMiB, MaxVRAMMiB)
	case a.Slots == 0 || a.Slots > MaxSlots:
		return invalidField("slots", "%d is not in [1, %d]", a.Slots, MaxSlots)
	case !a.Architecture.Valid():
		return invalidField("architecture", "%q is not nvidia, amd or apple", a.Architecture)
	}
	if err := checkText("gpu_model", a.GPUModel, maxNameLen, true); err != nil {
		return err
	}
	if err := checkText("driver_version", a.DriverVersion, maxShortLen, true); err != nil {
		return err
	}
	if err := checkText("region", a.Region, maxShortLen, true); err != nil {
		return err
	}
	// The toolkit version must match the architecture: CUDA for nvidia, ROCm
	// for amd, neither for apple (Metal ships with the OS).
	needCUDA, needROCm := a.Architecture == ArchNVIDIA, a.Architecture == ArchAMD
	if err := checkText("cuda_version", a.CUDAVersion, maxShortLen, needCUDA); err != nil {
		return err
	}
	if !needCUDA && a.CUDAVersion != "" {
		return invalidField("cuda_version", "must be empty for architecture %s", a.Architecture)
	}
	if err := checkText("rocm_version", a.ROCmVersion, maxShortLen, needROCm); err != nil {
		return err
	}
	if !needROCm && a.ROCmVersion != "" {
		return invalidField("rocm_version", "must be empty for architecture %s", a.Architecture)
	}
	if err := checkText("compute_capability", a.ComputeCapability, maxShortLen, a.Architecture != ArchApple); err != nil {
		return err
	}
	if len(a.DeviceIDs) > MaxDeviceIDs || (len(a.DeviceIDs) != 0 && len(a.DeviceIDs) != int(a.GPUCount)) {
		return invalidField("device_ids", "has %d entries, want none or gpu_count (%d)", len(a.DeviceIDs), a.GPUCount)
	}
	if err := checkUnique("device_ids", a.DeviceIDs, maxNameLen); err != nil {
		return err
	}
	if len(a.Capabilities) == 0 || len(a.Capabilities) > len(jobKindNames) {
		return invalidField("capabilities", "has %d entries, want 1 to %d", len(a.Capabilities), len(jobKindNames))
	}
	var seenKind [len(jobKindNames)]bool
	for i := range a.Capabilities {
		c := &a.Capabilities[i]
		field := fmt.Sprintf("capabilities[%d]", i)
		if !c.Kind.Valid() {
			return invalidField(field+".kind", "%v is not a job kind", c.Kind)
		}
		if seenKind[c.Kind] {
			return invalidField(field+".kind", "%v is listed twice", c.Kind)
		}
		seenKind[c.Kind] = true
		if len(c.Models) == 0 || len(c.Models) > MaxModelsPerCapability {
			return invalidField(field+".models", "has %d entries, want 1 to %d", len(c.Models), MaxModelsPerCapability)
		}
		if err := checkUnique(field+".models", c.Models, maxNameLen); err != nil {
			return err
		}
		units := c.Kind.Units()
		if len(c.Prices) != len(units) {
			return invalidField(field+".prices", "has %d entries, want one per unit of %v %v", len(c.Prices), c.Kind, units)
		}
		for j, u := range units {
			p := &c.Prices[j]
			pf := fmt.Sprintf("%s.prices[%d]", field, j)
			if p.Unit != u {
				return invalidField(pf+".unit", "is %q, want %q (units in the order %v)", p.Unit, u, units)
			}
			if err := CheckAmount(pf+".amount", p.Amount); err != nil {
				return err
			}
		}
	}
	switch {
	case a.IssuedAt < minAttestationTimestamp:
		return invalidField("issued_at", "%d is not a plausible unix time", a.IssuedAt)
	case a.ExpiresAt <= a.IssuedAt:
		return invalidField("expires_at", "%d is not after issued_at %d", a.ExpiresAt, a.IssuedAt)
	case a.ExpiresAt-a.IssuedAt > MaxAttestationLifetime:
		return invalidField("expires_at", "lifetime %ds exceeds %ds", a.ExpiresAt-a.IssuedAt, MaxAttestationLifetime)
	}
	if len(a.Benchmarks) > MaxBenchmarks {
		return invalidField("benchmarks", "has %d entries, want at most %d", len(a.Benchmarks), MaxBenchmarks)
	}
	type benchKey struct {
		kind  JobKind
		model string
	}
	seenBench := map[benchKey]bool{}
	for i, b := range a.Benchmarks {
		field := fmt.Sprintf("benchmarks[%d]", i)
		if !b.Kind.Valid() {
			return invalidField(field+".kind", "%v is not a job kind", b.Kind)
		}
		if err := checkText(field+".model", b.Model, maxNameLen, true); err != nil {
			return err
		}
		if seenBench[benchKey{b.Kind, b.Model}] {
			return invalidField(field+".model", "%v %q is measured twice", b.Kind, b.Model)
		}
		seenBench[benchKey{b.Kind, b.Model}] = true
		if want := BenchmarkMetric(b.Kind); b.Metric != want {
			return invalidField(field+".metric", "%.64q is not %q, the metric of %v", b.Metric, want, b.Kind)
		}
		if b.ValueMilli == 0 || b.ValueMilli > MaxBenchmarkValueMilli {
			return invalidField(field+".value_milli", "%d is not in [1, %d]", b.ValueMilli, uint64(MaxBenchmarkValueMilli))
		}
		if b.MeasuredAt < minAttestationTimestamp || b.MeasuredAt > a.IssuedAt {
			return invalidField(field+".measured_at", "%d is not a unix time at or before issued_at %d", b.MeasuredAt, a.IssuedAt)
		}
	}
	return nil
}

// DecodeAttestation reads one JSON attestation from r strictly: at most
// MaxAttestationBytes, decoded by DecodeStrict (no unknown or duplicate
// fields, no trailing data), and valid per Attestation.Validate.
// Every failure is an EINVALID error.
func DecodeAttestation(r io.Reader) (*Attestation, error) {
	return decodeValid[Attestation](r, MaxAttestationBytes, "attestation")
}
