package client

import (
	"math/big"
	"strings"

	"github.com/gpumarket/gpumarket"
)

// ParseTokenAmount parses a decimal amount in a token's human units ("5",
// "0.012") into base units with the token's decimals: "5" with 6 decimals
// is 5000000. It returns an EINVALID error for anything but digits with at
// most one point, for more fractional digits than decimals, and for an
// amount beyond uint128.
func ParseTokenAmount(s string, decimals uint8) (*big.Int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) || len(s) > 80 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "amount %q is not a decimal number", s)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > int(decimals) {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "amount %q has more than the token's %d decimals", s, decimals)
	}
	v, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", int(decimals)-len(frac)), 10)
	if !ok {
		v = new(big.Int)
	}
	if v.BitLen() > 128 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "amount %q is too large", s)
	}
	return v, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatTokenAmount formats base units v in human units with decimals,
// without trailing zeros: 5000000 with 6 decimals is "5", 12000 "0.012".
func FormatTokenAmount(v *big.Int, decimals uint8) string {
	if v == nil {
		return "0"
	}
	neg := v.Sign() < 0
	digits := new(big.Int).Abs(v).String()
	if len(digits) <= int(decimals) {
		digits = strings.Repeat("0", int(decimals)-len(digits)+1) + digits
	}
	cut := len(digits) - int(decimals)
	out := digits[:cut]
	if frac := strings.TrimRight(digits[cut:], "0"); frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Token is a payment token: its address, symbol and decimals as the token
// reports them.
type Token struct {
	Address  gpumarket.Address
	Symbol   string
	Decimals uint8
}

// Format formats base units v as "1.5 USDT".
func (t Token) Format(v *big.Int) string {
	return FormatTokenAmount(v, t.Decimals) + " " + t.Symbol
}

// Parse parses a human amount ("1.5") of t into base units.
func (t Token) Parse(s string) (*big.Int, error) { return ParseTokenAmount(s, t.Decimals) }
