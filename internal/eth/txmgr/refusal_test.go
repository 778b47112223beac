package txmgr_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
)

// TestInsufficientFunds: a sender without ether cannot pay; the manager
// alerts once, keeps the signed tx (no new nonce), and sends it as soon as
// the account is funded.
func TestInsufficientFunds(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	poor := crypto.PubkeyToAddress(key.PublicKey)
	var alerts []txmgr.Alert
	m := e.manager(t, func(c *txmgr.Config) {
		c.Key = key
		c.OnAlert = func(a txmgr.Alert) { alerts = append(alerts, a) }
	})
	// A 0-value call needs only gas: the simulation passes, the send fails.
	if _, err := m.Submit(ctx, "withdraw-eth-1", addr(poor), nil, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if err := m.Tick(ctx); err != nil && !errors.Is(err, node.ErrInsufficientFunds) {
			t.Fatalf("tick: %v", err)
		}
		e.mine(t)()
	}
	in, err := m.Intent(ctx, "withdraw-eth-1")
	if err != nil {
		t.Fatal(err)
	}
	if in.State != gpumarket.TxSigned || in.Attempts != 1 || len(alerts) != 1 || alerts[0].Kind != txmgr.AlertInsufficientFunds {
		t.Fatalf("unfunded: state %s attempts %d alerts %+v; want signed, 1 attempt, one %s alert", in.State, in.Attempts, alerts, txmgr.AlertInsufficientFunds)
	}
	if err := e.chain.Call(ctx, nil, "anvil_setBalance", poor, hexutil.EncodeBig(new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1)))); err != nil {
		t.Fatal(err)
	}
	final := drive(t, m, "withdraw-eth-1", gpumarket.TxConfirmed, 10, e.mine(t))
	if final.MinedHash != in.Hash || final.Nonce != 0 {
		t.Errorf("mined %s at nonce %d, want the stored %s at 0", final.MinedHash, final.Nonce, in.Hash)
	}
}

// TestForeignNonceUse: the key is used outside the manager. Before the
// manager starts, Reconcile moves the allocator past the foreign nonce. While
// the manager runs, a foreign tx that takes an in-flight nonce makes that
// intent fail (alert), never re-sent under another nonce.
func TestForeignNonceUse(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	foreign := func(nonce uint64, feeGwei int64) *types.Transaction {
		to := e.chain.Addrs[5]
		tx, err := types.SignNewTx(e.chain.Keys[senderI], types.LatestSignerForChainID(e.chain.ChainID), &types.DynamicFeeTx{
			ChainID: e.chain.ChainID, Nonce: nonce, GasTipCap: new(big.Int).Mul(big.NewInt(feeGwei), gwei),
			GasFeeCap: new(big.Int).Mul(big.NewInt(feeGwei), gwei), Gas: 21000, To: &to, Value: big.NewInt(1),
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.chain.Client.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		return tx
	}
	e.chain.Mined(t, foreign(0, 5)) // nonce 0 used before the manager ever ran
	var alerts []txmgr.Alert
	m := e.manager(t, func(c *txmgr.Config) {
		c.TipCap = gwei
		c.OnAlert = func(a txmgr.Alert) { alerts = append(alerts, a) }
	}) // Reconcile raises the allocator to 1
	if err := e.chain.SetAutomine(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Submit(ctx, "accept-5", addr(e.token), transfer(e.chain.Addrs[6], 5), nil); err != nil {
		t.Fatal(err)
	}
	in := drive(t, m, "accept-5", gpumarket.TxBroadcast, 3, nil)
	if in.Nonce != 1 {
		t.Fatalf("first managed nonce = %d, want 1 (after the foreign 0)", in.Nonce)
	}
	foreign(1, 50) // replaces ours in the pool: higher fees, same nonce
	failed := drive(t, m, "accept-5", gpumarket.TxFailed, 10, e.mine(t))
	if len(alerts) != 1 || alerts[0].Kind != txmgr.AlertNonceConsumed || !strings.Contains(failed.Reason, "not in the journal") {
		t.Errorf("alerts %+v reason %q; want one %s", alerts, failed.Reason, txmgr.AlertNonceConsumed)
	}
	if got := e.balance(t, 6); got.Cmp(minted) != 0 {
		t.Errorf("balance = %v, want %v: the managed transfer never happened", got, minted)
	}
	if n, _ := e.journal.NextNonce(ctx, m.ChainID(), m.Sender()); n != 2 {
		t.Errorf("allocator at %d, want 2", n)
	}
}

// TestSimulationLaterFailsFillsNonce: a transferFrom that simulated fine is
// stuck below the base fee; meanwhile the owner revokes the allowance. Before
// bumping, the manager simulates the head-of-line call again, sees it revert
// and fills its nonce with a self-transfer, so the next intent is not stuck.
func TestSimulationLaterFailsFillsNonce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	owner := 4
	inst := erc20.Instance(e.chain.Client, e.token)
	tx, err := bind.Transact(inst, e.chain.Opts(t, owner), erc20.PackApprove(e.chain.Addrs[senderI], big.NewInt(1_000)))
	if err != nil {
		t.Fatal(err)
	}
	e.chain.Mined(t, tx)
	if err := e.chain.SetAutomine(ctx, false); err != nil {
		t.Fatal(err)
	}
	m := e.manager(t, func(c *txmgr.Config) { c.BumpAfterBlocks = 2; c.TipCap = gwei })
	pull := erc20.PackTransferFrom(e.chain.Addrs[owner], e.chain.Addrs[senderI], big.NewInt(1_000))
	if _, err := m.Submit(ctx, "withdraw-usdt-1", addr(e.token), pull, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Submit(ctx, "withdraw-usdt-2", addr(e.token), transfer(e.chain.Addrs[6], 6), nil); err != nil {
		t.Fatal(err)
	}
	drive(t, m, "withdraw-usdt-2", gpumarket.TxBroadcast, 3, nil)
	// Price the manager's txs out, then let the owner revoke with a fee that fits.
	e.setNextBaseFee(t, 50)
	opts := e.chain.Opts(t, owner)
	opts.GasFeeCap, opts.GasTipCap = new(big.Int).Mul(big.NewInt(500), gwei), gwei
	revoke, err := bind.Transact(inst, opts, erc20.PackApprove(e.chain.Addrs[senderI], big.NewInt(0)))
	if err != nil {
		t.Fatal(err)
	}
	e.mine(t)()
	if r := e.receipt(t, gpumarket.Hash(revoke.Hash())); r == nil || r.Status != 1 {
		t.Fatal("the revoke was not mined")
	}
	a := drive(t, m, "withdraw-usdt-1", gpumarket.TxReplaced, 20, e.mine(t))
	b := drive(t, m, "withdraw-usdt-2", gpumarket.TxConfirmed, 20, e.mine(t))
	if !a.Abandoned || !strings.Contains(a.Reason, "reverted") || a.Nonce != 0 || b.Nonce != 1 {
		t.Errorf("a: abandoned %v reason %q nonce %d; b nonce %d", a.Abandoned, a.Reason, a.Nonce, b.Nonce)
	}
	if got := e.balance(t, owner); got.Cmp(minted) != 0 {
		t.Errorf("owner balance = %v, want %v (the pull never happened)", got, minted)
	}
	if got := e.nonceAt(t, e.chain.Addrs[senderI]); got != 2 {
		t.Errorf("sender nonce = %d, want 2", got)
	}
}

// TestSenderLock: while one manager runs for a key, a second one for the
// same key and chain is refused.
func TestSenderLock(t *testing.T) {
	e := newEnv(t, anvil.Config{})
	m1, m2 := e.manager(t, nil), e.manager(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	running := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- e.journal.WithSenderLock(ctx, m1.ChainID(), m1.Sender(), func(ctx context.Context) error {
			close(running)
			<-ctx.Done()
			return nil
		})
	}()
	<-running
	err := m2.Run(ctx)
	if gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("second Run error = %v, want %s", err, gpumarket.ECONFLICT)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("first lock holder: %v", err)
	}
	// Released: m2's Run now takes the lock (a third party is refused while
	// it runs) and returns nil when cancelled.
	ctx2, cancel2 := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- m2.Run(ctx2) }()
	held := false
	for i := 0; i < 500 && !held; i++ { // watch pg_locks: probing with a lock could steal it
		var n int
		if err := e.sql.TryQueryRow(context.Background(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", nil, &n); err != nil {
			t.Fatal(err)
		}
		held = n == 1
		if !held {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if err := e.journal.WithSenderLock(context.Background(), m1.ChainID(), m1.Sender(), func(context.Context) error { return nil }); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("third party while m2 runs: %v, want %s", err, gpumarket.ECONFLICT)
	}
	cancel2()
	if err := <-runErr; err != nil {
		t.Errorf("Run after cancellation = %v, want nil", err)
	}
	if !held {
		t.Error("while m2.Run ran, the sender lock was free")
	}
}

// TestWrongChainRefused: a manager configured for another chain never signs
// or sends to this node.
func TestWrongChainRefused(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	m, err := txmgr.New(ctx, txmgr.Config{
		Endpoint: func(context.Context) (string, error) { return e.chain.URL, nil },
		Key:      e.chain.Keys[senderI], Journal: e.journal, ChainID: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Submit(ctx, "accept-1", addr(e.token), transfer(e.chain.Addrs[6], 1), nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Tick(ctx); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Tick against chain %v with ChainID 1: %v, want %s", e.chain.ChainID, err, gpumarket.EINVALID)
	}
	if got := e.nonceAt(t, e.chain.Addrs[senderI]); got != 0 {
		t.Errorf("sender nonce = %d, want 0 (nothing sent)", got)
	}
	for i, bad := range []txmgr.Config{
		{Key: e.chain.Keys[0], Journal: e.journal},
		{Endpoint: func(context.Context) (string, error) { return e.chain.URL, nil }, Journal: e.journal},
		{Endpoint: func(context.Context) (string, error) { return e.chain.URL, nil }, Key: e.chain.Keys[0], Journal: e.journal, BumpPermille: 50},
	} {
		if _, err := txmgr.New(ctx, bad); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
			t.Errorf("New(bad config %d) = %v, want %s", i, err, gpumarket.EINVALID) // never print a config: it holds the key
		}
	}
}
