package postgres

import (
	"context"
	"fmt"

	"github.com/gpumarket/gpumarket"
)

// ResultOwners records, for one provider's relayer, which client may
// download each stored result (relayer_results). It implements the relayer's
// Owners and the result server's owner lookup.
type ResultOwners struct {
	db       *DB
	chainID  uint64
	provider gpumarket.Address
}

// NewResultOwners returns the provider's result owner records on chainID.
func NewResultOwners(db *DB, chainID uint64, provider gpumarket.Address) *ResultOwners {
	return &ResultOwners{db: db, chainID: chainID, provider: provider}
}

// SetOwner records client as the owner of result hash of job id. Recording
// the same row again changes nothing.
func (o *ResultOwners) SetOwner(ctx context.Context, hash gpumarket.Hash, job gpumarket.JobID, client gpumarket.Address, size int64) error {
	_, err := o.db.pool.Exec(ctx, `INSERT INTO relayer_results (chain_id, provider, result_hash, job_id, client, size_bytes)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		int64(o.chainID), o.provider[:], hash[:], uint64(job), client[:], size)
	if err != nil {
		return translate(fmt.Errorf("record owner of result %s: %w", hash, err))
	}
	return nil
}

// IsOwner reports whether client is the client of a job whose result is
// hash. When several jobs produced the same bytes for different clients,
// each of them owns the result. It returns an ENOTFOUND error for a hash the
// relayer never stored.
func (o *ResultOwners) IsOwner(ctx context.Context, hash gpumarket.Hash, client gpumarket.Address) (bool, error) {
	var owned, known bool
	err := o.db.pool.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM relayer_results WHERE chain_id = $1 AND provider = $2 AND result_hash = $3 AND client = $4),
		EXISTS (SELECT 1 FROM relayer_results WHERE chain_id = $1 AND provider = $2 AND result_hash = $3)`,
		int64(o.chainID), o.provider[:], hash[:], client[:]).Scan(&owned, &known)
	if err != nil {
		return false, translate(fmt.Errorf("read owners of result %s: %w", hash, err))
	}
	if !known {
		return false, gpumarket.Errorf(gpumarket.ENOTFOUND, "no result %s", hash)
	}
	return owned, nil
}

// LatestWithPrefix returns the newest of sender's intents whose key starts
// with prefix and how many such intents there are; found is false when there
// are none.
func (j *Journal) LatestWithPrefix(ctx context.Context, chainID uint64, sender gpumarket.Address, prefix string) (in gpumarket.TxIntent, n int, found bool, err error) {
	err = j.db.pool.QueryRow(ctx, `SELECT count(*) FROM tx_intents WHERE chain_id = $1 AND sender = $2 AND left(key, length($3)) = $3`,
		int64(chainID), sender[:], prefix).Scan(&n)
	if err != nil {
		return in, 0, false, translate(fmt.Errorf("count intents %q: %w", prefix, err))
	}
	if n == 0 {
		return in, 0, false, nil
	}
	in, err = scanIntent(j.db.pool.QueryRow(ctx, `SELECT `+intentColumns+` FROM tx_intents
		WHERE chain_id = $1 AND sender = $2 AND left(key, length($3)) = $3 ORDER BY id DESC LIMIT 1`, int64(chainID), sender[:], prefix))
	if err != nil {
		return in, 0, false, translate(fmt.Errorf("read latest intent %q: %w", prefix, err))
	}
	return in, n, true, nil
}
