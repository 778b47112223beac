package gpumarket

import (
	"encoding/json"
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

func TestNewAmount(t *testing.T) {
	tooBig := new(big.Int).Add(MaxUint256, big.NewInt(1))
	tests := []struct {
		name string
		in   *big.Int
		want string // "" means an EINVALID error is expected
	}{
		{"nil", nil, ""},
		{"negative", big.NewInt(-1), ""},
		{"overflow", tooBig, ""},
		{"zero", big.NewInt(0), "0"},
		{"one", big.NewInt(1), "1"},
		{"max", MaxUint256, MaxUint256.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewAmount(tt.in)
			if tt.want == "" {
				if ErrorCode(err) != EINVALID {
					t.Fatalf("NewAmount(%v) = %v, %v, want %s error", tt.in, got, err, EINVALID)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("NewAmount(%v) = %v, %v, want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestAmountIsImmutable(t *testing.T) {
	x := big.NewInt(7)
	a := MustAmount(x)
	x.SetInt64(8)
	if a.String() != "7" {
		t.Fatalf("amount changed with the *big.Int it was made from: %v, want 7", a)
	}
	a.Big().SetInt64(9)
	if a.String() != "7" {
		t.Fatalf("amount changed through Big(): %v, want 7", a)
	}
}

func TestAmountZeroValue(t *testing.T) {
	var a Amount
	if !a.IsZero() || a.String() != "0" || a.Big().Sign() != 0 || a.Cmp(AmountFromUint64(0)) != 0 {
		t.Fatalf("zero Amount: IsZero %v, String %q, Big %v; want 0", a.IsZero(), a.String(), a.Big())
	}
	b, err := json.Marshal(a)
	if err != nil || string(b) != `"0"` {
		t.Fatalf("json.Marshal(Amount{}) = %s, %v, want \"0\"", b, err)
	}
}

func TestAmountCmp(t *testing.T) {
	var zero Amount
	one, two := AmountFromUint64(1), AmountFromUint64(2)
	max := MustAmount(MaxUint256)
	tests := []struct {
		a, b Amount
		want int
	}{
		{zero, zero, 0},
		{zero, AmountFromUint64(0), 0},
		{zero, one, -1},
		{one, zero, 1},
		{one, two, -1},
		{two, one, 1},
		{max, max, 0},
		{max, two, 1},
	}
	for _, tt := range tests {
		if got := tt.a.Cmp(tt.b); got != tt.want {
			t.Errorf("Amount(%v).Cmp(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestAmountJSON(t *testing.T) {
	max := MaxUint256.String()
	tests := []struct {
		in   string
		want string // "" means an EINVALID error is expected
	}{
		{`"0"`, "0"},
		{`"1000000"`, "1000000"},
		{`"000123"`, "123"},
		{`"` + max + `"`, max},
		{`1000000`, ""}, // a JSON number
		{`"-1"`, ""},
		{`"+1"`, ""},
		{`" 1"`, ""},
		{`"1 "`, ""},
		{`"0x10"`, ""},
		{`"1e6"`, ""},
		{`"1.0"`, ""},
		{`"\u0031"`, ""},
		{`""`, ""},
		{`"`, ""},
		{`"115792089237316195423570985008687907853269984665640564039457584007913129639936"`, ""}, // 2^256
		{`true`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var a Amount
			err := a.UnmarshalJSON([]byte(tt.in))
			if tt.want == "" {
				if ErrorCode(err) != EINVALID {
					t.Fatalf("UnmarshalJSON(%s) = %v, %v, want an EINVALID error", tt.in, a, err)
				}
				if !a.IsZero() {
					t.Fatalf("UnmarshalJSON(%s) failed but set %v", tt.in, a)
				}
				return
			}
			if err != nil || a.String() != tt.want {
				t.Fatalf("UnmarshalJSON(%s) = %v, %v, want %s", tt.in, a, err, tt.want)
			}
			out, err := json.Marshal(a)
			if err != nil || string(out) != `"`+tt.want+`"` {
				t.Fatalf("json.Marshal(%v) = %s, %v, want \"%s\"", a, out, err, tt.want)
			}
		})
	}
}

func TestAmountJSONNullKeepsValue(t *testing.T) {
	v := struct {
		Price Amount `json:"price"`
	}{Price: AmountFromUint64(5)}
	if err := json.Unmarshal([]byte(`{"price":null}`), &v); err != nil || v.Price.String() != "5" {
		t.Fatalf("unmarshal null into 5 = %v, %v, want 5, nil", v.Price, err)
	}
}

func TestAmountInStruct(t *testing.T) {
	type rate struct {
		Fair Amount  `json:"fair"`
		Low  *Amount `json:"low,omitempty"`
	}
	b, err := json.Marshal(rate{Fair: AmountFromUint64(42)})
	if err != nil || string(b) != `{"fair":"42"}` {
		t.Fatalf("json.Marshal = %s, %v, want {\"fair\":\"42\"}", b, err)
	}
	var back rate
	if err := json.Unmarshal([]byte(`{"fair":"42","low":"7"}`), &back); err != nil || back.Fair.String() != "42" || back.Low == nil || back.Low.String() != "7" {
		t.Fatalf("json.Unmarshal = %+v, %v, want fair 42, low 7", back, err)
	}
}

// FuzzAmountText: UnmarshalText accepts exactly the strings of 1 to 78
// ASCII digits whose value fits in a uint256, and what it accepts marshals
// back (as text and as JSON) to the same value.
func FuzzAmountText(f *testing.F) {
	for _, seed := range []string{"0", "1", "-1", "+1", " 1", "1 ", "0x1f", "1e18", "1.5", MaxUint256.String(),
		"115792089237316195423570985008687907853269984665640564039457584007913129639936", "00", "٣", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		digits := s != "" && len(s) <= 78 && strings.Trim(s, "0123456789") == ""
		var want *big.Int
		if digits {
			want, _ = new(big.Int).SetString(s, 10)
			if want.Cmp(MaxUint256) > 0 {
				want = nil
			}
		}
		var a Amount
		err := a.UnmarshalText([]byte(s))
		if want == nil {
			if ErrorCode(err) != EINVALID || !a.IsZero() {
				t.Fatalf("UnmarshalText(%q) = %v, %v, want an EINVALID error", s, a, err)
			}
			return
		}
		if err != nil || a.Big().Cmp(want) != 0 {
			t.Fatalf("UnmarshalText(%q) = %v, %v, want %v", s, a, err, want)
		}
		text, _ := a.MarshalText()
		var back Amount
		if err := back.UnmarshalText(text); err != nil || back.Cmp(a) != 0 || string(text) != want.String() {
			t.Fatalf("text round trip of %q: %s → %v, %v", s, text, back, err)
		}
		js, _ := a.MarshalJSON()
		var fromJSON Amount
		if err := json.Unmarshal(js, &fromJSON); err != nil || fromJSON.Cmp(a) != 0 {
			t.Fatalf("JSON round trip of %q: %s → %v, %v", s, js, fromJSON, err)
		}
	})
}
