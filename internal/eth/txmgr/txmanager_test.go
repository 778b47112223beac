package txmgr_test

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

var _ txmgr.Journal = (*postgres.Journal)(nil)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	pgtest.Main(m)
}

var (
	erc20   = bindings.NewTestERC20()
	gwei    = big.NewInt(1_000_000_000)
	minted  = big.NewInt(1_000_000_000)
	senderI = 1 // dev account that the manager signs for; account 0 deploys
)

// env is a chain with a TestERC20 minted to every dev account, and a
// migrated database.
type env struct {
	chain   *ethtest.Chain
	db      *postgres.DB
	dsn     string
	journal *postgres.Journal
	token   common.Address
}

func newEnv(tb testing.TB, cfg anvil.Config) *env {
	tb.Helper()
	c := ethtest.New(tb, cfg)
	e := &env{chain: c, dsn: pgtest.URL(tb)}
	e.token = c.DeployTestToken(tb, "USDT", 6, minted)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, e.dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(db.Close)
	e.db, e.journal = db, postgres.NewJournal(db)
	return e
}

// testLogger writes the manager's log into the test log.
func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (e *env) manager(tb testing.TB, mod func(*txmgr.Config)) *txmgr.Manager {
	tb.Helper()
	url := e.chain.URL
	cfg := txmgr.Config{
		Endpoint:      func(context.Context) (string, error) { return url, nil },
		Key:           e.chain.Keys[senderI],
		Journal:       e.journal,
		Confirmations: 2,
		Logger:        testLogger(tb),
		PollInterval:  20 * time.Millisecond,
	}
	if mod != nil {
		mod(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	m, err := txmgr.New(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(m.Close)
	for i := 0; ; i++ { // retried: some tests put a faulty proxy in front of the node
		err := m.Reconcile(ctx)
		if err == nil {
			break
		}
		if i == 20 || !errors.Is(err, node.ErrUnavailable) {
			tb.Fatal(err)
		}
	}
	return m
}

func transfer(to common.Address, amount int64) []byte {
	return erc20.PackTransfer(to, big.NewInt(amount))
}

// drive calls Tick and then between (for example: mine a block) until key's
// intent is in state want, at most steps times.
func drive(tb testing.TB, m *txmgr.Manager, key string, want gpumarket.TxState, steps int, between func()) gpumarket.TxIntent {
	tb.Helper()
	ctx := context.Background()
	var in gpumarket.TxIntent
	for i := 0; i < steps; i++ {
		if err := m.Tick(ctx); err != nil {
			tb.Logf("tick %d: %v", i, err)
		}
		var err error
		if in, err = m.Intent(ctx, key); err != nil {
			tb.Fatal(err)
		}
		if in.State == want {
			return in
		}
		if between != nil {
			between()
		}
	}
	tb.Fatalf("intent %q is %s after %d ticks, want %s (reason %q)", key, in.State, steps, want, in.Reason)
	return in
}

func (e *env) mine(tb testing.TB) func() {
	return func() {
		tb.Helper()
		if err := e.chain.Mine(context.Background(), 1); err != nil {
			tb.Fatal(err)
		}
	}
}

func (e *env) nonceAt(tb testing.TB, addr common.Address) uint64 {
	tb.Helper()
	n, err := e.chain.Client.NonceAt(context.Background(), addr, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func (e *env) balance(tb testing.TB, i int) *big.Int {
	tb.Helper()
	return e.chain.TokenBalance(tb, e.token, e.chain.Addrs[i])
}

func plus(a *big.Int, b int64) *big.Int { return new(big.Int).Add(a, big.NewInt(b)) }

func (e *env) receipt(tb testing.TB, h gpumarket.Hash) *types.Receipt {
	tb.Helper()
	r, err := e.chain.Client.TransactionReceipt(context.Background(), common.Hash(h))
	if errors.Is(err, ethereum.NotFound) {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func addr(a common.Address) gpumarket.Address { return gpumarket.Address(a) }

func TestSubmitIsIdempotent(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	m := e.manager(t, nil)
	data := transfer(e.chain.Addrs[6], 500)

	first, err := m.Submit(ctx, "settle-1", addr(e.token), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := m.Submit(ctx, "settle-1", addr(e.token), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Fatalf("Submit twice: intent ids %d and %d, want the same", first.ID, again.ID)
	}
	drive(t, m, "settle-1", gpumarket.TxMined, 5, nil)
	// After it is mined, the same key still sends nothing more.
	if _, err := m.Submit(ctx, "settle-1", addr(e.token), data, nil); err != nil {
		t.Fatal(err)
	}
	in := drive(t, m, "settle-1", gpumarket.TxConfirmed, 10, e.mine(t))

	if got := e.nonceAt(t, e.chain.Addrs[senderI]); got != 1 {
		t.Errorf("sender nonce = %d after submitting one key three times, want 1", got)
	}
	if got, want := e.balance(t, 6), plus(minted, 500); got.Cmp(want) != 0 {
		t.Errorf("recipient balance = %v, want %v (exactly one transfer)", got, want)
	}
	if in.Attempts != 1 || !in.HasNonce || in.Nonce != 0 || in.MinedHash != in.Hash {
		t.Errorf("intent = attempts %d nonce %d/%v mined %s hash %s, want one attempt at nonce 0", in.Attempts, in.Nonce, in.HasNonce, in.MinedHash, in.Hash)
	}
	if got := scrape(t, m)["sent"]; got != 1 {
		t.Errorf("gpumarket_txmanager_transactions_total{event=sent} = %v, want 1", got)
	}

	// The same key naming a different action is refused.
	_, err = m.Submit(ctx, "settle-1", addr(e.token), transfer(e.chain.Addrs[6], 501), nil)
	if gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("Submit(same key, other data) error = %v, want %s", err, gpumarket.ECONFLICT)
	}
	if _, err := m.Submit(ctx, "", addr(e.token), data, nil); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Submit(empty key) error = %v, want %s", err, gpumarket.EINVALID)
	}
}

func TestSkipWhenTheChainSaysDone(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	m := e.manager(t, func(c *txmgr.Config) {
		c.Precheck = func(_ context.Context, in gpumarket.TxIntent) (string, error) {
			if strings.HasPrefix(in.Key, "settle-") {
				return "job already settled by the client", nil
			}
			return "", nil
		}
	})
	tests := []struct {
		name, key  string
		data       []byte
		wantReason string
	}{
		{"eth_call reverts (balance too small)", "accept-7", transfer(e.chain.Addrs[6], 2_000_000_000), "execution reverted: custom error 0xe450d38c"}, // ERC20InsufficientBalance
		{"precheck says done", "settle-7", transfer(e.chain.Addrs[6], 1), "job already settled by the client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := m.Submit(ctx, tt.key, addr(e.token), tt.data, nil); err != nil {
				t.Fatal(err)
			}
			in := drive(t, m, tt.key, gpumarket.TxSkipped, 3, nil)
			if !strings.HasPrefix(in.Reason, tt.wantReason) {
				t.Errorf("reason = %q, want prefix %q", in.Reason, tt.wantReason)
			}
			if in.HasNonce || in.Attempts != 0 || in.FinishedAt.IsZero() {
				t.Errorf("skipped intent: nonce %v attempts %d finished %v, want no nonce, no attempt, finished", in.HasNonce, in.Attempts, in.FinishedAt)
			}
		})
	}
	if got := e.nonceAt(t, e.chain.Addrs[senderI]); got != 0 {
		t.Errorf("sender nonce = %d, want 0: skipped actions send nothing", got)
	}
	if n, err := e.journal.NextNonce(ctx, m.ChainID(), m.Sender()); err != nil || n != 0 {
		t.Errorf("journal next nonce = %d, %v; want 0 (no nonce consumed)", n, err)
	}
}

// TestFillAbandonedNonce cancels an intent that is already broadcast with
// nonce 0 while the next intent waits at nonce 1: the slot is filled with a
// 0-value self-transfer at nonce 0 (replacing the pool tx), the cancelled
// transfer never happens, the later one does, and the nonces have no gap.
func TestFillAbandonedNonce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	if err := e.chain.SetAutomine(ctx, false); err != nil {
		t.Fatal(err)
	}
	m := e.manager(t, nil)
	for _, k := range []struct {
		key string
		amt int64
	}{{"accept-1", 111}, {"accept-2", 222}} {
		if _, err := m.Submit(ctx, k.key, addr(e.token), transfer(e.chain.Addrs[7], k.amt), nil); err != nil {
			t.Fatal(err)
		}
	}
	a := drive(t, m, "accept-1", gpumarket.TxBroadcast, 3, nil)
	drive(t, m, "accept-2", gpumarket.TxBroadcast, 3, nil)
	if _, err := m.Cancel(ctx, "accept-1", "assignment expired"); err != nil {
		t.Fatal(err)
	}
	if err := m.Tick(ctx); err != nil { // signs and sends the fill
		t.Fatal(err)
	}
	a = drive(t, m, "accept-1", gpumarket.TxReplaced, 10, e.mine(t))
	b := drive(t, m, "accept-2", gpumarket.TxConfirmed, 10, e.mine(t))

	if a.Nonce != 0 || b.Nonce != 1 || a.Attempts != 2 || !a.Abandoned || a.Reason != "assignment expired" {
		t.Fatalf("intents: a nonce %d attempts %d abandoned %v reason %q; b nonce %d", a.Nonce, a.Attempts, a.Abandoned, a.Reason, b.Nonce)
	}
	fill, _, err := e.chain.Client.TransactionByHash(ctx, common.Hash(a.MinedHash))
	if err != nil {
		t.Fatal(err)
	}
	if *fill.To() != e.chain.Addrs[senderI] || fill.Value().Sign() != 0 || len(fill.Data()) != 0 || fill.Nonce() != 0 {
		t.Errorf("fill tx = to %s value %v data %x nonce %d, want a 0-value self-transfer at nonce 0", fill.To(), fill.Value(), fill.Data(), fill.Nonce())
	}
	if e.receipt(t, a.Hash) == nil {
		t.Errorf("the intent's current hash %s has no receipt", a.Hash)
	}
	atts, err := e.journal.Attempts(ctx, m.ChainID(), m.Sender(), []int64{a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.receipt(t, atts[0].Hash); r != nil {
		t.Errorf("the cancelled call %s was mined", atts[0].Hash)
	}
	if got, want := e.balance(t, 7), plus(minted, 222); got.Cmp(want) != 0 {
		t.Errorf("recipient balance = %v, want %v (only the second transfer)", got, want)
	}
	if got := e.nonceAt(t, e.chain.Addrs[senderI]); got != 2 {
		t.Errorf("sender nonce = %d, want 2 (fill at 0, call at 1)", got)
	}
}

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
	e := newEnv(t, anvil.Config{})
	if err := e.chain.SetAutomine(ctx, false); err != nil {
		t.Fatal(err)
	}
	m := e.manager(t, func(c *txmgr.Config) {
		c.BumpAfterBlocks = bumpAfter
		c.TipCap = gwei
	})
	if _, err := m.Submit(ctx, "submit-9", addr(e.token), transfer(e.chain.Addrs[8], 909), nil); err != nil {
		t.Fatal(err)
	}
	first := drive(t, m, "submit-9", gpumarket.TxBroadcast, 3, nil)

	// 100 gwei base fee: the tx (max fee = 1 gwei tip + 2 × ~1 gwei) cannot be mined.
	if err := e.chain.Call(ctx, nil, "anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(new(big.Int).Mul(big.NewInt(100), gwei))); err != nil {
		t.Fatal(err)
	}
	in := drive(t, m, "submit-9", gpumarket.TxConfirmed, 20, e.mine(t))

	if e.receipt(t, first.Hash) != nil {
		t.Errorf("original %s has a receipt; want only the replacement mined", first.Hash)
	}
	if in.MinedHash == first.Hash || in.Attempts < 2 {
		t.Fatalf("mined %s after %d attempts; want a replacement of %s", in.MinedHash, in.Attempts, first.Hash)
	}
	mined, _, err := e.chain.Client.TransactionByHash(ctx, common.Hash(in.MinedHash))
	if err != nil {
		t.Fatal(err)
	}
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
	e := newEnv(t, anvil.Config{})
	if err := e.chain.SetAutomine(ctx, false); err != nil {
		t.Fatal(err)
	}
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
	if err := e.chain.Call(ctx, nil, "anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(new(big.Int).Mul(big.NewInt(1000), gwei))); err != nil {
		t.Fatal(err)
	}
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

// TestReorgResendsDroppedTransaction mines a transfer, then replaces its
// block (anvil_reorg drops its transactions): the manager sees the block
// hash change and re-sends it. With unchanged fees the same raw bytes are
// re-sent; when the base fee rose above the signed fee cap in the meantime,
// the node refuses them and the manager re-signs at the same nonce.
func TestReorgResendsDroppedTransaction(t *testing.T) {
	tests := []struct {
		name         string
		raiseBaseFee bool
	}{
		{"same raw bytes", false},
		{"re-signed at the same nonce when the base fee rose", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { testReorg(t, tt.raiseBaseFee) })
	}
}

func testReorg(t *testing.T, raiseBaseFee bool) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	if err := e.chain.SetAutomine(ctx, false); err != nil {
		t.Fatal(err)
	}
	m := e.manager(t, func(c *txmgr.Config) { c.Confirmations = 3; c.TipCap = gwei })
	if _, err := m.Submit(ctx, "accept-42", addr(e.token), transfer(e.chain.Addrs[9], 4242), nil); err != nil {
		t.Fatal(err)
	}
	drive(t, m, "accept-42", gpumarket.TxBroadcast, 3, nil)
	mined := drive(t, m, "accept-42", gpumarket.TxMined, 3, e.mine(t))

	if err := e.chain.Reorg(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if e.receipt(t, mined.Hash) != nil {
		t.Fatal("the reorg did not drop the transfer; the test proves nothing")
	}
	if got := e.balance(t, 9); got.Cmp(minted) != 0 {
		t.Fatalf("balance after reorg = %v, want %v", got, minted)
	}
	if raiseBaseFee {
		if err := e.chain.Call(ctx, nil, "anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(new(big.Int).Mul(big.NewInt(100), gwei))); err != nil {
			t.Fatal(err)
		}
		e.mine(t)() // an empty block at 100 gwei: the signed fee cap no longer fits
	}
	final := drive(t, m, "accept-42", gpumarket.TxConfirmed, 10, e.mine(t))
	if final.MinedBlockHash == mined.MinedBlockHash {
		t.Errorf("confirmed in block %s, the reorged block; want a new block", final.MinedBlockHash)
	}
	if raiseBaseFee {
		if final.MinedHash == mined.Hash || final.Attempts < 2 {
			t.Errorf("confirmed %s after %d attempts; want a re-signed replacement of %s", final.MinedHash, final.Attempts, mined.Hash)
		}
		tx, _, err := e.chain.Client.TransactionByHash(ctx, common.Hash(final.MinedHash))
		if err != nil {
			t.Fatal(err)
		}
		if tx.Nonce() != mined.Nonce {
			t.Errorf("re-signed at nonce %d, want the original %d", tx.Nonce(), mined.Nonce)
		}
		if e.receipt(t, mined.Hash) != nil {
			t.Errorf("the original %s is mined too", mined.Hash)
		}
	} else if final.MinedHash != mined.Hash || final.Attempts != 1 {
		t.Errorf("confirmed %s after %d attempts, want the same raw tx %s re-sent (1 attempt)", final.MinedHash, final.Attempts, mined.Hash)
	}
	if got, want := e.balance(t, 9), plus(minted, 4242); got.Cmp(want) != 0 {
		t.Errorf("balance = %v, want %v (re-sent exactly once)", got, want)
	}
	if s := m.Stats(); s.Reorged != 1 {
		t.Errorf("stats.Reorged = %d, want 1", s.Reorged)
	}
}

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
	if err := e.chain.Call(ctx, nil, "anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(new(big.Int).Mul(big.NewInt(50), gwei))); err != nil {
		t.Fatal(err)
	}
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
		if err := e.db.QueryRow(context.Background(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", nil, &n); err != nil {
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

// rpcError is a JSON-RPC error as the node returns it (code, message, data).
type rpcError struct {
	code int
	msg  string
	data any
}

func (e rpcError) Error() string  { return e.msg }
func (e rpcError) ErrorCode() int { return e.code }
func (e rpcError) ErrorData() any { return e.data }

func TestClassifyRPCError(t *testing.T) {
	revertData := "0x08c379a0" + // Error(string) "job settled"
		"0000000000000000000000000000000000000000000000000000000000000020" +
		"000000000000000000000000000000000000000000000000000000000000000b" +
		"6a6f6220736574746c6564000000000000000000000000000000000000000000"
	tests := []struct {
		name   string
		err    error
		want   error
		reason string
	}{
		{"geth already known", rpcError{-32000, "already known", nil}, node.ErrAlreadyKnown, ""},
		{"anvil already imported", rpcError{-32003, "transaction already imported", nil}, node.ErrAlreadyKnown, ""},
		{"geth nonce too low", rpcError{-32000, "nonce too low: address 0x70997970C51812dc3A010C7d01e854b69C6C8Cf4, tx: 0 state: 1", nil}, node.ErrNonceTooLow, ""},
		{"anvil nonce too low", rpcError{-32003, "nonce too low", nil}, node.ErrNonceTooLow, ""},
		{"geth nonce too high", rpcError{-32000, "nonce too high", nil}, node.ErrNonceTooHigh, ""},
		{"replacement underpriced", rpcError{-32000, "replacement transaction underpriced", nil}, node.ErrUnderpriced, ""},
		{"geth underpriced", rpcError{-32000, "transaction underpriced: tip needed 1, tip permitted 0", nil}, node.ErrUnderpriced, ""},
		{"geth fee cap below base fee", rpcError{-32000, "max fee per gas less than block base fee: address 0x7099…, maxFeePerGas: 1000000000, baseFee: 1750000000", nil}, node.ErrFeeTooLow, ""},
		{"anvil fee cap below base fee", rpcError{-32003, "max fee per gas less than block base fee", nil}, node.ErrFeeTooLow, ""},
		{"geth insufficient funds", rpcError{-32000, "insufficient funds for gas * price + value: address 0x7099… have 0 want 21000000000000", nil}, node.ErrInsufficientFunds, ""},
		{"anvil insufficient funds", rpcError{-32003, "Insufficient funds for gas * price + value", nil}, node.ErrInsufficientFunds, ""},
		{"revert with reason", rpcError{3, "execution reverted: job settled", revertData}, node.ErrReverted, "execution reverted: job settled"},
		{"revert with custom error", rpcError{3, "execution reverted", "0xe450d38c00"}, node.ErrReverted, "execution reverted: custom error 0xe450d38c00"},
		{"other refusal", rpcError{-32000, "intrinsic gas too low", nil}, node.ErrRejected, ""},
		{"HTTP 502", rpc502(), node.ErrUnavailable, ""},
		{"deadline", context.DeadlineExceeded, node.ErrUnavailable, ""},
		{"EOF", errors.New("post: " + "unexpected EOF"), node.ErrUnavailable, ""},
		{"connection refused", dialRefused(t), node.ErrUnavailable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := node.Classify(tt.err)
			if !errors.Is(got, tt.want) {
				t.Fatalf("node.Classify(%v) = %v (%s), want %v", tt.err, got, node.ClassName(got), tt.want)
			}
			if !strings.Contains(got.Error(), tt.err.Error()) && tt.reason == "" {
				t.Errorf("node.Classify(%v) lost the original error", tt.err)
			}
			var re *node.RPCError
			if tt.reason != "" && (!errors.As(got, &re) || re.Reason != tt.reason) {
				t.Errorf("reason = %q, want %q", re.Reason, tt.reason)
			}
		})
	}
	if node.Classify(nil) != nil {
		t.Error("node.Classify(nil) != nil")
	}
	if err := node.Classify(context.Canceled); errors.Is(err, node.ErrUnavailable) {
		t.Error("a cancelled context was classified as an unavailable node")
	}
}

func rpc502() error { return rpcHTTPError(502) }

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

func rpcHTTPError(code int) error {
	return rpc.HTTPError{StatusCode: code, Status: http.StatusText(code)}
}

// dialRefused returns the error of connecting to a port nobody listens on.
func dialRefused(tb testing.TB) error {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	a := l.Addr().String()
	l.Close()
	conn, err := net.Dial("tcp", a)
	if err == nil {
		conn.Close()
		tb.Fatal("dial to a closed port succeeded")
	}
	return err
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

// scrape gathers the manager's Prometheus metrics through a registry and
// returns gpumarket_txmanager_transactions_total by event.
func scrape(tb testing.TB, m *txmgr.Manager) map[string]float64 {
	tb.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(txmgr.NewMetrics(m)); err != nil {
		tb.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "gpumarket_txmanager_transactions_total" {
			continue
		}
		for _, metric := range f.GetMetric() {
			for _, l := range metric.GetLabel() {
				if l.GetName() == "event" {
					out[l.GetValue()] = metric.GetCounter().GetValue()
				}
			}
		}
	}
	if len(out) != 8 {
		tb.Fatalf("scraped events %v, want 8", out)
	}
	return out
}
