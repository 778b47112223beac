package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/jackc/pgx/v5"
)

// The pricing oracle's inputs (settled jobs) and outputs (oracle_snapshots).

// Settlements returns the jobs of chainID settled at or after since, with
// the provider's attested VRAM (for the GPU class).
func (s *MatcherMaintenance) Settlements(ctx context.Context, chainID uint64, since time.Time) ([]service.SettlementRow, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT j.provider, j.kind, j.token, pa.vram_mib, j.amount_due::text, coalesce(j.usage_units, 0)::text,
		       coalesce(j.usage_extra_units, 0)::text, j.settled_at
		FROM jobs j JOIN provider_attestations pa ON pa.chain_id = j.chain_id AND pa.provider = j.provider
		WHERE j.chain_id = $1 AND j.state = 'settled' AND j.settled_at >= $2`, int64(chainID), since)
	if err != nil {
		return nil, translate(fmt.Errorf("read settlements: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.SettlementRow, error) {
		var v service.SettlementRow
		var p, tok []byte
		var kind, amt, u1, u2 string
		var vram int32
		if err := r.Scan(&p, &kind, &tok, &vram, &amt, &u1, &u2, &v.SettledAt); err != nil {
			return v, err
		}
		var err error
		if v.Kind, err = gpumarket.ParseJobKind(kind); err != nil {
			return v, err
		}
		var d numericDecoder
		v.AmountDue = d.required("jobs.amount_due", &amt)
		v.Units1, v.Units2 = d.uint64("jobs.usage_units", &u1), d.uint64("jobs.usage_extra_units", &u2)
		if d.err != nil {
			return v, d.err
		}
		v.Provider, v.Token, v.VRAMMiB = toAddr(p), toAddr(tok), uint32(vram)
		return v, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read settlements: %w", err)
	}
	return out, nil
}

// SaveSnapshots records oracle rates in one transaction.
func (s *MatcherMaintenance) SaveSnapshots(ctx context.Context, snaps []service.Snapshot) error {
	if len(snaps) == 0 {
		return nil
	}
	for _, sn := range snaps {
		if sn.ChainID == 0 {
			return gpumarket.Errorf(gpumarket.EINVALID, "save snapshots: a snapshot of token %s has no chain id", sn.Token)
		}
	}
	return translate(pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		for _, sn := range snaps {
			r := sn.Rate
			detail, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO oracle_snapshots (chain_id, kind, unit, gpu_class, token, fair_rate, band_low, band_high, providers, settlements, detail, computed_at)
				VALUES ($12, $1, $2, $3, $4, $5::numeric, $6::numeric, $7::numeric, $8, $9, $10::jsonb, $11)`,
				r.Key.Kind.String(), string(r.Key.Unit), string(r.Key.Class), sn.Token[:], encodeNumeric(zeroIfNil(r.Fair)), encodeNumeric(zeroIfNil(r.Low)), encodeNumeric(zeroIfNil(r.High)),
				r.Providers, r.Settlements, string(detail), sn.ComputedAt, int64(sn.ChainID)); err != nil {
				return fmt.Errorf("save snapshot %s: %w", r.Key, err)
			}
		}
		return nil
	}))
}

func scanRate(r pgx.CollectableRow) (service.RateView, error) {
	var v service.RateView
	var tok []byte
	var prov, sett int32
	var kind, unit, class, fair, low, high string
	if err := r.Scan(&kind, &unit, &class, &tok, &fair, &low, &high, &prov, &sett, &v.ComputedAt); err != nil {
		return v, err
	}
	var err error
	if v.Kind, err = gpumarket.ParseJobKind(kind); err != nil {
		return v, err
	}
	v.Unit, v.Class = gpumarket.PriceUnit(unit), matcher.GPUClass(class)
	var d numericDecoder
	v.Fair, v.Low, v.High = d.amount("oracle_snapshots.fair_rate", &fair), d.amount("oracle_snapshots.band_low", &low),
		d.amount("oracle_snapshots.band_high", &high)
	v.Token, v.Providers, v.Settlements = toAddr(tok), int(prov), int(sett)
	v.ComputedAt = v.ComputedAt.UTC()
	return v, d.err
}

// LatestRates returns chainID's latest snapshot of every (kind, unit,
// class, token), optionally restricted to kind ("" for all).
func (s *MatcherAPIStore) LatestRates(ctx context.Context, chainID uint64, kind string) ([]service.RateView, error) {
	return queryRows(ctx, s.readDB(), "latest rates", scanRate, `
		SELECT DISTINCT ON (kind, unit, gpu_class, token)
		       kind, unit, gpu_class, token, fair_rate::text, band_low::text, band_high::text, providers, settlements, computed_at
		FROM oracle_snapshots WHERE chain_id = $2 AND ($1 = '' OR kind = $1)
		ORDER BY kind, unit, gpu_class, token, computed_at DESC, id DESC`, kind, int64(chainID))
}

// RateHistory returns chainID's snapshots of one rate key, newest first,
// at most limit.
func (s *MatcherAPIStore) RateHistory(ctx context.Context, chainID uint64, kind, unit, class string, limit int) ([]service.RateView, error) {
	return queryRows(ctx, s.readDB(), "rate history", scanRate, `
		SELECT kind, unit, gpu_class, token, fair_rate::text, band_low::text, band_high::text, providers, settlements, computed_at
		FROM oracle_snapshots WHERE chain_id = $5 AND kind = $1 AND unit = $2 AND gpu_class = $3
		ORDER BY computed_at DESC, id DESC LIMIT $4`, kind, unit, class, limit, int64(chainID))
}
