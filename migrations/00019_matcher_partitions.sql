-- +goose Up
-- Matcher scale-out (issue 18): providers are split into a fixed number of
-- partitions (FNV-1a of the address modulo matcher_partitions' row count,
-- computed by package matcher/service), and each running matcher instance
-- holds a lease on a share of them. An instance offers jobs only to the
-- providers of its partitions, so instances no longer race for the same
-- cheapest providers; a job it cannot place among them is routed to the
-- partition of the best provider elsewhere (matcher_jobs.route_partition),
-- whose holder alone claims it next. Partition leases only keep instances
-- apart for speed: capacity and "one live offer per job" stay enforced by
-- the job leases, the live-offer index and the provider load locks.

CREATE TABLE matcher_instances (
    chain_id   BIGINT NOT NULL,
    instance   TEXT NOT NULL CHECK (length(instance) BETWEEN 1 AND 200),
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chain_id, instance)
);
COMMENT ON TABLE matcher_instances IS 'Matcher instances alive per chain: each renews its row with its partition leases; a row past expires_at is deleted by the next renewal of any instance and its partitions are shared out among the rest.';
COMMENT ON COLUMN matcher_instances.chain_id IS 'EIP-155 chain id the instance matches.';
COMMENT ON COLUMN matcher_instances.instance IS 'Lease owner id (matcher run --instance).';
COMMENT ON COLUMN matcher_instances.expires_at IS 'The instance counts as gone after this time.';

CREATE TABLE matcher_partitions (
    chain_id    BIGINT NOT NULL,
    part        INTEGER NOT NULL CHECK (part >= 0),
    owner       TEXT,
    expires_at  TIMESTAMPTZ,
    acquired_at TIMESTAMPTZ,
    PRIMARY KEY (chain_id, part),
    CHECK ((owner IS NULL) = (expires_at IS NULL))
);
COMMENT ON TABLE matcher_partitions IS 'Provider partitions and the matcher instance leasing each: the holder alone offers jobs to the partition''s providers. Partition p of n live instances (sorted by id) belongs to the instance of rank p mod n; a holder releases what is no longer its share and takes its share once free or lapsed.';
COMMENT ON COLUMN matcher_partitions.chain_id IS 'EIP-155 chain id.';
COMMENT ON COLUMN matcher_partitions.part IS 'Partition number: FNV-1a (32-bit) of the provider address modulo the partition count.';
COMMENT ON COLUMN matcher_partitions.owner IS 'Instance holding the lease; NULL when free.';
COMMENT ON COLUMN matcher_partitions.expires_at IS 'The lease lapses at this time (a crashed holder''s partitions are taken then).';
COMMENT ON COLUMN matcher_partitions.acquired_at IS 'When the current holder took the partition (kept across renewals).';

ALTER TABLE matcher_jobs ADD COLUMN route_partition INTEGER CHECK (route_partition >= 0);
COMMENT ON COLUMN matcher_jobs.route_partition IS 'NULL: any instance may claim the job. Otherwise only the holder of this provider partition (the instance that claimed it found no place among its own providers, and the best provider elsewhere is in this partition).';

-- +goose Down
ALTER TABLE matcher_jobs DROP COLUMN route_partition;
DROP TABLE matcher_partitions;
DROP TABLE matcher_instances;
