package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// Job spec documents (job_specs): stored content-addressed, uploads
// counted against their caller's quota, unreferenced ones collected.

// storeSpec stores a spec document (service.Store and api.Store). Storing a
// hash again changes nothing.
func storeSpec(ctx context.Context, db *DB, r service.SpecRecord) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		return insertSpec(ctx, tx, r, nil, nil)
	})
	if err != nil {
		return translate(fmt.Errorf("store spec %s: %w", r.Hash, err))
	}
	return nil
}

// insertSpec inserts r unless its hash is stored, with its uploader and
// time when given (nil: NULL and now()).
func insertSpec(ctx context.Context, tx pgx.Tx, r service.SpecRecord, uploader *string, at *time.Time) error {
	var kind, model *string
	if r.Spec != nil {
		k, m := r.Spec.Kind.String(), r.Spec.Model
		kind, model = &k, &m
	}
	var reason *string
	if r.Spec == nil {
		reason = &r.Rejection
		if r.Rejection == "" {
			return gpumarket.Errorf(gpumarket.EINVALID, "an invalid spec needs a rejection reason")
		}
	}
	var uri *string
	if r.SourceURI != "" {
		uri = &r.SourceURI
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO job_specs (spec_hash, body, size_bytes, source, source_uri, kind, model, valid, rejection_reason, uploader, stored_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, now()))
		ON CONFLICT (spec_hash) DO NOTHING`,
		r.Hash[:], r.Body, len(r.Body), r.Source, uri, kind, model, r.Spec != nil, reason, uploader, at)
	return err
}

// StoreUpload implements api.Store: it stores an uploaded spec charged to
// u.Caller, unless the caller's uploads stored in the last u.Quota.Window
// already reach u.Quota's count, or its bytes with this one would exceed
// the byte quota: then it returns a *service.SpecQuotaError and stores
// nothing. A spec already stored is not charged again. The check and the
// insert run under a transaction-scoped advisory lock on the caller, so
// concurrent uploads of one caller through any matcher replica are counted
// one after the other.
func (s *MatcherAPIStore) StoreUpload(ctx context.Context, r service.SpecRecord, u service.SpecUpload) error {
	if err := u.Quota.Validate(); err != nil {
		return err
	}
	q := u.Quota
	if size := int64(len(r.Body)); size > q.MaxBytes {
		return &service.SpecQuotaError{Quota: "bytes", Limit: q.MaxBytes, Window: q.Window}
	}
	since := u.Now.Add(-q.Window)
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('gpumarket.spec_upload:' || $1, 0))`, u.Caller); err != nil {
			return fmt.Errorf("lock uploader: %w", err)
		}
		var stored bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM job_specs WHERE spec_hash = $1)`, r.Hash[:]).Scan(&stored); err != nil {
			return fmt.Errorf("look up spec: %w", err)
		}
		if stored {
			return nil
		}
		rows, err := tx.Query(ctx, `
			SELECT stored_at, size_bytes::bigint FROM job_specs
			WHERE uploader = $1 AND stored_at > $2 ORDER BY stored_at`, u.Caller, since)
		if err != nil {
			return fmt.Errorf("read upload usage: %w", err)
		}
		if err := checkQuota(rows, q, int64(len(r.Body)), u.Now, ""); err != nil {
			return err
		}
		at := u.Now
		return insertSpec(ctx, tx, r, &u.Caller, &at)
	})
	if qe, ok := errors.AsType[*service.SpecQuotaError](err); ok {
		return qe
	}
	if err != nil {
		return translate(fmt.Errorf("store uploaded spec %s: %w", r.Hash, err))
	}
	return nil
}

// checkQuota reads a caller's uploads in the quota window (rows of
// (time, size), oldest first) and returns a *service.SpecQuotaError for
// store ("" for specs, "blob") when one more of size bytes would exceed q's
// count or bytes, with when enough of them leave the window for it to fit.
func checkQuota(rows pgx.Rows, q service.SpecQuota, size int64, now time.Time, store string) error {
	type upload struct {
		At   time.Time
		Size int64
	}
	ups, err := pgx.CollectRows(rows, pgx.RowToStructByPos[upload])
	if err != nil {
		return fmt.Errorf("read upload usage: %w", err)
	}
	var used int64
	for _, up := range ups {
		used += up.Size
	}
	// leaving returns when the i-th oldest upload leaves the window.
	leaving := func(i int) time.Duration { return max(ups[i].At.Add(q.Window).Sub(now), time.Second) }
	if len(ups) >= q.MaxCount {
		return &service.SpecQuotaError{Store: store, Quota: "count", Limit: int64(q.MaxCount), Window: q.Window, RetryAfter: leaving(len(ups) - q.MaxCount)}
	}
	if over := used + size - q.MaxBytes; over > 0 {
		i := 0
		for freed := int64(0); freed < over; i++ {
			freed += ups[i].Size
		}
		return &service.SpecQuotaError{Store: store, Quota: "bytes", Limit: q.MaxBytes, Window: q.Window, RetryAfter: leaving(i - 1)}
	}
	return nil
}

// ChargeBlobUpload implements api.Store: it records blob u.SHA256 of
// u.Size bytes as uploaded by u.Caller, unless the caller's uploads in the
// last u.Quota.Window already reach its count, or its bytes with this one
// would exceed the byte quota: then it returns a *service.SpecQuotaError
// (Store "blob") and records nothing. A blob already recorded is not
// charged again (charged is false). The check and the insert run under a
// transaction-scoped advisory lock on the caller, as for specs.
func (s *MatcherAPIStore) ChargeBlobUpload(ctx context.Context, u service.BlobUpload) (charged bool, err error) {
	if err := u.Quota.Validate(); err != nil {
		return false, err
	}
	q := u.Quota
	if u.Size > q.MaxBytes {
		return false, &service.SpecQuotaError{Store: "blob", Quota: "bytes", Limit: q.MaxBytes, Window: q.Window}
	}
	err = pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		charged = false
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('gpumarket.blob_upload:' || $1, 0))`, u.Caller); err != nil {
			return fmt.Errorf("lock uploader: %w", err)
		}
		var stored bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blob_uploads WHERE sha256 = $1)`, u.SHA256[:]).Scan(&stored); err != nil {
			return fmt.Errorf("look up blob: %w", err)
		}
		if stored {
			return nil
		}
		rows, err := tx.Query(ctx, `
			SELECT uploaded_at, size_bytes FROM blob_uploads
			WHERE uploader = $1 AND uploaded_at > $2 ORDER BY uploaded_at`, u.Caller, u.Now.Add(-q.Window))
		if err != nil {
			return fmt.Errorf("read upload usage: %w", err)
		}
		if err := checkQuota(rows, q, u.Size, u.Now, "blob"); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO blob_uploads (sha256, size_bytes, uploader, uploaded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			u.SHA256[:], u.Size, u.Caller, u.Now)
		charged = err == nil && tag.RowsAffected() == 1
		return err
	})
	if qe, ok := errors.AsType[*service.SpecQuotaError](err); ok {
		return false, qe
	}
	if err != nil {
		return false, translate(fmt.Errorf("charge blob upload %x: %w", u.SHA256[:], err))
	}
	return charged, nil
}

// CheckBlobQuota implements api.Store: it returns the *service.SpecQuotaError
// ChargeBlobUpload would return for a new blob of u.Size bytes, without
// recording anything (u.SHA256 is ignored), so that an upload the quota
// refuses anyway is refused before its bytes are read.
func (s *MatcherAPIStore) CheckBlobQuota(ctx context.Context, u service.BlobUpload) error {
	if err := u.Quota.Validate(); err != nil {
		return err
	}
	q := u.Quota
	if u.Size > q.MaxBytes {
		return &service.SpecQuotaError{Store: "blob", Quota: "bytes", Limit: q.MaxBytes, Window: q.Window}
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT uploaded_at, size_bytes FROM blob_uploads
		WHERE uploader = $1 AND uploaded_at > $2 ORDER BY uploaded_at`, u.Caller, u.Now.Add(-q.Window))
	if err != nil {
		return translate(fmt.Errorf("read upload usage: %w", err))
	}
	err = checkQuota(rows, q, u.Size, u.Now, "blob")
	if qe, ok := errors.AsType[*service.SpecQuotaError](err); ok {
		return qe
	}
	if err != nil {
		return translate(err)
	}
	return nil
}

// DeleteUnreferencedSpecs implements service.SpecGC: it deletes at most
// batch specs stored before cutoff that no jobs row references, oldest
// first, and returns how many.
func (s *MatcherMaintenance) DeleteUnreferencedSpecs(ctx context.Context, cutoff time.Time, batch int) (int64, error) {
	tag, err := s.db.pool.Exec(ctx, `
		DELETE FROM job_specs WHERE spec_hash IN (
			SELECT s.spec_hash FROM job_specs s
			WHERE s.stored_at < $1 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.spec_hash = s.spec_hash)
			ORDER BY s.stored_at LIMIT $2
			FOR UPDATE SKIP LOCKED)`, cutoff, batch)
	if err != nil {
		return 0, translate(fmt.Errorf("delete unreferenced specs: %w", err))
	}
	return tag.RowsAffected(), nil
}

// Spec returns the stored spec document with hash h, whether it is valid and
// why not. It returns ENOTFOUND when none is stored.
func (s *MatcherAPIStore) Spec(ctx context.Context, h gpumarket.Hash) (body []byte, valid bool, reason string, err error) {
	var r *string
	const q = `SELECT body, valid, rejection_reason FROM job_specs WHERE spec_hash = $1`
	db := s.readDB()
	err = db.pool.QueryRow(ctx, q, h[:]).Scan(&body, &valid, &r)
	if errors.Is(err, pgx.ErrNoRows) && db != s.db {
		// Uploaded a moment ago, perhaps: the replica may not have it yet.
		err = s.db.pool.QueryRow(ctx, q, h[:]).Scan(&body, &valid, &r)
	}
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, false, "", gpumarket.Errorf(gpumarket.ENOTFOUND, "spec %s is not stored", h)
		}
		return nil, false, "", translate(fmt.Errorf("read spec %s: %w", h, err))
	}
	if r != nil {
		reason = *r
	}
	return body, valid, reason, nil
}

// ReferencedBlobs implements service.BlobRefs: it returns those of hs that
// an input of a valid spec of a jobs row names, by its sha256 (any case)
// or by a URI ending in /v1/blobs/<hex>. An invalid spec is never matched,
// so what it names is not needed.
func (s *MatcherMaintenance) ReferencedBlobs(ctx context.Context, hs []gpumarket.Hash) (map[gpumarket.Hash]bool, error) {
	if len(hs) == 0 {
		return map[gpumarket.Hash]bool{}, nil
	}
	want := make([][]byte, len(hs))
	for i := range hs {
		want[i] = hs[i][:]
	}
	rows, err := s.db.pool.Query(ctx, `
		WITH c AS (SELECT h, encode(h, 'hex') AS hex FROM unnest($1::bytea[]) AS h),
		refs AS (
			SELECT lower(i->>'sha256') AS sha, i->>'uri' AS uri
			FROM job_specs s
			CROSS JOIN LATERAL jsonb_array_elements(convert_from(s.body, 'UTF8')::jsonb -> 'inputs') AS i
			WHERE s.valid AND EXISTS (SELECT 1 FROM jobs j WHERE j.spec_hash = s.spec_hash)
		)
		SELECT DISTINCT c.h FROM c JOIN refs r ON r.sha = c.hex OR right(r.uri, 74) = '/v1/blobs/' || c.hex`, want)
	if err != nil {
		return nil, translate(fmt.Errorf("referenced blobs: %w", err))
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, translate(fmt.Errorf("referenced blobs: %w", err))
	}
	out := make(map[gpumarket.Hash]bool, len(got))
	for _, b := range got {
		out[gpumarket.Hash(b)] = true
	}
	return out, nil
}

// ForgetBlobs implements service.BlobRefs: it deletes the blob_uploads
// rows of hs (a later upload of the same bytes is recorded and charged
// afresh).
func (s *MatcherMaintenance) ForgetBlobs(ctx context.Context, hs []gpumarket.Hash) error {
	want := make([][]byte, len(hs))
	for i := range hs {
		want[i] = hs[i][:]
	}
	if _, err := s.db.pool.Exec(ctx, `DELETE FROM blob_uploads WHERE sha256 = ANY($1::bytea[])`, want); err != nil {
		return translate(fmt.Errorf("forget blobs: %w", err))
	}
	return nil
}
