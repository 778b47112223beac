// Package resultstore keeps job results content-addressed on disk and serves
// them to the clients that own them.
//
// A result is stored under the keccak256 hash of its exact bytes: the hash
// the relayer commits on-chain, so a client that downloads a result can check
// it against the chain.
//
// Invariants:
//   - A stored file's name is the hex keccak256 of its contents. Files are
//     written to a temporary file, fsynced, made read-only and renamed into
//     place, then the directory is fsynced: a crash leaves either the whole
//     result or nothing under its name.
//   - Storing the same bytes again is a no-op; storing over a file that no
//     longer matches its name (disk corruption, tampering) repairs it.
//   - Every read re-hashes the file; bytes that do not match their name are
//     never returned ([ErrCorrupt]).
//   - Paths are built only from a [gpumarket.Hash] (32 bytes rendered as 64
//     hex digits), never from a string a caller supplied.
//   - The HTTP handler returns a result only to a client of a job that
//     produced it, proven by a signature checked by an [Authorizer] and
//     authorized by an [Owners] lookup of (hash, signer): identical bytes
//     produced for several clients are served to each of them.
package resultstore

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"golang.org/x/crypto/sha3"

	"github.com/gpumarket/gpumarket"
)

// ErrCorrupt is returned (wrapped) when a stored file no longer hashes to its
// name.
var ErrCorrupt = errors.New("stored result does not match its hash")

// Keccak256 returns the keccak256 hash of data, as the EVM computes it.
func Keccak256(data []byte) gpumarket.Hash {
	h := sha3.NewLegacyKeccak256()
	h.Write(data)
	var out gpumarket.Hash
	h.Sum(out[:0])
	return out
}

// Store is a content-addressed directory of results. It is safe for
// concurrent use, also by several processes sharing the directory.
type Store struct {
	root string
	log  *slog.Logger
}

// Open returns the store rooted at dir, creating dir (mode 0700) and its tmp
// subdirectory if needed. It returns the wrapped error of os.MkdirAll.
func Open(dir string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("open result store %s: %w", dir, err)
	}
	return &Store{root: dir, log: log}, nil
}

// path returns where the result with hash h lives: root/<first 2 hex>/<64 hex>.
func (s *Store) path(h gpumarket.Hash) string {
	x := hex.EncodeToString(h[:])
	return filepath.Join(s.root, x[:2], x)
}

// PutBytes stores data and returns its keccak256 hash. See [Store.Put].
func (s *Store) PutBytes(ctx context.Context, data []byte) (gpumarket.Hash, error) {
	h, _, err := s.Put(ctx, bytes.NewReader(data))
	return h, err
}

// Put stores everything read from r and returns its keccak256 hash and size.
// It is idempotent. It returns the wrapped error of the read, write, fsync or
// rename that failed, and ctx.Err() when ctx ends before the data is in place.
func (s *Store) Put(ctx context.Context, r io.Reader) (gpumarket.Hash, int64, error) {
	var h gpumarket.Hash
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "put-*")
	if err != nil {
		return h, 0, fmt.Errorf("put result: create temp file: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	defer tmp.Close()
	k := sha3.NewLegacyKeccak256()
	n, err := io.Copy(io.MultiWriter(tmp, k), ctxReader{ctx, r})
	if err != nil {
		return h, 0, fmt.Errorf("put result: copy: %w", err)
	}
	k.Sum(h[:0])
	if err := tmp.Sync(); err != nil {
		return h, 0, fmt.Errorf("put result %s: fsync: %w", h, err)
	}
	if err := tmp.Chmod(0o444); err != nil {
		return h, 0, fmt.Errorf("put result %s: chmod: %w", h, err)
	}
	if err := tmp.Close(); err != nil {
		return h, 0, fmt.Errorf("put result %s: close: %w", h, err)
	}
	if err := ctx.Err(); err != nil {
		return h, 0, fmt.Errorf("put result %s: %w", h, err)
	}
	final := s.path(h)
	if err := s.verify(final, h); err == nil {
		return h, n, nil // already stored and intact
	} else if errors.Is(err, ErrCorrupt) {
		s.log.Warn("replacing corrupt result", "result_hash", h.String())
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return h, 0, fmt.Errorf("put result %s: create dir: %w", h, err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return h, 0, fmt.Errorf("put result %s: rename: %w", h, err)
	}
	if err := syncDir(dir); err != nil {
		return h, 0, fmt.Errorf("put result %s: fsync dir: %w", h, err)
	}
	if err := syncDir(s.root); err != nil {
		return h, 0, fmt.Errorf("put result %s: fsync root: %w", h, err)
	}
	s.log.Info("result stored", "result_hash", h.String(), "bytes", n)
	return h, n, nil
}

// Get returns the bytes stored under h after checking their hash. It returns
// an ENOTFOUND *gpumarket.Error when nothing is stored under h, and an error
// wrapping [ErrCorrupt] when the stored bytes no longer match h.
func (s *Store) Get(ctx context.Context, h gpumarket.Hash) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get result %s: %w", h, err)
	}
	data, err := os.ReadFile(s.path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "no result %s", h)
	}
	if err != nil {
		return nil, fmt.Errorf("get result %s: %w", h, err)
	}
	if got := Keccak256(data); got != h {
		return nil, fmt.Errorf("get result %s: %w (contents hash to %s)", h, ErrCorrupt, got)
	}
	return data, nil
}

// Open returns the stored file for h, positioned at its start, and its size,
// after checking that its contents hash to h. The caller closes the file.
// Errors are as for [Store.Get].
func (s *Store) Open(ctx context.Context, h gpumarket.Hash) (*os.File, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, fmt.Errorf("open result %s: %w", h, err)
	}
	f, err := os.Open(s.path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, gpumarket.Errorf(gpumarket.ENOTFOUND, "no result %s", h)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("open result %s: %w", h, err)
	}
	k := sha3.NewLegacyKeccak256()
	n, err := io.Copy(k, ctxReader{ctx, f})
	if err == nil {
		err = checkSum(k, h)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("open result %s: %w", h, err)
	}
	return f, n, nil
}

// verify reports nil when path holds bytes hashing to h, an error wrapping
// ErrCorrupt when it holds other bytes, and another error otherwise.
func (s *Store) verify(path string, h gpumarket.Hash) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	k := sha3.NewLegacyKeccak256()
	if _, err := io.Copy(k, f); err != nil {
		return err
	}
	return checkSum(k, h)
}

func checkSum(k hash.Hash, want gpumarket.Hash) error {
	var got gpumarket.Hash
	k.Sum(got[:0])
	if got != want {
		return fmt.Errorf("%w (contents hash to %s)", ErrCorrupt, got)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ctxReader stops a copy when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
