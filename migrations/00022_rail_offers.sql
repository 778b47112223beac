-- +goose Up
-- A funded rail job is offered to its quoted provider's relayer as a
-- signed rail offer (prepaid: no on-chain job), and its run is recorded:
-- dispatched -> running -> delivered | failed.
ALTER TABLE rail_jobs DROP CONSTRAINT rail_jobs_state_check;
ALTER TABLE rail_jobs DROP CONSTRAINT rail_jobs_check1;
ALTER TABLE rail_jobs ADD CONSTRAINT rail_jobs_state_check
    CHECK (state IN ('funded','dispatched','running','delivered','completed','failed'));
ALTER TABLE rail_jobs ADD CONSTRAINT rail_jobs_finished_check
    CHECK ((state IN ('delivered','completed','failed')) = (finished_at IS NOT NULL));
ALTER TABLE rail_jobs ADD COLUMN started_at TIMESTAMPTZ;
ALTER TABLE rail_jobs ADD COLUMN result_hash BYTEA CHECK (result_hash IS NULL OR length(result_hash) = 32);
ALTER TABLE rail_jobs ADD COLUMN result_uri TEXT NOT NULL DEFAULT '' CHECK (length(result_uri) <= 512);
ALTER TABLE rail_jobs ADD COLUMN failure TEXT NOT NULL DEFAULT '';
ALTER TABLE rail_jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
CREATE INDEX rail_jobs_by_result ON rail_jobs (result_hash) WHERE result_hash IS NOT NULL;
ALTER TABLE rail_jobs ADD CONSTRAINT rail_jobs_delivered_check
    CHECK ((state = 'delivered') = (result_hash IS NOT NULL));
COMMENT ON COLUMN rail_jobs.state IS 'funded (payment final, not yet offered), dispatched (a signed rail offer waits for the provider''s relayer), running (the relayer claimed it and runs it), delivered (result stored, served to the payer key), failed; completed is unused (kept from 00017).';
COMMENT ON COLUMN rail_jobs.started_at IS 'When the relayer claimed the job to run it.';
COMMENT ON COLUMN rail_jobs.result_hash IS 'keccak256 of the result the relayer serves to the payer key (set when delivered).';
COMMENT ON COLUMN rail_jobs.attempts IS 'Runs the relayer started (a run cut short by a crash is started again, up to its bound); delivery happens once.';
COMMENT ON COLUMN rail_jobs.result_uri IS 'Where the relayer serves the result (GET, with the payer key''s ed25519 download signature); set when delivered.';
COMMENT ON COLUMN rail_jobs.failure IS 'Why the job failed, in words (empty unless failed).';

CREATE TABLE rail_offers (
    quote_id    BIGINT PRIMARY KEY REFERENCES rail_jobs (quote_id),
    provider    BYTEA NOT NULL CHECK (length(provider) = 20),
    expiry      BIGINT NOT NULL CHECK (expiry > 0),
    signature   BYTEA NOT NULL CHECK (length(signature) = 65),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rail_offers_by_provider ON rail_offers (provider, expiry);
COMMENT ON TABLE rail_offers IS 'Rail offers: a funded rail job offered to its quoted provider''s relayer, signed by the matcher key (EIP-712 RailOffer over quote id, reference, provider, spec hash, payer key, expiry). One per job: a dispatch repeated after a crash finds it.';
COMMENT ON COLUMN rail_offers.quote_id IS 'The quote (and job) offered.';
COMMENT ON COLUMN rail_offers.provider IS 'The quoted provider (its on-chain address).';
COMMENT ON COLUMN rail_offers.expiry IS 'Unix seconds: the relayer must claim the job before this.';
COMMENT ON COLUMN rail_offers.signature IS 'The matcher''s EIP-712 signature (65 bytes r||s||v).';
COMMENT ON COLUMN rail_offers.created_at IS 'When the offer was signed.';

-- +goose Down
DROP TABLE rail_offers;
ALTER TABLE rail_jobs DROP CONSTRAINT rail_jobs_delivered_check;
DROP INDEX rail_jobs_by_result;
ALTER TABLE rail_jobs DROP COLUMN attempts;
ALTER TABLE rail_jobs DROP COLUMN failure;
ALTER TABLE rail_jobs DROP COLUMN result_uri;
ALTER TABLE rail_jobs DROP COLUMN result_hash;
ALTER TABLE rail_jobs DROP COLUMN started_at;
ALTER TABLE rail_jobs DROP CONSTRAINT rail_jobs_finished_check;
ALTER TABLE rail_jobs DROP CONSTRAINT rail_jobs_state_check;
ALTER TABLE rail_jobs ADD CONSTRAINT rail_jobs_state_check CHECK (state IN ('funded','dispatched','completed','failed'));
ALTER TABLE rail_jobs ADD CONSTRAINT rail_jobs_check1 CHECK ((state IN ('completed','failed')) = (finished_at IS NOT NULL));
