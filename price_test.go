package gpumarket

import (
	"math/big"
	"testing"
)

func TestPriceUnitCost(t *testing.T) {
	tests := []struct {
		unit  PriceUnit
		price int64
		qty   uint64
		want  int64
	}{
		{UnitFrame, 20000, 240, 4_800_000},
		{UnitGPUSecond, 150, 0, 0},
		{UnitKTokens, 1200, 2500, 3000},
		{UnitKTokens, 1200, 1, 2}, // 1.2 rounds up
		{UnitKChars, 7, 1000, 7},
		{UnitKChars, 7, 1001, 8},
		{UnitAudioMinute, 600, 90, 900},
		{UnitAudioMinute, 0, 90, 0},
	}
	for _, tt := range tests {
		t.Run(string(tt.unit), func(t *testing.T) {
			if got := tt.unit.Cost(big.NewInt(tt.price), tt.qty); got.Int64() != tt.want {
				t.Errorf("%s.Cost(%d, %d) = %v, want %d", tt.unit, tt.price, tt.qty, got, tt.want)
			}
		})
	}
	for k := JobKindRender; k <= JobKindLLM; k++ {
		for _, u := range k.Units() {
			if !u.Valid() || u.Kind() != k || u.Divisor() == 0 {
				t.Errorf("unit %q of %v: Valid=%v Kind=%v Divisor=%d", u, k, u.Valid(), u.Kind(), u.Divisor())
			}
		}
	}
	if JobKind(9).Units() != nil || PriceUnit("byte").Valid() {
		t.Error("invalid kind or unit reported as valid")
	}
}
