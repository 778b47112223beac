-- +goose Up
-- Decoded events and the current state derived from them. Every row carries
-- chain_id. Amounts are NUMERIC(78,0) in token base units; addresses and
-- hashes BYTEA (hex in the views of 00005). Rows are rebuilt from events
-- alone; a reorg deletes events and rebuilds what they touched.

CREATE TABLE job_events (
    chain_id      BIGINT NOT NULL,
    block_hash    BYTEA NOT NULL CHECK (length(block_hash) = 32),
    log_index     INTEGER NOT NULL CHECK (log_index >= 0),
    job_id        NUMERIC(78,0) NOT NULL CHECK (job_id >= 0),
    block_number  BIGINT NOT NULL,
    block_time    TIMESTAMPTZ NOT NULL,
    tx_hash       BYTEA NOT NULL CHECK (length(tx_hash) = 32),
    event_name    TEXT NOT NULL,
    payload       JSONB NOT NULL,
    finalized     BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, block_hash, log_index),
    FOREIGN KEY (chain_id, block_hash, log_index) REFERENCES logs (chain_id, block_hash, log_index) ON DELETE CASCADE
);
CREATE INDEX job_events_by_job ON job_events (chain_id, job_id, block_number, log_index);
CREATE INDEX job_events_unfinalized ON job_events (chain_id, block_number) WHERE NOT finalized;
COMMENT ON TABLE job_events IS 'Every event of every job, decoded, in chain order. The jobs table is a fold of these.';
COMMENT ON COLUMN job_events.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN job_events.block_hash IS 'Block of the event (with log_index, the key of the raw log in logs).';
COMMENT ON COLUMN job_events.log_index IS 'Index of the log in its block.';
COMMENT ON COLUMN job_events.job_id IS 'Job id assigned by the JobMarketplace.';
COMMENT ON COLUMN job_events.block_number IS 'Block number of the event.';
COMMENT ON COLUMN job_events.block_time IS 'Block timestamp of the event.';
COMMENT ON COLUMN job_events.tx_hash IS 'Transaction that emitted the event.';
COMMENT ON COLUMN job_events.event_name IS 'JobCreated, JobAccepted, JobCancelled, ResultSubmitted, JobSettled, JobDisputed, JobDisputeResolved or JobRefunded.';
COMMENT ON COLUMN job_events.payload IS 'The event''s fields as JSON (amounts as decimal strings, addresses and hashes as 0x hex).';
COMMENT ON COLUMN job_events.finalized IS 'True once the block is final.';

CREATE TABLE jobs (
    chain_id            BIGINT NOT NULL,
    job_id              NUMERIC(78,0) NOT NULL CHECK (job_id >= 0),
    client              BYTEA NOT NULL CHECK (length(client) = 20),
    token               BYTEA NOT NULL CHECK (length(token) = 20),
    max_payment         NUMERIC(78,0) NOT NULL CHECK (max_payment >= 0),
    kind                TEXT NOT NULL CHECK (kind IN ('render', 'tts', 'stt', 'llm')),
    state               TEXT NOT NULL CHECK (state IN ('open', 'assigned', 'submitted', 'disputed', 'settled', 'refunded', 'cancelled')),
    deadline            TIMESTAMPTZ NOT NULL,
    fee_bps             INTEGER NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
    creator_share_bps   INTEGER NOT NULL CHECK (creator_share_bps BETWEEN 0 AND 10000),
    preferred_provider  BYTEA CHECK (length(preferred_provider) = 20),
    creator             BYTEA CHECK (length(creator) = 20),
    spec_hash           BYTEA NOT NULL CHECK (length(spec_hash) = 32),
    spec_uri            TEXT NOT NULL,
    order_nonce         NUMERIC(78,0),
    provider            BYTEA CHECK (length(provider) = 20),
    price               NUMERIC(78,0) NOT NULL DEFAULT 0 CHECK (price >= 0),
    amount_due          NUMERIC(78,0) NOT NULL DEFAULT 0 CHECK (amount_due >= 0),
    challenge_end       TIMESTAMPTZ,
    disputed_at         TIMESTAMPTZ,
    signer              BYTEA CHECK (length(signer) = 20),
    matcher             BYTEA CHECK (length(matcher) = 20),
    result_hash         BYTEA CHECK (length(result_hash) = 32),
    result_uri          TEXT,
    usage_units         NUMERIC(20,0),
    usage_extra_units   NUMERIC(20,0),
    dispute_reason      BYTEA CHECK (length(dispute_reason) = 32),
    treasury            BYTEA CHECK (length(treasury) = 20),
    protocol_fee        NUMERIC(78,0),
    creator_amount      NUMERIC(78,0),
    provider_amount     NUMERIC(78,0),
    client_refund       NUMERIC(78,0),
    refund              NUMERIC(78,0),
    slashed             NUMERIC(78,0),
    arbiter             BYTEA CHECK (length(arbiter) = 20),
    timed_out           BOOLEAN NOT NULL DEFAULT false,
    closed_by           BYTEA CHECK (length(closed_by) = 20),
    created_at          TIMESTAMPTZ NOT NULL,
    assigned_at         TIMESTAMPTZ,
    submitted_at        TIMESTAMPTZ,
    dispute_opened_at   TIMESTAMPTZ,
    settled_at          TIMESTAMPTZ,
    refunded_at         TIMESTAMPTZ,
    cancelled_at        TIMESTAMPTZ,
    last_block          BIGINT NOT NULL,
    finalized           BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, job_id)
);
CREATE INDEX jobs_open ON jobs (chain_id, kind, created_at) WHERE state = 'open';
CREATE INDEX jobs_unfinalized ON jobs (chain_id, last_block) WHERE NOT finalized;
CREATE INDEX jobs_by_provider ON jobs (chain_id, provider, state);
CREATE INDEX jobs_by_client ON jobs (chain_id, client, state);
COMMENT ON TABLE jobs IS 'Current state of every job, derived from job_events alone. The first 16 columns after job_id are the contract''s Job struct exactly (keccak256(abi.encode(job)) equals JobMarketplace.jobHash(job_id)).';
COMMENT ON COLUMN jobs.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN jobs.job_id IS 'Job id assigned by the JobMarketplace.';
COMMENT ON COLUMN jobs.client IS 'Who locked the funds and receives refunds.';
COMMENT ON COLUMN jobs.token IS 'ERC-20 the job is paid in.';
COMMENT ON COLUMN jobs.max_payment IS 'Amount locked at creation (base units).';
COMMENT ON COLUMN jobs.kind IS 'render, tts, stt or llm.';
COMMENT ON COLUMN jobs.state IS 'open, assigned, submitted, disputed, settled, refunded or cancelled.';
COMMENT ON COLUMN jobs.deadline IS 'The result is due before this time; afterwards an unsubmitted job is refundable.';
COMMENT ON COLUMN jobs.fee_bps IS 'Protocol fee in basis points, fixed at creation.';
COMMENT ON COLUMN jobs.creator_share_bps IS 'Model-creator share in basis points of the amount due.';
COMMENT ON COLUMN jobs.preferred_provider IS 'Provider the client picked directly; NULL when the matcher assigns.';
COMMENT ON COLUMN jobs.creator IS 'Model creator credited with the creator share; NULL when none.';
COMMENT ON COLUMN jobs.spec_hash IS 'keccak256 of the job description document.';
COMMENT ON COLUMN jobs.spec_uri IS 'Where the job description lives.';
COMMENT ON COLUMN jobs.order_nonce IS 'Nonce of the signed order the job came from; NULL when the client sent the transaction itself.';
COMMENT ON COLUMN jobs.provider IS 'Assigned provider (operator address); NULL until accepted.';
COMMENT ON COLUMN jobs.price IS 'Agreed price (<= max_payment); 0 until accepted.';
COMMENT ON COLUMN jobs.amount_due IS 'Amount the provider claims with its result (<= price); 0 until submitted.';
COMMENT ON COLUMN jobs.challenge_end IS 'End (exclusive) of the window in which the client may dispute.';
COMMENT ON COLUMN jobs.disputed_at IS 'Contract timestamp of the dispute (the Job struct field); NULL unless disputed.';
COMMENT ON COLUMN jobs.signer IS 'Provider hot key that accepted the job.';
COMMENT ON COLUMN jobs.matcher IS 'Matcher that signed the assignment; NULL for a direct acceptance by the preferred provider.';
COMMENT ON COLUMN jobs.result_hash IS 'keccak256 of the result bytes committed on-chain.';
COMMENT ON COLUMN jobs.result_uri IS 'Where the provider serves the result.';
COMMENT ON COLUMN jobs.usage_units IS 'Usage reported with the result: render frames, TTS characters, STT audio seconds, LLM input tokens.';
COMMENT ON COLUMN jobs.usage_extra_units IS 'Second usage figure: render GPU-seconds, TTS audio ms, STT characters, LLM output tokens.';
COMMENT ON COLUMN jobs.dispute_reason IS 'Hash of the client''s dispute reason.';
COMMENT ON COLUMN jobs.treasury IS 'Treasury credited with the protocol fee at settlement.';
COMMENT ON COLUMN jobs.protocol_fee IS 'Protocol fee credited at settlement.';
COMMENT ON COLUMN jobs.creator_amount IS 'Creator share credited at settlement.';
COMMENT ON COLUMN jobs.provider_amount IS 'Provider payment credited at settlement.';
COMMENT ON COLUMN jobs.client_refund IS 'Amount credited back to the client at settlement (max_payment minus what was paid).';
COMMENT ON COLUMN jobs.refund IS 'Amount credited to the client on cancellation or expiry refund.';
COMMENT ON COLUMN jobs.slashed IS 'Provider stake slashed to the client (missed deadline or lost dispute).';
COMMENT ON COLUMN jobs.arbiter IS 'Arbiter that resolved a dispute; NULL when the timeout rule applied.';
COMMENT ON COLUMN jobs.timed_out IS 'True when a dispute was settled by the timeout rule.';
COMMENT ON COLUMN jobs.closed_by IS 'Who settled, refunded or cancelled the job.';
COMMENT ON COLUMN jobs.created_at IS 'Block time of JobCreated.';
COMMENT ON COLUMN jobs.assigned_at IS 'Block time of JobAccepted.';
COMMENT ON COLUMN jobs.submitted_at IS 'Block time of ResultSubmitted.';
COMMENT ON COLUMN jobs.dispute_opened_at IS 'Block time of JobDisputed.';
COMMENT ON COLUMN jobs.settled_at IS 'Block time of JobSettled or JobDisputeResolved.';
COMMENT ON COLUMN jobs.refunded_at IS 'Block time of JobRefunded.';
COMMENT ON COLUMN jobs.cancelled_at IS 'Block time of JobCancelled.';
COMMENT ON COLUMN jobs.last_block IS 'Block of the job''s latest event.';
COMMENT ON COLUMN jobs.finalized IS 'True when the latest event is final: the row will not change by a reorg. Act on finalized rows when reorgs matter.';

CREATE TABLE provider_events (
    chain_id      BIGINT NOT NULL,
    block_hash    BYTEA NOT NULL CHECK (length(block_hash) = 32),
    log_index     INTEGER NOT NULL CHECK (log_index >= 0),
    provider      BYTEA NOT NULL CHECK (length(provider) = 20),
    block_number  BIGINT NOT NULL,
    block_time    TIMESTAMPTZ NOT NULL,
    tx_hash       BYTEA NOT NULL CHECK (length(tx_hash) = 32),
    event_name    TEXT NOT NULL,
    payload       JSONB NOT NULL,
    finalized     BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, block_hash, log_index),
    FOREIGN KEY (chain_id, block_hash, log_index) REFERENCES logs (chain_id, block_hash, log_index) ON DELETE CASCADE
);
CREATE INDEX provider_events_by_provider ON provider_events (chain_id, provider, block_number, log_index);
CREATE INDEX provider_events_unfinalized ON provider_events (chain_id, block_number) WHERE NOT finalized;
COMMENT ON TABLE provider_events IS 'Every ProviderRegistry event of a provider, decoded, in chain order. The providers table is a fold of these.';
COMMENT ON COLUMN provider_events.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN provider_events.block_hash IS 'Block of the event.';
COMMENT ON COLUMN provider_events.log_index IS 'Index of the log in its block.';
COMMENT ON COLUMN provider_events.provider IS 'Provider operator address.';
COMMENT ON COLUMN provider_events.block_number IS 'Block number of the event.';
COMMENT ON COLUMN provider_events.block_time IS 'Block timestamp of the event.';
COMMENT ON COLUMN provider_events.tx_hash IS 'Transaction that emitted the event.';
COMMENT ON COLUMN provider_events.event_name IS 'ProviderRegistered, ProviderUpdated, ProviderActivated, ProviderDeactivated, Staked, UnstakeRequested, StakeWithdrawn or ProviderSlashed.';
COMMENT ON COLUMN provider_events.payload IS 'The event''s fields as JSON.';
COMMENT ON COLUMN provider_events.finalized IS 'True once the block is final.';

CREATE TABLE providers (
    chain_id            BIGINT NOT NULL,
    provider            BYTEA NOT NULL CHECK (length(provider) = 20),
    signer              BYTEA CHECK (length(signer) = 20),
    attestation_hash    BYTEA CHECK (length(attestation_hash) = 32),
    attestation_expiry  TIMESTAMPTZ,
    metadata_uri        TEXT NOT NULL DEFAULT '',
    registered          BOOLEAN NOT NULL,
    active              BOOLEAN NOT NULL,
    stake               NUMERIC(78,0) NOT NULL CHECK (stake >= 0),
    unbonding           NUMERIC(78,0) NOT NULL CHECK (unbonding >= 0),
    unbonding_ready_at  TIMESTAMPTZ,
    slashed_total       NUMERIC(78,0) NOT NULL CHECK (slashed_total >= 0),
    registered_at       TIMESTAMPTZ,
    last_block          BIGINT NOT NULL,
    finalized           BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, provider)
);
COMMENT ON TABLE providers IS 'Current registry state of every provider, derived from provider_events alone.';
COMMENT ON COLUMN providers.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN providers.provider IS 'Provider operator address.';
COMMENT ON COLUMN providers.signer IS 'Hot key that accepts jobs and submits results for the provider.';
COMMENT ON COLUMN providers.attestation_hash IS 'Commitment to the signed off-chain hardware attestation (its EIP-712 struct hash).';
COMMENT ON COLUMN providers.attestation_expiry IS 'The provider cannot be assigned after this time unless it re-attests.';
COMMENT ON COLUMN providers.metadata_uri IS 'Off-chain metadata (endpoints, GPUs, prices).';
COMMENT ON COLUMN providers.registered IS 'True once registered.';
COMMENT ON COLUMN providers.active IS 'False while the provider has paused new jobs.';
COMMENT ON COLUMN providers.stake IS 'Active stake (counts towards the minimum), staking-token base units.';
COMMENT ON COLUMN providers.unbonding IS 'Stake requested for withdrawal; still slashable until withdrawn.';
COMMENT ON COLUMN providers.unbonding_ready_at IS 'When the unbonding stake can be withdrawn.';
COMMENT ON COLUMN providers.slashed_total IS 'Total stake ever slashed from the provider.';
COMMENT ON COLUMN providers.registered_at IS 'Block time of ProviderRegistered.';
COMMENT ON COLUMN providers.last_block IS 'Block of the provider''s latest event.';
COMMENT ON COLUMN providers.finalized IS 'True when the latest event is final.';

CREATE TABLE market_events (
    chain_id      BIGINT NOT NULL,
    block_hash    BYTEA NOT NULL CHECK (length(block_hash) = 32),
    log_index     INTEGER NOT NULL CHECK (log_index >= 0),
    block_number  BIGINT NOT NULL,
    block_time    TIMESTAMPTZ NOT NULL,
    tx_hash       BYTEA NOT NULL CHECK (length(tx_hash) = 32),
    event_name    TEXT NOT NULL,
    account       BYTEA CHECK (length(account) = 20),
    token         BYTEA CHECK (length(token) = 20),
    amount        NUMERIC(78,0),
    payload       JSONB NOT NULL,
    finalized     BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, block_hash, log_index),
    FOREIGN KEY (chain_id, block_hash, log_index) REFERENCES logs (chain_id, block_hash, log_index) ON DELETE CASCADE
);
CREATE INDEX market_events_by_account ON market_events (chain_id, account, token);
CREATE INDEX market_events_unfinalized ON market_events (chain_id, block_number) WHERE NOT finalized;
COMMENT ON TABLE market_events IS 'Events that are not about one job or provider: withdrawals from pull balances (Withdrawn, CompensationWithdrawn), order nonce cancellations, allowlist, fee, treasury, pause and role changes.';
COMMENT ON COLUMN market_events.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN market_events.block_hash IS 'Block of the event.';
COMMENT ON COLUMN market_events.log_index IS 'Index of the log in its block.';
COMMENT ON COLUMN market_events.block_number IS 'Block number of the event.';
COMMENT ON COLUMN market_events.block_time IS 'Block timestamp of the event.';
COMMENT ON COLUMN market_events.tx_hash IS 'Transaction that emitted the event.';
COMMENT ON COLUMN market_events.event_name IS 'Solidity event name.';
COMMENT ON COLUMN market_events.account IS 'Account that withdrew (Withdrawn, CompensationWithdrawn); NULL otherwise.';
COMMENT ON COLUMN market_events.token IS 'Token withdrawn (Withdrawn); NULL otherwise (CompensationWithdrawn pays the staking token).';
COMMENT ON COLUMN market_events.amount IS 'Amount withdrawn; NULL for other events.';
COMMENT ON COLUMN market_events.payload IS 'The event''s fields as JSON.';
COMMENT ON COLUMN market_events.finalized IS 'True once the block is final.';

-- +goose Down
DROP TABLE market_events;
DROP TABLE providers;
DROP TABLE provider_events;
DROP TABLE jobs;
DROP TABLE job_events;
