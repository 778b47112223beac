package gpumarket

import "math/big"

// MaxUint256 is 2^256 - 1, the largest amount a uint256 can hold.
var MaxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// ParseAmount parses a decimal amount in token base units. It returns an
// EINVALID error for anything that is not a decimal integer in [0, 2^256-1]:
// signs, fractions, exponents, hex and whitespace are all rejected, so that an
// amount never silently means something other than what was typed.
func ParseAmount(s string) (*big.Int, error) {
	if s == "" || len(s) > 78 {
		return nil, Errorf(EINVALID, "amount %q is not a decimal integer of at most 78 digits", s)
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return nil, Errorf(EINVALID, "amount %q is not a non-negative decimal integer", s)
		}
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok || n.Cmp(MaxUint256) > 0 {
		return nil, Errorf(EINVALID, "amount %q does not fit in a uint256", s)
	}
	return n, nil
}

// CheckAmount returns an EINVALID error naming field when a is nil, negative
// or larger than 2^256-1.
func CheckAmount(field string, a *big.Int) error {
	switch {
	case a == nil:
		return Errorf(EINVALID, "%s: amount is missing", field)
	case a.Sign() < 0:
		return Errorf(EINVALID, "%s: amount %s is negative", field, a)
	case a.Cmp(MaxUint256) > 0:
		return Errorf(EINVALID, "%s: amount %s does not fit in a uint256", field, a)
	}
	return nil
}
