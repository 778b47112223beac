-- +goose Up
CREATE TABLE chains (
    chain_id    BIGINT PRIMARY KEY CHECK (chain_id > 0),
    name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 64),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE chains IS 'EVM chains gpumarket follows. Every chain-derived row carries its chain_id.';
COMMENT ON COLUMN chains.chain_id IS 'EIP-155 chain id, as the node reports it (eth_chainId).';
COMMENT ON COLUMN chains.name IS 'Human name of the chain, for dashboards.';
COMMENT ON COLUMN chains.created_at IS 'When gpumarket first saw the chain.';

-- +goose Down
DROP TABLE chains;
