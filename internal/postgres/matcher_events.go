package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// A job's durable activity for its live status stream, and the
// notifications that tell the stream to re-read it.

// JobActivity returns job id's chain events from (fromBlock,
// fromLog) on (inclusive), in chain order, and its offers with an id above
// afterOffer, in creation order. A job the indexer does not know has none.
func (s *MatcherAPIStore) JobActivity(ctx context.Context, chainID uint64, id gpumarket.JobID, fromBlock uint64, fromLog uint32, afterOffer int64) (service.JobActivity, error) {
	return readJobActivity(ctx, s.db.pool, chainID, id, fromBlock, fromLog, afterOffer)
}

// JobWithActivity implements api.Store: Job and JobActivity read in one
// snapshot (a read-only repeatable-read transaction), so that a stream never
// sees a job's new state without the event that made it, nor the reverse.
func (s *MatcherAPIStore) JobWithActivity(ctx context.Context, chainID uint64, id gpumarket.JobID, fromBlock uint64, fromLog uint32, afterOffer int64) (v service.JobView, a service.JobActivity, err error) {
	err = pgx.BeginTxFunc(ctx, s.db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if v, err = readJob(ctx, tx, chainID, id); err != nil {
			return err
		}
		a, err = readJobActivity(ctx, tx, chainID, id, fromBlock, fromLog, afterOffer)
		return err
	})
	if err != nil && gpumarket.ErrorCode(err) == gpumarket.EINTERNAL {
		err = translate(err)
	}
	return v, a, err
}

func readJobActivity(ctx context.Context, db reader, chainID uint64, id gpumarket.JobID, fromBlock uint64, fromLog uint32, afterOffer int64) (service.JobActivity, error) {
	var a service.JobActivity
	rows, err := db.Query(ctx, `
		SELECT block_number, block_hash, log_index, event_name, tx_hash, block_time, payload
		FROM job_events WHERE chain_id = $1 AND job_id = $2::numeric AND (block_number, log_index) >= ($3, $4)
		ORDER BY block_number, log_index`, int64(chainID), id.String(), int64(fromBlock), int32(fromLog))
	if err != nil {
		return a, translate(fmt.Errorf("read events of job %d/%d: %w", chainID, id, err))
	}
	a.Chain, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.JobChainEvent, error) {
		var e service.JobChainEvent
		var block int64
		var logIndex int32
		var bh, tx, payload []byte
		if err := r.Scan(&block, &bh, &logIndex, &e.Name, &tx, &e.BlockTime, &payload); err != nil {
			return e, err
		}
		e.Block, e.LogIndex, e.Payload = uint64(max(block, 0)), uint32(max(logIndex, 0)), json.RawMessage(payload)
		copy(e.BlockHash[:], bh)
		copy(e.TxHash[:], tx)
		return e, nil
	})
	if err != nil {
		return a, fmt.Errorf("read events of job %d/%d: %w", chainID, id, err)
	}
	rows, err = db.Query(ctx, `
		SELECT id, provider, price::text, extract(epoch FROM expiry)::bigint, rank, state, created_at, closed_at
		FROM assignments WHERE chain_id = $1 AND job_id = $2::numeric AND id > $3 ORDER BY id`, int64(chainID), id.String(), afterOffer)
	if err != nil {
		return a, translate(fmt.Errorf("read offers of job %d/%d: %w", chainID, id, err))
	}
	a.Offers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.JobOffer, error) {
		var o service.JobOffer
		var prov []byte
		var price string
		var rank int32
		if err := r.Scan(&o.ID, &prov, &price, &o.Expiry, &rank, &o.State, &o.CreatedAt, &o.ClosedAt); err != nil {
			return o, err
		}
		o.Provider, o.Rank = toAddr(prov), int(rank)
		var err error
		o.Price, err = decodeAmount("assignments.price", &price)
		return o, err
	})
	if err != nil {
		return a, fmt.Errorf("read offers of job %d/%d: %w", chainID, id, err)
	}
	return a, nil
}

// queueNotifyMatcher queues, on b, a notification on gpumarket_jobs that
// the matcher changed jobs (offers made or expired, matching state), with
// "source": "matcher" so that the matcher's own queue does not wake on it.
// It is sent at commit, like the indexer's.
func queueNotifyMatcher(b *pgx.Batch, chainID uint64, jobIDs []string) {
	for start := 0; start < len(jobIDs); start += 300 {
		chunk := jobIDs[start:min(start+300, len(jobIDs))]
		ids := make([]json.Number, len(chunk))
		for i, id := range chunk {
			ids[i] = json.Number(id)
		}
		payload, _ := json.Marshal(struct {
			ChainID uint64        `json:"chain_id"`
			JobIDs  []json.Number `json:"job_ids"`
			Source  string        `json:"source"`
		}{chainID, ids, "matcher"})
		b.Queue(`SELECT pg_notify('gpumarket_jobs', $1)`, string(payload))
	}
}

// notifyMatcher sends queueNotifyMatcher's notifications outside a
// transaction (after the change committed).
func notifyMatcher(ctx context.Context, db *DB, chainID uint64, jobIDs []string) error {
	if len(jobIDs) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	queueNotifyMatcher(b, chainID, jobIDs)
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return translate(fmt.Errorf("notify job changes: %w", err))
	}
	return nil
}
