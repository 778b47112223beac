-- +goose Up
CREATE TABLE relayer_results (
    chain_id     BIGINT NOT NULL CHECK (chain_id > 0),
    provider     BYTEA NOT NULL CHECK (length(provider) = 20),
    result_hash  BYTEA NOT NULL CHECK (length(result_hash) = 32),
    job_id       NUMERIC(78,0) NOT NULL CHECK (job_id > 0),
    client       BYTEA NOT NULL CHECK (length(client) = 20),
    size_bytes   BIGINT NOT NULL CHECK (size_bytes >= 0),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, provider, result_hash, job_id)
);
CREATE INDEX relayer_results_hash ON relayer_results (chain_id, provider, result_hash);
COMMENT ON TABLE relayer_results IS 'Results a provider''s relayer stored (content-addressed on its disk) and the client allowed to download each: the relayer''s result server answers only a signature by that client. Written before the result hash is committed on-chain, so a restarted relayer still serves every committed result.';
COMMENT ON COLUMN relayer_results.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN relayer_results.created_at IS 'When the relayer stored the result.';
COMMENT ON COLUMN relayer_results.provider IS 'The provider (operator address) whose relayer holds the bytes.';
COMMENT ON COLUMN relayer_results.result_hash IS 'keccak256 of the exact result bytes: the hash committed on-chain by submitResult.';
COMMENT ON COLUMN relayer_results.job_id IS 'The job the result is for.';
COMMENT ON COLUMN relayer_results.client IS 'The job''s client: the only address allowed to download the result.';
COMMENT ON COLUMN relayer_results.size_bytes IS 'Size of the result in bytes.';

-- +goose Down
DROP TABLE relayer_results;
