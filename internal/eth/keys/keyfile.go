package keys

import (
	"bytes"
	"crypto/ecdsa"
	"hash"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
)

// maxKeyFileBytes bounds a private key file: 0x, 64 hex digits and a newline,
// with room for a carriage return.
const maxKeyFileBytes = 128

// ReadKeyFile reads a private key stored as hex (with or without 0x, one
// line) in the file at path, which, like a password file, must not be
// accessible to other users. Errors are ENOTFOUND for a missing file and
// EINVALID otherwise; the key is never in an error.
func ReadKeyFile(path string) (*ecdsa.PrivateKey, error) {
	b, err := readLimited(path, "private key file", maxKeyFileBytes, checkPasswordMode)
	if err != nil {
		return nil, err
	}
	k, err := ParseKey(string(bytes.TrimSpace(b)))
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "private key file %s does not hold a hex private key", path)
	}
	return k, nil
}

// NewKeccak256 returns a streaming keccak256 (Ethereum's, not SHA3-256),
// for hashing a result as it is downloaded.
func NewKeccak256() hash.Hash { return crypto.NewKeccakState() }
