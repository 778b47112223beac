package indexer

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gpumarket/gpumarket"
)

// RailSource polls one watched address of a payment rail
// (internal/solana's Follower).
type RailSource interface {
	Address() string
	PollRail(ctx context.Context, until string) (gpumarket.RailPoll, error)
}

// RailStore keeps rail payments and cursors (postgres.RailStore).
type RailStore interface {
	Cursor(ctx context.Context, rail, address string) (string, error)
	Save(ctx context.Context, rail, address string, p gpumarket.RailPoll) error
}

// RailFollower mirrors the payments into watched addresses of a payment rail
// into the store. The cursor lives in the store and moves only past final
// transactions, in the same database transaction as the payments, so a crash
// at any point resumes without losing or doubling a payment (payments not
// yet final are seen again and upserted).
type RailFollower struct {
	rail    string
	sources []RailSource
	store   RailStore
	every   time.Duration
	log     *slog.Logger
}

// NewRailFollower returns a follower of rail's sources polling every every
// (default 10s).
func NewRailFollower(rail string, sources []RailSource, store RailStore, every time.Duration, log *slog.Logger) *RailFollower {
	if every <= 0 {
		every = 10 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RailFollower{rail: rail, sources: sources, store: store, every: every, log: log.With("rail", rail)}
}

// Step polls every source once from its stored cursor and saves what it
// saw. It returns the number of payments saved.
func (f *RailFollower) Step(ctx context.Context) (int, error) {
	n := 0
	for _, src := range f.sources {
		addr := src.Address()
		cur, err := f.store.Cursor(ctx, f.rail, addr)
		if err != nil {
			return n, err
		}
		p, err := src.PollRail(ctx, cur)
		if err != nil {
			return n, fmt.Errorf("poll %s %s: %w", f.rail, addr, err)
		}
		if err := f.store.Save(ctx, f.rail, addr, p); err != nil {
			return n, err
		}
		if len(p.Payments) > 0 || p.Cursor != cur {
			f.log.Info("rail polled", "address", addr, "payments", len(p.Payments), "skipped", p.Skipped, "cursor", p.Cursor)
		}
		n += len(p.Payments)
	}
	return n, nil
}

// Run steps until ctx is cancelled (a normal return: nil); errors are logged
// and retried at the next interval.
func (f *RailFollower) Run(ctx context.Context) error {
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		if _, err := f.Step(ctx); err != nil && ctx.Err() == nil {
			f.log.Warn("rail poll failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
