-- +goose Up
-- Oracle snapshots are per chain: a token address names a contract on one
-- chain, and two chains sharing a database may use the same address for
-- different tokens.
ALTER TABLE oracle_snapshots ADD COLUMN chain_id BIGINT CHECK (chain_id > 0);
-- Snapshots recorded before carry no chain. Each is given the only chain
-- whose jobs are paid in its token, or else the only chain followed; one
-- that stays ambiguous is deleted: it mixed chains (the oracle's inputs,
-- the settled jobs, are kept and the next scheduled run recomputes it).
UPDATE oracle_snapshots s SET chain_id = (SELECT min(j.chain_id) FROM jobs j WHERE j.token = s.token)
WHERE (SELECT count(DISTINCT j.chain_id) FROM jobs j WHERE j.token = s.token) = 1;
UPDATE oracle_snapshots SET chain_id = (SELECT min(chain_id) FROM chains)
WHERE chain_id IS NULL AND (SELECT count(*) FROM chains) = 1;
DELETE FROM oracle_snapshots WHERE chain_id IS NULL;
ALTER TABLE oracle_snapshots ALTER COLUMN chain_id SET NOT NULL;
DROP INDEX oracle_snapshots_by_key;
CREATE INDEX oracle_snapshots_by_key ON oracle_snapshots (chain_id, kind, unit, gpu_class, token, computed_at DESC);
COMMENT ON COLUMN oracle_snapshots.chain_id IS 'EIP-155 chain id of the settlements and the token.';

-- +goose Down
DROP INDEX oracle_snapshots_by_key;
CREATE INDEX oracle_snapshots_by_key ON oracle_snapshots (kind, unit, gpu_class, token, computed_at DESC);
ALTER TABLE oracle_snapshots DROP COLUMN chain_id;
