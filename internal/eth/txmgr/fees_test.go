package txmgr_test

import (
	"context"
	"math/big"
	"sync"
	"testing"

	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/gpumarket/gpumarket"
)

// TestStuckTransactionIsReplaced raises the base fee far above the tx's fee
// cap, so the node does not mine it: after BumpAfterBlocks blocks the manager
// signs a replacement at the same nonce with both fee fields raised by at
// least 12.5%. The mined transaction is the replacement; the original hash
// has no receipt.
func TestStuckTransactionIsReplaced(t *testing.T) {
	tests := []struct {
		name      string
		bumpAfter uint64
	}{
		// Ticks see the tx unmined for BumpAfterBlocks blocks before re-sending it.
		{"not mined after N blocks", 1},
		// anvil drops a pool tx whose fee cap fell below the base fee; the
		// re-send is refused with "max fee per gas less than block base fee"
		// and the manager re-signs at the same nonce at once.
		{"re-send refused below base fee", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testStuckReplaced(t, tt.bumpAfter) })
	}
}

func testStuckReplaced(t *testing.T, bumpAfter uint64) {
	ctx := context.Background()
	e := newManualEnv(t)
	m := e.manager(t, func(c *txmgr.Config) {
		c.BumpAfterBlocks = bumpAfter
		c.TipCap = gwei
	})
	if _, err := m.Submit(ctx, "submit-9", addr(e.token), transfer(e.chain.Addrs[8], 909), nil); err != nil {
		t.Fatal(err)
	}
	first := drive(t, m, "submit-9", gpumarket.TxBroadcast, 3, nil)

	// 100 gwei base fee: the tx (max fee = 1 gwei tip + 2 × ~1 gwei) cannot be mined.
	e.setNextBaseFee(t, 100)
	in := drive(t, m, "submit-9", gpumarket.TxConfirmed, 20, e.mine(t))

	if e.receipt(t, first.Hash) != nil {
		t.Errorf("original %s has a receipt; want only the replacement mined", first.Hash)
	}
	if in.MinedHash == first.Hash || in.Attempts < 2 {
		t.Fatalf("mined %s after %d attempts; want a replacement of %s", in.MinedHash, in.Attempts, first.Hash)
	}
	mined := e.transaction(t, in.MinedHash)
	if mined.Nonce() != first.Nonce {
		t.Errorf("replacement nonce %d, want the original's %d", mined.Nonce(), first.Nonce)
	}
	minFee := new(big.Int).Div(new(big.Int).Mul(first.MaxFeePerGas, big.NewInt(1125)), big.NewInt(1000))
	minTip := new(big.Int).Div(new(big.Int).Mul(first.MaxPriorityFeePerGas, big.NewInt(1125)), big.NewInt(1000))
	if mined.GasFeeCap().Cmp(minFee) < 0 || mined.GasTipCap().Cmp(minTip) < 0 {
		t.Errorf("replacement fees cap %v tip %v; original cap %v tip %v: want both raised by >= 12.5%%",
			mined.GasFeeCap(), mined.GasTipCap(), first.MaxFeePerGas, first.MaxPriorityFeePerGas)
	}
	if got, want := e.balance(t, 8), plus(minted, 909); got.Cmp(want) != 0 {
		t.Errorf("recipient balance = %v, want %v", got, want)
	}
	if s := m.Stats(); s.Bumped < 1 {
		t.Errorf("stats = %+v, want at least one bump", s)
	}
}

// TestFeeCeilingAlert: with a ceiling below what the raised base fee needs,
// the manager bumps up to the ceiling, then alerts (once) and never signs a
// fee above it.
func TestFeeCeilingAlert(t *testing.T) {
	ctx := context.Background()
	e := newManualEnv(t)
	ceiling := new(big.Int).Mul(big.NewInt(5), gwei)
	var (
		mu     sync.Mutex
		alerts []txmgr.Alert
	)
	m := e.manager(t, func(c *txmgr.Config) {
		c.BumpAfterBlocks = 1
		c.TipCap = gwei
		c.FeeCeiling = ceiling
		c.OnAlert = func(a txmgr.Alert) { mu.Lock(); alerts = append(alerts, a); mu.Unlock() }
	})
	if _, err := m.Submit(ctx, "settle-3", addr(e.token), transfer(e.chain.Addrs[8], 3), nil); err != nil {
		t.Fatal(err)
	}
	first := drive(t, m, "settle-3", gpumarket.TxBroadcast, 3, nil)
	e.setNextBaseFee(t, 1000)
	for i := 0; i < 12; i++ {
		e.mine(t)()
		if err := m.Tick(ctx); err != nil {
			t.Logf("tick: %v", err)
		}
	}
	mu.Lock()
	got := append([]txmgr.Alert(nil), alerts...)
	mu.Unlock()
	if len(got) != 1 || got[0].Kind != txmgr.AlertFeeCeiling || got[0].Key != "settle-3" || got[0].Nonce != first.Nonce {
		t.Fatalf("alerts = %+v, want exactly one %s for settle-3", got, txmgr.AlertFeeCeiling)
	}
	atts, err := e.journal.Attempts(ctx, m.ChainID(), m.Sender(), []int64{first.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) < 2 {
		t.Errorf("%d attempts, want bumps before the ceiling stopped them", len(atts))
	}
	for _, a := range atts {
		if a.MaxFeePerGas.Cmp(ceiling) > 0 || a.Nonce != first.Nonce {
			t.Errorf("attempt %s: max fee %v nonce %d; want <= ceiling %v at nonce %d", a.Hash, a.MaxFeePerGas, a.Nonce, ceiling, first.Nonce)
		}
	}
	if in, _ := m.Intent(ctx, "settle-3"); in.State.Final() || in.State == gpumarket.TxMined {
		t.Errorf("state = %s, want still waiting (unmineable below the base fee)", in.State)
	}
}
