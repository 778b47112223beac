package txmgr_test

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
)

// TestClassifyRealAnvilErrors sends transactions that a real anvil refuses
// and checks that each refusal gets the right class.
func TestClassifyRealAnvilErrors(t *testing.T) {
	ctx := context.Background()
	c := ethtest.New(t, anvil.Config{})
	if err := c.SetAutomine(ctx, false); err != nil {
		t.Fatal(err)
	}
	send := func(tx *types.Transaction) error { return node.Classify(c.Client.SendTransaction(ctx, tx)) }
	sign := func(keyI int, nonce uint64, feeGwei int64, value *big.Int) *types.Transaction {
		to := c.Addrs[2]
		tx, err := types.SignNewTx(c.Keys[keyI], types.LatestSignerForChainID(c.ChainID), &types.DynamicFeeTx{
			ChainID: c.ChainID, Nonce: nonce, GasTipCap: gwei, GasFeeCap: new(big.Int).Mul(big.NewInt(feeGwei), gwei), Gas: 21000, To: &to, Value: value,
		})
		if err != nil {
			t.Fatal(err)
		}
		return tx
	}
	tx0 := sign(3, 0, 10, big.NewInt(1))
	if err := send(tx0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"same tx again", send(tx0), node.ErrAlreadyKnown},
		{"same nonce, same fee", send(sign(3, 0, 10, big.NewInt(2))), node.ErrUnderpriced},
		{"fee cap below base fee", send(sign(3, 1, 0, big.NewInt(1))), node.ErrFeeTooLow},
		{"more value than balance", send(sign(3, 1, 10, new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1e6)))), node.ErrInsufficientFunds},
	}
	if err := c.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	tests = append(tests, struct {
		name string
		err  error
		want error
	}{"nonce already mined", send(sign(3, 0, 20, big.NewInt(3))), node.ErrNonceTooLow})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) {
				t.Errorf("anvil error %v classified %s, want %v", tt.err, node.ClassName(tt.err), tt.want)
			}
		})
	}
}
