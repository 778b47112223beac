-- +goose Up
-- Contracts v2 (issue 12): every accepted job reserves stake from its
-- provider, disputes post a bond, the treasury is snapshotted at creation and
-- assignments are bound to the job's hash as created.

ALTER TABLE jobs
    ADD COLUMN reserved_stake   NUMERIC(78,0) CHECK (reserved_stake >= 0),
    ADD COLUMN dispute_bond     NUMERIC(78,0) NOT NULL DEFAULT 0 CHECK (dispute_bond >= 0 AND dispute_bond < 2::numeric ^ 128),
    ADD COLUMN bond_to_provider NUMERIC(78,0) CHECK (bond_to_provider >= 0),
    ADD COLUMN bond_to_client   NUMERIC(78,0) CHECK (bond_to_client >= 0);
COMMENT ON COLUMN jobs.treasury IS 'Treasury credited with the protocol fee: the Job struct field, snapshotted at creation (a later setTreasury does not redirect the job''s fee).';
COMMENT ON COLUMN jobs.reserved_stake IS 'Provider stake reserved for the job at acceptance (JobAccepted.reservedStake), staking-token base units; held while the job is assigned, submitted or disputed, then released or slashed; NULL before acceptance.';
COMMENT ON COLUMN jobs.dispute_bond IS 'Bond the client posted with its dispute (the Job struct field), token base units; 0 unless disputed.';
COMMENT ON COLUMN jobs.bond_to_provider IS 'Part of the dispute bond credited to the provider when the dispute ended (all of it under the timeout rule), token base units; NULL until then.';
COMMENT ON COLUMN jobs.bond_to_client IS 'Part of the dispute bond credited back to the client when the dispute ended, token base units; NULL until then.';

ALTER TABLE providers ADD COLUMN reserved_stake NUMERIC(78,0) NOT NULL DEFAULT 0 CHECK (reserved_stake >= 0);
COMMENT ON COLUMN providers.reserved_stake IS 'Part of stake reserved for the provider''s accepted, unfinished jobs: the sum of jobs.reserved_stake over its assigned, submitted and disputed jobs (the registry emits no event for reservations). stake - reserved_stake is its free stake: what can back one more job or be unstaked.';
COMMENT ON COLUMN providers.stake IS 'Active stake, the reserved part included (staking-token base units).';

ALTER TABLE assignments
    ADD COLUMN job_hash BYTEA CHECK (length(job_hash) = 32),
    ADD COLUMN reserve  NUMERIC(78,0) CHECK (reserve >= 0);
CREATE INDEX assignments_offered_by_provider ON assignments (chain_id, provider) WHERE state = 'offered';
COMMENT ON COLUMN assignments.reserve IS 'Stake the job would reserve if the provider accepted at this price (the marketplace''s reservation rule), staking-token base units: while offered it counts against the provider''s free stake, so the matcher never offers more jobs than the provider''s stake can back.';
COMMENT ON COLUMN assignments.job_hash IS 'The job''s hash as created (keccak256(abi.encode(job)) while Open), signed with the assignment: it binds the offer to the job''s terms, so it cannot be used on another job that holds the same id after a reorg.';

CREATE OR REPLACE VIEW v_jobs AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       j.state,
       gm_hex(j.client) AS client,
       gm_hex(j.token) AS token,
       j.max_payment,
       j.price,
       j.amount_due,
       j.fee_bps,
       j.creator_share_bps,
       gm_hex(j.preferred_provider) AS preferred_provider,
       gm_hex(j.creator) AS creator,
       gm_hex(j.provider) AS provider,
       gm_hex(j.spec_hash) AS spec_hash,
       j.spec_uri,
       j.usage_units,
       j.usage_extra_units,
       j.deadline,
       j.created_at,
       j.assigned_at,
       j.submitted_at,
       j.dispute_opened_at,
       j.settled_at,
       j.refunded_at,
       j.cancelled_at,
       coalesce(j.settled_at, j.refunded_at, j.cancelled_at) AS closed_at,
       j.assigned_at - j.created_at AS to_accept,
       j.submitted_at - j.created_at AS to_result,
       coalesce(j.settled_at, j.refunded_at, j.cancelled_at) - j.created_at AS to_close,
       j.last_block,
       j.finalized,
       gm_hex(j.treasury) AS treasury,
       j.reserved_stake,
       j.dispute_bond
FROM jobs j;
COMMENT ON COLUMN v_jobs.treasury IS 'Treasury credited with the protocol fee, snapshotted at creation (0x hex).';
COMMENT ON COLUMN v_jobs.reserved_stake IS 'Provider stake reserved for the job at acceptance, staking-token base units; NULL before acceptance.';
COMMENT ON COLUMN v_jobs.dispute_bond IS 'Bond the client posted with its dispute, token base units; 0 unless disputed.';

CREATE OR REPLACE VIEW v_disputes AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       gm_hex(j.client) AS client,
       gm_hex(j.provider) AS provider,
       gm_hex(j.token) AS token,
       j.amount_due,
       gm_hex(j.dispute_reason) AS reason_hash,
       j.dispute_opened_at AS opened_at,
       j.settled_at IS NOT NULL AS resolved,
       j.settled_at AS resolved_at,
       j.settled_at - j.dispute_opened_at AS to_resolve,
       gm_hex(j.arbiter) AS arbiter,
       j.timed_out,
       CASE WHEN j.settled_at IS NOT NULL THEN j.max_payment - j.client_refund END AS provider_paid,
       CASE WHEN j.settled_at IS NOT NULL THEN coalesce(j.slashed, 0) END::NUMERIC(78,0) AS slashed,
       (j.settled_at IS NOT NULL AND NOT j.timed_out
        AND (j.max_payment - j.client_refund < j.amount_due OR coalesce(j.slashed, 0) > 0)) AS provider_lost,
       j.finalized,
       j.dispute_bond,
       j.bond_to_provider,
       j.bond_to_client,
       j.reserved_stake
FROM jobs j
WHERE j.dispute_opened_at IS NOT NULL;
COMMENT ON COLUMN v_disputes.dispute_bond IS 'Bond the client posted with the dispute, token base units.';
COMMENT ON COLUMN v_disputes.bond_to_provider IS 'Part of the bond credited to the provider (all of it under the timeout rule); NULL while open.';
COMMENT ON COLUMN v_disputes.bond_to_client IS 'Part of the bond credited back to the client; NULL while open.';
COMMENT ON COLUMN v_disputes.reserved_stake IS 'Provider stake the job reserved: the most an arbiter can slash, staking-token base units.';

CREATE OR REPLACE VIEW v_balances_owed AS
WITH entries AS (
    -- marketplace credits: settlement split (jobs columns are NULL until settled)
    SELECT chain_id, 'marketplace' AS ledger, treasury AS account, token, protocol_fee AS credit, 0::NUMERIC AS debit, finalized
      FROM jobs WHERE protocol_fee > 0
    UNION ALL
    SELECT chain_id, 'marketplace', creator, token, creator_amount, 0, finalized FROM jobs WHERE creator_amount > 0
    UNION ALL
    SELECT chain_id, 'marketplace', provider, token, provider_amount, 0, finalized FROM jobs WHERE provider_amount > 0
    UNION ALL
    SELECT chain_id, 'marketplace', client, token, client_refund, 0, finalized FROM jobs WHERE client_refund > 0
    UNION ALL
    -- marketplace credits: cancellations and refunds after the deadline
    SELECT chain_id, 'marketplace', client, token, refund, 0, finalized FROM jobs WHERE refund > 0
    UNION ALL
    -- marketplace credits: the dispute bond, split by the resolution
    SELECT chain_id, 'marketplace', provider, token, bond_to_provider, 0, finalized FROM jobs WHERE bond_to_provider > 0
    UNION ALL
    SELECT chain_id, 'marketplace', client, token, bond_to_client, 0, finalized FROM jobs WHERE bond_to_client > 0
    UNION ALL
    SELECT chain_id, 'marketplace', account, token, 0, amount, finalized FROM market_events WHERE event_name = 'Withdrawn'
    UNION ALL
    -- registry compensation, in the staking token (whose address is not indexed: token NULL)
    SELECT chain_id, 'registry', gm_unhex(payload->>'beneficiary'), NULL::BYTEA, (payload->>'slashed')::NUMERIC, 0, finalized
      FROM provider_events WHERE event_name = 'ProviderSlashed' AND (payload->>'slashed')::NUMERIC > 0
    UNION ALL
    SELECT chain_id, 'registry', account, NULL::BYTEA, 0, amount, finalized FROM market_events WHERE event_name = 'CompensationWithdrawn'
)
SELECT chain_id,
       ledger,
       gm_hex(account) AS account,
       gm_hex(token) AS token,
       sum(credit)::NUMERIC(78,0) AS credited,
       sum(debit)::NUMERIC(78,0) AS withdrawn,
       (sum(credit) - sum(debit))::NUMERIC(78,0) AS owed,
       bool_and(finalized) AS finalized
FROM entries
GROUP BY chain_id, ledger, account, token;
COMMENT ON VIEW v_balances_owed IS 'Pull balances per (chain, ledger, account, token): what payouts, refunds and dispute bonds credited minus what was withdrawn. ledger marketplace: settlement splits, cancellations, refunds and the split of dispute bonds (jobs) minus Withdrawn (market_events), equal to JobMarketplace.balanceOf(token, account). ledger registry: ProviderSlashed credits to the beneficiary (provider_events) minus CompensationWithdrawn, equal to ProviderRegistry.compensationOf(account).';

CREATE VIEW v_provider_stakes AS
SELECT p.chain_id,
       gm_hex(p.provider) AS provider,
       p.active,
       p.stake,
       p.reserved_stake AS reserved,
       greatest(p.stake - p.reserved_stake, 0)::NUMERIC(78,0) AS free,
       p.unbonding,
       p.unbonding_ready_at,
       p.slashed_total,
       (SELECT count(*) FROM jobs j WHERE j.chain_id = p.chain_id AND j.provider = p.provider
           AND j.state IN ('assigned', 'submitted', 'disputed')) AS jobs_backed,
       p.finalized
FROM providers p;
COMMENT ON VIEW v_provider_stakes IS 'Each provider''s stake: how much is reserved for its unfinished jobs and how much is free to back one more job (or be unstaked). Source: providers, jobs.';
COMMENT ON COLUMN v_provider_stakes.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_provider_stakes.provider IS 'Provider (operator address, 0x hex).';
COMMENT ON COLUMN v_provider_stakes.active IS 'Whether the provider accepts new jobs.';
COMMENT ON COLUMN v_provider_stakes.stake IS 'Active stake, reserved part included, staking-token base units.';
COMMENT ON COLUMN v_provider_stakes.reserved IS 'Stake reserved for accepted, unfinished jobs.';
COMMENT ON COLUMN v_provider_stakes.free IS 'stake - reserved: what one more job can reserve, or can be unstaked.';
COMMENT ON COLUMN v_provider_stakes.unbonding IS 'Stake requested for withdrawal (still slashable).';
COMMENT ON COLUMN v_provider_stakes.unbonding_ready_at IS 'When the unbonding stake can be withdrawn.';
COMMENT ON COLUMN v_provider_stakes.slashed_total IS 'Total stake ever slashed from the provider.';
COMMENT ON COLUMN v_provider_stakes.jobs_backed IS 'Accepted, unfinished jobs (assigned, submitted, disputed): each holds its own reservation.';
COMMENT ON COLUMN v_provider_stakes.finalized IS 'True when the provider''s latest registry event is final.';

-- +goose Down
-- The views go back to 00005's definitions (DROP + CREATE: a view cannot
-- lose columns in place; their column comments are not restored).
DROP VIEW v_provider_stakes;
DROP VIEW v_balances_owed;
CREATE VIEW v_balances_owed AS
WITH entries AS (
    -- marketplace credits: settlement split (jobs columns are NULL until settled)
    SELECT chain_id, 'marketplace' AS ledger, treasury AS account, token, protocol_fee AS credit, 0::NUMERIC AS debit, finalized
      FROM jobs WHERE protocol_fee > 0
    UNION ALL
    SELECT chain_id, 'marketplace', creator, token, creator_amount, 0, finalized FROM jobs WHERE creator_amount > 0
    UNION ALL
    SELECT chain_id, 'marketplace', provider, token, provider_amount, 0, finalized FROM jobs WHERE provider_amount > 0
    UNION ALL
    SELECT chain_id, 'marketplace', client, token, client_refund, 0, finalized FROM jobs WHERE client_refund > 0
    UNION ALL
    -- marketplace credits: cancellations and refunds after the deadline
    SELECT chain_id, 'marketplace', client, token, refund, 0, finalized FROM jobs WHERE refund > 0
    UNION ALL
    SELECT chain_id, 'marketplace', account, token, 0, amount, finalized FROM market_events WHERE event_name = 'Withdrawn'
    UNION ALL
    -- registry compensation, in the staking token (whose address is not indexed: token NULL)
    SELECT chain_id, 'registry', gm_unhex(payload->>'beneficiary'), NULL::BYTEA, (payload->>'slashed')::NUMERIC, 0, finalized
      FROM provider_events WHERE event_name = 'ProviderSlashed' AND (payload->>'slashed')::NUMERIC > 0
    UNION ALL
    SELECT chain_id, 'registry', account, NULL::BYTEA, 0, amount, finalized FROM market_events WHERE event_name = 'CompensationWithdrawn'
)
SELECT chain_id,
       ledger,
       gm_hex(account) AS account,
       gm_hex(token) AS token,
       sum(credit)::NUMERIC(78,0) AS credited,
       sum(debit)::NUMERIC(78,0) AS withdrawn,
       (sum(credit) - sum(debit))::NUMERIC(78,0) AS owed,
       bool_and(finalized) AS finalized
FROM entries
GROUP BY chain_id, ledger, account, token;
DROP VIEW v_disputes;
CREATE VIEW v_disputes AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       gm_hex(j.client) AS client,
       gm_hex(j.provider) AS provider,
       gm_hex(j.token) AS token,
       j.amount_due,
       gm_hex(j.dispute_reason) AS reason_hash,
       j.dispute_opened_at AS opened_at,
       j.settled_at IS NOT NULL AS resolved,
       j.settled_at AS resolved_at,
       j.settled_at - j.dispute_opened_at AS to_resolve,
       gm_hex(j.arbiter) AS arbiter,
       j.timed_out,
       CASE WHEN j.settled_at IS NOT NULL THEN j.max_payment - j.client_refund END AS provider_paid,
       CASE WHEN j.settled_at IS NOT NULL THEN coalesce(j.slashed, 0) END::NUMERIC(78,0) AS slashed,
       (j.settled_at IS NOT NULL AND NOT j.timed_out
        AND (j.max_payment - j.client_refund < j.amount_due OR coalesce(j.slashed, 0) > 0)) AS provider_lost,
       j.finalized
FROM jobs j
WHERE j.dispute_opened_at IS NOT NULL;
DROP VIEW v_jobs;
CREATE VIEW v_jobs AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       j.state,
       gm_hex(j.client) AS client,
       gm_hex(j.token) AS token,
       j.max_payment,
       j.price,
       j.amount_due,
       j.fee_bps,
       j.creator_share_bps,
       gm_hex(j.preferred_provider) AS preferred_provider,
       gm_hex(j.creator) AS creator,
       gm_hex(j.provider) AS provider,
       gm_hex(j.spec_hash) AS spec_hash,
       j.spec_uri,
       j.usage_units,
       j.usage_extra_units,
       j.deadline,
       j.created_at,
       j.assigned_at,
       j.submitted_at,
       j.dispute_opened_at,
       j.settled_at,
       j.refunded_at,
       j.cancelled_at,
       coalesce(j.settled_at, j.refunded_at, j.cancelled_at) AS closed_at,
       j.assigned_at - j.created_at AS to_accept,
       j.submitted_at - j.created_at AS to_result,
       coalesce(j.settled_at, j.refunded_at, j.cancelled_at) - j.created_at AS to_close,
       j.last_block,
       j.finalized
FROM jobs j;
DROP INDEX assignments_offered_by_provider;
ALTER TABLE assignments DROP COLUMN reserve, DROP COLUMN job_hash;
ALTER TABLE providers DROP COLUMN reserved_stake;
ALTER TABLE jobs DROP COLUMN bond_to_client, DROP COLUMN bond_to_provider, DROP COLUMN dispute_bond, DROP COLUMN reserved_stake;
