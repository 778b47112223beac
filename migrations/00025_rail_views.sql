-- +goose Up
-- Analyst views over jobs paid on a rail (Solana Pay): one row per rail
-- job with its quote, funding payment and provider, and a daily volume.
-- Conventions as in 00005: EVM addresses and hashes as lower-case 0x hex,
-- Solana keys and signatures as base58 text, amounts NUMERIC(78,0) in the
-- rail's base units (lamports or the mint's smallest unit), times UTC.

CREATE VIEW v_rail_jobs AS
SELECT j.quote_id,
       j.rail,
       j.state,
       q.chain_id,
       gm_hex(q.provider) AS provider,
       p.active AS provider_active,
       p.stake AS provider_stake,
       q.recipient,
       j.payer,
       q.mint,
       q.decimals,
       q.amount AS quoted,
       qp.arrived,
       j.excess,
       j.signature,
       qp.slot,
       qp.block_time AS paid_at,
       q.reference,
       q.cluster AS genesis_hash,
       w.watched_genesis_hash,
       w.final AS watched_final,
       gm_hex(q.spec_hash) AS spec_hash,
       q.created_at AS quoted_at,
       q.expires_at,
       j.funded_at,
       j.dispatched_at,
       j.started_at,
       j.finished_at,
       j.attempts,
       gm_hex(j.result_hash) AS result_hash,
       j.failure,
       j.funded_at - q.created_at AS to_fund,
       j.finished_at - j.started_at AS to_result,
       j.finished_at - j.funded_at AS to_finish
FROM rail_jobs j
JOIN rail_quotes q ON q.id = j.quote_id
JOIN rail_quote_payments qp ON qp.quote_id = j.quote_id AND qp.signature = j.signature
LEFT JOIN providers p ON p.chain_id = q.chain_id AND p.provider = q.provider
LEFT JOIN LATERAL (
    SELECT min(rp.genesis_hash) AS watched_genesis_hash, bool_and(rp.final) AS final
    FROM rail_payments rp WHERE rp.rail = j.rail AND rp.signature = j.signature
) w ON true;
COMMENT ON VIEW v_rail_jobs IS 'Every job paid on a rail (Solana Pay), one row per quote id, with its quote, the one payment that funds it and the quoted provider. Sources: rail_jobs, rail_quotes, rail_quote_payments (the funding payment, at finalized commitment), rail_payments (only where a rail follower also watches the provider''s wallet), providers.';
COMMENT ON COLUMN v_rail_jobs.quote_id IS 'Quote id (also the rail job''s id).';
COMMENT ON COLUMN v_rail_jobs.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN v_rail_jobs.state IS 'funded, dispatched, running, delivered or failed (completed: unused).';
COMMENT ON COLUMN v_rail_jobs.chain_id IS 'EVM chain id of the market the provider is registered on.';
COMMENT ON COLUMN v_rail_jobs.provider IS 'Quoted provider (0x hex of its on-chain address).';
COMMENT ON COLUMN v_rail_jobs.provider_active IS 'Whether the provider is active in the registry now; NULL when the indexer has not seen it.';
COMMENT ON COLUMN v_rail_jobs.provider_stake IS 'The provider''s stake now, in the staking token''s base units (the client''s recourse: payment goes straight to the provider); NULL when unknown.';
COMMENT ON COLUMN v_rail_jobs.recipient IS 'The provider''s Solana wallet that was paid (base58).';
COMMENT ON COLUMN v_rail_jobs.payer IS 'The payer key (base58): the one results are served to.';
COMMENT ON COLUMN v_rail_jobs.mint IS 'SPL token mint; empty for SOL.';
COMMENT ON COLUMN v_rail_jobs.decimals IS 'Decimals of the amounts (9 for SOL).';
COMMENT ON COLUMN v_rail_jobs.quoted IS 'Amount quoted, in base units.';
COMMENT ON COLUMN v_rail_jobs.arrived IS 'Base units that reached the provider (after any Token-2022 transfer fee); at least quoted.';
COMMENT ON COLUMN v_rail_jobs.excess IS 'Over-payment: arrived − quoted.';
COMMENT ON COLUMN v_rail_jobs.signature IS 'The funding transaction signature (base58).';
COMMENT ON COLUMN v_rail_jobs.slot IS 'Slot of the funding transaction.';
COMMENT ON COLUMN v_rail_jobs.paid_at IS 'Block time of the funding transaction.';
COMMENT ON COLUMN v_rail_jobs.reference IS 'The quote''s reference key (base58) that binds the payment.';
COMMENT ON COLUMN v_rail_jobs.genesis_hash IS 'Genesis hash of the cluster the quote was paid on (base58).';
COMMENT ON COLUMN v_rail_jobs.watched_genesis_hash IS 'Cluster a rail follower watching the wallet saw the payment on; NULL when no follower recorded it.';
COMMENT ON COLUMN v_rail_jobs.watched_final IS 'Whether the follower''s rail_payments rows of the transaction are final; NULL when none.';
COMMENT ON COLUMN v_rail_jobs.spec_hash IS 'Hash of the job spec (0x hex).';
COMMENT ON COLUMN v_rail_jobs.quoted_at IS 'When the quote was made.';
COMMENT ON COLUMN v_rail_jobs.expires_at IS 'Quote expiry.';
COMMENT ON COLUMN v_rail_jobs.funded_at IS 'When the payment was bound to the job.';
COMMENT ON COLUMN v_rail_jobs.dispatched_at IS 'When the signed rail offer was made to the provider.';
COMMENT ON COLUMN v_rail_jobs.started_at IS 'When the provider''s relayer claimed the job.';
COMMENT ON COLUMN v_rail_jobs.finished_at IS 'When it was delivered or failed.';
COMMENT ON COLUMN v_rail_jobs.attempts IS 'Runs the relayer started.';
COMMENT ON COLUMN v_rail_jobs.result_hash IS 'keccak256 of the delivered result (0x hex); NULL unless delivered.';
COMMENT ON COLUMN v_rail_jobs.failure IS 'Why the job failed (empty unless failed).';
COMMENT ON COLUMN v_rail_jobs.to_fund IS 'Quote to funding.';
COMMENT ON COLUMN v_rail_jobs.to_result IS 'Claim to delivery or failure.';
COMMENT ON COLUMN v_rail_jobs.to_finish IS 'Funding to delivery or failure.';

CREATE VIEW v_rail_volume_daily AS
SELECT (j.funded_at AT TIME ZONE 'UTC')::DATE AS day,
       j.rail,
       q.chain_id,
       q.mint,
       count(*) AS jobs_funded,
       count(*) FILTER (WHERE j.state = 'delivered') AS jobs_delivered,
       count(*) FILTER (WHERE j.state = 'failed') AS jobs_failed,
       count(*) FILTER (WHERE j.state NOT IN ('delivered', 'completed', 'failed')) AS jobs_open,
       sum(q.amount)::NUMERIC(78,0) AS volume_quoted,
       sum(j.paid)::NUMERIC(78,0) AS volume_paid,
       sum(j.excess)::NUMERIC(78,0) AS volume_excess,
       coalesce(sum(j.paid) FILTER (WHERE j.state = 'delivered'), 0)::NUMERIC(78,0) AS volume_delivered,
       coalesce(sum(j.paid) FILTER (WHERE j.state = 'failed'), 0)::NUMERIC(78,0) AS volume_failed
FROM rail_jobs j JOIN rail_quotes q ON q.id = j.quote_id
GROUP BY 1, 2, 3, 4;
COMMENT ON VIEW v_rail_volume_daily IS 'Rail (Solana Pay) volume per UTC day of funding, rail, EVM chain and mint, with how the jobs funded that day stand now. Amounts in the mint''s base units (lamports for SOL), paid straight to providers (not in v_market_volume_daily, whose amounts are EVM escrow tokens). Source: rail_jobs, rail_quotes.';
COMMENT ON COLUMN v_rail_volume_daily.day IS 'UTC day the jobs were funded.';
COMMENT ON COLUMN v_rail_volume_daily.rail IS 'Payment rail: solana.';
COMMENT ON COLUMN v_rail_volume_daily.chain_id IS 'EVM chain id of the providers'' market.';
COMMENT ON COLUMN v_rail_volume_daily.mint IS 'SPL token mint; empty for SOL.';
COMMENT ON COLUMN v_rail_volume_daily.jobs_funded IS 'Rail jobs funded that day.';
COMMENT ON COLUMN v_rail_volume_daily.jobs_delivered IS 'Of those, delivered.';
COMMENT ON COLUMN v_rail_volume_daily.jobs_failed IS 'Of those, failed.';
COMMENT ON COLUMN v_rail_volume_daily.jobs_open IS 'Of those, still funded, dispatched or running.';
COMMENT ON COLUMN v_rail_volume_daily.volume_quoted IS 'Sum of the quoted amounts.';
COMMENT ON COLUMN v_rail_volume_daily.volume_paid IS 'Sum of what arrived (quoted + excess).';
COMMENT ON COLUMN v_rail_volume_daily.volume_excess IS 'Sum of over-payments.';
COMMENT ON COLUMN v_rail_volume_daily.volume_delivered IS 'Paid for jobs that were delivered.';
COMMENT ON COLUMN v_rail_volume_daily.volume_failed IS 'Paid for jobs that failed (no escrow: the client''s recourse is the provider''s stake and reputation).';

-- +goose Down
DROP VIEW v_rail_volume_daily;
DROP VIEW v_rail_jobs;
