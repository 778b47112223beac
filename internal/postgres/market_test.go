package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
)

// marketFixture is a database with two jobs of chain 31337 (1 open, 2
// settled with a payout), one online provider, two reorgs and a cursor.
func marketFixture(t *testing.T) (*postgres.DB, *postgrestest.SQL) {
	t.Helper()
	dsn := pgtest.URL(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	sql := postgrestest.Open(t, dsn)
	for _, j := range []struct {
		id, state, maxPay string
		spec              byte
	}{{"1", "open", "100", 1}, {"2", "settled", "200", 2}} {
		sql.Exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
			spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
			VALUES ($1, $2::numeric, $3, $4, $5::numeric, 'llm', $6, to_timestamp(2000000000), 250, 0, $7, '', '', to_timestamp(1000), 1)`,
			chainID, j.id, b(gpumarket.Address{9}), b(gpumarket.Address{3}), j.maxPay, j.state, append(make([]byte, 0, 32), (&gpumarket.Hash{j.spec})[:]...))
	}
	sql.Exec(`UPDATE jobs SET protocol_fee = 5, creator_amount = 1, provider_amount = 190, client_refund = 4 WHERE job_id = 2`)
	sql.Exec(`INSERT INTO indexer_reorgs (chain_id, ancestor, ancestor_hash, depth, old_head_hash, logs_removed)
		VALUES ($1, 10, $2, 2, $2, 3), ($1, 20, $2, 1, $2, 4), ($1 + 1, 20, $2, 1, $2, 100)`, chainID, make([]byte, 32))
	sql.Exec(`INSERT INTO indexer_cursors (chain_id, block_number, block_hash, finalized_number) VALUES ($1, 42, $2, 40)`, chainID, make([]byte, 32))
	sql.Exec(`INSERT INTO provider_attestations (chain_id, provider, commitment, document, signature, signer, fingerprint, slots, vram_mib,
			gpu_count, region, capabilities, models, issued_at, expires_at, status)
		VALUES ($1, $2, $3, '{}', $4, $2, $3, 1, 1024, 1, 'eu', '{llm}', '{m}', to_timestamp(1), to_timestamp(2), 'busy'),
		       ($1, $5, $3, '{}', $4, $5, $3, 1, 1024, 1, 'eu', '{llm}', '{m}', to_timestamp(1), to_timestamp(2), 'offline')`,
		chainID, b(gpumarket.Address{7}), make([]byte, 32), make([]byte, 65), b(gpumarket.Address{8}))
	return db, sql
}

func TestChainStateProgress(t *testing.T) {
	db, _ := marketFixture(t)
	p, err := postgres.NewChainState(db, chainID).Progress(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []postgres.JobStateCount{{State: gpumarket.JobStateOpen, Jobs: 1}, {State: gpumarket.JobStateSettled, Jobs: 1}}
	if len(p.Jobs) != len(want) || p.Jobs[0] != want[0] || p.Jobs[1] != want[1] {
		t.Errorf("Progress().Jobs = %v, want %v", p.Jobs, want)
	}
	if p.ProvidersOnline != 1 || p.Escrowed.Int64() != 100 || p.ProtocolFees.Int64() != 5 || p.ProviderEarnings.Int64() != 190 || p.Block != 42 {
		t.Errorf("Progress() = online %d, escrowed %v, fees %v, providers %v, block %d; want 1, 100, 5, 190, 42",
			p.ProvidersOnline, p.Escrowed, p.ProtocolFees, p.ProviderEarnings, p.Block)
	}
	empty, err := postgres.NewChainState(db, 5).Progress(context.Background())
	if err != nil || len(empty.Jobs) != 0 || empty.Escrowed.Sign() != 0 || empty.Block != 0 {
		t.Errorf("Progress() of an empty chain = %+v, %v; want nothing", empty, err)
	}
}

func TestChainStateEndStateReads(t *testing.T) {
	ctx := context.Background()
	db, sql := marketFixture(t)
	c := postgres.NewChainState(db, chainID)

	split, err := c.JobSplit(ctx, 2)
	if err != nil || split.ProtocolFee.String() != "5" || split.CreatorAmount.String() != "1" || split.ProviderAmount.String() != "190" ||
		split.ClientRefund.String() != "4" {
		t.Errorf("JobSplit(2) = %+v, %v; want 5, 1, 190, 4", split, err)
	}
	if split, err := c.JobSplit(ctx, 1); err != nil || !split.ProtocolFee.IsZero() || !split.ClientRefund.IsZero() {
		t.Errorf("JobSplit(open job) = %+v, %v; want zeros", split, err)
	}
	if _, err := c.JobSplit(ctx, 99); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("JobSplit(99) error = %v, want %s", err, gpumarket.ENOTFOUND)
	}

	if r, err := c.Reorgs(ctx); err != nil || r.Reorgs != 2 || r.LogsRemoved != 7 {
		t.Errorf("Reorgs() = %+v, %v; want 2 reorgs, 7 logs", r, err)
	}
	// Neither job has a JobCreated event.
	if n, err := c.OrphanJobRows(ctx); err != nil || n != 2 {
		t.Errorf("OrphanJobRows() = %d, %v; want 2", n, err)
	}
	if n, err := c.CountJobs(ctx, gpumarket.JobStateSettled, gpumarket.JobStateRefunded); err != nil || n != 1 {
		t.Errorf("CountJobs(settled, refunded) = %d, %v; want 1", n, err)
	}
	if n, err := c.CountJobs(ctx, gpumarket.JobStateAssigned); err != nil || n != 0 {
		t.Errorf("CountJobs(assigned) = %d, %v; want 0", n, err)
	}
	if n, err := c.CountProviders(ctx, gpumarket.ProviderOnline, gpumarket.ProviderBusy); err != nil || n != 1 {
		t.Errorf("CountProviders(online, busy) = %d, %v; want 1", n, err)
	}
	if id, err := c.JobBySpec(ctx, gpumarket.Hash{2}); err != nil || id != 2 {
		t.Errorf("JobBySpec(spec 2) = %d, %v; want 2", id, err)
	}
	if _, err := c.JobBySpec(ctx, gpumarket.Hash{3}); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("JobBySpec(unknown spec) error = %v, want %s", err, gpumarket.ENOTFOUND)
	}
	if owed, err := c.MarketplaceOwed(ctx, gpumarket.Address{7}, gpumarket.Address{3}); err != nil || owed.Sign() != 0 {
		t.Errorf("MarketplaceOwed(nobody) = %v, %v; want 0", owed, err)
	}

	// A NUMERIC that is not an amount is an error naming its column, never
	// a silent zero.
	sql.Exec(`UPDATE jobs SET client_refund = -1 WHERE job_id = 2`)
	if _, err := c.JobSplit(ctx, 2); err == nil || !strings.Contains(err.Error(), "jobs.client_refund") {
		t.Errorf("JobSplit(negative refund) error = %v, want one naming jobs.client_refund", err)
	}
}

func TestJournalSenderSummaries(t *testing.T) {
	ctx := context.Background()
	j := postgres.NewJournal(pgtest.New(t))
	a, _, err := j.CreateIntent(ctx, intent("a"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := j.CreateIntent(ctx, intent("b")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := j.SignIntent(ctx, a.ID, fakeSigned(1)); err != nil {
		t.Fatal(err)
	}
	got, err := j.SenderSummaries(ctx, chainID)
	want := postgres.SenderSummary{Sender: sender, DistinctNonces: 1, MaxNonce: 0, Intents: 2, Open: 2}
	if err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("SenderSummaries() = %+v, %v; want [%+v]", got, err, want)
	}
	if none, err := j.SenderSummaries(ctx, chainID+1); err != nil || len(none) != 0 {
		t.Errorf("SenderSummaries(other chain) = %+v, %v; want none", none, err)
	}
}

func b(x [20]byte) []byte { return x[:] }
