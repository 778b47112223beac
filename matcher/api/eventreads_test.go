package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// batchStore is a Store whose JobsWithActivity records each read and
// answers from version: every job has chain events at blocks 1..5 (log 0)
// and offers 1..5, and its view's LastBlock is the version the read saw.
// gate, when set, holds each read until it receives.
type batchStore struct {
	Store
	mu      sync.Mutex
	reads   [][]service.ActivityQuery
	version uint64
	gate    chan struct{}
	fail    error
	panics  bool
}

func (s *batchStore) JobsWithActivity(ctx context.Context, chain uint64, qs []service.ActivityQuery) ([]service.JobSnapshot, error) {
	s.mu.Lock()
	s.reads = append(s.reads, append([]service.ActivityQuery(nil), qs...))
	version, gate, fail, panics := s.version, s.gate, s.fail, s.panics
	s.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if fail != nil {
		return nil, fail
	}
	if panics {
		panic("a bug in the store")
	}
	out := make([]service.JobSnapshot, len(qs))
	for i, q := range qs {
		if q.JobID == 404 {
			out[i].Err = gpumarket.Errorf(gpumarket.ENOTFOUND, "job %d/%d is not indexed", chain, q.JobID)
			continue
		}
		out[i].View = service.JobView{ChainID: chain, JobID: q.JobID}
		out[i].View.Chain.LastBlock = version
		for b := uint64(1); b <= 5; b++ {
			if b >= q.FromBlock {
				out[i].Activity.Chain = append(out[i].Activity.Chain, service.JobChainEvent{Block: b, Name: "JobCreated"})
			}
			if int64(b) > q.AfterOffer {
				out[i].Activity.Offers = append(out[i].Activity.Offers, service.JobOffer{ID: int64(b)})
			}
		}
	}
	return out, nil
}

func (s *batchStore) readCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reads)
}

func TestActivityReadsBatchAndCut(t *testing.T) {
	store := &batchStore{gate: make(chan struct{})}
	r := newActivityReads(store)
	ctx := t.Context()

	// The first ask starts a read, held at the gate; asks made meanwhile
	// wait for the next read, which serves them all at once.
	first := make(chan service.JobSnapshot, 1)
	go func() {
		s, _ := r.read(ctx, 7, service.ActivityQuery{JobID: 1})
		first <- s
	}()
	waitFor(t, func() bool { return store.readCount() == 1 })
	store.mu.Lock()
	store.version = 2 // committed after the first read began
	store.mu.Unlock()

	type result struct {
		q    service.ActivityQuery
		snap service.JobSnapshot
		err  error
	}
	asks := []service.ActivityQuery{
		{JobID: 1, FromBlock: 3, AfterOffer: 4},
		{JobID: 1, FromBlock: 2, AfterOffer: 1}, // the same job from lower: read once, from the lowest
		{JobID: 2},
		{JobID: 3, FromBlock: 5, AfterOffer: 5},
		{JobID: 404},
	}
	results := make(chan result, len(asks))
	for _, q := range asks {
		go func() {
			s, err := r.read(ctx, 7, q)
			results <- result{q, s, err}
		}()
	}
	waitFor(t, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.pending) == len(asks)
	})
	close(store.gate) // release both reads
	if s := <-first; s.View.Chain.LastBlock != 0 || len(s.Activity.Chain) != 5 {
		t.Fatalf("first ask: version %d, %d events; want version 0 and all 5", s.View.Chain.LastBlock, len(s.Activity.Chain))
	}
	for range asks {
		res := <-results
		if res.q.JobID == 404 {
			if gpumarket.ErrorCode(res.snap.Err) != gpumarket.ENOTFOUND || res.err != nil {
				t.Errorf("unknown job: snapshot error %v, read error %v; want ENOTFOUND in the snapshot", res.snap.Err, res.err)
			}
			continue
		}
		if res.err != nil || res.snap.Err != nil {
			t.Fatalf("ask %+v: %v / %v", res.q, res.err, res.snap.Err)
		}
		if res.snap.View.JobID != res.q.JobID || res.snap.View.Chain.LastBlock != 2 {
			t.Errorf("ask %+v got job %d at version %d; want its own job, read after the ask (version 2)", res.q, res.snap.View.JobID, res.snap.View.Chain.LastBlock)
		}
		wantEvents, wantOffers := 5-int(max(res.q.FromBlock, 1))+1, 5-int(res.q.AfterOffer)
		if len(res.snap.Activity.Chain) != wantEvents || len(res.snap.Activity.Offers) != wantOffers {
			t.Errorf("ask %+v: %d events, %d offers; want %d and %d (cut to its own position)", res.q, len(res.snap.Activity.Chain), len(res.snap.Activity.Offers), wantEvents, wantOffers)
		}
		if len(res.snap.Activity.Chain) > 0 && res.snap.Activity.Chain[0].Block < res.q.FromBlock {
			t.Errorf("ask %+v: first event at block %d", res.q, res.snap.Activity.Chain[0].Block)
		}
	}
	if n := store.readCount(); n != 2 {
		t.Fatalf("%d store reads for 1 + %d asks, want 2 (the rest batched)", n, len(asks))
	}
	second := store.reads[1]
	if len(second) != 4 {
		t.Fatalf("second read asked for %+v, want 4 distinct jobs", second)
	}
	for _, q := range second {
		if q.JobID == 1 && (q.FromBlock != 2 || q.AfterOffer != 1) {
			t.Errorf("job 1 read from %+v, want the lowest of its asks (block 2, after offer 1)", q)
		}
	}
}

func TestActivityReadsFailureAndCancel(t *testing.T) {
	store := &batchStore{fail: errors.New("connection reset")}
	r := newActivityReads(store)
	if _, err := r.read(t.Context(), 7, service.ActivityQuery{JobID: 1}); err == nil || err.Error() != "connection reset" {
		t.Fatalf("read on a failing store: %v, want its error", err)
	}
	// A stream that goes away while its read is held returns at once.
	store.mu.Lock()
	store.fail, store.gate = nil, make(chan struct{})
	store.mu.Unlock()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := r.read(ctx, 7, service.ActivityQuery{JobID: 1})
		done <- err
	}()
	waitFor(t, func() bool { return store.readCount() == 2 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled read: %v", err)
	}
	close(store.gate)
	// The reader goes idle and starts again for the next ask.
	if s, err := r.read(t.Context(), 7, service.ActivityQuery{JobID: 9}); err != nil || s.View.JobID != 9 {
		t.Fatalf("read after idle: %+v, %v", s.View, err)
	}
	// A panic in the store ends the asks of its read with an error, not
	// the process, and the next read works.
	store.mu.Lock()
	store.gate, store.panics = nil, true
	store.mu.Unlock()
	if _, err := r.read(t.Context(), 7, service.ActivityQuery{JobID: 9}); err == nil || !strings.Contains(err.Error(), "panic: a bug in the store") {
		t.Fatalf("read on a panicking store: %v", err)
	}
	store.mu.Lock()
	store.panics = false
	store.mu.Unlock()
	if _, err := r.read(t.Context(), 7, service.ActivityQuery{JobID: 9}); err != nil {
		t.Fatalf("read after the panic: %v", err)
	}
}

func TestActivityReadsBoundBatches(t *testing.T) {
	store := &batchStore{gate: make(chan struct{})}
	r := newActivityReads(store)
	go func() { _, _ = r.read(t.Context(), 7, service.ActivityQuery{JobID: 1}) }()
	waitFor(t, func() bool { return store.readCount() == 1 })
	n := 2 * maxActivityBatch // 3/4 on chain 7 (two reads), 1/4 on chain 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		chain := uint64(7)
		if i%4 == 3 {
			chain = 8
		}
		go func() {
			defer wg.Done()
			if s, err := r.read(t.Context(), chain, service.ActivityQuery{JobID: gpumarket.JobID(i + 1000)}); err != nil || s.View.ChainID != chain {
				t.Errorf("ask %d on chain %d: %+v, %v", i, chain, s.View, err)
			}
		}()
	}
	waitFor(t, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.pending) == n
	})
	close(store.gate)
	wg.Wait()
	store.mu.Lock()
	defer store.mu.Unlock()
	for _, q := range store.reads {
		if len(q) > maxActivityBatch {
			t.Errorf("a read of %d jobs, above maxActivityBatch %d", len(q), maxActivityBatch)
		}
	}
	if len(store.reads) != 4 { // the first, two for chain 7, one for chain 8
		t.Errorf("%d reads, want 4", len(store.reads))
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestErrorClientGone: a request cancelled because its client went away is
// recorded as 499, not as a server error; the same error with the client
// still there is a 500.
func TestErrorClientGone(t *testing.T) {
	s := &Server{log: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	gone := httptest.NewRequestWithContext(ctx, "GET", "/v1/jobs/1/2/events", nil)
	w := httptest.NewRecorder()
	s.Error(w, gone, fmt.Errorf("read job: %w", context.Canceled))
	if w.Code != StatusClientClosedRequest {
		t.Errorf("client gone: status %d, want %d", w.Code, StatusClientClosedRequest)
	}
	here := httptest.NewRequestWithContext(t.Context(), "GET", "/v1/jobs/1/2/events", nil)
	w = httptest.NewRecorder()
	s.Error(w, here, fmt.Errorf("read job: %w", context.Canceled))
	if w.Code != http.StatusInternalServerError {
		t.Errorf("cancelled inside the server, client still there: status %d, want 500", w.Code)
	}
}
