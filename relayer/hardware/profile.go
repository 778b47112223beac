package hardware

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Profile limits and default.
const (
	MaxProfileBytes       = 64 << 10
	DefaultAttestationTTL = 24 * time.Hour
	MinAttestationTTL     = time.Minute
	MaxAttestationTTL     = gpumarket.MaxAttestationLifetime * time.Second // 30 days
)

// The sources of Hardware that Resolve reports.
const (
	SourceProfile   = "profile"
	SourceFile      = "file"
	SourceNvidiaSMI = "nvidia-smi"
)

// Profile is a provider's declared offer: where it is, how many jobs it runs
// at once, what it serves at what prices, and optionally its hardware. With
// the machine's Hardware and the provider's address it becomes an
// attestation (Profile.Attestation).
//
// In JSON (LoadProfile):
//
//	{
//	  "region": "eu-west",
//	  "slots": 4,
//	  "token": "0x…",                 // optional: the caller may fill it
//	  "capabilities": [{"kind": "llm", "models": ["llama-3-8b"],
//	                    "prices": [{"unit": "1k_tokens", "amount": "1200"}]}],
//	  "benchmarks": [...],            // optional
//	  "hardware": {...},              // optional: used instead of detection
//	  "attestation_ttl": "24h"        // optional: Go duration, 1m to 720h
//	}
//
// Prices are decimal strings in base units of the payment token, one per
// unit of the kind in the order of gpumarket.JobKind.Units.
type Profile struct {
	Region       string
	Slots        uint32
	Token        gpumarket.Address // zero: the caller must set it before Attestation
	Capabilities []gpumarket.Capability
	Benchmarks   []gpumarket.Benchmark
	Hardware     *Hardware     // nil: detect or load from a file (see Resolve)
	TTL          time.Duration // attestation lifetime; 0 means DefaultAttestationTTL
}

type profileJSON struct {
	Region         string                 `json:"region"`
	Slots          uint32                 `json:"slots"`
	Token          gpumarket.Address      `json:"token,omitzero"`
	Capabilities   []gpumarket.Capability `json:"capabilities"`
	Benchmarks     []gpumarket.Benchmark  `json:"benchmarks,omitempty"`
	Hardware       *Hardware              `json:"hardware,omitempty"`
	AttestationTTL string                 `json:"attestation_ttl,omitempty"`
}

// MarshalJSON encodes the profile in the form LoadProfile reads.
func (p Profile) MarshalJSON() ([]byte, error) {
	w := profileJSON{
		Region: p.Region, Slots: p.Slots, Token: p.Token,
		Capabilities: p.Capabilities, Benchmarks: p.Benchmarks, Hardware: p.Hardware,
	}
	if p.TTL != 0 {
		w.AttestationTTL = p.TTL.String()
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes a profile strictly with gpumarket.UnmarshalStrict
// (no unknown or duplicate fields at any depth, no trailing data) without
// validating it; errors are EINVALID.
func (p *Profile) UnmarshalJSON(b []byte) error {
	var w profileJSON
	if err := gpumarket.UnmarshalStrict(b, &w); err != nil {
		return err
	}
	var ttl time.Duration
	if w.AttestationTTL != "" {
		d, err := time.ParseDuration(w.AttestationTTL)
		if err != nil {
			return gpumarket.Errorf(gpumarket.EINVALID, "attestation_ttl: %q is not a duration such as 24h", w.AttestationTTL)
		}
		if d == 0 {
			return gpumarket.Errorf(gpumarket.EINVALID, "attestation_ttl: must not be zero (omit it for %v)", DefaultAttestationTTL)
		}
		ttl = d
	}
	*p = Profile{
		Region: w.Region, Slots: w.Slots, Token: w.Token,
		Capabilities: w.Capabilities, Benchmarks: w.Benchmarks, Hardware: w.Hardware, TTL: ttl,
	}
	return nil
}

// LoadProfile reads a profile JSON file strictly (at most MaxProfileBytes, no
// unknown fields, no trailing data) and validates it. Every failure is an
// EINVALID error naming the file and the field.
func LoadProfile(path string) (*Profile, error) {
	var p Profile
	if err := decodeFile(path, "profile", MaxProfileBytes, &p); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return &p, nil
}

// AttestationTTL returns the attestation lifetime: TTL, or
// DefaultAttestationTTL when TTL is zero.
func (p *Profile) AttestationTTL() time.Duration {
	if p.TTL == 0 {
		return DefaultAttestationTTL
	}
	return p.TTL
}

// Validate checks the profile with the root package's attestation rules
// (region, slots, capabilities, benchmarks), its hardware if present (errors
// then name "hardware.<field>") and its TTL (whole seconds in
// [MinAttestationTTL, MaxAttestationTTL]). A zero token is allowed here. It
// returns an EINVALID error naming the first wrong field.
func (p *Profile) Validate() error {
	if err := p.checkTTL(); err != nil {
		return err
	}
	if p.Hardware != nil {
		if err := p.Hardware.Validate(); err != nil {
			return gpumarket.Errorf(gpumarket.EINVALID, "hardware.%s", gpumarket.ErrorMessage(err))
		}
	}
	a := placeholderAttestation()
	p.applyOffer(a)
	if a.Token.IsZero() {
		a.Token = gpumarket.Address{1}
	}
	return a.Validate()
}

func (p *Profile) checkTTL() error {
	ttl := p.AttestationTTL()
	if ttl < MinAttestationTTL || ttl > MaxAttestationTTL || ttl%time.Second != 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "attestation_ttl: %v is not whole seconds in [%v, %v]", ttl, MinAttestationTTL, MaxAttestationTTL)
	}
	return nil
}

// applyOffer copies the profile's offer fields into a, deeply, so that the
// attestation shares no slice or amount with the profile.
func (p *Profile) applyOffer(a *gpumarket.Attestation) {
	a.Region, a.Slots, a.Token = p.Region, p.Slots, p.Token
	a.Capabilities = nil
	for _, c := range p.Capabilities {
		cc := gpumarket.Capability{Kind: c.Kind, Models: append([]string(nil), c.Models...)}
		for _, pr := range c.Prices {
			var amt *big.Int
			if pr.Amount != nil {
				amt = new(big.Int).Set(pr.Amount)
			}
			cc.Prices = append(cc.Prices, gpumarket.Price{Unit: pr.Unit, Amount: amt})
		}
		a.Capabilities = append(a.Capabilities, cc)
	}
	a.Benchmarks = append([]gpumarket.Benchmark(nil), p.Benchmarks...)
}

// Attestation builds the attestation of provider with hardware hw and the
// profile's offer, issued at now and expiring AttestationTTL later (both
// truncated to unix seconds), and validates it. It returns an EINVALID error
// naming the first wrong field, for example "token: is the zero address"
// when neither the profile nor the caller set the token. The attestation
// shares no memory with p or hw.
func (p *Profile) Attestation(provider gpumarket.Address, hw Hardware, now time.Time) (*gpumarket.Attestation, error) {
	if err := p.checkTTL(); err != nil {
		return nil, err
	}
	ttl := p.AttestationTTL()
	a := &gpumarket.Attestation{Provider: provider}
	hw.apply(a)
	p.applyOffer(a)
	a.IssuedAt = now.Unix()
	a.ExpiresAt = a.IssuedAt + int64(ttl/time.Second)
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("build attestation: %w", err)
	}
	return a, nil
}

// Resolve returns the machine's hardware and where it came from, by
// precedence: the profile's hardware (SourceProfile) if set, else the
// hardware file (SourceFile) if hardwareFile is not empty, else nvidia-smi
// (SourceNvidiaSMI, see Detect). A hardware file given alongside a profile
// with hardware is not read; callers should log the source.
//
// Errors: those of Hardware.Validate, LoadFile and Detect; when nvidia-smi is
// absent, an EINVALID error that also wraps ErrNoDetector and tells the user
// to declare the GPUs in a hardware file.
func Resolve(ctx context.Context, p *Profile, nvidiaSMI, hardwareFile string) (Hardware, string, error) {
	switch {
	case p != nil && p.Hardware != nil:
		hw := *p.Hardware
		hw.DeviceIDs = append([]string(nil), hw.DeviceIDs...)
		if err := hw.Validate(); err != nil {
			return Hardware{}, "", gpumarket.Errorf(gpumarket.EINVALID, "profile hardware.%s", gpumarket.ErrorMessage(err))
		}
		return hw, SourceProfile, nil
	case hardwareFile != "":
		hw, err := LoadFile(hardwareFile)
		if err != nil {
			return Hardware{}, "", err
		}
		return hw, SourceFile, nil
	}
	hw, err := Detect(ctx, nvidiaSMI)
	if errors.Is(err, ErrNoDetector) {
		return Hardware{}, "", fmt.Errorf("%w (%w)", gpumarket.Errorf(gpumarket.EINVALID,
			"cannot tell which GPUs this machine has: nvidia-smi is not installed; declare them in a hardware file "+
				"(JSON: gpu_model, gpu_count, vram_mib, architecture, driver_version, ...) or in the profile's \"hardware\""), err)
	}
	if err != nil {
		return Hardware{}, "", err
	}
	return hw, SourceNvidiaSMI, nil
}
