package postgres_test

import (
	"context"
	"io/fs"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/gpumarket/gpumarket/migrations"
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

// TestOracleSnapshotsChainMigration undoes migration 00024 on a migrated
// database, records snapshots the way they were stored before it (no
// chain), and applies it again: a snapshot goes to the only chain whose
// jobs use its token, else to the only chain followed, and one that stays
// ambiguous is deleted.
func TestOracleSnapshotsChainMigration(t *testing.T) {
	body, err := fs.ReadFile(migrations.FS, "00024_oracle_snapshots_chain.sql")
	if err != nil {
		t.Fatal(err)
	}
	up, down, ok := strings.Cut(string(body), "-- +goose Down")
	if !ok {
		t.Fatal("00024 has no Down section")
	}
	tokA, tokB := make([]byte, 20), make([]byte, 20)
	tokA[0], tokB[0] = 0xa, 0xb
	tests := []struct {
		name   string
		chains []int64
		jobOn  int64          // chain of a job paid in token A; 0: none
		want   map[byte]int64 // token's first byte -> chain; absent: deleted
	}{
		{"token used on one chain", []int64{31337, 31338}, 31338, map[byte]int64{0xa: 31338}},
		{"one chain followed", []int64{31337}, 0, map[byte]int64{0xa: 31337, 0xb: 31337}},
		{"ambiguous", []int64{31337, 31338}, 0, map[byte]int64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sql := postgrestest.Open(t, pgtest.URL(t))
			sql.Exec(down)
			for _, c := range tc.chains {
				sql.Exec(`INSERT INTO chains (chain_id) VALUES ($1) ON CONFLICT DO NOTHING`, c)
			}
			if tc.jobOn != 0 {
				sql.Exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
					spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
					VALUES ($1, 7, $2, $2, 100, 'llm', 'open', now(), 250, 0, $3, 'ipfs://x', 'ipfs://x', now(), 1)`, tc.jobOn, tokA, make([]byte, 32))
			}
			for _, tok := range [][]byte{tokA, tokB} {
				sql.Exec(`INSERT INTO oracle_snapshots (kind, unit, gpu_class, token, fair_rate, band_low, band_high, providers, settlements, detail, computed_at)
					VALUES ('llm', '1k_tokens', 'large', $1, 100, 0, 1000, 1, 0, '{}', now())`, tok)
			}
			sql.Exec(up)
			if n := sql.Count(`SELECT count(*) FROM oracle_snapshots`); n != int64(len(tc.want)) {
				t.Errorf("%d snapshots after the migration, want %d", n, len(tc.want))
			}
			for tok, chain := range tc.want {
				if got := sql.Count(`SELECT chain_id FROM oracle_snapshots WHERE get_byte(token, 0) = $1`, int(tok)); got != chain {
					t.Errorf("token 0x%02x… snapshot chain = %d, want %d", tok, got, chain)
				}
			}
		})
	}
}
