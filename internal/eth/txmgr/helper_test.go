package txmgr_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// helperEnv selects a helper mode when the test binary re-executes itself
// (the os/exec "TestHelperProcess" pattern): the process then runs a relayer
// instead of the tests.
const helperEnv = "GPUMARKET_TXM_HELPER"

// Helper configuration, passed through the environment.
const (
	envDSN   = "GPUMARKET_TXM_DSN"
	envRPC   = "GPUMARKET_TXM_RPC"
	envToken = "GPUMARKET_TXM_TOKEN"
	envCount = "GPUMARKET_TXM_COUNT"
	envUpto  = "GPUMARKET_TXM_UPTO"
)

// crashKey, crashRecipient and crashAmount define the helper's i-th transfer.
func crashKey(i int) string    { return fmt.Sprintf("submit-%03d", i) }
func crashRecipient(i int) int { return 6 + i%4 }
func crashAmount(i int) int64  { return 1_000 + int64(i) }

func mustKey(i int) *ecdsa.PrivateKey {
	k, err := crypto.HexToECDSA(anvil.DevKeys[i])
	if err != nil {
		panic(err)
	}
	return k
}

func devAddr(i int) gpumarket.Address {
	return gpumarket.Address(crypto.PubkeyToAddress(mustKey(i).PublicKey))
}

// runHelper is the helper process's main. Mode "relayer" submits the first GPUMARKET_TXM_UPTO
// transfers (idempotently: a restarted helper submits them all again), runs
// the manager, and exits 0 once every intent is final.
func runHelper(mode string) int {
	if mode != "relayer" {
		fmt.Fprintf(os.Stderr, "unknown helper mode %q\n", mode)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := relayer(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 1
	}
	return 0
}

func relayer(ctx context.Context) error {
	n, err := strconv.Atoi(os.Getenv(envCount))
	if err != nil {
		return fmt.Errorf("%s: %w", envCount, err)
	}
	upto, err := strconv.Atoi(os.Getenv(envUpto))
	if err != nil {
		return fmt.Errorf("%s: %w", envUpto, err)
	}
	token := common.HexToAddress(os.Getenv(envToken))
	db, err := postgres.Open(ctx, os.Getenv(envDSN))
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	url := os.Getenv(envRPC)
	m, err := txmgr.New(ctx, txmgr.Config{
		Endpoint:      func(context.Context) (string, error) { return url, nil },
		Key:           mustKey(senderI),
		Journal:       postgres.NewJournal(db),
		Confirmations: 2,
		PollInterval:  20 * time.Millisecond,
		Logger:        log,
	})
	if err != nil {
		return err
	}
	defer m.Close()

	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	g, gctx := errgroup.WithContext(runCtx)
	g.Go(func() error {
		for {
			err := m.Run(gctx)
			if gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
				return err
			}
			// The killed predecessor's session still holds the lock for a moment.
			select {
			case <-gctx.Done():
				return nil
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	g.Go(func() error {
		for i := 0; i < upto; i++ {
			data := erc20.PackTransfer(common.Address(devAddr(crashRecipient(i))), big.NewInt(crashAmount(i)))
			in, err := m.Submit(gctx, crashKey(i), gpumarket.Address(token), data, nil)
			if err != nil {
				return err
			}
			if in.State == gpumarket.TxPlanned {
				// New work arrives over time, as assignments do, so that kills
				// land while intents are being signed, sent, mined and confirmed.
				select {
				case <-gctx.Done():
					return nil
				case <-time.After(40 * time.Millisecond):
				}
			}
		}
		for {
			intents, err := postgres.NewJournal(db).Intents(gctx, m.ChainID(), m.Sender(), nil, 0)
			if err != nil {
				return err
			}
			final := 0
			for _, in := range intents {
				if in.State.Final() {
					final++
				}
			}
			if final == n {
				cancelRun()
				return nil
			}
			select {
			case <-gctx.Done():
				return nil
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	return g.Wait()
}

// TestExactlyOnceAcrossKills runs the relayer in a child process and kills it
// with SIGKILL at random moments (fixed seed, logged; override with
// GPUMARKET_TXM_SEED / GPUMARKET_TXM_KILLS), restarting it each time, then
// lets a last child finish. Every transfer must be confirmed exactly once:
// balances exact, one mined tx per key, the sender's nonces on chain
// contiguous from 0, and every tx from the sender known to the journal.
func TestExactlyOnceAcrossKills(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a subprocess 20+ times")
	}
	seed := envInt(t, "GPUMARKET_TXM_SEED", 20261122)
	kills := envInt(t, "GPUMARKET_TXM_KILLS", 24)
	const n = 50
	t.Logf("seed %d, %d kills, %d transfers", seed, kills, n)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))

	e := newEnv(t, anvil.Config{BlockTime: 200 * time.Millisecond})
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// Run k may submit the first 2(k+1) transfers (all of them at the end),
	// so every run but the last has new work to sign and old work to follow.
	child := func(ctx context.Context, upto int) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.CommandContext(ctx, exe)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Env = append(os.Environ(), helperEnv+"=relayer", envDSN+"="+e.dsn, envRPC+"="+e.chain.URL,
			envToken+"="+e.token.Hex(), envCount+"="+strconv.Itoa(n), envUpto+"="+strconv.Itoa(min(n, upto)))
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		return cmd, &out
	}
	ctx := context.Background()
	sender := e.chain.Addrs[senderI]
	landed, finishedEarly := 0, 0
	for k := 0; landed < kills; k++ {
		if counts := stateCounts(t, e, sender); counts[gpumarket.TxConfirmed] == n {
			break // all done: the kills below could not interrupt any work
		}
		cmd, out := child(ctx, 2*(k+1))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(20+rng.IntN(200)) * time.Millisecond
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done: // finished (or failed) before the kill
			if err != nil {
				t.Fatalf("helper %d exited early: %v\n%s", k, err, out)
			}
			finishedEarly++
		case <-time.After(wait):
			_ = cmd.Process.Kill()
			<-done
			landed++
		}
		t.Logf("run %2d killed after %v: %v", k+1, wait, stateCounts(t, e, sender))
	}
	finalCtx, cancel := context.WithTimeout(ctx, 3*time.Minute) // a hang guard, not a performance threshold
	defer cancel()
	cmd, out := child(finalCtx, n)
	if err := cmd.Run(); err != nil {
		t.Fatalf("final helper: %v\n%s", err, out)
	}
	t.Logf("%d SIGKILLs landed on a running relayer (%d runs finished before their kill)", landed, finishedEarly)
	if landed < 20 {
		t.Errorf("only %d kills interrupted a relayer with work left, want >= 20", landed)
	}
	assertExactlyOnce(t, e, n, crashKey, crashRecipient, crashAmount)
}

// assertExactlyOnce checks the journal against the chain after n transfers.
func assertExactlyOnce(t *testing.T, e *env, n int, key func(int) string, recipient func(int) int, amount func(int) int64) {
	t.Helper()
	ctx := context.Background()
	sender := e.chain.Addrs[senderI]
	chainID := e.chain.ChainID.Uint64()
	intents, err := e.journal.Intents(ctx, chainID, gpumarket.Address(sender), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(intents) != n {
		t.Fatalf("%d intents in the journal, want %d", len(intents), n)
	}
	keyOf := map[gpumarket.Hash]string{}
	atts, err := e.journal.Attempts(ctx, chainID, gpumarket.Address(sender), nil)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]string{}
	for _, in := range intents {
		byID[in.ID] = in.Key
		if in.State != gpumarket.TxConfirmed {
			t.Errorf("intent %s is %s (%s), want confirmed", in.Key, in.State, in.Reason)
		}
	}
	for _, a := range atts {
		keyOf[a.Hash] = byID[a.IntentID]
	}

	want := map[int]*big.Int{}
	for i := 0; i < n; i++ {
		r := recipient(i)
		if want[r] == nil {
			want[r] = new(big.Int).Set(minted)
		}
		want[r].Add(want[r], big.NewInt(amount(i)))
	}
	for r, w := range want {
		if got := e.balance(t, r); got.Cmp(w) != 0 {
			t.Errorf("balance of account %d = %v, want %v", r, got, w)
		}
	}

	head, err := e.chain.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSignerForChainID(e.chain.ChainID)
	minedPerKey := map[string]int{}
	var nonces []uint64
	for b := uint64(1); b <= head; b++ {
		blk, err := e.chain.Client.BlockByNumber(ctx, new(big.Int).SetUint64(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, tx := range blk.Transactions() {
			from, err := types.Sender(signer, tx)
			if err != nil || from != sender {
				continue
			}
			nonces = append(nonces, tx.Nonce())
			k, ok := keyOf[gpumarket.Hash(tx.Hash())]
			if !ok {
				t.Errorf("tx %s (nonce %d) from the sender is not in the journal", tx.Hash(), tx.Nonce())
				continue
			}
			minedPerKey[k]++
		}
	}
	for i, nonce := range nonces {
		if nonce != uint64(i) {
			t.Fatalf("sender nonces on chain = %v, want 0..%d contiguous", nonces, len(nonces)-1)
		}
	}
	if len(nonces) != n {
		t.Errorf("%d txs from the sender on chain, want %d", len(nonces), n)
	}
	for i := 0; i < n; i++ {
		if c := minedPerKey[key(i)]; c != 1 {
			t.Errorf("key %s has %d mined txs, want exactly 1", key(i), c)
		}
	}
}

func stateCounts(tb testing.TB, e *env, sender common.Address) map[gpumarket.TxState]int {
	tb.Helper()
	intents, err := e.journal.Intents(context.Background(), e.chain.ChainID.Uint64(), gpumarket.Address(sender), nil, 0)
	if err != nil {
		tb.Fatal(err)
	}
	c := map[gpumarket.TxState]int{}
	for _, in := range intents {
		c[in.State]++
	}
	return c
}

func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		tb.Fatalf("%s=%q: %v", name, s, err)
	}
	return v
}
