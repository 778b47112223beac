package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/jackc/pgx/v5"
)

// Offers (assignments): recording a batch of decisions under the providers'
// load locks, and the live offers of a provider.

// Record implements service.Store. It takes two round trips and a commit:
// the first locks the load rows of the offers' providers (address order, so
// that instances cannot deadlock) and reads what they hold; the second marks
// the granted offers' jobs offered where owner still holds their lease,
// inserts those offers (the triggers of migration 00008 count them in
// matcher_provider_load), and reschedules the retries. An offer whose job
// the owner no longer holds is dropped; the slot it was granted stays
// unused in this batch.
func (s *MatcherQueue) Record(ctx context.Context, owner string, offers []service.OfferRecord, retries []service.Retry, now time.Time) (service.Recorded, error) {
	var res service.Recorded
	if len(offers) == 0 && len(retries) == 0 {
		return res, nil
	}
	var chainID uint64
	if len(offers) > 0 {
		chainID = offers[0].ChainID
	} else {
		chainID = retries[0].ChainID
	}
	// Everything that does not depend on the database is encoded before
	// the transaction starts, so that locks are held only for the I/O.
	enc := make([]encodedOffer, len(offers))
	provs := make([]gpumarket.Address, 0, len(offers))
	for i := range offers {
		e, err := encodeOffer(&offers[i])
		if err != nil {
			return res, fmt.Errorf("record decisions: %w", err)
		}
		enc[i] = e
		provs = append(provs, offers[i].Provider)
	}
	slices.SortFunc(provs, compareAddr)
	provs = slices.Compact(provs)
	var rIDs, rReasons, rStatus []string
	var rAt []time.Time
	var rDec []*string
	var rRoute []*int32
	for _, r := range retries {
		if r.Route != nil {
			p := int32(*r.Route)
			rRoute = append(rRoute, &p)
		} else {
			rRoute = append(rRoute, nil)
		}
		rIDs = append(rIDs, r.JobID.String())
		rReasons = append(rReasons, r.Reason)
		rAt = append(rAt, r.At)
		st := "pending"
		if r.Unmatchable {
			st = "unmatchable"
		}
		rStatus = append(rStatus, st)
		if r.Decision != nil {
			b, err := r.Decision.AppendJSON(nil)
			if err != nil {
				return res, fmt.Errorf("record decisions: %w", err)
			}
			s := string(b)
			rDec = append(rDec, &s)
		} else {
			rDec = append(rDec, nil)
		}
	}
	var inserted, refused []service.OfferRecord
	var full []gpumarket.Address
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		inserted, refused, full = inserted[:0], refused[:0], full[:0]
		free, err := lockLoad(ctx, tx, chainID, provs)
		if err != nil {
			return err
		}
		var g grantedOffers
		granted := make([]int, 0, len(offers))
		for i := range offers {
			o := &offers[i]
			if free[o.Provider] <= 0 {
				// Refused: the job stays claimed for the caller to decide
				// again now that it knows the provider is full.
				refused = append(refused, *o)
				continue
			}
			free[o.Provider]--
			g.add(&enc[i], o)
			granted = append(granted, i)
		}
		b := &pgx.Batch{}
		if len(granted) > 0 {
			// The job rows are updated first (only those whose lease owner
			// still holds), and only their offers are inserted.
			b.Queue(`
				WITH held AS (
					UPDATE matcher_jobs m SET status = 'offered', reason = '', decision = u.decision, route_partition = NULL,
					       lease_owner = NULL, lease_expires_at = NULL, updated_at = $11
					FROM unnest($2::numeric[], $12::jsonb[]) AS u(job_id, decision)
					WHERE m.chain_id = $1 AND m.job_id = ANY($2::numeric[]) AND m.job_id = u.job_id
					  AND m.lease_owner = $13 AND m.lease_expires_at > $11 AND m.status = 'pending'
					RETURNING m.job_id
				)
				INSERT INTO assignments (chain_id, job_id, provider, price, expiry, signature, matcher, rank, score, runners_up, instance, created_at,
				                         job_hash, reserve)
				SELECT $1, u.job_id, u.provider, u.price, u.expiry, u.sig, u.matcher, u.rank, u.score, u.runners, $13, $11, u.job_hash, u.reserve
				FROM unnest($2::numeric[], $3::bytea[], $4::numeric[], $5::timestamptz[], $6::bytea[], $7::bytea[], $8::int[], $9::jsonb[], $10::jsonb[],
				            $14::bytea[], $15::numeric[])
				     AS u(job_id, provider, price, expiry, sig, matcher, rank, score, runners, job_hash, reserve)
				JOIN held ON held.job_id = u.job_id
				RETURNING job_id::text`,
				int64(chainID), g.jobIDs, g.provs, g.prices, g.expiries, g.sigs, g.matchers, g.ranks, g.scores, g.runners, now, g.decisions, owner,
				g.jobHashes, g.reserves)
		}
		if len(rIDs) > 0 {
			b.Queue(`
				UPDATE matcher_jobs m SET status = u.status, reason = u.reason, next_attempt_at = u.at,
				       decision = coalesce(u.decision, m.decision), lease_owner = NULL, lease_expires_at = NULL, updated_at = $3, route_partition = u.route
				FROM unnest($2::numeric[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $9::int[]) AS u(job_id, status, reason, at, decision, route)
				WHERE m.chain_id = $1 AND m.job_id = ANY($2::numeric[]) AND m.job_id = u.job_id AND m.lease_owner = $8 AND m.lease_expires_at > $3 AND m.status = 'pending'`,
				int64(chainID), rIDs, now, rStatus, rReasons, rAt, rDec, owner, rRoute)
		}
		// Watchers of these jobs' status streams re-read them at commit.
		queueNotifyMatcher(b, chainID, append(slices.Clip(g.jobIDs), rIDs...))
		br := tx.SendBatch(ctx, b)
		defer br.Close()
		if len(granted) > 0 {
			rows, _ := br.Query()
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("insert assignments: %w", err)
			}
			ok := make(map[string]bool, len(ids))
			for _, id := range ids {
				ok[id] = true
			}
			for k, i := range granted {
				if ok[g.jobIDs[k]] {
					inserted = append(inserted, offers[i])
				} else {
					free[offers[i].Provider]++ // not held: its slot stays free
				}
			}
		}
		if len(rIDs) > 0 {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("reschedule jobs: %w", err)
			}
		}
		if err := br.Close(); err != nil {
			return err
		}
		for _, p := range provs {
			if free[p] <= 0 {
				full = append(full, p)
			}
		}
		return nil
	})
	if err != nil {
		return res, translate(fmt.Errorf("record decisions: %w", err))
	}
	return service.Recorded{Inserted: inserted, Refused: refused, Full: full}, nil
}

// lockLoad locks the matcher_provider_load rows of provs (sorted, distinct;
// created when missing) in address order and returns each provider's free
// slots: its attested slots less its live offers and the jobs it runs
// on-chain. The locked rows are read as their latest committed versions
// (a row lock waits for, then sees, a concurrent recorder's commit); the
// running jobs are counted by a later statement, whose snapshot is taken
// after the locks are held. Providers without an attestation have none.
func lockLoad(ctx context.Context, tx pgx.Tx, chainID uint64, provs []gpumarket.Address) (map[gpumarket.Address]int64, error) {
	free := make(map[gpumarket.Address]int64, len(provs))
	if len(provs) == 0 {
		return free, nil
	}
	addrs := addrBytes(provs)
	b := &pgx.Batch{}
	b.Queue(`SET LOCAL plan_cache_mode = force_custom_plan`) // see customPlan
	b.Queue(`
		INSERT INTO matcher_provider_load (chain_id, provider)
		SELECT $1, p FROM unnest($2::bytea[]) AS p ORDER BY p
		ON CONFLICT (chain_id, provider) DO NOTHING`, int64(chainID), addrs)
	b.Queue(`
		SELECT l.provider, coalesce(pa.slots, 0) - l.offered
		FROM matcher_provider_load l
		LEFT JOIN provider_attestations pa ON pa.chain_id = l.chain_id AND pa.provider = l.provider
		WHERE l.chain_id = $1 AND l.provider = ANY($2::bytea[])
		ORDER BY l.provider FOR UPDATE OF l`, int64(chainID), addrs)
	b.Queue(`
		SELECT provider, count(*) FROM jobs
		WHERE chain_id = $1 AND provider = ANY($2::bytea[]) AND state = 'assigned' GROUP BY provider`, int64(chainID), addrs)
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("plan record statements: %w", err)
	}
	if _, err := br.Exec(); err != nil {
		return nil, fmt.Errorf("add provider load rows: %w", err)
	}
	var p []byte
	var n int64
	rows, _ := br.Query()
	if _, err := pgx.ForEachRow(rows, []any{&p, &n}, func() error {
		free[toAddr(p)] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("lock provider load: %w", err)
	}
	rows, _ = br.Query()
	if _, err := pgx.ForEachRow(rows, []any{&p, &n}, func() error {
		free[toAddr(p)] -= n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("count running jobs: %w", err)
	}
	return free, br.Close()
}

// encodedOffer is an offer's JSON columns.
type encodedOffer struct {
	score, runners, decision string
}

func encodeOffer(o *service.OfferRecord) (encodedOffer, error) {
	buf := make([]byte, 0, 4096)
	buf = o.Score.AppendJSON(buf)
	n := len(buf)
	buf = matcher.AppendRankedJSON(buf, o.Ranked)
	m := len(buf)
	buf, err := o.Decision.AppendJSON(buf)
	if err != nil {
		return encodedOffer{}, err
	}
	s := string(buf)
	return encodedOffer{s[:n], s[n:m], s[m:]}, nil
}

// grantedOffers are the columns of the offers to insert, as arrays for
// unnest.
type grantedOffers struct {
	jobIDs                     []string
	prices, reserves           []*string
	jobHashes                  [][]byte
	provs, sigs, matchers      [][]byte
	expiries                   []time.Time
	ranks                      []int32
	scores, runners, decisions []string
}

func (g *grantedOffers) add(e *encodedOffer, o *service.OfferRecord) {
	m := o.Matcher
	p := o.Provider
	g.jobIDs = append(g.jobIDs, o.JobID.String())
	g.prices = append(g.prices, encodeNumeric(zeroIfNil(o.Price)))
	g.reserves = append(g.reserves, encodeNumeric(zeroIfNil(o.Reserve)))
	g.jobHashes = append(g.jobHashes, o.JobHash[:])
	g.provs = append(g.provs, p[:])
	g.sigs = append(g.sigs, o.Signature)
	g.matchers = append(g.matchers, m[:])
	g.expiries = append(g.expiries, o.Expiry)
	g.ranks = append(g.ranks, int32(o.Rank))
	g.scores = append(g.scores, e.score)
	g.runners = append(g.runners, e.runners)
	g.decisions = append(g.decisions, e.decision)
}

func compareAddr(a, b gpumarket.Address) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// PendingAssignments returns the live offers of provider p (state offered,
// unexpired at now), oldest first, at most limit.
func (s *MatcherAPIStore) PendingAssignments(ctx context.Context, chainID uint64, p gpumarket.Address, now time.Time, limit int) ([]service.AssignmentView, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT job_id::text, provider, price::text, extract(epoch FROM expiry)::bigint, signature, matcher, state, rank, score, created_at,
		       job_hash
		FROM assignments WHERE chain_id = $1 AND provider = $2 AND state = 'offered' AND expiry > $3
		ORDER BY id LIMIT $4`, int64(chainID), p[:], now, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("pending assignments of %s: %w", p, err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.AssignmentView, error) {
		return scanAssignment(r, chainID, false)
	})
	if err != nil {
		return nil, fmt.Errorf("pending assignments of %s: %w", p, err)
	}
	return out, nil
}

func scanAssignment(r pgx.CollectableRow, chainID uint64, withRunners bool) (service.AssignmentView, error) {
	var v service.AssignmentView
	var prov, sig, m []byte
	var rank int32
	var score, runners, jobHash []byte
	var id, price string
	dest := []any{&id, &prov, &price, &v.Expiry, &sig, &m, &v.State, &rank, &score, &v.CreatedAt, &jobHash}
	if withRunners {
		dest = append(dest, &runners)
	}
	if err := r.Scan(dest...); err != nil {
		return v, err
	}
	var err error
	if v.JobID, err = gpumarket.ParseJobID(id); err != nil {
		return v, err
	}
	if v.Price, err = decodeAmount("assignments.price", &price); err != nil {
		return v, err
	}
	v.ChainID, v.Provider, v.Matcher, v.Rank = chainID, toAddr(prov), toAddr(m), int(rank)
	v.Signature = sig
	copy(v.JobHash[:], jobHash) // NULL (zero) only for offers made before contracts v2
	v.Score = json.RawMessage(score)
	if withRunners {
		v.RunnersUp = json.RawMessage(runners)
	}
	return v, nil
}
