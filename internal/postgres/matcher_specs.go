package postgres

import (
	"context"
	"fmt"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/jackc/pgx/v5"
)

// Job spec documents (job_specs).

// storeSpec stores a spec document (service.Store and api.Store). Storing a
// hash again changes nothing.
func storeSpec(ctx context.Context, db *DB, r service.SpecRecord) error {
	var kind, model *string
	if r.Spec != nil {
		k, m := r.Spec.Kind.String(), r.Spec.Model
		kind, model = &k, &m
	}
	var reason *string
	if r.Spec == nil {
		reason = &r.Rejection
		if r.Rejection == "" {
			return gpumarket.Errorf(gpumarket.EINVALID, "an invalid spec needs a rejection reason")
		}
	}
	var uri *string
	if r.SourceURI != "" {
		uri = &r.SourceURI
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO job_specs (spec_hash, body, size_bytes, source, source_uri, kind, model, valid, rejection_reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (spec_hash) DO NOTHING`,
			r.Hash[:], r.Body, len(r.Body), r.Source, uri, kind, model, r.Spec != nil, reason)
		return err
	})
	if err != nil {
		return translate(fmt.Errorf("store spec %s: %w", r.Hash, err))
	}
	return nil
}

// Spec returns the stored spec document with hash h, whether it is valid and
// why not. It returns ENOTFOUND when none is stored.
func (s *MatcherAPIStore) Spec(ctx context.Context, h gpumarket.Hash) (body []byte, valid bool, reason string, err error) {
	var r *string
	err = s.db.pool.QueryRow(ctx, `SELECT body, valid, rejection_reason FROM job_specs WHERE spec_hash = $1`, h[:]).Scan(&body, &valid, &r)
	if err != nil {
		return nil, false, "", translate(fmt.Errorf("read spec %s: %w", h, err))
	}
	if r != nil {
		reason = *r
	}
	return body, valid, reason, nil
}
