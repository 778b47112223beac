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
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

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
	dataDir  string
	cmd      *exec.Cmd
	done     chan struct{}
	bin      string
	port     int
	cred     *syscall.Credential
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
	dsn := URL(tb)
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
	if srv.cmd == nil {
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

// StartCluster starts a private throwaway PostgreSQL cluster and returns it
// running. The caller must Stop it.
func StartCluster() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gpumarket-pg-")
	if err != nil {
		return nil, fmt.Errorf("create cluster directory: %w", err)
	}
	cred, err := credential(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, lastLines(out, 5))
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		srv, err := launch(bin, dir, data, port, cred)
		if err == nil {
			return srv, nil
		}
		lastErr = err
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

func launch(bin, dir, data string, port int, cred *syscall.Credential) (*Server, error) {
	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create postgres log: %w", err)
	}
	defer logFile.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=127.0.0.1", "-c", "port="+strconv.Itoa(port),
		"-c", "unix_socket_directories="+dir, "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=128MB")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	srv := &Server{
		AdminURL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		dataDir:  dir,
		cmd:      cmd,
		done:     make(chan struct{}),
		bin:      bin,
		port:     port,
		cred:     cred,
	}
	go func() { _ = cmd.Wait(); close(srv.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-srv.done:
			out, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("postgres exited at start: %s", lastLines(out, 5))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		db, err := postgres.Open(ctx, srv.AdminURL)
		cancel()
		if err == nil {
			db.Close()
			return srv, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	srv.kill()
	return nil, errors.New("postgres did not accept connections within 30s")
}

// Stop shuts a private cluster down and deletes its files; on a shared server
// it drops the databases the harness made that are still there.
func (s *Server) Stop() {
	for _, f := range cleanups {
		f()
	}
	cleanups = nil
	if s.cmd == nil {
		return
	}
	// SIGQUIT is PostgreSQL's immediate shutdown; nothing here needs to survive.
	_ = s.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.kill()
	}
	os.RemoveAll(s.dataDir)
}

// Restart stops a private cluster the hard way (SIGKILL of the postmaster:
// every connection drops, as in a crash), and starts it again on the same
// port and data. Committed data survives; in-flight transactions do not.
func (s *Server) Restart() error {
	if s.cmd == nil {
		return errors.New("pgtest: only a private cluster can be restarted")
	}
	s.kill()
	// The dead postmaster's children notice and exit; wait for its pid file to go stale.
	time.Sleep(200 * time.Millisecond)
	_ = os.Remove(filepath.Join(s.dataDir, "data", "postmaster.pid"))
	srv, err := launch(s.bin, s.dataDir, filepath.Join(s.dataDir, "data"), s.port, s.cred)
	if err != nil {
		return fmt.Errorf("pgtest: restart: %w", err)
	}
	s.cmd, s.done = srv.cmd, srv.done
	return nil
}

func (s *Server) kill() {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.done
}

// binDir finds the newest PostgreSQL server binaries.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) < version(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries (initdb) found: run `make setup`")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// credential returns the user postgres runs as: the current one, or the OS
// user "postgres" when running as root (postgres refuses to run as root).
func credential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the OS user postgres (apt-get install postgresql creates it): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, fmt.Errorf("chown cluster directory: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
