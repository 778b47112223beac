package ethtest_test

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
)

// TestReorgDropsTransfer proves the harness drives a real anvil: a token
// deployed through the generated bindings, a transfer mined, then anvil_reorg
// replaces that block: the block at the same height has a new hash, the
// transfer's receipt is gone and the balances are as before it.
func TestReorgDropsTransfer(t *testing.T) {
	ctx := context.Background()
	c := ethtest.New(t, anvil.Config{})
	if c.ChainID.Uint64() != anvil.ChainID {
		t.Fatalf("chain id = %v, want %d", c.ChainID, anvil.ChainID)
	}
	token := c.DeployTestToken(t, "USDT", 6, big.NewInt(1_000_000))
	erc20 := bindings.NewTestERC20()

	tx, err := bind.Transact(erc20.Instance(c.Client, token), c.Opts(t, 1), erc20.PackTransfer(c.Addrs[2], big.NewInt(250_000)))
	if err != nil {
		t.Fatal(err)
	}
	rcpt := c.Mined(t, tx)
	if got := c.TokenBalance(t, token, c.Addrs[2]); got.Cmp(big.NewInt(1_250_000)) != 0 {
		t.Fatalf("balance after transfer = %v, want 1250000", got)
	}
	if ev, err := erc20.UnpackTransferEvent(rcpt.Logs[0]); err != nil || ev.Value.Int64() != 250_000 {
		t.Fatalf("Transfer event = %+v, %v", ev, err)
	}

	if err := c.Reorg(ctx, 1); err != nil {
		t.Fatal(err)
	}
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if head.Number.Cmp(rcpt.BlockNumber) != 0 {
		t.Fatalf("height after reorg = %v, want %v (same height)", head.Number, rcpt.BlockNumber)
	}
	if head.Hash() == rcpt.BlockHash {
		t.Fatalf("block %v kept its hash %s across the reorg", head.Number, head.Hash())
	}
	if _, err := c.Client.TransactionReceipt(ctx, tx.Hash()); !errors.Is(err, ethereum.NotFound) {
		t.Fatalf("receipt of the reorged transfer: err = %v, want not found", err)
	}
	if got := c.TokenBalance(t, token, c.Addrs[2]); got.Cmp(big.NewInt(1_000_000)) != 0 {
		t.Fatalf("balance after reorg = %v, want 1000000 (transfer dropped)", got)
	}
}

func TestReorgWithReplacementTx(t *testing.T) {
	ctx := context.Background()
	c := ethtest.New(t, anvil.Config{})
	token := c.DeployTestToken(t, "USDT", 6, big.NewInt(1_000))
	erc20 := bindings.NewTestERC20()
	if err := c.Mine(ctx, 2); err != nil {
		t.Fatal(err)
	}
	// Replace the last two blocks; the new second block carries a transfer.
	call := map[string]any{"from": c.Addrs[3], "to": token, "data": hexutil.Encode(erc20.PackTransfer(c.Addrs[4], big.NewInt(7)))}
	if err := c.Reorg(ctx, 2, anvil.ReorgTx{Tx: call, Offset: 1}); err != nil {
		t.Fatal(err)
	}
	if got := c.TokenBalance(t, token, c.Addrs[4]); got.Cmp(big.NewInt(1_007)) != 0 {
		t.Fatalf("balance after reorg with replacement = %v, want 1007", got)
	}
}

func TestRollbackAndSnapshot(t *testing.T) {
	ctx := context.Background()
	c := ethtest.New(t, anvil.Config{})
	start, err := c.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := c.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mine(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if err := c.Rollback(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Client.BlockNumber(ctx); n != start+3 {
		t.Fatalf("height after mine 5, rollback 2 = %d, want %d", n, start+3)
	}
	if err := c.Revert(ctx, snap); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Client.BlockNumber(ctx); n != start {
		t.Fatalf("height after revert = %d, want %d", n, start)
	}
	if err := c.Revert(ctx, snap); err == nil {
		t.Fatal("second revert to the same snapshot succeeded, want an error")
	}
}

func TestFinalityTags(t *testing.T) {
	ctx := context.Background()
	c := ethtest.New(t, anvil.Config{SlotsInEpoch: 2})
	if err := c.Mine(ctx, 10); err != nil {
		t.Fatal(err)
	}
	latest, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	final, err := c.Client.HeaderByNumber(ctx, big.NewInt(-3)) // rpc.FinalizedBlockNumber
	if err != nil {
		t.Fatal(err)
	}
	if want := latest.Number.Uint64() - 4; final.Number.Uint64() != want {
		t.Fatalf("finalized = %d with latest %d and 2 slots, want %d", final.Number, latest.Number, want)
	}
}
