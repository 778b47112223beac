package postgres

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

var _ interface {
	service.Store
	service.BenchSeeder
} = (*MatcherBench)(nil)

// SeedBench implements service.BenchSeeder: providers through COPY, jobs
// with generate_series, all in one transaction. It is for benchmarks on an
// empty database.
func (s *MatcherBench) SeedBench(ctx context.Context, chainID uint64, provs []service.AttestationRecord, stake *big.Int, specs []service.SpecRecord, n int, token gpumarket.Address, maxPayment *big.Int) error {
	if len(specs) == 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "seed: no specs")
	}
	now := time.Now()
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		for _, sp := range specs {
			kind, model := sp.Spec.Kind.String(), sp.Spec.Model
			if _, err := tx.Exec(ctx, `INSERT INTO job_specs (spec_hash, body, size_bytes, source, kind, model, valid) VALUES ($1, $2, $3, 'upload', $4, $5, true) ON CONFLICT DO NOTHING`,
				sp.Hash[:], sp.Body, len(sp.Body), kind, model); err != nil {
				return fmt.Errorf("seed spec: %w", err)
			}
		}
		regRows := make([][]any, len(provs))
		attRows := make([][]any, len(provs))
		hbRows := make([][]any, len(provs))
		for i, r := range provs {
			a := r.Attestation
			var kinds, models []string
			for _, c := range a.Capabilities {
				kinds = append(kinds, c.Kind.String())
				models = append(models, c.Models...)
			}
			regRows[i] = []any{int64(chainID), a.Provider[:], r.Signer[:], r.Commitment[:], time.Unix(a.ExpiresAt, 0), true, true, stake.String(), "0", "0", int64(1)}
			attRows[i] = []any{int64(chainID), a.Provider[:], r.Commitment[:], string(r.Document), r.Signature, r.Signer[:], r.Fingerprint[:],
				int32(a.Slots), int32(a.VRAMMiB), int32(a.GPUCount), a.Region, kinds, models, time.Unix(a.IssuedAt, 0), time.Unix(a.ExpiresAt, 0), "online"}
			hbRows[i] = []any{int64(chainID), a.Provider[:], "1", now, now, int32(a.Slots), int32(1000), make([]byte, 65)}
		}
		// COPY cannot cast text to numeric/jsonb implicitly through pgx's
		// binary protocol for every type; stage with INSERT … SELECT unnest.
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_p (chain_id bigint, provider bytea, signer bytea, h bytea, exp timestamptz, reg bool, act bool, stake text, unb text, sl text, lb bigint) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_p"}, []string{"chain_id", "provider", "signer", "h", "exp", "reg", "act", "stake", "unb", "sl", "lb"}, pgx.CopyFromRows(regRows)); err != nil {
			return fmt.Errorf("seed providers: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO providers (chain_id, provider, signer, attestation_hash, attestation_expiry, registered, active, stake, unbonding, slashed_total, last_block)
			SELECT chain_id, provider, signer, h, exp, reg, act, stake::numeric, unb::numeric, sl::numeric, lb FROM seed_p`); err != nil {
			return fmt.Errorf("seed providers: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_a (chain_id bigint, provider bytea, commitment bytea, document text, signature bytea, signer bytea, fingerprint bytea,
			slots int, vram_mib int, gpu_count int, region text, capabilities text[], models text[], issued_at timestamptz, expires_at timestamptz, status text) ON COMMIT DROP`); err != nil {
			return err
		}
		cols := []string{"chain_id", "provider", "commitment", "document", "signature", "signer", "fingerprint", "slots", "vram_mib", "gpu_count", "region", "capabilities", "models", "issued_at", "expires_at", "status"}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_a"}, cols, pgx.CopyFromRows(attRows)); err != nil {
			return fmt.Errorf("seed attestations: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO provider_attestations (chain_id, provider, commitment, document, signature, signer, fingerprint, slots, vram_mib, gpu_count, region, capabilities, models, issued_at, expires_at, status)
			SELECT chain_id, provider, commitment, document::jsonb, signature, signer, fingerprint, slots, vram_mib, gpu_count, region, capabilities, models, issued_at, expires_at, status FROM seed_a`); err != nil {
			return fmt.Errorf("seed attestations: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_h (chain_id bigint, provider bytea, sequence text, sent_at timestamptz, received_at timestamptz, free_slots int, load_bps int, signature bytea) ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_h"}, []string{"chain_id", "provider", "sequence", "sent_at", "received_at", "free_slots", "load_bps", "signature"}, pgx.CopyFromRows(hbRows)); err != nil {
			return fmt.Errorf("seed heartbeats: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO provider_heartbeats SELECT chain_id, provider, sequence::numeric, sent_at, received_at, free_slots, load_bps, NULL, signature FROM seed_h`); err != nil {
			return fmt.Errorf("seed heartbeats: %w", err)
		}
		hashes := make([][]byte, len(specs))
		for i := range specs {
			hashes[i] = specs[i].Hash[:]
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps, spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
			SELECT $1, g, $2, $3, $4::numeric, 'llm', 'open', now() + interval '1 hour', 250, 0, ($5::bytea[])[1 + (g % array_length($5::bytea[], 1))], 'ipfs://bench', convert_to('ipfs://bench', 'UTF8'), now(), 1
			FROM generate_series(1, $6::bigint) g`,
			int64(chainID), make([]byte, 20), token[:], maxPayment.String(), hashes, n); err != nil {
			return fmt.Errorf("seed jobs: %w", err)
		}
		return nil
	})
	if err != nil {
		return translate(err)
	}
	return s.Analyze(ctx)
}

// Analyze implements service.BenchSeeder.
func (s *MatcherBench) Analyze(ctx context.Context) error {
	if _, err := s.db.pool.Exec(ctx, `ANALYZE`); err != nil {
		return translate(fmt.Errorf("analyze: %w", err))
	}
	return nil
}
