package eip712

import (
	"crypto/ecdsa"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

var (
	tdChainID  = big.NewInt(31337)
	tdRegistry = gpumarket.Address(common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3"))
	tdMarket   = gpumarket.Address(common.HexToAddress("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"))
)

func tdAttestation() *gpumarket.Attestation {
	qd := []gpumarket.Capability{
		{Kind: gpumarket.JobKindRender, Models: []string{"blender-4.1-cycles"}, Prices: []gpumarket.Price{
			{Unit: gpumarket.UnitFrame, Amount: big.NewInt(20000)},
			{Unit: gpumarket.UnitGPUSecond, Amount: big.NewInt(150)},
		}},
		{Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-8b-instruct-q4", "mistral-7b-instruct"}, Prices: []gpumarket.Price{
			{Unit: gpumarket.UnitKTokens, Amount: new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)},
		}},
	}
	return &gpumarket.Attestation{
		Provider:          gpumarket.Address(common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")),
		GPUModel:          "NVIDIA GeForce RTX 4090",
		GPUCount:          2,
		VRAMMiB:           24564,
		Architecture:      gpumarket.ArchNVIDIA,
		CUDAVersion:       "12.4",
		DriverVersion:     "550.54.14",
		ComputeCapability: "8.9",
		DeviceIDs:         []string{"GPU-0002", "GPU-0001"},
		Slots:             4,
		Region:            "eu-west",
		Token:             gpumarket.Address(common.HexToAddress("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0")),
		Capabilities:      qd,
		Benchmarks:        []gpumarket.Benchmark{{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b-instruct-q4", Metric: gpumarket.MetricTokensPerSecond, ValueMilli: 95500, MeasuredAt: 1789990000}},
		IssuedAt:          1790000000,
		ExpiresAt:         1790086400,
	}
}

func tdHeartbeat() *gpumarket.Heartbeat {
	depth := uint32(2)
	return &gpumarket.Heartbeat{
		Provider: gpumarket.Address(common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")),
		Sequence: 7, Timestamp: 1790000100, FreeSlots: 3, LoadBps: 2500, QueueDepth: &depth,
	}
}

func tdAssignment() *gpumarket.Assignment {
	return &gpumarket.Assignment{
		JobID:    42,
		JobHash:  gpumarket.Hash(crypto.Keccak256Hash([]byte("job 42 as created"))),
		Provider: gpumarket.Address(common.HexToAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")),
		Price:    big.NewInt(3_000_000),
		Expiry:   1790000300,
	}
}

func tdKey(tb testing.TB) (*ecdsa.PrivateKey, gpumarket.Address) {
	tb.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	return k, gpumarket.Address(crypto.PubkeyToAddress(k.PublicKey))
}

func TestTypeStringsRoundTrip(t *testing.T) {
	for _, s := range []string{DomainType, AssignmentType, HeartbeatType, AttestationType, FingerprintType} {
		def := mustParseType(s)
		t.Run(def.primary, func(t *testing.T) {
			td := apitypes.TypedData{Types: def.types}
			if got := string(td.EncodeType(def.primary)); got != s {
				t.Errorf("EncodeType(%s) = %q, want %q", def.primary, got, s)
			}
		})
	}
	for _, bad := range []string{"", "A", "A(uint256)", "A(uint256 a)A(uint256 b)", "(uint256 a)", "A(uint256 a"} {
		if _, err := parseType(bad); err == nil {
			t.Errorf("parseType(%q) = nil error, want one", bad)
		}
	}
}

// TestAssignmentDigestIndependent recomputes the assignment digest by hand
// from the EIP-712 specification (the way Solidity does with abi.encode), so
// that the apitypes-based code is checked against something other than
// itself.
func TestAssignmentDigestIndependent(t *testing.T) {
	a := tdAssignment()
	word := func(b *big.Int) []byte { return math.U256Bytes(new(big.Int).Set(b)) }
	addr := func(x gpumarket.Address) []byte { return common.LeftPadBytes(x[:], 32) }
	domainSep := crypto.Keccak256(
		crypto.Keccak256([]byte(DomainType)),
		crypto.Keccak256([]byte(MarketDomainName)),
		crypto.Keccak256([]byte(DomainVersion)),
		word(tdChainID),
		addr(tdMarket),
	)
	structHash := crypto.Keccak256(
		crypto.Keccak256([]byte("Assignment(uint256 jobId,bytes32 jobHash,address provider,uint128 price,uint64 expiry)")),
		word(new(big.Int).SetUint64(uint64(a.JobID))),
		a.JobHash[:],
		addr(a.Provider),
		word(a.Price),
		word(big.NewInt(a.Expiry)),
	)
	want := gpumarket.Hash(crypto.Keccak256([]byte{0x19, 0x01}, domainSep, structHash))
	got, err := AssignmentDigest(MarketDomain(tdChainID, tdMarket), a)
	if err != nil || got != want {
		t.Fatalf("AssignmentDigest = %s, %v, want %s", got, err, want)
	}
	sep, err := MarketDomain(tdChainID, tdMarket).Separator()
	if err != nil || sep != gpumarket.Hash(domainSep) {
		t.Errorf("Separator() = %s, %v, want %x", sep, err, domainSep)
	}
}

// tdSigned is one message type under test: how to sign it and verify it.
type tdSigned struct {
	name   string
	domain Domain
	sign   func(key *ecdsa.PrivateKey, d Domain) ([]byte, error)
	verify func(d Domain, sig []byte, signer gpumarket.Address, now int64) error
	// tamper changes one signed field in a copy and verifies that instead.
	tamper func(d Domain, sig []byte, signer gpumarket.Address, now int64) error
	// expired is a time at which the message is expired, or 0 if it has none.
	expired int64
	now     int64
}

func tdSignedTypes() []tdSigned {
	att, hb, asg := tdAttestation(), tdHeartbeat(), tdAssignment()
	return []tdSigned{
		{
			name: "attestation", domain: RegistryDomain(tdChainID, tdRegistry),
			sign: func(k *ecdsa.PrivateKey, d Domain) ([]byte, error) { return SignAttestation(k, d, att) },
			verify: func(d Domain, sig []byte, s gpumarket.Address, now int64) error {
				return VerifyAttestation(d, att, sig, s, now)
			},
			tamper: func(d Domain, sig []byte, s gpumarket.Address, now int64) error {
				c := tdAttestation()
				c.Capabilities[1].Prices[0].Amount = big.NewInt(1) // cheaper than signed
				return VerifyAttestation(d, c, sig, s, now)
			},
			expired: att.ExpiresAt, now: att.IssuedAt + 10,
		},
		{
			name: "heartbeat", domain: RegistryDomain(tdChainID, tdRegistry),
			sign: func(k *ecdsa.PrivateKey, d Domain) ([]byte, error) { return SignHeartbeat(k, d, hb) },
			verify: func(d Domain, sig []byte, s gpumarket.Address, _ int64) error {
				return VerifyHeartbeat(d, hb, sig, s)
			},
			tamper: func(d Domain, sig []byte, s gpumarket.Address, _ int64) error {
				c := tdHeartbeat()
				c.Sequence++ // a replay with a bumped sequence
				return VerifyHeartbeat(d, c, sig, s)
			},
			now: hb.Timestamp,
		},
		{
			name: "assignment", domain: MarketDomain(tdChainID, tdMarket),
			sign: func(k *ecdsa.PrivateKey, d Domain) ([]byte, error) { return SignAssignment(k, d, asg) },
			verify: func(d Domain, sig []byte, s gpumarket.Address, now int64) error {
				return VerifyAssignment(d, asg, sig, s, now)
			},
			tamper: func(d Domain, sig []byte, s gpumarket.Address, now int64) error {
				c := tdAssignment()
				c.Price = new(big.Int).Add(c.Price, big.NewInt(1))
				return VerifyAssignment(d, c, sig, s, now)
			},
			expired: asg.Expiry, now: asg.Expiry - 60,
		},
	}
}

func TestSignVerify(t *testing.T) {
	for _, typ := range tdSignedTypes() {
		t.Run(typ.name, func(t *testing.T) {
			key, signer := tdKey(t)
			_, other := tdKey(t)
			sig, err := typ.sign(key, typ.domain)
			if err != nil {
				t.Fatalf("sign = %v", err)
			}
			if err := typ.verify(typ.domain, sig, signer, typ.now); err != nil {
				t.Fatalf("verify(valid) = %v, want nil", err)
			}
			wrongChain := typ.domain
			wrongChain.ChainID = big.NewInt(1)
			wrongContract := typ.domain
			wrongContract.VerifyingContract[19] ^= 1
			wrongName := typ.domain
			wrongName.Name = "gpumarket Other"
			otherKey, _ := tdKey(t)
			otherSig, err := typ.sign(otherKey, typ.domain)
			if err != nil {
				t.Fatal(err)
			}
			cases := []struct {
				name string
				err  error
			}{
				{"wrong chain id", typ.verify(wrongChain, sig, signer, typ.now)},
				{"wrong contract", typ.verify(wrongContract, sig, signer, typ.now)},
				{"wrong domain name", typ.verify(wrongName, sig, signer, typ.now)},
				{"wrong signer expected", typ.verify(typ.domain, sig, other, typ.now)},
				{"signed by another key", typ.verify(typ.domain, otherSig, signer, typ.now)},
				{"tampered field", typ.tamper(typ.domain, sig, signer, typ.now)},
				{"malleable twin", typ.verify(typ.domain, tdMalleate(sig), signer, typ.now)},
				{"v = 0", typ.verify(typ.domain, tdWithV(sig, sig[64]-27), signer, typ.now)},
				{"v = 29", typ.verify(typ.domain, tdWithV(sig, 29), signer, typ.now)},
				{"short", typ.verify(typ.domain, sig[:64], signer, typ.now)},
				{"empty", typ.verify(typ.domain, nil, signer, typ.now)},
				{"zero r", typ.verify(typ.domain, tdZeroR(sig), signer, typ.now)},
			}
			if typ.expired != 0 {
				cases = append(cases, struct {
					name string
					err  error
				}{"expired", typ.verify(typ.domain, sig, signer, typ.expired)})
			}
			if typ.name == "attestation" {
				early := tdAttestation().IssuedAt - MaxClockSkew - 1
				cases = append(cases, struct {
					name string
					err  error
				}{"not yet valid", typ.verify(typ.domain, sig, signer, early)})
			}
			for _, c := range cases {
				if gpumarket.ErrorCode(c.err) != gpumarket.EUNAUTHORIZED {
					t.Errorf("verify(%s) = %v, want %s", c.name, c.err, gpumarket.EUNAUTHORIZED)
				}
			}
		})
	}
}

// tdMalleate returns the other valid encoding of the same signature: s' = n-s
// with the recovery id flipped. ecrecover would accept it; we must not.
func tdMalleate(sig []byte) []byte {
	out := append([]byte(nil), sig...)
	s := new(big.Int).SetBytes(sig[32:64])
	copy(out[32:64], math.U256Bytes(new(big.Int).Sub(secp256k1N, s)))
	out[64] = 27 + 28 - sig[64]
	return out
}

func tdWithV(sig []byte, v byte) []byte {
	out := append([]byte(nil), sig...)
	out[64] = v
	return out
}

func tdZeroR(sig []byte) []byte {
	out := append([]byte(nil), sig...)
	clear(out[:32])
	return out
}

// TestMalleableTwinRecoversSameKey shows that the rejection in Recover is a
// policy, not luck: the raw curve recovery of the twin yields the same key.
func TestMalleableTwinRecoversSameKey(t *testing.T) {
	key, signer := tdKey(t)
	d, _ := AssignmentDigest(MarketDomain(tdChainID, tdMarket), tdAssignment())
	sig, err := Sign(key, d)
	if err != nil {
		t.Fatal(err)
	}
	twin := tdMalleate(sig)
	twin[64] -= 27
	pub, err := crypto.SigToPub(d[:], twin)
	if err != nil || gpumarket.Address(crypto.PubkeyToAddress(*pub)) != signer {
		t.Fatalf("SigToPub(twin) = %v, %v, want key of %s", pub, err, signer)
	}
	if _, err := Recover(d, tdMalleate(sig)); gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED {
		t.Fatalf("Recover(twin) = %v, want %s", err, gpumarket.EUNAUTHORIZED)
	}
}

func TestInvalidInputs(t *testing.T) {
	key, _ := tdKey(t)
	bad := tdAttestation()
	bad.GPUCount = 0
	if _, err := SignAttestation(key, RegistryDomain(tdChainID, tdRegistry), bad); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("SignAttestation(gpu_count 0) = %v, want %s", err, gpumarket.EINVALID)
	}
	if _, err := SignAssignment(key, MarketDomain(nil, tdMarket), tdAssignment()); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("SignAssignment(no chain id) = %v, want %s", err, gpumarket.EINVALID)
	}
	if _, err := SignAssignment(key, MarketDomain(tdChainID, gpumarket.Address{}), tdAssignment()); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("SignAssignment(zero contract) = %v, want %s", err, gpumarket.EINVALID)
	}
	if _, err := AssignmentTypedData(MarketDomain(nil, tdMarket), tdAssignment()); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("AssignmentTypedData(no chain id) = %v, want %s", err, gpumarket.EINVALID)
	}
	if _, err := NewAssignmentSigner(nil, MarketDomain(tdChainID, tdMarket)); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("NewAssignmentSigner(nil) = %v, want %s", err, gpumarket.EINVALID)
	}
}

func TestAssignmentSigner(t *testing.T) {
	key, addr := tdKey(t)
	d := MarketDomain(tdChainID, tdMarket)
	s, err := NewAssignmentSigner(key, d)
	if err != nil {
		t.Fatal(err)
	}
	if s.Address() != addr {
		t.Errorf("Address() = %s, want %s", s.Address(), addr)
	}
	a := tdAssignment()
	sig, err := s.SignAssignment(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyAssignment(d, a, sig, addr, a.Expiry-1); err != nil {
		t.Errorf("VerifyAssignment(signer's signature) = %v, want nil", err)
	}
}

func TestCheckCommitment(t *testing.T) {
	a := tdAttestation()
	h, err := AttestationHash(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckCommitment(a, h); err != nil {
		t.Errorf("CheckCommitment(own hash) = %v, want nil", err)
	}
	// The commitment is the struct hash, independent of the domain: the
	// same document hashes alike whatever the chain.
	b := tdAttestation()
	b.Region = "us-east"
	if err := CheckCommitment(b, h); gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED || !strings.Contains(err.Error(), "registered on-chain") {
		t.Errorf("CheckCommitment(changed region) = %v, want %s naming the commitment", err, gpumarket.EUNAUTHORIZED)
	}
	// hashStruct over the typed data equals AttestationHash.
	td, err := AttestationTypedData(RegistryDomain(tdChainID, tdRegistry), a)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := td.HashStruct("Attestation", td.Message)
	if err != nil || gpumarket.Hash(sh) != h {
		t.Errorf("HashStruct(typed data) = %x, %v, want %s", sh, err, h)
	}
}

func TestHardwareFingerprint(t *testing.T) {
	base := tdAttestation()
	signer := gpumarket.Address{0xaa}
	fp, err := HardwareFingerprint(base, signer)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(a *gpumarket.Attestation)
		signer gpumarket.Address
		same   bool
	}{
		{"driver upgrade", func(a *gpumarket.Attestation) { a.DriverVersion, a.CUDAVersion = "560.1", "12.6" }, signer, true},
		{"prices and region", func(a *gpumarket.Attestation) { a.Region = "us"; a.Slots = 1 }, signer, true},
		{"device order", func(a *gpumarket.Attestation) { a.DeviceIDs[0], a.DeviceIDs[1] = a.DeviceIDs[1], a.DeviceIDs[0] }, signer, true},
		{"other signer", func(a *gpumarket.Attestation) {}, gpumarket.Address{0xbb}, false},
		{"vram", func(a *gpumarket.Attestation) { a.VRAMMiB-- }, signer, false},
		{"gpu model", func(a *gpumarket.Attestation) { a.GPUModel = "RTX 3090" }, signer, false},
		{"device id", func(a *gpumarket.Attestation) { a.DeviceIDs[0] = "GPU-9999" }, signer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tdAttestation()
			tt.mutate(a)
			got, err := HardwareFingerprint(a, tt.signer)
			if err != nil {
				t.Fatal(err)
			}
			if (got == fp) != tt.same {
				t.Errorf("HardwareFingerprint(%s) = %s, base %s, want same=%v", tt.name, got, fp, tt.same)
			}
		})
	}
	if _, err := HardwareFingerprint(base, gpumarket.Address{}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("HardwareFingerprint(zero signer) = %v, want %s", err, gpumarket.EINVALID)
	}
}

// TestTypedDataV4JSON checks that the JSON handed to a wallet hashes to the
// digest we verify: decode it as a wallet would, hash, compare.
func TestTypedDataV4JSON(t *testing.T) {
	for _, v := range tdGoldenVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			b, err := EncodeTypedDataV4(v.td)
			if err != nil {
				t.Fatal(err)
			}
			var td apitypes.TypedData
			if err := json.Unmarshal(b, &td); err != nil {
				t.Fatal(err)
			}
			got, _, err := apitypes.TypedDataAndHash(td)
			if err != nil || gpumarket.Hash(got) != v.digest {
				t.Errorf("TypedDataAndHash(v4 JSON) = %x, %v, want %s", got, err, v.digest)
			}
		})
	}
}

// The matcher signs offers through its own narrow interface.
var _ matcher.AssignmentSigner = (*AssignmentSigner)(nil)

func TestAcceptAttestation(t *testing.T) {
	key, signer := tdKey(t)
	d := RegistryDomain(tdChainID, tdRegistry)
	a := tdAttestation()
	sig, err := SignAttestation(key, d, a)
	if err != nil {
		t.Fatal(err)
	}
	commitment, err := AttestationHash(a)
	if err != nil {
		t.Fatal(err)
	}
	now := a.IssuedAt + 1
	fp, err := AcceptAttestation(d, a, sig, signer, commitment, now)
	if err != nil {
		t.Fatalf("AcceptAttestation(valid) = %v", err)
	}
	if want, _ := HardwareFingerprint(a, signer); fp != want {
		t.Errorf("AcceptAttestation fingerprint = %s, want %s", fp, want)
	}
	// A correctly signed document that is not the one registered on-chain
	// (e.g. the provider re-signed cheaper prices without re-registering).
	b := tdAttestation()
	b.Capabilities[0].Prices[0].Amount = big.NewInt(1)
	bsig, err := SignAttestation(key, d, b)
	if err != nil {
		t.Fatal(err)
	}
	_, err = AcceptAttestation(d, b, bsig, signer, commitment, now)
	if gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED || !strings.Contains(err.Error(), "does not match the commitment") {
		t.Errorf("AcceptAttestation(unregistered document) = %v, want %s naming the commitment", err, gpumarket.EUNAUTHORIZED)
	}
	if _, err := AcceptAttestation(d, a, sig, signer, commitment, a.ExpiresAt); gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED {
		t.Errorf("AcceptAttestation(expired) = %v, want %s", err, gpumarket.EUNAUTHORIZED)
	}
	_, other := tdKey(t)
	if _, err := AcceptAttestation(d, a, sig, other, commitment, now); gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED {
		t.Errorf("AcceptAttestation(not the registered signer) = %v, want %s", err, gpumarket.EUNAUTHORIZED)
	}
}

func TestAssignmentSignerMatchesTypedData(t *testing.T) {
	key, addr, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	d := MarketDomain(big.NewInt(31337), gpumarket.Address{0xaa, 1})
	s, err := NewAssignmentSigner(key, d)
	if err != nil {
		t.Fatal(err)
	}
	maxPrice := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []gpumarket.Assignment{
		{JobID: 1, JobHash: gpumarket.Hash{1}, Provider: gpumarket.Address{1}, Price: big.NewInt(0), Expiry: 1},
		{JobID: gpumarket.JobID(^uint64(0)), JobHash: gpumarket.Hash{0xff, 31: 0xff}, Provider: gpumarket.Address{0xff, 0xff}, Price: maxPrice, Expiry: 1<<63 - 1},
	}
	for i := 0; i < 200; i++ {
		var p gpumarket.Address
		var jh gpumarket.Hash
		var price [16]byte
		for j := range p {
			p[j] = byte(rng.IntN(256))
		}
		for j := range jh {
			jh[j] = byte(rng.IntN(256))
		}
		jh[0] |= 1 // never the zero hash
		for j := range price {
			price[j] = byte(rng.IntN(256))
		}
		cases = append(cases, gpumarket.Assignment{JobID: gpumarket.JobID(rng.Uint64()), JobHash: jh, Provider: p,
			Price: new(big.Int).SetBytes(price[:rng.IntN(17)]), Expiry: 1 + rng.Int64N(1<<40)})
	}
	for _, a := range cases {
		want, err := AssignmentDigest(d, &a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Digest(&a)
		if err != nil || got != want {
			t.Fatalf("Digest(%+v) = %s, %v; the typed-data encoder gives %s", a, got, err, want)
		}
		sig, err := s.SignAssignment(&a)
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyAssignment(d, &a, sig, addr, 0); err != nil {
			t.Fatalf("VerifyAssignment: %v", err)
		}
	}
	for _, bad := range []gpumarket.Assignment{
		{JobID: 1, JobHash: gpumarket.Hash{1}, Provider: gpumarket.Address{1}, Price: new(big.Int).Add(maxPrice, big.NewInt(1)), Expiry: 1},
		{JobID: 1, JobHash: gpumarket.Hash{1}, Price: big.NewInt(1), Expiry: 1},
		{JobID: 1, JobHash: gpumarket.Hash{1}, Provider: gpumarket.Address{1}, Price: big.NewInt(-1), Expiry: 1},
		{JobID: 1, JobHash: gpumarket.Hash{1}, Provider: gpumarket.Address{1}, Price: big.NewInt(1), Expiry: 0},
		{JobID: 1, Provider: gpumarket.Address{1}, Price: big.NewInt(1), Expiry: 1}, // no job hash
	} {
		if _, err := s.Digest(&bad); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
			t.Errorf("Digest(%+v) = %v, want EINVALID", bad, err)
		}
	}
}

func BenchmarkSignAssignment(b *testing.B) {
	key, _, err := keys.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	d := MarketDomain(big.NewInt(31337), gpumarket.Address{0xaa, 1})
	s, err := NewAssignmentSigner(key, d)
	if err != nil {
		b.Fatal(err)
	}
	a := gpumarket.Assignment{JobID: 42, JobHash: gpumarket.Hash{0x42}, Provider: gpumarket.Address{7}, Price: big.NewInt(123456), Expiry: 1_900_000_000}
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.SignAssignment(&a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("typed-data", func(b *testing.B) {
		for b.Loop() {
			if _, err := SignAssignment(key, d, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
}
