package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/matcher/matchertest"

	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestCrashedLeaseExpires: jobs claimed by an instance that died are not
// touched by others until the lease lapses, then they are matched.
func TestCrashedLeaseExpires(t *testing.T) {
	e := matchertest.New(t)
	e.Online(matchertest.ProvOpts{Price: 1000})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	claimed, err := e.Queue.Claim(e.Ctx, matchertest.Chain, "dead", nil, nil, 10, 30*time.Second, e.Clock.Now())
	if err != nil || len(claimed) != 1 {
		t.Fatalf("Claim by the doomed instance = %d jobs, %v; want 1", len(claimed), err)
	}
	s := e.NewService("alive", nil)
	if got := matchertest.Drain(t, e.Ctx, s); got != 0 {
		t.Errorf("offers while the lease is held = %d, want 0", got)
	}
	e.Clock.Add(31 * time.Second)
	if n, err := e.Maint.ExpireLeases(e.Ctx, e.Clock.Now()); err != nil || n != 1 {
		t.Errorf("ExpireLeases = %d, %v; want 1", n, err)
	}
	if got := matchertest.Drain(t, e.Ctx, s); got != 1 {
		t.Errorf("offers after the lease lapsed = %d, want 1", got)
	}
}

// TestRunReactsToNotify: with polling effectively off, a job inserted and
// announced on gpumarket_jobs is offered by a running service; cancelling
// the context stops Run without error.
func TestRunReactsToNotify(t *testing.T) {
	e := matchertest.New(t)
	e.Online(matchertest.ProvOpts{Price: 1000})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	s := e.NewService("a", func(c *service.Config) { c.Poll, c.SyncLookback = time.Hour, 2*time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, e.DB) }()
	// The first round runs at start; add the job after it, then notify
	// until the service has seen it (the listener may not be up yet).
	for i := 0; i < 300 && e.Count(`SELECT count(*) FROM matcher_jobs`) == 0; i++ {
		if i == 0 {
			time.Sleep(200 * time.Millisecond)
			e.AddJob(5, spec, "ipfs://x", "1000000", nil)
		}
		e.Exec(`SELECT pg_notify('gpumarket_jobs', '{"chain_id":31337,"job_ids":[5]}')`)
		time.Sleep(100 * time.Millisecond)
	}
	for i := 0; i < 300 && e.Count(`SELECT count(*) FROM assignments`) == 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
	if got := e.Count(`SELECT count(*) FROM assignments WHERE job_id = 5 AND state = 'offered'`); got != 1 {
		t.Errorf("offers of the notified job = %d, want 1", got)
	}
}

// TestSyncIncremental: an incremental sync adds open jobs created since its
// bound only; a full sync adds every open job.
func TestSyncIncremental(t *testing.T) {
	e := matchertest.New(t)
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000", nil)
	e.Exec(`UPDATE jobs SET created_at = created_at - interval '1 hour' WHERE job_id = 1`)
	e.AddJob(2, spec, "ipfs://x", "1000000", nil)
	now := e.Clock.Now()
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, now.Add(-10*time.Minute), now); err != nil {
		t.Fatal(err)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_jobs`); got != 1 {
		t.Errorf("after an incremental sync: %d matcher jobs, want 1 (the recent one)", got)
	}
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, now); err != nil {
		t.Fatal(err)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_jobs`); got != 2 {
		t.Errorf("after a full sync: %d matcher jobs, want 2", got)
	}
}
