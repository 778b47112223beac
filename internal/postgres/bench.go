package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
)

// RawLogSink copies logs into a table shaped like logs, with no decoding and
// no derived state: the indexer benchmark's "raw limit".
type RawLogSink struct {
	db *DB
}

// NewRawLogSink creates the table raw_logs (like logs, with its primary key)
// in db and returns a sink writing to it.
func NewRawLogSink(ctx context.Context, db *DB) (*RawLogSink, error) {
	if _, err := db.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS raw_logs (LIKE logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`); err != nil {
		return nil, fmt.Errorf("create raw_logs: %w", err)
	}
	return &RawLogSink{db: db}, nil
}

// Copy writes logs in one transaction with COPY.
func (s *RawLogSink) Copy(ctx context.Context, chainID uint64, logs []gpumarket.Log) error {
	if len(logs) == 0 {
		return nil
	}
	return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"raw_logs"},
			[]string{"chain_id", "block_hash", "log_index", "block_number", "block_time", "tx_hash", "tx_index", "address", "topic0", "topics", "data", "event_name"},
			pgx.CopyFromSlice(len(logs), func(i int) ([]any, error) {
				l := &logs[i]
				topics := make([][]byte, len(l.Topics))
				for j := range l.Topics {
					topics[j] = l.Topics[j][:]
				}
				var topic0 []byte
				if len(topics) > 0 {
					topic0 = topics[0]
				}
				data := l.Data
				if data == nil {
					data = []byte{}
				}
				return []any{int64(chainID), l.BlockHash[:], int32(l.Index), int64(l.BlockNumber), time.Unix(int64(l.BlockTime), 0).UTC(),
					l.TxHash[:], int32(l.TxIndex), l.Address[:], topic0, topics, data, ""}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy %d raw logs: %w", len(logs), err)
		}
		return nil
	})
}

// Count returns how many rows a table of the chain mirror holds (logs,
// raw_logs, job_events, jobs, …); table names are fixed by the caller.
func (db *DB) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n)
	return n, translate(err)
}
