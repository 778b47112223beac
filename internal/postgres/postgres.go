// Package postgres is gpumarket's PostgreSQL adapter: the only package that
// imports pgx. It opens connection pools, applies the embedded migrations
// (goose, serialized by a PostgreSQL advisory lock so that several processes
// may run them at once), and translates driver errors into domain errors
// (no rows → ENOTFOUND, unique violation → ECONFLICT).
//
// Every write happens in an explicit transaction; helpers take the
// transaction. All SQL is parameterized.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/migrations"
)

// DB is a pool of connections to one gpumarket database.
type DB struct {
	pool *pgxpool.Pool
}

// MinPoolConns is the least number of pooled connections Open allows unless
// the URL sets pool_max_conns.
const MinPoolConns = 16

// Open connects to the database at dsn and checks that it answers. It returns
// an EINVALID error for a malformed dsn and an EUNAVAILABLE error when the
// server cannot be reached.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "database url: %v", redactErr(err, dsn))
	}
	if !strings.Contains(dsn, "pool_max_conns") && cfg.MaxConns < MinPoolConns {
		// Each transaction manager holds a connection for its sender lock
		// while it runs; pgx's default (4 on 2 cores) starves a relayer.
		cfg.MaxConns = MinPoolConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", RedactDSN(dsn), err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "connect to database %s: %v", RedactDSN(dsn), redactErr(err, dsn))
	}
	return &DB{pool: pool}, nil
}

// Close closes every connection.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "ping database: %v", err)
	}
	return nil
}

// Migration is the state of one migration file.
type Migration struct {
	Version   int64
	Source    string
	Applied   bool
	AppliedAt time.Time
}

func (db *DB) migrator() (*goose.Provider, *sql.DB, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, nil, fmt.Errorf("create migration lock: %w", err)
	}
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	fsys, err := fs.Sub(migrations.FS, ".")
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("open embedded migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys, goose.WithSessionLocker(locker))
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, sqlDB, nil
}

// Migrate applies every pending migration and returns the versions it
// applied (none when the schema is current). Concurrent callers are
// serialized by an advisory lock, so running it from several processes at
// once is safe and applies each migration exactly once.
func (db *DB) Migrate(ctx context.Context) ([]int64, error) {
	p, sqlDB, err := db.migrator()
	if err != nil {
		return nil, err
	}
	defer sqlDB.Close()
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrationStatus lists every embedded migration and whether it is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]Migration, error) {
	p, sqlDB, err := db.migrator()
	if err != nil {
		return nil, err
	}
	defer sqlDB.Close()
	status, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("read migration status: %w", err)
	}
	out := make([]Migration, 0, len(status))
	for _, s := range status {
		out = append(out, Migration{
			Version:   s.Source.Version,
			Source:    s.Source.Path,
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// CreateDatabase creates database name on the server at adminDSN, as a copy
// of template when template is not empty.
func CreateDatabase(ctx context.Context, adminDSN, name, template string) error {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "connect to %s: %v", RedactDSN(adminDSN), redactErr(err, adminDSN))
	}
	defer conn.Close(ctx)
	stmt := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		stmt += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return translate(fmt.Errorf("create database %q: %w", name, err))
	}
	return nil
}

// DropDatabase drops database name on the server at adminDSN, disconnecting
// its sessions. A missing database is not an error.
func DropDatabase(ctx context.Context, adminDSN, name string) error {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "connect to %s: %v", RedactDSN(adminDSN), redactErr(err, adminDSN))
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %q: %w", name, err)
	}
	return nil
}

// WithDatabase returns dsn with its database name replaced by name.
func WithDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "database url must be postgres://…, got %s", RedactDSN(dsn))
	}
	u.Path = "/" + name
	return u.String(), nil
}

// RedactDSN returns dsn with any password replaced by "xxxxx", for logs and
// error messages.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		if i := strings.Index(dsn, "password="); i >= 0 {
			j := strings.IndexAny(dsn[i:], " &")
			if j < 0 {
				return dsn[:i] + "password=xxxxx"
			}
			return dsn[:i] + "password=xxxxx" + dsn[i+j:]
		}
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// redactErr strips the dsn's password from a driver error's text.
func redactErr(err error, dsn string) error {
	u, perr := url.Parse(dsn)
	if perr != nil || u.User == nil {
		return err
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" || !strings.Contains(err.Error(), pw) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
}

// translate turns driver errors into domain errors: no rows → ENOTFOUND,
// unique violation → ECONFLICT, others unchanged.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &wrapped{code: gpumarket.ENOTFOUND, err: err}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505", "42P04": // unique_violation, duplicate_database
			return &wrapped{code: gpumarket.ECONFLICT, err: err}
		case "22P02", "23514", "22003": // invalid_text_representation, check_violation, numeric_value_out_of_range
			return &wrapped{code: gpumarket.EINVALID, err: err}
		}
	}
	return err
}

// wrapped carries a domain code while keeping the driver error in the chain.
type wrapped struct {
	code string
	err  error
}

func (w *wrapped) Error() string { return w.err.Error() }

// Unwrap returns the driver error (for logs and errors.Is) and a domain
// error whose message is generic: the driver's text ("no rows in result
// set", constraint names, values) never reaches a user through
// gpumarket.ErrorMessage.
func (w *wrapped) Unwrap() []error {
	return []error{w.err, &gpumarket.Error{Code: w.code, Message: genericMessages[w.code]}}
}

var genericMessages = map[string]string{
	gpumarket.ENOTFOUND: "not found",
	gpumarket.ECONFLICT: "conflicts with stored data",
	gpumarket.EINVALID:  "a value was refused by the database (out of range or malformed)",
}

// queryRows runs query on the pool and scans every row with scan; a failure
// of either is translated and wrapped with op.
func queryRows[T any](ctx context.Context, db *DB, op string, scan pgx.RowToFunc[T], query string, args ...any) ([]T, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, translate(err))
	}
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, translate(err))
	}
	return out, nil
}
