package indexer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

var _ indexer.ReplayStore = (*postgres.IndexerStore)(nil)

// TestReplay replays part of an indexed chain: the stored logs from the
// block on are gone, the cursor sits just below it, the lease is free again,
// and the next catch-up restores the exact mirror. Bad starting blocks and a
// held lease are refused before anything is deleted.
func TestReplay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, anvil.Config{SlotsInEpoch: 2})
	r.transfers(8, 1)
	catchUp(t, r.indexer("a", indexer.Config{}))
	if err := r.store.ReleaseLease(ctx, anvil.ChainID, "a"); err != nil { // as Run does when it stops
		t.Fatal(err)
	}
	head, err := r.source.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from := r.start + 4

	tests := []struct {
		name     string
		from     uint64
		holder   string // another owner holding the lease during the call
		wantCode string
		wantMsg  string
	}{
		{"block zero", 0, "", gpumarket.EINVALID, "at least 1"},
		{"past the head", head.Number + 100, "", gpumarket.EINVALID, fmt.Sprintf("past the head, block %d", head.Number)},
		{"lease held by a running indexer", from, "running", gpumarket.ECONFLICT, "stop the running indexer first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.holder != "" {
				if err := r.store.AcquireLease(ctx, anvil.ChainID, tt.holder, time.Minute); err != nil {
					t.Fatal(err)
				}
				defer r.store.ReleaseLease(ctx, anvil.ChainID, tt.holder)
			}
			err := indexer.Replay(ctx, r.source, r.store, anvil.ChainID, "replayer", tt.from)
			if gpumarket.ErrorCode(err) != tt.wantCode || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("Replay(from %d) = %v, want %s containing %q", tt.from, err, tt.wantCode, tt.wantMsg)
			}
			if cur, err := r.store.Cursor(ctx, anvil.ChainID); err != nil || cur.Number != head.Number {
				t.Fatalf("cursor after a refused replay = %+v (%v), want the head %d", cur, err, head.Number)
			}
		})
	}

	if err := indexer.Replay(ctx, r.source, r.store, anvil.ChainID, "replayer", from); err != nil {
		t.Fatalf("Replay(from %d) = %v", from, err)
	}
	cur, err := r.store.Cursor(ctx, anvil.ChainID)
	if err != nil || cur.Number != from-1 {
		t.Fatalf("cursor after Replay(from %d) = %+v (%v), want block %d", from, cur, err, from-1)
	}
	if logs, err := r.store.Logs(ctx, anvil.ChainID, from, head.Number+1000); err != nil || len(logs) != 0 {
		t.Fatalf("logs from block %d after the replay = %d (%v), want none", from, len(logs), err)
	}
	// The lease was released: another writer takes it at once.
	catchUp(t, r.indexer("b", indexer.Config{}))
	r.assertMirror()
}
