package postgres

import (
	"context"
	"fmt"

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
	rows := make([][]any, len(logs))
	for i := range logs {
		rows[i] = logRow(chainID, &logs[i], "", false)
	}
	return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"raw_logs"}, logColumns, pgx.CopyFromRows(rows)); err != nil {
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

// Size returns the bytes the current database takes on disk
// (pg_database_size), for the benchmarks' storage figures.
func (db *DB) Size(ctx context.Context) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
	return n, translate(err)
}

// BackendPid returns the process id of the server process serving one of
// db's connections (pg_backend_pid), from which the benchmarks find the
// postmaster and read the server's CPU time.
func (db *DB) BackendPid(ctx context.Context) (int, error) {
	var pid int32
	err := db.pool.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid)
	if err != nil {
		return 0, translate(fmt.Errorf("read backend pid: %w", err))
	}
	return int(pid), nil
}
