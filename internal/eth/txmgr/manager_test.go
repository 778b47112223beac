package txmgr_test

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"

	"github.com/gpumarket/gpumarket/internal/eth/node"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
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
	sql     *postgrestest.SQL // raw checks of rows no store method reads
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
	e.sql = postgrestest.Open(tb, e.dsn)
	return e
}

// newManualEnv is newEnv on a chain that mines blocks only when asked
// (automine off).
func newManualEnv(tb testing.TB) *env {
	tb.Helper()
	e := newEnv(tb, anvil.Config{})
	if err := e.chain.SetAutomine(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
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

// transaction returns the transaction with hash h, failing tb if the node
// has none.
func (e *env) transaction(tb testing.TB, h gpumarket.Hash) *types.Transaction {
	tb.Helper()
	tx, _, err := e.chain.Client.TransactionByHash(context.Background(), common.Hash(h))
	if err != nil {
		tb.Fatal(err)
	}
	return tx
}

// setNextBaseFee sets the next block's base fee to gweis gwei.
func (e *env) setNextBaseFee(tb testing.TB, gweis int64) {
	tb.Helper()
	fee := new(big.Int).Mul(big.NewInt(gweis), gwei)
	if err := e.chain.Call(context.Background(), nil, "anvil_setNextBlockBaseFeePerGas", hexutil.EncodeBig(fee)); err != nil {
		tb.Fatal(err)
	}
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
	e := newManualEnv(t)
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
	fill := e.transaction(t, a.MinedHash)
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
	e := newManualEnv(t)
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
		e.setNextBaseFee(t, 100)
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
		tx := e.transaction(t, final.MinedHash)
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
