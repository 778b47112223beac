// Package pgtest gives each test its own fresh PostgreSQL database with every
// migration applied.
//
// The server is GPUMARKET_DATABASE_URL when that is set (the harness creates
// and drops databases there; the URL must allow CREATE DATABASE). Otherwise
// the harness starts a private throwaway cluster: initdb into a temporary
// directory, postgres on 127.0.0.1 and a free port with fsync off, run as the
// OS user "postgres" when the tests run as root. The postmaster is a direct
// child of the test binary with a parent-death signal, so it dies with the
// test process even on kill -9; Main stops it at the end of the run.
//
// Migrations are applied once per test binary to a template database; each
// test gets a copy (CREATE DATABASE … TEMPLATE), so tests can run in
// parallel, each on its own data.
//
// When no PostgreSQL can be had, tests skip, unless CI=true, where they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/pgcluster"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/testenv"
)

// EnvDatabaseURL names the variable that points the harness at an existing server.
const EnvDatabaseURL = "GPUMARKET_DATABASE_URL"

var (
	mu       sync.Mutex
	server   *Server
	setupErr error
	template string
)

// Server is a PostgreSQL server the harness can create databases on.
type Server struct {
	// AdminURL connects to a maintenance database with the right to create databases.
	AdminURL string
	cluster  *pgcluster.Cluster // nil on a shared server
}

// Main runs the package's tests and then stops the private cluster, if one was
// started. Call it from TestMain: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	if server != nil {
		server.Stop()
	}
	mu.Unlock()
	os.Exit(code)
}

// URL returns the connection string of a new database with every migration
// applied, dropped when tb ends.
func URL(tb testing.TB) string {
	tb.Helper()
	srv, tmpl := shared(tb)
	return newDatabase(tb, srv, tmpl)
}

// EmptyURL returns the connection string of a new database with no
// migrations applied (for tests of migrating itself), dropped when tb ends.
func EmptyURL(tb testing.TB) string {
	tb.Helper()
	srv, _ := shared(tb)
	return newDatabase(tb, srv, "")
}

// newDatabase creates a uniquely named database (a copy of tmpl when set),
// so tests of several packages can share one server.
func newDatabase(tb testing.TB, srv *Server, tmpl string) string {
	tb.Helper()
	name := "gpumarket_test_" + randomHex(6)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := postgres.CreateDatabase(ctx, srv.AdminURL, name, tmpl); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := postgres.DropDatabase(ctx, srv.AdminURL, name); err != nil {
			tb.Logf("pgtest: %v", err)
		}
	})
	dsn, err := postgres.WithDatabase(srv.AdminURL, name)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// New returns an open pool on a new migrated database, closed and dropped when tb ends.
func New(tb testing.TB) *postgres.DB {
	tb.Helper()
	return Open(tb, URL(tb))
}

// Open returns an open pool on the database at dsn, closed when tb ends.
func Open(tb testing.TB, dsn string) *postgres.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(db.Close)
	return db
}

func shared(tb testing.TB) (*Server, string) {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if server == nil && setupErr == nil {
		server, setupErr = start()
		if setupErr == nil {
			template, setupErr = makeTemplate(server)
		}
	}
	if setupErr != nil {
		testenv.Unavailable(tb, "PostgreSQL", setupErr)
	}
	return server, template
}

func makeTemplate(srv *Server) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "gpumarket_template_" + randomHex(6)
	if err := postgres.CreateDatabase(ctx, srv.AdminURL, name, ""); err != nil {
		return "", err
	}
	dsn, err := postgres.WithDatabase(srv.AdminURL, name)
	if err != nil {
		return "", err
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	_, err = db.Migrate(ctx)
	db.Close() // a template must have no sessions when it is copied
	if err != nil {
		return "", err
	}
	if srv.cluster == nil {
		// On a shared server, drop the template when the run ends. A private
		// cluster is deleted whole.
		name := name
		cleanups = append(cleanups, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_ = postgres.DropDatabase(ctx, srv.AdminURL, name)
		})
	}
	return name, nil
}

var cleanups []func()

func start() (*Server, error) {
	if dsn := os.Getenv(EnvDatabaseURL); dsn != "" {
		return &Server{AdminURL: dsn}, nil
	}
	return StartCluster()
}

// StartCluster starts a private throwaway PostgreSQL cluster (see
// internal/pgcluster) in the system's temporary directory and returns it
// running. The caller must Stop it.
func StartCluster() (*Server, error) {
	c, err := pgcluster.Start(context.Background(), "")
	if err != nil {
		return nil, err
	}
	return &Server{AdminURL: c.URL, cluster: c}, nil
}

// Stop shuts a private cluster down and deletes its files; on a shared server
// it drops the databases the harness made that are still there.
func (s *Server) Stop() {
	for _, f := range cleanups {
		f()
	}
	cleanups = nil
	if s.cluster != nil {
		s.cluster.Stop()
	}
}

// Restart stops a private cluster the hard way (SIGKILL of the postmaster:
// every connection drops, as in a crash), and starts it again on the same
// port and data. Committed data survives; in-flight transactions do not.
func (s *Server) Restart() error { return s.RestartAfter(nil) }

// RestartAfter is Restart that runs down (when not nil) while the server is down.
func (s *Server) RestartAfter(down func()) error {
	if s.cluster == nil {
		return errors.New("pgtest: only a private cluster can be restarted")
	}
	if err := s.cluster.RestartAfter(down); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Replicated is a primary with a hot standby streaming from it, private to
// one test.
type Replicated struct {
	// PrimaryURL and StandbyURL connect to the same migrated database on
	// the primary and on the standby.
	PrimaryURL, StandbyURL string
	Primary, Standby       *pgcluster.Cluster
}

// NewReplicated starts a private primary (always a throwaway cluster of
// its own, even when GPUMARKET_DATABASE_URL is set: a standby needs its
// data directory), creates a database there with every migration applied,
// and makes a hot standby of it with pg_basebackup -R (pgcluster's
// StartStandby). Both are stopped when tb ends. Without PostgreSQL's
// binaries the test skips, or fails under CI=true.
func NewReplicated(tb testing.TB) *Replicated {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	primary, err := pgcluster.Start(ctx, "")
	if err != nil {
		testenv.Unavailable(tb, "PostgreSQL", err)
	}
	tb.Cleanup(primary.Stop)
	const name = "gpumarket_replicated"
	if err := postgres.CreateDatabase(ctx, primary.URL, name, ""); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	r := &Replicated{Primary: primary}
	if r.PrimaryURL, err = postgres.WithDatabase(primary.URL, name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	db, err := postgres.Open(ctx, r.PrimaryURL)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	_, err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		tb.Fatalf("pgtest: migrate the primary: %v", err)
	}
	if r.Standby, err = primary.StartStandby(ctx, ""); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(r.Standby.Stop)
	if r.StandbyURL, err = postgres.WithDatabase(r.Standby.URL, name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return r
}
