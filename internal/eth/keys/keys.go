package keys

import (
	"crypto/ecdsa"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
)

// Keccak256 returns the keccak256 hash of b (the hash of job specs).
func Keccak256(b []byte) gpumarket.Hash { return gpumarket.Hash(crypto.Keccak256Hash(b)) }

// GenerateKey returns a new random secp256k1 key and its address.
func GenerateKey() (*ecdsa.PrivateKey, gpumarket.Address, error) {
	k, err := crypto.GenerateKey()
	if err != nil {
		return nil, gpumarket.Address{}, fmt.Errorf("generate key: %w", err)
	}
	return k, KeyAddress(k), nil
}

// KeyAddress returns the address of key.
func KeyAddress(key *ecdsa.PrivateKey) gpumarket.Address {
	return gpumarket.Address(crypto.PubkeyToAddress(key.PublicKey))
}

// EncryptKeystoreKey encrypts key into a keystore (V3) JSON document with
// password, with light scrypt parameters (for tests and tools).
func EncryptKeystoreKey(key *ecdsa.PrivateKey, password string) ([]byte, error) {
	k := &keystore.Key{Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key}
	b, err := keystore.EncryptKey(k, password, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return nil, fmt.Errorf("encrypt keystore: %w", err)
	}
	return b, nil
}

// ParseKey parses a hex private key (with or without 0x).
func ParseKey(hexKey string) (*ecdsa.PrivateKey, error) {
	k, err := crypto.HexToECDSA(strings.TrimPrefix(hexKey, "0x"))
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "private key: %v", err)
	}
	return k, nil
}

// FormatKey returns key as 0x-prefixed hex, what ParseKey reads (and
// Foundry's --private-key takes). It is a secret: write it only to a file
// no other user can read, never to a log.
func FormatKey(key *ecdsa.PrivateKey) string {
	return "0x" + fmt.Sprintf("%x", crypto.FromECDSA(key))
}
