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

// Amount is an exact token amount in base units, an integer in
// [0, 2^256-1]. The zero value is 0. An Amount never shares its *big.Int
// with a caller: constructors copy, and Big returns a copy, so a value
// cannot change after it is made.
//
// As text (MarshalText, String) an amount is its decimal digits; as JSON it
// is a string of those digits ("1000000"), because JSON numbers lose
// precision above 2^53 in most decoders. Decoding is as strict as
// ParseAmount.
type Amount struct {
	v *big.Int // nil means 0
}

// NewAmount returns x as an Amount. It returns an EINVALID error when x is
// nil, negative or larger than 2^256-1.
func NewAmount(x *big.Int) (Amount, error) {
	if err := CheckAmount("amount", x); err != nil {
		return Amount{}, err
	}
	return Amount{v: new(big.Int).Set(x)}, nil
}

// MustAmount is NewAmount for values known to be in range (constants,
// tests); it panics otherwise.
func MustAmount(x *big.Int) Amount {
	a, err := NewAmount(x)
	if err != nil {
		panic(err)
	}
	return a
}

// AmountFromUint64 returns u as an Amount.
func AmountFromUint64(u uint64) Amount {
	return Amount{v: new(big.Int).SetUint64(u)}
}

// Big returns the amount as a new *big.Int that the caller may modify.
func (a Amount) Big() *big.Int {
	if a.v == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(a.v)
}

// String returns the amount's decimal digits.
func (a Amount) String() string {
	if a.v == nil {
		return "0"
	}
	return a.v.String()
}

// IsZero reports whether the amount is 0.
func (a Amount) IsZero() bool { return a.v == nil || a.v.Sign() == 0 }

// Cmp compares a and b: -1 if a < b, 0 if a == b, +1 if a > b.
func (a Amount) Cmp(b Amount) int {
	switch {
	case a.v == nil && b.v == nil:
		return 0
	case a.v == nil:
		return -b.v.Sign()
	case b.v == nil:
		return a.v.Sign()
	}
	return a.v.Cmp(b.v)
}

// MarshalText returns the amount's decimal digits.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses decimal digits as ParseAmount does; it returns
// ParseAmount's EINVALID error and leaves a unchanged for anything else.
func (a *Amount) UnmarshalText(b []byte) error {
	n, err := ParseAmount(string(b))
	if err != nil {
		return err
	}
	a.v = n
	return nil
}

// MarshalJSON returns the amount as a JSON string of decimal digits.
func (a Amount) MarshalJSON() ([]byte, error) {
	s := a.String()
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// UnmarshalJSON parses a JSON string of decimal digits (JSON null leaves a
// unchanged, as encoding/json's convention is). It returns an EINVALID error
// for a JSON number (which would lose precision), escapes, or digits
// ParseAmount rejects.
func (a *Amount) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return Errorf(EINVALID, "amount %s is not a JSON string of decimal digits", b)
	}
	return a.UnmarshalText(b[1 : len(b)-1])
}
