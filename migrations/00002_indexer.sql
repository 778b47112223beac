-- +goose Up
CREATE TABLE indexer_leases (
    chain_id    BIGINT PRIMARY KEY,
    owner       TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
    expires_at  TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE indexer_leases IS 'One writer per chain: the indexer process holding the live lease is the only one allowed to commit. Every commit re-checks and extends it.';
COMMENT ON COLUMN indexer_leases.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN indexer_leases.owner IS 'Identifier of the indexer process (host, pid, random suffix).';
COMMENT ON COLUMN indexer_leases.expires_at IS 'The lease is free for another owner after this time (database clock).';

CREATE TABLE indexer_cursors (
    chain_id          BIGINT PRIMARY KEY,
    block_number      BIGINT NOT NULL CHECK (block_number >= 0),
    block_hash        BYTEA NOT NULL CHECK (length(block_hash) = 32),
    finalized_number  BIGINT NOT NULL CHECK (finalized_number >= 0),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
COMMENT ON TABLE indexer_cursors IS 'Last block indexed per chain, committed in the same transaction as the rows it covers.';
COMMENT ON COLUMN indexer_cursors.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN indexer_cursors.block_number IS 'Every log up to and including this block is in the logs table.';
COMMENT ON COLUMN indexer_cursors.block_hash IS 'Hash of that block; the next block''s parent hash must equal it.';
COMMENT ON COLUMN indexer_cursors.finalized_number IS 'Highest block reported final; rows at or below it never change.';
COMMENT ON COLUMN indexer_cursors.updated_at IS 'Time of the last commit.';

CREATE TABLE blocks (
    chain_id     BIGINT NOT NULL,
    number       BIGINT NOT NULL CHECK (number >= 0),
    hash         BYTEA NOT NULL CHECK (length(hash) = 32),
    parent_hash  BYTEA NOT NULL CHECK (length(parent_hash) = 32),
    block_time   TIMESTAMPTZ NOT NULL,
    finalized    BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, number),
    UNIQUE (chain_id, hash)
);
COMMENT ON TABLE blocks IS 'Headers of the unfinalized tail (every block, for parent-hash checks) and of range checkpoints below it.';
COMMENT ON COLUMN blocks.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN blocks.number IS 'Block number.';
COMMENT ON COLUMN blocks.hash IS 'Block hash (32 bytes).';
COMMENT ON COLUMN blocks.parent_hash IS 'Parent block hash (32 bytes).';
COMMENT ON COLUMN blocks.block_time IS 'Block timestamp.';
COMMENT ON COLUMN blocks.finalized IS 'True once the block is at or below the finalized block.';

CREATE TABLE logs (
    chain_id      BIGINT NOT NULL,
    block_hash    BYTEA NOT NULL CHECK (length(block_hash) = 32),
    log_index     INTEGER NOT NULL CHECK (log_index >= 0),
    block_number  BIGINT NOT NULL CHECK (block_number >= 0),
    block_time    TIMESTAMPTZ NOT NULL,
    tx_hash       BYTEA NOT NULL CHECK (length(tx_hash) = 32),
    tx_index      INTEGER NOT NULL CHECK (tx_index >= 0),
    address       BYTEA NOT NULL CHECK (length(address) = 20),
    topic0        BYTEA CHECK (length(topic0) = 32),
    topics        BYTEA[] NOT NULL,
    data          BYTEA NOT NULL,
    event_name    TEXT NOT NULL,
    finalized     BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (chain_id, block_hash, log_index)
);
CREATE INDEX logs_by_number ON logs (chain_id, block_number, log_index);
CREATE INDEX logs_unfinalized ON logs (chain_id, block_number) WHERE NOT finalized;
COMMENT ON TABLE logs IS 'Every log of the gpumarket contracts on the canonical chain, raw, with the decoded event name. Rows of reorganized blocks are deleted.';
COMMENT ON COLUMN logs.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN logs.block_hash IS 'Hash of the block holding the log.';
COMMENT ON COLUMN logs.log_index IS 'Index of the log in its block.';
COMMENT ON COLUMN logs.block_number IS 'Number of the block holding the log.';
COMMENT ON COLUMN logs.block_time IS 'Timestamp of that block.';
COMMENT ON COLUMN logs.tx_hash IS 'Hash of the transaction that emitted the log.';
COMMENT ON COLUMN logs.tx_index IS 'Index of that transaction in its block.';
COMMENT ON COLUMN logs.address IS 'Contract that emitted the log (20 bytes).';
COMMENT ON COLUMN logs.topic0 IS 'Event signature hash (keccak256 of the event signature); NULL for anonymous logs.';
COMMENT ON COLUMN logs.topics IS 'All topics, topic0 first.';
COMMENT ON COLUMN logs.data IS 'ABI-encoded non-indexed event fields.';
COMMENT ON COLUMN logs.event_name IS 'Decoded event name, e.g. JobCreated; "unknown" when the indexer does not know the event.';
COMMENT ON COLUMN logs.finalized IS 'True once the block is final: the row will never change. Act on finalized rows when reorgs matter.';

CREATE TABLE indexer_reorgs (
    id            BIGSERIAL PRIMARY KEY,
    chain_id      BIGINT NOT NULL,
    detected_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    ancestor      BIGINT NOT NULL,
    ancestor_hash BYTEA NOT NULL CHECK (length(ancestor_hash) = 32),
    depth         BIGINT NOT NULL CHECK (depth >= 0),
    old_head_hash BYTEA NOT NULL CHECK (length(old_head_hash) = 32),
    logs_removed  INTEGER NOT NULL
);
COMMENT ON TABLE indexer_reorgs IS 'Every chain reorganization the indexer handled.';
COMMENT ON COLUMN indexer_reorgs.id IS 'Sequence number.';
COMMENT ON COLUMN indexer_reorgs.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN indexer_reorgs.detected_at IS 'When the indexer rewound.';
COMMENT ON COLUMN indexer_reorgs.ancestor IS 'Number of the common ancestor; everything above it was deleted and re-indexed from the new chain.';
COMMENT ON COLUMN indexer_reorgs.ancestor_hash IS 'Hash of the common ancestor.';
COMMENT ON COLUMN indexer_reorgs.depth IS 'Blocks removed (old cursor minus ancestor).';
COMMENT ON COLUMN indexer_reorgs.old_head_hash IS 'Hash of the indexed block that was reorganized away.';
COMMENT ON COLUMN indexer_reorgs.logs_removed IS 'Logs deleted by the rewind.';

-- +goose Down
DROP TABLE indexer_reorgs;
DROP TABLE logs;
DROP TABLE blocks;
DROP TABLE indexer_cursors;
DROP TABLE indexer_leases;
