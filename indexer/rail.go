package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gpumarket/gpumarket"
)

// RailSource polls one watched address of a payment rail
// (internal/solana's Follower). A poll cut short by an error returns what it
// handled before the error together with the error (see gpumarket.RailPoll).
type RailSource interface {
	Address() string
	PollRail(ctx context.Context, until string) (gpumarket.RailPoll, error)
}

// RailStore keeps rail payments and cursors (postgres.RailStore). Save
// refuses a poll from another cluster than the address's pinned one with an
// error wrapping gpumarket.ErrRailWrongCluster.
type RailStore interface {
	Cursor(ctx context.Context, rail, address string) (string, error)
	Save(ctx context.Context, rail, address string, p gpumarket.RailPoll) error
}

// RailFollower mirrors the payments into watched addresses of a payment rail
// into the store. The cursor lives in the store and moves only past final
// transactions that were handled, in the same database transaction as what
// they paid, so a crash or a failed fetch at any point resumes without
// losing or doubling a payment (payments not yet final are seen again and
// upserted). Each address is polled independently: one that fails does not
// keep the others from being polled. A node on another cluster than the one
// an address is pinned to stops the follower.
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
// saw, including the part of a poll handled before a failed fetch. It
// returns the number of payments saved and the errors of the sources that
// failed, joined; the other sources are polled and saved all the same. An
// error wrapping gpumarket.ErrRailWrongCluster stops the step at once and
// is returned.
func (f *RailFollower) Step(ctx context.Context) (int, error) {
	n := 0
	var errs []error
	for _, src := range f.sources {
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		got, err := f.stepSource(ctx, src)
		n += got
		if errors.Is(err, gpumarket.ErrRailWrongCluster) {
			return n, err
		}
		if err != nil {
			f.log.Warn("rail poll failed; the other addresses go on", "address", src.Address(), "err", err)
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}

// stepSource polls one source and saves what it handled.
func (f *RailFollower) stepSource(ctx context.Context, src RailSource) (int, error) {
	addr := src.Address()
	cur, err := f.store.Cursor(ctx, f.rail, addr)
	if err != nil {
		return 0, err
	}
	p, pollErr := src.PollRail(ctx, cur)
	if pollErr != nil {
		pollErr = fmt.Errorf("poll %s %s: %w", f.rail, addr, pollErr)
		if len(p.Payments) == 0 && len(p.NonPayments) == 0 && len(p.Rejected) == 0 && (p.Cursor == "" || p.Cursor == cur) {
			return 0, pollErr // nothing handled: nothing to keep
		}
	}
	if err := f.store.Save(ctx, f.rail, addr, p); err != nil {
		return 0, errors.Join(pollErr, err)
	}
	if len(p.Payments) > 0 || len(p.Rejected) > 0 || len(p.NonPayments) > 0 || p.Cursor != cur {
		f.log.Info("rail polled", "address", addr, "payments", len(p.Payments), "not_payments", len(p.NonPayments),
			"rejected", len(p.Rejected), "skipped", p.Skipped, "cursor", p.Cursor, "complete", pollErr == nil)
	}
	return len(p.Payments), pollErr
}

// Run steps until ctx is cancelled (a normal return: nil); errors are logged
// and retried at the next interval, except a node on another cluster than
// the pinned one, which Run returns.
func (f *RailFollower) Run(ctx context.Context) error {
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		_, err := f.Step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, gpumarket.ErrRailWrongCluster) {
			return fmt.Errorf("%s rail: refusing to go on: %w", f.rail, err)
		}
		if err != nil {
			f.log.Warn("rail poll failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
