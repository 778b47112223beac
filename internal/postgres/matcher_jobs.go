package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/jackc/pgx/v5"
)

// The matcher's job queue (matcher_jobs, read with the indexer's jobs):
// sync with the chain, claims under leases, expiry, and a job's view.

// Sync implements service.Store.
func (s *MatcherQueue) Sync(ctx context.Context, chainID uint64, since, now time.Time) error {
	var from *time.Time
	if !since.IsZero() {
		from = &since
	}
	return translate(pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		// No NOT EXISTS on matcher_jobs here: a nested-loop anti-join
		// against the table being inserted into rescans the new tuples for
		// every row (quadratic: 50 s for 100,000 jobs). The conflict check
		// is one index probe per job.
		if _, err := tx.Exec(ctx, `
			INSERT INTO matcher_jobs (chain_id, job_id, next_attempt_at, updated_at)
			SELECT j.chain_id, j.job_id, $2, $2 FROM jobs j
			WHERE j.chain_id = $1 AND j.state = 'open' AND ($3::timestamptz IS NULL OR j.created_at >= $3)
			ON CONFLICT DO NOTHING`, int64(chainID), now, from); err != nil {
			return fmt.Errorf("sync: add open jobs: %w", err)
		}
		// A reorg can undo an acceptance: the job is open again on-chain.
		// Its offer is live again (the provider's relayer re-sends its
		// accept; at expiry ExpireOffers moves the job to the runner-up).
		if _, err := tx.Exec(ctx, `
			WITH r AS (
				UPDATE assignments a SET state = 'offered', closed_at = NULL
				FROM jobs j
				WHERE a.chain_id = $1 AND a.state = 'accepted' AND j.chain_id = a.chain_id AND j.job_id = a.job_id AND j.state = 'open'
				RETURNING a.chain_id, a.job_id
			)
			UPDATE matcher_jobs m SET status = 'offered', reason = 'acceptance undone by a chain reorganization', updated_at = $2
			FROM r WHERE m.chain_id = r.chain_id AND m.job_id = r.job_id`, int64(chainID), now); err != nil {
			return fmt.Errorf("sync: reopen offers: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE assignments a
			SET state = CASE WHEN j.provider = a.provider THEN 'accepted' ELSE 'superseded' END, closed_at = $2
			FROM jobs j
			WHERE a.chain_id = $1 AND a.state = 'offered' AND j.chain_id = a.chain_id AND j.job_id = a.job_id AND j.state <> 'open'`,
			int64(chainID), now); err != nil {
			return fmt.Errorf("sync: close offers: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE matcher_jobs m
			SET status = 'closed', reason = 'job is ' || j.state || ' on-chain', lease_owner = NULL, lease_expires_at = NULL, updated_at = $2
			FROM jobs j
			WHERE m.chain_id = $1 AND m.status <> 'closed' AND j.chain_id = m.chain_id AND j.job_id = m.job_id AND j.state <> 'open'`,
			int64(chainID), now); err != nil {
			return fmt.Errorf("sync: close jobs: %w", err)
		}
		return nil
	}))
}

// ExpireOffers implements service.Store.
func (s *MatcherQueue) ExpireOffers(ctx context.Context, chainID uint64, now time.Time) ([]service.Expired, error) {
	rows, err := s.db.pool.Query(ctx, `
		WITH e AS (
			UPDATE assignments a SET state = 'expired', closed_at = $2
			FROM jobs j
			WHERE a.chain_id = $1 AND a.state = 'offered' AND a.expiry <= $2
			  AND j.chain_id = a.chain_id AND j.job_id = a.job_id AND j.state = 'open'
			RETURNING a.chain_id, a.job_id, a.provider, a.rank
		), m AS (
			UPDATE matcher_jobs m
			SET status = 'pending', reason = 'offer to 0x' || encode(e.provider, 'hex') || ' expired unaccepted',
			    next_attempt_at = $2, updated_at = $2, route_partition = NULL
			FROM e WHERE m.chain_id = e.chain_id AND m.job_id = e.job_id
			RETURNING 1
		)
		SELECT e.job_id::text, e.provider, e.rank FROM e ORDER BY e.job_id`, customPlan, int64(chainID), now)
	if err != nil {
		return nil, translate(fmt.Errorf("expire offers: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.Expired, error) {
		var id string
		var p []byte
		var rank int32
		if err := r.Scan(&id, &p, &rank); err != nil {
			return service.Expired{}, err
		}
		jid, err := gpumarket.ParseJobID(id)
		return service.Expired{ChainID: chainID, JobID: jid, Provider: toAddr(p), Rank: int(rank)}, err
	})
	if err != nil {
		return nil, fmt.Errorf("expire offers: %w", err)
	}
	ids := make([]string, len(out))
	for i, e := range out {
		ids[i] = e.JobID.String()
	}
	// The expiry is committed; a lost notification only delays status
	// streams until their next periodic re-read.
	_ = notifyMatcher(ctx, s.db, chainID, ids)
	return out, nil
}

// ExpireLeases clears every lease that lapsed before now (a crashed
// instance's claims) and returns how many it cleared. Claim ignores lapsed
// leases anyway; this keeps the table honest for readers.
func (s *MatcherMaintenance) ExpireLeases(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, `
		UPDATE matcher_jobs SET lease_owner = NULL, lease_expires_at = NULL, updated_at = $1
		WHERE lease_owner IS NOT NULL AND lease_expires_at <= $1`, now)
	if err != nil {
		return 0, translate(fmt.Errorf("expire leases: %w", err))
	}
	return tag.RowsAffected(), nil
}

// Claim implements service.Store.
func (s *MatcherQueue) Claim(ctx context.Context, chainID uint64, owner string, parts []int, after *gpumarket.JobID, n int, ttl time.Duration, now time.Time) ([]service.Claimed, error) {
	from := "-1"
	if after != nil {
		from = after.String()
	}
	if n <= 0 || owner == "" || ttl < time.Second {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "claim needs n > 0, an owner and a ttl of at least 1s")
	}
	var routes []int32 // nil: every job, routed or not
	if parts != nil {
		routes = make([]int32, len(parts))
		for i, p := range parts {
			routes[i] = int32(p)
		}
	}
	// One statement: lease the next pending jobs (SKIP LOCKED: concurrent
	// claimers get disjoint sets) and return them with their chain state,
	// spec and the providers already offered each.
	rows, err := s.db.pool.Query(ctx, `
		WITH c AS (
			SELECT m.chain_id, m.job_id FROM matcher_jobs m
			WHERE m.chain_id = $1 AND m.status = 'pending' AND m.job_id > $6::numeric AND m.next_attempt_at <= $4
			  AND (m.lease_expires_at IS NULL OR m.lease_expires_at <= $4)
			  AND ($7::int[] IS NULL OR m.route_partition IS NULL OR m.route_partition = ANY($7::int[]))
			ORDER BY m.job_id
			LIMIT $3
			FOR UPDATE SKIP LOCKED
		), u AS (
			UPDATE matcher_jobs m
			SET lease_owner = $2, lease_expires_at = $4 + make_interval(secs => $5), attempts = m.attempts + 1, updated_at = $4
			FROM c WHERE m.chain_id = c.chain_id AND m.job_id = c.job_id
			RETURNING m.chain_id, m.job_id, m.decision, m.route_partition
		)
		SELECT j.job_id::text, j.client, j.token, j.max_payment::text, j.kind, j.state,
		       extract(epoch FROM j.deadline)::bigint, j.fee_bps, j.creator_share_bps,
		       j.preferred_provider, j.creator, j.treasury, j.spec_hash, j.spec_uri_raw,
		       s.body, coalesce(s.valid, false), coalesce(s.rejection_reason, ''), u.decision,
		       (SELECT coalesce(array_agg(a.provider), '{}') FROM assignments a WHERE a.chain_id = j.chain_id AND a.job_id = j.job_id),
		       u.route_partition
		FROM u
		JOIN jobs j ON j.chain_id = u.chain_id AND j.job_id = u.job_id
		LEFT JOIN job_specs s ON s.spec_hash = j.spec_hash
		ORDER BY u.job_id`, customPlan, int64(chainID), owner, n, now, ttl.Seconds(), from, routes)
	if err != nil {
		return nil, translate(fmt.Errorf("claim jobs: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.Claimed, error) {
		return scanClaimed(r, chainID)
	})
	if err != nil {
		return nil, translate(fmt.Errorf("claim jobs: %w", err))
	}
	return out, nil
}

func scanClaimed(r pgx.CollectableRow, chainID uint64) (service.Claimed, error) {
	var c service.Claimed
	var id, maxPay, kind, state string
	var client, token, pref, creator, treasury, spec, specURI []byte
	var deadline int64
	var fee, share int32
	var offered [][]byte
	var decision []byte
	var route *int32
	if err := r.Scan(&id, &client, &token, &maxPay, &kind, &state, &deadline, &fee, &share, &pref, &creator, &treasury, &spec,
		&specURI, &c.SpecBody, &c.SpecValid, &c.Rejection, &decision, &offered, &route); err != nil {
		return c, err
	}
	if route != nil {
		p := int(*route)
		c.Route = &p
	}
	c.SpecURI = string(specURI) // every byte the chain holds, not the escaped text
	jid, err := gpumarket.ParseJobID(id)
	if err != nil {
		return c, err
	}
	k, err := gpumarket.ParseJobKind(kind)
	if err != nil {
		return c, err
	}
	st, err := gpumarket.ParseJobState(state)
	if err != nil {
		return c, err
	}
	mp, err := decodeRequired("jobs.max_payment", &maxPay)
	if err != nil {
		return c, err
	}
	c.Job = gpumarket.Job{
		ChainID: chainID, ID: jid, Client: toAddr(client), Token: toAddr(token), MaxPayment: mp, Kind: k, State: st,
		Deadline: uint64(max(deadline, 0)), FeeBps: uint16(fee), CreatorShareBps: uint16(share),
		PreferredProvider: toAddr(pref), Creator: toAddr(creator), Treasury: toAddr(treasury), Price: new(big.Int), AmountDue: new(big.Int),
		DisputeBond: new(big.Int), // the job is Open: the struct as created, which its assignment is bound to
	}
	copy(c.Job.SpecHash[:], spec)
	if decision != nil {
		c.Decision = json.RawMessage(decision)
	}
	for _, p := range offered {
		c.Offered = append(c.Offered, toAddr(p))
	}
	return c, nil
}

// Job returns a job's chain state, matching state and every assignment with
// its explanation. It returns ENOTFOUND when the indexer has no such job.
func (s *MatcherAPIStore) Job(ctx context.Context, chainID uint64, id gpumarket.JobID) (service.JobView, error) {
	return readJob(ctx, s.db.pool, chainID, id)
}

// reader is what the job reads need: the pool, or a transaction for a
// consistent snapshot.
type reader interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func readJob(ctx context.Context, db reader, chainID uint64, id gpumarket.JobID) (service.JobView, error) {
	v := service.JobView{ChainID: chainID, JobID: id}
	var j jobScan
	err := db.QueryRow(ctx, `SELECT `+jobScanColumns+` FROM jobs WHERE chain_id = $1 AND job_id = $2::numeric`, int64(chainID), id.String()).
		Scan(j.dest(&v)...)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return v, gpumarket.Errorf(gpumarket.ENOTFOUND, "job %d/%d is not indexed", chainID, id)
		}
		return v, translate(fmt.Errorf("read job %d/%d: %w", chainID, id, err))
	}
	if err := j.finish(&v); err != nil {
		return v, fmt.Errorf("read job %d/%d: %w", chainID, id, err)
	}
	var m matchingScan
	err = db.QueryRow(ctx, `SELECT `+matchingScanColumns+` FROM matcher_jobs WHERE chain_id = $1 AND job_id = $2::numeric`,
		int64(chainID), id.String()).Scan(m.dest()...)
	switch {
	case err == nil:
		v.Matching = m.view()
	case !errors.Is(err, pgx.ErrNoRows):
		return v, translate(fmt.Errorf("read matching state of %d/%d: %w", chainID, id, err))
	}
	rows, err := db.Query(ctx, `SELECT `+assignmentViewColumns+` FROM assignments WHERE chain_id = $1 AND job_id = $2::numeric ORDER BY id`,
		int64(chainID), id.String())
	if err != nil {
		return v, translate(fmt.Errorf("read assignments of %d/%d: %w", chainID, id, err))
	}
	v.Assignments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.AssignmentView, error) {
		return scanAssignment(r, chainID, true)
	})
	if err != nil {
		return v, fmt.Errorf("read assignments of %d/%d: %w", chainID, id, err)
	}
	if v.Assignments == nil {
		v.Assignments = []service.AssignmentView{}
	}
	return v, nil
}

// jobScanColumns are the jobs columns of a job view, in jobScan.dest's
// order.
const jobScanColumns = `state, kind, client, token, max_payment::text, deadline, spec_hash, spec_uri, provider, price::text, last_block, finalized,
	amount_due::text, result_hash, coalesce(result_uri, ''), protocol_fee::text, creator_amount::text, provider_amount::text,
	client_refund::text, refund::text`

// jobScan holds a jobs row as scanned, until finish decodes it into a view.
type jobScan struct {
	client, token, spec, prov, resultHash   []byte
	maxPay, price, state, kind, due         string
	fee, creator, provAmt, clientRefund, rf *string
	lastBlock                               int64
}

// dest returns the scan targets of jobScanColumns (those that need no
// decoding go to v directly).
func (j *jobScan) dest(v *service.JobView) []any {
	c := &v.Chain
	return []any{&j.state, &j.kind, &j.client, &j.token, &j.maxPay, &c.Deadline, &j.spec, &c.SpecURI, &j.prov, &j.price, &j.lastBlock, &c.Finalized,
		&j.due, &j.resultHash, &c.ResultURI, &j.fee, &j.creator, &j.provAmt, &j.clientRefund, &j.rf}
}

// finish decodes the scanned row into v's chain state.
func (j *jobScan) finish(v *service.JobView) error {
	c := &v.Chain
	var d numericDecoder
	c.MaxPayment, c.Price = d.amount("jobs.max_payment", &j.maxPay), d.amount("jobs.price", &j.price)
	c.AmountDue = d.amount("jobs.amount_due", &j.due)
	if j.fee != nil && j.provAmt != nil {
		c.Settlement = &service.SettlementSplit{ProtocolFee: d.amount("jobs.protocol_fee", j.fee), CreatorAmount: d.amount("jobs.creator_amount", j.creator),
			ProviderAmount: d.amount("jobs.provider_amount", j.provAmt), ClientRefund: d.amount("jobs.client_refund", j.clientRefund)}
	}
	if j.rf != nil {
		r := d.amount("jobs.refund", j.rf)
		c.Refund = &r
	}
	if j.resultHash != nil {
		var h gpumarket.Hash
		copy(h[:], j.resultHash)
		c.ResultHash = &h
	}
	if d.err != nil {
		return d.err
	}
	var err error
	if c.State, err = gpumarket.ParseJobState(j.state); err != nil {
		return err
	}
	if c.Kind, err = gpumarket.ParseJobKind(j.kind); err != nil {
		return err
	}
	c.Client, c.Token, c.LastBlock = toAddr(j.client), toAddr(j.token), uint64(max(j.lastBlock, 0))
	copy(c.SpecHash[:], j.spec)
	if j.prov != nil {
		p := toAddr(j.prov)
		c.Provider = &p
	}
	return nil
}

// matchingScanColumns are the matcher_jobs columns of a job view, in
// matchingScan.dest's order.
const matchingScanColumns = `status, reason, attempts, decision, updated_at`

// matchingScan holds a matcher_jobs row as scanned.
type matchingScan struct {
	m        service.MatchingView
	dec      []byte
	attempts int32
}

func (s *matchingScan) dest() []any {
	return []any{&s.m.Status, &s.m.Reason, &s.attempts, &s.dec, &s.m.Updated}
}

func (s *matchingScan) view() *service.MatchingView {
	m := s.m
	m.Attempts, m.Decision = int(s.attempts), json.RawMessage(s.dec)
	return &m
}

// assignmentViewColumns are the assignments columns scanAssignment reads
// (with its runners-up).
const assignmentViewColumns = `job_id::text, provider, price::text, extract(epoch FROM expiry)::bigint, signature, matcher, state, rank, score, created_at, job_hash,
	runners_up`
