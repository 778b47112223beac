package postgres_test

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher"
)

// railGenesis is Solana mainnet's genesis hash.
const railGenesis = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"

// railRef makes a distinct base58-looking 43-character key from a tag.
func railRef(tag string) string { return (tag + strings.Repeat("1", 43))[:43] }

// railFixtureJob is one rail job seeded through the RailQuoteStore, moved
// along its lifecycle as the matcher and relayer would.
type railFixtureJob struct {
	provider        byte
	mint            string
	quoted, arrived string // base units
	end             gpumarket.RailJobState
}

// railFixtureJobs: amounts above 2^64 so that any float would show.
var railFixtureJobs = []railFixtureJob{
	{provider: aP1, quoted: "18446744073709551617", arrived: "18446744073709551622", end: gpumarket.RailJobDelivered},
	{provider: aP3, quoted: "1000", arrived: "1000", end: gpumarket.RailJobFailed},
	{provider: aP1, mint: railRef("Mint"), quoted: "7", arrived: "7", end: gpumarket.RailJobDispatched},
}

func bigOf(tb testing.TB, s string) *big.Int {
	tb.Helper()
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		tb.Fatalf("bad amount %q", s)
	}
	return v
}

// seedRailJob creates a quote of provider on chainID, pays it (plus an
// under-payment that funds nothing) and moves its job to j.end; it returns
// the quote id.
func seedRailJob(tb testing.TB, store *postgres.RailQuoteStore, chain uint64, tag string, j railFixtureJob) int64 {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var prov gpumarket.Address
	copy(prov[:], addr(j.provider))
	q := gpumarket.RailQuote{Rail: "solana", ChainID: chain, Provider: prov,
		Terms: gpumarket.RailQuoteTerms{Reference: railRef("Ref" + tag), Recipient: railRef("Wallet" + fmt.Sprint(j.provider)), Mint: j.mint,
			Decimals: 9, Amount: bigOf(tb, j.quoted), ExpiresAt: now.Add(time.Hour), Cluster: railGenesis},
		Breakdown: []byte(`{}`), URL: "solana:" + railRef("Wallet"), CreatedAt: now.Add(-time.Minute)}
	copy(q.SpecHash[:], hash32(0x5e, int64(len(tag))))
	id, err := store.CreateRailQuote(ctx, q)
	if err != nil {
		tb.Fatal(err)
	}
	q.ID = id
	arrived, quoted := bigOf(tb, j.arrived), bigOf(tb, j.quoted)
	bt := now.Add(-30 * time.Second)
	_, job, funded, err := store.RecordRailPayments(ctx, q, []gpumarket.RailQuotePayment{
		{Signature: "Under" + tag, Slot: 10, BlockTime: &bt, Payer: railRef("Payer" + tag), Mint: j.mint, Arrived: big.NewInt(1),
			Verdict: gpumarket.RailUnderpaid, Reason: "under"},
		{Signature: "Sig" + tag, Slot: 11, BlockTime: &bt, Payer: railRef("Payer" + tag), Mint: j.mint, Arrived: arrived,
			Excess: new(big.Int).Sub(arrived, quoted), Verdict: gpumarket.RailFunds},
	})
	if err != nil || job == nil || !funded {
		tb.Fatalf("RecordRailPayments(quote %d) = job %v, funded %v, %v; want a funded job", id, job, funded, err)
	}
	if err := store.MoveRailJob(ctx, id, gpumarket.RailJobFunded, gpumarket.RailJobDispatched); err != nil {
		tb.Fatal(err)
	}
	if j.end == gpumarket.RailJobDispatched {
		return id
	}
	if err := store.ClaimRailJob(ctx, prov, id); err != nil {
		tb.Fatal(err)
	}
	switch j.end {
	case gpumarket.RailJobDelivered:
		var h gpumarket.Hash
		copy(h[:], hash32(0xde, id))
		err = store.DeliverRailJob(ctx, id, h, "http://relayer.invalid/v1/rail/results/"+fmt.Sprint(id))
	case gpumarket.RailJobFailed:
		err = store.FailRailJob(ctx, id, gpumarket.RailJobRunning, "render failed")
	}
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// seedRailJobs seeds railFixtureJobs on the analytics fixture's chain.
func seedRailJobs(tb testing.TB, db *postgres.DB) {
	tb.Helper()
	store := postgres.NewRailQuoteStore(db)
	for i, j := range railFixtureJobs {
		seedRailJob(tb, store, chainID, fmt.Sprint("Q", i), j)
	}
}

// TestRailViews checks v_rail_jobs and v_rail_volume_daily on rail jobs
// written by the store functions the matcher and relayer use.
func TestRailViews(t *testing.T) {
	db := newAnalyticsFixture(t)
	tests := []struct {
		name, sql, want string
	}{
		{"v_rail_jobs", `SELECT string_agg(concat_ws(' ', state, provider, payer, nullif(mint, ''), quoted, arrived, excess, signature,
				genesis_hash, provider_stake, result_hash IS NOT NULL, nullif(failure, ''), watched_genesis_hash IS NULL,
				finished_at >= started_at, started_at >= dispatched_at, dispatched_at >= funded_at), E'\n' ORDER BY quote_id) FROM v_rail_jobs`,
			strings.Join([]string{
				"delivered P1 " + railRef("PayerQ0") + " 18446744073709551617 18446744073709551622 5 SigQ0 " + railGenesis + " 10000000 t t t t t",
				"failed P3 " + railRef("PayerQ1") + " 1000 1000 0 SigQ1 " + railGenesis + " 8500000 f render failed t t t t",
				"dispatched P1 " + railRef("PayerQ2") + " " + railRef("Mint") + " 7 7 0 SigQ2 " + railGenesis + " 10000000 f t t",
			}, "\n")},
		{"v_rail_jobs excludes payments that fund nothing", `SELECT count(*)::text FROM v_rail_jobs WHERE signature LIKE 'Under%'`, "0"},
		{"v_rail_volume_daily", `SELECT string_agg(concat_ws(' ', day = (now() AT TIME ZONE 'UTC')::date, rail, chain_id, coalesce(nullif(mint, ''), 'SOL'),
				jobs_funded, jobs_delivered, jobs_failed, jobs_open, volume_quoted, volume_paid, volume_excess, volume_delivered, volume_failed),
				E'\n' ORDER BY mint) FROM v_rail_volume_daily`,
			strings.Join([]string{
				fmt.Sprintf("t solana %d SOL 2 1 1 0 18446744073709552617 18446744073709552622 5 18446744073709551622 1000", chainID),
				fmt.Sprintf("t solana %d %s 1 0 0 1 7 7 0 0 0", chainID, railRef("Mint")),
			}, "\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readable(queryText(t, db, tt.sql)); got != tt.want {
				t.Errorf("%s =\n%s\nwant\n%s", tt.name, got, tt.want)
			}
		})
	}
}

// TestRailReputation: delivered and failed rail jobs count in the
// provider's reputation as settled and missed EVM jobs do, computed in SQL
// exactly as matcher.Reputation computes them; a provider with a failed
// rail job ranks below an otherwise equal one.
func TestRailReputation(t *testing.T) {
	db := pgtest.New(t)
	const chain = 31337
	ctx := context.Background()
	store := postgres.NewRailQuoteStore(db)
	ok1, ok2 := railFixtureJob{provider: aP1, quoted: "5", arrived: "5", end: gpumarket.RailJobDelivered}, railFixtureJob{provider: aP2, quoted: "5", arrived: "5", end: gpumarket.RailJobDelivered}
	bad := railFixtureJob{provider: aP2, quoted: "5", arrived: "5", end: gpumarket.RailJobFailed}
	ids := map[byte][]int64{}
	for i, j := range []railFixtureJob{ok1, ok1, ok2, bad} {
		ids[j.provider] = append(ids[j.provider], seedRailJob(t, store, chain, fmt.Sprint("R", i), j))
	}
	now := time.Now().Add(time.Hour)
	params := matcher.DefaultReputationParams()
	maint := postgres.NewMatcherMaintenance(db)
	if n, err := maint.RecomputeReputation(ctx, chain, now, params); err != nil || n != 2 {
		t.Fatalf("RecomputeReputation = %d, %v; want 2 providers", n, err)
	}
	scores := map[byte]uint32{}
	for _, p := range []byte{aP1, aP2} {
		var a gpumarket.Address
		copy(a[:], addr(p))
		got, err := maint.Reputation(ctx, chain, a)
		if err != nil {
			t.Fatal(err)
		}
		// The same history through the Go formula.
		var hist []matcher.Outcome
		for _, id := range ids[p] {
			var state string
			var started, finished time.Time
			if err := db.QueryRow(ctx, `SELECT state, started_at, finished_at FROM rail_jobs WHERE quote_id = $1`, []any{id}, &state, &started, &finished); err != nil {
				t.Fatal(err)
			}
			o := matcher.Outcome{Kind: matcher.OutcomeCompleted, At: finished, TimeToResult: finished.Sub(started).Truncate(time.Millisecond)}
			if state == "failed" {
				o = matcher.Outcome{Kind: matcher.OutcomeMissedDeadline, At: finished}
			}
			hist = append(hist, o)
		}
		if want := matcher.Reputation(hist, now, params); got != want {
			t.Errorf("SQL reputation of %s = %+v, want (Go) %+v", anNames[p], got, want)
		}
		scores[p] = got.Score
	}
	if scores[aP2] >= scores[aP1] {
		t.Errorf("score with a failed rail job %d >= score without %d", scores[aP2], scores[aP1])
	}
}
