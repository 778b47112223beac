package eip712

import (
	"crypto/ecdsa"
	"encoding/binary"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
)

// Sign signs digest with key and returns the 65-byte signature r‖s‖v with v
// in {27, 28} and low s, as Solidity's ecrecover and OpenZeppelin's ECDSA
// expect.
func Sign(key *ecdsa.PrivateKey, digest gpumarket.Hash) ([]byte, error) {
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINTERNAL, "sign: %v", err)
	}
	sig[64] += 27
	return sig, nil
}

// secp256k1N is the order of the curve.
var secp256k1N = crypto.S256().Params().N

// CheckSignature checks that sig has the one form every signature in
// gpumarket takes, whatever it signs (EIP-712 messages here, the EIP-191
// result download requests of package resultauth): 65 bytes r‖s‖v with v in
// {27, 28} (what wallets' eth_signTypedData and personal_sign return and what
// Solidity's ecrecover and OpenZeppelin's ECDSA accept; the raw recovery ids
// 0 and 1 are refused), 0 < r, s < n and s ≤ n/2 (no malleable twin). It
// returns an EUNAUTHORIZED error naming the fault.
func CheckSignature(sig []byte) error {
	if len(sig) != 65 {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature is %d bytes, want 65", len(sig))
	}
	v := sig[64]
	if v != 27 && v != 28 {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature v is %d, want 27 or 28", v)
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if s.Cmp(new(big.Int).Rsh(secp256k1N, 1)) > 0 {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature s is in the upper half of the curve order (malleable)")
	}
	if !crypto.ValidateSignatureValues(v-27, r, s, true) {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature r or s is out of range")
	}
	return nil
}

// Recover returns the address that signed digest. The signature must pass
// [CheckSignature]; otherwise, or if recovery fails, it returns an
// EUNAUTHORIZED error.
func Recover(digest gpumarket.Hash, sig []byte) (gpumarket.Address, error) {
	if err := CheckSignature(sig); err != nil {
		return gpumarket.Address{}, err
	}
	norm := slices.Clone(sig)
	norm[64] -= 27
	pub, err := crypto.SigToPub(digest[:], norm)
	if err != nil {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature does not recover a key: %v", err)
	}
	return gpumarket.Address(crypto.PubkeyToAddress(*pub)), nil
}

func verify(what string, digest gpumarket.Hash, sig []byte, signer gpumarket.Address) error {
	got, err := Recover(digest, sig)
	if err != nil {
		return err
	}
	if got != signer {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "%s is signed by %s, want %s", what, got, signer)
	}
	return nil
}

// SignAttestation signs the attestation's digest under d with key.
func SignAttestation(key *ecdsa.PrivateKey, d Domain, a *gpumarket.Attestation) ([]byte, error) {
	h, err := AttestationDigest(d, a)
	if err != nil {
		return nil, fmt.Errorf("sign attestation: %w", err)
	}
	return Sign(key, h)
}

// VerifyAttestation checks that sig is signer's signature of a under d and
// that a is valid at unix time now (unexpired, and issued no more than
// MaxClockSkew seconds in the future). A bad, malleable or foreign signature
// (wrong signer, chain id, contract or any tampered field) and an expired or
// not yet valid attestation are EUNAUTHORIZED errors; an invalid document or
// domain is EINVALID.
func VerifyAttestation(d Domain, a *gpumarket.Attestation, sig []byte, signer gpumarket.Address, now int64) error {
	h, err := AttestationDigest(d, a)
	if err != nil {
		return fmt.Errorf("verify attestation: %w", err)
	}
	if err := verify("attestation", h, sig, signer); err != nil {
		return fmt.Errorf("verify attestation of %s: %w", a.Provider, err)
	}
	if a.Expired(now) {
		return fmt.Errorf("verify attestation of %s: %w", a.Provider,
			gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "attestation expired at %d (now %d)", a.ExpiresAt, now))
	}
	if a.IssuedAt > now+MaxClockSkew {
		return fmt.Errorf("verify attestation of %s: %w", a.Provider,
			gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "attestation issued at %d, in the future (now %d)", a.IssuedAt, now))
	}
	return nil
}

// MaxClockSkew is how far in the future (seconds) an attestation's
// issued-at may be before VerifyAttestation rejects it as not yet valid.
const MaxClockSkew = 300

// SignHeartbeat signs the heartbeat's digest under d with key.
func SignHeartbeat(key *ecdsa.PrivateKey, d Domain, h *gpumarket.Heartbeat) ([]byte, error) {
	dg, err := HeartbeatDigest(d, h)
	if err != nil {
		return nil, fmt.Errorf("sign heartbeat: %w", err)
	}
	return Sign(key, dg)
}

// VerifyHeartbeat checks that sig is signer's signature of h under d; bad
// signatures are EUNAUTHORIZED. Freshness and replay are the liveness
// machine's job (matcher.Liveness), which knows the last sequence.
func VerifyHeartbeat(d Domain, h *gpumarket.Heartbeat, sig []byte, signer gpumarket.Address) error {
	dg, err := HeartbeatDigest(d, h)
	if err != nil {
		return fmt.Errorf("verify heartbeat: %w", err)
	}
	if err := verify("heartbeat", dg, sig, signer); err != nil {
		return fmt.Errorf("verify heartbeat %d of %s: %w", h.Sequence, h.Provider, err)
	}
	return nil
}

// SignAssignment signs the assignment's digest under d with key.
func SignAssignment(key *ecdsa.PrivateKey, d Domain, a *gpumarket.Assignment) ([]byte, error) {
	dg, err := AssignmentDigest(d, a)
	if err != nil {
		return nil, fmt.Errorf("sign assignment: %w", err)
	}
	return Sign(key, dg)
}

// VerifyAssignment checks that sig is the matcher's (signer's) signature of
// a under d and that a has not expired at unix time now (it is valid while
// now < Expiry). Bad signatures and expiry are EUNAUTHORIZED errors.
func VerifyAssignment(d Domain, a *gpumarket.Assignment, sig []byte, signer gpumarket.Address, now int64) error {
	dg, err := AssignmentDigest(d, a)
	if err != nil {
		return fmt.Errorf("verify assignment: %w", err)
	}
	if err := verify("assignment", dg, sig, signer); err != nil {
		return fmt.Errorf("verify assignment of job %d: %w", a.JobID, err)
	}
	if now >= a.Expiry {
		return fmt.Errorf("verify assignment of job %d: %w", a.JobID,
			gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "assignment expired at %d (now %d)", a.Expiry, now))
	}
	return nil
}

// AssignmentSigner signs assignments with the matcher key in one market
// domain. It is safe for concurrent use. It hashes the one fixed struct
// directly, with the domain separator computed once (the matcher signs
// thousands a second); TestAssignmentSignerMatchesTypedData checks it
// against the generic EIP-712 encoder.
type AssignmentSigner struct {
	key       *ecdsa.PrivateKey
	domain    Domain
	addr      gpumarket.Address
	separator gpumarket.Hash
}

// assignmentTypeHash is keccak256(AssignmentType).
var assignmentTypeHash = crypto.Keccak256Hash([]byte(AssignmentType))

// NewAssignmentSigner returns a signer for domain d. It returns an EINVALID
// error for an invalid domain or a nil key.
func NewAssignmentSigner(key *ecdsa.PrivateKey, d Domain) (*AssignmentSigner, error) {
	if key == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new assignment signer: no key")
	}
	sep, err := d.Separator()
	if err != nil {
		return nil, fmt.Errorf("new assignment signer: %w", err)
	}
	return &AssignmentSigner{key: key, domain: d, addr: gpumarket.Address(crypto.PubkeyToAddress(key.PublicKey)), separator: sep}, nil
}

// Address returns the matcher's signing address (what the contract checks).
func (s *AssignmentSigner) Address() gpumarket.Address { return s.addr }

// Digest returns the EIP-712 digest of a in the signer's domain, equal to
// AssignmentDigest. It returns an EINVALID error for an invalid assignment.
func (s *AssignmentSigner) Digest(a *gpumarket.Assignment) (gpumarket.Hash, error) {
	if err := a.Validate(); err != nil {
		return gpumarket.Hash{}, fmt.Errorf("assignment digest: %w", err)
	}
	if a.Price.BitLen() > 128 {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "assignment price %s does not fit in a uint128", a.Price)
	}
	var enc [6 * 32]byte
	copy(enc[:32], assignmentTypeHash[:])
	binary.BigEndian.PutUint64(enc[32+24:64], uint64(a.JobID))
	copy(enc[64:96], a.JobHash[:])
	copy(enc[96+12:128], a.Provider[:])
	a.Price.FillBytes(enc[128:160])
	binary.BigEndian.PutUint64(enc[160+24:192], uint64(a.Expiry))
	structHash := crypto.Keccak256(enc[:])
	return gpumarket.Hash(crypto.Keccak256Hash([]byte{0x19, 0x01}, s.separator[:], structHash)), nil
}

// SignAssignment signs a; see the package function SignAssignment.
func (s *AssignmentSigner) SignAssignment(a *gpumarket.Assignment) ([]byte, error) {
	dg, err := s.Digest(a)
	if err != nil {
		return nil, fmt.Errorf("sign assignment: %w", err)
	}
	return Sign(s.key, dg)
}
