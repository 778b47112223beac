package gpumarket

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxJobSpecBytes is the size limit of a job spec's JSON encoding, enforced
// by DecodeJobSpec before any parsing.
const MaxJobSpecBytes = 256 << 10

// Structural limits of a job spec, enforced by JobSpec.Validate.
const (
	MaxJobInputs = 64
	maxURILen    = 64 << 10 // data: URIs may carry small inputs inline
)

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

// DecodeJobSpec reads one JSON job spec from r strictly: at most
// MaxJobSpecBytes, decoded by DecodeStrict (no unknown or duplicate fields,
// no trailing data), and valid per JobSpec.Validate.
// Every failure is an EINVALID error.
func DecodeJobSpec(r io.Reader) (*JobSpec, error) {
	return decodeValid[JobSpec](r, MaxJobSpecBytes, "job spec")
}
