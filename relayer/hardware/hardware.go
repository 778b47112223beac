package hardware

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"

	"github.com/gpumarket/gpumarket"
)

// MaxHardwareBytes is the largest hardware file LoadFile accepts.
const MaxHardwareBytes = 64 << 10

// Hardware is what a provider attests about its GPUs: the hardware part of a
// gpumarket.Attestation, with the same JSON field names. GPUCount GPUs of
// model GPUModel with VRAMMiB MiB each (the smallest, when they differ).
// CUDAVersion is required for nvidia and must be empty otherwise; ROCmVersion
// likewise for amd; ComputeCapability is required except for apple.
// DeviceIDs is empty or has one unique entry per GPU.
type Hardware struct {
	GPUModel          string                 `json:"gpu_model"`
	GPUCount          uint32                 `json:"gpu_count"`
	VRAMMiB           uint32                 `json:"vram_mib"`
	Architecture      gpumarket.Architecture `json:"architecture"`
	CUDAVersion       string                 `json:"cuda_version,omitempty"`
	ROCmVersion       string                 `json:"rocm_version,omitempty"`
	DriverVersion     string                 `json:"driver_version"`
	ComputeCapability string                 `json:"compute_capability"`
	DeviceIDs         []string               `json:"device_ids,omitempty"`
}

// Validate checks h with the rules of gpumarket.Attestation.Validate, and for
// nvidia also that compute_capability and cuda_version look like "8.9" and
// "12.4". It returns an EINVALID error naming the first wrong field.
func (h *Hardware) Validate() error {
	a := placeholderAttestation()
	h.apply(a)
	if err := a.Validate(); err != nil {
		return err
	}
	if h.Architecture == gpumarket.ArchNVIDIA {
		if !isVersion(h.ComputeCapability) {
			return gpumarket.Errorf(gpumarket.EINVALID, "compute_capability: %q is not major.minor (for example 8.9)", h.ComputeCapability)
		}
		if !isVersion(h.CUDAVersion) {
			return gpumarket.Errorf(gpumarket.EINVALID, "cuda_version: %q is not major.minor (for example 12.4)", h.CUDAVersion)
		}
	}
	return nil
}

// apply copies h's fields into a; the device id slice is copied.
func (h *Hardware) apply(a *gpumarket.Attestation) {
	a.GPUModel = h.GPUModel
	a.GPUCount = h.GPUCount
	a.VRAMMiB = h.VRAMMiB
	a.Architecture = h.Architecture
	a.CUDAVersion = h.CUDAVersion
	a.ROCmVersion = h.ROCmVersion
	a.DriverVersion = h.DriverVersion
	a.ComputeCapability = h.ComputeCapability
	a.DeviceIDs = append([]string(nil), h.DeviceIDs...)
}

// placeholderAttestation returns a valid attestation whose hardware and offer
// fields are overwritten by the caller, so that validation reuses the root
// package's rules and any error names a field the caller set.
func placeholderAttestation() *gpumarket.Attestation {
	return &gpumarket.Attestation{
		Provider:          gpumarket.Address{1},
		GPUModel:          "placeholder",
		GPUCount:          1,
		VRAMMiB:           1,
		Architecture:      gpumarket.ArchNVIDIA,
		CUDAVersion:       "12.0",
		DriverVersion:     "1",
		ComputeCapability: "8.0",
		Slots:             1,
		Region:            "placeholder",
		Token:             gpumarket.Address{1},
		Capabilities: []gpumarket.Capability{{
			Kind:   gpumarket.JobKindLLM,
			Models: []string{"placeholder"},
			Prices: []gpumarket.Price{{Unit: gpumarket.UnitKTokens, Amount: big.NewInt(1)}},
		}},
		IssuedAt:  1_700_000_000,
		ExpiresAt: 1_700_000_001,
	}
}

// isVersion reports whether s is digits.digits (at most 4 digits each).
func isVersion(s string) bool {
	major, minor, ok := strings.Cut(s, ".")
	return ok && isDigits(major, 4) && isDigits(minor, 4)
}

func isDigits(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LoadFile reads a declared hardware JSON file (a Hardware object) strictly
// and validates it. Every failure, including a missing or unreadable file,
// is an EINVALID error naming the file.
func LoadFile(path string) (Hardware, error) {
	var h Hardware
	if err := decodeFile(path, "hardware file", MaxHardwareBytes, &h); err != nil {
		return Hardware{}, err
	}
	if err := h.Validate(); err != nil {
		return Hardware{}, fmt.Errorf("hardware file %s: %w", path, err)
	}
	return h, nil
}

// decodeFile decodes the JSON file at path into v with
// gpumarket.DecodeStrict (at most limit bytes, exactly one value, no unknown
// or duplicate fields). Errors are EINVALID and name what and path.
func decodeFile(path, what string, limit int64, v any) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return gpumarket.Errorf(gpumarket.EINVALID, "%s %s does not exist", what, path)
		}
		return gpumarket.Errorf(gpumarket.EINVALID, "open %s: %v", what, err)
	}
	defer f.Close()
	return gpumarket.DecodeStrict(f, limit, what+" "+path, v)
}
