-- +goose Up
CREATE TABLE relayer_job_attempts (
    chain_id       BIGINT NOT NULL CHECK (chain_id > 0),
    provider       BYTEA NOT NULL CHECK (length(provider) = 20),
    job_id         NUMERIC(78,0) NOT NULL CHECK (job_id > 0),
    job_hash       BYTEA NOT NULL CHECK (length(job_hash) = 32),
    attempts       INTEGER NOT NULL CHECK (attempts >= 0),
    last_error     TEXT NOT NULL DEFAULT '',
    next_at        TIMESTAMPTZ,
    abandoned_at   TIMESTAMPTZ,
    abandon_reason TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, provider, job_id, job_hash)
);
COMMENT ON TABLE relayer_job_attempts IS 'A provider''s relayer''s runs of each job it accepted: the count is recorded before each run, so that a job is run at most the configured number of times (max attempts) across restarts; an abandoned job is never run again, and its client may refund it after the deadline.';
COMMENT ON COLUMN relayer_job_attempts.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN relayer_job_attempts.provider IS 'The provider (operator address) whose relayer ran the job.';
COMMENT ON COLUMN relayer_job_attempts.job_id IS 'The job.';
COMMENT ON COLUMN relayer_job_attempts.job_hash IS 'The job''s hash as created: a job a reorg renumbered to the same id is another job, with a row of its own.';
COMMENT ON COLUMN relayer_job_attempts.attempts IS 'Runs started, the one in progress included.';
COMMENT ON COLUMN relayer_job_attempts.last_error IS 'Why the last failed run failed (empty when none did).';
COMMENT ON COLUMN relayer_job_attempts.next_at IS 'The next run starts no earlier than this (the backoff after a failure); NULL: at once.';
COMMENT ON COLUMN relayer_job_attempts.abandoned_at IS 'When the relayer gave the job up (NULL while it has not): no result will be submitted.';
COMMENT ON COLUMN relayer_job_attempts.abandon_reason IS 'Why the relayer gave the job up.';
COMMENT ON COLUMN relayer_job_attempts.updated_at IS 'When the row last changed.';

-- +goose Down
DROP TABLE relayer_job_attempts;
