-- +goose Up
-- Spec storage is paid for (issue 13): every upload records its caller, a
-- caller's uploads in a window are capped (count and bytes, checked under a
-- per-caller advisory lock so the quota holds across matcher replicas), and
-- specs no on-chain job references are deleted after a grace period.

ALTER TABLE job_specs ADD COLUMN uploader TEXT CHECK (uploader IS NULL OR length(uploader) BETWEEN 1 AND 64);
COMMENT ON COLUMN job_specs.uploader IS 'The caller (client IP address) that uploaded it through POST /v1/specs, counted against its upload quota; NULL for specs fetched from a job''s URI.';
CREATE INDEX job_specs_by_uploader ON job_specs (uploader, stored_at) WHERE uploader IS NOT NULL;
COMMENT ON COLUMN job_specs.stored_at IS 'When the matcher stored it. A spec that no jobs row references (jobs.spec_hash) is deleted once it is older than the matcher''s --spec-gc-grace (default 24 h); referenced specs are kept forever.';

CREATE INDEX jobs_by_spec_hash ON jobs (spec_hash);
CREATE INDEX job_specs_stored ON job_specs (stored_at);

-- +goose Down
DROP INDEX job_specs_stored;
DROP INDEX jobs_by_spec_hash;
DROP INDEX job_specs_by_uploader;
ALTER TABLE job_specs DROP COLUMN uploader;
