package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
)

// ChainState reads the chain mirror the indexer writes: jobs and providers
// as current state. Its JobRecords hold the contract's Job struct exactly.
type ChainState struct {
	db      *DB
	chainID uint64
}

// NewChainState returns a reader of chain chainID's mirror.
func NewChainState(db *DB, chainID uint64) *ChainState { return &ChainState{db: db, chainID: chainID} }

const jobSelect = `SELECT job_id::text, client, token, max_payment::text, kind, state, deadline, fee_bps, creator_share_bps,
	preferred_provider, creator, spec_hash, spec_uri_raw, order_nonce::text, provider, price::text, amount_due::text, challenge_end, disputed_at,
	signer, matcher, result_hash, result_uri_raw, usage_units::text, usage_extra_units::text, refund::text, slashed::text, closed_by,
	created_at, assigned_at, submitted_at, settled_at, last_block,
	treasury, dispute_bond::text, reserved_stake::text, bond_to_provider::text, bond_to_client::text
	FROM jobs`

func scanJob(row pgx.CollectableRow) (*gpumarket.JobRecord, error) {
	var (
		r                                                       gpumarket.JobRecord
		id, maxPay, kind, state, price, due                     string
		deadline                                                time.Time
		feeBps, creatorBps                                      int32
		client, token, specHash                                 []byte
		preferred, creator, provider, signer, matcher, closedBy []byte
		resultHash, specURI, resultURI                          []byte
		orderNonce, units, extra, refund, slashed               *string
		challengeEnd, disputedAt, created, assigned, submitted  *time.Time
		settled                                                 *time.Time
		lastBlock                                               int64
		treasury                                                []byte
		bond                                                    string
		reserved, bondToProvider, bondToClient                  *string
	)
	if err := row.Scan(&id, &client, &token, &maxPay, &kind, &state, &deadline, &feeBps, &creatorBps, &preferred, &creator, &specHash,
		&specURI, &orderNonce, &provider, &price, &due, &challengeEnd, &disputedAt, &signer, &matcher, &resultHash, &resultURI,
		&units, &extra, &refund, &slashed, &closedBy, &created, &assigned, &submitted, &settled, &lastBlock,
		&treasury, &bond, &reserved, &bondToProvider, &bondToClient); err != nil {
		return nil, err
	}
	var err error
	if r.ID, err = gpumarket.ParseJobID(id); err != nil {
		return nil, err
	}
	if r.Kind, err = gpumarket.ParseJobKind(kind); err != nil {
		return nil, err
	}
	if r.State, err = gpumarket.ParseJobState(state); err != nil {
		return nil, err
	}
	r.Client, r.Token, r.SpecHash = gpumarket.Address(client), gpumarket.Address(token), gpumarket.Hash(specHash)
	r.PreferredProvider, r.Creator, r.Provider = addrOrZero(preferred), addrOrZero(creator), addrOrZero(provider)
	r.Signer, r.Matcher, r.ClosedBy, r.Treasury = addrOrZero(signer), addrOrZero(matcher), addrOrZero(closedBy), addrOrZero(treasury)
	if resultHash != nil {
		r.ResultHash = gpumarket.Hash(resultHash)
	}
	var d numericDecoder
	r.MaxPayment, r.Price, r.AmountDue = d.required("jobs.max_payment", &maxPay), d.required("jobs.price", &price), d.required("jobs.amount_due", &due)
	r.OrderNonce, r.Refund, r.Slashed = d.nullable("jobs.order_nonce", orderNonce), d.nullable("jobs.refund", refund), d.nullable("jobs.slashed", slashed)
	r.DisputeBond, r.ReservedStake = d.required("jobs.dispute_bond", &bond), d.nullable("jobs.reserved_stake", reserved)
	r.BondToProvider, r.BondToClient = d.nullable("jobs.bond_to_provider", bondToProvider), d.nullable("jobs.bond_to_client", bondToClient)
	r.Deadline, r.FeeBps, r.CreatorShareBps = uint64(deadline.Unix()), uint16(feeBps), uint16(creatorBps)
	r.ChallengeEnd, r.DisputedAt = unixOf(challengeEnd), unixOf(disputedAt)
	r.CreatedAt, r.AssignedAt, r.SubmittedAt, r.SettledAt = unixOf(created), unixOf(assigned), unixOf(submitted), unixOf(settled)
	r.SpecURI, r.ResultURI = gpumarket.ChainString(specURI), gpumarket.ChainString(resultURI)
	if units != nil {
		r.Usage.Units1, r.Usage.Units2 = d.uint64("jobs.usage_units", units), d.uint64("jobs.usage_extra_units", extra)
	}
	if d.err != nil {
		return nil, fmt.Errorf("read job %s: %w", id, d.err)
	}
	r.LastBlock = uint64(lastBlock)
	return &r, nil
}

// Job returns job id, or an ENOTFOUND error.
func (c *ChainState) Job(ctx context.Context, id gpumarket.JobID) (*gpumarket.JobRecord, error) {
	rows, err := c.db.pool.Query(ctx, jobSelect+` WHERE chain_id = $1 AND job_id = $2`, int64(c.chainID), id.String())
	if err != nil {
		return nil, fmt.Errorf("read job %d: %w", id, err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanJob)
	if err != nil {
		return nil, translate(fmt.Errorf("read job %d: %w", id, err))
	}
	r.ChainID = c.chainID
	return r, nil
}

// Jobs returns every job of the chain, by id.
func (c *ChainState) Jobs(ctx context.Context) ([]*gpumarket.JobRecord, error) {
	return c.jobs(ctx, jobSelect+` WHERE chain_id = $1 ORDER BY job_id`, int64(c.chainID))
}

// ProviderJobs returns the provider's jobs in the given states, by id.
func (c *ChainState) ProviderJobs(ctx context.Context, provider gpumarket.Address, states ...gpumarket.JobState) ([]*gpumarket.JobRecord, error) {
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = s.String()
	}
	return c.jobs(ctx, jobSelect+` WHERE chain_id = $1 AND provider = $2 AND state = ANY($3) ORDER BY job_id`, int64(c.chainID), provider[:], names)
}

func (c *ChainState) jobs(ctx context.Context, sql string, args ...any) ([]*gpumarket.JobRecord, error) {
	rows, err := c.db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("read jobs: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("read jobs: %w", err)
	}
	for _, r := range out {
		r.ChainID = c.chainID
	}
	return out, nil
}

// Provider returns a provider's registry state, or an ENOTFOUND error.
func (c *ChainState) Provider(ctx context.Context, provider gpumarket.Address) (*gpumarket.ProviderRecord, error) {
	var (
		r                             = gpumarket.ProviderRecord{ChainID: c.chainID, Provider: provider}
		signer, attHash, metadataURI  []byte
		expiry, readyAt, registeredAt *time.Time
		stake, unbonding, slashed     string
		reserved                      string
		lastBlock                     int64
	)
	err := c.db.pool.QueryRow(ctx, `SELECT signer, attestation_hash, attestation_expiry, metadata_uri_raw, registered, active, stake::text,
		unbonding::text, unbonding_ready_at, slashed_total::text, registered_at, last_block, reserved_stake::text
		FROM providers WHERE chain_id = $1 AND provider = $2`,
		int64(c.chainID), provider[:]).Scan(&signer, &attHash, &expiry, &metadataURI, &r.Registered, &r.Active, &stake, &unbonding,
		&readyAt, &slashed, &registeredAt, &lastBlock, &reserved)
	if err != nil {
		return nil, translate(fmt.Errorf("read provider %s: %w", provider, err))
	}
	r.Signer, r.MetadataURI = addrOrZero(signer), gpumarket.ChainString(metadataURI)
	if attHash != nil {
		r.AttestationHash = gpumarket.Hash(attHash)
	}
	r.AttestationExpiry, r.UnbondingReadyAt, r.RegisteredAt = unixOf(expiry), unixOf(readyAt), unixOf(registeredAt)
	var d numericDecoder
	r.Stake, r.Unbonding, r.SlashedTotal = d.required("providers.stake", &stake), d.required("providers.unbonding", &unbonding),
		d.required("providers.slashed_total", &slashed)
	r.Reserved = d.required("providers.reserved_stake", &reserved)
	if d.err != nil {
		return nil, fmt.Errorf("read provider %s: %w", provider, d.err)
	}
	r.LastBlock = uint64(lastBlock)
	return &r, nil
}

func addrOrZero(b []byte) gpumarket.Address {
	var a gpumarket.Address
	copy(a[:], b)
	return a
}

func unixOf(t *time.Time) uint64 {
	if t == nil {
		return 0
	}
	return uint64(t.Unix())
}

// OrphanEvents counts the chain's decoded events (job_events,
// provider_events, market_events) whose raw log is not in logs. The
// indexer writes an event only with its log and a deleted log takes its
// events with it (the trigger of migration 00023), so it is always 0;
// tests check it after reorgs.
func (c *ChainState) OrphanEvents(ctx context.Context) (int64, error) {
	var n int64
	err := c.db.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM job_events e WHERE e.chain_id = $1 AND NOT EXISTS (
		            SELECT 1 FROM logs l WHERE l.chain_id = e.chain_id AND l.block_hash = e.block_hash AND l.log_index = e.log_index))
		     + (SELECT count(*) FROM provider_events e WHERE e.chain_id = $1 AND NOT EXISTS (
		            SELECT 1 FROM logs l WHERE l.chain_id = e.chain_id AND l.block_hash = e.block_hash AND l.log_index = e.log_index))
		     + (SELECT count(*) FROM market_events e WHERE e.chain_id = $1 AND NOT EXISTS (
		            SELECT 1 FROM logs l WHERE l.chain_id = e.chain_id AND l.block_hash = e.block_hash AND l.log_index = e.log_index))`,
		int64(c.chainID)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count events without their log: %w", err)
	}
	return n, nil
}
