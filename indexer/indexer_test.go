package indexer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		runChild()
		return
	}
	pgtest.Main(m)
}

// rig is one anvil chain with a token whose Transfer logs are indexed into
// one fresh database.
type rig struct {
	t      *testing.T
	chain  *ethtest.Chain
	token  common.Address
	start  uint64
	store  *postgres.IndexerStore
	source *node.Source
}

func newRig(t *testing.T, cfg anvil.Config) *rig {
	t.Helper()
	c := ethtest.New(t, cfg)
	token := c.DeployTestToken(t, "USDT", 6, big.NewInt(1_000_000_000))
	ctx := context.Background()
	start, err := c.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src, err := node.Dial(ctx, c.URL, []gpumarket.Address{gpumarket.Address(token)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.Close)
	return &rig{t: t, chain: c, token: token, start: start, store: postgres.NewIndexerStore(pgtest.New(t)), source: src}
}

func (r *rig) indexer(owner string, cfg indexer.Config) *indexer.Indexer {
	cfg.ChainID = anvil.ChainID
	cfg.StartBlock = r.start
	cfg.Owner = owner
	return indexer.New(cfg, r.source, r.store, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
}

// transfers sends n token transfers from dev account `from`, one block each (automine).
func (r *rig) transfers(n, from int) {
	r.t.Helper()
	erc20 := bindings.NewTestERC20()
	inst := erc20.Instance(r.chain.Client, r.token)
	for i := 0; i < n; i++ {
		tx, err := bind.Transact(inst, r.chain.Opts(r.t, from), erc20.PackTransfer(r.chain.Addrs[(from+1+i)%10], big.NewInt(int64(1+i))))
		if err != nil {
			r.t.Fatal(err)
		}
		r.chain.Mined(r.t, tx)
	}
}

// catchUp runs Step until the indexer reports no progress.
func catchUp(t *testing.T, ix *indexer.Indexer) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < 10_000; i++ {
		progressed, err := ix.Step(ctx)
		if err != nil {
			t.Fatalf("Step: %v", err)
		}
		if !progressed {
			return
		}
	}
	t.Fatal("indexer never caught up")
}

// assertMirror compares the stored logs with the chain's own eth_getLogs
// from the start block to the head: same logs, same order, same bytes.
func (r *rig) assertMirror() {
	r.t.Helper()
	ctx := context.Background()
	head, err := r.chain.Client.BlockNumber(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	want, err := r.source.RangeLogs(ctx, r.start, head)
	if err != nil {
		r.t.Fatal(err)
	}
	got, err := r.store.Logs(ctx, anvil.ChainID, 0, head+1000)
	if err != nil {
		r.t.Fatal(err)
	}
	if len(got) != len(want) {
		r.t.Fatalf("stored %d logs, chain has %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			r.t.Fatalf("log %d differs:\n stored %+v\n chain  %+v", i, got[i], want[i])
		}
	}
	cur, err := r.store.Cursor(ctx, anvil.ChainID)
	if err != nil {
		r.t.Fatal(err)
	}
	hb, err := r.source.BlockByNumber(ctx, cur.Number)
	if err != nil || hb.Hash != cur.Hash || cur.Number != head {
		r.t.Fatalf("cursor %d %s; chain head %d, block hash there %s (%v)", cur.Number, cur.Hash, head, hb.Hash, err)
	}
}

func TestBackfillThenTail(t *testing.T) {
	t.Parallel()
	r := newRig(t, anvil.Config{SlotsInEpoch: 2}) // finalized = head - 4
	r.transfers(12, 1)
	ix := r.indexer("a", indexer.Config{InitialRange: 3})
	catchUp(t, ix)
	r.assertMirror()
	st := ix.Status()
	if st.Backfilling || st.Indexed != st.Head || st.Finalized == 0 {
		t.Fatalf("status after catch-up = %+v", st)
	}
	r.transfers(5, 2)
	catchUp(t, ix)
	r.assertMirror()
}

func TestReorgReplacesLogs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		depth       uint64
		replacement bool // put a different transfer into the new blocks
		same        bool // re-include the dropped transfer itself: identical log at a new block hash
	}{
		{"one block replacing a log", 1, true, false},
		{"identical log at a new block hash", 1, false, true},
		{"same-height reorg dropping logs", 3, false, false},
		{"deep reorg within finality", 6, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			r := newRig(t, anvil.Config{SlotsInEpoch: 8}) // finalized = head - 16
			ix := r.indexer("a", indexer.Config{})
			r.transfers(8, 1)
			catchUp(t, ix)
			r.assertMirror()
			var txs []anvil.ReorgTx
			if tt.replacement {
				erc20 := bindings.NewTestERC20()
				call := map[string]any{"from": r.chain.Addrs[5], "to": r.token, "data": fmt.Sprintf("0x%x", erc20.PackTransfer(r.chain.Addrs[6], big.NewInt(777)))}
				txs = append(txs, anvil.ReorgTx{Tx: call, Offset: 0})
			}
			if tt.same {
				// The last transfer was from dev 1 to dev 9 for 8 units (see transfers).
				erc20 := bindings.NewTestERC20()
				call := map[string]any{"from": r.chain.Addrs[1], "to": r.token, "data": fmt.Sprintf("0x%x", erc20.PackTransfer(r.chain.Addrs[9], big.NewInt(8)))}
				txs = append(txs, anvil.ReorgTx{Tx: call, Offset: 0})
			}
			before, err := r.store.Logs(ctx, anvil.ChainID, 0, 1<<40)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.chain.Reorg(ctx, tt.depth, txs...); err != nil {
				t.Fatal(err)
			}
			catchUp(t, ix)
			r.assertMirror()
			if tt.same {
				after, err := r.store.Logs(ctx, anvil.ChainID, 0, 1<<40)
				if err != nil {
					t.Fatal(err)
				}
				last, prev := after[len(after)-1], before[len(before)-1]
				if len(after) != len(before) || !reflect.DeepEqual(last.Topics, prev.Topics) || !reflect.DeepEqual(last.Data, prev.Data) || last.BlockHash == prev.BlockHash {
					t.Fatalf("want the same log content at a new block hash: before %+v, after %+v", prev, last)
				}
			}
			if n, err := r.store.Reorgs(ctx, anvil.ChainID); err != nil || n != 1 {
				t.Fatalf("recorded reorgs = %d, %v; want 1", n, err)
			}
			// Consecutive reorg right after.
			if err := r.chain.Reorg(ctx, 2); err != nil {
				t.Fatal(err)
			}
			catchUp(t, ix)
			r.assertMirror()
		})
	}
}

func TestReorgOverEmptyBlocks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, anvil.Config{SlotsInEpoch: 8})
	ix := r.indexer("a", indexer.Config{})
	r.transfers(2, 1)
	if err := r.chain.Mine(ctx, 4); err != nil {
		t.Fatal(err)
	}
	catchUp(t, ix)
	if err := r.chain.Reorg(ctx, 3); err != nil { // only empty blocks replaced
		t.Fatal(err)
	}
	catchUp(t, ix)
	r.assertMirror()
	if n, _ := r.store.Reorgs(ctx, anvil.ChainID); n != 1 {
		t.Fatalf("recorded reorgs = %d, want 1 (hashes changed even with no logs)", n)
	}
}

func TestRollbackLowersHead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, anvil.Config{SlotsInEpoch: 8})
	ix := r.indexer("a", indexer.Config{HeadRegressionPolls: 3})
	r.transfers(6, 1)
	catchUp(t, ix)
	if err := r.chain.Rollback(ctx, 3); err != nil {
		t.Fatal(err)
	}
	// The head is now below the cursor but agrees with the stored block
	// there: tolerated as a lagging node for 3 polls, then rewound.
	for i := 0; i < 2; i++ {
		if progressed, err := ix.Step(ctx); err != nil || progressed {
			t.Fatalf("poll %d after rollback: progressed=%v err=%v; want a patient wait", i, progressed, err)
		}
	}
	catchUp(t, ix)
	r.assertMirror()
}

func TestReorgBelowFinalityStops(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, anvil.Config{SlotsInEpoch: 1}) // finalized = head - 2
	ix := r.indexer("a", indexer.Config{})
	r.transfers(8, 1)
	catchUp(t, ix)
	before, err := r.store.Logs(ctx, anvil.ChainID, 0, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.chain.Reorg(ctx, 6); err != nil {
		t.Fatal(err)
	}
	var stepErr error
	for i := 0; i < 50 && stepErr == nil; i++ {
		_, stepErr = ix.Step(ctx)
	}
	if !errors.Is(stepErr, gpumarket.ErrReorgBelowFinality) {
		t.Fatalf("Step after a reorg below finality = %v, want ErrReorgBelowFinality", stepErr)
	}
	after, err := r.store.Logs(ctx, anvil.ChainID, 0, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("stored logs changed although the indexer refused the reorg: %d before, %d after", len(before), len(after))
	}
}

func TestSecondWriterIsFenced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, anvil.Config{})
	if err := r.store.AcquireLease(ctx, anvil.ChainID, "writer-a", time.Minute); err != nil {
		t.Fatal(err)
	}
	err := r.store.AcquireLease(ctx, anvil.ChainID, "writer-b", time.Minute)
	if gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Fatalf("second AcquireLease = %v, want %s", err, gpumarket.ECONFLICT)
	}
	// Even without asking for the lease, writer b's commits are refused.
	b := r.indexer("writer-b", indexer.Config{})
	if _, err := b.Step(ctx); !errors.Is(err, indexer.ErrLeaseLost) {
		t.Fatalf("Step of a writer without the lease = %v, want ErrLeaseLost", err)
	}
}

func TestWrongChainID(t *testing.T) {
	t.Parallel()
	r := newRig(t, anvil.Config{})
	ix := indexer.New(indexer.Config{ChainID: 1, StartBlock: r.start, Owner: "x"}, r.source, r.store, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	err := ix.Run(context.Background())
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Run against chain 31337 configured as 1 = %v, want %s", err, gpumarket.EINVALID)
	}
}
