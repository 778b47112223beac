-- +goose Up
CREATE TABLE rail_cursors (
    rail        TEXT NOT NULL CHECK (rail IN ('solana')),
    address     TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 64),
    cursor      TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (rail, address)
);
COMMENT ON TABLE rail_cursors IS 'Where the rail follower resumes for each watched deposit address.';
COMMENT ON COLUMN rail_cursors.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN rail_cursors.address IS 'Watched deposit address (base58 for solana).';
COMMENT ON COLUMN rail_cursors.cursor IS 'Newest transaction signature such that it and every older one are finalized; the next poll lists only newer ones. Empty: from the beginning.';
COMMENT ON COLUMN rail_cursors.updated_at IS 'When the cursor last moved.';

CREATE TABLE rail_payments (
    rail               TEXT NOT NULL CHECK (rail IN ('solana')),
    signature          TEXT NOT NULL CHECK (length(signature) BETWEEN 1 AND 128),
    instruction        INTEGER NOT NULL CHECK (instruction >= 0),
    inner_instruction  INTEGER NOT NULL CHECK (inner_instruction >= -1),
    address            TEXT NOT NULL,
    slot               BIGINT NOT NULL CHECK (slot >= 0),
    block_time         TIMESTAMPTZ,
    payer              TEXT NOT NULL,
    recipient          TEXT NOT NULL,
    mint               TEXT NOT NULL DEFAULT '',
    amount             NUMERIC(78,0) NOT NULL CHECK (amount >= 0),
    decimals           SMALLINT NOT NULL CHECK (decimals BETWEEN 0 AND 255),
    memo               TEXT NOT NULL DEFAULT '',
    job_chain_id       BIGINT CHECK (job_chain_id > 0),
    job_id             NUMERIC(78,0) CHECK (job_id >= 0),
    job_ref_error      TEXT NOT NULL DEFAULT '',
    final              BOOLEAN NOT NULL DEFAULT false,
    first_seen_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (rail, signature, instruction, inner_instruction),
    CHECK ((job_chain_id IS NULL) = (job_id IS NULL))
);
CREATE INDEX rail_payments_by_job ON rail_payments (job_chain_id, job_id) WHERE job_id IS NOT NULL;
CREATE INDEX rail_payments_by_address ON rail_payments (rail, address, slot);
COMMENT ON TABLE rail_payments IS 'Payments into watched deposit addresses on payment rails outside the EVM chain (Solana: SOL and SPL tokens), as the rail follower saw them. A payment not yet final is updated when it is; money that arrived is recorded even when its memo names no job or a malformed one.';
COMMENT ON COLUMN rail_payments.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN rail_payments.signature IS 'Transaction signature (base58).';
COMMENT ON COLUMN rail_payments.instruction IS 'Index of the top-level instruction holding the transfer (or whose inner instructions hold it).';
COMMENT ON COLUMN rail_payments.inner_instruction IS 'Index within the inner instructions of instruction; -1 for a top-level transfer.';
COMMENT ON COLUMN rail_payments.address IS 'The watched deposit address the payment credits (directly, or through a token account it owns).';
COMMENT ON COLUMN rail_payments.slot IS 'Slot of the transaction.';
COMMENT ON COLUMN rail_payments.block_time IS 'Block time; NULL when the node does not know it.';
COMMENT ON COLUMN rail_payments.payer IS 'Who paid: the source account (SOL) or the transfer authority (SPL), not necessarily the fee payer.';
COMMENT ON COLUMN rail_payments.recipient IS 'Account credited: the system account (SOL) or the destination token account (SPL).';
COMMENT ON COLUMN rail_payments.mint IS 'Token mint; empty for SOL.';
COMMENT ON COLUMN rail_payments.amount IS 'Amount in base units (lamports or the token''s smallest unit), exact.';
COMMENT ON COLUMN rail_payments.decimals IS 'Decimals of the amount (9 for SOL, the mint''s for SPL).';
COMMENT ON COLUMN rail_payments.memo IS 'Memo text of the transaction, memos joined with "; ".';
COMMENT ON COLUMN rail_payments.job_chain_id IS 'EVM chain id of the job the memo names (gpumarket:job:<chainId>:<jobId>); NULL when it names none.';
COMMENT ON COLUMN rail_payments.job_id IS 'Job id the memo names; NULL when it names none.';
COMMENT ON COLUMN rail_payments.job_ref_error IS 'Why a memo claiming to name a job was refused (malformed, or two different jobs); empty otherwise.';
COMMENT ON COLUMN rail_payments.final IS 'The transaction is finalized and cannot be rolled back.';
COMMENT ON COLUMN rail_payments.first_seen_at IS 'When the follower first saw the payment.';
COMMENT ON COLUMN rail_payments.updated_at IS 'When the row last changed (e.g. became final).';

-- +goose Down
DROP TABLE rail_payments;
DROP TABLE rail_cursors;
