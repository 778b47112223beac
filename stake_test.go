package gpumarket

import (
	"math/big"
	"testing"
)

func TestReservationRule(t *testing.T) {
	staking, other := Address{1}, Address{2}
	r := ReservationRule{StakingToken: staking, Bps: 2_000, Floor: big.NewInt(100), Cap: big.NewInt(1_000)}
	tests := []struct {
		name  string
		token Address
		price int64
		want  int64
	}{
		{"dust job in the staking token takes the floor", staking, 1, 100},
		{"share below the floor", staking, 499, 100},
		{"share exactly the floor", staking, 500, 100},
		{"share above the floor, rounded down", staking, 2_004, 400},
		{"share above the cap", staking, 1_000_000, 1_000},
		{"another token always takes the floor", other, 1_000_000, 100},
		{"free job", staking, 0, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.For(tt.token, big.NewInt(tt.price)); got.Int64() != tt.want {
				t.Fatalf("For(%s, %d) = %s, want %d", tt.token, tt.price, got, tt.want)
			}
		})
	}
	if got := (ReservationRule{}).For(staking, nil); got.Sign() != 0 {
		t.Fatalf("zero rule = %s, want 0", got)
	}
}

func TestFreeStake(t *testing.T) {
	tests := []struct{ stake, reserved, want int64 }{{10, 3, 7}, {10, 10, 0}, {3, 10, 0}}
	for _, tt := range tests {
		if got := FreeStake(big.NewInt(tt.stake), big.NewInt(tt.reserved)); got.Int64() != tt.want {
			t.Errorf("FreeStake(%d, %d) = %s, want %d", tt.stake, tt.reserved, got, tt.want)
		}
	}
	if got := FreeStake(nil, nil); got.Sign() != 0 {
		t.Errorf("FreeStake(nil, nil) = %s", got)
	}
}
