package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// MatcherStore is the matcher's PostgreSQL store (tables of migration
// 00006), reading the indexer's jobs and providers tables. It is safe for
// concurrent use by several goroutines and several processes: job claims use
// leases taken with FOR UPDATE SKIP LOCKED, and offers are inserted under a
// row lock on the provider's matcher_provider_load row (its live offers,
// kept by the triggers of migration 00008), so that capacity holds across
// processes.
type MatcherStore struct {
	db *DB
}

var _ service.Store = (*MatcherStore)(nil)

// NewMatcherStore returns the matcher store on db.
func NewMatcherStore(db *DB) *MatcherStore { return &MatcherStore{db: db} }

func numStr(x *big.Int) string {
	if x == nil {
		return "0"
	}
	return x.String()
}

func parseNum(s string) (*big.Int, error) {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, fmt.Errorf("numeric %q is not an integer", s)
	}
	return n, nil
}

func addrBytes(as []gpumarket.Address) [][]byte {
	out := make([][]byte, len(as))
	for i := range as {
		out[i] = as[i][:]
	}
	return out
}

func toAddr(b []byte) gpumarket.Address {
	var a gpumarket.Address
	copy(a[:], b)
	return a
}

// customPlan runs a statement as an unnamed prepared statement, planned
// with its parameters on every execution. The matcher's hot statements
// (claim, expiry, record) touch tables that grow from empty to hundreds of
// thousands of rows while one connection lives; a cached generic plan made
// early (by then the planner saw empty tables) would otherwise stay: an
// expiry scan through every live offer (~100 ms at 100,000) instead of one
// index range. Record sets plan_cache_mode for its transaction instead (a
// batch cannot choose its mode per statement). Planning costs well under a
// millisecond per statement of a 500-job batch.
const customPlan = pgx.QueryExecModeExec

// Sync implements service.Store.
func (s *MatcherStore) Sync(ctx context.Context, chainID uint64, since, now time.Time) error {
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
func (s *MatcherStore) ExpireOffers(ctx context.Context, chainID uint64, now time.Time) ([]service.Expired, error) {
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
			    next_attempt_at = $2, updated_at = $2
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
	return out, nil
}

// ExpireLeases clears every lease that lapsed before now (a crashed
// instance's claims) and returns how many it cleared. Claim ignores lapsed
// leases anyway; this keeps the table honest for readers.
func (s *MatcherStore) ExpireLeases(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, `
		UPDATE matcher_jobs SET lease_owner = NULL, lease_expires_at = NULL, updated_at = $1
		WHERE lease_owner IS NOT NULL AND lease_expires_at <= $1`, now)
	if err != nil {
		return 0, translate(fmt.Errorf("expire leases: %w", err))
	}
	return tag.RowsAffected(), nil
}

// Claim implements service.Store.
func (s *MatcherStore) Claim(ctx context.Context, chainID uint64, owner string, after *gpumarket.JobID, n int, ttl time.Duration, now time.Time) ([]service.Claimed, error) {
	from := "-1"
	if after != nil {
		from = after.String()
	}
	if n <= 0 || owner == "" || ttl < time.Second {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "claim needs n > 0, an owner and a ttl of at least 1s")
	}
	// One statement: lease the next pending jobs (SKIP LOCKED: concurrent
	// claimers get disjoint sets) and return them with their chain state,
	// spec and the providers already offered each.
	rows, err := s.db.pool.Query(ctx, `
		WITH c AS (
			SELECT m.chain_id, m.job_id FROM matcher_jobs m
			WHERE m.chain_id = $1 AND m.status = 'pending' AND m.job_id > $6::numeric AND m.next_attempt_at <= $4
			  AND (m.lease_expires_at IS NULL OR m.lease_expires_at <= $4)
			ORDER BY m.job_id
			LIMIT $3
			FOR UPDATE SKIP LOCKED
		), u AS (
			UPDATE matcher_jobs m
			SET lease_owner = $2, lease_expires_at = $4 + make_interval(secs => $5), attempts = m.attempts + 1, updated_at = $4
			FROM c WHERE m.chain_id = c.chain_id AND m.job_id = c.job_id
			RETURNING m.chain_id, m.job_id, m.decision
		)
		SELECT j.job_id::text, j.client, j.token, j.max_payment::text, j.kind, j.state,
		       extract(epoch FROM j.deadline)::bigint, j.fee_bps, j.creator_share_bps,
		       j.preferred_provider, j.creator, j.spec_hash, j.spec_uri_raw,
		       s.body, coalesce(s.valid, false), coalesce(s.rejection_reason, ''), u.decision,
		       (SELECT coalesce(array_agg(a.provider), '{}') FROM assignments a WHERE a.chain_id = j.chain_id AND a.job_id = j.job_id)
		FROM u
		JOIN jobs j ON j.chain_id = u.chain_id AND j.job_id = u.job_id
		LEFT JOIN job_specs s ON s.spec_hash = j.spec_hash
		ORDER BY u.job_id`, customPlan, int64(chainID), owner, n, now, ttl.Seconds(), from)
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
	var client, token, pref, creator, spec, specURI []byte
	var deadline int64
	var fee, share int32
	var offered [][]byte
	var decision []byte
	if err := r.Scan(&id, &client, &token, &maxPay, &kind, &state, &deadline, &fee, &share, &pref, &creator, &spec,
		&specURI, &c.SpecBody, &c.SpecValid, &c.Rejection, &decision, &offered); err != nil {
		return c, err
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
	mp, err := parseNum(maxPay)
	if err != nil {
		return c, err
	}
	c.Job = gpumarket.Job{
		ChainID: chainID, ID: jid, Client: toAddr(client), Token: toAddr(token), MaxPayment: mp, Kind: k, State: st,
		Deadline: uint64(max(deadline, 0)), FeeBps: uint16(fee), CreatorShareBps: uint16(share),
		PreferredProvider: toAddr(pref), Creator: toAddr(creator), Price: new(big.Int), AmountDue: new(big.Int),
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

// candidateRow mirrors the columns of the candidates query for
// RowToStructByName.
type candidateRow struct {
	Provider   []byte
	Commitment []byte
	Document   string
	Status     string
	Stake      string
	Active     bool
	Committed  bool
	ChainExp   *time.Time
	Reputation int32
	LatencyMs  int32
	LoadBps    int32
	InFlight   int64
}

// Candidates implements service.Store. Attestation documents are returned
// only when withDocs is set (see Documents for loading changed ones).
func (s *MatcherStore) Candidates(ctx context.Context, chainID uint64, withDocs bool) ([]service.CandidateRow, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT pa.provider, pa.commitment, CASE WHEN $2 THEN pa.document::text ELSE '' END AS document, pa.status,
		       p.stake::text AS stake, p.active,
		       coalesce(p.attestation_hash = pa.commitment, false) AS committed, p.attestation_expiry AS chain_exp,
		       coalesce(r.score, -1) AS reputation, coalesce(r.latency_ms, 0) AS latency_ms, coalesce(h.load_bps, 0) AS load_bps,
		       coalesce(l.offered, 0) + coalesce(run.n, 0) AS in_flight
		FROM provider_attestations pa
		JOIN providers p ON p.chain_id = pa.chain_id AND p.provider = pa.provider
		LEFT JOIN provider_reputation r ON r.chain_id = pa.chain_id AND r.provider = pa.provider
		LEFT JOIN provider_heartbeats h ON h.chain_id = pa.chain_id AND h.provider = pa.provider
		LEFT JOIN matcher_provider_load l ON l.chain_id = pa.chain_id AND l.provider = pa.provider
		LEFT JOIN (SELECT provider, count(*) AS n FROM jobs WHERE chain_id = $1 AND state = 'assigned' GROUP BY provider) run
		       ON run.provider = pa.provider
		WHERE pa.chain_id = $1 AND p.registered
		ORDER BY pa.provider`, int64(chainID), withDocs)
	if err != nil {
		return nil, translate(fmt.Errorf("load candidates: %w", err))
	}
	raw, err := pgx.CollectRows(rows, pgx.RowToStructByName[candidateRow])
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	out := make([]service.CandidateRow, len(raw))
	for i, r := range raw {
		st, err := gpumarket.ParseProviderStatus(r.Status)
		if err != nil {
			return nil, err
		}
		stake, err := parseNum(r.Stake)
		if err != nil {
			return nil, err
		}
		c := service.CandidateRow{
			Provider: toAddr(r.Provider), Status: st, Stake: stake,
			Active: r.Active, ChainCommits: r.Committed, LoadBps: uint32(r.LoadBps), InFlight: uint32(r.InFlight),
			LatencyMs: uint32(r.LatencyMs),
		}
		if r.Document != "" {
			c.Document = []byte(r.Document)
		}
		copy(c.Commitment[:], r.Commitment)
		if r.Reputation >= 0 {
			c.Reputation, c.HasRep = uint32(r.Reputation), true
		}
		if r.ChainExp != nil {
			c.ChainExpiry = *r.ChainExp
		}
		out[i] = c
	}
	return out, nil
}

// Documents implements service.Store: the attestation documents of the
// given providers, by provider.
func (s *MatcherStore) Documents(ctx context.Context, chainID uint64, providers []gpumarket.Address) (map[gpumarket.Address][]byte, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT provider, document::text FROM provider_attestations WHERE chain_id = $1 AND provider = ANY($2::bytea[])`,
		int64(chainID), addrBytes(providers))
	if err != nil {
		return nil, translate(fmt.Errorf("load attestation documents: %w", err))
	}
	out := make(map[gpumarket.Address][]byte, len(providers))
	var p []byte
	var doc string
	_, err = pgx.ForEachRow(rows, []any{&p, &doc}, func() error {
		out[toAddr(p)] = []byte(doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load attestation documents: %w", err)
	}
	return out, nil
}

// Record implements service.Store. It takes two round trips and a commit:
// the first locks the load rows of the offers' providers (address order, so
// that instances cannot deadlock) and reads what they hold; the second marks
// the granted offers' jobs offered where owner still holds their lease,
// inserts those offers (the triggers of migration 00008 count them in
// matcher_provider_load), and reschedules the retries. An offer whose job
// the owner no longer holds is dropped; the slot it was granted stays
// unused in this batch.
func (s *MatcherStore) Record(ctx context.Context, owner string, offers []service.OfferRecord, retries []service.Retry, now time.Time) (service.Recorded, error) {
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
	for _, r := range retries {
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
					UPDATE matcher_jobs m SET status = 'offered', reason = '', decision = u.decision,
					       lease_owner = NULL, lease_expires_at = NULL, updated_at = $11
					FROM unnest($2::numeric[], $12::jsonb[]) AS u(job_id, decision)
					WHERE m.chain_id = $1 AND m.job_id = ANY($2::numeric[]) AND m.job_id = u.job_id
					  AND m.lease_owner = $13 AND m.lease_expires_at > $11 AND m.status = 'pending'
					RETURNING m.job_id
				)
				INSERT INTO assignments (chain_id, job_id, provider, price, expiry, signature, matcher, rank, score, runners_up, instance, created_at)
				SELECT $1, u.job_id, u.provider, u.price, u.expiry, u.sig, u.matcher, u.rank, u.score, u.runners, $13, $11
				FROM unnest($2::numeric[], $3::bytea[], $4::numeric[], $5::timestamptz[], $6::bytea[], $7::bytea[], $8::int[], $9::jsonb[], $10::jsonb[])
				     AS u(job_id, provider, price, expiry, sig, matcher, rank, score, runners)
				JOIN held ON held.job_id = u.job_id
				RETURNING job_id::text`,
				int64(chainID), g.jobIDs, g.provs, g.prices, g.expiries, g.sigs, g.matchers, g.ranks, g.scores, g.runners, now, g.decisions, owner)
		}
		if len(rIDs) > 0 {
			b.Queue(`
				UPDATE matcher_jobs m SET status = u.status, reason = u.reason, next_attempt_at = u.at,
				       decision = coalesce(u.decision, m.decision), lease_owner = NULL, lease_expires_at = NULL, updated_at = $3
				FROM unnest($2::numeric[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[]) AS u(job_id, status, reason, at, decision)
				WHERE m.chain_id = $1 AND m.job_id = ANY($2::numeric[]) AND m.job_id = u.job_id AND m.lease_owner = $8 AND m.lease_expires_at > $3 AND m.status = 'pending'`,
				int64(chainID), rIDs, now, rStatus, rReasons, rAt, rDec, owner)
		}
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
	jobIDs, prices             []string
	provs, sigs, matchers      [][]byte
	expiries                   []time.Time
	ranks                      []int32
	scores, runners, decisions []string
}

func (g *grantedOffers) add(e *encodedOffer, o *service.OfferRecord) {
	m := o.Matcher
	p := o.Provider
	g.jobIDs = append(g.jobIDs, o.JobID.String())
	g.prices = append(g.prices, numStr(o.Price))
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

// StoreSpec implements service.Store. Storing a hash again changes nothing.
func (s *MatcherStore) StoreSpec(ctx context.Context, r service.SpecRecord) error {
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
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
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
func (s *MatcherStore) Spec(ctx context.Context, h gpumarket.Hash) (body []byte, valid bool, reason string, err error) {
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

// Registration returns a provider's registry state from the indexer's
// providers table. It returns ENOTFOUND for a provider the chain does not
// know.
func (s *MatcherStore) Registration(ctx context.Context, chainID uint64, p gpumarket.Address) (service.Registration, error) {
	var r service.Registration
	var signer, commit []byte
	var exp *time.Time
	var stake string
	err := s.db.pool.QueryRow(ctx, `
		SELECT signer, attestation_hash, attestation_expiry, registered, active, stake::text
		FROM providers WHERE chain_id = $1 AND provider = $2`, int64(chainID), p[:]).
		Scan(&signer, &commit, &exp, &r.Registered, &r.Active, &stake)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return r, gpumarket.Errorf(gpumarket.ENOTFOUND, "provider %s is not registered on chain %d", p, chainID)
		}
		return r, translate(fmt.Errorf("read registration of %s: %w", p, err))
	}
	r.Provider, r.Signer = p, toAddr(signer)
	copy(r.Commitment[:], commit)
	if exp != nil {
		r.Expiry = *exp
	}
	r.Stake, err = parseNum(stake)
	return r, err
}

// SaveAttestation stores an accepted attestation as the provider's current
// one (keeping its status; a new provider starts offline), and flags and
// suspends every provider whose fingerprint it shares with another
// provider, recording the transitions. It returns the flagged providers.
func (s *MatcherStore) SaveAttestation(ctx context.Context, r service.AttestationRecord, now time.Time) ([]gpumarket.Address, error) {
	a := r.Attestation
	var kinds, models []string
	for _, c := range a.Capabilities {
		kinds = append(kinds, c.Kind.String())
		models = append(models, c.Models...)
	}
	var flagged []gpumarket.Address
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		flagged = flagged[:0]
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_attestations (chain_id, provider, commitment, document, signature, signer, fingerprint,
			    slots, vram_mib, gpu_count, region, capabilities, models, issued_at, expires_at, accepted_at)
			VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, to_timestamp($14), to_timestamp($15), $16)
			ON CONFLICT (chain_id, provider) DO UPDATE SET
			    commitment = EXCLUDED.commitment, document = EXCLUDED.document, signature = EXCLUDED.signature,
			    signer = EXCLUDED.signer, fingerprint = EXCLUDED.fingerprint, slots = EXCLUDED.slots,
			    vram_mib = EXCLUDED.vram_mib, gpu_count = EXCLUDED.gpu_count, region = EXCLUDED.region,
			    capabilities = EXCLUDED.capabilities, models = EXCLUDED.models, issued_at = EXCLUDED.issued_at,
			    expires_at = EXCLUDED.expires_at, accepted_at = EXCLUDED.accepted_at`,
			int64(r.ChainID), a.Provider[:], r.Commitment[:], string(r.Document), r.Signature, r.Signer[:], r.Fingerprint[:],
			int32(a.Slots), int32(a.VRAMMiB), int32(a.GPUCount), a.Region, kinds, models, a.IssuedAt, a.ExpiresAt, now); err != nil {
			return fmt.Errorf("upsert attestation: %w", err)
		}
		rows, err := tx.Query(ctx, `
			SELECT provider, status FROM provider_attestations
			WHERE chain_id = $1 AND fingerprint = $2 ORDER BY provider FOR UPDATE`, int64(r.ChainID), r.Fingerprint[:])
		if err != nil {
			return fmt.Errorf("find fingerprint holders: %w", err)
		}
		type holder struct {
			Provider []byte
			Status   string
		}
		hs, err := pgx.CollectRows(rows, pgx.RowToStructByName[holder])
		if err != nil {
			return fmt.Errorf("find fingerprint holders: %w", err)
		}
		if len(hs) < 2 {
			return nil
		}
		for _, h := range hs {
			p := toAddr(h.Provider)
			flagged = append(flagged, p)
			reason := "hardware fingerprint " + r.Fingerprint.String() + " shared by " + strconv.Itoa(len(hs)) + " providers"
			if _, err := tx.Exec(ctx, `
				UPDATE provider_attestations SET fingerprint_flagged = true, status = 'suspended', status_reason = $3
				WHERE chain_id = $1 AND provider = $2`, int64(r.ChainID), h.Provider, reason); err != nil {
				return fmt.Errorf("flag %s: %w", p, err)
			}
			if h.Status != "suspended" {
				if err := insertTransition(ctx, tx, r.ChainID, p, h.Status, "suspended", reason, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return flagged, nil
}

func insertTransition(ctx context.Context, tx pgx.Tx, chainID uint64, p gpumarket.Address, from, to, reason string, at time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO provider_status_transitions (chain_id, provider, from_status, to_status, reason, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, int64(chainID), p[:], from, to, reason, at)
	if err != nil {
		return fmt.Errorf("record transition of %s %s→%s: %w", p, from, to, err)
	}
	return nil
}

// SaveHeartbeat stores a verified, fresh heartbeat and moves the provider
// online (free slots) or busy (none), unless it is suspended. It returns
// ENOTFOUND when the provider has no accepted attestation and EUNAUTHORIZED
// for a replay (sequence not above the stored one); nothing changes then.
// It returns the new status.
func (s *MatcherStore) SaveHeartbeat(ctx context.Context, r service.HeartbeatRecord, now time.Time) (gpumarket.ProviderStatus, error) {
	h := r.Heartbeat
	var out gpumarket.ProviderStatus
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM provider_attestations WHERE chain_id = $1 AND provider = $2 FOR UPDATE`,
			int64(r.ChainID), h.Provider[:]).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return gpumarket.Errorf(gpumarket.ENOTFOUND, "provider %s has no accepted attestation: submit one first", h.Provider)
		}
		if err != nil {
			return fmt.Errorf("lock provider: %w", err)
		}
		var last string
		err = tx.QueryRow(ctx, `SELECT sequence::text FROM provider_heartbeats WHERE chain_id = $1 AND provider = $2`,
			int64(r.ChainID), h.Provider[:]).Scan(&last)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read last heartbeat: %w", err)
		}
		if err == nil {
			seq, perr := strconv.ParseUint(last, 10, 64)
			if perr != nil {
				return fmt.Errorf("stored sequence %q: %w", last, perr)
			}
			if h.Sequence <= seq {
				return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat sequence %d is not above the last accepted %d (replay)", h.Sequence, seq)
			}
		}
		var qd *int32
		if h.QueueDepth != nil {
			v := int32(min(*h.QueueDepth, 1<<31-1))
			qd = &v
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_heartbeats (chain_id, provider, sequence, sent_at, received_at, free_slots, load_bps, queue_depth, signature)
			VALUES ($1, $2, $3::numeric, to_timestamp($4), $5, $6, $7, $8, $9)
			ON CONFLICT (chain_id, provider) DO UPDATE SET sequence = EXCLUDED.sequence, sent_at = EXCLUDED.sent_at,
			    received_at = EXCLUDED.received_at, free_slots = EXCLUDED.free_slots, load_bps = EXCLUDED.load_bps,
			    queue_depth = EXCLUDED.queue_depth, signature = EXCLUDED.signature`,
			int64(r.ChainID), h.Provider[:], strconv.FormatUint(h.Sequence, 10), h.Timestamp, now,
			int32(h.FreeSlots), int32(h.LoadBps), qd, r.Signature); err != nil {
			return fmt.Errorf("store heartbeat: %w", err)
		}
		cur, err := gpumarket.ParseProviderStatus(status)
		if err != nil {
			return err
		}
		next := gpumarket.ProviderOnline
		if h.FreeSlots == 0 {
			next = gpumarket.ProviderBusy
		}
		out = cur
		if cur == gpumarket.ProviderSuspended || cur == next || !cur.CanMoveTo(next) {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE provider_attestations SET status = $3, status_reason = 'heartbeat' WHERE chain_id = $1 AND provider = $2`,
			int64(r.ChainID), h.Provider[:], next.String()); err != nil {
			return fmt.Errorf("update status: %w", err)
		}
		out = next
		return insertTransition(ctx, tx, r.ChainID, h.Provider, cur.String(), next.String(), "heartbeat", now)
	})
	if err != nil {
		return out, translate(err)
	}
	return out, nil
}

// MarkOffline moves every online or busy provider whose last heartbeat was
// received before cutoff (or that never sent one) offline, recording the
// transitions, and returns how many moved.
func (s *MatcherStore) MarkOffline(ctx context.Context, chainID uint64, cutoff, now time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			WITH moved AS (
				UPDATE provider_attestations pa SET status = 'offline', status_reason = 'missed heartbeats'
				FROM provider_attestations old
				LEFT JOIN provider_heartbeats h ON h.chain_id = old.chain_id AND h.provider = old.provider
				WHERE pa.chain_id = $1 AND old.chain_id = pa.chain_id AND old.provider = pa.provider
				  AND pa.status IN ('online', 'busy') AND (h.received_at IS NULL OR h.received_at < $2)
				RETURNING pa.provider, old.status AS from_status
			)
			INSERT INTO provider_status_transitions (chain_id, provider, from_status, to_status, reason, at)
			SELECT $1, provider, from_status, 'offline', 'missed heartbeats', $3 FROM moved`,
			int64(chainID), cutoff, now)
		if err != nil {
			return fmt.Errorf("mark offline: %w", err)
		}
		n = tag.RowsAffected()
		return nil
	})
	return n, translate(err)
}

// PendingAssignments returns the live offers of provider p (state offered,
// unexpired at now), oldest first, at most limit.
func (s *MatcherStore) PendingAssignments(ctx context.Context, chainID uint64, p gpumarket.Address, now time.Time, limit int) ([]service.AssignmentView, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT job_id::text, provider, price::text, extract(epoch FROM expiry)::bigint, signature, matcher, state, rank, score, created_at
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
	var score, runners []byte
	dest := []any{&v.JobID, &prov, &v.Price, &v.Expiry, &sig, &m, &v.State, &rank, &score, &v.CreatedAt}
	if withRunners {
		dest = append(dest, &runners)
	}
	if err := r.Scan(dest...); err != nil {
		return v, err
	}
	v.ChainID, v.Provider, v.Matcher, v.Rank = chainID, toAddr(prov), toAddr(m), int(rank)
	v.Signature = "0x" + fmt.Sprintf("%x", sig)
	v.Score = json.RawMessage(score)
	if withRunners {
		v.RunnersUp = json.RawMessage(runners)
	}
	return v, nil
}

// Job returns a job's chain state, matching state and every assignment with
// its explanation. It returns ENOTFOUND when the indexer has no such job.
func (s *MatcherStore) Job(ctx context.Context, chainID uint64, id gpumarket.JobID) (service.JobView, error) {
	v := service.JobView{ChainID: chainID, JobID: id.String()}
	var client, token, spec, prov []byte
	c := &v.Chain
	err := s.db.pool.QueryRow(ctx, `
		SELECT state, kind, client, token, max_payment::text, deadline, spec_hash, spec_uri, provider, price::text, last_block, finalized
		FROM jobs WHERE chain_id = $1 AND job_id = $2::numeric`, int64(chainID), id.String()).
		Scan(&c.State, &c.Kind, &client, &token, &c.MaxPayment, &c.Deadline, &spec, &c.SpecURI, &prov, &c.Price, &c.LastBlock, &c.Finalized)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return v, gpumarket.Errorf(gpumarket.ENOTFOUND, "job %d/%d is not indexed", chainID, id)
		}
		return v, translate(fmt.Errorf("read job %d/%d: %w", chainID, id, err))
	}
	c.Client, c.Token = toAddr(client), toAddr(token)
	copy(c.SpecHash[:], spec)
	if prov != nil {
		p := toAddr(prov)
		c.Provider = &p
	}
	var m service.MatchingView
	var dec []byte
	var attempts int32
	err = s.db.pool.QueryRow(ctx, `SELECT status, reason, attempts, decision, updated_at FROM matcher_jobs WHERE chain_id = $1 AND job_id = $2::numeric`,
		int64(chainID), id.String()).Scan(&m.Status, &m.Reason, &attempts, &dec, &m.Updated)
	switch {
	case err == nil:
		m.Attempts, m.Decision = int(attempts), json.RawMessage(dec)
		v.Matching = &m
	case !errors.Is(err, pgx.ErrNoRows):
		return v, translate(fmt.Errorf("read matching state of %d/%d: %w", chainID, id, err))
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT job_id::text, provider, price::text, extract(epoch FROM expiry)::bigint, signature, matcher, state, rank, score, created_at, runners_up
		FROM assignments WHERE chain_id = $1 AND job_id = $2::numeric ORDER BY id`, int64(chainID), id.String())
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

type providerRow struct {
	Provider     []byte
	Status       string
	Flagged      bool
	GPUModel     string
	GPUCount     int32
	VRAMMiB      int32
	Region       string
	Slots        int32
	Capabilities []string
	Models       []string
	ExpiresAt    time.Time
	Stake        string
	Reputation   *int32
}

// Providers lists providers with an accepted attestation matching f, in
// address order after f.After, at most f.Limit. Filters are parameters,
// never SQL text.
func (s *MatcherStore) Providers(ctx context.Context, f service.ProviderFilter) ([]service.ProviderView, error) {
	var after []byte
	if f.HasAfter {
		after = f.After[:]
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT pa.provider, pa.status, pa.fingerprint_flagged AS flagged, pa.document->>'gpu_model' AS gpu_model,
		       pa.gpu_count, pa.vram_mib, pa.region, pa.slots, pa.capabilities, pa.models, pa.expires_at,
		       p.stake::text AS stake, r.score AS reputation
		FROM provider_attestations pa
		JOIN providers p ON p.chain_id = pa.chain_id AND p.provider = pa.provider
		LEFT JOIN provider_reputation r ON r.chain_id = pa.chain_id AND r.provider = pa.provider
		WHERE pa.chain_id = $1
		  AND ($2 = '' OR $2 = ANY(pa.capabilities))
		  AND ($3 = '' OR $3 = ANY(pa.models))
		  AND pa.vram_mib >= $4
		  AND ($5 = '' OR pa.region = $5)
		  AND ($6::bytea IS NULL OR pa.provider > $6)
		ORDER BY pa.provider
		LIMIT $7`, int64(f.ChainID), f.Capability, f.Model, int32(f.MinVRAMMiB), f.Region, after, f.Limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list providers: %w", err))
	}
	raw, err := pgx.CollectRows(rows, pgx.RowToStructByName[providerRow])
	if err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	out := make([]service.ProviderView, len(raw))
	for i, r := range raw {
		out[i] = service.ProviderView{
			Provider: toAddr(r.Provider), Status: r.Status, Flagged: r.Flagged, GPUModel: r.GPUModel,
			GPUCount: int(r.GPUCount), VRAMMiB: int(r.VRAMMiB), Region: r.Region, Slots: int(r.Slots),
			Capabilities: r.Capabilities, Models: r.Models, ExpiresAt: r.ExpiresAt.UTC(), Stake: r.Stake,
		}
		if r.Reputation != nil {
			v := int(*r.Reputation)
			out[i].Reputation = &v
		}
	}
	return out, nil
}

// Settlements returns the jobs of chainID settled at or after since, with
// the provider's attested VRAM (for the GPU class).
func (s *MatcherStore) Settlements(ctx context.Context, chainID uint64, since time.Time) ([]service.SettlementRow, error) {
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
		if v.AmountDue, err = parseNum(amt); err != nil {
			return v, err
		}
		if v.Units1, err = strconv.ParseUint(u1, 10, 64); err != nil {
			return v, err
		}
		if v.Units2, err = strconv.ParseUint(u2, 10, 64); err != nil {
			return v, err
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
func (s *MatcherStore) SaveSnapshots(ctx context.Context, snaps []service.Snapshot) error {
	if len(snaps) == 0 {
		return nil
	}
	return translate(pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		for _, sn := range snaps {
			r := sn.Rate
			detail, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO oracle_snapshots (kind, unit, gpu_class, token, fair_rate, band_low, band_high, providers, settlements, detail, computed_at)
				VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, $7::numeric, $8, $9, $10::jsonb, $11)`,
				r.Key.Kind.String(), string(r.Key.Unit), string(r.Key.Class), sn.Token[:], numStr(r.Fair), numStr(r.Low), numStr(r.High),
				r.Providers, r.Settlements, string(detail), sn.ComputedAt); err != nil {
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
	err := r.Scan(&v.Kind, &v.Unit, &v.Class, &tok, &v.Fair, &v.Low, &v.High, &prov, &sett, &v.ComputedAt)
	v.Token, v.Providers, v.Settlements = toAddr(tok), int(prov), int(sett)
	v.ComputedAt = v.ComputedAt.UTC()
	return v, err
}

// LatestRates returns the latest snapshot of every (kind, unit, class,
// token), optionally restricted to kind ("" for all).
func (s *MatcherStore) LatestRates(ctx context.Context, kind string) ([]service.RateView, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT DISTINCT ON (kind, unit, gpu_class, token)
		       kind, unit, gpu_class, token, fair_rate::text, band_low::text, band_high::text, providers, settlements, computed_at
		FROM oracle_snapshots WHERE ($1 = '' OR kind = $1)
		ORDER BY kind, unit, gpu_class, token, computed_at DESC, id DESC`, kind)
	if err != nil {
		return nil, translate(fmt.Errorf("latest rates: %w", err))
	}
	out, err := pgx.CollectRows(rows, scanRate)
	if err != nil {
		return nil, fmt.Errorf("latest rates: %w", err)
	}
	return out, nil
}

// RateHistory returns the snapshots of one rate key, newest first, at most
// limit.
func (s *MatcherStore) RateHistory(ctx context.Context, kind, unit, class string, limit int) ([]service.RateView, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT kind, unit, gpu_class, token, fair_rate::text, band_low::text, band_high::text, providers, settlements, computed_at
		FROM oracle_snapshots WHERE kind = $1 AND unit = $2 AND gpu_class = $3
		ORDER BY computed_at DESC, id DESC LIMIT $4`, kind, unit, class, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("rate history: %w", err))
	}
	out, err := pgx.CollectRows(rows, scanRate)
	if err != nil {
		return nil, fmt.Errorf("rate history: %w", err)
	}
	return out, nil
}

// Exec runs one parameterized statement outside the matcher's own
// operations and returns the rows it affected. It exists for fixtures in
// tests and for operators' scripts (the indexer's tables are written by the
// indexer in production).
func (s *MatcherStore) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, sql, args...)
	if err != nil {
		return 0, translate(fmt.Errorf("exec: %w", err))
	}
	return tag.RowsAffected(), nil
}

// QueryRow runs one parameterized query and scans its single row into dest.
// Like Exec it is for tests and operators.
func (s *MatcherStore) QueryRow(ctx context.Context, sql string, args []any, dest ...any) error {
	if err := s.db.pool.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		return translate(fmt.Errorf("query: %w", err))
	}
	return nil
}

// reputationSQL computes matcher.Reputation for every provider of a chain
// in integers, exactly as the Go function does:
//   - completed: settled, and not a lost dispute; time to result =
//     submitted_at − assigned_at, at settled_at;
//   - missed deadline: refunded after acceptance (provider set), at refunded_at;
//   - dispute lost: disputed and settled with stake slashed, at settled_at;
//   - offer missed: an expired assignment, at its expiry, weight / 4.
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
func (s *MatcherStore) RecomputeReputation(ctx context.Context, chainID uint64, now time.Time, p matcher.ReputationParams) (int64, error) {
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
func (s *MatcherStore) Reputation(ctx context.Context, chainID uint64, p gpumarket.Address) (matcher.ReputationScore, error) {
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

// Listen subscribes to channel (LISTEN) on a dedicated connection and calls
// fn with each notification's payload until ctx ends (then it returns nil)
// or the connection fails (then it returns the error; callers poll and
// retry).
func (db *DB) Listen(ctx context.Context, channel string, fn func(payload []byte)) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return translate(fmt.Errorf("listen %s: acquire connection: %w", channel, err))
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return translate(fmt.Errorf("listen %s: %w", channel, err))
	}
	defer func() {
		// The connection returns to the pool: stop listening first.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_, _ = conn.Exec(uctx, "UNLISTEN *")
	}()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("listen %s: %w", channel, err)
		}
		fn([]byte(n.Payload))
	}
}

var (
	_ service.APIStore   = (*MatcherStore)(nil)
	_ service.Maintainer = (*MatcherStore)(nil)
	_ service.Notifier   = (*DB)(nil)
)
