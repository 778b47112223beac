package indexer_test

import (
	"context"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/node"
)

var _ indexer.HeadFeed = (*node.Heads)(nil)

// runIndexer runs ix in the background until the test ends.
func runIndexer(t *testing.T, ix *indexer.Indexer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ix.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// waitFor polls cond until it holds or 30s pass (a deadline for a hung
// test, not a measurement).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestHeadSubscriptionWakesTheIndexer polls once an hour, so only anvil's
// newHeads notifications (over WebSocket on its HTTP port) can make Run
// index the new blocks: each transfer must reach the store.
func TestHeadSubscriptionWakesTheIndexer(t *testing.T) {
	t.Parallel()
	r := newRig(t, anvil.Config{SlotsInEpoch: 2})
	ws, err := node.WebSocketURL(r.chain.URL)
	if err != nil {
		t.Fatal(err)
	}
	ix := r.indexer("a", indexer.Config{PollInterval: time.Hour, Heads: node.NewHeads(ws, 0)})
	runIndexer(t, ix)
	waitFor(t, "the subscription", func() bool { return ix.Status().HeadFeed == "subscribed" })
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		r.transfers(1, 1)
		head, err := r.chain.Client.BlockNumber(ctx)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the new head to be indexed", func() bool {
			cur, err := r.store.Cursor(ctx, anvil.ChainID)
			return err == nil && cur.Number == head
		})
	}
	if st := ix.Status(); st.HeadFeed != "subscribed" {
		t.Fatalf("HeadFeed = %q, want subscribed", st.HeadFeed)
	}
	r.assertMirror()
}

// TestHeadSubscriptionFallsBackToPolling points the feed at a port where
// nothing listens: the indexer reports "polling" and still follows the
// chain at its poll interval.
func TestHeadSubscriptionFallsBackToPolling(t *testing.T) {
	t.Parallel()
	r := newRig(t, anvil.Config{SlotsInEpoch: 2})
	ix := r.indexer("a", indexer.Config{PollInterval: 20 * time.Millisecond, Heads: node.NewHeads("ws://127.0.0.1:1", time.Second)})
	runIndexer(t, ix)
	r.transfers(3, 1)
	ctx := context.Background()
	head, err := r.chain.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the head to be indexed by polling", func() bool {
		cur, err := r.store.Cursor(ctx, anvil.ChainID)
		return err == nil && cur.Number == head
	})
	if st := ix.Status(); st.HeadFeed != "polling" {
		t.Fatalf("HeadFeed = %q, want polling", st.HeadFeed)
	}
	r.assertMirror()
}
