package eip712

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/gpumarket/gpumarket"
)

var tdUpdate = flag.Bool("update-typeddata", false, "rewrite the golden files in testdata/eip712")

// tdGoldenVector is one EIP-712 test vector for the Solidity side: a fixed
// message under a fixed domain, signed by a fixed (public, test-only) key.
type tdGoldenVector struct {
	name   string
	td     apitypes.TypedData
	digest gpumarket.Hash
	file   tdGoldenFile
}

type tdGoldenFile struct {
	PrimaryType      string `json:"primaryType"`
	TypeString       string `json:"typeString"`
	TypeHash         string `json:"typeHash"`
	DomainSeparator  string `json:"domainSeparator"`
	StructHash       string `json:"structHash"`
	Digest           string `json:"digest"`
	SignerPrivateKey string `json:"signerPrivateKey"`
	Signer           string `json:"signer"`
	Signature        string `json:"signature"`
	TypedDataFile    string `json:"typedDataFile"`
}

// tdGoldenKey is a test-only key derived from a public phrase; never fund it.
func tdGoldenKey(tb testing.TB, phrase string) []byte {
	tb.Helper()
	return crypto.Keccak256([]byte(phrase))
}

func tdGoldenVectors(tb testing.TB) []tdGoldenVector {
	tb.Helper()
	reg, mkt := RegistryDomain(tdChainID, tdRegistry), MarketDomain(tdChainID, tdMarket)
	inputs := []struct {
		name, typeString, phrase string
		domain                   Domain
		typedData                func() (apitypes.TypedData, error)
	}{
		{"attestation", AttestationType, "gpumarket golden provider signer", reg,
			func() (apitypes.TypedData, error) { return AttestationTypedData(reg, tdAttestation()) }},
		{"heartbeat", HeartbeatType, "gpumarket golden provider signer", reg,
			func() (apitypes.TypedData, error) { return HeartbeatTypedData(reg, tdHeartbeat()) }},
		{"assignment", AssignmentType, "gpumarket golden matcher signer", mkt,
			func() (apitypes.TypedData, error) { return AssignmentTypedData(mkt, tdAssignment()) }},
	}
	var out []tdGoldenVector
	for _, in := range inputs {
		td, err := in.typedData()
		if err != nil {
			tb.Fatal(err)
		}
		digest, _, err := apitypes.TypedDataAndHash(td)
		if err != nil {
			tb.Fatal(err)
		}
		sep, err := in.domain.Separator()
		if err != nil {
			tb.Fatal(err)
		}
		sh, err := td.HashStruct(td.PrimaryType, td.Message)
		if err != nil {
			tb.Fatal(err)
		}
		raw := tdGoldenKey(tb, in.phrase)
		key, err := crypto.ToECDSA(raw)
		if err != nil {
			tb.Fatal(err)
		}
		sig, err := Sign(key, gpumarket.Hash(digest))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, tdGoldenVector{name: in.name, td: td, digest: gpumarket.Hash(digest), file: tdGoldenFile{
			PrimaryType:      td.PrimaryType,
			TypeString:       in.typeString,
			TypeHash:         "0x" + hex.EncodeToString(crypto.Keccak256([]byte(in.typeString))),
			DomainSeparator:  sep.String(),
			StructHash:       "0x" + hex.EncodeToString(sh),
			Digest:           gpumarket.Hash(digest).String(),
			SignerPrivateKey: "0x" + hex.EncodeToString(raw),
			Signer:           crypto.PubkeyToAddress(key.PublicKey).Hex(),
			Signature:        "0x" + hex.EncodeToString(sig),
			TypedDataFile:    in.name + ".typeddata.json",
		}})
	}
	return out
}

// TestGoldenVectors compares the vectors and the eth_signTypedData_v4 JSON
// with testdata/eip712; run with -update-typeddata to rewrite them after an intended
// change of a type string (and tell the Solidity side).
func TestGoldenVectors(t *testing.T) {
	dir := filepath.Join("testdata", "eip712")
	vectors := tdGoldenVectors(t)
	all := map[string]tdGoldenFile{}
	for _, v := range vectors {
		all[v.name] = v.file
		tdJSON, err := EncodeTypedDataV4(v.td)
		if err != nil {
			t.Fatal(err)
		}
		tdCompareGolden(t, filepath.Join(dir, v.file.TypedDataFile), append(tdJSON, '\n'))
		// The recorded signature verifies against the recorded signer.
		sig, _ := hex.DecodeString(v.file.Signature[2:])
		signer, _ := gpumarket.ParseAddress(v.file.Signer)
		if got, err := Recover(v.digest, sig); err != nil || got != signer {
			t.Errorf("Recover(%s golden signature) = %s, %v, want %s", v.name, got, err, signer)
		}
	}
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	tdCompareGolden(t, filepath.Join(dir, "vectors.json"), append(b, '\n'))
}

func tdCompareGolden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *tdUpdate {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden file (run go test -run TestGoldenVectors -tdUpdate to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the generated output:\n%s\nwant:\n%s", path, got, want)
	}
}
