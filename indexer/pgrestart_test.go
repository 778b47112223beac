package indexer_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// TestPostgresRestart kills PostgreSQL (every connection drops) while the
// indexer runs, starts it again, and expects the indexer to recover on its
// own and end with an exact mirror of the chain.
func TestPostgresRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, db := privateDatabase(t) // a private cluster, even when GPUMARKET_DATABASE_URL is set: it gets killed

	r := newRig(t, anvil.Config{SlotsInEpoch: 2})
	r.store = postgres.NewIndexerStore(db)
	r.transfers(10, 1)
	ix := indexer.New(indexer.Config{ChainID: anvil.ChainID, StartBlock: r.start, Owner: "restart", PollInterval: 20 * time.Millisecond, LeaseTTL: 10 * time.Second},
		r.source, r.store, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ix.Run(runCtx) }()

	waitCaughtUp := func() {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			head, _ := r.chain.Client.BlockNumber(ctx)
			if c, err := r.store.Cursor(ctx, anvil.ChainID); err == nil && c.Number == head {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("indexer did not catch up; status %+v", ix.Status())
	}
	waitCaughtUp()
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	r.transfers(10, 2) // indexed after the restart, through reconnected pool connections
	waitCaughtUp()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after a PostgreSQL restart returned %v, want a clean stop", err)
	}
	r.assertMirror()
	// It polls every 20ms and PostgreSQL was down for at least 200ms: the
	// outage must have been seen, or the test did not exercise recovery.
	if ix.Status().LastError == "" {
		t.Fatal("the indexer never saw the database outage")
	}
	t.Logf("recovered from: %s", ix.Status().LastError)
}
