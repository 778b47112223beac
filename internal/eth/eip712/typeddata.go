package eip712

import (
	"crypto/ecdsa"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/gpumarket/gpumarket"
)

// The EIP-712 type strings (encodeType of the primary type: the primary type
// first, then the types it references in alphabetical order). Each is the
// single definition of its type: the apitypes.Types used for hashing are
// parsed from it, and a test checks that apitypes encodes it back unchanged.
const (
	// DomainType is the domain of every gpumarket message.
	DomainType = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"

	// AssignmentType is the matcher's offer of a job to a provider, in the
	// JobMarketplace's domain ("GpuMarket"). expiry is unix seconds. It is the
	// contract's type string exactly (contracts/abi/typed-data/Assignment.type.txt;
	// a test compares them): the contract verifies these signatures.
	AssignmentType = "Assignment(uint256 jobId,address provider,uint128 price,uint64 expiry)"

	// HeartbeatType is a provider's liveness report, in the "gpumarket
	// ProviderRegistry" domain. hasQueueDepth is false (and queueDepth 0) when
	// the provider does not report a queue depth.
	HeartbeatType = "Heartbeat(address provider,uint64 sequence,uint64 timestamp,uint32 freeSlots,uint32 loadBps,bool hasQueueDepth,uint32 queueDepth)"

	// AttestationType is the provider's attestation document, in the
	// "gpumarket ProviderRegistry" domain. Job kinds and price units are their
	// lower-case names ("llm", "1k_tokens"); amounts are token base units;
	// valueMilli is a benchmark figure in thousandths of its unit.
	AttestationType = "Attestation(address provider,string gpuModel,uint32 gpuCount,uint32 vramMiB,string architecture,string cudaVersion,string rocmVersion,string driverVersion,string computeCapability,string[] deviceIds,uint32 slots,string region,address token,Capability[] capabilities,Benchmark[] benchmarks,uint64 issuedAt,uint64 expiresAt)" +
		"Benchmark(string name,string unit,uint64 valueMilli)" +
		"Capability(string kind,string[] models,Price[] prices)" +
		"Price(string unit,uint256 amount)"

	// FingerprintType is the hardware fingerprint: the attestation's hardware
	// fields bound to the signer key. Device ids are sorted before hashing.
	// It is hashed without a domain (hashStruct only).
	FingerprintType = "HardwareFingerprint(address signer,string gpuModel,uint32 gpuCount,uint32 vramMiB,string architecture,string computeCapability,string[] deviceIds)"
)

// The domain names and version.
const (
	RegistryDomainName = "gpumarket ProviderRegistry"
	MarketDomainName   = "GpuMarket" // the JobMarketplace contract's EIP712 name
	DomainVersion      = "1"
)

// Domain is an EIP-712 domain: name, version, chain id and verifying
// contract, the four fields of DomainType.
type Domain struct {
	Name              string
	Version           string
	ChainID           *big.Int
	VerifyingContract gpumarket.Address
}

// RegistryDomain returns the domain of attestations and heartbeats: the
// ProviderRegistry contract at registry on chain chainID.
func RegistryDomain(chainID *big.Int, registry gpumarket.Address) Domain {
	return Domain{Name: RegistryDomainName, Version: DomainVersion, ChainID: chainID, VerifyingContract: registry}
}

// MarketDomain returns the domain of assignments: the JobMarket contract at
// market on chain chainID.
func MarketDomain(chainID *big.Int, market gpumarket.Address) Domain {
	return Domain{Name: MarketDomainName, Version: DomainVersion, ChainID: chainID, VerifyingContract: market}
}

func (d Domain) check() error {
	switch {
	case d.ChainID == nil || d.ChainID.Sign() <= 0 || d.ChainID.Cmp(gpumarket.MaxUint256) > 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "domain chain id %v is not a positive uint256", d.ChainID)
	case d.VerifyingContract.IsZero():
		return gpumarket.Errorf(gpumarket.EINVALID, "domain verifying contract is the zero address")
	case d.Name == "" || d.Version == "":
		return gpumarket.Errorf(gpumarket.EINVALID, "domain name and version are required")
	}
	return nil
}

func (d Domain) apitypes() apitypes.TypedDataDomain {
	return apitypes.TypedDataDomain{
		Name:              d.Name,
		Version:           d.Version,
		ChainId:           (*math.HexOrDecimal256)(new(big.Int).Set(d.ChainID)),
		VerifyingContract: common.Address(d.VerifyingContract).Hex(),
	}
}

// Separator returns the domain separator, hashStruct(EIP712Domain). It
// returns an EINVALID error for a domain without a positive chain id, a
// verifying contract, a name or a version.
func (d Domain) Separator() (gpumarket.Hash, error) {
	if err := d.check(); err != nil {
		return gpumarket.Hash{}, err
	}
	td := apitypes.TypedData{Types: domainTypes.types, Domain: d.apitypes()}
	h, err := td.HashStruct("EIP712Domain", td.Domain.Map())
	if err != nil {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINTERNAL, "hash domain: %v", err)
	}
	return gpumarket.Hash(h), nil
}

// tdTypeDef is a parsed type string.
type tdTypeDef struct {
	primary string
	types   apitypes.Types
}

var (
	domainTypes      = tdMustParseType(DomainType)
	assignmentTypes  = tdMustParseType(AssignmentType)
	heartbeatTypes   = tdMustParseType(HeartbeatType)
	attestationTypes = tdMustParseType(AttestationType)
	fingerprintTypes = tdMustParseType(FingerprintType)
)

// tdParseType parses an encodeType string "A(t1 n1,t2 n2)B(...)" into its
// primary type name and the apitypes.Types of every struct in it.
func tdParseType(s string) (tdTypeDef, error) {
	def := tdTypeDef{types: apitypes.Types{}}
	rest := s
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		closing := strings.IndexByte(rest, ')')
		if open <= 0 || closing < open {
			return def, fmt.Errorf("parse type %q: malformed near %q", s, rest)
		}
		name, body := rest[:open], rest[open+1:closing]
		rest = rest[closing+1:]
		if _, dup := def.types[name]; dup {
			return def, fmt.Errorf("parse type %q: %s defined twice", s, name)
		}
		fields := []apitypes.Type{}
		if body != "" {
			for _, member := range strings.Split(body, ",") {
				typ, field, ok := strings.Cut(member, " ")
				if !ok || typ == "" || field == "" || strings.Contains(field, " ") {
					return def, fmt.Errorf("parse type %q: malformed member %q", s, member)
				}
				fields = append(fields, apitypes.Type{Name: field, Type: typ})
			}
		}
		def.types[name] = fields
		if def.primary == "" {
			def.primary = name
		}
	}
	if def.primary == "" {
		return def, fmt.Errorf("parse type %q: empty", s)
	}
	return def, nil
}

func tdMustParseType(s string) tdTypeDef {
	def, err := tdParseType(s)
	if err != nil {
		panic(err)
	}
	if def.primary != "EIP712Domain" {
		// Every message type travels with the domain type.
		def.types["EIP712Domain"] = tdMustParseType(DomainType).types["EIP712Domain"]
	}
	return def
}

// typedData assembles the apitypes.TypedData of msg under domain d.
func (t tdTypeDef) typedData(d Domain, msg apitypes.TypedDataMessage) apitypes.TypedData {
	return apitypes.TypedData{Types: t.types, PrimaryType: t.primary, Domain: d.apitypes(), Message: msg}
}

// hashStruct returns the EIP-712 struct hash of msg.
func (t tdTypeDef) hashStruct(msg apitypes.TypedDataMessage) (gpumarket.Hash, error) {
	// apitypes refuses to encode anything without a non-empty domain, even
	// though hashStruct does not read it; the placeholder never reaches a hash.
	td := apitypes.TypedData{Types: t.types, PrimaryType: t.primary, Domain: apitypes.TypedDataDomain{Name: "unused"}}
	h, err := td.HashStruct(t.primary, msg)
	if err != nil {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "hash %s: %v", t.primary, err)
	}
	return gpumarket.Hash(h), nil
}

// digest returns keccak256("\x19\x01" ‖ domainSeparator ‖ hashStruct(msg)).
func (t tdTypeDef) digest(d Domain, msg apitypes.TypedDataMessage) (gpumarket.Hash, error) {
	sep, err := d.Separator()
	if err != nil {
		return gpumarket.Hash{}, err
	}
	sh, err := t.hashStruct(msg)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	return gpumarket.Hash(crypto.Keccak256([]byte{0x19, 0x01}, sep[:], sh[:])), nil
}

func tdDecimal(n uint64) string { return strconv.FormatUint(n, 10) }

func tdUnixSeconds(field string, t int64) (string, error) {
	if t < 0 {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "%s: %d is negative", field, t)
	}
	return tdDecimal(uint64(t)), nil
}

func tdStrList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// tdAttestationMessage is the EIP-712 message of a. Integers are decimal
// strings, addresses checksummed hex, as eth_signTypedData_v4 expects.
func tdAttestationMessage(a *gpumarket.Attestation) (apitypes.TypedDataMessage, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	caps := make([]any, len(a.Capabilities))
	for i, c := range a.Capabilities {
		prices := make([]any, len(c.Prices))
		for j, p := range c.Prices {
			prices[j] = map[string]any{"unit": string(p.Unit), "amount": p.Amount.String()}
		}
		caps[i] = map[string]any{"kind": c.Kind.String(), "models": tdStrList(c.Models), "prices": prices}
	}
	benches := make([]any, len(a.Benchmarks))
	for i, b := range a.Benchmarks {
		benches[i] = map[string]any{"name": b.Name, "unit": b.Unit, "valueMilli": tdDecimal(b.ValueMilli)}
	}
	issued, err := tdUnixSeconds("issued_at", a.IssuedAt)
	if err != nil {
		return nil, err
	}
	expires, err := tdUnixSeconds("expires_at", a.ExpiresAt)
	if err != nil {
		return nil, err
	}
	return apitypes.TypedDataMessage{
		"provider":          tdHexAddr(a.Provider),
		"gpuModel":          a.GPUModel,
		"gpuCount":          tdDecimal(uint64(a.GPUCount)),
		"vramMiB":           tdDecimal(uint64(a.VRAMMiB)),
		"architecture":      string(a.Architecture),
		"cudaVersion":       a.CUDAVersion,
		"rocmVersion":       a.ROCmVersion,
		"driverVersion":     a.DriverVersion,
		"computeCapability": a.ComputeCapability,
		"deviceIds":         tdStrList(a.DeviceIDs),
		"slots":             tdDecimal(uint64(a.Slots)),
		"region":            a.Region,
		"token":             tdHexAddr(a.Token),
		"capabilities":      caps,
		"benchmarks":        benches,
		"issuedAt":          issued,
		"expiresAt":         expires,
	}, nil
}

func tdHeartbeatMessage(h *gpumarket.Heartbeat) (apitypes.TypedDataMessage, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	var depth uint32
	if h.QueueDepth != nil {
		depth = *h.QueueDepth
	}
	ts, err := tdUnixSeconds("timestamp", h.Timestamp)
	if err != nil {
		return nil, err
	}
	return apitypes.TypedDataMessage{
		"provider":      tdHexAddr(h.Provider),
		"sequence":      tdDecimal(h.Sequence),
		"timestamp":     ts,
		"freeSlots":     tdDecimal(uint64(h.FreeSlots)),
		"loadBps":       tdDecimal(uint64(h.LoadBps)),
		"hasQueueDepth": h.QueueDepth != nil,
		"queueDepth":    tdDecimal(uint64(depth)),
	}, nil
}

func tdAssignmentMessage(a *gpumarket.Assignment) (apitypes.TypedDataMessage, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if a.Price.BitLen() > 128 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "assignment price %s does not fit in a uint128", a.Price)
	}
	return apitypes.TypedDataMessage{
		"jobId":    a.JobID.String(),
		"provider": tdHexAddr(a.Provider),
		"price":    a.Price.String(),
		"expiry":   tdDecimal(uint64(a.Expiry)),
	}, nil
}

func tdHexAddr(a gpumarket.Address) string { return common.Address(a).Hex() }

// AttestationHash returns the EIP-712 struct hash (hashStruct, no domain) of
// the attestation: the commitment a provider registers on-chain. It returns
// an EINVALID error if the attestation is invalid.
func AttestationHash(a *gpumarket.Attestation) (gpumarket.Hash, error) {
	msg, err := tdAttestationMessage(a)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("attestation hash: %w", err)
	}
	return attestationTypes.hashStruct(msg)
}

// CheckCommitment returns nil if the attestation's struct hash equals the
// commitment registered on-chain, and an EUNAUTHORIZED error naming both
// hashes otherwise (EINVALID if the attestation itself is invalid).
func CheckCommitment(a *gpumarket.Attestation, registered gpumarket.Hash) error {
	h, err := AttestationHash(a)
	if err != nil {
		return err
	}
	if h != registered {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED,
			"attestation hash %s does not match the commitment %s registered on-chain for provider %s", h, registered, a.Provider)
	}
	return nil
}

// AttestationDigest returns the EIP-712 digest the provider's signer signs.
// It returns an EINVALID error for an invalid attestation or domain.
func AttestationDigest(d Domain, a *gpumarket.Attestation) (gpumarket.Hash, error) {
	msg, err := tdAttestationMessage(a)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("attestation digest: %w", err)
	}
	return attestationTypes.digest(d, msg)
}

// HeartbeatDigest returns the EIP-712 digest of a heartbeat.
// It returns an EINVALID error for an invalid heartbeat or domain.
func HeartbeatDigest(d Domain, h *gpumarket.Heartbeat) (gpumarket.Hash, error) {
	msg, err := tdHeartbeatMessage(h)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("heartbeat digest: %w", err)
	}
	return heartbeatTypes.digest(d, msg)
}

// AssignmentDigest returns the EIP-712 digest of an assignment.
// It returns an EINVALID error for an invalid assignment or domain.
func AssignmentDigest(d Domain, a *gpumarket.Assignment) (gpumarket.Hash, error) {
	msg, err := tdAssignmentMessage(a)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("assignment digest: %w", err)
	}
	return assignmentTypes.digest(d, msg)
}

// AttestationTypedData returns the eth_signTypedData_v4 payload of an
// attestation (see EncodeTypedDataV4). It returns an EINVALID error for an
// invalid attestation or domain.
func AttestationTypedData(d Domain, a *gpumarket.Attestation) (apitypes.TypedData, error) {
	msg, err := tdAttestationMessage(a)
	if err != nil {
		return apitypes.TypedData{}, fmt.Errorf("attestation typed data: %w", err)
	}
	if err := d.check(); err != nil {
		return apitypes.TypedData{}, fmt.Errorf("attestation typed data: %w", err)
	}
	return attestationTypes.typedData(d, msg), nil
}

// HeartbeatTypedData returns the eth_signTypedData_v4 payload of a
// heartbeat. It returns an EINVALID error for an invalid heartbeat or domain.
func HeartbeatTypedData(d Domain, h *gpumarket.Heartbeat) (apitypes.TypedData, error) {
	msg, err := tdHeartbeatMessage(h)
	if err != nil {
		return apitypes.TypedData{}, fmt.Errorf("heartbeat typed data: %w", err)
	}
	if err := d.check(); err != nil {
		return apitypes.TypedData{}, fmt.Errorf("heartbeat typed data: %w", err)
	}
	return heartbeatTypes.typedData(d, msg), nil
}

// AssignmentTypedData returns the eth_signTypedData_v4 payload of an
// assignment. It returns an EINVALID error for an invalid assignment or
// domain.
func AssignmentTypedData(d Domain, a *gpumarket.Assignment) (apitypes.TypedData, error) {
	msg, err := tdAssignmentMessage(a)
	if err != nil {
		return apitypes.TypedData{}, fmt.Errorf("assignment typed data: %w", err)
	}
	if err := d.check(); err != nil {
		return apitypes.TypedData{}, fmt.Errorf("assignment typed data: %w", err)
	}
	return assignmentTypes.typedData(d, msg), nil
}

// EncodeTypedDataV4 encodes td as the JSON a wallet's eth_signTypedData_v4
// takes: types (with EIP712Domain), primaryType, domain (chainId as a
// number, no salt) and message.
func EncodeTypedDataV4(td apitypes.TypedData) ([]byte, error) {
	chainID := (*big.Int)(td.Domain.ChainId)
	if chainID == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "encode typed data: domain has no chain id")
	}
	v4 := struct {
		Types       apitypes.Types `json:"types"`
		PrimaryType string         `json:"primaryType"`
		Domain      struct {
			Name              string          `json:"name"`
			Version           string          `json:"version"`
			ChainID           json.RawMessage `json:"chainId"`
			VerifyingContract string          `json:"verifyingContract"`
		} `json:"domain"`
		Message apitypes.TypedDataMessage `json:"message"`
	}{Types: td.Types, PrimaryType: td.PrimaryType, Message: td.Message}
	v4.Domain.Name, v4.Domain.Version = td.Domain.Name, td.Domain.Version
	v4.Domain.ChainID = json.RawMessage(chainID.String())
	v4.Domain.VerifyingContract = td.Domain.VerifyingContract
	b, err := json.MarshalIndent(v4, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode typed data: %w", err)
	}
	return b, nil
}

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

// tdSecp256k1N is the order of the curve.
var tdSecp256k1N = crypto.S256().Params().N

// Recover returns the address that signed digest. The signature must be 65
// bytes r‖s‖v with v in {27, 28}, 0 < r, s < n and s ≤ n/2 (no malleable
// twin); otherwise, or if recovery fails, it returns an EUNAUTHORIZED error.
func Recover(digest gpumarket.Hash, sig []byte) (gpumarket.Address, error) {
	if len(sig) != 65 {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature is %d bytes, want 65", len(sig))
	}
	v := sig[64]
	if v != 27 && v != 28 {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature v is %d, want 27 or 28", v)
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if s.Cmp(new(big.Int).Rsh(tdSecp256k1N, 1)) > 0 {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature s is in the upper half of the curve order (malleable)")
	}
	if !crypto.ValidateSignatureValues(v-27, r, s, true) {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature r or s is out of range")
	}
	norm := slices.Clone(sig)
	norm[64] = v - 27
	pub, err := crypto.SigToPub(digest[:], norm)
	if err != nil {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature does not recover a key: %v", err)
	}
	return gpumarket.Address(crypto.PubkeyToAddress(*pub)), nil
}

func tdVerify(what string, digest gpumarket.Hash, sig []byte, signer gpumarket.Address) error {
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
	if err := tdVerify("attestation", h, sig, signer); err != nil {
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
	if err := tdVerify("heartbeat", dg, sig, signer); err != nil {
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
	if err := tdVerify("assignment", dg, sig, signer); err != nil {
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
	var enc [5 * 32]byte
	copy(enc[:32], assignmentTypeHash[:])
	binary.BigEndian.PutUint64(enc[32+24:64], uint64(a.JobID))
	copy(enc[64+12:96], a.Provider[:])
	a.Price.FillBytes(enc[96:128])
	binary.BigEndian.PutUint64(enc[128+24:160], uint64(a.Expiry))
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
