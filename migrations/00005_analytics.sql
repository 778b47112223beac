-- +goose Up
-- Views for analysts over the tables the indexer fills (00002, 00004).
--
-- Conventions:
--   * Addresses and hashes are lower-case 0x hex text (gm_hex). EIP-55
--     checksums are not computed: PostgreSQL has no keccak256.
--   * Amounts stay NUMERIC(78,0) in token base units: the token's decimals
--     are not indexed, so no view divides by 10^decimals.
--   * Times are UTC; days and hours are truncated in UTC.
--   * Every view reads every indexed row, finalized or not. Row views carry
--     the `finalized` flag of their source row (filter on it to see only
--     what no reorg can change); aggregate views carry `finalized` = every
--     row they aggregate is final (bool_and).
--   * Job views read the jobs table (the fold of job_events); a job moves
--     through each state at most once, so one jobs row holds every
--     transition.

CREATE FUNCTION gm_hex(b BYTEA) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN '0x' || encode(b, 'hex');
COMMENT ON FUNCTION gm_hex(BYTEA) IS 'Lower-case 0x hex of a byte string (addresses, hashes); NULL for NULL. Not EIP-55 checksummed.';

CREATE FUNCTION gm_unhex(t TEXT) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN decode(substr(lower(t), 3), 'hex');
COMMENT ON FUNCTION gm_unhex(TEXT) IS 'Bytes of 0x hex text (any case), e.g. an address from an event payload; inverse of gm_hex.';

-- ---------------------------------------------------------------- jobs

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
COMMENT ON VIEW v_jobs IS 'Every job with hex addresses and the durations of its life cycle. One row per (chain_id, job_id); source: jobs.';
COMMENT ON COLUMN v_jobs.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_jobs.job_id IS 'Job id assigned by the JobMarketplace.';
COMMENT ON COLUMN v_jobs.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_jobs.state IS 'open, assigned, submitted, disputed, settled, refunded or cancelled.';
COMMENT ON COLUMN v_jobs.client IS 'Client that locked the funds (0x hex).';
COMMENT ON COLUMN v_jobs.token IS 'ERC-20 the job is paid in (0x hex).';
COMMENT ON COLUMN v_jobs.max_payment IS 'Amount locked at creation, token base units.';
COMMENT ON COLUMN v_jobs.price IS 'Agreed price, token base units; 0 until accepted.';
COMMENT ON COLUMN v_jobs.amount_due IS 'Amount the provider claimed with its result, token base units; 0 until submitted.';
COMMENT ON COLUMN v_jobs.fee_bps IS 'Protocol fee in basis points, fixed at creation.';
COMMENT ON COLUMN v_jobs.creator_share_bps IS 'Model-creator share in basis points.';
COMMENT ON COLUMN v_jobs.preferred_provider IS 'Provider the client picked (0x hex); NULL when the matcher assigns.';
COMMENT ON COLUMN v_jobs.creator IS 'Model creator credited with the creator share (0x hex); NULL when none.';
COMMENT ON COLUMN v_jobs.provider IS 'Assigned provider operator (0x hex); NULL until accepted.';
COMMENT ON COLUMN v_jobs.spec_hash IS 'keccak256 of the job description (0x hex).';
COMMENT ON COLUMN v_jobs.spec_uri IS 'Where the job description lives.';
COMMENT ON COLUMN v_jobs.usage_units IS 'Usage reported with the result: render frames, TTS characters, STT audio seconds, LLM input tokens.';
COMMENT ON COLUMN v_jobs.usage_extra_units IS 'Second usage figure: render GPU-seconds, TTS audio ms, STT characters, LLM output tokens.';
COMMENT ON COLUMN v_jobs.deadline IS 'The result is due before this time.';
COMMENT ON COLUMN v_jobs.created_at IS 'Block time of JobCreated.';
COMMENT ON COLUMN v_jobs.assigned_at IS 'Block time of JobAccepted; NULL if never accepted.';
COMMENT ON COLUMN v_jobs.submitted_at IS 'Block time of ResultSubmitted; NULL if no result.';
COMMENT ON COLUMN v_jobs.dispute_opened_at IS 'Block time of JobDisputed; NULL if never disputed.';
COMMENT ON COLUMN v_jobs.settled_at IS 'Block time of JobSettled or JobDisputeResolved.';
COMMENT ON COLUMN v_jobs.refunded_at IS 'Block time of JobRefunded.';
COMMENT ON COLUMN v_jobs.cancelled_at IS 'Block time of JobCancelled.';
COMMENT ON COLUMN v_jobs.closed_at IS 'When the job reached a terminal state (settled, refunded or cancelled); NULL while open.';
COMMENT ON COLUMN v_jobs.to_accept IS 'assigned_at - created_at.';
COMMENT ON COLUMN v_jobs.to_result IS 'submitted_at - created_at.';
COMMENT ON COLUMN v_jobs.to_close IS 'closed_at - created_at.';
COMMENT ON COLUMN v_jobs.last_block IS 'Block of the job''s latest event.';
COMMENT ON COLUMN v_jobs.finalized IS 'True when the job''s latest event is final: no reorg can change this row.';

CREATE VIEW v_assignments AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       gm_hex(j.client) AS client,
       gm_hex(j.provider) AS provider,
       gm_hex(j.signer) AS signer,
       gm_hex(j.matcher) AS matcher,
       j.matcher IS NULL AS direct,
       gm_hex(j.token) AS token,
       j.max_payment,
       j.price,
       j.assigned_at,
       j.assigned_at - j.created_at AS to_accept,
       j.finalized
FROM jobs j
WHERE j.assigned_at IS NOT NULL;
COMMENT ON VIEW v_assignments IS 'Accepted assignments (JobAccepted): one row per job that a provider accepted. Source: jobs.';
COMMENT ON COLUMN v_assignments.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_assignments.job_id IS 'Job id.';
COMMENT ON COLUMN v_assignments.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_assignments.client IS 'Client (0x hex).';
COMMENT ON COLUMN v_assignments.provider IS 'Provider operator that accepted (0x hex).';
COMMENT ON COLUMN v_assignments.signer IS 'Provider hot key that sent the acceptance (0x hex).';
COMMENT ON COLUMN v_assignments.matcher IS 'Matcher that signed the assignment (0x hex); NULL for a direct acceptance.';
COMMENT ON COLUMN v_assignments.direct IS 'True when the preferred provider accepted directly (no matcher; price = max_payment).';
COMMENT ON COLUMN v_assignments.token IS 'Payment token (0x hex).';
COMMENT ON COLUMN v_assignments.max_payment IS 'Amount locked, token base units.';
COMMENT ON COLUMN v_assignments.price IS 'Agreed price, token base units.';
COMMENT ON COLUMN v_assignments.assigned_at IS 'Block time of JobAccepted.';
COMMENT ON COLUMN v_assignments.to_accept IS 'Time from creation to acceptance.';
COMMENT ON COLUMN v_assignments.finalized IS 'True when the job''s latest event is final (hence this acceptance too).';

CREATE VIEW v_results AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       gm_hex(j.provider) AS provider,
       gm_hex(j.token) AS token,
       gm_hex(j.result_hash) AS result_hash,
       j.result_uri,
       j.usage_units,
       j.usage_extra_units,
       j.price,
       j.amount_due,
       j.submitted_at,
       j.challenge_end,
       j.submitted_at - j.created_at AS to_result,
       j.finalized
FROM jobs j
WHERE j.submitted_at IS NOT NULL;
COMMENT ON VIEW v_results IS 'Submitted results (ResultSubmitted): one row per job with a result. Source: jobs.';
COMMENT ON COLUMN v_results.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_results.job_id IS 'Job id.';
COMMENT ON COLUMN v_results.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_results.provider IS 'Provider operator (0x hex).';
COMMENT ON COLUMN v_results.token IS 'Payment token (0x hex).';
COMMENT ON COLUMN v_results.result_hash IS 'keccak256 of the result (0x hex).';
COMMENT ON COLUMN v_results.result_uri IS 'Where the provider serves the result.';
COMMENT ON COLUMN v_results.usage_units IS 'Render frames, TTS characters, STT audio seconds, LLM input tokens.';
COMMENT ON COLUMN v_results.usage_extra_units IS 'Render GPU-seconds, TTS audio ms, STT characters, LLM output tokens.';
COMMENT ON COLUMN v_results.price IS 'Agreed price, token base units.';
COMMENT ON COLUMN v_results.amount_due IS 'Amount claimed (<= price), token base units.';
COMMENT ON COLUMN v_results.submitted_at IS 'Block time of ResultSubmitted.';
COMMENT ON COLUMN v_results.challenge_end IS 'End (exclusive) of the dispute window.';
COMMENT ON COLUMN v_results.to_result IS 'Time from creation to result.';
COMMENT ON COLUMN v_results.finalized IS 'True when the job''s latest event is final.';

CREATE VIEW v_settlements AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       gm_hex(j.client) AS client,
       gm_hex(j.provider) AS provider,
       gm_hex(j.token) AS token,
       gm_hex(j.treasury) AS treasury,
       gm_hex(j.creator) AS creator,
       j.max_payment,
       j.price,
       j.amount_due,
       j.max_payment - j.client_refund AS paid,
       j.protocol_fee,
       j.creator_amount,
       j.provider_amount,
       j.client_refund,
       gm_hex(j.closed_by) AS settled_by,
       j.dispute_opened_at IS NOT NULL AS disputed,
       gm_hex(j.arbiter) AS arbiter,
       j.timed_out,
       j.settled_at,
       j.settled_at - j.created_at AS to_settle,
       j.finalized
FROM jobs j
WHERE j.settled_at IS NOT NULL;
COMMENT ON VIEW v_settlements IS 'Settled jobs (JobSettled, or JobDisputeResolved after a dispute) with the exact fee split: protocol_fee + creator_amount + provider_amount + client_refund = max_payment. Source: jobs.';
COMMENT ON COLUMN v_settlements.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_settlements.job_id IS 'Job id.';
COMMENT ON COLUMN v_settlements.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_settlements.client IS 'Client (0x hex), credited client_refund.';
COMMENT ON COLUMN v_settlements.provider IS 'Provider operator (0x hex), credited provider_amount.';
COMMENT ON COLUMN v_settlements.token IS 'Payment token (0x hex); every amount of the row is in it.';
COMMENT ON COLUMN v_settlements.treasury IS 'Treasury (0x hex), credited protocol_fee.';
COMMENT ON COLUMN v_settlements.creator IS 'Model creator (0x hex), credited creator_amount; NULL when none.';
COMMENT ON COLUMN v_settlements.max_payment IS 'Amount locked, token base units.';
COMMENT ON COLUMN v_settlements.price IS 'Agreed price, token base units.';
COMMENT ON COLUMN v_settlements.amount_due IS 'Amount the provider claimed, token base units.';
COMMENT ON COLUMN v_settlements.paid IS 'Gross amount paid for the work (protocol_fee + creator_amount + provider_amount = max_payment - client_refund); equals amount_due unless an arbiter cut it.';
COMMENT ON COLUMN v_settlements.protocol_fee IS 'floor(paid * fee_bps / 10000), credited to the treasury.';
COMMENT ON COLUMN v_settlements.creator_amount IS 'floor(paid * creator_share_bps / 10000), credited to the creator.';
COMMENT ON COLUMN v_settlements.provider_amount IS 'paid - protocol_fee - creator_amount (rounding dust goes to the provider), credited to the provider.';
COMMENT ON COLUMN v_settlements.client_refund IS 'max_payment - paid, credited back to the client.';
COMMENT ON COLUMN v_settlements.settled_by IS 'Account that called settle (0x hex): the client early or anyone after the window. NULL after a dispute: JobDisputeResolved does not name its caller (see arbiter).';
COMMENT ON COLUMN v_settlements.disputed IS 'True when the job went through a dispute.';
COMMENT ON COLUMN v_settlements.arbiter IS 'Arbiter that resolved the dispute (0x hex); NULL when not disputed or settled by the timeout rule.';
COMMENT ON COLUMN v_settlements.timed_out IS 'True when a dispute was settled by the timeout rule.';
COMMENT ON COLUMN v_settlements.settled_at IS 'Block time of the settlement.';
COMMENT ON COLUMN v_settlements.to_settle IS 'Time from creation to settlement.';
COMMENT ON COLUMN v_settlements.finalized IS 'True when the settlement is final.';

CREATE VIEW v_refunds AS
SELECT j.chain_id,
       j.job_id,
       j.kind,
       CASE WHEN j.state = 'cancelled' THEN 'cancelled'
            WHEN j.provider IS NULL THEN 'expired_unassigned'
            ELSE 'expired_assigned' END AS reason,
       gm_hex(j.client) AS client,
       gm_hex(j.provider) AS provider,
       gm_hex(j.token) AS token,
       j.refund,
       coalesce(j.slashed, 0)::NUMERIC(78,0) AS slashed,
       gm_hex(j.closed_by) AS refunded_by,
       coalesce(j.refunded_at, j.cancelled_at) AS refunded_at,
       j.finalized
FROM jobs j
WHERE j.state IN ('refunded', 'cancelled');
COMMENT ON VIEW v_refunds IS 'Jobs whose whole max_payment went back to the client: cancellations (JobCancelled) and refunds after the deadline (JobRefunded). Source: jobs.';
COMMENT ON COLUMN v_refunds.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_refunds.job_id IS 'Job id.';
COMMENT ON COLUMN v_refunds.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_refunds.reason IS 'cancelled (by the client while open), expired_unassigned (never accepted before the deadline) or expired_assigned (accepted, no result before the deadline; the provider was slashed).';
COMMENT ON COLUMN v_refunds.client IS 'Client credited the refund (0x hex).';
COMMENT ON COLUMN v_refunds.provider IS 'Provider that missed the deadline (0x hex); NULL when never accepted.';
COMMENT ON COLUMN v_refunds.token IS 'Payment token (0x hex).';
COMMENT ON COLUMN v_refunds.refund IS 'Amount credited to the client (= max_payment), token base units.';
COMMENT ON COLUMN v_refunds.slashed IS 'Provider stake slashed to the client, staking-token base units (not the payment token); 0 when none.';
COMMENT ON COLUMN v_refunds.refunded_by IS 'Account that cancelled or refunded (0x hex).';
COMMENT ON COLUMN v_refunds.refunded_at IS 'Block time of JobRefunded or JobCancelled.';
COMMENT ON COLUMN v_refunds.finalized IS 'True when the refund is final.';

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
COMMENT ON VIEW v_disputes IS 'Every dispute (JobDisputed) and, once resolved, its outcome (JobDisputeResolved). Source: jobs.';
COMMENT ON COLUMN v_disputes.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_disputes.job_id IS 'Job id.';
COMMENT ON COLUMN v_disputes.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_disputes.client IS 'Client that disputed (0x hex).';
COMMENT ON COLUMN v_disputes.provider IS 'Provider whose result was disputed (0x hex).';
COMMENT ON COLUMN v_disputes.token IS 'Payment token (0x hex).';
COMMENT ON COLUMN v_disputes.amount_due IS 'Amount the provider claimed, token base units.';
COMMENT ON COLUMN v_disputes.reason_hash IS 'Hash of the client''s dispute reason (0x hex).';
COMMENT ON COLUMN v_disputes.opened_at IS 'Block time of JobDisputed.';
COMMENT ON COLUMN v_disputes.resolved IS 'True once JobDisputeResolved was seen.';
COMMENT ON COLUMN v_disputes.resolved_at IS 'Block time of JobDisputeResolved; NULL while open.';
COMMENT ON COLUMN v_disputes.to_resolve IS 'resolved_at - opened_at.';
COMMENT ON COLUMN v_disputes.arbiter IS 'Arbiter that decided (0x hex); NULL while open or when the timeout rule applied.';
COMMENT ON COLUMN v_disputes.timed_out IS 'True when settled by the timeout rule (provider paid amount_due, no slash).';
COMMENT ON COLUMN v_disputes.provider_paid IS 'Gross amount paid for the work (the event''s providerPaid = max_payment - client_refund; fee and creator share come out of it), token base units; NULL while open.';
COMMENT ON COLUMN v_disputes.slashed IS 'Provider stake slashed to the client, staking-token base units; NULL while open.';
COMMENT ON COLUMN v_disputes.provider_lost IS 'True when an arbiter paid less than amount_due or slashed the provider.';
COMMENT ON COLUMN v_disputes.finalized IS 'True when the job''s latest event is final.';

-- ---------------------------------------------------------------- registry and balances

CREATE VIEW v_slashes AS
SELECT e.chain_id,
       gm_hex(e.provider) AS provider,
       lower(e.payload->>'beneficiary') AS beneficiary,
       (e.payload->>'jobId')::NUMERIC(78,0) AS job_id,
       (e.payload->>'requested')::NUMERIC(78,0) AS requested,
       (e.payload->>'slashed')::NUMERIC(78,0) AS slashed,
       (e.payload->>'stake')::NUMERIC(78,0) AS stake_after,
       (e.payload->>'unbonding')::NUMERIC(78,0) AS unbonding_after,
       e.block_number,
       e.block_time,
       gm_hex(e.tx_hash) AS tx_hash,
       e.log_index,
       e.finalized
FROM provider_events e
WHERE e.event_name = 'ProviderSlashed';
COMMENT ON VIEW v_slashes IS 'Every ProviderSlashed event of the ProviderRegistry. Source: provider_events; reads the payload keys beneficiary, jobId, requested, slashed, stake, unbonding (the Solidity parameter names). Amounts are in the staking token.';
COMMENT ON COLUMN v_slashes.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_slashes.provider IS 'Provider slashed (0x hex).';
COMMENT ON COLUMN v_slashes.beneficiary IS 'Account credited the slashed stake as registry compensation, the wronged client (0x hex).';
COMMENT ON COLUMN v_slashes.job_id IS 'Job the fault happened on.';
COMMENT ON COLUMN v_slashes.requested IS 'Amount the marketplace asked to slash, staking-token base units.';
COMMENT ON COLUMN v_slashes.slashed IS 'Amount actually slashed (capped by stake + unbonding), staking-token base units.';
COMMENT ON COLUMN v_slashes.stake_after IS 'Provider active stake after the slash.';
COMMENT ON COLUMN v_slashes.unbonding_after IS 'Provider unbonding stake after the slash.';
COMMENT ON COLUMN v_slashes.block_number IS 'Block of the event.';
COMMENT ON COLUMN v_slashes.block_time IS 'Block time of the event.';
COMMENT ON COLUMN v_slashes.tx_hash IS 'Transaction that emitted the event (0x hex).';
COMMENT ON COLUMN v_slashes.log_index IS 'Index of the log in its block.';
COMMENT ON COLUMN v_slashes.finalized IS 'True once the block is final.';

CREATE VIEW v_withdrawals AS
SELECT e.chain_id,
       CASE e.event_name WHEN 'Withdrawn' THEN 'marketplace' ELSE 'registry' END AS ledger,
       gm_hex(e.account) AS account,
       gm_hex(e.token) AS token,
       e.amount,
       e.block_number,
       e.block_time,
       gm_hex(e.tx_hash) AS tx_hash,
       e.log_index,
       e.finalized
FROM market_events e
WHERE e.event_name IN ('Withdrawn', 'CompensationWithdrawn');
COMMENT ON VIEW v_withdrawals IS 'Withdrawals from pull balances: Withdrawn (marketplace balance in a payment token) and CompensationWithdrawn (registry slashing compensation in the staking token). Source: market_events.';
COMMENT ON COLUMN v_withdrawals.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_withdrawals.ledger IS 'marketplace (Withdrawn) or registry (CompensationWithdrawn).';
COMMENT ON COLUMN v_withdrawals.account IS 'Account that withdrew (0x hex).';
COMMENT ON COLUMN v_withdrawals.token IS 'Token withdrawn (0x hex); NULL for registry compensation, which is paid in the staking token.';
COMMENT ON COLUMN v_withdrawals.amount IS 'Amount withdrawn, base units of the token.';
COMMENT ON COLUMN v_withdrawals.block_number IS 'Block of the event.';
COMMENT ON COLUMN v_withdrawals.block_time IS 'Block time of the event.';
COMMENT ON COLUMN v_withdrawals.tx_hash IS 'Transaction that emitted the event (0x hex).';
COMMENT ON COLUMN v_withdrawals.log_index IS 'Index of the log in its block.';
COMMENT ON COLUMN v_withdrawals.finalized IS 'True once the block is final.';

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
COMMENT ON VIEW v_balances_owed IS 'Pull balances per (chain, ledger, account, token): what payouts and refunds credited minus what was withdrawn. ledger marketplace: settlement splits, cancellations and refunds (jobs) minus Withdrawn (market_events), equal to JobMarketplace.balanceOf(token, account). ledger registry: ProviderSlashed credits to the beneficiary (provider_events) minus CompensationWithdrawn, equal to ProviderRegistry.compensationOf(account).';
COMMENT ON COLUMN v_balances_owed.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_balances_owed.ledger IS 'marketplace (JobMarketplace pull balance) or registry (ProviderRegistry slashing compensation).';
COMMENT ON COLUMN v_balances_owed.account IS 'Account the balance belongs to (0x hex).';
COMMENT ON COLUMN v_balances_owed.token IS 'Token of the balance (0x hex); NULL for the registry ledger, which is in the staking token.';
COMMENT ON COLUMN v_balances_owed.credited IS 'Total ever credited, base units.';
COMMENT ON COLUMN v_balances_owed.withdrawn IS 'Total ever withdrawn, base units.';
COMMENT ON COLUMN v_balances_owed.owed IS 'credited - withdrawn: what the account can still withdraw, base units.';
COMMENT ON COLUMN v_balances_owed.finalized IS 'True when every credit and withdrawal counted is final.';

-- ---------------------------------------------------------------- aggregates

CREATE VIEW v_market_volume_daily AS
WITH created AS (
    SELECT chain_id, token, kind, (created_at AT TIME ZONE 'UTC')::DATE AS day,
           count(*) AS jobs_created, sum(max_payment) AS volume_locked, bool_and(finalized) AS finalized
    FROM jobs GROUP BY 1, 2, 3, 4
), settled AS (
    SELECT chain_id, token, kind, (settled_at AT TIME ZONE 'UTC')::DATE AS day,
           count(*) AS jobs_settled, sum(max_payment - client_refund) AS volume_paid,
           sum(provider_amount) AS volume_to_providers, sum(creator_amount) AS creator_amounts,
           sum(protocol_fee) AS protocol_fees, bool_and(finalized) AS finalized
    FROM jobs WHERE settled_at IS NOT NULL GROUP BY 1, 2, 3, 4
)
SELECT day,
       chain_id,
       gm_hex(token) AS token,
       kind,
       coalesce(c.jobs_created, 0) AS jobs_created,
       coalesce(s.jobs_settled, 0) AS jobs_settled,
       coalesce(c.volume_locked, 0)::NUMERIC(78,0) AS volume_locked,
       coalesce(s.volume_paid, 0)::NUMERIC(78,0) AS volume_paid,
       coalesce(s.volume_to_providers, 0)::NUMERIC(78,0) AS volume_to_providers,
       coalesce(s.creator_amounts, 0)::NUMERIC(78,0) AS creator_amounts,
       coalesce(s.protocol_fees, 0)::NUMERIC(78,0) AS protocol_fees,
       coalesce(c.finalized, true) AND coalesce(s.finalized, true) AS finalized
FROM created c FULL JOIN settled s USING (chain_id, token, kind, day);
COMMENT ON VIEW v_market_volume_daily IS 'Market volume per UTC day, chain, payment token and job kind. Creation figures count jobs by the day of JobCreated; settlement figures by the day of settlement. Amounts in token base units. Source: jobs.';
COMMENT ON COLUMN v_market_volume_daily.day IS 'UTC day.';
COMMENT ON COLUMN v_market_volume_daily.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_market_volume_daily.token IS 'Payment token (0x hex).';
COMMENT ON COLUMN v_market_volume_daily.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_market_volume_daily.jobs_created IS 'Jobs created that day.';
COMMENT ON COLUMN v_market_volume_daily.jobs_settled IS 'Jobs settled that day (with or without a dispute).';
COMMENT ON COLUMN v_market_volume_daily.volume_locked IS 'Sum of max_payment of the jobs created that day.';
COMMENT ON COLUMN v_market_volume_daily.volume_paid IS 'Gross paid for work settled that day (protocol fees + creator amounts + provider amounts).';
COMMENT ON COLUMN v_market_volume_daily.volume_to_providers IS 'Sum of provider_amount of the jobs settled that day.';
COMMENT ON COLUMN v_market_volume_daily.creator_amounts IS 'Sum of creator_amount of the jobs settled that day.';
COMMENT ON COLUMN v_market_volume_daily.protocol_fees IS 'Sum of protocol_fee of the jobs settled that day.';
COMMENT ON COLUMN v_market_volume_daily.finalized IS 'True when every job counted in the row is final.';

CREATE VIEW v_provider_earnings AS
SELECT j.chain_id,
       gm_hex(j.provider) AS provider,
       gm_hex(j.token) AS token,
       count(*) FILTER (WHERE j.state = 'settled') AS jobs_completed,
       count(*) FILTER (WHERE j.state = 'refunded') AS jobs_missed,
       coalesce(sum(j.provider_amount), 0)::NUMERIC(78,0) AS earned,
       coalesce(sum(j.protocol_fee), 0)::NUMERIC(78,0) AS fees_paid,
       coalesce(sum(j.creator_amount), 0)::NUMERIC(78,0) AS creator_shares_paid,
       count(*) FILTER (WHERE j.settled_at IS NOT NULL AND j.dispute_opened_at IS NOT NULL AND NOT j.timed_out
                          AND (j.max_payment - j.client_refund < j.amount_due OR coalesce(j.slashed, 0) > 0)) AS disputes_lost,
       coalesce(sum(j.slashed), 0)::NUMERIC(78,0) AS slashed,
       bool_and(j.finalized) AS finalized
FROM jobs j
WHERE j.provider IS NOT NULL
GROUP BY j.chain_id, j.provider, j.token;
COMMENT ON VIEW v_provider_earnings IS 'Per provider and payment token: jobs completed, what the provider was credited, what its jobs paid in fees, disputes it lost and stake slashed on those jobs. Source: jobs (every job the provider accepted).';
COMMENT ON COLUMN v_provider_earnings.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_provider_earnings.provider IS 'Provider operator (0x hex).';
COMMENT ON COLUMN v_provider_earnings.token IS 'Payment token (0x hex).';
COMMENT ON COLUMN v_provider_earnings.jobs_completed IS 'Jobs settled (with or without a dispute).';
COMMENT ON COLUMN v_provider_earnings.jobs_missed IS 'Accepted jobs refunded because no result came before the deadline.';
COMMENT ON COLUMN v_provider_earnings.earned IS 'Sum of provider_amount credited, token base units.';
COMMENT ON COLUMN v_provider_earnings.fees_paid IS 'Sum of protocol_fee taken out of the provider''s settled jobs, token base units.';
COMMENT ON COLUMN v_provider_earnings.creator_shares_paid IS 'Sum of creator_amount taken out of the provider''s settled jobs, token base units.';
COMMENT ON COLUMN v_provider_earnings.disputes_lost IS 'Disputes an arbiter decided against the provider (paid less than amount_due or slashed).';
COMMENT ON COLUMN v_provider_earnings.slashed IS 'Stake slashed on these jobs (missed deadlines, lost disputes), staking-token base units, not the payment token.';
COMMENT ON COLUMN v_provider_earnings.finalized IS 'True when every job counted is final.';

CREATE VIEW v_price_index_hourly AS
WITH priced AS (
    SELECT chain_id, kind, token, date_trunc('hour', submitted_at AT TIME ZONE 'UTC') AS hour, amount_due,
           CASE kind
               WHEN 'render' THEN usage_units::NUMERIC
               WHEN 'tts' THEN usage_units::NUMERIC / 1000
               WHEN 'stt' THEN usage_units::NUMERIC / 60
               WHEN 'llm' THEN (usage_units + coalesce(usage_extra_units, 0))::NUMERIC / 1000
           END AS units,
           finalized
    FROM jobs
    WHERE submitted_at IS NOT NULL
)
SELECT hour,
       chain_id,
       kind,
       gm_hex(token) AS token,
       CASE kind WHEN 'render' THEN 'frame' WHEN 'tts' THEN '1k characters'
                 WHEN 'stt' THEN 'audio minute' WHEN 'llm' THEN '1k tokens' END AS unit,
       count(*) AS jobs,
       round(sum(units), 6)::NUMERIC(40,6) AS units,
       sum(amount_due)::NUMERIC(78,0) AS amount_due,
       round(sum(amount_due) / sum(units), 6)::NUMERIC(85,6) AS price_per_unit,
       round(min(amount_due / units), 6)::NUMERIC(85,6) AS min_price_per_unit,
       round(max(amount_due / units), 6)::NUMERIC(85,6) AS max_price_per_unit,
       bool_and(finalized) AS finalized
FROM priced
WHERE units > 0
GROUP BY hour, chain_id, kind, token;
COMMENT ON VIEW v_price_index_hourly IS 'Price index: amount due per unit of work, per UTC hour of the result (ResultSubmitted), chain, kind and payment token. Units from usage_units: render = frames; tts = characters / 1000; stt = audio seconds / 60; llm = (input + output tokens) / 1000. price_per_unit = sum(amount_due) / sum(units) (volume-weighted), in token base units, rounded to 6 decimals. Jobs reporting zero usage are left out. Source: jobs.';
COMMENT ON COLUMN v_price_index_hourly.hour IS 'UTC hour (timestamp without time zone) of ResultSubmitted.';
COMMENT ON COLUMN v_price_index_hourly.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_price_index_hourly.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_price_index_hourly.token IS 'Payment token (0x hex).';
COMMENT ON COLUMN v_price_index_hourly.unit IS 'The unit priced: frame, 1k characters, audio minute or 1k tokens.';
COMMENT ON COLUMN v_price_index_hourly.jobs IS 'Results counted.';
COMMENT ON COLUMN v_price_index_hourly.units IS 'Sum of units of those results (6 decimals).';
COMMENT ON COLUMN v_price_index_hourly.amount_due IS 'Sum of amount_due of those results, token base units.';
COMMENT ON COLUMN v_price_index_hourly.price_per_unit IS 'sum(amount_due) / sum(units), token base units per unit, rounded to 6 decimals.';
COMMENT ON COLUMN v_price_index_hourly.min_price_per_unit IS 'Lowest amount_due / units of one result, rounded to 6 decimals.';
COMMENT ON COLUMN v_price_index_hourly.max_price_per_unit IS 'Highest amount_due / units of one result, rounded to 6 decimals.';
COMMENT ON COLUMN v_price_index_hourly.finalized IS 'True when every result counted is final.';

CREATE VIEW v_job_funnel AS
SELECT (created_at AT TIME ZONE 'UTC')::DATE AS day,
       chain_id,
       kind,
       count(*) AS created,
       count(assigned_at) AS assigned,
       count(submitted_at) AS submitted,
       count(dispute_opened_at) AS disputed,
       count(settled_at) AS settled,
       count(refunded_at) AS refunded,
       count(cancelled_at) AS cancelled,
       count(*) FILTER (WHERE state IN ('open', 'assigned', 'submitted', 'disputed')) AS in_progress,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM assigned_at - created_at)) AS accept_p50_s,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM assigned_at - created_at)) AS accept_p90_s,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM assigned_at - created_at)) AS accept_p99_s,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM submitted_at - created_at)) AS result_p50_s,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM submitted_at - created_at)) AS result_p90_s,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM submitted_at - created_at)) AS result_p99_s,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM settled_at - created_at)) AS settle_p50_s,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM settled_at - created_at)) AS settle_p90_s,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM settled_at - created_at)) AS settle_p99_s,
       bool_and(finalized) AS finalized
FROM jobs
GROUP BY 1, 2, 3;
COMMENT ON VIEW v_job_funnel IS 'Job funnel per UTC creation day, chain and kind: how many jobs created that day reached each stage, and how long each stage took. Durations are seconds from JobCreated; percentiles are percentile_cont (linear interpolation) over the jobs that reached the stage (NULL when none did). Source: jobs.';
COMMENT ON COLUMN v_job_funnel.day IS 'UTC day of JobCreated (the cohort).';
COMMENT ON COLUMN v_job_funnel.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_job_funnel.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN v_job_funnel.created IS 'Jobs created.';
COMMENT ON COLUMN v_job_funnel.assigned IS 'Of those, jobs accepted by a provider.';
COMMENT ON COLUMN v_job_funnel.submitted IS 'Jobs with a result.';
COMMENT ON COLUMN v_job_funnel.disputed IS 'Jobs whose result was disputed.';
COMMENT ON COLUMN v_job_funnel.settled IS 'Jobs settled.';
COMMENT ON COLUMN v_job_funnel.refunded IS 'Jobs refunded after the deadline.';
COMMENT ON COLUMN v_job_funnel.cancelled IS 'Jobs cancelled by the client.';
COMMENT ON COLUMN v_job_funnel.in_progress IS 'Jobs not yet in a terminal state.';
COMMENT ON COLUMN v_job_funnel.accept_p50_s IS 'Median seconds from creation to acceptance.';
COMMENT ON COLUMN v_job_funnel.accept_p90_s IS '90th percentile seconds from creation to acceptance.';
COMMENT ON COLUMN v_job_funnel.accept_p99_s IS '99th percentile seconds from creation to acceptance.';
COMMENT ON COLUMN v_job_funnel.result_p50_s IS 'Median seconds from creation to result.';
COMMENT ON COLUMN v_job_funnel.result_p90_s IS '90th percentile seconds from creation to result.';
COMMENT ON COLUMN v_job_funnel.result_p99_s IS '99th percentile seconds from creation to result.';
COMMENT ON COLUMN v_job_funnel.settle_p50_s IS 'Median seconds from creation to settlement.';
COMMENT ON COLUMN v_job_funnel.settle_p90_s IS '90th percentile seconds from creation to settlement.';
COMMENT ON COLUMN v_job_funnel.settle_p99_s IS '99th percentile seconds from creation to settlement.';
COMMENT ON COLUMN v_job_funnel.finalized IS 'True when every job of the cohort is final.';

-- ---------------------------------------------------------------- indexer

CREATE VIEW v_indexer_status AS
SELECT c.chain_id,
       ch.name AS chain_name,
       c.block_number AS cursor_block,
       gm_hex(c.block_hash) AS cursor_hash,
       b.block_time AS cursor_block_time,
       c.finalized_number AS finalized_block,
       c.block_number - c.finalized_number AS unfinalized_blocks,
       now() - b.block_time AS lag,
       c.updated_at,
       r.reorgs,
       r.last_reorg_at,
       r.last_reorg_depth,
       r.last_reorg_ancestor
FROM indexer_cursors c
LEFT JOIN chains ch ON ch.chain_id = c.chain_id
LEFT JOIN blocks b ON b.chain_id = c.chain_id AND b.number = c.block_number
LEFT JOIN LATERAL (
    SELECT count(*) AS reorgs,
           max(detected_at) AS last_reorg_at,
           (array_agg(depth ORDER BY id DESC))[1] AS last_reorg_depth,
           (array_agg(ancestor ORDER BY id DESC))[1] AS last_reorg_ancestor
    FROM indexer_reorgs WHERE chain_id = c.chain_id
) r ON true;
COMMENT ON VIEW v_indexer_status IS 'Indexer progress per chain: cursor, finalized block, how far behind the wall clock the cursor is, and the last reorg. The node''s head is not stored; lag is measured against now().';
COMMENT ON COLUMN v_indexer_status.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN v_indexer_status.chain_name IS 'Name from chains; NULL when the chain has no row there.';
COMMENT ON COLUMN v_indexer_status.cursor_block IS 'Last block indexed: every log up to it is in logs.';
COMMENT ON COLUMN v_indexer_status.cursor_hash IS 'Hash of that block (0x hex).';
COMMENT ON COLUMN v_indexer_status.cursor_block_time IS 'Timestamp of that block; NULL when its header is not stored.';
COMMENT ON COLUMN v_indexer_status.finalized_block IS 'Highest block known final; rows at or below it never change.';
COMMENT ON COLUMN v_indexer_status.unfinalized_blocks IS 'cursor_block - finalized_block: the depth of the tail a reorg may still rewrite.';
COMMENT ON COLUMN v_indexer_status.lag IS 'now() - cursor_block_time: how stale the indexed data is (includes block time of an idle chain).';
COMMENT ON COLUMN v_indexer_status.updated_at IS 'Time of the indexer''s last commit.';
COMMENT ON COLUMN v_indexer_status.reorgs IS 'Reorganizations handled so far.';
COMMENT ON COLUMN v_indexer_status.last_reorg_at IS 'When the last reorg was handled; NULL if none.';
COMMENT ON COLUMN v_indexer_status.last_reorg_depth IS 'Blocks removed by the last reorg.';
COMMENT ON COLUMN v_indexer_status.last_reorg_ancestor IS 'Common ancestor of the last reorg.';

-- +goose Down
DROP VIEW v_indexer_status;
DROP VIEW v_job_funnel;
DROP VIEW v_price_index_hourly;
DROP VIEW v_provider_earnings;
DROP VIEW v_market_volume_daily;
DROP VIEW v_balances_owed;
DROP VIEW v_withdrawals;
DROP VIEW v_slashes;
DROP VIEW v_disputes;
DROP VIEW v_refunds;
DROP VIEW v_settlements;
DROP VIEW v_results;
DROP VIEW v_assignments;
DROP VIEW v_jobs;
DROP FUNCTION gm_unhex(TEXT);
DROP FUNCTION gm_hex(BYTEA);
