-- +goose Up
CREATE TABLE rail_quotes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rail        TEXT NOT NULL CHECK (rail IN ('solana')),
    reference   TEXT NOT NULL UNIQUE CHECK (length(reference) BETWEEN 32 AND 44),
    cluster     TEXT NOT NULL CHECK (length(cluster) BETWEEN 32 AND 44),
    chain_id    BIGINT NOT NULL CHECK (chain_id > 0),
    provider    BYTEA NOT NULL CHECK (length(provider) = 20),
    recipient   TEXT NOT NULL CHECK (length(recipient) BETWEEN 32 AND 44),
    mint        TEXT NOT NULL DEFAULT '',
    decimals    SMALLINT NOT NULL CHECK (decimals BETWEEN 0 AND 255),
    amount      NUMERIC(78,0) NOT NULL CHECK (amount > 0),
    spec_hash   BYTEA NOT NULL CHECK (length(spec_hash) = 32),
    breakdown   JSONB NOT NULL,
    memo        TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX rail_quotes_open ON rail_quotes (rail, expires_at);
COMMENT ON TABLE rail_quotes IS 'Quotes answered with 402 Payment Required for jobs paid on a rail outside the EVM chain (Solana Pay). A quote is paid by a finalized transfer that carries its reference key; payment goes straight to the provider (no escrow).';
COMMENT ON COLUMN rail_quotes.id IS 'Quote id.';
COMMENT ON COLUMN rail_quotes.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN rail_quotes.reference IS 'Fresh public key (base58) unique to the quote; the payment is found by listing its transactions (getSignaturesForAddress).';
COMMENT ON COLUMN rail_quotes.cluster IS 'Genesis hash of the cluster the quote must be paid on.';
COMMENT ON COLUMN rail_quotes.chain_id IS 'EVM chain id of the market the provider is registered on.';
COMMENT ON COLUMN rail_quotes.provider IS 'Provider the matcher chose (its on-chain address).';
COMMENT ON COLUMN rail_quotes.recipient IS 'The provider''s Solana wallet (bound to its provider address by its attestation), paid directly.';
COMMENT ON COLUMN rail_quotes.mint IS 'SPL token mint to pay in; empty for SOL.';
COMMENT ON COLUMN rail_quotes.decimals IS 'Decimals of the amount (9 for SOL).';
COMMENT ON COLUMN rail_quotes.amount IS 'Amount to pay, in base units (lamports or the token''s smallest unit), exact; what arrives counts (after a Token-2022 transfer fee).';
COMMENT ON COLUMN rail_quotes.spec_hash IS 'Hash of the job spec the quote prices.';
COMMENT ON COLUMN rail_quotes.breakdown IS 'The oracle quote it was priced from (lines, fee, total in the pricing token) and the conversion to the rail''s units.';
COMMENT ON COLUMN rail_quotes.memo IS 'Human-readable memo asked of the payment (a backup; the reference binds).';
COMMENT ON COLUMN rail_quotes.url IS 'Solana Pay transfer request URL.';
COMMENT ON COLUMN rail_quotes.created_at IS 'When the quote was made.';
COMMENT ON COLUMN rail_quotes.expires_at IS 'A payment whose block time is at or after this does not fund the job.';

CREATE TABLE rail_quote_payments (
    quote_id    BIGINT NOT NULL REFERENCES rail_quotes (id),
    signature   TEXT NOT NULL CHECK (length(signature) BETWEEN 1 AND 128),
    slot        BIGINT NOT NULL CHECK (slot >= 0),
    block_time  TIMESTAMPTZ,
    payer       TEXT NOT NULL DEFAULT '',
    mint        TEXT NOT NULL DEFAULT '',
    arrived     NUMERIC(78,0) NOT NULL DEFAULT 0 CHECK (arrived >= 0),
    excess      NUMERIC(78,0) NOT NULL DEFAULT 0 CHECK (excess >= 0),
    verdict     TEXT NOT NULL CHECK (verdict IN ('funds','underpaid','late','wrong_mint','wrong_recipient','failed','no_reference','unreadable','spent')),
    reason      TEXT NOT NULL DEFAULT '',
    seen_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (quote_id, signature)
);
CREATE INDEX rail_quote_payments_by_signature ON rail_quote_payments (signature);
COMMENT ON TABLE rail_quote_payments IS 'Every finalized transaction seen or presented for a rail quote, with what it does for the quote. Under-, late, wrong-mint and wrong-recipient payments are recorded and reported here and never start a job.';
COMMENT ON COLUMN rail_quote_payments.quote_id IS 'The quote whose reference the transaction carries (or for which it was presented).';
COMMENT ON COLUMN rail_quote_payments.signature IS 'Transaction signature (base58).';
COMMENT ON COLUMN rail_quote_payments.slot IS 'Slot of the transaction.';
COMMENT ON COLUMN rail_quote_payments.block_time IS 'Block time; NULL when the node does not know it (then it cannot fund: the expiry cannot be checked).';
COMMENT ON COLUMN rail_quote_payments.payer IS 'Who paid: the SOL source or the SPL transfer authority; its key signs result downloads.';
COMMENT ON COLUMN rail_quote_payments.mint IS 'Mint of the quote (empty for SOL).';
COMMENT ON COLUMN rail_quote_payments.arrived IS 'Base units that reached the recipient in the quoted mint (after any Token-2022 transfer fee).';
COMMENT ON COLUMN rail_quote_payments.excess IS 'Over-payment: what arrived above the quoted amount.';
COMMENT ON COLUMN rail_quote_payments.verdict IS 'funds, underpaid, late, wrong_mint, wrong_recipient, failed, no_reference (presented for a quote it does not carry), unreadable (set aside, checked again), spent (valid, but it already funds a job or the quote is funded).';
COMMENT ON COLUMN rail_quote_payments.reason IS 'Why the verdict is not funds, in words.';
COMMENT ON COLUMN rail_quote_payments.seen_at IS 'When it was first recorded.';

CREATE TABLE rail_jobs (
    quote_id       BIGINT PRIMARY KEY REFERENCES rail_quotes (id),
    rail           TEXT NOT NULL CHECK (rail IN ('solana')),
    signature      TEXT NOT NULL,
    payer          TEXT NOT NULL,
    paid           NUMERIC(78,0) NOT NULL CHECK (paid > 0),
    excess         NUMERIC(78,0) NOT NULL DEFAULT 0 CHECK (excess >= 0),
    state          TEXT NOT NULL CHECK (state IN ('funded','dispatched','completed','failed')),
    funded_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    dispatched_at  TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (rail, signature),
    FOREIGN KEY (quote_id, signature) REFERENCES rail_quote_payments (quote_id, signature),
    CHECK ((state = 'funded') = (dispatched_at IS NULL)),
    CHECK ((state IN ('completed','failed')) = (finished_at IS NOT NULL))
);
CREATE INDEX rail_jobs_funded ON rail_jobs (funded_at) WHERE state = 'funded';
COMMENT ON TABLE rail_jobs IS 'Jobs paid on a rail: one per quote, funded by one finalized payment that funds no other job (UNIQUE (rail, signature)), with their lifecycle.';
COMMENT ON COLUMN rail_jobs.quote_id IS 'The quote the job was paid against.';
COMMENT ON COLUMN rail_jobs.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN rail_jobs.signature IS 'The funding transaction (joins rail_quote_payments, and rail_payments where a follower watches the wallet).';
COMMENT ON COLUMN rail_jobs.payer IS 'The payer key: the one results are served to.';
COMMENT ON COLUMN rail_jobs.paid IS 'Base units that arrived.';
COMMENT ON COLUMN rail_jobs.excess IS 'Over-payment recorded (what arrived above the quote).';
COMMENT ON COLUMN rail_jobs.state IS 'funded (payment final, not yet sent to the provider), dispatched, completed, failed.';
COMMENT ON COLUMN rail_jobs.funded_at IS 'When the payment was bound to the job.';
COMMENT ON COLUMN rail_jobs.dispatched_at IS 'When the job was handed to the provider.';
COMMENT ON COLUMN rail_jobs.finished_at IS 'When it completed or failed.';
COMMENT ON COLUMN rail_jobs.updated_at IS 'When the row last changed.';

-- +goose Down
DROP TABLE rail_jobs;
DROP TABLE rail_quote_payments;
DROP TABLE rail_quotes;
