package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer"
)

// RelayerAttempts records, for one provider's relayer, the runs of each job
// it accepted (relayer_job_attempts), so that the bound on a job's runs and
// its abandonment survive restarts. It implements relayer.Attempts.
type RelayerAttempts struct {
	db       *DB
	chainID  uint64
	provider gpumarket.Address
}

var _ relayer.Attempts = (*RelayerAttempts)(nil)

// NewRelayerAttempts returns the provider's job attempt records on chainID.
func NewRelayerAttempts(db *DB, chainID uint64, provider gpumarket.Address) *RelayerAttempts {
	return &RelayerAttempts{db: db, chainID: chainID, provider: provider}
}

// JobAttempts returns the record of job id with hash, or one with no
// attempts when there is none. It returns an EUNAVAILABLE or EINTERNAL
// error when the database fails.
func (a *RelayerAttempts) JobAttempts(ctx context.Context, id gpumarket.JobID, hash gpumarket.Hash) (relayer.JobAttempts, error) {
	rec := relayer.JobAttempts{JobID: id, JobHash: hash}
	var next, abandoned *time.Time
	err := a.db.pool.QueryRow(ctx, `SELECT attempts, last_error, next_at, abandoned_at, abandon_reason FROM relayer_job_attempts
		WHERE chain_id = $1 AND provider = $2 AND job_id = $3 AND job_hash = $4`,
		int64(a.chainID), a.provider[:], uint64(id), hash[:]).Scan(&rec.Attempts, &rec.LastError, &next, &abandoned, &rec.Reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, nil
	}
	if err != nil {
		return rec, translate(fmt.Errorf("read attempts of job %d: %w", id, err))
	}
	if next != nil {
		rec.NextAt = *next
	}
	if abandoned != nil {
		rec.AbandonedAt = *abandoned
	}
	return rec, nil
}

// SaveJobAttempts stores rec, replacing the record of its job. It returns
// an EINVALID error for a negative count and EUNAVAILABLE or EINTERNAL
// when the database fails.
func (a *RelayerAttempts) SaveJobAttempts(ctx context.Context, rec relayer.JobAttempts) error {
	if rec.Attempts < 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "job %d: negative attempt count %d", rec.JobID, rec.Attempts)
	}
	_, err := a.db.pool.Exec(ctx, `INSERT INTO relayer_job_attempts
			(chain_id, provider, job_id, job_hash, attempts, last_error, next_at, abandoned_at, abandon_reason, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
		ON CONFLICT (chain_id, provider, job_id, job_hash) DO UPDATE SET attempts = EXCLUDED.attempts,
			last_error = EXCLUDED.last_error, next_at = EXCLUDED.next_at, abandoned_at = EXCLUDED.abandoned_at,
			abandon_reason = EXCLUDED.abandon_reason, updated_at = now()`,
		int64(a.chainID), a.provider[:], uint64(rec.JobID), rec.JobHash[:], rec.Attempts, rec.LastError,
		timeOrNull(rec.NextAt), timeOrNull(rec.AbandonedAt), rec.Reason)
	if err != nil {
		return translate(fmt.Errorf("record attempts of job %d: %w", rec.JobID, err))
	}
	return nil
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
