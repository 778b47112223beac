package eip712

import (
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/gpumarket/gpumarket"
)

// HardwareFingerprint returns the provider's hardware fingerprint:
// hashStruct(FingerprintType) over the attestation's hardware fields (GPU
// model, count, VRAM per GPU, architecture, compute capability, device ids in
// sorted order) and the signer address. Because the signer is inside the
// hash and the attestation must be signed by that signer, a provider cannot
// present another's fingerprint without its key; the same machine attested
// by two providers under one key yields the same fingerprint, which the
// liveness machine flags. Software versions (driver, CUDA, ROCm) are left
// out so that upgrades do not change the fingerprint. It returns an EINVALID
// error for an invalid attestation or a zero signer.
func HardwareFingerprint(a *gpumarket.Attestation, signer gpumarket.Address) (gpumarket.Hash, error) {
	if err := a.Validate(); err != nil {
		return gpumarket.Hash{}, fmt.Errorf("hardware fingerprint: %w", err)
	}
	if signer.IsZero() {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "hardware fingerprint: signer is the zero address")
	}
	ids := slices.Clone(a.DeviceIDs)
	slices.Sort(ids)
	return fingerprintTypes.hashStruct(apitypes.TypedDataMessage{
		"signer":            hexAddress(signer),
		"gpuModel":          a.GPUModel,
		"gpuCount":          decimalString(uint64(a.GPUCount)),
		"vramMiB":           decimalString(uint64(a.VRAMMiB)),
		"architecture":      string(a.Architecture),
		"computeCapability": a.ComputeCapability,
		"deviceIds":         stringList(ids),
	})
}

// AcceptAttestation runs every check an attestation must pass before the
// matcher uses it, and returns its hardware fingerprint for the liveness
// machine (matcher.Liveness.Attest):
//   - signed by the provider's registered signer under d (EIP-712), low-s;
//   - valid at unix time now (unexpired, not issued in the future);
//   - its struct hash equals the commitment registered on-chain;
//   - a Solana wallet binding it carries is signed by the wallet and by
//     signer (VerifySolanaWallet).
//
// Signature, validity and commitment failures are EUNAUTHORIZED errors with
// a reason; an invalid document or domain is EINVALID.
func AcceptAttestation(d Domain, a *gpumarket.Attestation, sig []byte, signer gpumarket.Address, commitment gpumarket.Hash, now int64) (gpumarket.Hash, error) {
	if err := VerifyAttestation(d, a, sig, signer, now); err != nil {
		return gpumarket.Hash{}, fmt.Errorf("accept attestation: %w", err)
	}
	if err := CheckCommitment(a, commitment); err != nil {
		return gpumarket.Hash{}, fmt.Errorf("accept attestation: %w", err)
	}
	if err := VerifySolanaWallet(d, a, signer); err != nil {
		return gpumarket.Hash{}, fmt.Errorf("accept attestation: %w", err)
	}
	fp, err := HardwareFingerprint(a, signer)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("accept attestation: %w", err)
	}
	return fp, nil
}
