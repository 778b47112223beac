-- +goose Up
-- The matcher's input store (POST /v1/blobs, issue 14) keeps the bytes in
-- a bucket (a directory or an S3-compatible store); this table records who
-- uploaded each blob and when, so that each caller's uploads in a window
-- are capped (count and bytes), as for specs (00013), across replicas.

CREATE TABLE blob_uploads (
    sha256      BYTEA PRIMARY KEY CHECK (length(sha256) = 32),
    size_bytes  BIGINT NOT NULL CHECK (size_bytes >= 0),
    uploader    TEXT NOT NULL CHECK (length(uploader) BETWEEN 1 AND 64),
    uploaded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX blob_uploads_by_uploader ON blob_uploads (uploader, uploaded_at);
COMMENT ON TABLE blob_uploads IS 'One row per blob stored through POST /v1/blobs, charged to its first uploader; the bytes are in the blob store (--blob-store) under sha256/<hex>.';
COMMENT ON COLUMN blob_uploads.sha256 IS 'SHA-256 of the bytes: their content address.';
COMMENT ON COLUMN blob_uploads.size_bytes IS 'Length of the blob in bytes.';
COMMENT ON COLUMN blob_uploads.uploader IS 'The caller (client IPv4 address or IPv6 /64) charged for it under the blob upload quota.';
COMMENT ON COLUMN blob_uploads.uploaded_at IS 'When it was stored.';

-- +goose Down
DROP TABLE blob_uploads;
