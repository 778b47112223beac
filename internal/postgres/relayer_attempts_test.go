package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/relayer"
)

// Job attempt records round-trip, are kept apart by provider and by job
// hash (a job renumbered by a reorg is another job), and survive a new
// store over the same database (a restart).
func TestRelayerAttempts(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	p1, p2 := gpumarket.Address{0x01}, gpumarket.Address{0x02}
	h1, h2 := gpumarket.Hash{0xa1}, gpumarket.Hash{0xa2}
	a := postgres.NewRelayerAttempts(db, chainID, p1)

	empty, err := a.JobAttempts(ctx, 5, h1)
	if err != nil || empty.Attempts != 0 || empty.Abandoned() || empty.JobID != 5 || empty.JobHash != h1 {
		t.Fatalf("JobAttempts(no record) = %+v, %v; want zero attempts for job 5", empty, err)
	}
	next := time.Unix(1_800_000_010, 0)
	rec := relayer.JobAttempts{JobID: 5, JobHash: h1, Attempts: 2, LastError: "boom", NextAt: next}
	if err := a.SaveJobAttempts(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, err := postgres.NewRelayerAttempts(db, chainID, p1).JobAttempts(ctx, 5, h1)
	if err != nil || got.Attempts != 2 || got.LastError != "boom" || !got.NextAt.Equal(next) || got.Abandoned() {
		t.Fatalf("JobAttempts = %+v, %v; want %+v", got, err, rec)
	}
	rec.Attempts, rec.AbandonedAt, rec.Reason = 3, time.Unix(1_800_000_020, 0), "3 attempts failed"
	if err := a.SaveJobAttempts(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if got, err = a.JobAttempts(ctx, 5, h1); err != nil || got.Attempts != 3 || !got.Abandoned() || got.Reason != rec.Reason {
		t.Fatalf("after abandoning: %+v, %v", got, err)
	}
	for name, other := range map[string]func() (relayer.JobAttempts, error){
		"another provider": func() (relayer.JobAttempts, error) {
			return postgres.NewRelayerAttempts(db, chainID, p2).JobAttempts(ctx, 5, h1)
		},
		"another job hash": func() (relayer.JobAttempts, error) { return a.JobAttempts(ctx, 5, h2) },
		"another chain": func() (relayer.JobAttempts, error) {
			return postgres.NewRelayerAttempts(db, chainID+1, p1).JobAttempts(ctx, 5, h1)
		},
	} {
		if got, err := other(); err != nil || got.Attempts != 0 || got.Abandoned() {
			t.Errorf("%s: %+v, %v; want no attempts", name, got, err)
		}
	}
	if err := a.SaveJobAttempts(ctx, relayer.JobAttempts{JobID: 6, JobHash: h1, Attempts: -1}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("SaveJobAttempts(negative) = %v, want EINVALID", err)
	}
}
