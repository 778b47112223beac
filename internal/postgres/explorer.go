package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/jackc/pgx/v5"
)

// The explorer's reads: recent jobs (the jobs table) and the analyst views
// of 00005_analytics.sql, for one chain. Every filter is a parameter.

// Jobs lists f.ChainID's jobs, newest (highest id) first, of f.State when
// set and below f.Before when f.HasBefore, at most f.Limit.
func (s *MatcherAPIStore) Jobs(ctx context.Context, f service.JobFilter) ([]service.JobSummary, error) {
	var before *string
	if f.HasBefore {
		b := f.Before.String()
		before = &b
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT job_id::text, kind, state, client, provider, token, max_payment::text, price::text, created_at,
		       coalesce(settled_at, refunded_at, cancelled_at), finalized
		FROM jobs
		WHERE chain_id = $1 AND ($2 = '' OR state = $2) AND ($3::numeric IS NULL OR job_id < $3::numeric)
		ORDER BY jobs.job_id DESC
		LIMIT $4`, int64(f.ChainID), f.State, before, f.Limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list jobs: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.JobSummary, error) {
		var v service.JobSummary
		var id, kind, state, maxPay, price string
		var client, prov, tok []byte
		if err := r.Scan(&id, &kind, &state, &client, &prov, &tok, &maxPay, &price, &v.CreatedAt, &v.ClosedAt, &v.Finalized); err != nil {
			return v, err
		}
		var err error
		if v.JobID, err = gpumarket.ParseJobID(id); err != nil {
			return v, err
		}
		if v.Kind, err = gpumarket.ParseJobKind(kind); err != nil {
			return v, err
		}
		if v.State, err = gpumarket.ParseJobState(state); err != nil {
			return v, err
		}
		var d numericDecoder
		v.MaxPayment, v.Price = d.amount("jobs.max_payment", &maxPay), d.amount("jobs.price", &price)
		v.Client, v.Token = toAddr(client), toAddr(tok)
		if prov != nil {
			a := toAddr(prov)
			v.Provider = &a
		}
		v.CreatedAt = v.CreatedAt.UTC()
		if v.ClosedAt != nil {
			t := v.ClosedAt.UTC()
			v.ClosedAt = &t
		}
		return v, d.err
	})
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return out, nil
}

// VolumeDaily returns v_market_volume_daily's rows of chainID from the
// UTC day of since on, oldest first.
func (s *MatcherAPIStore) VolumeDaily(ctx context.Context, chainID uint64, since time.Time) ([]service.VolumeDay, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT day, token, kind, jobs_created, jobs_settled, volume_locked::text, volume_paid::text, volume_to_providers::text,
		       creator_amounts::text, protocol_fees::text, finalized
		FROM v_market_volume_daily
		WHERE chain_id = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
		ORDER BY day, token, kind`, int64(chainID), since)
	if err != nil {
		return nil, translate(fmt.Errorf("read daily volume: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.VolumeDay, error) {
		var v service.VolumeDay
		var tok, kind, locked, paid, prov, creator, fees string
		if err := r.Scan(&v.Day, &tok, &kind, &v.JobsCreated, &v.JobsSettled, &locked, &paid, &prov, &creator, &fees, &v.Finalized); err != nil {
			return v, err
		}
		var err error
		if v.Token, err = gpumarket.ParseAddress(tok); err != nil {
			return v, err
		}
		if v.Kind, err = gpumarket.ParseJobKind(kind); err != nil {
			return v, err
		}
		var d numericDecoder
		v.VolumeLocked, v.VolumePaid = d.amount("volume_locked", &locked), d.amount("volume_paid", &paid)
		v.VolumeToProviders, v.CreatorAmounts = d.amount("volume_to_providers", &prov), d.amount("creator_amounts", &creator)
		v.ProtocolFees = d.amount("protocol_fees", &fees)
		v.Day = v.Day.UTC()
		return v, d.err
	})
	if err != nil {
		return nil, fmt.Errorf("read daily volume: %w", err)
	}
	return out, nil
}

// PriceIndex returns v_price_index_hourly's rows of chainID from since on,
// of kind when set, oldest first.
func (s *MatcherAPIStore) PriceIndex(ctx context.Context, chainID uint64, kind string, since time.Time) ([]service.PriceIndexHour, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT hour, kind, token, unit, jobs, units::text, amount_due::text, price_per_unit::text, min_price_per_unit::text,
		       max_price_per_unit::text, finalized
		FROM v_price_index_hourly
		WHERE chain_id = $1 AND ($2 = '' OR kind = $2) AND hour >= ($3::timestamptz AT TIME ZONE 'UTC')
		ORDER BY hour, kind, token`, int64(chainID), kind, since)
	if err != nil {
		return nil, translate(fmt.Errorf("read price index: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.PriceIndexHour, error) {
		var v service.PriceIndexHour
		var tok, kind, due string
		if err := r.Scan(&v.Hour, &kind, &tok, &v.Unit, &v.Jobs, &v.Units, &due, &v.PricePerUnit, &v.MinPricePerUnit,
			&v.MaxPricePerUnit, &v.Finalized); err != nil {
			return v, err
		}
		var err error
		if v.Token, err = gpumarket.ParseAddress(tok); err != nil {
			return v, err
		}
		if v.Kind, err = gpumarket.ParseJobKind(kind); err != nil {
			return v, err
		}
		var d numericDecoder
		v.AmountDue = d.amount("amount_due", &due)
		// hour is a timestamp without time zone in UTC.
		v.Hour = time.Date(v.Hour.Year(), v.Hour.Month(), v.Hour.Day(), v.Hour.Hour(), 0, 0, 0, time.UTC)
		return v, d.err
	})
	if err != nil {
		return nil, fmt.Errorf("read price index: %w", err)
	}
	return out, nil
}

// Funnel returns v_job_funnel's rows of chainID from the UTC day of since
// on, oldest first.
func (s *MatcherAPIStore) Funnel(ctx context.Context, chainID uint64, since time.Time) ([]service.FunnelDay, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT day, kind, created, assigned, submitted, disputed, settled, refunded, cancelled, in_progress, finalized
		FROM v_job_funnel
		WHERE chain_id = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
		ORDER BY day, kind`, int64(chainID), since)
	if err != nil {
		return nil, translate(fmt.Errorf("read job funnel: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.FunnelDay, error) {
		var v service.FunnelDay
		var kind string
		if err := r.Scan(&v.Day, &kind, &v.Created, &v.Assigned, &v.Submitted, &v.Disputed, &v.Settled, &v.Refunded, &v.Cancelled,
			&v.InProgress, &v.Finalized); err != nil {
			return v, err
		}
		var err error
		v.Kind, err = gpumarket.ParseJobKind(kind)
		v.Day = v.Day.UTC()
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("read job funnel: %w", err)
	}
	return out, nil
}
