package gpumarket

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the provider side of the domain: the attestation document a
// provider's signer publishes about its hardware and prices, the heartbeats
// that keep it online, the provider status machine, the job specification the
// matcher reads, and the assignment the matcher signs.
//
// Validation is strict and separate from decoding: the Decode* functions
// reject oversize input, unknown fields and trailing data, then call Validate,
// whose errors are EINVALID and name the offending field with a JSON path
// ("capabilities[1].prices[0].amount").

// Size limits of the documents' JSON encodings, enforced by the Decode*
// functions before any parsing.
const (
	MaxAttestationBytes = 64 << 10
	MaxHeartbeatBytes   = 1 << 10
	MaxJobSpecBytes     = 256 << 10
)

// Structural limits enforced by Validate.
const (
	MaxGPUCount             = 64
	MaxVRAMMiB              = 1 << 20 // 1 TiB per GPU
	MaxSlots                = 1024
	MaxModelsPerCapability  = 64
	MaxBenchmarks           = 32
	MaxDeviceIDs            = MaxGPUCount
	MaxJobInputs            = 64
	MaxAttestationLifetime  = 30 * 24 * 3600 // seconds
	MaxLoadBps              = 10_000
	maxNameLen              = 128
	maxShortLen             = 32
	maxURILen               = 64 << 10 // data: URIs may carry small inputs inline
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

// PriceUnit names what a price is per. Each unit belongs to one job kind and
// counts some measure of [Estimate] (and of [Usage]); the cost of q counted
// measures at price p per unit is ceil(p*q/Divisor), see [PriceUnit.Cost].
type PriceUnit string

// The price units: render per frame and per GPU-second, tts per 1,000
// characters, stt per audio minute, llm per 1,000 tokens (input plus output).
const (
	UnitFrame       PriceUnit = "frame"
	UnitGPUSecond   PriceUnit = "gpu_second"
	UnitKChars      PriceUnit = "1k_chars"
	UnitAudioMinute PriceUnit = "audio_minute"
	UnitKTokens     PriceUnit = "1k_tokens"
)

var unitInfo = map[PriceUnit]struct {
	kind    JobKind
	divisor uint64
}{
	UnitFrame:       {JobKindRender, 1},
	UnitGPUSecond:   {JobKindRender, 1},
	UnitKChars:      {JobKindTTS, 1000},
	UnitAudioMinute: {JobKindSTT, 60},
	UnitKTokens:     {JobKindLLM, 1000},
}

var kindUnits = [...][]PriceUnit{
	JobKindRender: {UnitFrame, UnitGPUSecond},
	JobKindTTS:    {UnitKChars},
	JobKindSTT:    {UnitAudioMinute},
	JobKindLLM:    {UnitKTokens},
}

// Units returns the price units of kind k in a fixed order (nil for an
// invalid kind). The caller must not modify the slice.
func (k JobKind) Units() []PriceUnit {
	if !k.Valid() {
		return nil
	}
	return kindUnits[k]
}

// Valid reports whether u is one of the defined units.
func (u PriceUnit) Valid() bool { _, ok := unitInfo[u]; return ok }

// Kind returns the job kind the unit prices.
func (u PriceUnit) Kind() JobKind { return unitInfo[u].kind }

// Divisor returns how many counted measures one unit is: 1000 characters,
// 60 audio seconds, 1000 tokens, 1 frame, 1 GPU-second.
func (u PriceUnit) Divisor() uint64 { return unitInfo[u].divisor }

// Cost returns ceil(price*quantity/Divisor) for quantity counted measures
// (frames, GPU-seconds, characters, audio seconds, tokens) as a new big.Int.
// Rounding up means a quote never undercuts what the provider will charge.
// It panics if price is nil or u is invalid; callers validate first.
func (u PriceUnit) Cost(price *big.Int, quantity uint64) *big.Int {
	d := u.Divisor()
	if d == 0 {
		panic("gpumarket: Cost of invalid unit " + string(u))
	}
	c := new(big.Int).Mul(price, new(big.Int).SetUint64(quantity))
	if d == 1 {
		return c
	}
	div := new(big.Int).SetUint64(d)
	c.Add(c, new(big.Int).SetUint64(d-1))
	return c.Quo(c, div)
}

// Price is a provider's price for one unit, in base units of the
// attestation's payment token.
type Price struct {
	Unit   PriceUnit
	Amount *big.Int
}

type priceJSON struct {
	Unit   PriceUnit `json:"unit"`
	Amount string    `json:"amount"`
}

// MarshalJSON encodes the amount as a decimal string so that no JSON reader
// rounds it through a float.
func (p Price) MarshalJSON() ([]byte, error) {
	amt := ""
	if p.Amount != nil {
		amt = p.Amount.String()
	}
	return json.Marshal(priceJSON{Unit: p.Unit, Amount: amt})
}

// UnmarshalJSON decodes {"unit": ..., "amount": "decimal"} strictly: unknown
// fields and non-decimal amounts are EINVALID errors.
func (p *Price) UnmarshalJSON(b []byte) error {
	var w priceJSON
	if err := strictUnmarshal(b, &w); err != nil {
		return err
	}
	amt, err := ParseAmount(w.Amount)
	if err != nil {
		return err
	}
	p.Unit, p.Amount = w.Unit, amt
	return nil
}

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

// Benchmark is one measured figure, e.g. {"llama-3-8b-q4", "tokens_per_second",
// 95500} for 95.5 tokens/s. Values are integers in thousandths of the unit so
// that the document hashes the same everywhere.
type Benchmark struct {
	Name       string `json:"name"`
	Unit       string `json:"unit"`
	ValueMilli uint64 `json:"value_milli"`
}

// Attestation is the document a provider's registered signer signs about its
// machine: hardware, software stack, what it serves, at what prices, where,
// and until when. Its EIP-712 struct hash (see internal/eth) is the
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
	if len(a.Benchmarks) > MaxBenchmarks {
		return invalidField("benchmarks", "has %d entries, want at most %d", len(a.Benchmarks), MaxBenchmarks)
	}
	for i, b := range a.Benchmarks {
		if err := checkText(fmt.Sprintf("benchmarks[%d].name", i), b.Name, maxNameLen, true); err != nil {
			return err
		}
		if err := checkText(fmt.Sprintf("benchmarks[%d].unit", i), b.Unit, maxShortLen, true); err != nil {
			return err
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
	return nil
}

// Heartbeat is a provider's signed liveness report. Sequence must increase
// strictly from one accepted heartbeat to the next (replay protection);
// Timestamp is unix seconds and must be close to the receiver's clock.
// LoadBps is the current load in basis points (0 idle, 10000 saturated).
// QueueDepth is optional (nil when the provider does not report it).
type Heartbeat struct {
	Provider   Address `json:"provider"`
	Sequence   uint64  `json:"sequence"`
	Timestamp  int64   `json:"timestamp"`
	FreeSlots  uint32  `json:"free_slots"`
	LoadBps    uint32  `json:"load_bps"`
	QueueDepth *uint32 `json:"queue_depth,omitempty"`
}

// Validate returns an EINVALID error naming the first invalid field.
func (h *Heartbeat) Validate() error {
	switch {
	case h.Provider.IsZero():
		return invalidField("provider", "is the zero address")
	case h.Sequence == 0:
		return invalidField("sequence", "must be at least 1")
	case h.Timestamp < minAttestationTimestamp:
		return invalidField("timestamp", "%d is not a plausible unix time", h.Timestamp)
	case h.FreeSlots > MaxSlots:
		return invalidField("free_slots", "%d exceeds %d", h.FreeSlots, MaxSlots)
	case h.LoadBps > MaxLoadBps:
		return invalidField("load_bps", "%d exceeds %d", h.LoadBps, MaxLoadBps)
	}
	return nil
}

// ProviderStatus is a provider's availability as the matcher sees it.
type ProviderStatus uint8

// The provider statuses. A newly registered provider is offline until its
// first valid heartbeat.
const (
	ProviderOffline   ProviderStatus = iota // no recent heartbeat
	ProviderOnline                          // recent heartbeat with free slots
	ProviderBusy                            // recent heartbeat, no free slots
	ProviderSuspended                       // by an operator or because it was flagged
)

var providerStatusNames = [...]string{"offline", "online", "busy", "suspended"}

// String returns the status's lower-case name.
func (s ProviderStatus) String() string {
	if int(s) < len(providerStatusNames) {
		return providerStatusNames[s]
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// ParseProviderStatus parses a name as printed by String. It returns an
// EINVALID error for an unknown name.
func ParseProviderStatus(s string) (ProviderStatus, error) {
	for i, name := range providerStatusNames {
		if name == s {
			return ProviderStatus(i), nil
		}
	}
	return 0, Errorf(EINVALID, "unknown provider status %q", s)
}

// MarshalText encodes the status by name.
func (s ProviderStatus) MarshalText() ([]byte, error) {
	if int(s) >= len(providerStatusNames) {
		return nil, Errorf(EINVALID, "%v is not a provider status", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses a status name; unknown names are EINVALID errors.
func (s *ProviderStatus) UnmarshalText(b []byte) error {
	v, err := ParseProviderStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// providerTransitions lists, for each status, where it may go next. Leaving
// suspended always goes through offline: a provider must heartbeat again
// before it is online.
var providerTransitions = map[ProviderStatus][]ProviderStatus{
	ProviderOffline:   {ProviderOnline, ProviderBusy, ProviderSuspended},
	ProviderOnline:    {ProviderBusy, ProviderOffline, ProviderSuspended},
	ProviderBusy:      {ProviderOnline, ProviderOffline, ProviderSuspended},
	ProviderSuspended: {ProviderOffline},
}

// CanMoveTo reports whether a provider in status s may move to next.
func (s ProviderStatus) CanMoveTo(next ProviderStatus) bool {
	for _, allowed := range providerTransitions[s] {
		if allowed == next {
			return true
		}
	}
	return false
}

// Transition returns next if s may move there, and an EINVALID error naming
// both statuses otherwise.
func (s ProviderStatus) Transition(next ProviderStatus) (ProviderStatus, error) {
	if !s.CanMoveTo(next) {
		return s, Errorf(EINVALID, "provider cannot move from %s to %s", s, next)
	}
	return next, nil
}

// Estimate is a job's estimated work in counted measures. Only the fields of
// the job's kind may be set, and at least one must be non-zero:
//   - render: Frames, GPUSeconds
//   - tts: Characters
//   - stt: AudioSeconds
//   - llm: InputTokens, OutputTokens (both priced per 1k tokens)
type Estimate struct {
	Frames       uint64 `json:"frames,omitempty"`
	GPUSeconds   uint64 `json:"gpu_seconds,omitempty"`
	Characters   uint64 `json:"characters,omitempty"`
	AudioSeconds uint64 `json:"audio_seconds,omitempty"`
	InputTokens  uint64 `json:"input_tokens,omitempty"`
	OutputTokens uint64 `json:"output_tokens,omitempty"`
}

// maxEstimate bounds each measure so that sums never overflow a uint64.
const maxEstimate = 1 << 48

// Quantity returns the counted measures priced by unit u.
func (e Estimate) Quantity(u PriceUnit) uint64 {
	switch u {
	case UnitFrame:
		return e.Frames
	case UnitGPUSecond:
		return e.GPUSeconds
	case UnitKChars:
		return e.Characters
	case UnitAudioMinute:
		return e.AudioSeconds
	case UnitKTokens:
		return e.InputTokens + e.OutputTokens
	}
	return 0
}

// Usage converts the estimate to the contract's [Usage] layout for kind k.
func (e Estimate) Usage(k JobKind) Usage {
	switch k {
	case JobKindRender:
		return Usage{Units1: e.Frames, Units2: e.GPUSeconds}
	case JobKindTTS:
		return Usage{Units1: e.Characters}
	case JobKindSTT:
		return Usage{Units1: e.AudioSeconds}
	case JobKindLLM:
		return Usage{Units1: e.InputTokens, Units2: e.OutputTokens}
	}
	return Usage{}
}

func (e Estimate) validate(k JobKind) error {
	fields := []struct {
		name string
		v    uint64
		kind JobKind
	}{
		{"frames", e.Frames, JobKindRender},
		{"gpu_seconds", e.GPUSeconds, JobKindRender},
		{"characters", e.Characters, JobKindTTS},
		{"audio_seconds", e.AudioSeconds, JobKindSTT},
		{"input_tokens", e.InputTokens, JobKindLLM},
		{"output_tokens", e.OutputTokens, JobKindLLM},
	}
	var total uint64
	for _, f := range fields {
		name := "requirements.estimate." + f.name
		if f.v != 0 && f.kind != k {
			return invalidField(name, "does not apply to %v jobs", k)
		}
		if f.v > maxEstimate {
			return invalidField(name, "%d exceeds %d", f.v, uint64(maxEstimate))
		}
		total += f.v
	}
	if total == 0 {
		return invalidField("requirements.estimate", "is empty: a %v job must estimate %v", k, k.Units())
	}
	return nil
}

// Requirements are the hardware and work a job needs.
type Requirements struct {
	MinVRAMMiB uint32   `json:"min_vram_mib"`
	GPUCount   uint32   `json:"gpu_count"`
	Estimate   Estimate `json:"estimate"`
}

// JobInput is one input of a job: a name the executor knows it by, and where
// to get it (data:, https:, http: or ipfs: URI), with an optional content hash
// and size.
type JobInput struct {
	Name      string `json:"name"`
	URI       string `json:"uri"`
	SHA256    string `json:"sha256,omitempty"`
	SizeBytes uint64 `json:"size_bytes,omitempty"`
}

// JobSpec is the off-chain description of a job, stored content-addressed;
// the chain holds its hash.
type JobSpec struct {
	Kind         JobKind      `json:"kind"`
	Model        string       `json:"model"`
	Inputs       []JobInput   `json:"inputs"`
	Requirements Requirements `json:"requirements"`
}

// Validate returns an EINVALID error naming the first invalid field.
func (s *JobSpec) Validate() error {
	if !s.Kind.Valid() {
		return invalidField("kind", "%v is not a job kind", s.Kind)
	}
	if err := checkText("model", s.Model, maxNameLen, true); err != nil {
		return err
	}
	if len(s.Inputs) == 0 || len(s.Inputs) > MaxJobInputs {
		return invalidField("inputs", "has %d entries, want 1 to %d", len(s.Inputs), MaxJobInputs)
	}
	names := make(map[string]bool, len(s.Inputs))
	for i, in := range s.Inputs {
		f := fmt.Sprintf("inputs[%d]", i)
		if err := checkText(f+".name", in.Name, maxShortLen*2, true); err != nil {
			return err
		}
		if names[in.Name] {
			return invalidField(f+".name", "%q is listed twice", in.Name)
		}
		names[in.Name] = true
		if len(in.URI) == 0 || len(in.URI) > maxURILen || !utf8.ValidString(in.URI) {
			return invalidField(f+".uri", "must be 1 to %d bytes of UTF-8", maxURILen)
		}
		scheme, _, ok := strings.Cut(in.URI, ":")
		if !ok || (scheme != "data" && scheme != "https" && scheme != "http" && scheme != "ipfs") {
			return invalidField(f+".uri", "scheme %q is not data, https, http or ipfs", scheme)
		}
		if in.SHA256 != "" && !isLowerHex(in.SHA256, 64) {
			return invalidField(f+".sha256", "must be 64 lower-case hex digits")
		}
	}
	r := s.Requirements
	if r.GPUCount == 0 || r.GPUCount > MaxGPUCount {
		return invalidField("requirements.gpu_count", "%d is not in [1, %d]", r.GPUCount, MaxGPUCount)
	}
	if r.MinVRAMMiB > MaxVRAMMiB {
		return invalidField("requirements.min_vram_mib", "%d exceeds %d", r.MinVRAMMiB, MaxVRAMMiB)
	}
	return r.Estimate.validate(s.Kind)
}

// Assignment is the matcher's offer of a job to a provider: the provider may
// accept the job on-chain at Price until Expiry (unix seconds), presenting the
// matcher's EIP-712 signature over exactly these fields.
type Assignment struct {
	JobID    JobID
	Provider Address
	Price    *big.Int
	Expiry   int64
}

// Validate returns an EINVALID error naming the first invalid field.
func (a *Assignment) Validate() error {
	if a.Provider.IsZero() {
		return invalidField("provider", "is the zero address")
	}
	if err := CheckAmount("price", a.Price); err != nil {
		return err
	}
	if a.Expiry <= 0 {
		return invalidField("expiry", "%d is not a unix time", a.Expiry)
	}
	return nil
}

// DecodeAttestation reads one JSON attestation from r strictly: at most
// MaxAttestationBytes, no unknown fields, no trailing data, and valid per
// Attestation.Validate. Every failure is an EINVALID error.
func DecodeAttestation(r io.Reader) (*Attestation, error) {
	var a Attestation
	if err := decodeStrict(r, MaxAttestationBytes, "attestation", &a); err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("decode attestation: %w", err)
	}
	return &a, nil
}

// DecodeHeartbeat reads one JSON heartbeat from r strictly: at most
// MaxHeartbeatBytes, no unknown fields, no trailing data, and valid per
// Heartbeat.Validate. Every failure is an EINVALID error.
func DecodeHeartbeat(r io.Reader) (*Heartbeat, error) {
	var h Heartbeat
	if err := decodeStrict(r, MaxHeartbeatBytes, "heartbeat", &h); err != nil {
		return nil, err
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("decode heartbeat: %w", err)
	}
	return &h, nil
}

// DecodeJobSpec reads one JSON job spec from r strictly: at most
// MaxJobSpecBytes, no unknown fields, no trailing data, and valid per
// JobSpec.Validate. Every failure is an EINVALID error.
func DecodeJobSpec(r io.Reader) (*JobSpec, error) {
	var s JobSpec
	if err := decodeStrict(r, MaxJobSpecBytes, "job spec", &s); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("decode job spec: %w", err)
	}
	return &s, nil
}

func decodeStrict(r io.Reader, limit int64, what string, v any) error {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return Errorf(EINVALID, "read %s: %v", what, err)
	}
	if int64(len(b)) > limit {
		return Errorf(EINVALID, "%s is larger than %d bytes", what, limit)
	}
	if err := strictUnmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

// strictUnmarshal decodes exactly one JSON value with no unknown fields and
// nothing but white space after it; errors are EINVALID.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		return Errorf(EINVALID, "malformed JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(EINVALID, "malformed JSON: data after the value")
	}
	return nil
}

// MarshalText encodes the kind by name, so JSON carries "render", not 0.
func (k JobKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, Errorf(EINVALID, "%v is not a job kind", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText parses a kind name; unknown names are EINVALID errors.
func (k *JobKind) UnmarshalText(b []byte) error {
	v, err := ParseJobKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// MarshalText encodes the address as 0x-prefixed lower-case hex.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses a 0x-prefixed address; see ParseAddress.
func (a *Address) UnmarshalText(b []byte) error {
	v, err := ParseAddress(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalText encodes the hash as 0x-prefixed lower-case hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText parses a 0x-prefixed hash; see ParseHash.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

func invalidField(field, format string, args ...any) *Error {
	return Errorf(EINVALID, "%s: %s", field, fmt.Sprintf(format, args...))
}

// checkText requires valid UTF-8 of at most max bytes without control
// characters or surrounding white space, and non-empty when required.
func checkText(field, s string, max int, required bool) error {
	switch {
	case s == "" && required:
		return invalidField(field, "is required")
	case len(s) > max:
		return invalidField(field, "is %d bytes, want at most %d", len(s), max)
	case !utf8.ValidString(s):
		return invalidField(field, "is not valid UTF-8")
	case strings.TrimSpace(s) != s:
		return invalidField(field, "has leading or trailing white space")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return invalidField(field, "contains control character %U", r)
		}
	}
	return nil
}

func checkUnique(field string, ss []string, max int) error {
	seen := make(map[string]bool, len(ss))
	for i, s := range ss {
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), s, max, true); err != nil {
			return err
		}
		if seen[s] {
			return invalidField(fmt.Sprintf("%s[%d]", field, i), "%q is listed twice", s)
		}
		seen[s] = true
	}
	return nil
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
