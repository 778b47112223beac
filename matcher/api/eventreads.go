package api

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// Batched re-reads of the status streams. One notification can wake
// hundreds of streams at once (the matcher records offers in batches, and
// the indexer commits a block's jobs together); read one by one, each
// would be a transaction of seven queries, and a thousand watchers would
// take their CPU from the matcher. A stream instead asks activityReads for
// its job's snapshot: the asks that arrive while a read is in flight wait
// for the next one, which reads all of them in one transaction and one
// round trip (Store.JobsWithActivity). An ask is always served by a read
// that started after it was made, so a stream woken by a notification
// sees at least what was committed before it: batching delays nothing but
// the asks that arrive during a read, by at most that read.

// maxActivityBatch bounds the jobs of one read (the rest wait for the
// next), so that one read stays a small transaction.
const maxActivityBatch = 512

// activityReadTimeout bounds one batched read: the asks it serves come
// from many streams, so it runs under no stream's context.
const activityReadTimeout = 30 * time.Second

// activityReads serves the status streams' reads of their jobs in
// batches (see above). At most one read runs at a time.
type activityReads struct {
	store Store

	mu      sync.Mutex
	pending []*activityAsk
	running bool
}

// activityAsk is one stream's read: its chain and query, and where the
// snapshot goes (capacity 1: the reader never waits on a stream).
type activityAsk struct {
	chain uint64
	q     service.ActivityQuery
	done  chan activityReply
}

type activityReply struct {
	snap service.JobSnapshot
	err  error // the read failed (an unindexed job is snap.Err)
}

func newActivityReads(store Store) *activityReads { return &activityReads{store: store} }

// read returns q's snapshot of chain, read in a batch with the other
// streams' asks, or ctx's error when ctx ends first.
func (r *activityReads) read(ctx context.Context, chain uint64, q service.ActivityQuery) (service.JobSnapshot, error) {
	ask := &activityAsk{chain: chain, q: q, done: make(chan activityReply, 1)}
	r.mu.Lock()
	r.pending = append(r.pending, ask)
	if !r.running {
		r.running = true
		go r.run()
	}
	r.mu.Unlock()
	select {
	case rep := <-ask.done:
		return rep.snap, rep.err
	case <-ctx.Done():
		return service.JobSnapshot{}, ctx.Err()
	}
}

// run reads pending asks in batches until none is left.
func (r *activityReads) run() {
	for {
		r.mu.Lock()
		batch := r.take()
		if len(batch) == 0 {
			r.running = false
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
		r.serve(batch)
	}
}

// take removes from pending the asks of the next read: those of the
// first pending ask's chain, up to maxActivityBatch distinct jobs. Called
// with mu held.
func (r *activityReads) take() []*activityAsk {
	if len(r.pending) == 0 {
		return nil
	}
	chain := r.pending[0].chain
	var batch, rest []*activityAsk
	jobs := map[gpumarket.JobID]bool{}
	for _, a := range r.pending {
		if a.chain != chain || (!jobs[a.q.JobID] && len(jobs) >= maxActivityBatch) {
			rest = append(rest, a)
			continue
		}
		jobs[a.q.JobID] = true
		batch = append(batch, a)
	}
	r.pending = rest
	return batch
}

// serve reads batch (asks of one chain) in one store read: each job once,
// from the lowest position any of its asks named, and gives each ask its
// job's snapshot cut to its own position.
func (r *activityReads) serve(batch []*activityAsk) {
	defer func() {
		// This runs outside any handler, where net/http would recover a
		// panic: end the asks with an error, not the process.
		if p := recover(); p != nil {
			err := fmt.Errorf("read job activity: panic: %v", p)
			for _, a := range batch {
				select {
				case a.done <- activityReply{err: err}:
				default: // answered before the panic
				}
			}
		}
	}()
	chain := batch[0].chain
	var qs []service.ActivityQuery
	at := map[gpumarket.JobID]int{} // index in qs
	for _, a := range batch {
		i, ok := at[a.q.JobID]
		if !ok {
			at[a.q.JobID] = len(qs)
			qs = append(qs, a.q)
			continue
		}
		q := &qs[i]
		if cmp.Or(cmp.Compare(a.q.FromBlock, q.FromBlock), cmp.Compare(a.q.FromLog, q.FromLog)) < 0 {
			q.FromBlock, q.FromLog = a.q.FromBlock, a.q.FromLog
		}
		q.AfterOffer = min(q.AfterOffer, a.q.AfterOffer)
	}
	ctx, cancel := context.WithTimeout(context.Background(), activityReadTimeout)
	snaps, err := r.store.JobsWithActivity(ctx, chain, qs)
	cancel()
	for _, a := range batch {
		if err != nil {
			a.done <- activityReply{err: err}
			continue
		}
		a.done <- activityReply{snap: cutActivity(snaps[at[a.q.JobID]], a.q)}
	}
}

// cutActivity returns s with only the chain events at or after q's
// position and the offers above q.AfterOffer (s was read from a position
// at or before q's). The view and the kept events are shared, not copied:
// streams only read them.
func cutActivity(s service.JobSnapshot, q service.ActivityQuery) service.JobSnapshot {
	chain := s.Activity.Chain
	for len(chain) > 0 && cmp.Or(cmp.Compare(chain[0].Block, q.FromBlock), cmp.Compare(chain[0].LogIndex, q.FromLog)) < 0 {
		chain = chain[1:]
	}
	offers := s.Activity.Offers
	for len(offers) > 0 && offers[0].ID <= q.AfterOffer {
		offers = offers[1:]
	}
	s.Activity = service.JobActivity{Chain: chain, Offers: offers}
	return s
}
