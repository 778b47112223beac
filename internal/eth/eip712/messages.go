package eip712

import (
	"encoding/json"
	"fmt"
	"math/big"
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
	AssignmentType = "Assignment(uint256 jobId,bytes32 jobHash,address provider,uint128 price,uint64 expiry)"

	// HeartbeatType is a provider's liveness report, in the "gpumarket
	// ProviderRegistry" domain. hasQueueDepth is false (and queueDepth 0) when
	// the provider does not report a queue depth.
	HeartbeatType = "Heartbeat(address provider,uint64 sequence,uint64 timestamp,uint32 freeSlots,uint32 loadBps,bool hasQueueDepth,uint32 queueDepth)"

	// AttestationType is the provider's attestation document, in the
	// "gpumarket ProviderRegistry" domain. Job kinds and price units are their
	// lower-case names ("llm", "1k_tokens"); amounts are token base units;
	// a benchmark is measured by `gpumarket relayer check`: valueMilli in
	// thousandths of its metric's unit, measuredAt in unix seconds.
	AttestationType = "Attestation(address provider,string gpuModel,uint32 gpuCount,uint32 vramMiB,string architecture,string cudaVersion,string rocmVersion,string driverVersion,string computeCapability,string[] deviceIds,uint32 slots,string region,address token,Capability[] capabilities,Benchmark[] benchmarks,uint64 issuedAt,uint64 expiresAt)" +
		"Benchmark(string kind,string model,string metric,uint64 valueMilli,uint64 measuredAt)" +
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

// typeDef is a parsed type string.
type typeDef struct {
	primary string
	types   apitypes.Types
}

var (
	domainTypes      = mustParseType(DomainType)
	assignmentTypes  = mustParseType(AssignmentType)
	heartbeatTypes   = mustParseType(HeartbeatType)
	attestationTypes = mustParseType(AttestationType)
	fingerprintTypes = mustParseType(FingerprintType)
)

// parseType parses an encodeType string "A(t1 n1,t2 n2)B(...)" into its
// primary type name and the apitypes.Types of every struct in it.
func parseType(s string) (typeDef, error) {
	def := typeDef{types: apitypes.Types{}}
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

func mustParseType(s string) typeDef {
	def, err := parseType(s)
	if err != nil {
		panic(err)
	}
	if def.primary != "EIP712Domain" {
		// Every message type travels with the domain type.
		def.types["EIP712Domain"] = mustParseType(DomainType).types["EIP712Domain"]
	}
	return def
}

// typedData assembles the apitypes.TypedData of msg under domain d.
func (t typeDef) typedData(d Domain, msg apitypes.TypedDataMessage) apitypes.TypedData {
	return apitypes.TypedData{Types: t.types, PrimaryType: t.primary, Domain: d.apitypes(), Message: msg}
}

// hashStruct returns the EIP-712 struct hash of msg.
func (t typeDef) hashStruct(msg apitypes.TypedDataMessage) (gpumarket.Hash, error) {
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
func (t typeDef) digest(d Domain, msg apitypes.TypedDataMessage) (gpumarket.Hash, error) {
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

func decimalString(n uint64) string { return strconv.FormatUint(n, 10) }

func unixSeconds(field string, t int64) (string, error) {
	if t < 0 {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "%s: %d is negative", field, t)
	}
	return decimalString(uint64(t)), nil
}

func stringList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// attestationMessage is the EIP-712 message of a. Integers are decimal
// strings, addresses checksummed hex, as eth_signTypedData_v4 expects.
func attestationMessage(a *gpumarket.Attestation) (apitypes.TypedDataMessage, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	caps := make([]any, len(a.Capabilities))
	for i, c := range a.Capabilities {
		prices := make([]any, len(c.Prices))
		for j, p := range c.Prices {
			prices[j] = map[string]any{"unit": string(p.Unit), "amount": p.Amount.String()}
		}
		caps[i] = map[string]any{"kind": c.Kind.String(), "models": stringList(c.Models), "prices": prices}
	}
	benches := make([]any, len(a.Benchmarks))
	for i, b := range a.Benchmarks {
		measured, err := unixSeconds(fmt.Sprintf("benchmarks[%d].measured_at", i), b.MeasuredAt)
		if err != nil {
			return nil, err
		}
		benches[i] = map[string]any{"kind": b.Kind.String(), "model": b.Model, "metric": b.Metric, "valueMilli": decimalString(b.ValueMilli), "measuredAt": measured}
	}
	issued, err := unixSeconds("issued_at", a.IssuedAt)
	if err != nil {
		return nil, err
	}
	expires, err := unixSeconds("expires_at", a.ExpiresAt)
	if err != nil {
		return nil, err
	}
	return apitypes.TypedDataMessage{
		"provider":          hexAddress(a.Provider),
		"gpuModel":          a.GPUModel,
		"gpuCount":          decimalString(uint64(a.GPUCount)),
		"vramMiB":           decimalString(uint64(a.VRAMMiB)),
		"architecture":      string(a.Architecture),
		"cudaVersion":       a.CUDAVersion,
		"rocmVersion":       a.ROCmVersion,
		"driverVersion":     a.DriverVersion,
		"computeCapability": a.ComputeCapability,
		"deviceIds":         stringList(a.DeviceIDs),
		"slots":             decimalString(uint64(a.Slots)),
		"region":            a.Region,
		"token":             hexAddress(a.Token),
		"capabilities":      caps,
		"benchmarks":        benches,
		"issuedAt":          issued,
		"expiresAt":         expires,
	}, nil
}

func heartbeatMessage(h *gpumarket.Heartbeat) (apitypes.TypedDataMessage, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	var depth uint32
	if h.QueueDepth != nil {
		depth = *h.QueueDepth
	}
	ts, err := unixSeconds("timestamp", h.Timestamp)
	if err != nil {
		return nil, err
	}
	return apitypes.TypedDataMessage{
		"provider":      hexAddress(h.Provider),
		"sequence":      decimalString(h.Sequence),
		"timestamp":     ts,
		"freeSlots":     decimalString(uint64(h.FreeSlots)),
		"loadBps":       decimalString(uint64(h.LoadBps)),
		"hasQueueDepth": h.QueueDepth != nil,
		"queueDepth":    decimalString(uint64(depth)),
	}, nil
}

func assignmentMessage(a *gpumarket.Assignment) (apitypes.TypedDataMessage, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if a.Price.BitLen() > 128 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "assignment price %s does not fit in a uint128", a.Price)
	}
	return apitypes.TypedDataMessage{
		"jobId":    a.JobID.String(),
		"jobHash":  a.JobHash.String(),
		"provider": hexAddress(a.Provider),
		"price":    a.Price.String(),
		"expiry":   decimalString(uint64(a.Expiry)),
	}, nil
}

func hexAddress(a gpumarket.Address) string { return common.Address(a).Hex() }

// AttestationHash returns the EIP-712 struct hash (hashStruct, no domain) of
// the attestation: the commitment a provider registers on-chain. It returns
// an EINVALID error if the attestation is invalid.
func AttestationHash(a *gpumarket.Attestation) (gpumarket.Hash, error) {
	msg, err := attestationMessage(a)
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
	msg, err := attestationMessage(a)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("attestation digest: %w", err)
	}
	return attestationTypes.digest(d, msg)
}

// HeartbeatDigest returns the EIP-712 digest of a heartbeat.
// It returns an EINVALID error for an invalid heartbeat or domain.
func HeartbeatDigest(d Domain, h *gpumarket.Heartbeat) (gpumarket.Hash, error) {
	msg, err := heartbeatMessage(h)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("heartbeat digest: %w", err)
	}
	return heartbeatTypes.digest(d, msg)
}

// AssignmentDigest returns the EIP-712 digest of an assignment.
// It returns an EINVALID error for an invalid assignment or domain.
func AssignmentDigest(d Domain, a *gpumarket.Assignment) (gpumarket.Hash, error) {
	msg, err := assignmentMessage(a)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("assignment digest: %w", err)
	}
	return assignmentTypes.digest(d, msg)
}

// AttestationTypedData returns the eth_signTypedData_v4 payload of an
// attestation (see EncodeTypedDataV4). It returns an EINVALID error for an
// invalid attestation or domain.
func AttestationTypedData(d Domain, a *gpumarket.Attestation) (apitypes.TypedData, error) {
	msg, err := attestationMessage(a)
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
	msg, err := heartbeatMessage(h)
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
	msg, err := assignmentMessage(a)
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
