package market_test

import (
	"math/big"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// TestAssignmentBoundToTermsAcrossReorg: the matcher signs an assignment
// of job n; a reorg drops the job's creation and another client's job takes
// id n. The signed assignment cannot be used on the new job (the contract
// recovers a non-matcher from the digest of the new job's hash), while an
// assignment signed for the new job's terms is accepted.
func TestAssignmentBoundToTermsAcrossReorg(t *testing.T) {
	h := mkNew(t, ethtest.SystemConfig{})
	h.registerProvider(mkStake)
	params := func(spec byte, maxPayment int64) *eip712.JobParams {
		return &eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: h.usdt(), MaxPayment: big.NewInt(maxPayment),
			Deadline: h.now() + 1800, SpecHash: gpumarket.Hash{spec}, SpecURI: "ipfs://spec"}
	}
	// Approve first (its own block), so that the reorg drops the creation only.
	h.send("approve market", mkClient)(h.m.Approve(h.usdt(), h.m.Address(), big.NewInt(1_000_000_000)))
	_, evs := h.send("createJob A", mkClient)(h.m.CreateJob(params(0xa1, 100_000_000)))
	id := mkCreated(t, evs)
	jobA := h.job(id)
	signed := h.signAssignment(jobA, mkPrice)

	if err := h.s.Reorg(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	if next, err := h.m.NextJobID(h.ctx); err != nil || next != id {
		t.Fatalf("next job id after the reorg = %d (%v), want %d again", next, err, id)
	}
	delete(h.jobs, id) // the folded job A is gone with its block

	h.send("approve market (another client)", mkAnyone)(h.m.Approve(h.usdt(), h.m.Address(), big.NewInt(1_000_000_000)))
	_, evs = h.send("createJob B", mkAnyone)(h.m.CreateJob(params(0xb2, 90_000_000)))
	if got := mkCreated(t, evs); got != id {
		t.Fatalf("job B got id %d, want the renumbered %d", got, id)
	}
	jobB := h.job(id)
	if a, b := mustHash(t, jobA), mustHash(t, jobB); a == b {
		t.Fatalf("jobs A and B hash alike (%s): the test proves nothing", a)
	}

	h.mustRevert("accept job B with job A's assignment", mkSigner, "InvalidMatcherSignature")(h.m.AcceptJob(jobB, &signed.a, signed.sig))
	replayed := signed.a
	replayed.JobHash = mustHash(t, jobB) // claiming B's terms does not help: the signature covers A's
	h.mustRevert("accept job B with job A's signature over B's hash", mkSigner, "InvalidMatcherSignature")(h.m.AcceptJob(jobB, &replayed, signed.sig))

	fresh := h.signAssignment(jobB, big.NewInt(80_000_000))
	_, evs = h.send("accept job B with its own assignment", mkSigner)(h.m.AcceptJob(jobB, &fresh.a, fresh.sig))
	if acc, ok := mkOne[*gpumarket.JobAccepted](evs); !ok || acc.ID != id || acc.Price.Cmp(big.NewInt(80_000_000)) != 0 {
		t.Fatalf("JobAccepted = %+v", acc)
	}
}

type signedAssignment struct {
	a   gpumarket.Assignment
	sig []byte
}

// signAssignment has the matcher sign an assignment of job (bound to its
// hash as created) to the harness's provider at price.
func (h *mkHarness) signAssignment(job *gpumarket.Job, price *big.Int) signedAssignment {
	h.tb.Helper()
	a := gpumarket.Assignment{JobID: job.ID, JobHash: mustHash(h.tb, job), Provider: h.addr(mkOperator), Price: price, Expiry: int64(h.now() + 600)}
	sig, err := eip712.SignAssignment(h.s.Key(h.s.Matcher), h.m.Domain(), &a)
	if err != nil {
		h.tb.Fatal(err)
	}
	return signedAssignment{a, sig}
}

func mustHash(tb testing.TB, job *gpumarket.Job) gpumarket.Hash {
	tb.Helper()
	hash, err := market.JobHashAtCreation(job)
	if err != nil {
		tb.Fatal(err)
	}
	return hash
}
