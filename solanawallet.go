package gpumarket

// SolanaWallet binds a provider's Solana wallet (where clients of the
// Solana rail pay it directly) to its provider address. The statement is
// the EIP-712 message SolanaWallet(address provider, bytes32 wallet,
// bytes32 attestation) under the ProviderRegistry's domain (chain id and
// contract), where attestation is the commitment of the attestation that
// carries it, so an old binding cannot be replayed onto a new attestation.
// Both keys sign the statement's 32-byte digest: the wallet's ed25519 key
// and the provider's registered signer (secp256k1). internal/eth/eip712
// signs and verifies it; the matcher accepts an attestation only when the
// binding it carries verifies.
type SolanaWallet struct {
	// Wallet is the ed25519 public key, base58.
	Wallet string `json:"wallet"`
	// WalletSignature is the wallet key's ed25519 signature of the
	// digest, base58 (64 bytes).
	WalletSignature string `json:"wallet_signature"`
	// SignerSignature is the registered signer's signature of the digest,
	// 0x-hex r‖s‖v (65 bytes, low s).
	SignerSignature string `json:"signer_signature"`
}
