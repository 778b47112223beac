// Package ethtest gives tests a real anvil chain: one node per call to New
// (call it once per package for a shared chain, or once per test for
// isolation), ten funded accounts with their keys, deployment through the
// generated bindings (DeploySystem: the whole gpumarket system as the
// deploy script sets it up, with short test windows), and the anvil controls
// (mine, reorg, rollback, snapshot, clock) from internal/anvil. The node is
// stopped when the test ends, and dies with the test binary even on kill -9.
//
// When anvil cannot be found or started, tests skip, unless CI=true, where
// they fail.
package ethtest

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/testenv"
)

// Chain is a running anvil node with funded accounts.
type Chain struct {
	*anvil.Node
	Client  *ethclient.Client
	ChainID *big.Int
	Keys    []*ecdsa.PrivateKey
	Addrs   []common.Address
}

// New starts anvil with cfg and stops it when tb ends.
func New(tb testing.TB, cfg anvil.Config) *Chain {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	node, err := anvil.Start(ctx, cfg)
	if err != nil {
		testenv.Unavailable(tb, "anvil", err)
	}
	tb.Cleanup(node.Stop)
	client, err := ethclient.DialContext(ctx, node.URL)
	if err != nil {
		tb.Fatalf("ethtest: dial %s: %v", node.URL, err)
	}
	tb.Cleanup(client.Close)
	c := &Chain{Node: node, Client: client}
	c.ChainID, err = c.Client.ChainID(ctx)
	if err != nil {
		tb.Fatalf("ethtest: chain id: %v", err)
	}
	for _, hexKey := range anvil.DevKeys {
		key, err := crypto.HexToECDSA(hexKey)
		if err != nil {
			tb.Fatalf("ethtest: dev key: %v", err)
		}
		c.Keys = append(c.Keys, key)
		c.Addrs = append(c.Addrs, crypto.PubkeyToAddress(key.PublicKey))
	}
	return c
}

// Opts returns transaction options signed by dev account i.
func (c *Chain) Opts(tb testing.TB, i int) *bind.TransactOpts {
	tb.Helper()
	return bind.NewKeyedTransactor(c.Keys[i], c.ChainID)
}

// Mined waits for tx's receipt and fails tb if it reverted.
func (c *Chain) Mined(tb testing.TB, tx *types.Transaction) *types.Receipt {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// bind.WaitMined polls once a second; anvil answers in milliseconds.
	var rcpt *types.Receipt
	for {
		var err error
		rcpt, err = c.Client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			break
		}
		if !errors.Is(err, ethereum.NotFound) || ctx.Err() != nil {
			tb.Fatalf("ethtest: wait for %s: %v", tx.Hash(), err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		tb.Fatalf("ethtest: tx %s reverted (gas used %d)", tx.Hash(), rcpt.GasUsed)
	}
	return rcpt
}

// Deploy deploys a contract through its generated metadata and constructor
// input, as dev account from, and returns its address once mined.
func (c *Chain) Deploy(tb testing.TB, from int, meta *bind.MetaData, constructorInput []byte) common.Address {
	tb.Helper()
	addr, tx, err := bind.DeployContract(c.Opts(tb, from), common.FromHex(meta.Bin), c.Client, constructorInput)
	if err != nil {
		tb.Fatalf("ethtest: deploy: %v", err)
	}
	c.Mined(tb, tx)
	return addr
}

// DeployTestToken deploys a TestERC20 (open mint, EIP-2612 permit) and mints
// mint to each of the ten dev accounts.
func (c *Chain) DeployTestToken(tb testing.TB, symbol string, decimals uint8, mint *big.Int) common.Address {
	tb.Helper()
	token := bindings.NewTestERC20()
	addr := c.Deploy(tb, 0, &bindings.TestERC20MetaData, token.PackConstructor(symbol+" Test", symbol, decimals))
	if mint != nil && mint.Sign() > 0 {
		inst := token.Instance(c.Client, addr)
		var last *types.Transaction
		for _, to := range c.Addrs {
			tx, err := bind.Transact(inst, c.Opts(tb, 0), token.PackMint(to, mint))
			if err != nil {
				tb.Fatalf("ethtest: mint: %v", err)
			}
			last = tx
		}
		c.Mined(tb, last)
	}
	return addr
}

// TokenBalance returns owner's balance of an ERC-20 token.
func (c *Chain) TokenBalance(tb testing.TB, token, owner common.Address) *big.Int {
	tb.Helper()
	erc20 := bindings.NewTestERC20()
	bal, err := bind.Call(erc20.Instance(c.Client, token), nil, erc20.PackBalanceOf(owner), erc20.UnpackBalanceOf)
	if err != nil {
		tb.Fatalf("ethtest: balanceOf: %v", err)
	}
	return bal
}
