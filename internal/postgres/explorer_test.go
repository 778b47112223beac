package postgres_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestExplorerReads checks the explorer's reads against the analytics
// fixture: each returns exactly the view's rows inside its window, with
// amounts exact (the token-B rows are beyond 2^63), oldest first; the job
// list is newest first and pages with before.
func TestExplorerReads(t *testing.T) {
	db := newAnalyticsFixture(t)
	s := postgres.NewMatcherAPIStore(db)
	ctx := context.Background()
	day2 := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

	vol, err := s.VolumeDaily(ctx, chainID, anT0)
	if err != nil {
		t.Fatal(err)
	}
	if n := queryText(t, db, `SELECT count(*)::text FROM v_market_volume_daily WHERE chain_id = $1`, int64(chainID)); n != "7" || len(vol) != 7 {
		t.Fatalf("VolumeDaily(since day 1) = %d rows, the view has %s (want 7)", len(vol), n)
	}
	vol, err = s.VolumeDaily(ctx, chainID, day2)
	if err != nil {
		t.Fatal(err)
	}
	if len(vol) != 3 {
		t.Fatalf("VolumeDaily(since day 2) = %d rows, want day 2's 3", len(vol))
	}
	for _, v := range vol {
		if !v.Day.Equal(time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("VolumeDaily(since day 2) has day %v", v.Day)
		}
		if v.Token[0] == aTB && v.Kind == gpumarket.JobKindLLM && (v.VolumePaid.String() != "4000000000000000000" || v.ProtocolFees.String() != "40000000000000000") {
			t.Errorf("token B llm on day 2: paid %s, fees %s; want 4000000000000000000, 40000000000000000", v.VolumePaid, v.ProtocolFees)
		}
	}

	prices, err := s.PriceIndex(ctx, chainID, "llm", anT0)
	if err != nil {
		t.Fatal(err)
	}
	if len(prices) != 2 || prices[0].Hour.After(prices[1].Hour) {
		t.Fatalf("PriceIndex(llm) = %+v, want the two llm hours, oldest first", prices)
	}
	if p := prices[1]; p.Token[0] != aTB || p.PricePerUnit != "20000000000000000.000000" || p.Unit != "1k tokens" || p.AmountDue.String() != "4000000000000000000" {
		t.Errorf("PriceIndex(llm)[1] = %+v, want token B at 20000000000000000.000000 per 1k tokens", p)
	}
	all, err := s.PriceIndex(ctx, chainID, "", anT0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 {
		t.Errorf("PriceIndex(any kind) = %d rows, want 5", len(all))
	}
	if later, err := s.PriceIndex(ctx, chainID, "", day2.AddDate(0, 0, 1)); err != nil || len(later) != 0 {
		t.Errorf("PriceIndex(after the last hour) = %d rows, %v; want none", len(later), err)
	}

	funnel, err := s.Funnel(ctx, chainID, anT0)
	if err != nil {
		t.Fatal(err)
	}
	if len(funnel) != 6 {
		t.Fatalf("Funnel = %d rows, want 6", len(funnel))
	}
	if f := funnel[1]; f.Kind != gpumarket.JobKindRender || f.Created != 4 || f.Assigned != 3 || f.Settled != 2 || f.Refunded != 1 || f.InProgress != 1 {
		t.Errorf("Funnel render day 1 = %+v, want 4 created, 3 assigned, 2 settled, 1 refunded, 1 in progress", f)
	}

	jobs, err := s.Jobs(ctx, service.JobFilter{ChainID: chainID, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 3 || jobs[0].JobID != 12 || jobs[1].JobID != 11 || jobs[2].JobID != 10 {
		t.Fatalf("Jobs(limit 3) = %+v, want 12, 11, 10", jobs)
	}
	if j := jobs[1]; j.State != gpumarket.JobStateSettled || j.MaxPayment.String() != "5000000000000000000" || j.Provider == nil || j.ClosedAt == nil {
		t.Errorf("job 11 = %+v, want settled, 5e18 locked, a provider and a close time", j)
	}
	next, err := s.Jobs(ctx, service.JobFilter{ChainID: chainID, Before: 10, HasBefore: true, Limit: 500})
	if err != nil || len(next) != 9 || next[0].JobID != 9 {
		t.Fatalf("Jobs(before 10) = %d rows from %v, %v; want jobs 9..1", len(next), next, err)
	}
	settled, err := s.Jobs(ctx, service.JobFilter{ChainID: chainID, State: "settled", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	want := queryText(t, db, `SELECT count(*)::text FROM jobs WHERE chain_id = $1 AND state = 'settled'`, int64(chainID))
	for _, j := range settled {
		if j.State != gpumarket.JobStateSettled {
			t.Errorf("Jobs(settled) returned job %d in state %v", j.JobID, j.State)
		}
	}
	if want == "0" || want != strconv.Itoa(len(settled)) {
		t.Errorf("Jobs(settled) = %d rows, the table has %s", len(settled), want)
	}
}
