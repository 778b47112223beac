package postgres

import (
	"math/big"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func strp(s string) *string { return &s }

func TestDecodeNumeric(t *testing.T) {
	max := gpumarket.MaxUint256.String()
	tests := []struct {
		name     string
		in       *string
		nullable string // want from decodeNumeric; "nil" for nil, "err" for an error
		required string // want from decodeRequired
		amount   string // want from decodeAmount
		asUint64 string // want from decodeUint64
	}{
		{"null", nil, "nil", "err", "err", "0"},
		{"zero", strp("0"), "0", "0", "0", "0"},
		{"max uint256", strp(max), max, max, max, "err"},
		{"above uint256", strp("1" + max), "1" + max, "1" + max, "err", "err"},
		{"negative", strp("-5"), "-5", "-5", "err", "err"},
		{"fraction", strp("1.5"), "err", "err", "err", "err"},
		{"empty", strp(""), "err", "err", "err", "err"},
		{"max uint64", strp("18446744073709551615"), "18446744073709551615", "18446744073709551615", "18446744073709551615", "18446744073709551615"},
	}
	show := func(v *big.Int, err error) string {
		switch {
		case err != nil:
			if !strings.Contains(err.Error(), "column price") {
				t.Errorf("error %q does not name the column", err)
			}
			return "err"
		case v == nil:
			return "nil"
		}
		return v.String()
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(decodeNumeric("price", tt.in)); got != tt.nullable {
				t.Errorf("decodeNumeric(%v) = %s, want %s", tt.in, got, tt.nullable)
			}
			if got := show(decodeRequired("price", tt.in)); got != tt.required {
				t.Errorf("decodeRequired(%v) = %s, want %s", tt.in, got, tt.required)
			}
			a, err := decodeAmount("price", tt.in)
			var ab *big.Int
			if err == nil {
				ab = a.Big()
			}
			if got := show(ab, err); got != tt.amount {
				t.Errorf("decodeAmount(%v) = %s, want %s", tt.in, got, tt.amount)
			}
			u, err := decodeUint64("price", tt.in)
			if got := show(new(big.Int).SetUint64(u), err); got != tt.asUint64 {
				t.Errorf("decodeUint64(%v) = %s, want %s", tt.in, got, tt.asUint64)
			}
		})
	}
}

func TestNumericDecoderKeepsFirstError(t *testing.T) {
	var d numericDecoder
	a := d.required("max_payment", strp("7"))
	d.required("price", strp("x"))
	d.amount("refund", strp("-1"))
	if a.Int64() != 7 || d.err == nil || !strings.Contains(d.err.Error(), "column price") {
		t.Fatalf("numericDecoder: first value %v, err %v; want 7 and the error of column price", a, d.err)
	}
}

func TestEncodeNumeric(t *testing.T) {
	if encodeNumeric(nil) != nil {
		t.Errorf("encodeNumeric(nil) = %q, want NULL (nil)", *encodeNumeric(nil))
	}
	if got := encodeNumeric(gpumarket.MaxUint256); got == nil || *got != gpumarket.MaxUint256.String() {
		t.Errorf("encodeNumeric(2^256-1) = %v, want its digits", got)
	}
	if got := *encodeNumeric(zeroIfNil(nil)); got != "0" {
		t.Errorf("encodeNumeric(zeroIfNil(nil)) = %q, want 0", got)
	}
	if got := encodeAmount(gpumarket.Amount{}); got != "0" {
		t.Errorf("encodeAmount(zero Amount) = %q, want 0", got)
	}
}
