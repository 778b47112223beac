package indexer

import (
	"context"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket"
)

// ReplayNode is what Replay reads from the node.
type ReplayNode interface {
	Head(ctx context.Context) (gpumarket.Block, error)
	// BlockByNumber returns the canonical block at n, or an ENOTFOUND error.
	BlockByNumber(ctx context.Context, n uint64) (gpumarket.Block, error)
}

// ReplayStore is what Replay needs of the store.
type ReplayStore interface {
	AcquireLease(ctx context.Context, chainID uint64, owner string, ttl time.Duration) error
	ReleaseLease(ctx context.Context, chainID uint64, owner string) error
	// Replay deletes everything stored above before and moves the cursor
	// to before (its number and the node's hash of it).
	Replay(ctx context.Context, chainID uint64, owner string, before gpumarket.Block) error
}

// replayLeaseTTL is how long Replay holds the writer lease: far longer than
// the one transaction it needs it for.
const replayLeaseTTL = time.Minute

// Replay makes the store re-derive everything from block from: it takes the
// chain's writer lease as owner, reads block from-1 from the node, has the
// store delete every log and block from from upward and move the cursor
// there, and releases the lease. The next Run indexes from from again, even
// below the finalized block.
//
// It returns an EINVALID error when from is 0 or above the node's head
// (saying where the head is), the ECONFLICT error of AcquireLease, wrapped,
// while another writer (a running indexer) holds the lease, and the node's
// or the store's error otherwise.
func Replay(ctx context.Context, node ReplayNode, store ReplayStore, chainID uint64, owner string, from uint64) error {
	if from == 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "replay from block 0: the first block to replay must be at least 1")
	}
	head, err := node.Head(ctx)
	if err != nil {
		return fmt.Errorf("read the head: %w", err)
	}
	if from > head.Number {
		return gpumarket.Errorf(gpumarket.EINVALID, "replay from block %d: past the head, block %d", from, head.Number)
	}
	if err := store.AcquireLease(ctx, chainID, owner, replayLeaseTTL); err != nil {
		return fmt.Errorf("replay needs the writer lease (stop the running indexer first): %w", err)
	}
	defer func() { _ = store.ReleaseLease(context.WithoutCancel(ctx), chainID, owner) }()
	before, err := node.BlockByNumber(ctx, from-1)
	if err != nil {
		return fmt.Errorf("read block %d: %w", from-1, err)
	}
	if err := store.Replay(ctx, chainID, owner, before); err != nil {
		return fmt.Errorf("replay from block %d: %w", from, err)
	}
	return nil
}
