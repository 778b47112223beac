package api_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

// forkEvent indexes one event of job 1 at (block n, log index li) of fork,
// applies update to the jobs row and, with notify, notifies gpumarket_jobs.
func forkEvent(e *matchertest.Env, n int64, li int32, fork, name, payload, update string, notify bool, args ...any) {
	e.TB.Helper()
	indexJobEvent(e, indexedEvent{job: 1, block: n, log: li, fork: fork, name: name, payload: payload, update: update, notify: notify}, args...)
}

// TestJobEventsReorgUnderCursor: a watcher has seen the job accepted at
// block 11; a reorg replaces blocks 10 and 11, and the new fork carries
// the acceptance at block 10 and the result at block 11, log 0: at the
// watcher's old position, which a cursor of positions alone would skip.
// The stream notices that the block under its cursor changed and sends the
// result (and the state after it); a watcher resuming with the id from
// before the reorg gets them too.
func TestJobEventsReorgUnderCursor(t *testing.T) {
	e := matchertest.New(t)
	b := e.Online(matchertest.ProvOpts{Slots: 2, Price: 1000})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000000", nil)
	forkEvent(e, 10, 0, "a", "JobCreated", `{}`, "state = 'open'", false)
	forkEvent(e, 11, 0, "a", "JobAccepted", `{}`, "state = 'assigned', provider = $11", false, b.Addr[:])
	_, _, c := eventServer(t, e, nil)

	evs, errs := c.Events(t.Context(), matchertest.Chain, 1, "")
	before := expect(t, evs, errs, "state")[0]
	if !strings.Contains(string(before.Data), `"state":"assigned"`) {
		t.Fatalf("first state = %s, want assigned", before.Data)
	}

	// The reorg, in one transaction as the indexer's rollback and re-index.
	e.Exec(`DELETE FROM job_events WHERE chain_id = $1 AND block_number >= 10`, matchertest.Chain)
	e.Exec(`DELETE FROM logs WHERE chain_id = $1 AND block_number >= 10`, matchertest.Chain)
	forkEvent(e, 10, 0, "b", "JobCreated", `{}`, "state = 'open'", false)
	forkEvent(e, 10, 1, "b", "JobAccepted", `{}`, "state = 'assigned', provider = $11", false, b.Addr[:])
	result := sha256.Sum256([]byte("result"))
	forkEvent(e, 11, 0, "b", "ResultSubmitted", fmt.Sprintf(`{"resultHash":"0x%x","resultURI":"http://b/result"}`, result),
		"state = 'submitted', amount_due = 900, result_hash = $11, result_uri = 'http://b/result', result_uri_raw = 'http://b/result'::bytea", true, result[:])

	got := expect(t, evs, errs, "result", "state")
	if !strings.Contains(string(got[0].Data), `"block_number":11`) || !strings.Contains(string(got[1].Data), `"state":"submitted"`) {
		t.Fatalf("after the reorg: result %s, state %s; want the re-mined result at block 11 and the submitted state", got[0].Data, got[1].Data)
	}

	// Resuming from the id seen before the reorg.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	evs, errs = c.Events(ctx, matchertest.Chain, 1, before.ID)
	got = expect(t, evs, errs, "result", "state")
	if !strings.Contains(string(got[1].Data), `"state":"submitted"`) {
		t.Fatalf("resumed after the reorg: state %s, want submitted", got[1].Data)
	}
	// And from the id after the result: nothing is sent twice.
	last := got[1].ID
	cancel()
	ctx2, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	evs, errs = c.Events(ctx2, matchertest.Chain, 1, last)
	forkEvent(e, 12, 0, "b", "JobSettled", `{"payout":{"protocolFee":"22","creatorAmount":"0","providerAmount":"878","clientRefund":"999999100"}}`,
		"state = 'settled', protocol_fee = 22, creator_amount = 0, provider_amount = 878, client_refund = 999999100", true)
	expect(t, evs, errs, "settled", "state", "final")
}
