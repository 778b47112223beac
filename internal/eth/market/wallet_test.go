package market_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// TestWalletAndClientReads: the token reads a client needs, a Wallet's
// sends, and a job rebuilt from its logs (JobRecord, JobsOf) equal to the
// contract's stored hash.
func TestWalletAndClientReads(t *testing.T) {
	ctx := context.Background()
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	m, err := market.NewMarket(s.ChainID, gpumarket.Address(s.Market), gpumarket.Address(s.Registry), s.Client)
	if err != nil {
		t.Fatal(err)
	}
	usdt := gpumarket.Address(s.Stablecoin)
	if d, err := m.TokenDecimals(ctx, usdt); err != nil || d != 6 {
		t.Errorf("TokenDecimals = %d, %v; want 6", d, err)
	}
	if sym, err := m.TokenSymbol(ctx, usdt); err != nil || sym != "USDT" {
		t.Errorf("TokenSymbol = %q, %v; want USDT", sym, err)
	}
	key := s.Key(mkClient)
	me := keys.KeyAddress(key)
	if !m.SupportsPermit(ctx, usdt, me) {
		t.Error("SupportsPermit(USDT) = false, want true")
	}
	if wei, err := m.GasBalance(ctx, me); err != nil || wei.Sign() <= 0 {
		t.Errorf("GasBalance = %v, %v; want > 0", wei, err)
	}
	w, err := m.Wallet(key)
	if err != nil || w.Address() != me {
		t.Fatalf("Wallet = %v, %v", w, err)
	}
	approve, err := m.Approve(usdt, m.Address(), big.NewInt(1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Send(ctx, approve); err != nil {
		t.Fatal(err)
	}
	if a, err := m.TokenAllowance(ctx, usdt, me, m.Address()); err != nil || a.Int64() != 1_000_000 {
		t.Fatalf("TokenAllowance = %v, %v; want 1000000", a, err)
	}
	create, err := m.CreateJob(&eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: usdt, MaxPayment: big.NewInt(1_000_000),
		Deadline: uint64(time.Now().Add(time.Hour).Unix()), SpecHash: keys.Keccak256([]byte("spec")), SpecURI: "x"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.Send(ctx, create)
	if err != nil {
		t.Fatal(err)
	}
	id, err := market.CreatedJobID(m.Address(), m.RegistryAddress(), r)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := m.JobRecord(ctx, id, 0)
	if err != nil || rec.State != gpumarket.JobStateOpen || rec.Client != me {
		t.Fatalf("JobRecord(%d) = %v, %v; want open, client %s", id, rec, err, me)
	}
	want, err := m.JobHash(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := market.HashJob(&rec.Job); err != nil || got != want {
		t.Errorf("HashJob(JobRecord) = %s, %v; chain's jobHash %s", got, err, want)
	}
	if _, err := m.JobRecord(ctx, id+1, 0); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("JobRecord(unknown) = %v, want ENOTFOUND", err)
	}
	mine, err := m.JobsOf(ctx, me, 0)
	if err != nil || len(mine) != 1 || mine[0].ID != id {
		t.Errorf("JobsOf(client) = %v, %v; want job %d", mine, err, id)
	}
	if other, err := m.JobsOf(ctx, keys.KeyAddress(s.Key(mkAnyone)), 0); err != nil || len(other) != 0 {
		t.Errorf("JobsOf(another) = %v, %v; want none", other, err)
	}
}
