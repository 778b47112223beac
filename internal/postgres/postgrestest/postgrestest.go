// Package postgrestest runs raw SQL against a test database: fixtures the
// indexer would write in production, and checks of rows no store method
// reads. It exists so that internal/postgres exports no raw Exec or
// QueryRow; only tests import it. It opens its own small pool (pgx stays
// under internal/postgres), closed when the test ends.
package postgrestest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// SQL runs statements on one database for one test; every failure fails the
// test.
type SQL struct {
	tb   testing.TB
	pool *pgxpool.Pool
}

// Open connects to the database at dsn for tb, closing the pool in tb's
// cleanup. It fails tb when the database cannot be reached.
func Open(tb testing.TB, dsn string) *SQL {
	tb.Helper()
	pool, err := pgxpool.New(context.Background(), dsn)
	if err == nil {
		err = pool.Ping(context.Background())
	}
	if err != nil {
		tb.Fatalf("postgrestest: open: %v", err)
	}
	tb.Cleanup(pool.Close)
	return &SQL{tb: tb, pool: pool}
}

// Exec runs one parameterized statement and returns the rows it affected.
func (s *SQL) Exec(sql string, args ...any) int64 {
	s.tb.Helper()
	tag, err := s.pool.Exec(context.Background(), sql, args...)
	if err != nil {
		s.tb.Fatalf("exec %s: %v", sql, err)
	}
	return tag.RowsAffected()
}

// QueryRow runs a query that returns exactly one row and scans it into dest.
func (s *SQL) QueryRow(sql string, args []any, dest ...any) {
	s.tb.Helper()
	if err := s.pool.QueryRow(context.Background(), sql, args...).Scan(dest...); err != nil {
		s.tb.Fatalf("query %s: %v", sql, err)
	}
}

// TryQueryRow is QueryRow for polling loops and goroutines: it returns the
// error (pgx.ErrNoRows when there is no row) instead of failing the test.
func (s *SQL) TryQueryRow(ctx context.Context, sql string, args []any, dest ...any) error {
	return s.pool.QueryRow(ctx, sql, args...).Scan(dest...)
}

// Count runs a query returning one integer.
func (s *SQL) Count(sql string, args ...any) int64 {
	s.tb.Helper()
	var n int64
	s.QueryRow(sql, args, &n)
	return n
}
