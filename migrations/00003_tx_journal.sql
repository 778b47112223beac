-- +goose Up
CREATE TABLE tx_senders (
    chain_id    BIGINT NOT NULL CHECK (chain_id > 0),
    sender      BYTEA NOT NULL CHECK (length(sender) = 20),
    next_nonce  BIGINT NOT NULL DEFAULT 0 CHECK (next_nonce >= 0),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, sender)
);
COMMENT ON TABLE tx_senders IS 'Nonce allocator of the transaction manager: one row per signing key per chain. A nonce is taken from here in the same transaction that stores the signed raw tx, so nonces have no gaps and no duplicates.';
COMMENT ON COLUMN tx_senders.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN tx_senders.sender IS 'The signing account (20 bytes).';
COMMENT ON COLUMN tx_senders.next_nonce IS 'The nonce the next signed intent gets; raised (never lowered) to the chain''s pending nonce at start.';
COMMENT ON COLUMN tx_senders.updated_at IS 'When next_nonce last changed.';

CREATE TABLE tx_intents (
    id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chain_id                  BIGINT NOT NULL,
    sender                    BYTEA NOT NULL,
    key                       TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    recipient                 BYTEA NOT NULL CHECK (length(recipient) = 20),
    data                      BYTEA NOT NULL,
    value                     NUMERIC(78,0) NOT NULL CHECK (value >= 0),
    state                     TEXT NOT NULL DEFAULT 'planned'
                              CHECK (state IN ('planned','signed','broadcast','mined','confirmed','failed','skipped','replaced')),
    nonce                     BIGINT CHECK (nonce >= 0),
    gas_limit                 BIGINT NOT NULL DEFAULT 0 CHECK (gas_limit >= 0),
    raw_tx                    BYTEA,
    tx_hash                   BYTEA CHECK (length(tx_hash) = 32),
    max_fee_per_gas           NUMERIC(78,0) CHECK (max_fee_per_gas > 0),
    max_priority_fee_per_gas  NUMERIC(78,0) CHECK (max_priority_fee_per_gas >= 0),
    attempts                  INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    abandoned                 BOOLEAN NOT NULL DEFAULT false,
    reason                    TEXT NOT NULL DEFAULT '',
    mined_tx_hash             BYTEA CHECK (length(mined_tx_hash) = 32),
    mined_block_number        BIGINT CHECK (mined_block_number >= 0),
    mined_block_hash          BYTEA CHECK (length(mined_block_hash) = 32),
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at               TIMESTAMPTZ,
    FOREIGN KEY (chain_id, sender) REFERENCES tx_senders (chain_id, sender),
    UNIQUE (chain_id, sender, key),
    UNIQUE (chain_id, sender, nonce),
    -- a nonce exists exactly when something was signed
    CHECK ((state IN ('planned','skipped')) = (nonce IS NULL)),
    CHECK ((nonce IS NULL) = (raw_tx IS NULL) AND (raw_tx IS NULL) = (tx_hash IS NULL) AND (tx_hash IS NULL) = (max_fee_per_gas IS NULL)),
    CHECK (max_priority_fee_per_gas IS NULL OR max_priority_fee_per_gas <= max_fee_per_gas),
    -- mined and later states carry the receipt's position (failed may not: nonce taken by a foreign tx)
    CHECK (state NOT IN ('mined','confirmed','replaced') OR (mined_tx_hash IS NOT NULL AND mined_block_number IS NOT NULL AND mined_block_hash IS NOT NULL)),
    CHECK ((state IN ('confirmed','failed','skipped','replaced')) = (finished_at IS NOT NULL)),
    CHECK (state <> 'skipped' OR reason <> '')
);
CREATE INDEX tx_intents_open ON tx_intents (chain_id, sender, nonce) WHERE state IN ('planned','signed','broadcast','mined');
COMMENT ON TABLE tx_intents IS 'Transaction manager journal: one row per action a sender means to perform exactly once, keyed by an idempotency key. Rows are never deleted.';
COMMENT ON COLUMN tx_intents.id IS 'Surrogate key.';
COMMENT ON COLUMN tx_intents.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN tx_intents.sender IS 'The signing account (20 bytes).';
COMMENT ON COLUMN tx_intents.key IS 'Idempotency key, unique per (chain, sender): accept-<job>, submit-<job>, settle-<job>, withdraw-<token>-<n>, …';
COMMENT ON COLUMN tx_intents.recipient IS 'The call''s target address (the transaction''s to).';
COMMENT ON COLUMN tx_intents.data IS 'The call''s input data.';
COMMENT ON COLUMN tx_intents.value IS 'Wei sent with the call.';
COMMENT ON COLUMN tx_intents.state IS 'planned, signed, broadcast, mined, confirmed, failed, skipped or replaced (see gpumarket.TxState).';
COMMENT ON COLUMN tx_intents.nonce IS 'The nonce assigned when the intent was first signed; never changes afterwards. NULL while planned or when skipped.';
COMMENT ON COLUMN tx_intents.gas_limit IS 'Gas limit of the call (estimated once, before signing).';
COMMENT ON COLUMN tx_intents.raw_tx IS 'The latest signed attempt, EIP-2718 encoded; re-sent byte for byte after a restart.';
COMMENT ON COLUMN tx_intents.tx_hash IS 'Hash of raw_tx.';
COMMENT ON COLUMN tx_intents.max_fee_per_gas IS 'EIP-1559 fee cap of the latest attempt, wei.';
COMMENT ON COLUMN tx_intents.max_priority_fee_per_gas IS 'EIP-1559 tip cap of the latest attempt, wei.';
COMMENT ON COLUMN tx_intents.attempts IS 'Number of signed attempts (original, fee bumps, fills).';
COMMENT ON COLUMN tx_intents.abandoned IS 'True once the call will not be sent again (simulation reverts or the caller cancelled); its nonce is filled with a 0-value self-transfer.';
COMMENT ON COLUMN tx_intents.reason IS 'Why the intent was skipped, abandoned or failed (revert reason, node error); empty otherwise.';
COMMENT ON COLUMN tx_intents.mined_tx_hash IS 'Hash of the attempt whose receipt is on chain.';
COMMENT ON COLUMN tx_intents.mined_block_number IS 'Block number of that receipt.';
COMMENT ON COLUMN tx_intents.mined_block_hash IS 'Block hash of that receipt, checked every tick until confirmed to detect reorgs.';
COMMENT ON COLUMN tx_intents.created_at IS 'When the intent was recorded.';
COMMENT ON COLUMN tx_intents.updated_at IS 'Last change.';
COMMENT ON COLUMN tx_intents.finished_at IS 'When the outcome became final (confirmed, failed, skipped or replaced); NULL while open.';

CREATE TABLE tx_attempts (
    id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    intent_id                 BIGINT NOT NULL REFERENCES tx_intents (id),
    kind                      TEXT NOT NULL CHECK (kind IN ('call','fill')),
    nonce                     BIGINT NOT NULL CHECK (nonce >= 0),
    raw_tx                    BYTEA NOT NULL CHECK (length(raw_tx) > 0),
    tx_hash                   BYTEA NOT NULL UNIQUE CHECK (length(tx_hash) = 32),
    gas_limit                 BIGINT NOT NULL CHECK (gas_limit > 0),
    max_fee_per_gas           NUMERIC(78,0) NOT NULL CHECK (max_fee_per_gas > 0),
    max_priority_fee_per_gas  NUMERIC(78,0) NOT NULL CHECK (max_priority_fee_per_gas >= 0),
    signed_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    broadcast_at              TIMESTAMPTZ,
    broadcast_block           BIGINT CHECK (broadcast_block >= 0),
    send_error                TEXT NOT NULL DEFAULT '',
    mined_block_number        BIGINT CHECK (mined_block_number >= 0),
    mined_block_hash          BYTEA CHECK (length(mined_block_hash) = 32),
    CHECK (max_priority_fee_per_gas <= max_fee_per_gas),
    CHECK ((broadcast_at IS NULL) = (broadcast_block IS NULL)),
    CHECK ((mined_block_number IS NULL) = (mined_block_hash IS NULL))
);
CREATE INDEX tx_attempts_intent ON tx_attempts (intent_id, id);
COMMENT ON TABLE tx_attempts IS 'Every transaction the manager signed: the original call, fee-bumped replacements at the same nonce, and no-op fills. Stored before broadcast.';
COMMENT ON COLUMN tx_attempts.id IS 'Surrogate key; increases with signing order.';
COMMENT ON COLUMN tx_attempts.intent_id IS 'The intent this attempt serves.';
COMMENT ON COLUMN tx_attempts.kind IS 'call: the intent''s own call; fill: a 0-value self-transfer occupying an abandoned intent''s nonce.';
COMMENT ON COLUMN tx_attempts.nonce IS 'The transaction nonce; always the intent''s nonce.';
COMMENT ON COLUMN tx_attempts.raw_tx IS 'The signed transaction, EIP-2718 encoded, exactly as broadcast.';
COMMENT ON COLUMN tx_attempts.tx_hash IS 'Transaction hash (keccak256 of raw_tx).';
COMMENT ON COLUMN tx_attempts.gas_limit IS 'Gas limit signed into the tx.';
COMMENT ON COLUMN tx_attempts.max_fee_per_gas IS 'EIP-1559 fee cap, wei.';
COMMENT ON COLUMN tx_attempts.max_priority_fee_per_gas IS 'EIP-1559 tip cap, wei.';
COMMENT ON COLUMN tx_attempts.signed_at IS 'When it was signed and stored (before any broadcast).';
COMMENT ON COLUMN tx_attempts.broadcast_at IS 'When a node first accepted it; NULL if never.';
COMMENT ON COLUMN tx_attempts.broadcast_block IS 'Chain head when a node first accepted it; the stuck-transaction clock counts blocks from here.';
COMMENT ON COLUMN tx_attempts.send_error IS 'Class of the last send failure (for example nonce_too_low, underpriced, unavailable); empty when none.';
COMMENT ON COLUMN tx_attempts.mined_block_number IS 'Block of this attempt''s receipt when it was mined (at most one attempt per intent).';
COMMENT ON COLUMN tx_attempts.mined_block_hash IS 'Hash of that block.';

-- +goose Down
DROP TABLE tx_attempts;
DROP TABLE tx_intents;
DROP TABLE tx_senders;
