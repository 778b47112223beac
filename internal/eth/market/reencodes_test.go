package market

import (
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
)

// TestReencodesRefusesOversizedInts: the check for data with dynamic
// parts refuses an integer word that does not fit its type (a uint128 at
// 2^128, an int40 at 2^39, a uint48 in an array at 2^48), which decode and
// re-encode alone let through; in-range data passes.
func TestReencodesRefusesOversizedInts(t *testing.T) {
	newType := func(s string) abi.Type {
		typ, err := abi.NewType(s, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		return typ
	}
	args := abi.Arguments{{Name: "amount", Type: newType("uint128")}, {Name: "uri", Type: newType("string")},
		{Name: "delta", Type: newType("int40")}, {Name: "list", Type: newType("uint48[]")}}
	max128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	good, err := args.Pack(max128, "ipfs://x", big.NewInt(-(1 << 39)), []*big.Int{big.NewInt(1<<48 - 1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := reencodes(args, good); err != nil {
		t.Fatalf("in-range data (each value at its type's limit): %v", err)
	}
	word := func(n *big.Int) []byte { return n.FillBytes(make([]byte, 32)) }
	pow2 := func(k uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), k) }
	tests := []struct {
		name  string
		at    int // byte offset of the word replaced; -1: the last word
		value *big.Int
		want  string
	}{
		{"uint128 at 2^128", 0, pow2(128), "amount: 340282366920938463463374607431768211456 does not fit a uint128"},
		{"int40 at 2^39", 64, pow2(39), "delta: 549755813888 does not fit an int40"},
		{"uint48 element at 2^48", -1, pow2(48), "list: [0]: 281474976710656 does not fit a uint48"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := append([]byte(nil), good...)
			at := tt.at
			if at < 0 {
				at = len(data) - 32
			}
			copy(data[at:], word(tt.value))
			err := reencodes(args, data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("reencodes = %v, want %q", err, tt.want)
			}
		})
	}
}
