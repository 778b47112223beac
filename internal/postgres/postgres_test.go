package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestMigrateConcurrently runs `migrate up` from several pools at once on an
// empty database: every call succeeds, each migration is applied exactly once,
// and a second round applies nothing.
func TestMigrateConcurrently(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn := pgtest.EmptyURL(t) // no migrations applied yet

	const workers = 6
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		applied = map[int64]int{}
		errs    []error
	)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(ctx, dsn)
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			defer db.Close()
			versions, err := db.Migrate(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			for _, v := range versions {
				applied[v]++
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("concurrent Migrate errors: %v", errs)
	}

	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	status, err := db.MigrationStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(status) == 0 {
		t.Fatal("MigrationStatus returned no migrations")
	}
	for _, m := range status {
		if !m.Applied {
			t.Errorf("migration %d (%s) not applied", m.Version, m.Source)
		}
		if applied[m.Version] != 1 {
			t.Errorf("migration %d applied %d times across %d workers, want 1", m.Version, applied[m.Version], workers)
		}
	}
	again, err := db.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Errorf("second Migrate = %v, %v, want nothing applied", again, err)
	}
}

func TestHarnessGivesIsolatedRealDatabases(t *testing.T) {
	ctx := context.Background()
	a, b := pgtest.New(t), pgtest.New(t)
	if err := a.Exec(ctx, "INSERT INTO chains (chain_id, name) VALUES ($1, $2)", int64(31337), "anvil'; DROP TABLE chains; --"); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := a.QueryRow(ctx, "SELECT name FROM chains WHERE chain_id = $1", []any{int64(31337)}, &name); err != nil {
		t.Fatal(err)
	}
	if name != "anvil'; DROP TABLE chains; --" {
		t.Errorf("stored name = %q, want the SQL-special string unchanged", name)
	}
	err := b.QueryRow(ctx, "SELECT name FROM chains WHERE chain_id = $1", []any{int64(31337)}, &name)
	if gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("second database sees the first one's row: err = %v", err)
	}
	var version string
	if err := a.QueryRow(ctx, "SELECT version()", nil, &version); err != nil || !strings.HasPrefix(version, "PostgreSQL ") {
		t.Errorf("version() = %q, %v; want a real PostgreSQL", version, err)
	}
}

func TestTranslateErrors(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	if err := db.Exec(ctx, "INSERT INTO chains (chain_id) VALUES ($1)", int64(1)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sql  string
		args []any
		code string
	}{
		{"unique violation", "INSERT INTO chains (chain_id) VALUES ($1)", []any{int64(1)}, gpumarket.ECONFLICT},
		{"check violation", "INSERT INTO chains (chain_id) VALUES ($1)", []any{int64(-5)}, gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Exec(ctx, tt.sql, tt.args...)
			if got := gpumarket.ErrorCode(err); got != tt.code {
				t.Errorf("Exec error code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://alice:s3cret@db:5432/gm?sslmode=disable", "postgres://alice:xxxxx@db:5432/gm?sslmode=disable"},
		{"postgres://alice@db/gm", "postgres://alice@db/gm"},
		{"postgres://db/gm?password=s3cret&sslmode=disable", "postgres://db/gm?password=xxxxx&sslmode=disable"},
		{"host=db user=alice password=s3cret dbname=gm", "host=db user=alice password=xxxxx dbname=gm"},
	}
	for _, tt := range tests {
		got := postgres.RedactDSN(tt.in)
		if got != tt.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "s3cret") {
			t.Errorf("RedactDSN(%q) leaks the password", tt.in)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := postgres.Open(ctx, "postgres://u:pw@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"); gpumarket.ErrorCode(err) != gpumarket.EUNAVAILABLE || strings.Contains(err.Error(), ":pw@") {
		t.Errorf("Open(unreachable) = %v, want %s without the password", err, gpumarket.EUNAVAILABLE)
	}
	if _, err := postgres.Open(ctx, "mysql://nope"); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Open(bad url) = %v, want %s", err, gpumarket.EINVALID)
	}
}
