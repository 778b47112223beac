package eip712

import (
	"bytes"
	"crypto/ed25519"
	"math/big"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// TestSolanaWalletBinding: a binding signed by the wallet and the
// registered signer is accepted with its attestation, whose commitment it
// does not change; every forgery or replay is refused.
func TestSolanaWalletBinding(t *testing.T) {
	key, signer := tdKey(t)
	otherKey, _ := tdKey(t)
	d := RegistryDomain(tdChainID, tdRegistry)
	_, wallet, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	_, otherWallet, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{8}, 32)))

	a := tdAttestation()
	before, err := AttestationHash(a)
	if err != nil {
		t.Fatal(err)
	}
	bind := func(a *gpumarket.Attestation, k ed25519.PrivateKey) *gpumarket.SolanaWallet {
		w, err := SignSolanaWallet(key, k, d, a)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	a.Solana = bind(a, wallet)
	after, err := AttestationHash(a)
	if err != nil || after != before {
		t.Fatalf("AttestationHash with a Solana binding = %s, %v; want the commitment unchanged %s", after, err, before)
	}
	sig, err := SignAttestation(key, d, a)
	if err != nil {
		t.Fatal(err)
	}
	now := a.IssuedAt + 1
	if _, err := AcceptAttestation(d, a, sig, signer, before, now); err != nil {
		t.Fatalf("AcceptAttestation(bound wallet) = %v", err)
	}

	// A newer attestation (other prices) for the replay case.
	newer := tdAttestation()
	newer.Capabilities[0].Prices[0].Amount = big.NewInt(1)
	stale := bind(a, wallet)

	tests := []struct {
		name   string
		mutate func(w *gpumarket.SolanaWallet, a *gpumarket.Attestation) *gpumarket.Attestation
		code   string
	}{
		{"another wallet named", func(w *gpumarket.SolanaWallet, a *gpumarket.Attestation) *gpumarket.Attestation {
			w.Wallet = bind(a, otherWallet).Wallet
			return a
		}, gpumarket.EUNAUTHORIZED},
		{"wallet signature of another key", func(w *gpumarket.SolanaWallet, a *gpumarket.Attestation) *gpumarket.Attestation {
			w.WalletSignature = bind(a, otherWallet).WalletSignature
			return a
		}, gpumarket.EUNAUTHORIZED},
		{"signer signature by another key", func(w *gpumarket.SolanaWallet, a *gpumarket.Attestation) *gpumarket.Attestation {
			o, err := SignSolanaWallet(otherKey, wallet, d, a)
			if err != nil {
				t.Fatal(err)
			}
			w.SignerSignature = o.SignerSignature
			return a
		}, gpumarket.EUNAUTHORIZED},
		{"replayed onto a newer attestation", func(_ *gpumarket.SolanaWallet, _ *gpumarket.Attestation) *gpumarket.Attestation {
			n := *newer
			n.Solana = stale
			return &n
		}, gpumarket.EUNAUTHORIZED},
		{"wallet not base58", func(w *gpumarket.SolanaWallet, a *gpumarket.Attestation) *gpumarket.Attestation {
			w.Wallet = "0OIl"
			return a
		}, gpumarket.EINVALID},
		{"signer signature not hex", func(w *gpumarket.SolanaWallet, a *gpumarket.Attestation) *gpumarket.Attestation {
			w.SignerSignature = "zz"
			return a
		}, gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := *a
			w := *a.Solana
			b.Solana = &w
			got := tt.mutate(&w, &b)
			if err := VerifySolanaWallet(d, got, signer); gpumarket.ErrorCode(err) != tt.code {
				t.Errorf("VerifySolanaWallet() = %v, want %s", err, tt.code)
			}
		})
	}
	// The same binding under another chain's registry domain fails.
	other := RegistryDomain(big.NewInt(1), tdRegistry)
	if err := VerifySolanaWallet(other, a, signer); gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED {
		t.Errorf("VerifySolanaWallet(other chain) = %v, want EUNAUTHORIZED", err)
	}
	// No binding: nothing to check, as before.
	a.Solana = nil
	if err := VerifySolanaWallet(d, a, signer); err != nil {
		t.Errorf("VerifySolanaWallet(no binding) = %v", err)
	}
}
