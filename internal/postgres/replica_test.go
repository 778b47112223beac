package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestReplicaReads runs the API's store against a real hot standby made by
// pg_basebackup -R: stale-tolerant reads go to the standby while it keeps
// up, writes and fresh reads to the primary; with replay paused the lag
// shows (seconds and bytes) and, past the limit, every read moves to the
// primary until the standby catches up again.
func TestReplicaReads(t *testing.T) {
	ctx := context.Background()
	r := pgtest.NewReplicated(t)
	primary, standby := pgtest.Open(t, r.PrimaryURL), pgtest.Open(t, r.StandbyURL)
	psql, ssql := postgrestest.Open(t, r.PrimaryURL), postgrestest.Open(t, r.StandbyURL)
	const maxLag = 300 * time.Millisecond
	rep := postgres.NewReplica(primary, standby, maxLag)
	store := postgres.NewMatcherAPIStoreWithReplica(primary, rep)
	rate := func(class string) { // one rate key per class: LatestRates lists each
		psql.Exec(`INSERT INTO oracle_snapshots (chain_id, kind, unit, gpu_class, token, fair_rate, band_low, band_high, providers, settlements, detail, computed_at)
			VALUES (31337, 'llm', '1k_tokens', $2, $1, 100, 0, 1000000, 1, 0, '{}', now())`, make([]byte, 20), class)
	}
	latest := func() int {
		t.Helper()
		rs, err := store.LatestRates(ctx, 31337, "llm")
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	check := func() postgres.ReplicaState {
		t.Helper()
		st, err := rep.Check(ctx)
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		return st
	}
	// caughtUp waits until the standby has replayed all it received and
	// holds rates rows.
	caughtUp := func(rates int64) {
		t.Helper()
		for end := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if st := check(); st.Usable && st.Lag == 0 && ssql.Count(`SELECT count(*) FROM oracle_snapshots`) == rates {
				return
			}
			if time.Now().After(end) {
				t.Fatalf("standby never caught up: %+v", rep.State())
			}
		}
	}

	if st := rep.State(); st.Usable {
		t.Errorf("before the first check: %+v, want reads on the primary", st)
	}
	rate("large")
	caughtUp(1)
	if st := rep.State(); !st.InRecovery {
		t.Errorf("standby state %+v, want in recovery", st)
	}
	if got := latest(); got != 1 {
		t.Fatalf("rates read = %d, want 1", got)
	}
	// The standby refuses writes; the store's writes go to the primary.
	if err := ssql.TryQueryRow(ctx, `INSERT INTO oracle_snapshots (kind) VALUES ('llm') RETURNING id`, nil, new(int64)); err == nil {
		t.Fatal("the standby accepted a write")
	}
	body := []byte(`{"kind":"llm"}`)
	spec := service.SpecRecord{Hash: service.SpecHash(body), Body: body, Source: "upload", Rejection: "test"}
	up := service.SpecUpload{Caller: "192.0.2.1", Quota: service.DefaultSpecQuota(), Now: time.Now()}

	// Replay paused: the standby stops seeing new rows.
	ssql.Exec(`SELECT pg_wal_replay_pause()`)
	rate("xlarge")
	if err := store.StoreUpload(ctx, spec, up); err != nil {
		t.Fatalf("StoreUpload with replay paused: %v", err)
	}
	psql.Exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
		spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
		VALUES (31337, 7, $1, $1, 100, 'llm', 'open', now(), 250, 0, $2, 'ipfs://x', 'ipfs://x', now(), 1)`, make([]byte, 20), spec.Hash[:])
	if got := latest(); got != 1 {
		t.Errorf("rates read from the paused standby = %d, want 1 (the replica's)", got)
	}
	if _, err := store.Job(ctx, 31337, 7); err != nil {
		t.Errorf("Job right after its write: %v, want it from the primary", err)
	}
	if _, _, _, err := store.Spec(ctx, spec.Hash); err != nil {
		t.Errorf("Spec right after its upload: %v, want it from the primary", err)
	}
	if n := ssql.Count(`SELECT count(*) FROM job_specs WHERE spec_hash = $1`, spec.Hash[:]); n != 0 {
		t.Fatalf("the paused standby has the new spec (%d rows): the test shows nothing", n)
	}
	// Past the limit, reads move to the primary and the lag shows.
	time.Sleep(2 * maxLag)
	st := check()
	if st.Usable || st.Lag <= maxLag || st.LagBytes <= 0 {
		t.Errorf("paused standby: %+v, want lag over %v, bytes behind, reads on the primary", st, maxLag)
	}
	if got := latest(); got != 2 {
		t.Errorf("rates read with the standby lagging = %d, want 2 (the primary's)", got)
	}
	ssql.Exec(`SELECT pg_wal_replay_resume()`)
	caughtUp(2)
	if got := latest(); got != 2 {
		t.Errorf("rates read from the caught-up standby = %d, want 2", got)
	}

	// A "replica" that is not a standby is refused: reads stay on the primary.
	notStandby := postgres.NewReplica(primary, primary, maxLag)
	if st, err := notStandby.Check(ctx); gpumarket.ErrorCode(err) != gpumarket.EINVALID || st.Usable {
		t.Errorf("Check of a primary as replica = %+v, %v; want EINVALID and not usable", st, err)
	}
}
