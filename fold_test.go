package gpumarket

import (
	"math/big"
	"testing"
)

// TestProviderRecordStakeWithdrawn pins the registry's withdrawStake effect:
// the unbonding amount and its ready time both go to zero (the registry's
// getter then reads unbondingReadyAt 0).
func TestProviderRecordStakeWithdrawn(t *testing.T) {
	p := Address{1}
	r := &ProviderRecord{}
	steps := []ProviderEvent{
		&ProviderRegistered{Provider: p, Signer: Address{2}},
		&StakeChanged{Name: "Staked", Provider: p, Amount: big.NewInt(10), Stake: big.NewInt(10)},
		&StakeChanged{Name: "UnstakeRequested", Provider: p, Amount: big.NewInt(4), Stake: big.NewInt(6), Unbonding: big.NewInt(4), ReadyAt: 99},
		&StakeChanged{Name: "StakeWithdrawn", Provider: p, Amount: big.NewInt(4)},
	}
	for i, ev := range steps {
		if err := r.Apply(ev, uint64(i+1), 0); err != nil {
			t.Fatalf("Apply(%s) = %v", ev.EventName(), err)
		}
	}
	if r.Stake.Int64() != 6 || r.Unbonding.Sign() != 0 || r.UnbondingReadyAt != 0 {
		t.Fatalf("after StakeWithdrawn: stake %v unbonding %v readyAt %d, want 6, 0, 0", r.Stake, r.Unbonding, r.UnbondingReadyAt)
	}
}
