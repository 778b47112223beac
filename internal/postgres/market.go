package postgres

// Market-wide reads of one chain's mirror, for progress lines and end-state
// checks (the demo's report, operators' checks): typed answers instead of
// raw SQL outside this package.

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/gpumarket/gpumarket"
)

// JobStateCount is how many jobs are in one state.
type JobStateCount struct {
	State gpumarket.JobState
	Jobs  int64
}

// MarketProgress is a snapshot of one chain's market as the mirror holds it.
type MarketProgress struct {
	Jobs             []JobStateCount // states that have jobs, in lifecycle (enum) order
	ProvidersOnline  int64           // providers whose status is online or busy
	Escrowed         *big.Int        // max_payment of the jobs not yet closed
	ProtocolFees     *big.Int        // paid to the treasury so far
	ProviderEarnings *big.Int        // paid to providers so far
	Block            uint64          // the indexer's cursor; 0 before its first commit
}

// Progress returns the market's current snapshot in one statement.
func (c *ChainState) Progress(ctx context.Context) (MarketProgress, error) {
	var (
		p                       MarketProgress
		states                  []string
		counts                  []int64
		escrow, fees, providers string
		block                   int64
	)
	err := c.db.pool.QueryRow(ctx, `SELECT
		(SELECT coalesce(array_agg(state ORDER BY state), '{}') FROM (SELECT DISTINCT state FROM jobs WHERE chain_id = $1) s),
		(SELECT coalesce(array_agg(n ORDER BY state), '{}') FROM (SELECT state, count(*) AS n FROM jobs WHERE chain_id = $1 GROUP BY state) s),
		(SELECT count(*) FROM provider_attestations WHERE chain_id = $1 AND status IN ('online', 'busy')),
		(SELECT coalesce(sum(max_payment), 0)::text FROM jobs WHERE chain_id = $1 AND state IN ('open','assigned','submitted','disputed')),
		(SELECT coalesce(sum(protocol_fee), 0)::text FROM jobs WHERE chain_id = $1),
		(SELECT coalesce(sum(provider_amount), 0)::text FROM jobs WHERE chain_id = $1),
		coalesce((SELECT block_number FROM indexer_cursors WHERE chain_id = $1), 0)`, int64(c.chainID)).
		Scan(&states, &counts, &p.ProvidersOnline, &escrow, &fees, &providers, &block)
	if err != nil {
		return p, translate(fmt.Errorf("read market progress: %w", err))
	}
	if len(states) != len(counts) {
		return p, fmt.Errorf("read market progress: %d states but %d counts", len(states), len(counts))
	}
	for i, name := range states {
		st, err := gpumarket.ParseJobState(name)
		if err != nil {
			return p, fmt.Errorf("read market progress: %w", err)
		}
		p.Jobs = append(p.Jobs, JobStateCount{State: st, Jobs: counts[i]})
	}
	slices.SortFunc(p.Jobs, func(a, b JobStateCount) int { return int(a.State) - int(b.State) })
	var d numericDecoder
	p.Escrowed, p.ProtocolFees = d.required("sum(jobs.max_payment)", &escrow), d.required("sum(jobs.protocol_fee)", &fees)
	p.ProviderEarnings = d.required("sum(jobs.provider_amount)", &providers)
	if d.err != nil {
		return p, fmt.Errorf("read market progress: %w", d.err)
	}
	p.Block = uint64(max(block, 0))
	return p, nil
}

// JobSplit is how a job's escrow was released, as the mirror's payout
// columns hold it (0 where nothing was paid).
type JobSplit struct {
	ProtocolFee    gpumarket.Amount
	CreatorAmount  gpumarket.Amount
	ProviderAmount gpumarket.Amount
	ClientRefund   gpumarket.Amount
}

// JobSplit returns job id's payout split, or an ENOTFOUND error.
func (c *ChainState) JobSplit(ctx context.Context, id gpumarket.JobID) (JobSplit, error) {
	var s JobSplit
	var fee, creator, provider, refund string
	err := c.db.pool.QueryRow(ctx, `SELECT coalesce(protocol_fee, 0)::text, coalesce(creator_amount, 0)::text,
			coalesce(provider_amount, 0)::text, coalesce(client_refund, 0)::text
		FROM jobs WHERE chain_id = $1 AND job_id = $2::numeric`, int64(c.chainID), id.String()).Scan(&fee, &creator, &provider, &refund)
	if err != nil {
		return s, translate(fmt.Errorf("read the split of job %d: %w", id, err))
	}
	var d numericDecoder
	s.ProtocolFee, s.CreatorAmount = d.amount("jobs.protocol_fee", &fee), d.amount("jobs.creator_amount", &creator)
	s.ProviderAmount, s.ClientRefund = d.amount("jobs.provider_amount", &provider), d.amount("jobs.client_refund", &refund)
	if d.err != nil {
		return s, fmt.Errorf("read the split of job %d: %w", id, d.err)
	}
	return s, nil
}

// MarketplaceOwed returns what the marketplace owes account in token
// according to v_balances_owed (0 when nothing).
func (c *ChainState) MarketplaceOwed(ctx context.Context, account, token gpumarket.Address) (*big.Int, error) {
	var owed string
	err := c.db.pool.QueryRow(ctx, `SELECT coalesce(sum(owed), 0)::text FROM v_balances_owed
		WHERE chain_id = $1 AND ledger = 'marketplace' AND account = gm_hex($2::bytea) AND token = gm_hex($3::bytea)`,
		int64(c.chainID), account[:], token[:]).Scan(&owed)
	if err != nil {
		return nil, translate(fmt.Errorf("read v_balances_owed of %s: %w", account, err))
	}
	v, err := decodeRequired("v_balances_owed.owed", &owed)
	if err != nil {
		return nil, fmt.Errorf("read v_balances_owed of %s: %w", account, err)
	}
	return v, nil
}

// ReorgSummary is what the indexer recorded of the chain's reorganizations.
type ReorgSummary struct {
	Reorgs      int64 // reorganizations seen
	LogsRemoved int64 // logs rolled back by them
}

// Reorgs returns the reorganizations the indexer recorded.
func (c *ChainState) Reorgs(ctx context.Context) (ReorgSummary, error) {
	var r ReorgSummary
	err := c.db.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(logs_removed), 0) FROM indexer_reorgs WHERE chain_id = $1`,
		int64(c.chainID)).Scan(&r.Reorgs, &r.LogsRemoved)
	if err != nil {
		return r, translate(fmt.Errorf("read reorgs: %w", err))
	}
	return r, nil
}

// OrphanJobRows counts the mirror's inconsistencies between jobs and
// job_events: events of jobs without a row plus jobs without a JobCreated
// event. It is 0 in a consistent mirror.
func (c *ChainState) OrphanJobRows(ctx context.Context) (int64, error) {
	return c.count(ctx, "count orphan job rows", `SELECT
		(SELECT count(*) FROM job_events e WHERE e.chain_id = $1 AND NOT EXISTS
			(SELECT 1 FROM jobs j WHERE j.chain_id = e.chain_id AND j.job_id = e.job_id)) +
		(SELECT count(*) FROM jobs j WHERE j.chain_id = $1 AND NOT EXISTS
			(SELECT 1 FROM job_events e WHERE e.chain_id = j.chain_id AND e.job_id = j.job_id AND e.event_name = 'JobCreated'))`)
}

// CountJobs returns how many jobs are in any of states.
func (c *ChainState) CountJobs(ctx context.Context, states ...gpumarket.JobState) (int64, error) {
	return c.count(ctx, fmt.Sprintf("count jobs in %v", states),
		`SELECT count(*) FROM jobs WHERE chain_id = $1 AND state = ANY($2)`, names(states))
}

// CountProviders returns how many providers with an accepted attestation
// have any of statuses (the matcher's liveness status).
func (c *ChainState) CountProviders(ctx context.Context, statuses ...gpumarket.ProviderStatus) (int64, error) {
	return c.count(ctx, fmt.Sprintf("count providers in %v", statuses),
		`SELECT count(*) FROM provider_attestations WHERE chain_id = $1 AND status = ANY($2)`, names(statuses))
}

// count runs a query that counts rows of the chain, $1 being its id and
// args the parameters from $2 on; op names it in errors.
func (c *ChainState) count(ctx context.Context, op, query string, args ...any) (int64, error) {
	var n int64
	if err := c.db.pool.QueryRow(ctx, query, append([]any{int64(c.chainID)}, args...)...).Scan(&n); err != nil {
		return 0, translate(fmt.Errorf("%s: %w", op, err))
	}
	return n, nil
}

// names returns the String of each value, for a text[] parameter.
func names[S fmt.Stringer](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v.String()
	}
	return out
}

// JobBySpec returns the id of the lowest-numbered job whose spec hash is
// spec, or an ENOTFOUND error when the mirror has none.
func (c *ChainState) JobBySpec(ctx context.Context, spec gpumarket.Hash) (gpumarket.JobID, error) {
	var id string
	err := c.db.pool.QueryRow(ctx, `SELECT job_id::text FROM jobs WHERE chain_id = $1 AND spec_hash = $2 ORDER BY job_id LIMIT 1`,
		int64(c.chainID), spec[:]).Scan(&id)
	if err != nil {
		return 0, translate(fmt.Errorf("find the job of spec %s: %w", spec, err))
	}
	return gpumarket.ParseJobID(id)
}
