package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/jackc/pgx/v5"
)

// Provider reputation (provider_reputation), computed in SQL.

// reputationSQL computes matcher.Reputation for every provider of a chain
// in integers, exactly as the Go function does:
//   - completed: settled, and not a lost dispute; time to result =
//     submitted_at − assigned_at, at settled_at;
//   - missed deadline: refunded after acceptance (provider set), at refunded_at;
//   - dispute lost: disputed and settled with stake slashed, at settled_at;
//   - offer missed: an expired assignment, at its expiry, weight / 4;
//   - rail jobs (rail_jobs, prepaid on a rail such as Solana Pay, quoted to
//     the provider on this chain) count as EVM jobs do: delivered is a
//     completion (time to result = finished_at − started_at, the relayer's
//     claim to delivery, at finished_at), failed is a missed deadline (at
//     finished_at). Only the provider's relayer fails a rail job (a run that
//     failed or was abandoned), so the failure is the provider's.
//
// Ages are in nanoseconds (timestamps have microsecond precision, so they
// are exact); w = (Scale >> n)·(2H − r) div 2H with n = age div H.
const reputationSQL = `
WITH params AS (
	SELECT $2::timestamptz AS now, $3::numeric AS h, $4::numeric AS prior, $5::numeric AS t0
), outcomes AS (
	SELECT j.provider,
	       CASE WHEN j.state = 'refunded' THEN 'missed'
	            WHEN j.dispute_opened_at IS NOT NULL AND coalesce(j.slashed, 0) > 0 THEN 'lost'
	            ELSE 'done' END AS kind,
	       CASE WHEN j.state = 'refunded' THEN j.refunded_at ELSE j.settled_at END AS at,
	       CASE WHEN j.state = 'settled' AND j.submitted_at IS NOT NULL AND j.assigned_at IS NOT NULL
	            THEN greatest(floor(extract(epoch FROM (j.submitted_at - j.assigned_at)) * 1000), 0) ELSE 0 END AS ttr_ms
	FROM jobs j
	WHERE j.chain_id = $1 AND j.provider IS NOT NULL AND j.state IN ('settled', 'refunded')
	UNION ALL
	SELECT a.provider, 'offer', a.expiry, 0 FROM assignments a WHERE a.chain_id = $1 AND a.state = 'expired'
	UNION ALL
	SELECT q.provider,
	       CASE WHEN r.state = 'failed' THEN 'missed' ELSE 'done' END,
	       r.finished_at,
	       CASE WHEN r.state = 'delivered' AND r.started_at IS NOT NULL
	            THEN greatest(floor(extract(epoch FROM (r.finished_at - r.started_at)) * 1000), 0) ELSE 0 END
	FROM rail_jobs r JOIN rail_quotes q ON q.id = r.quote_id
	WHERE q.chain_id = $1 AND r.state IN ('delivered', 'failed')
), aged AS (
	SELECT o.provider, o.kind, o.ttr_ms,
	       greatest(floor(extract(epoch FROM (p.now - o.at)) * 1000000) * 1000, 0) AS age
	FROM outcomes o, params p
), weighted AS (
	SELECT a.provider, a.kind, a.ttr_ms,
	       CASE WHEN a.age <= 0 THEN 1000000
	            WHEN floor(a.age / p.h) >= 20 THEN 0
	            ELSE floor(floor(1000000 / power(2::numeric, floor(a.age / p.h)))
	                       * (2 * p.h - (a.age - floor(a.age / p.h) * p.h)) / (2 * p.h)) END AS w
	FROM aged a, params p
), sums AS (
	SELECT provider,
	       sum(CASE WHEN kind = 'offer' THEN floor(w / 4) ELSE w END) AS w_all,
	       sum(w) FILTER (WHERE kind = 'done') AS w_done,
	       sum(w) FILTER (WHERE kind = 'missed') AS w_missed,
	       sum(w) FILTER (WHERE kind = 'lost') AS w_lost,
	       percentile_disc(0.5) WITHIN GROUP (ORDER BY ttr_ms) FILTER (WHERE kind = 'done' AND w > 0) AS med_ms
	FROM weighted WHERE w > 0 GROUP BY provider
), scored AS (
	SELECT s.provider, s.w_all, s.med_ms,
	       floor((coalesce(s.w_done, 0) + floor(p.prior * 1000000 / 2)) * 1000000 / (s.w_all + p.prior * 1000000)) AS c,
	       floor(coalesce(s.w_missed, 0) * 1000000 / (s.w_all + p.prior * 1000000)) AS m,
	       floor(coalesce(s.w_lost, 0) * 1000000 / (s.w_all + p.prior * 1000000)) AS d,
	       CASE WHEN s.med_ms IS NULL THEN 500000 ELSE floor(p.t0 * 1000000 / (p.t0 + s.med_ms)) END AS sp
	FROM sums s, params p
	WHERE s.w_all + p.prior * 1000000 > 0
)
INSERT INTO provider_reputation (chain_id, provider, score, completion, missed, disputes, speed, weight, median_ttr_ms, computed_at)
SELECT $1, provider,
       floor((600000 * c + 150000 * (1000000 - m) + 150000 * (1000000 - d) + 100000 * sp) / 1000000),
       c, m, d, sp, w_all, med_ms, $2
FROM scored
ON CONFLICT (chain_id, provider) DO UPDATE SET
	score = EXCLUDED.score, completion = EXCLUDED.completion, missed = EXCLUDED.missed, disputes = EXCLUDED.disputes,
	speed = EXCLUDED.speed, weight = EXCLUDED.weight, median_ttr_ms = EXCLUDED.median_ttr_ms, computed_at = EXCLUDED.computed_at`

// RecomputeReputation recomputes every provider's reputation of chainID
// as of now in SQL (matcher.Reputation's formula; see reputationSQL) and
// returns how many providers it wrote. Providers without any outcome get no
// row (the service uses the neutral prior for them). It returns an EINVALID
// error for invalid params or a zero prior (the Go formula's "no prior" case
// is not needed by the service).
func (s *MatcherMaintenance) RecomputeReputation(ctx context.Context, chainID uint64, now time.Time, p matcher.ReputationParams) (int64, error) {
	if err := matcher.ValidateReputationParams(p); err != nil {
		return 0, err
	}
	var n int64
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, reputationSQL, int64(chainID), now,
			strconv.FormatInt(int64(p.HalfLife), 10), strconv.FormatUint(p.Prior, 10),
			strconv.FormatInt(int64(p.RefTimeToResult/time.Millisecond), 10))
		if err != nil {
			return fmt.Errorf("recompute reputation: %w", err)
		}
		n = tag.RowsAffected()
		// Latency: median offer-to-acceptance time; providers with no
		// outcome yet get the neutral reputation row.
		neutral := matcher.Reputation(nil, now, p)
		if _, err := tx.Exec(ctx, `
			WITH lat AS (
				SELECT a.provider,
				       percentile_disc(0.5) WITHIN GROUP (ORDER BY greatest(floor(extract(epoch FROM (j.assigned_at - a.created_at)) * 1000), 0)) AS ms
				FROM assignments a JOIN jobs j ON j.chain_id = a.chain_id AND j.job_id = a.job_id
				WHERE a.chain_id = $1 AND a.state = 'accepted' AND j.assigned_at IS NOT NULL AND a.created_at > $2::timestamptz - interval '7 days'
				GROUP BY a.provider
			)
			INSERT INTO provider_reputation (chain_id, provider, score, completion, missed, disputes, speed, weight, latency_ms, computed_at)
			SELECT $1, provider, $3, $4, 0, 0, $5, 0, least(ms, 2147483647), $2 FROM lat
			ON CONFLICT (chain_id, provider) DO UPDATE SET latency_ms = EXCLUDED.latency_ms`,
			int64(chainID), now, int32(neutral.Score), int32(neutral.Completion), int32(neutral.Speed)); err != nil {
			return fmt.Errorf("recompute latency: %w", err)
		}
		return nil
	})
	return n, translate(err)
}

// Reputation returns the stored reputation of provider p.
func (s *MatcherMaintenance) Reputation(ctx context.Context, chainID uint64, p gpumarket.Address) (matcher.ReputationScore, error) {
	var r matcher.ReputationScore
	var score, c, m, d, sp int32
	var w string
	err := s.db.pool.QueryRow(ctx, `SELECT score, completion, missed, disputes, speed, weight::text FROM provider_reputation WHERE chain_id = $1 AND provider = $2`,
		int64(chainID), p[:]).Scan(&score, &c, &m, &d, &sp, &w)
	if err != nil {
		return r, translate(fmt.Errorf("read reputation of %s: %w", p, err))
	}
	r = matcher.ReputationScore{Score: uint32(score), Completion: uint32(c), Missed: uint32(m), Disputes: uint32(d), Speed: uint32(sp)}
	r.Weight, err = strconv.ParseUint(w, 10, 64)
	return r, err
}
