package postgrestest_test

import (
	"testing"

	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestExecQueryCount(t *testing.T) {
	sql := postgrestest.Open(t, pgtest.URL(t))
	sql.Exec(`CREATE TABLE t (n int)`)
	if got := sql.Exec(`INSERT INTO t SELECT generate_series(1, 3)`); got != 3 {
		t.Fatalf("Exec(insert 3 rows) = %d, want 3", got)
	}
	if got := sql.Count(`SELECT count(*) FROM t WHERE n >= $1`, 2); got != 2 {
		t.Fatalf("Count(n >= 2) = %d, want 2", got)
	}
	var sum int64
	var max int32
	sql.QueryRow(`SELECT sum(n), max(n) FROM t`, nil, &sum, &max)
	if sum != 6 || max != 3 {
		t.Fatalf("QueryRow(sum, max) = %d, %d, want 6, 3", sum, max)
	}
}
