package daemon_test

import (
	"encoding/json"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer/daemon"
)

func TestServedModels(t *testing.T) {
	now := time.Now().Unix()
	price := []gpumarket.Price{{Unit: gpumarket.UnitKTokens, Amount: big.NewInt(1)}}
	att := gpumarket.Attestation{
		Provider: gpumarket.Address{0x01}, GPUModel: "NVIDIA H100 80GB HBM3", GPUCount: 1, VRAMMiB: 81559, Architecture: gpumarket.ArchNVIDIA,
		CUDAVersion: "12.4", DriverVersion: "550.54.14", ComputeCapability: "9.0", Slots: 1, Region: "eu-west", Token: gpumarket.Address{0x70},
		Capabilities: []gpumarket.Capability{
			{Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-8b", "mistral-7b"}, Prices: price},
			{Kind: gpumarket.JobKindTTS, Models: []string{"piper"}, Prices: []gpumarket.Price{{Unit: gpumarket.UnitKChars, Amount: big.NewInt(1)}}},
		},
		IssuedAt: now - 60, ExpiresAt: now + 3600,
	}
	raw, err := json.Marshal(att)
	if err != nil {
		t.Fatal(err)
	}
	got, err := daemon.ServedModels(&daemon.SignedAttestation{Attestation: raw})
	if err != nil {
		t.Fatal(err)
	}
	want := map[gpumarket.JobKind][]string{gpumarket.JobKindLLM: {"llama-3-8b", "mistral-7b"}, gpumarket.JobKindTTS: {"piper"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ServedModels = %v, want %v", got, want)
	}
	if _, err := daemon.ServedModels(&daemon.SignedAttestation{Attestation: []byte(`{"provider":1}`)}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("ServedModels(malformed) = %v, want EINVALID", err)
	}
}
