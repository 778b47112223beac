// Package indexer mirrors the gpumarket contracts' events from an EVM node
// into a store, exactly once and reorg-safe.
//
// It works in two zones. Below the finalized block it fetches logs in ranges
// (eth_getLogs) whose width adapts to what the node accepts, and writes them
// in bulk. Above it, it follows the chain block by block, checking each
// block's parent hash against the stored one and fetching logs by block
// hash. On a parent-hash mismatch it walks back to the common ancestor and
// has the store delete everything above it and rebuild what that touched, in
// one transaction. A reorg reaching below the finalized block the store has
// already reported stops the indexer (ErrReorgBelowFinality) without writing.
//
// Invariants:
//   - the cursor (last block number and hash) is committed in the same store
//     transaction as the rows it covers, so a crash at any instant loses or
//     repeats nothing;
//   - one writer per chain: every commit is fenced by a lease the store checks;
//   - the node is distrusted: hash/number mismatches, duplicate logs, empty
//     answers that the bloom filter contradicts and heads that go backwards
//     are checked before anything is written.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Node is what the indexer reads: one EVM node, filtered to our contracts.
type Node interface {
	ChainID(ctx context.Context) (uint64, error)
	Head(ctx context.Context) (gpumarket.Block, error)
	// Finalized returns the finalized block, and false when the node has no such tag.
	Finalized(ctx context.Context) (gpumarket.Block, bool, error)
	// BlockByNumber returns the canonical block at n, or an ENOTFOUND error.
	BlockByNumber(ctx context.Context, n uint64) (gpumarket.Block, error)
	RangeLogs(ctx context.Context, from, to uint64) ([]gpumarket.Log, error)
	BlockLogs(ctx context.Context, b gpumarket.Block) ([]gpumarket.Log, error)
}

// HeadFeed announces new heads as the node learns of them (a WebSocket
// subscription to newHeads). The indexer treats an announcement only as a
// reason to step now: what it indexes is still read through Node.
type HeadFeed interface {
	// Follow calls subscribed once the feed is live, then onHead with each
	// announced head's number, until ctx ends (nil) or the feed fails (an
	// error; Run polls meanwhile and follows again after a backoff).
	Follow(ctx context.Context, subscribed func(), onHead func(number uint64)) error
}

// Decoder turns a contract log into a domain event. It returns (nil, nil) for
// a log it does not know, and an error for a known event it cannot decode.
type Decoder interface {
	Decode(l gpumarket.Log) (gpumarket.Event, error)
}

// Store is where the indexer writes. Every method that writes is one
// transaction and checks the lease of owner first, failing with
// ErrLeaseLost when another writer holds it.
type Store interface {
	// AcquireLease takes or renews the chain's writer lease for ttl. It
	// returns an ECONFLICT error while another owner's lease is live.
	AcquireLease(ctx context.Context, chainID uint64, owner string, ttl time.Duration) error
	// LeaseHolder returns the owner of the chain's lease, live or expired,
	// or an ENOTFOUND error when there is none.
	LeaseHolder(ctx context.Context, chainID uint64) (string, error)
	// TakeOverLease gives the lease that holder holds, live or not, to
	// owner for ttl; it returns an ECONFLICT error when holder no longer
	// holds it (someone else took it first).
	TakeOverLease(ctx context.Context, chainID uint64, holder, owner string, ttl time.Duration) error
	ReleaseLease(ctx context.Context, chainID uint64, owner string) error
	// Cursor returns the last indexed block, or an ENOTFOUND error before the first commit.
	Cursor(ctx context.Context, chainID uint64) (Cursor, error)
	// BlockHash returns the stored hash of block n, and false if none is stored.
	BlockHash(ctx context.Context, chainID, n uint64) (gpumarket.Hash, bool, error)
	Commit(ctx context.Context, b *Batch) error
	Rewind(ctx context.Context, r *Rewind) error
	// Finalize marks everything at or below n as finalized. The indexer
	// calls it only after checking that its cursor block is canonical.
	Finalize(ctx context.Context, chainID uint64, owner string, n uint64) error
}

// Preparer is a Store that can do ahead the part of a commit that needs
// only the batch (encoding its rows). The indexer calls Prepare in the
// goroutine that fetched a backfill range, while the ranges before it
// commit, and passes the result to Commit in Batch.Prepared; Commit must
// store exactly the same with or without it.
type Preparer interface {
	Prepare(b *Batch) any
}

// ErrLeaseLost means another indexer took over the chain: stop writing.
var ErrLeaseLost = errors.New("indexer lease lost to another writer")

// ErrCritical wraps failures the indexer will not retry on its own.
var ErrCritical = errors.New("critical indexer error")

// Cursor is the last block the store has indexed and the finalized number it reported.
type Cursor struct {
	Number    uint64
	Hash      gpumarket.Hash
	Finalized uint64
}

// Batch is one commit: the logs of blocks From..To, with Block (the header at
// To) as the new cursor.
type Batch struct {
	ChainID   uint64
	Owner     string
	From, To  uint64
	Block     gpumarket.Block
	Logs      []gpumarket.Log
	Events    []gpumarket.Event // Events[i] decodes Logs[i]; nil when unknown
	Finalized uint64            // the finalized number known now
	// Prepared is what Preparer.Prepare returned for this batch (with
	// these fields), or nil.
	Prepared any
}

// Rewind asks the store to delete everything above Ancestor.
type Rewind struct {
	ChainID  uint64
	Owner    string
	Ancestor gpumarket.Block
	Depth    uint64
	OldHead  gpumarket.Hash
}

// Config holds the indexer's settings; zero fields take the defaults below.
type Config struct {
	ChainID       uint64
	StartBlock    uint64 // the contracts' deploy block
	Confirmations uint64 // depth used when the node has no finalized tag (default 64)
	IgnoreTags    bool   // use Confirmations even when the node has a finalized tag
	MaxRange      uint64 // widest eth_getLogs range (default 5000)
	InitialRange  uint64 // first range width (default 1000)
	// PollInterval is how often Run asks the node for its head when no head
	// feed announces one (default 250ms). With a live feed it is a safety
	// net; without one it bounds the head latency.
	PollInterval time.Duration
	// Heads, when set, wakes Run on each new head (nil: poll only).
	Heads    HeadFeed
	LeaseTTL time.Duration
	Owner    string // lease owner id; unique per process
	// HolderGone reports whether the process that holds the lease under
	// holder is known to be gone (a crashed predecessor on this host). When
	// it says so, Run takes the lease over instead of waiting for it to
	// expire. Nil: always wait.
	HolderGone func(holder string) bool
	// StuckAfter is how long the cursor may stay behind the head without
	// progress, while steps fail, before /healthz reports the indexer stuck
	// (default 2m).
	StuckAfter time.Duration
	// HeadRegressionPolls is how many polls a head below the cursor is
	// tolerated as a lagging node before the blocks above it are treated as
	// removed (default 8).
	HeadRegressionPolls int
}

func (c *Config) defaults() {
	if c.Confirmations == 0 {
		c.Confirmations = 64
	}
	if c.MaxRange == 0 {
		c.MaxRange = 5000
	}
	if c.InitialRange == 0 || c.InitialRange > c.MaxRange {
		c.InitialRange = min(1000, c.MaxRange)
	}
	if c.PollInterval == 0 {
		c.PollInterval = 250 * time.Millisecond
	}
	if c.LeaseTTL == 0 {
		c.LeaseTTL = 30 * time.Second
	}
	if c.HeadRegressionPolls == 0 {
		c.HeadRegressionPolls = 8
	}
	if c.StuckAfter == 0 {
		c.StuckAfter = 2 * time.Minute
	}
}

// Indexer follows one chain.
type Indexer struct {
	cfg     Config
	node    Node
	store   Store
	decoder Decoder
	log     *slog.Logger
	metrics *Metrics
	now     func() time.Time

	width        uint64 // current range width
	successes    int
	singleFails  int // consecutive failures of a one-block range
	regressions  int
	leaseRenewed time.Time

	mu           sync.Mutex
	status       Status
	lastProgress time.Time // when the cursor last moved or was found caught up
	failing      bool      // the last step failed and nothing progressed since
	wake         chan struct{}
	announced    atomic.Uint64 // highest head number the feed announced
	announcedAt  time.Time     // when announced last rose (under mu)

	// inflight are the next backfill ranges, contiguous and in order,
	// fetched and decoded while the current one commits (below finality
	// nothing they read can change).
	inflight []inflightRange
}

// prefetchDepth is how many backfill ranges are fetched ahead of the one
// being committed: the node, the decoder and PostgreSQL then work at once.
const prefetchDepth = 3

// inflightRange is a range being fetched ahead; its result arrives on ch.
type inflightRange struct {
	from, to uint64
	ch       chan fetched
}

// fetched is one backfill range read from the node and decoded.
type fetched struct {
	from, to uint64
	logs     []gpumarket.Log
	events   []gpumarket.Event
	end      gpumarket.Block
	err      error
	took     time.Duration // reading, decoding and preparing
	// batch is the range as a batch for a finalized number of fin, its
	// Prepared filled, when the store is a Preparer.
	batch *Batch
	fin   uint64
}

// Status is what health checks and the demo read.
type Status struct {
	Head        uint64 `json:"head"`
	Indexed     uint64 `json:"indexed"`
	Finalized   uint64 `json:"finalized"`
	Backfilling bool   `json:"backfilling"`
	Healthy     bool   `json:"healthy"`
	LastError   string `json:"last_error,omitempty"`
	Reorgs      int    `json:"reorgs"`
	// HeadFeed is "subscribed" while a head feed is live, "polling"
	// otherwise (no feed configured, or it failed and is being retried).
	HeadFeed string `json:"head_feed"`
	// Stuck is true when the cursor is behind the head, has not moved for
	// StuckAfter and the last step failed: the mirror is not following.
	Stuck bool `json:"stuck"`
	// SinceProgress is how long ago the cursor last moved or was caught up.
	SinceProgress string `json:"since_progress"`
}

// New returns an indexer; metrics may be nil.
func New(cfg Config, node Node, store Store, decoder Decoder, log *slog.Logger, metrics *Metrics) *Indexer {
	cfg.defaults()
	if metrics == nil {
		metrics = NewMetrics(nil)
	}
	return &Indexer{
		cfg: cfg, node: node, store: store, decoder: decoder, log: log, metrics: metrics,
		now: time.Now, width: cfg.InitialRange,
		status: Status{Healthy: true, Backfilling: true, HeadFeed: "polling"},
		wake:   make(chan struct{}, 1),
	}
}

// SetClock replaces the indexer's clock (tests of stuck detection and lease renewal).
func (ix *Indexer) SetClock(now func() time.Time) { ix.now = now }

// Status returns a snapshot of the indexer's progress.
func (ix *Indexer) Status() Status {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	st := ix.status
	if !ix.lastProgress.IsZero() {
		since := ix.now().Sub(ix.lastProgress)
		st.SinceProgress = since.Round(time.Millisecond).String()
		st.Stuck = ix.failing && st.Head > st.Indexed && since > ix.cfg.StuckAfter
	}
	return st
}

// progressed notes that the cursor moved or was found caught up.
func (ix *Indexer) progressed() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lastProgress = ix.now()
	ix.failing = false
}

// Wake makes a sleeping Run poll now (for new-head notifications).
func (ix *Indexer) Wake() {
	select {
	case ix.wake <- struct{}{}:
	default:
	}
}

// Check verifies the node serves the configured chain. It returns an
// EINVALID error naming both ids when they differ.
func (ix *Indexer) Check(ctx context.Context) error {
	id, err := ix.node.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("check chain id: %w", err)
	}
	if id != ix.cfg.ChainID {
		return gpumarket.Errorf(gpumarket.EINVALID, "node serves chain %d, configured chain id is %d", id, ix.cfg.ChainID)
	}
	return nil
}

// Run indexes until ctx ends (a normal return, nil) or a critical error.
// Transient errors are retried with jittered exponential backoff.
func (ix *Indexer) Run(ctx context.Context) error {
	if err := ix.Check(ctx); err != nil {
		return err
	}
	if err := ix.acquireLease(ctx); err != nil {
		return fmt.Errorf("acquire indexer lease for chain %d: %w", ix.cfg.ChainID, err)
	}
	ix.leaseRenewed = ix.now()
	ix.mu.Lock()
	ix.lastProgress = ix.now()
	ix.mu.Unlock()
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = ix.store.ReleaseLease(ctx, ix.cfg.ChainID, ix.cfg.Owner)
	}()
	defer ix.drainPrefetch()
	if ix.cfg.Heads != nil {
		fctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); ix.followHeads(fctx) }()
		defer wg.Wait()
		defer stop()
	}
	backoff := time.Duration(0)
	for {
		progressed, err := ix.Step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		var wait time.Duration
		switch {
		case err != nil && (errors.Is(err, ErrCritical) || errors.Is(err, ErrLeaseLost) || errors.Is(err, gpumarket.ErrReorgBelowFinality)):
			ix.setError(err, false)
			ix.log.Error("indexer stopped", "chain_id", ix.cfg.ChainID, "err", err)
			return err
		case err != nil:
			ix.setError(err, true)
			backoff = min(max(2*backoff, 100*time.Millisecond), 10*time.Second)
			wait = backoff/2 + rand.N(backoff/2+1) // jitter
			ix.log.Warn("indexer step failed; retrying", "chain_id", ix.cfg.ChainID, "err", err, "retry_in", wait)
		case progressed:
			backoff = 0
			continue
		default:
			backoff = 0
			wait = ix.cfg.PollInterval
			if ix.soonAgain() {
				wait = min(wait, announcedRetry)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-ix.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// announcedRetry is how soon Run asks again for a head that the feed
// announced but the node's head query did not return yet.
const announcedRetry = 5 * time.Millisecond

// soonAgain reports whether the feed announced a head above the last one
// the node returned (a node behind a load balancer whose replicas lag the
// one that sent the announcement, or a node that announces before its
// HTTP side serves the block): Run then asks again soon, for at most one
// poll interval after the announcement (a feed that announced a head later
// rolled back must not keep Run busy).
func (ix *Indexer) soonAgain() bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.announced.Load() <= ix.status.Head || ix.now().Sub(ix.announcedAt) >= ix.cfg.PollInterval {
		return false
	}
	ix.log.Debug("announced head not served yet; asking again", "chain_id", ix.cfg.ChainID, "announced", ix.announced.Load(), "head", ix.status.Head)
	return true
}

// followHeads runs the head feed until ctx ends, waking Run on each head
// and following again with a jittered backoff when the feed fails.
func (ix *Indexer) followHeads(ctx context.Context) {
	backoff := time.Duration(0)
	for ctx.Err() == nil {
		started := ix.now()
		err := ix.cfg.Heads.Follow(ctx, func() { ix.setHeadFeed("subscribed") }, func(n uint64) {
			if n > ix.announced.Load() {
				ix.mu.Lock()
				ix.announced.Store(n)
				ix.announcedAt = ix.now()
				ix.mu.Unlock()
			}
			ix.metrics.headAnnounced()
			ix.Wake()
		})
		ix.setHeadFeed("polling")
		if ctx.Err() != nil {
			return
		}
		if ix.now().Sub(started) > time.Minute {
			backoff = 0 // it ran for a while: a fresh failure
		}
		backoff = min(max(2*backoff, time.Second), time.Minute)
		wait := backoff/2 + rand.N(backoff/2+1)
		ix.log.Warn("head subscription failed; polling meanwhile", "chain_id", ix.cfg.ChainID, "err", err,
			"poll_interval", ix.cfg.PollInterval, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (ix *Indexer) setHeadFeed(state string) {
	ix.mu.Lock()
	changed := ix.status.HeadFeed != state
	ix.status.HeadFeed = state
	ix.mu.Unlock()
	if changed {
		ix.metrics.headSubscribed(state == "subscribed")
		if state == "subscribed" {
			ix.log.Info("following new heads by subscription", "chain_id", ix.cfg.ChainID)
		}
	}
}

// acquireLease takes the chain's writer lease, taking it over from a
// holder that HolderGone says is gone (a crashed predecessor) instead of
// waiting for its lease to expire.
func (ix *Indexer) acquireLease(ctx context.Context) error {
	err := ix.store.AcquireLease(ctx, ix.cfg.ChainID, ix.cfg.Owner, ix.cfg.LeaseTTL)
	if gpumarket.ErrorCode(err) != gpumarket.ECONFLICT || ix.cfg.HolderGone == nil {
		return err
	}
	holder, herr := ix.store.LeaseHolder(ctx, ix.cfg.ChainID)
	if herr != nil || holder == ix.cfg.Owner || !ix.cfg.HolderGone(holder) {
		return err
	}
	if terr := ix.store.TakeOverLease(ctx, ix.cfg.ChainID, holder, ix.cfg.Owner, ix.cfg.LeaseTTL); terr != nil {
		return fmt.Errorf("take over the lease of %s (its process is gone): %w", holder, terr)
	}
	ix.log.Warn("took over the writer lease of a process that is gone", "chain_id", ix.cfg.ChainID, "holder", holder, "owner", ix.cfg.Owner)
	return nil
}

func (ix *Indexer) setError(err error, healthy bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.status.LastError = err.Error()
	ix.status.Healthy = healthy
	ix.failing = true
	ix.metrics.rpcError(err)
}

// Step does one unit of work: a range, a block, a rewind, or nothing when
// caught up. It reports whether it made progress.
func (ix *Indexer) Step(ctx context.Context) (bool, error) {
	if ix.now().Sub(ix.leaseRenewed) > ix.cfg.LeaseTTL/3 {
		if err := ix.store.AcquireLease(ctx, ix.cfg.ChainID, ix.cfg.Owner, ix.cfg.LeaseTTL); err != nil {
			if gpumarket.ErrorCode(err) == gpumarket.ECONFLICT {
				return false, fmt.Errorf("%w: %v", ErrLeaseLost, err)
			}
			return false, fmt.Errorf("renew lease: %w", err)
		}
		ix.leaseRenewed = ix.now()
	}
	cur, err := ix.cursor(ctx)
	if err != nil {
		return false, err
	}
	head, fin, err := ix.tip(ctx, cur)
	if err != nil {
		return false, err
	}
	ix.observe(head, cur, fin)

	if head.Number < cur.Number {
		return ix.headBehind(ctx, cur, head)
	}
	ix.regressions = 0
	if cur.Number < fin {
		return ix.backfill(ctx, cur, fin)
	}
	// Nothing is finalized before the cursor block is known to be
	// canonical: tail checks it (the next block's parent hash, or the head's
	// hash) and commits or finalizes only then. The chain may have been
	// reorganized below the node's new finalized block while we were away;
	// rows of that dead branch must be rewound, never marked final.
	return ix.tail(ctx, cur, head, fin)
}

// cursor returns the stored cursor, or the block before the start block.
func (ix *Indexer) cursor(ctx context.Context) (Cursor, error) {
	c, err := ix.store.Cursor(ctx, ix.cfg.ChainID)
	if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
		if ix.cfg.StartBlock == 0 {
			return Cursor{}, gpumarket.Errorf(gpumarket.EINVALID, "start block must be at least 1 (the contracts' deploy block)")
		}
		start := ix.cfg.StartBlock - 1
		b, err := ix.node.BlockByNumber(ctx, start)
		if err != nil {
			return Cursor{}, fmt.Errorf("read start block %d: %w", start, err)
		}
		return Cursor{Number: start, Hash: b.Hash}, nil
	}
	if err != nil {
		return Cursor{}, fmt.Errorf("read cursor: %w", err)
	}
	return c, nil
}

// TipReader is implemented by nodes that read the head and the finalized
// block in one round trip (a JSON-RPC batch); the indexer uses it when the
// node has it, and Node.Head and Node.Finalized otherwise.
type TipReader interface {
	// Tip returns the latest block and the finalized one, with false when
	// the node has no finalized tag.
	Tip(ctx context.Context) (head, finalized gpumarket.Block, tagged bool, err error)
}

// tip reads the head and returns it with the highest block the indexer
// treats as final: the node's tag when it has one, else head -
// Confirmations; never below what the store already finalized.
func (ix *Indexer) tip(ctx context.Context, cur Cursor) (gpumarket.Block, uint64, error) {
	var head, tag gpumarket.Block
	var tagged bool
	if t, ok := ix.node.(TipReader); ok && !ix.cfg.IgnoreTags {
		var err error
		if head, tag, tagged, err = t.Tip(ctx); err != nil {
			return head, 0, fmt.Errorf("read head and finalized block: %w", err)
		}
	} else {
		var err error
		if head, err = ix.node.Head(ctx); err != nil {
			return head, 0, fmt.Errorf("read head: %w", err)
		}
		if !ix.cfg.IgnoreTags {
			if tag, tagged, err = ix.node.Finalized(ctx); err != nil {
				return head, 0, fmt.Errorf("read finalized block: %w", err)
			}
		}
	}
	var fin uint64
	if tagged {
		fin = tag.Number
	} else if head.Number > ix.cfg.Confirmations {
		fin = head.Number - ix.cfg.Confirmations
	}
	if fin > head.Number {
		return head, 0, fmt.Errorf("finalized block %d above head %d: %w", fin, head.Number, gpumarket.ErrNodeInconsistent)
	}
	return head, max(fin, cur.Finalized), nil
}

func (ix *Indexer) observe(head gpumarket.Block, cur Cursor, fin uint64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.status.Head, ix.status.Indexed, ix.status.Finalized = head.Number, cur.Number, fin
	ix.status.Backfilling = cur.Number < fin
	ix.status.Healthy = true
	ix.metrics.observe(head, cur.Number, ix.now())
}

// backfill indexes the next range below the finalized block.
func (ix *Indexer) backfill(ctx context.Context, cur Cursor, fin uint64) (bool, error) {
	// A cursor above the stored finalized block is a tail block indexed
	// before it became final: it must still be canonical, or the chain
	// reorganized under it. A final cursor cannot have moved.
	if cur.Number > cur.Finalized && cur.Hash != (gpumarket.Hash{}) {
		b, err := ix.node.BlockByNumber(ctx, cur.Number)
		if err != nil {
			return false, fmt.Errorf("recheck cursor block %d: %w", cur.Number, err)
		}
		if b.Hash != cur.Hash {
			return ix.reorg(ctx, cur)
		}
	}
	from := cur.Number + 1
	waitStart := ix.now()
	if len(ix.inflight) == 0 || ix.inflight[0].from != from {
		// Starting (or restarting after a failure): fetch this range and
		// the next at once, so that the next is ready when this one's
		// commit ends instead of starting only then.
		ix.drainPrefetch()
		ix.prefetch(ctx, from, fin, 2)
	}
	f := <-ix.inflight[0].ch
	ix.inflight = ix.inflight[1:]
	if f.err != nil {
		ix.drainPrefetch() // fetched at the old width
		if err := ix.shrink(f.from, f.to, f.err); err != nil {
			return false, err
		}
		return true, nil // retry at once with the narrower range
	}
	ix.prefetch(ctx, f.to+1, fin, prefetchDepth)
	commitStart := ix.now()
	batch := f.batch
	if batch == nil || f.fin != fin {
		batch = ix.batch(f.from, f.to, f.end, f.logs, f.events, fin) // prepared for another finalized number: as new
	}
	if err := ix.commitBatch(ctx, batch); err != nil {
		return false, err
	}
	ix.log.Debug("backfill range committed", "chain_id", ix.cfg.ChainID, "from", f.from, "to", f.to, "logs", len(f.logs),
		"fetched_in", f.took, "waited_for_fetch", commitStart.Sub(waitStart), "committed_in", ix.now().Sub(commitStart))
	ix.grow()
	return true, nil
}

// prefetch starts fetching the ranges that follow the ones in flight
// (from from when none is) until n are in flight or fin is reached.
func (ix *Indexer) prefetch(ctx context.Context, from, fin uint64, n int) {
	next := from
	if k := len(ix.inflight); k > 0 {
		next = ix.inflight[k-1].to + 1
	}
	for len(ix.inflight) < n && next <= fin {
		r := inflightRange{from: next, to: min(fin, next+ix.width-1), ch: make(chan fetched, 1)}
		go func() { r.ch <- ix.fetchAndPrepare(ctx, r.from, r.to, fin) }()
		ix.inflight = append(ix.inflight, r)
		next = r.to + 1
	}
}

// fetchAndPrepare is fetchRange, then, when the store is a Preparer, the
// range's batch for a finalized number of fin with the store's Prepare.
func (ix *Indexer) fetchAndPrepare(ctx context.Context, from, to, fin uint64) fetched {
	f := ix.fetchRange(ctx, from, to)
	if p, ok := ix.store.(Preparer); ok && f.err == nil {
		start := time.Now()
		f.batch, f.fin = ix.batch(from, to, f.end, f.logs, f.events, fin), fin
		f.batch.Prepared = p.Prepare(f.batch)
		f.took += time.Since(start)
	}
	return f
}

// fetchRange reads and decodes the logs of blocks from..to and the header
// of block to, checking that they agree.
func (ix *Indexer) fetchRange(ctx context.Context, from, to uint64) (f fetched) {
	start := time.Now() // not ix.now: this runs in the prefetch goroutines
	defer func() { f.took = time.Since(start) }()
	f = fetched{from: from, to: to}
	if f.logs, f.err = ix.node.RangeLogs(ctx, from, to); f.err != nil {
		return f
	}
	if f.end, f.err = ix.node.BlockByNumber(ctx, to); f.err != nil {
		f.err = fmt.Errorf("read range end %d: %w", to, f.err)
		return f
	}
	for _, l := range f.logs {
		if l.BlockNumber == to && l.BlockHash != f.end.Hash {
			f.err = fmt.Errorf("range %d-%d: log block hash %s, header %s: %w", from, to, l.BlockHash, f.end.Hash, gpumarket.ErrNodeInconsistent)
			return f
		}
	}
	f.events, f.err = ix.decode(f.logs)
	return f
}

// drainPrefetch waits for the ranges in flight and discards them.
func (ix *Indexer) drainPrefetch() {
	for _, r := range ix.inflight {
		<-r.ch
	}
	ix.inflight = nil
}

// shrink adapts the range width to a failed range query and returns the
// error to report (nil when a narrower retry should follow at once).
func (ix *Indexer) shrink(from, to uint64, err error) error {
	width := to - from + 1
	var tooLarge *gpumarket.RangeTooLargeError
	switch {
	case errors.As(err, &tooLarge):
		next := width / 2
		if tooLarge.SuggestedTo >= from && tooLarge.SuggestedTo < to {
			next = tooLarge.SuggestedTo - from + 1
		}
		if tooLarge.MaxWidth > 0 && tooLarge.MaxWidth < width {
			next = tooLarge.MaxWidth
			ix.cfg.MaxRange = tooLarge.MaxWidth
		}
		return ix.narrow(width, max(next, 1), err)
	case errors.Is(err, gpumarket.ErrNodeTimeout):
		return ix.narrow(width, max(width/2, 1), err)
	}
	return fmt.Errorf("fetch logs %d-%d: %w", from, to, err)
}

// maxSingleFails is how many times in a row a one-block range may fail
// (with backoff between tries) before the indexer gives up on it.
const maxSingleFails = 5

func (ix *Indexer) narrow(width, next uint64, err error) error {
	ix.successes = 0
	if width == 1 {
		ix.singleFails++
		if ix.singleFails >= maxSingleFails {
			return fmt.Errorf("%w: logs of a single block failed %d times in a row: %v", ErrCritical, ix.singleFails, err)
		}
		return fmt.Errorf("logs of a single block failed (%d of %d tries): %w", ix.singleFails, maxSingleFails, err)
	}
	ix.width = next
	ix.metrics.rangeWidth.Set(float64(next))
	ix.log.Info("narrowing log range", "chain_id", ix.cfg.ChainID, "from_width", width, "to_width", next, "err", err)
	return nil
}

func (ix *Indexer) grow() {
	ix.singleFails = 0
	ix.successes++
	if ix.successes >= 3 && ix.width < ix.cfg.MaxRange {
		ix.width = min(ix.width*2, ix.cfg.MaxRange)
		ix.successes = 0
		ix.metrics.rangeWidth.Set(float64(ix.width))
	}
}

// tail indexes the next block above the finalized one, if there is one.
func (ix *Indexer) tail(ctx context.Context, cur Cursor, head gpumarket.Block, fin uint64) (bool, error) {
	next := cur.Number + 1
	if next > head.Number {
		// Caught up: the head must still be the block we indexed, or the
		// chain was replaced at the same height.
		if head.Number == cur.Number && head.Hash != cur.Hash {
			return ix.reorg(ctx, cur)
		}
		if head.Number == cur.Number && fin > cur.Finalized {
			// The cursor is the head and canonical: its ancestors are too.
			if err := ix.store.Finalize(ctx, ix.cfg.ChainID, ix.cfg.Owner, fin); err != nil {
				return false, fmt.Errorf("finalize up to %d: %w", fin, err)
			}
		}
		ix.progressed()
		return false, nil
	}
	b := head
	if next != head.Number {
		var err error
		if b, err = ix.node.BlockByNumber(ctx, next); err != nil {
			if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
				return false, nil
			}
			return false, fmt.Errorf("read block %d: %w", next, err)
		}
	}
	if b.ParentHash != cur.Hash {
		return ix.reorg(ctx, cur)
	}
	logs, err := ix.node.BlockLogs(ctx, b)
	if err != nil {
		return false, fmt.Errorf("fetch logs of block %d: %w", next, err)
	}
	events, err := ix.decode(logs)
	if err != nil {
		return false, err
	}
	if err := ix.commit(ctx, next, next, b, logs, events, fin); err != nil {
		return false, err
	}
	return true, nil
}

// decode decodes logs; without a decoder every event is unknown (nil).
func (ix *Indexer) decode(logs []gpumarket.Log) ([]gpumarket.Event, error) {
	if ix.decoder == nil {
		return nil, nil
	}
	events := make([]gpumarket.Event, len(logs))
	for i, l := range logs {
		ev, err := ix.decoder.Decode(l)
		if err != nil {
			return nil, fmt.Errorf("decode log %d of block %d (%s): %w", l.Index, l.BlockNumber, l.TxHash, errors.Join(err, gpumarket.ErrNodeInconsistent))
		}
		events[i] = ev
	}
	return events, nil
}

func (ix *Indexer) commit(ctx context.Context, from, to uint64, end gpumarket.Block, logs []gpumarket.Log, events []gpumarket.Event, fin uint64) error {
	return ix.commitBatch(ctx, ix.batch(from, to, end, logs, events, fin))
}

// batch is blocks from..to as a Batch (not prepared).
func (ix *Indexer) batch(from, to uint64, end gpumarket.Block, logs []gpumarket.Log, events []gpumarket.Event, fin uint64) *Batch {
	return &Batch{ChainID: ix.cfg.ChainID, Owner: ix.cfg.Owner, From: from, To: to, Block: end, Logs: logs, Events: events, Finalized: fin}
}

func (ix *Indexer) commitBatch(ctx context.Context, batch *Batch) error {
	from, to, logs := batch.From, batch.To, batch.Logs
	start := ix.now()
	if err := ix.store.Commit(ctx, batch); err != nil {
		return fmt.Errorf("commit blocks %d-%d: %w", from, to, err)
	}
	ix.metrics.committed(to-from+1, len(logs), ix.now().Sub(start))
	ix.mu.Lock()
	ix.status.Indexed = to
	ix.mu.Unlock()
	ix.progressed()
	return nil
}

// reorg walks back from the cursor to the newest block whose stored hash is
// still canonical and rewinds the store to it.
func (ix *Indexer) reorg(ctx context.Context, cur Cursor) (bool, error) {
	n := cur.Number
	for {
		if n < cur.Finalized {
			return false, fmt.Errorf("%w: chain %d: the node's chain no longer contains stored finalized block %d (walked back from cursor %d): the node finalized a different chain than the one indexed",
				gpumarket.ErrReorgBelowFinality, ix.cfg.ChainID, cur.Finalized, cur.Number)
		}
		if n+1 == ix.cfg.StartBlock {
			// Below the deploy block nothing of ours exists: rewind to whatever is canonical there.
			b, err := ix.node.BlockByNumber(ctx, n)
			if err != nil {
				return false, fmt.Errorf("reorg walk at block %d: %w", n, err)
			}
			return ix.rewind(ctx, cur, b)
		}
		stored, ok, err := ix.store.BlockHash(ctx, ix.cfg.ChainID, n)
		if err != nil {
			return false, fmt.Errorf("read stored block %d: %w", n, err)
		}
		if n == cur.Number {
			stored, ok = cur.Hash, true
		}
		if ok {
			b, err := ix.node.BlockByNumber(ctx, n)
			switch {
			case err == nil && b.Hash == stored:
				return ix.rewind(ctx, cur, b)
			case err != nil && gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND:
				return false, fmt.Errorf("reorg walk at block %d: %w", n, err)
			}
		}
		if n == 0 {
			return false, fmt.Errorf("%w: no common ancestor with the stored chain", gpumarket.ErrReorgBelowFinality)
		}
		n--
	}
}

func (ix *Indexer) rewind(ctx context.Context, cur Cursor, ancestor gpumarket.Block) (bool, error) {
	if ancestor.Number < cur.Finalized {
		return false, fmt.Errorf("%w: ancestor %d below finalized %d", gpumarket.ErrReorgBelowFinality, ancestor.Number, cur.Finalized)
	}
	depth := cur.Number - ancestor.Number
	if err := ix.store.Rewind(ctx, &Rewind{ChainID: ix.cfg.ChainID, Owner: ix.cfg.Owner, Ancestor: ancestor, Depth: depth, OldHead: cur.Hash}); err != nil {
		return false, fmt.Errorf("rewind to block %d: %w", ancestor.Number, err)
	}
	ix.metrics.reorg(depth)
	ix.mu.Lock()
	ix.status.Reorgs++
	ix.mu.Unlock()
	ix.progressed()
	ix.log.Warn("chain reorganized", "chain_id", ix.cfg.ChainID, "block", ancestor.Number, "depth", depth, "old_head", cur.Hash)
	return true, nil
}

// headBehind handles a node whose head is below the cursor. A node that
// disagrees about the block at its head is a reorg to a shorter chain; one
// that agrees may be a lagging node, so the blocks above its head are
// treated as removed only after HeadRegressionPolls polls.
func (ix *Indexer) headBehind(ctx context.Context, cur Cursor, head gpumarket.Block) (bool, error) {
	stored, ok, err := ix.store.BlockHash(ctx, ix.cfg.ChainID, head.Number)
	if err != nil {
		return false, fmt.Errorf("read stored block %d: %w", head.Number, err)
	}
	if ok && stored != head.Hash {
		return ix.reorg(ctx, cur)
	}
	ix.regressions++
	ix.log.Warn("node head is below the indexed block", "chain_id", ix.cfg.ChainID, "head", head.Number, "indexed", cur.Number, "polls", ix.regressions)
	if ix.regressions < ix.cfg.HeadRegressionPolls {
		return false, nil
	}
	ix.regressions = 0
	return ix.reorg(ctx, cur)
}
