-- +goose Up
ALTER TABLE rail_cursors ADD COLUMN genesis_hash TEXT NOT NULL DEFAULT '' CHECK (length(genesis_hash) <= 64);
COMMENT ON COLUMN rail_cursors.genesis_hash IS 'Cluster the address is followed on (Solana: the genesis hash, base58), pinned by the first poll; the follower refuses a node on another cluster. Empty only for rows written before the pin existed.';

ALTER TABLE rail_payments ADD COLUMN genesis_hash TEXT NOT NULL DEFAULT '' CHECK (length(genesis_hash) <= 64);
COMMENT ON COLUMN rail_payments.genesis_hash IS 'Cluster the payment was seen on (Solana: the genesis hash, base58); empty for payments recorded before clusters were pinned.';

CREATE TABLE rail_rejected_transactions (
    rail           TEXT NOT NULL CHECK (rail IN ('solana')),
    address        TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
    signature      TEXT NOT NULL CHECK (length(signature) BETWEEN 1 AND 128),
    slot           BIGINT NOT NULL CHECK (slot >= 0),
    reason         TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    genesis_hash   TEXT NOT NULL CHECK (length(genesis_hash) BETWEEN 1 AND 64),
    final          BOOLEAN NOT NULL DEFAULT false,
    first_seen_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (rail, address, signature)
);
COMMENT ON TABLE rail_rejected_transactions IS 'Transactions listed for a watched address that the rail follower set aside because the node''s answer for them (with the right signature) cannot be decoded. They pay nothing; once final the follower''s cursor moves past them, so they are not fetched again. An operator may re-examine them after a decoder fix.';
COMMENT ON COLUMN rail_rejected_transactions.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN rail_rejected_transactions.address IS 'The watched address whose listing named the transaction.';
COMMENT ON COLUMN rail_rejected_transactions.signature IS 'Transaction signature (base58).';
COMMENT ON COLUMN rail_rejected_transactions.slot IS 'Slot of the transaction, as listed.';
COMMENT ON COLUMN rail_rejected_transactions.reason IS 'Why it was set aside (the decoder''s error).';
COMMENT ON COLUMN rail_rejected_transactions.genesis_hash IS 'Cluster it was seen on (Solana: the genesis hash, base58).';
COMMENT ON COLUMN rail_rejected_transactions.final IS 'The transaction was finalized when it was set aside.';
COMMENT ON COLUMN rail_rejected_transactions.first_seen_at IS 'When the follower first set it aside.';
COMMENT ON COLUMN rail_rejected_transactions.updated_at IS 'When the row last changed.';

CREATE TABLE rail_non_payments (
    rail               TEXT NOT NULL CHECK (rail IN ('solana')),
    signature          TEXT NOT NULL CHECK (length(signature) BETWEEN 1 AND 128),
    instruction        INTEGER NOT NULL CHECK (instruction >= 0),
    inner_instruction  INTEGER NOT NULL CHECK (inner_instruction >= -1),
    address            TEXT NOT NULL,
    slot               BIGINT NOT NULL CHECK (slot >= 0),
    block_time         TIMESTAMPTZ,
    kind               TEXT NOT NULL CHECK (kind IN ('transfer_with_seed', 'ata_rent')),
    reason             TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    source             TEXT NOT NULL,
    recipient          TEXT NOT NULL,
    mint               TEXT NOT NULL DEFAULT '',
    amount             NUMERIC(78,0) NOT NULL CHECK (amount >= 0),
    decimals           SMALLINT NOT NULL CHECK (decimals BETWEEN 0 AND 255),
    genesis_hash       TEXT NOT NULL CHECK (length(genesis_hash) BETWEEN 1 AND 64),
    final              BOOLEAN NOT NULL DEFAULT false,
    first_seen_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (rail, signature, instruction, inner_instruction)
);
CREATE INDEX rail_non_payments_by_address ON rail_non_payments (rail, address, slot);
COMMENT ON TABLE rail_non_payments IS 'Value that successful rail transactions moved into watched addresses and that is deliberately not a payment, with the reason: System transferWithSeed (not accepted as a payment), and the rent the Associated Token Account program moves into a token account it creates. Recorded so that nothing credited to a watched address is dropped silently or counted as a payment; never funds a job.';
COMMENT ON COLUMN rail_non_payments.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN rail_non_payments.signature IS 'Transaction signature (base58).';
COMMENT ON COLUMN rail_non_payments.instruction IS 'Index of the top-level instruction holding it (or whose inner instructions hold it).';
COMMENT ON COLUMN rail_non_payments.inner_instruction IS 'Index within the inner instructions of instruction; -1 for a top-level instruction.';
COMMENT ON COLUMN rail_non_payments.address IS 'The watched address credited.';
COMMENT ON COLUMN rail_non_payments.slot IS 'Slot of the transaction.';
COMMENT ON COLUMN rail_non_payments.block_time IS 'Block time; NULL when the node does not know it.';
COMMENT ON COLUMN rail_non_payments.kind IS 'transfer_with_seed: a System transferWithSeed; ata_rent: rent funding a token account created by the Associated Token Account program.';
COMMENT ON COLUMN rail_non_payments.reason IS 'Why it is not a payment, in words.';
COMMENT ON COLUMN rail_non_payments.source IS 'Account debited.';
COMMENT ON COLUMN rail_non_payments.recipient IS 'Account credited.';
COMMENT ON COLUMN rail_non_payments.mint IS 'Token mint; empty for SOL (all current kinds are lamports).';
COMMENT ON COLUMN rail_non_payments.amount IS 'Amount in base units (lamports), exact.';
COMMENT ON COLUMN rail_non_payments.decimals IS 'Decimals of the amount (9 for SOL).';
COMMENT ON COLUMN rail_non_payments.genesis_hash IS 'Cluster it was seen on (Solana: the genesis hash, base58).';
COMMENT ON COLUMN rail_non_payments.final IS 'The transaction is finalized.';
COMMENT ON COLUMN rail_non_payments.first_seen_at IS 'When the follower first saw it.';
COMMENT ON COLUMN rail_non_payments.updated_at IS 'When the row last changed (e.g. became final).';

-- +goose Down
DROP TABLE rail_non_payments;
DROP TABLE rail_rejected_transactions;
ALTER TABLE rail_payments DROP COLUMN genesis_hash;
ALTER TABLE rail_cursors DROP COLUMN genesis_hash;
