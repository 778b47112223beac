-- +goose Up
-- Strings from the chain (specURI, resultURI, metadataURI) are any bytes the
-- sender chose: invalid UTF-8 and NUL bytes included, which TEXT refuses.
-- Every byte is kept in *_raw; the TEXT column holds the string itself when
-- it is valid UTF-8 without NUL, else a lossless escaped form (\\ for a
-- backslash, \xNN for a NUL or a byte outside valid UTF-8), and *_escaped
-- says which.
ALTER TABLE jobs
    ADD COLUMN spec_uri_raw       BYTEA,
    ADD COLUMN spec_uri_escaped   BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN result_uri_raw     BYTEA,
    ADD COLUMN result_uri_escaped BOOLEAN NOT NULL DEFAULT false;
UPDATE jobs SET spec_uri_raw = convert_to(spec_uri, 'UTF8'), result_uri_raw = convert_to(result_uri, 'UTF8');
ALTER TABLE jobs ALTER COLUMN spec_uri_raw SET NOT NULL;
ALTER TABLE jobs ADD CONSTRAINT jobs_result_uri_raw_present CHECK ((result_uri IS NULL) = (result_uri_raw IS NULL));
COMMENT ON COLUMN jobs.spec_uri IS 'Where the job description lives: the specURI as text when it is valid UTF-8 without NUL bytes, else its escaped form (see spec_uri_escaped).';
COMMENT ON COLUMN jobs.spec_uri_raw IS 'The specURI exactly as the chain holds it (every byte).';
COMMENT ON COLUMN jobs.spec_uri_escaped IS 'True when the specURI is not valid UTF-8 or holds a NUL byte: spec_uri then holds it escaped (\\ for a backslash, \xNN for each such byte).';
COMMENT ON COLUMN jobs.result_uri IS 'Where the provider serves the result: as text, or escaped (see result_uri_escaped).';
COMMENT ON COLUMN jobs.result_uri_raw IS 'The resultURI exactly as the chain holds it (every byte); NULL before a result.';
COMMENT ON COLUMN jobs.result_uri_escaped IS 'True when the resultURI is not valid UTF-8 or holds a NUL byte: result_uri then holds it escaped (\\ for a backslash, \xNN for each such byte).';

ALTER TABLE providers
    ADD COLUMN metadata_uri_raw     BYTEA NOT NULL DEFAULT ''::bytea,
    ADD COLUMN metadata_uri_escaped BOOLEAN NOT NULL DEFAULT false;
UPDATE providers SET metadata_uri_raw = convert_to(metadata_uri, 'UTF8');
COMMENT ON COLUMN providers.metadata_uri IS 'Off-chain metadata (endpoints, GPUs, prices): as text, or escaped (see metadata_uri_escaped).';
COMMENT ON COLUMN providers.metadata_uri_raw IS 'The metadataURI exactly as the chain holds it (every byte).';
COMMENT ON COLUMN providers.metadata_uri_escaped IS 'True when the metadataURI is not valid UTF-8 or holds a NUL byte: metadata_uri then holds it escaped (\\ for a backslash, \xNN for each such byte).';

COMMENT ON COLUMN v_jobs.spec_uri IS 'Where the job description lives (escaped when jobs.spec_uri_escaped; the exact bytes are in jobs.spec_uri_raw).';
COMMENT ON COLUMN v_results.result_uri IS 'Where the provider serves the result (escaped when jobs.result_uri_escaped; the exact bytes are in jobs.result_uri_raw).';

-- +goose Down
ALTER TABLE providers DROP COLUMN metadata_uri_escaped, DROP COLUMN metadata_uri_raw;
ALTER TABLE jobs DROP CONSTRAINT jobs_result_uri_raw_present;
ALTER TABLE jobs DROP COLUMN result_uri_escaped, DROP COLUMN result_uri_raw, DROP COLUMN spec_uri_escaped, DROP COLUMN spec_uri_raw;
