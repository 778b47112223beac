-- +goose Up
-- Backfill speed (issue 18): job_events, provider_events and market_events
-- referenced logs with a foreign key, so every decoded event copied in ran
-- a per-row constraint check (a lookup of its log and a KEY SHARE lock on
-- it, written to the log's row): about 15 us a row, a third of the gap
-- between the backfill and raw getLogs + COPY. The indexer writes an event
-- only in the transaction that copies its log, from the same batch, so the
-- check never found anything. What the foreign key still did is kept: a
-- deleted log (a reorg rewind, a replay) takes its decoded events with it,
-- now by a row trigger on logs, the same index lookups the cascade made.

-- +goose StatementBegin
CREATE FUNCTION delete_log_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM job_events WHERE chain_id = OLD.chain_id AND block_hash = OLD.block_hash AND log_index = OLD.log_index;
    DELETE FROM provider_events WHERE chain_id = OLD.chain_id AND block_hash = OLD.block_hash AND log_index = OLD.log_index;
    DELETE FROM market_events WHERE chain_id = OLD.chain_id AND block_hash = OLD.block_hash AND log_index = OLD.log_index;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
COMMENT ON FUNCTION delete_log_events() IS 'Trigger of logs: a deleted log takes its decoded events (job_events, provider_events, market_events) with it, as the foreign keys of 00004 did with ON DELETE CASCADE.';
CREATE TRIGGER logs_delete_events AFTER DELETE ON logs FOR EACH ROW EXECUTE FUNCTION delete_log_events();

ALTER TABLE job_events DROP CONSTRAINT job_events_chain_id_block_hash_log_index_fkey;
ALTER TABLE provider_events DROP CONSTRAINT provider_events_chain_id_block_hash_log_index_fkey;
ALTER TABLE market_events DROP CONSTRAINT market_events_chain_id_block_hash_log_index_fkey;

-- +goose Down
ALTER TABLE job_events ADD FOREIGN KEY (chain_id, block_hash, log_index) REFERENCES logs (chain_id, block_hash, log_index) ON DELETE CASCADE;
ALTER TABLE provider_events ADD FOREIGN KEY (chain_id, block_hash, log_index) REFERENCES logs (chain_id, block_hash, log_index) ON DELETE CASCADE;
ALTER TABLE market_events ADD FOREIGN KEY (chain_id, block_hash, log_index) REFERENCES logs (chain_id, block_hash, log_index) ON DELETE CASCADE;
DROP TRIGGER logs_delete_events ON logs;
DROP FUNCTION delete_log_events();
