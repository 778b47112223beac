-- +goose Up
-- The matcher's own state. It reads the indexer's jobs and providers tables
-- (00004) and never writes them. Amounts are NUMERIC(78,0) in token base
-- units; addresses and hashes BYTEA. Every decision is explained by the
-- assignments row that carries it (score components and runners-up).

CREATE TABLE job_specs (
    spec_hash         BYTEA PRIMARY KEY CHECK (length(spec_hash) = 32),
    body              BYTEA NOT NULL CHECK (length(body) <= 262144),
    size_bytes        INTEGER NOT NULL CHECK (size_bytes >= 0 AND size_bytes <= 262144),
    source            TEXT NOT NULL CHECK (source IN ('upload', 'data_uri', 'http')),
    source_uri        TEXT,
    kind              TEXT CHECK (kind IN ('render', 'tts', 'stt', 'llm')),
    model             TEXT,
    valid             BOOLEAN NOT NULL,
    rejection_reason  TEXT,
    stored_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (valid = (rejection_reason IS NULL)),
    CHECK (NOT valid OR (kind IS NOT NULL AND model IS NOT NULL)),
    CHECK (size_bytes = length(body))
);
COMMENT ON TABLE job_specs IS 'Job specification documents, content-addressed by keccak256 of their bytes. A job is matched only when its on-chain spec_hash has a valid row here.';
COMMENT ON COLUMN job_specs.spec_hash IS 'keccak256 of body; equals jobs.spec_hash of the jobs that use it.';
COMMENT ON COLUMN job_specs.body IS 'The spec document exactly as received (JSON, at most 256 KiB).';
COMMENT ON COLUMN job_specs.size_bytes IS 'length(body).';
COMMENT ON COLUMN job_specs.source IS 'How the matcher got it: upload (POST /v1/specs), data_uri (inline in jobs.spec_uri) or http (fetched from jobs.spec_uri).';
COMMENT ON COLUMN job_specs.source_uri IS 'URI it was fetched from (http) ; NULL for uploads and data: URIs.';
COMMENT ON COLUMN job_specs.kind IS 'Job kind declared by a valid spec; NULL when invalid.';
COMMENT ON COLUMN job_specs.model IS 'Model declared by a valid spec; NULL when invalid.';
COMMENT ON COLUMN job_specs.valid IS 'True when the body decodes strictly and validates (gpumarket.DecodeJobSpec).';
COMMENT ON COLUMN job_specs.rejection_reason IS 'Why the body was rejected (malformed, invalid field); NULL when valid.';
COMMENT ON COLUMN job_specs.stored_at IS 'When the matcher stored it.';

CREATE TABLE provider_attestations (
    chain_id            BIGINT NOT NULL CHECK (chain_id > 0),
    provider            BYTEA NOT NULL CHECK (length(provider) = 20),
    commitment          BYTEA NOT NULL CHECK (length(commitment) = 32),
    document            JSONB NOT NULL,
    signature           BYTEA NOT NULL CHECK (length(signature) = 65),
    signer              BYTEA NOT NULL CHECK (length(signer) = 20),
    fingerprint         BYTEA NOT NULL CHECK (length(fingerprint) = 32),
    slots               INTEGER NOT NULL CHECK (slots BETWEEN 1 AND 1024),
    vram_mib            INTEGER NOT NULL CHECK (vram_mib > 0),
    gpu_count           INTEGER NOT NULL CHECK (gpu_count > 0),
    region              TEXT NOT NULL,
    capabilities        TEXT[] NOT NULL,
    models              TEXT[] NOT NULL,
    issued_at           TIMESTAMPTZ NOT NULL,
    expires_at          TIMESTAMPTZ NOT NULL CHECK (expires_at > issued_at),
    status              TEXT NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'busy', 'offline', 'suspended')),
    status_reason       TEXT NOT NULL DEFAULT '',
    fingerprint_flagged BOOLEAN NOT NULL DEFAULT false,
    accepted_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, provider)
);
CREATE INDEX provider_attestations_fingerprint ON provider_attestations (fingerprint);
CREATE INDEX provider_attestations_status ON provider_attestations (chain_id, status);
COMMENT ON TABLE provider_attestations IS 'The current accepted attestation of each provider (signed by its registered signer, hash equal to providers.attestation_hash) and its liveness status.';
COMMENT ON COLUMN provider_attestations.chain_id IS 'EIP-155 chain id of the ProviderRegistry.';
COMMENT ON COLUMN provider_attestations.provider IS 'Provider operator address.';
COMMENT ON COLUMN provider_attestations.commitment IS 'EIP-712 struct hash of the document; equal to providers.attestation_hash when accepted.';
COMMENT ON COLUMN provider_attestations.document IS 'The attestation document as JSON (amounts as decimal strings).';
COMMENT ON COLUMN provider_attestations.signature IS '65-byte EIP-712 signature r||s||v by signer.';
COMMENT ON COLUMN provider_attestations.signer IS 'Registered signer that signed it (providers.signer at acceptance).';
COMMENT ON COLUMN provider_attestations.fingerprint IS 'Hardware fingerprint bound to the signer key (internal/eth.HardwareFingerprint). Shared by two providers: both flagged and suspended.';
COMMENT ON COLUMN provider_attestations.slots IS 'Concurrent jobs advertised; offered plus running assignments never exceed it.';
COMMENT ON COLUMN provider_attestations.vram_mib IS 'VRAM per GPU, MiB (copied from the document for filtering).';
COMMENT ON COLUMN provider_attestations.gpu_count IS 'GPU count (copied from the document for filtering).';
COMMENT ON COLUMN provider_attestations.region IS 'Region declared by the provider.';
COMMENT ON COLUMN provider_attestations.capabilities IS 'Job kinds offered (render, tts, stt, llm).';
COMMENT ON COLUMN provider_attestations.models IS 'Every model served, across capabilities.';
COMMENT ON COLUMN provider_attestations.issued_at IS 'Document issued_at.';
COMMENT ON COLUMN provider_attestations.expires_at IS 'Document expires_at; not matched from then on.';
COMMENT ON COLUMN provider_attestations.status IS 'online, busy, offline (missed heartbeats) or suspended (operator or flagged fingerprint).';
COMMENT ON COLUMN provider_attestations.status_reason IS 'Why the status last changed.';
COMMENT ON COLUMN provider_attestations.fingerprint_flagged IS 'True when another provider presented the same hardware fingerprint.';
COMMENT ON COLUMN provider_attestations.accepted_at IS 'When the matcher accepted this document.';

CREATE TABLE provider_status_transitions (
    id          BIGSERIAL PRIMARY KEY,
    chain_id    BIGINT NOT NULL,
    provider    BYTEA NOT NULL CHECK (length(provider) = 20),
    from_status TEXT NOT NULL CHECK (from_status IN ('online', 'busy', 'offline', 'suspended')),
    to_status   TEXT NOT NULL CHECK (to_status IN ('online', 'busy', 'offline', 'suspended')),
    reason      TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (from_status <> to_status)
);
CREATE INDEX provider_status_transitions_by_provider ON provider_status_transitions (chain_id, provider, at);
COMMENT ON TABLE provider_status_transitions IS 'Every change of a provider''s status, in order.';
COMMENT ON COLUMN provider_status_transitions.id IS 'Order of recording.';
COMMENT ON COLUMN provider_status_transitions.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN provider_status_transitions.provider IS 'Provider operator address.';
COMMENT ON COLUMN provider_status_transitions.from_status IS 'Status before.';
COMMENT ON COLUMN provider_status_transitions.to_status IS 'Status after.';
COMMENT ON COLUMN provider_status_transitions.reason IS 'heartbeat, missed heartbeats, fingerprint shared with …, operator reason.';
COMMENT ON COLUMN provider_status_transitions.at IS 'When it changed.';

CREATE TABLE provider_heartbeats (
    chain_id     BIGINT NOT NULL,
    provider     BYTEA NOT NULL CHECK (length(provider) = 20),
    sequence     NUMERIC(20,0) NOT NULL CHECK (sequence >= 1),
    sent_at      TIMESTAMPTZ NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    free_slots   INTEGER NOT NULL CHECK (free_slots >= 0),
    load_bps     INTEGER NOT NULL CHECK (load_bps BETWEEN 0 AND 10000),
    queue_depth  INTEGER CHECK (queue_depth >= 0),
    signature    BYTEA NOT NULL CHECK (length(signature) = 65),
    PRIMARY KEY (chain_id, provider)
);
CREATE INDEX provider_heartbeats_received ON provider_heartbeats (received_at);
COMMENT ON TABLE provider_heartbeats IS 'The last accepted signed heartbeat of each provider; a heartbeat whose sequence is not above the stored one is a replay and rejected.';
COMMENT ON COLUMN provider_heartbeats.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN provider_heartbeats.provider IS 'Provider operator address.';
COMMENT ON COLUMN provider_heartbeats.sequence IS 'Strictly increasing sequence number of the last accepted heartbeat.';
COMMENT ON COLUMN provider_heartbeats.sent_at IS 'Timestamp the provider signed.';
COMMENT ON COLUMN provider_heartbeats.received_at IS 'When the matcher accepted it (liveness is judged on this).';
COMMENT ON COLUMN provider_heartbeats.free_slots IS 'Free slots the provider reported.';
COMMENT ON COLUMN provider_heartbeats.load_bps IS 'Load reported, basis points (0 idle, 10000 saturated).';
COMMENT ON COLUMN provider_heartbeats.queue_depth IS 'Queue depth reported; NULL when not reported.';
COMMENT ON COLUMN provider_heartbeats.signature IS 'EIP-712 signature of the heartbeat by the provider''s signer.';

CREATE TABLE matcher_jobs (
    chain_id         BIGINT NOT NULL,
    job_id           NUMERIC(78,0) NOT NULL CHECK (job_id >= 0),
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'offered', 'unmatchable', 'closed')),
    reason           TEXT NOT NULL DEFAULT '',
    decision         JSONB,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_owner      TEXT,
    lease_expires_at TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, job_id),
    CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL))
);
CREATE INDEX matcher_jobs_claimable ON matcher_jobs (chain_id, job_id) WHERE status = 'pending';
CREATE INDEX matcher_jobs_leases ON matcher_jobs (lease_expires_at) WHERE lease_owner IS NOT NULL;
COMMENT ON TABLE matcher_jobs IS 'Matching state and leases of open jobs. A matcher instance claims pending rows with SELECT … FOR UPDATE SKIP LOCKED and a lease; an expired lease (crashed instance) is claimable again.';
COMMENT ON COLUMN matcher_jobs.chain_id IS 'EIP-155 chain id (jobs.chain_id).';
COMMENT ON COLUMN matcher_jobs.job_id IS 'Job id (jobs.job_id).';
COMMENT ON COLUMN matcher_jobs.status IS 'pending (to decide), offered (an assignment is live), unmatchable (spec missing/invalid; reason says why), closed (left the open state on-chain).';
COMMENT ON COLUMN matcher_jobs.reason IS 'Why it is pending again or unmatchable (no eligible candidate, spec hash mismatch, …).';
COMMENT ON COLUMN matcher_jobs.decision IS 'The last decision (matcher.Decision as JSON): considered, eligible, rejections by reason, ranked top-k with score components.';
COMMENT ON COLUMN matcher_jobs.attempts IS 'How many times it was decided.';
COMMENT ON COLUMN matcher_jobs.next_attempt_at IS 'Not claimed before this time (back-off when no candidate is eligible).';
COMMENT ON COLUMN matcher_jobs.lease_owner IS 'Matcher instance holding the claim; NULL when unclaimed.';
COMMENT ON COLUMN matcher_jobs.lease_expires_at IS 'The claim lapses at this time.';
COMMENT ON COLUMN matcher_jobs.updated_at IS 'Last change.';

CREATE TABLE assignments (
    id           BIGSERIAL PRIMARY KEY,
    chain_id     BIGINT NOT NULL,
    job_id       NUMERIC(78,0) NOT NULL CHECK (job_id >= 0),
    provider     BYTEA NOT NULL CHECK (length(provider) = 20),
    price        NUMERIC(78,0) NOT NULL CHECK (price >= 0 AND price < 2::numeric ^ 128),
    expiry       TIMESTAMPTZ NOT NULL,
    signature    BYTEA NOT NULL CHECK (length(signature) = 65),
    matcher      BYTEA NOT NULL CHECK (length(matcher) = 20),
    state        TEXT NOT NULL DEFAULT 'offered' CHECK (state IN ('offered', 'accepted', 'expired', 'superseded')),
    rank         INTEGER NOT NULL CHECK (rank >= 0),
    score        JSONB NOT NULL,
    runners_up   JSONB NOT NULL,
    instance     TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at    TIMESTAMPTZ,
    FOREIGN KEY (chain_id, job_id) REFERENCES matcher_jobs (chain_id, job_id)
);
CREATE UNIQUE INDEX assignments_one_live ON assignments (chain_id, job_id) WHERE state IN ('offered', 'accepted');
CREATE UNIQUE INDEX assignments_once_per_provider ON assignments (chain_id, job_id, provider);
CREATE INDEX assignments_by_provider ON assignments (chain_id, provider, state);
CREATE INDEX assignments_offered_expiry ON assignments (expiry) WHERE state = 'offered';
COMMENT ON TABLE assignments IS 'Every signed offer of a job to a provider. At most one is live (offered or accepted) per job; each provider is offered a job at most once. score and runners_up explain the decision: SELECT score, runners_up FROM assignments WHERE chain_id = $1 AND job_id = $2.';
COMMENT ON COLUMN assignments.id IS 'Order of creation.';
COMMENT ON COLUMN assignments.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN assignments.job_id IS 'Job offered.';
COMMENT ON COLUMN assignments.provider IS 'Provider offered the job.';
COMMENT ON COLUMN assignments.price IS 'Price signed (the provider''s cost for the estimate; uint128), base units of the job''s token.';
COMMENT ON COLUMN assignments.expiry IS 'The provider must accept on-chain before this time.';
COMMENT ON COLUMN assignments.signature IS 'EIP-712 Assignment signature by the matcher key (domain GpuMarket v1, chain id, marketplace).';
COMMENT ON COLUMN assignments.matcher IS 'Address of the matcher key that signed.';
COMMENT ON COLUMN assignments.state IS 'offered (live), accepted (the chain shows the job accepted by this provider), expired (not accepted in time; the next runner-up is offered), superseded (the job left the open state otherwise).';
COMMENT ON COLUMN assignments.rank IS 'Place of the provider in the decision (0 = first choice).';
COMMENT ON COLUMN assignments.score IS 'Score components of this provider: price, reputation, latency, load, stake, total (each in millionths).';
COMMENT ON COLUMN assignments.runners_up IS 'The full ranked list of the decision (providers, costs, slots, score components), in fallback order.';
COMMENT ON COLUMN assignments.instance IS 'Matcher instance that made the offer.';
COMMENT ON COLUMN assignments.created_at IS 'When offered.';
COMMENT ON COLUMN assignments.closed_at IS 'When it left the offered state.';

CREATE TABLE provider_reputation (
    chain_id      BIGINT NOT NULL,
    provider      BYTEA NOT NULL CHECK (length(provider) = 20),
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 1000000),
    completion    INTEGER NOT NULL CHECK (completion BETWEEN 0 AND 1000000),
    missed        INTEGER NOT NULL CHECK (missed BETWEEN 0 AND 1000000),
    disputes      INTEGER NOT NULL CHECK (disputes BETWEEN 0 AND 1000000),
    speed         INTEGER NOT NULL CHECK (speed BETWEEN 0 AND 1000000),
    weight        NUMERIC(30,0) NOT NULL CHECK (weight >= 0),
    median_ttr_ms BIGINT,
    latency_ms    INTEGER CHECK (latency_ms >= 0),
    computed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chain_id, provider)
);
COMMENT ON TABLE provider_reputation IS 'Reputation recomputed in SQL from the indexed history (matcher.Reputation''s formula, same integers).';
COMMENT ON COLUMN provider_reputation.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN provider_reputation.provider IS 'Provider operator address.';
COMMENT ON COLUMN provider_reputation.score IS 'Reputation in millionths.';
COMMENT ON COLUMN provider_reputation.completion IS 'Decayed completion rate with the neutral prior, millionths.';
COMMENT ON COLUMN provider_reputation.missed IS 'Decayed share of missed deadlines, millionths.';
COMMENT ON COLUMN provider_reputation.disputes IS 'Decayed share of lost disputes, millionths.';
COMMENT ON COLUMN provider_reputation.speed IS 'T0/(T0+median time to result), millionths.';
COMMENT ON COLUMN provider_reputation.weight IS 'Decayed number of outcomes counted, millionths.';
COMMENT ON COLUMN provider_reputation.median_ttr_ms IS 'Median accept-to-result time of decayed-weight completions; NULL with none.';
COMMENT ON COLUMN provider_reputation.latency_ms IS 'Median time from offer to on-chain acceptance over accepted offers of the last 7 days (the score''s latency component); NULL when unknown.';
COMMENT ON COLUMN provider_reputation.computed_at IS 'The "now" of the computation.';

CREATE TABLE oracle_snapshots (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('render', 'tts', 'stt', 'llm')),
    unit          TEXT NOT NULL CHECK (unit IN ('frame', 'gpu_second', '1k_chars', 'audio_minute', '1k_tokens')),
    gpu_class     TEXT NOT NULL CHECK (gpu_class IN ('small', 'medium', 'large', 'xlarge', 'xxlarge')),
    token         BYTEA NOT NULL CHECK (length(token) = 20),
    fair_rate     NUMERIC(78,0) NOT NULL CHECK (fair_rate >= 0),
    band_low      NUMERIC(78,0) NOT NULL CHECK (band_low >= 0),
    band_high     NUMERIC(78,0) NOT NULL CHECK (band_high >= band_low),
    providers     INTEGER NOT NULL CHECK (providers >= 0),
    settlements   INTEGER NOT NULL CHECK (settlements >= 0),
    detail        JSONB NOT NULL,
    computed_at   TIMESTAMPTZ NOT NULL,
    CHECK (fair_rate BETWEEN band_low AND band_high)
);
CREATE INDEX oracle_snapshots_by_key ON oracle_snapshots (kind, unit, gpu_class, token, computed_at DESC);
COMMENT ON TABLE oracle_snapshots IS 'Fair market rates computed on a schedule (never on a read) by matcher.FairRate.';
COMMENT ON COLUMN oracle_snapshots.id IS 'Order of recording.';
COMMENT ON COLUMN oracle_snapshots.kind IS 'Job kind.';
COMMENT ON COLUMN oracle_snapshots.unit IS 'Price unit.';
COMMENT ON COLUMN oracle_snapshots.gpu_class IS 'GPU class by VRAM per GPU (matcher.ClassOf).';
COMMENT ON COLUMN oracle_snapshots.token IS 'Payment token the prices are in.';
COMMENT ON COLUMN oracle_snapshots.fair_rate IS 'Weighted mean of the unflagged prices, base units per unit.';
COMMENT ON COLUMN oracle_snapshots.band_low IS 'Low end of the fair band.';
COMMENT ON COLUMN oracle_snapshots.band_high IS 'High end of the fair band.';
COMMENT ON COLUMN oracle_snapshots.providers IS 'Active provider prices counted.';
COMMENT ON COLUMN oracle_snapshots.settlements IS 'Settlements in the window counted.';
COMMENT ON COLUMN oracle_snapshots.detail IS 'The whole matcher.Rate (reference, anchor, flagged prices).';
COMMENT ON COLUMN oracle_snapshots.computed_at IS 'When it was computed.';

-- +goose Down
DROP TABLE oracle_snapshots;
DROP TABLE provider_reputation;
DROP TABLE assignments;
DROP TABLE matcher_jobs;
DROP TABLE provider_heartbeats;
DROP TABLE provider_status_transitions;
DROP TABLE provider_attestations;
DROP TABLE job_specs;
