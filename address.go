package gpumarket

import (
	"encoding/hex"
	"strings"
)

// Address is a 20-byte EVM account address as the domain sees it. Checksummed
// (EIP-55) formatting needs keccak and lives in internal/eth/market; String gives
// lower-case hex.
type Address [20]byte

// Hash is a 32-byte hash (keccak256 on the EVM side).
type Hash [32]byte

// ParseAddress parses a 0x-prefixed 40-hex-digit address (any case). It
// returns an EINVALID error otherwise.
func ParseAddress(s string) (Address, error) {
	var a Address
	if err := parseHex(s, a[:]); err != nil {
		return a, Errorf(EINVALID, "address %s: %v", quoteInput(s), err)
	}
	return a, nil
}

// ParseHash parses a 0x-prefixed 64-hex-digit hash. It returns an EINVALID
// error otherwise.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if err := parseHex(s, h[:]); err != nil {
		return h, Errorf(EINVALID, "hash %s: %v", quoteInput(s), err)
	}
	return h, nil
}

func parseHex(s string, dst []byte) error {
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok {
		digits, ok = strings.CutPrefix(s, "0X")
	}
	if !ok {
		return errString("missing 0x prefix")
	}
	if len(digits) != 2*len(dst) {
		return errString("want " + itoa(2*len(dst)) + " hex digits, got " + itoa(len(digits)))
	}
	if _, err := hex.Decode(dst, []byte(digits)); err != nil {
		return errString("not hex")
	}
	return nil
}

// String returns the address as 0x-prefixed lower-case hex.
func (a Address) String() string { return "0x" + hex.EncodeToString(a[:]) }

// IsZero reports whether a is the zero address.
func (a Address) IsZero() bool { return a == Address{} }

// String returns the hash as 0x-prefixed lower-case hex.
func (h Hash) String() string { return "0x" + hex.EncodeToString(h[:]) }

// IsZero reports whether h is all zeros.
func (h Hash) IsZero() bool { return h == Hash{} }

// MarshalText encodes the address as 0x-prefixed lower-case hex.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses a 0x-prefixed address; see ParseAddress.
func (a *Address) UnmarshalText(b []byte) error { return unmarshalParsed(a, ParseAddress, b) }

// MarshalText encodes the hash as 0x-prefixed lower-case hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText parses a 0x-prefixed hash; see ParseHash.
func (h *Hash) UnmarshalText(b []byte) error { return unmarshalParsed(h, ParseHash, b) }

// unmarshalParsed sets *dst to parse(b), leaving it unchanged on error.
func unmarshalParsed[T any](dst *T, parse func(string) (T, error), b []byte) error {
	v, err := parse(string(b))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}
