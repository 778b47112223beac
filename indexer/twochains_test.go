package indexer_test

import (
	"reflect"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/eth/node"
	"github.com/gpumarket/gpumarket/internal/pgtest"
)

// chainSnapshot is everything the mirror holds for one chain.
type chainSnapshot struct {
	Logs   []gpumarket.Log
	Jobs   []*gpumarket.JobRecord
	Cursor indexer.Cursor
	Reorgs int
}

func (h *haltWorld) snapshot() chainSnapshot {
	h.t.Helper()
	logs, err := h.store.Logs(h.ctx, h.chainID, 0, 1<<40)
	if err != nil {
		h.t.Fatal(err)
	}
	jobs, err := h.chain.Jobs(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	cur, err := h.store.Cursor(h.ctx, h.chainID)
	if err != nil {
		h.t.Fatal(err)
	}
	reorgs, err := h.store.Reorgs(h.ctx, h.chainID)
	if err != nil {
		h.t.Fatal(err)
	}
	return chainSnapshot{Logs: logs, Jobs: jobs, Cursor: cur, Reorgs: reorgs}
}

// TestTwoChainsOneDatabase runs one indexer per chain (what two `indexer
// run` processes do) against two anvils with different chain ids, both
// writing to one database at once, each following its chain by newHeads.
// Both chains number their first job 1: the rows must stay apart by chain
// id. A reorg on the second chain must rewind only that chain; the first
// chain's logs, jobs, cursor and reorg count must not change.
func TestTwoChainsOneDatabase(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	a := newWorldOn(t, db, "", 31337)
	b := newWorldOn(t, db, "", 31338)
	follow := func(h *haltWorld) *indexer.Indexer {
		ws, err := node.WebSocketURL(h.s.URL)
		if err != nil {
			t.Fatal(err)
		}
		ix := h.newIndexer("ix", indexer.Config{Heads: node.NewHeads(ws, 0)}) // the same owner id: leases are per chain
		runIndexer(t, ix)
		return ix
	}
	ixA, ixB := follow(a), follow(b)
	a.createJob("ipfs://a/1")
	b.createJob("ipfs://b/1")
	a.waitIndexed(ixA)
	b.waitIndexed(ixB)
	ja, jb := a.job("ipfs://a/1"), b.job("ipfs://b/1")
	if ja.ID != jb.ID || ja.ChainID != 31337 || jb.ChainID != 31338 {
		t.Fatalf("first jobs: chain %d job %d and chain %d job %d; want job ids equal, chains 31337 and 31338", ja.ChainID, ja.ID, jb.ChainID, jb.ID)
	}
	for _, h := range []*haltWorld{a, b} {
		if jobs, err := h.chain.Jobs(h.ctx); err != nil || len(jobs) != 1 {
			t.Fatalf("chain %d: %d jobs (%v), want its own one", h.chainID, len(jobs), err)
		}
		h.check(0)
		h.assertLogsMirror()
	}

	before := a.snapshot()
	b.createJob("ipfs://b/2")
	b.waitIndexed(ixB)
	b.job("ipfs://b/2")
	if err := b.s.Reorg(b.ctx, 1); err != nil { // replaces the block of b/2; its transaction is dropped
		t.Fatal(err)
	}
	if err := b.s.Mine(b.ctx, 1); err != nil { // a new head for the subscription to announce
		t.Fatal(err)
	}
	waitFor(t, "the reorg on chain 31338", func() bool { return ixB.Status().Reorgs == 1 })
	b.waitIndexed(ixB)
	if jobs, err := b.chain.Jobs(b.ctx); err != nil || len(jobs) != 1 || jobs[0].SpecURI != "ipfs://b/1" {
		t.Fatalf("chain 31338 after its reorg: %d jobs (%v), want only ipfs://b/1", len(jobs), err)
	}
	b.check(0)
	b.assertLogsMirror()
	if got := a.snapshot(); !reflect.DeepEqual(got, before) {
		t.Fatalf("chain 31337 changed when chain 31338 reorganized:\n before %+v\n after  %+v", before, got)
	}
	if st := ixA.Status(); st.Reorgs != 0 {
		t.Fatalf("chain 31337 indexer saw %d reorgs, want 0", st.Reorgs)
	}
}
