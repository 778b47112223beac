package gpumarket

import (
	"math/big"
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	max := MaxUint256.String()
	tests := []struct {
		in   string
		want string // "" means an error is expected
	}{
		{"0", "0"},
		{"1000000", "1000000"},
		{"000123", "123"},
		{max, max},
		{"115792089237316195423570985008687907853269984665640564039457584007913129639936", ""}, // 2^256
		{"-1", ""},
		{"+1", ""},
		{"1.5", ""},
		{"1e6", ""},
		{"0x10", ""},
		{" 1", ""},
		{"", ""},
		{strings.Repeat("9", 79), ""},
		{"1'; DROP TABLE jobs; --", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAmount(tt.in)
			if tt.want == "" {
				if err == nil || ErrorCode(err) != EINVALID {
					t.Fatalf("ParseAmount(%q) = %v, %v, want %s error", tt.in, got, err, EINVALID)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("ParseAmount(%q) = %v, %v, want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCheckAmount(t *testing.T) {
	tooBig := new(big.Int).Add(MaxUint256, big.NewInt(1))
	tests := []struct {
		name string
		in   *big.Int
		ok   bool
	}{
		{"nil", nil, false},
		{"negative", big.NewInt(-1), false},
		{"zero", big.NewInt(0), true},
		{"max", MaxUint256, true},
		{"overflow", tooBig, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAmount("max_payment", tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckAmount(%v) = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "max_payment") {
				t.Errorf("CheckAmount error %q does not name the field", err)
			}
		})
	}
}

// FuzzParseAmount: whatever the input, ParseAmount either rejects it or
// returns a value in [0, 2^256-1] whose decimal form round-trips.
func FuzzParseAmount(f *testing.F) {
	for _, seed := range []string{"0", "1", "-1", "1e18", MaxUint256.String(), "00", "٣"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseAmount(s)
		if err != nil {
			if n != nil {
				t.Fatalf("ParseAmount(%q) returned %v with error %v", s, n, err)
			}
			return
		}
		if n.Sign() < 0 || n.Cmp(MaxUint256) > 0 {
			t.Fatalf("ParseAmount(%q) = %v, out of range", s, n)
		}
		again, err := ParseAmount(n.String())
		if err != nil || again.Cmp(n) != 0 {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}
