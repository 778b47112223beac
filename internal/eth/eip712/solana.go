package eip712

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/mr-tron/base58"

	"github.com/gpumarket/gpumarket"
)

// SolanaWalletType binds a Solana wallet to a provider for the attestation
// whose commitment is attestation, in the "gpumarket ProviderRegistry"
// domain (see gpumarket.SolanaWallet).
const SolanaWalletType = "SolanaWallet(address provider,bytes32 wallet,bytes32 attestation)"

var solanaWalletTypes = mustParseType(SolanaWalletType)

// SolanaWalletDigest returns the digest both keys sign. It returns an
// EINVALID error for a wallet that is not a base58 32-byte key, an invalid
// attestation or domain.
func SolanaWalletDigest(d Domain, a *gpumarket.Attestation, wallet string) (gpumarket.Hash, error) {
	w, err := base58.Decode(wallet)
	if err != nil || len(w) != ed25519.PublicKeySize {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "solana wallet %.60q is not a base58 32-byte public key", wallet)
	}
	commit, err := AttestationHash(a)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("solana wallet digest: %w", err)
	}
	msg := apitypes.TypedDataMessage{
		"provider":    hexAddress(a.Provider),
		"wallet":      hexutil.Encode(w),
		"attestation": hexutil.Encode(commit[:]),
	}
	return solanaWalletTypes.digest(d, msg)
}

// SignSolanaWallet returns the binding of wallet's public key to a's
// provider, signed by wallet and by signer (the provider's registered
// signer), for a under d. Set the result as a.Solana.
func SignSolanaWallet(signer *ecdsa.PrivateKey, wallet ed25519.PrivateKey, d Domain, a *gpumarket.Attestation) (*gpumarket.SolanaWallet, error) {
	pub := base58.Encode(wallet.Public().(ed25519.PublicKey))
	dg, err := SolanaWalletDigest(d, a, pub)
	if err != nil {
		return nil, fmt.Errorf("sign solana wallet: %w", err)
	}
	sig, err := Sign(signer, dg)
	if err != nil {
		return nil, fmt.Errorf("sign solana wallet: %w", err)
	}
	return &gpumarket.SolanaWallet{Wallet: pub, WalletSignature: base58.Encode(ed25519.Sign(wallet, dg[:])), SignerSignature: hexutil.Encode(sig)}, nil
}

// VerifySolanaWallet checks a.Solana: both signatures of its statement for
// a under d, the secp256k1 one by signer. A missing binding is fine (nil);
// a bad or foreign signature is an EUNAUTHORIZED error, a malformed field
// EINVALID.
func VerifySolanaWallet(d Domain, a *gpumarket.Attestation, signer gpumarket.Address) error {
	w := a.Solana
	if w == nil {
		return nil
	}
	dg, err := SolanaWalletDigest(d, a, w.Wallet)
	if err != nil {
		return fmt.Errorf("verify solana wallet: %w", err)
	}
	pub, _ := base58.Decode(w.Wallet) // checked by SolanaWalletDigest
	esig, err := base58.Decode(w.WalletSignature)
	if err != nil || len(esig) != ed25519.SignatureSize {
		return gpumarket.Errorf(gpumarket.EINVALID, "verify solana wallet: wallet_signature is not a base58 64-byte signature")
	}
	if !ed25519.Verify(ed25519.PublicKey(pub), dg[:], esig) {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "verify solana wallet: wallet_signature is not %s's signature of the binding", w.Wallet)
	}
	ssig, err := hex.DecodeString(strings.TrimPrefix(w.SignerSignature, "0x"))
	if err != nil || !strings.HasPrefix(w.SignerSignature, "0x") {
		return gpumarket.Errorf(gpumarket.EINVALID, "verify solana wallet: signer_signature is not 0x-hex")
	}
	if err := verify("solana wallet binding", dg, ssig, signer); err != nil {
		return fmt.Errorf("verify solana wallet of %s: %w", a.Provider, err)
	}
	return nil
}
