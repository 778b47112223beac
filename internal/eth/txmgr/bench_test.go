package txmgr_test

import (
	"context"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/ethereum/go-ethereum/core/types"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
)

// throughput is what measureThroughput found.
type throughput struct {
	Txs     int           // transfers confirmed
	Elapsed time.Duration // first Submit to last confirmation
	Gaps    int           // missing nonces in the sender's txs on chain (want 0)
	Dups    int           // nonces used twice, or more txs than intents (want 0)
}

func (r throughput) PerSecond() float64 { return float64(r.Txs) / r.Elapsed.Seconds() }

func (r throughput) String() string {
	return fmt.Sprintf("%d txs in %v = %.1f tx/s, %d nonce gaps, %d duplicates", r.Txs, r.Elapsed.Round(time.Millisecond), r.PerSecond(), r.Gaps, r.Dups)
}

// measureThroughput submits n TestERC20 transfers from one key as fast as
// the caller can, runs the manager (Confirmations 1: done when mined), and
// returns the sustained rate from the first Submit to the last confirmation,
// with the sender's nonce gaps counted on chain.
func measureThroughput(tb testing.TB, e *env, prefix string, n int) throughput {
	tb.Helper()
	m := e.manager(tb, func(c *txmgr.Config) {
		c.Confirmations = 1
		c.PollInterval = 10 * time.Millisecond
		c.Logger = nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sender := e.chain.Addrs[senderI]
	startNonce := e.nonceAt(tb, sender)
	startBlock, err := e.chain.Client.BlockNumber(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return m.Run(gctx) })

	start := time.Now()
	for i := 0; i < n; i++ {
		data := erc20.PackTransfer(e.chain.Addrs[6+i%4], big.NewInt(1))
		if _, err := m.Submit(ctx, fmt.Sprintf("%s-%d", prefix, i), addr(e.token), data, nil); err != nil {
			tb.Fatal(err)
		}
	}
	for {
		var done int
		if err := e.sql.TryQueryRow(ctx, "SELECT count(*) FROM tx_intents WHERE key LIKE $1 AND state = $2", []any{prefix + "-%", string(gpumarket.TxConfirmed)}, &done); err != nil {
			tb.Fatal(err)
		}
		if done == n {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	elapsed := time.Since(start)
	cancel()
	if err := g.Wait(); err != nil {
		tb.Fatal(err)
	}

	// Count the sender's nonces on chain since the start.
	head, err := e.chain.Client.BlockNumber(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	signer := types.LatestSignerForChainID(e.chain.ChainID)
	seen := map[uint64]int{}
	for b := startBlock + 1; b <= head; b++ {
		blk, err := e.chain.Client.BlockByNumber(context.Background(), new(big.Int).SetUint64(b))
		if err != nil {
			tb.Fatal(err)
		}
		for _, tx := range blk.Transactions() {
			if from, err := types.Sender(signer, tx); err == nil && from == sender {
				seen[tx.Nonce()]++
			}
		}
	}
	r := throughput{Txs: n, Elapsed: elapsed}
	for nonce := startNonce; nonce < startNonce+uint64(n); nonce++ {
		switch c := seen[nonce]; {
		case c == 0:
			r.Gaps++
		case c > 1:
			r.Dups += c - 1
		}
	}
	if len(seen) > n {
		r.Dups += len(seen) - n
	}
	return r
}

// BenchmarkTxManagerThroughput measures sustained tx/s from one key, with
// automine and with 1 s blocks; each iteration is a batch of 500 transfers.
// Run: go test -run '^$' -bench TxManagerThroughput -benchtime 1x ./internal/eth/txmgr/
func BenchmarkTxManagerThroughput(b *testing.B) {
	const batch = 500
	for _, bc := range []struct {
		name string
		cfg  anvil.Config
	}{
		{"automine", anvil.Config{}},
		{"blocktime=1s", anvil.Config{BlockTime: time.Second}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b, bc.cfg)
			var total throughput
			for i := 0; i < b.N; i++ {
				r := measureThroughput(b, e, fmt.Sprintf("bench-%d", i), batch)
				b.Logf("%s: %v", bc.name, r)
				if r.Gaps != 0 || r.Dups != 0 {
					b.Fatalf("%s: %d nonce gaps, %d duplicates; want none", bc.name, r.Gaps, r.Dups)
				}
				total.Txs += r.Txs
				total.Elapsed += r.Elapsed
			}
			b.ReportMetric(total.PerSecond(), "tx/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// TestThroughputReport runs a short measurement and checks its correctness
// (every transfer confirmed, no gaps, no duplicates); the rate is only
// logged: wall-clock figures do not belong in assertions.
func TestThroughputReport(t *testing.T) {
	e := newEnv(t, anvil.Config{})
	r := measureThroughput(t, e, "report", 60)
	t.Logf("automine: %v", r)
	if r.Gaps != 0 || r.Dups != 0 {
		t.Errorf("%v: want no gaps and no duplicates", r)
	}
	if got, want := e.balance(t, 6), plus(minted, 15); got.Cmp(want) != 0 {
		t.Errorf("balance = %v, want %v", got, want)
	}
}
