package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// The quote endpoint's providers: filtered in SQL, without documents.

// QuoteCandidates implements api.Store: the providers f selects, as
// candidate rows without their documents (see AttestationDocuments). The
// in-flight count and reserved stake are looked up per selected provider
// through the providers' indexes, so a quote reads only the rows of the
// providers it could list.
func (s *MatcherAPIStore) QuoteCandidates(ctx context.Context, f service.QuoteFilter) ([]service.CandidateRow, error) {
	rows, err := s.readDB().pool.Query(ctx, `
		SELECT pa.provider, pa.commitment, '' AS document, pa.status,
		       p.stake::text AS stake,
		       (p.reserved_stake + coalesce((SELECT sum(a.reserve) FROM assignments a
		            WHERE a.chain_id = pa.chain_id AND a.provider = pa.provider AND a.state = 'offered'), 0))::text AS reserved,
		       p.active, true AS committed, p.attestation_expiry AS chain_exp,
		       coalesce(r.score, -1) AS reputation, coalesce(r.latency_ms, 0) AS latency_ms, coalesce(h.load_bps, 0) AS load_bps,
		       coalesce(l.offered, 0) + (SELECT count(*) FROM jobs j
		            WHERE j.chain_id = pa.chain_id AND j.provider = pa.provider AND j.state = 'assigned') AS in_flight
		FROM provider_attestations pa
		JOIN providers p ON p.chain_id = pa.chain_id AND p.provider = pa.provider
		LEFT JOIN provider_reputation r ON r.chain_id = pa.chain_id AND r.provider = pa.provider
		LEFT JOIN provider_heartbeats h ON h.chain_id = pa.chain_id AND h.provider = pa.provider
		LEFT JOIN matcher_provider_load l ON l.chain_id = pa.chain_id AND l.provider = pa.provider
		WHERE pa.chain_id = $1 AND p.registered AND p.active AND p.attestation_hash = pa.commitment
		  AND (p.attestation_expiry IS NULL OR p.attestation_expiry > $2)
		  AND pa.status = 'online' AND pa.expires_at > $2
		  AND $3 = ANY(pa.capabilities) AND $4 = ANY(pa.models)
		  AND pa.gpu_count >= $5 AND pa.vram_mib >= $6 AND p.stake >= $7::numeric
		ORDER BY pa.provider`,
		int64(f.ChainID), f.Now, f.Kind.String(), f.Model, int64(f.MinGPUs), int64(f.MinVRAMMiB), encodeNumeric(zeroIfNil(f.MinStake)))
	if err != nil {
		return nil, translate(fmt.Errorf("load quote candidates: %w", err))
	}
	raw, err := pgx.CollectRows(rows, pgx.RowToStructByName[candidateRow])
	if err != nil {
		return nil, translate(fmt.Errorf("load quote candidates: %w", err))
	}
	return candidateRows(raw)
}

// AttestationDocuments implements api.Store: the stored attestation
// documents with the given commitments, by commitment (a commitment no
// longer stored is absent).
func (s *MatcherAPIStore) AttestationDocuments(ctx context.Context, chainID uint64, commitments []gpumarket.Hash) (map[gpumarket.Hash][]byte, error) {
	hs := make([][]byte, len(commitments))
	for i := range commitments {
		hs[i] = commitments[i][:]
	}
	rows, err := s.db.pool.Query(ctx, `SELECT commitment, document::text FROM provider_attestations WHERE chain_id = $1 AND commitment = ANY($2::bytea[])`,
		int64(chainID), hs)
	if err != nil {
		return nil, translate(fmt.Errorf("load attestation documents: %w", err))
	}
	out := make(map[gpumarket.Hash][]byte, len(commitments))
	var c []byte
	var doc string
	_, err = pgx.ForEachRow(rows, []any{&c, &doc}, func() error {
		var h gpumarket.Hash
		copy(h[:], c)
		out[h] = []byte(doc)
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("load attestation documents: %w", err))
	}
	return out, nil
}
