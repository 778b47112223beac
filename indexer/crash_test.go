package indexer_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

const childEnv = "GPUMARKET_TEST_INDEXER_CHILD"

// runChild is the indexer process the crash test kills: it indexes until killed.
func runChild() {
	ctx := context.Background()
	start, _ := strconv.ParseUint(os.Getenv("CHILD_START"), 10, 64)
	src, err := node.Dial(ctx, os.Getenv("CHILD_RPC"), []gpumarket.Address{gpumarket.Address(common.HexToAddress(os.Getenv("CHILD_TOKEN")))}, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	db, err := postgres.Open(ctx, os.Getenv("CHILD_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cfg := indexer.Config{ChainID: anvil.ChainID, StartBlock: start, Owner: "crash-child", InitialRange: 1, MaxRange: 2, PollInterval: 10 * time.Millisecond}
	ix := indexer.New(cfg, src, postgres.NewIndexerStore(db), nil, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})), nil)
	if err := ix.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// TestCrashAnywhere kills the indexer process with SIGKILL at random moments,
// during backfill and during live indexing, restarts it, and compares the
// result with an uninterrupted run and with the chain.
func TestCrashAnywhere(t *testing.T) {
	t.Parallel()
	const kills = 20
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	ctx := context.Background()
	r := newRig(t, anvil.Config{SlotsInEpoch: 4})  // finalized = head - 8
	r.transfers(30, 1)                             // history to backfill
	if err := r.chain.Mine(ctx, 600); err != nil { // and many blocks: ~300 commits at 2 blocks each
		t.Fatal(err)
	}
	r.transfers(30, 1)

	crashDSN := pgtest.URL(t)
	crashDB, err := postgres.Open(ctx, crashDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer crashDB.Close()
	crashStore := postgres.NewIndexerStore(crashDB)

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1", "CHILD_RPC="+r.chain.URL, "CHILD_DB="+crashDSN,
			"CHILD_TOKEN="+r.token.Hex(), "CHILD_START="+strconv.FormatUint(r.start, 10))
		cmd.Stderr = os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	midWork := 0
	for i := 0; i < kills; i++ {
		if i >= kills/2 {
			// Live traffic between crashes, and blocks for the restarted indexer to chew on.
			r.transfers(1+rng.IntN(3), 2)
			if err := r.chain.Mine(ctx, 300+rng.IntN(200)); err != nil {
				t.Fatal(err)
			}
		}
		cmd := start()
		time.Sleep(time.Duration(40+rng.IntN(160)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		head, err := r.chain.Client.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c, err := crashStore.Cursor(ctx, anvil.ChainID)
		if err != nil || c.Number < head {
			midWork++
		}
	}
	t.Logf("%d of %d kills landed before the indexer had caught up", midWork, kills)
	if midWork < kills/2 {
		t.Fatalf("only %d of %d kills interrupted work; the test did not exercise crashes", midWork, kills)
	}
	// Final run to completion.
	cmd := start()
	head, err := r.chain.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		c, err := crashStore.Cursor(ctx, anvil.ChainID)
		if err == nil && c.Number == head {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("crashed indexer never caught up to %d: cursor %+v, %v", head, c, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()

	// The uninterrupted run, in process, into its own database, with the
	// default (wide) ranges: the result must not depend on how blocks were batched.
	ix := r.indexer("steady", indexer.Config{})
	catchUp(t, ix)
	r.assertMirror()

	want, err := r.store.Logs(ctx, anvil.ChainID, 0, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	got, err := crashStore.Logs(ctx, anvil.ChainID, 0, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after %d kills the database has %d logs, the uninterrupted run %d (or they differ)", kills, len(got), len(want))
	}
	wc, _ := r.store.Cursor(ctx, anvil.ChainID)
	gc, _ := crashStore.Cursor(ctx, anvil.ChainID)
	if wc.Number != gc.Number || wc.Hash != gc.Hash {
		t.Fatalf("cursor after crashes %+v, uninterrupted %+v", gc, wc)
	}
}
