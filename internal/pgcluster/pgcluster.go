// Package pgcluster runs a private, throwaway PostgreSQL cluster: initdb into
// a fresh directory, postgres on 127.0.0.1 and a free port with fsync off,
// run as the OS user "postgres" when the caller is root (postgres refuses to
// run as root). The postmaster is a direct child of the calling process with
// a parent-death signal, so it dies with it even on kill -9; Stop deletes the
// cluster's files.
//
// The test harness (internal/pgtest), the benchmarks and the demo use it when
// GPUMARKET_DATABASE_URL is not set. Nothing here imports "testing".
package pgcluster

import (
	"context"
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
	"syscall"
	"time"

	"github.com/gpumarket/gpumarket/internal/postgres"
)

// Cluster is a running private cluster.
type Cluster struct {
	// URL connects as the superuser "postgres" to the maintenance database
	// "postgres" (trust authentication, loopback only).
	URL string
	// Dir holds the cluster: data/, postgres.log and the unix socket.
	Dir string

	cmd  *exec.Cmd
	done chan struct{}
	bin  string
	port int
	cred *syscall.Credential
}

// Start creates a cluster in a new directory under parent (the system's
// temporary directory when parent is empty) and returns it accepting
// connections. The caller must Stop it. It returns an error naming the step
// that failed (no server binaries, initdb, start).
func Start(ctx context.Context, parent string) (*Cluster, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	if parent != "" {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return nil, fmt.Errorf("create cluster parent directory: %w", err)
		}
	}
	dir, err := os.MkdirTemp(parent, "gpumarket-pg-")
	if err != nil {
		return nil, fmt.Errorf("create cluster directory: %w", err)
	}
	cred, err := credential(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C")
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
		c, err := launch(bin, dir, data, port, cred)
		if err == nil {
			return c, nil
		}
		lastErr = err
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

func launch(bin, dir, data string, port int, cred *syscall.Credential) (*Cluster, error) {
	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create postgres log: %w", err)
	}
	defer logFile.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=127.0.0.1", "-c", "port="+strconv.Itoa(port),
		"-c", "unix_socket_directories="+dir, "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=128MB",
		// Streaming replicas (StartStandby): PostgreSQL 15's defaults, stated.
		"-c", "wal_level=replica", "-c", "max_wal_senders=10", "-c", "hot_standby=on")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	c := &Cluster{
		URL:  fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		Dir:  dir,
		cmd:  cmd,
		done: make(chan struct{}),
		bin:  bin,
		port: port,
		cred: cred,
	}
	go func() { _ = cmd.Wait(); close(c.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-c.done:
			out, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("postgres exited at start: %s", lastLines(out, 5))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		db, err := postgres.Open(ctx, c.URL)
		cancel()
		if err == nil {
			db.Close()
			return c, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.kill()
	return nil, errors.New("postgres did not accept connections within 30s")
}

// StartStandby makes a hot standby of c, as an operator would: pg_basebackup
// -R (streaming the WAL it needs, and writing standby.signal and the
// primary_conninfo that points at c) into a new directory under parent
// (the system's temporary directory when empty), then postgres on a free
// port. The standby replays c's WAL as it streams and answers read-only
// queries. The caller must Stop it. It returns an error naming the step
// that failed.
func (c *Cluster) StartStandby(ctx context.Context, parent string) (*Cluster, error) {
	dir, err := os.MkdirTemp(parent, "gpumarket-pg-standby-")
	if err != nil {
		return nil, fmt.Errorf("create standby directory: %w", err)
	}
	if _, err := credential(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	bb := exec.CommandContext(ctx, filepath.Join(c.bin, "pg_basebackup"), "-D", data, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast",
		"-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres")
	bb.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	if out, err := bb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_basebackup: %v: %s", err, lastLines(out, 5))
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s, err := launch(c.bin, dir, data, port, c.cred)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	os.RemoveAll(dir)
	return nil, fmt.Errorf("start standby: %w", lastErr)
}

// Stop shuts the cluster down (immediate shutdown: nothing in it needs to
// survive) and deletes its files. It is safe to call twice.
func (c *Cluster) Stop() {
	select {
	case <-c.done:
	default:
		// SIGQUIT is PostgreSQL's immediate shutdown.
		_ = c.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			c.kill()
		}
	}
	os.RemoveAll(c.Dir)
}

// Restart stops the cluster the hard way (SIGKILL of the postmaster: every
// connection drops, as in a crash) and starts it again on the same port and
// data. Committed data survives; in-flight transactions do not.
func (c *Cluster) Restart() error { return c.RestartAfter(nil) }

// RestartAfter is Restart that runs down (when not nil) while the server is
// down, for tests of what happens meanwhile.
func (c *Cluster) RestartAfter(down func()) error {
	c.kill()
	if down != nil {
		down()
	}
	// The dead postmaster's children notice and exit; its pid file is stale.
	time.Sleep(200 * time.Millisecond)
	_ = os.Remove(filepath.Join(c.Dir, "data", "postmaster.pid"))
	n, err := launch(c.bin, c.Dir, filepath.Join(c.Dir, "data"), c.port, c.cred)
	if err != nil {
		return fmt.Errorf("restart postgres: %w", err)
	}
	c.cmd, c.done = n.cmd, n.done
	return nil
}

func (c *Cluster) kill() {
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	<-c.done
}

// BinDir finds the newest PostgreSQL server binaries: the directory initdb
// on $PATH links to (where pg_basebackup is too), else
// /usr/lib/postgresql/<version>/bin. It returns an error saying to run
// `make setup` when there are none.
func BinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
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
// user "postgres" when running as root.
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

func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
