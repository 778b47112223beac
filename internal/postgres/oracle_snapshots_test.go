package postgres_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestOracleSnapshotsPerChain records snapshots of the same rate key and
// the same token address on two chains: each chain reads back only its
// own, and a snapshot without a chain id is refused with nothing stored.
func TestOracleSnapshotsPerChain(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	maint, store := postgres.NewMatcherMaintenance(db), postgres.NewMatcherAPIStore(db)
	token := gpumarket.Address{0xaa, 0x01}
	k := matcher.RateKey{Kind: gpumarket.JobKindLLM, Unit: gpumarket.UnitKTokens, Class: matcher.ClassOf(16000)}
	now := time.Unix(1_790_000_000, 0).UTC()
	fair := map[uint64]int64{31337: 1000, 31338: 5000}
	for chain, f := range fair {
		for i := range 2 { // two runs per chain: history has two rows each
			v := f + int64(i)
			if err := maint.SaveSnapshots(ctx, []service.Snapshot{{ChainID: chain, Token: token, ComputedAt: now.Add(time.Duration(i) * time.Minute),
				Rate: &matcher.Rate{Key: k, Fair: big.NewInt(v), Low: big.NewInt(v), High: big.NewInt(v), Providers: 1}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		chain    uint64
		wantFair int64 // the latest; 0: none
	}{{31337, 1001}, {31338, 5001}, {5, 0}}
	for _, tc := range tests {
		latest, err := store.LatestRates(ctx, tc.chain, "")
		if err != nil {
			t.Fatal(err)
		}
		history, err := store.RateHistory(ctx, tc.chain, "llm", string(k.Unit), string(k.Class), 10)
		if err != nil {
			t.Fatal(err)
		}
		if tc.wantFair == 0 {
			if len(latest) != 0 || len(history) != 0 {
				t.Errorf("chain %d: latest %v history %v, want none", tc.chain, latest, history)
			}
			continue
		}
		if len(latest) != 1 || latest[0].Token != token || latest[0].Fair.Big().Int64() != tc.wantFair {
			t.Errorf("chain %d latest = %+v, want one of token %s with fair %d", tc.chain, latest, token, tc.wantFair)
		}
		if len(history) != 2 || history[0].Fair.Big().Int64() != tc.wantFair || history[1].Fair.Big().Int64() != tc.wantFair-1 {
			t.Errorf("chain %d history = %+v, want fair %d then %d", tc.chain, history, tc.wantFair, tc.wantFair-1)
		}
	}

	err := maint.SaveSnapshots(ctx, []service.Snapshot{{Token: token, ComputedAt: now,
		Rate: &matcher.Rate{Key: k, Fair: big.NewInt(1), Low: big.NewInt(1), High: big.NewInt(1)}}})
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("a snapshot without chain id: err = %v, want EINVALID", err)
	}
	if got, err := store.RateHistory(ctx, 31337, "llm", string(k.Unit), string(k.Class), 10); err != nil || len(got) != 2 {
		t.Errorf("after the refused save chain 31337 has %d snapshots (%v), want 2", len(got), err)
	}
}
