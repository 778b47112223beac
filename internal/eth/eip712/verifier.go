package eip712

import (
	"math/big"

	"github.com/gpumarket/gpumarket"
)

// RegistryVerifier checks the documents providers sign under one
// ProviderRegistry's EIP-712 domain: attestations and heartbeats. It holds
// the domain so that its callers (matcher/api, through its Verifier
// interface) need no EIP-712 or go-ethereum types. It is safe for concurrent
// use.
type RegistryVerifier struct {
	domain Domain
}

// NewRegistryVerifier returns the verifier of the registry at registry on
// chain chainID. It returns an EINVALID error for a zero chain id or
// registry address.
func NewRegistryVerifier(chainID uint64, registry gpumarket.Address) (*RegistryVerifier, error) {
	if chainID == 0 || registry.IsZero() {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "registry verifier: chain id and registry address are required")
	}
	d := RegistryDomain(new(big.Int).SetUint64(chainID), registry)
	if _, err := d.Separator(); err != nil {
		return nil, err
	}
	return &RegistryVerifier{domain: d}, nil
}

// AcceptAttestation is AcceptAttestation under the verifier's domain: it
// returns the hardware fingerprint of an attestation signed by signer, valid
// at now (unix seconds) and committed on-chain as commitment. Signature,
// validity and commitment failures are EUNAUTHORIZED errors; an invalid
// document is EINVALID.
func (v *RegistryVerifier) AcceptAttestation(a *gpumarket.Attestation, sig []byte, signer gpumarket.Address, commitment gpumarket.Hash, now int64) (gpumarket.Hash, error) {
	return AcceptAttestation(v.domain, a, sig, signer, commitment, now)
}

// AttestationHash returns the attestation's commitment (AttestationHash). It
// returns an EINVALID error if the attestation is invalid.
func (v *RegistryVerifier) AttestationHash(a *gpumarket.Attestation) (gpumarket.Hash, error) {
	return AttestationHash(a)
}

// VerifyHeartbeat is VerifyHeartbeat under the verifier's domain: bad
// signatures are EUNAUTHORIZED errors.
func (v *RegistryVerifier) VerifyHeartbeat(h *gpumarket.Heartbeat, sig []byte, signer gpumarket.Address) error {
	return VerifyHeartbeat(v.domain, h, sig, signer)
}
