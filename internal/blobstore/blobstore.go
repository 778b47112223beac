// Package blobstore is the matcher's content-addressed input store: bytes
// uploaded by clients, kept under their SHA-256 and served to providers by
// it. It is the only package that imports gocloud.dev: a bucket is opened
// from a URL, a directory on disk (file:///path, gocloud.dev/blob/fileblob)
// or an S3-compatible object store (s3://bucket?region=…&endpoint=…,
// gocloud.dev/blob/s3blob over the AWS SDK v2).
//
// Invariants:
//   - An object is visible under its content key (sha256/<64 hex>) only
//     once its bytes have been written in full and hash to that key: Put
//     streams to a temporary key while hashing (never holding the body in
//     memory), checks size and hash, then copies to the content key and
//     deletes the temporary one. A failed or refused upload leaves nothing
//     under a content key.
//   - Putting bytes that are already stored keeps them (Exists is true)
//     and refreshes their modification time: the collector's grace counts
//     from the latest upload, so bytes a client has just re-uploaded for a
//     job it is about to create are not collected under it.
//   - Garbage collection (SweepStaged, StoredBefore, DeleteBefore) deletes
//     only what was last written before a cutoff; which blobs are still
//     referenced is the caller's knowledge (matcher/service.CollectBlobs).
package blobstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// URLs
	_ "gocloud.dev/blob/s3blob"   // s3:// URLs
	"gocloud.dev/gcerrors"

	"github.com/gpumarket/gpumarket"
)

// Store is a bucket of content-addressed blobs.
type Store struct {
	bucket *blob.Bucket
	where  string // the URL without its query, for messages
}

// Open opens the bucket at rawURL: file:///abs/dir (created when missing)
// or s3://bucket?region=…[&endpoint=…&use_path_style=true&disable_https=true]
// (credentials from the AWS SDK's usual sources: AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, a profile, a role). It returns an EINVALID error
// for an unsupported or malformed URL.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "blob store url: not a URL")
	}
	where := u.Scheme + "://" + u.Host + u.Path
	switch u.Scheme {
	case "file":
		if u.Path == "" || !strings.HasPrefix(u.Path, "/") {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "blob store url %q: want file:///absolute/dir", where)
		}
		q := u.Query()
		q.Set("create_dir", "true")
		q.Set("metadata", "skip") // content type is not kept on disk: served as octet-stream
		q.Set("no_tmp_dir", "true")
		u.RawQuery = q.Encode()
	case "s3":
		if u.Host == "" {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "blob store url %q: want s3://bucket?region=…", where)
		}
	default:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "blob store url %q: scheme %q is not supported (file:// or s3://)", where, u.Scheme)
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "open blob store %s: %v", where, err)
	}
	return &Store{bucket: b, where: where}, nil
}

// Close releases the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// String returns the store's URL without its query (no credentials).
func (s *Store) String() string { return s.where }

// ErrTooLarge is returned by Put (wrapped in a *SizeError) for a body
// longer than its limit.
var ErrTooLarge = errors.New("blob is larger than the limit")

// SizeError is a body over Put's limit.
type SizeError struct{ Limit int64 }

func (e *SizeError) Error() string { return fmt.Sprintf("blob is larger than %d bytes", e.Limit) }

// Unwrap returns ErrTooLarge.
func (e *SizeError) Unwrap() error { return ErrTooLarge }

// Staged is an upload written to a temporary key, hashed and measured,
// not yet visible under its content key: Commit makes it so, Discard
// deletes it. One of them must be called.
type Staged struct {
	SHA256  gpumarket.Hash
	Size    int64
	Exists  bool // the content key already holds these bytes
	store   *Store
	tmpKey  string
	ctype   string
	settled bool
}

// Stage streams r (at most limit bytes) to a temporary key while hashing
// it. When want is not nil the bytes must hash to it. A body over limit is
// a *SizeError, a hash mismatch an EINVALID error; nothing is kept then.
func (s *Store) Stage(ctx context.Context, r io.Reader, limit int64, want *gpumarket.Hash, contentType string) (*Staged, error) {
	var nonce [12]byte
	_, _ = rand.Read(nonce[:])
	tmp := stagedPrefix + hex.EncodeToString(nonce[:])
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, tmp, &blob.WriterOptions{ContentType: "application/octet-stream", DisableContentTypeDetection: true})
	if err != nil {
		return nil, fmt.Errorf("stage blob: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		err = &SizeError{Limit: limit}
	}
	if err != nil {
		cancel() // aborts the write: nothing is kept under tmp
		_ = w.Close()
		_ = s.bucket.Delete(context.WithoutCancel(ctx), tmp)
		return nil, fmt.Errorf("stage blob: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("stage blob: write: %w", err)
	}
	st := &Staged{Size: n, store: s, tmpKey: tmp, ctype: contentType}
	copy(st.SHA256[:], h.Sum(nil))
	if want != nil && *want != st.SHA256 {
		st.Discard(ctx)
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "body hashes to %s, not the declared sha256 %s", hex.EncodeToString(st.SHA256[:]), hex.EncodeToString(want[:]))
	}
	st.Exists, err = s.bucket.Exists(ctx, Key(st.SHA256))
	if err != nil {
		st.Discard(ctx)
		return nil, fmt.Errorf("stage blob: look up %s: %w", Key(st.SHA256), err)
	}
	return st, nil
}

// Commit copies the staged bytes to their content key (bytes already
// there are rewritten, the same bytes: that refreshes their modification
// time) and deletes the temporary key.
func (st *Staged) Commit(ctx context.Context) error {
	if st.settled {
		return nil
	}
	defer st.Discard(ctx)
	if err := st.store.bucket.Copy(ctx, Key(st.SHA256), st.tmpKey, nil); err != nil {
		return fmt.Errorf("commit blob %s: %w", Key(st.SHA256), err)
	}
	return nil
}

// Discard deletes the temporary key (idempotent).
func (st *Staged) Discard(ctx context.Context) {
	if st.settled {
		return
	}
	st.settled = true
	_ = st.store.bucket.Delete(context.WithoutCancel(ctx), st.tmpKey)
}

// Key returns the content key of a blob: sha256/<64 hex>.
func Key(h gpumarket.Hash) string { return contentPrefix + hex.EncodeToString(h[:]) }

// Size returns the stored size of blob h; ENOTFOUND when none is stored.
func (s *Store) Size(ctx context.Context, h gpumarket.Hash) (int64, error) {
	a, err := s.bucket.Attributes(ctx, Key(h))
	if err != nil {
		return 0, s.translate(h, err)
	}
	return a.Size, nil
}

// Open returns a reader of blob h and its size; ENOTFOUND when none is
// stored. The caller closes the reader.
func (s *Store) Open(ctx context.Context, h gpumarket.Hash) (io.ReadCloser, int64, error) {
	r, err := s.bucket.NewReader(ctx, Key(h), nil)
	if err != nil {
		return nil, 0, s.translate(h, err)
	}
	return r, r.Size(), nil
}

func (s *Store) translate(h gpumarket.Hash, err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return gpumarket.Errorf(gpumarket.ENOTFOUND, "blob %s is not stored", hex.EncodeToString(h[:]))
	}
	return fmt.Errorf("read blob %s: %w", Key(h), err)
}

// Put streams r (at most limit bytes; when want is not nil they must hash
// to it) into the store. Bytes already stored are kept as they are
// (existed is true, admit is not called); new bytes are made visible under
// their content key only if admit, called with their hash and size, returns
// nil; its error is returned and nothing is kept. Errors: a *SizeError over
// limit, EINVALID for a hash mismatch, admit's.
func (s *Store) Put(ctx context.Context, r io.Reader, limit int64, want *gpumarket.Hash,
	admit func(h gpumarket.Hash, size int64) error) (h gpumarket.Hash, size int64, existed bool, err error) {
	st, err := s.Stage(ctx, r, limit, want, "")
	if err != nil {
		return h, 0, false, err
	}
	defer st.Discard(ctx)
	if !st.Exists {
		if err := admit(st.SHA256, st.Size); err != nil {
			return st.SHA256, st.Size, false, err
		}
	}
	if err := st.Commit(ctx); err != nil {
		return st.SHA256, st.Size, false, err
	}
	return st.SHA256, st.Size, st.Exists, nil
}

// Prefixes of the bucket's keys.
const (
	contentPrefix = "sha256/"
	stagedPrefix  = "tmp/"
)

// SweepStaged deletes the staged uploads (tmp/ keys) last written before
// cutoff: what uploads that crashed between Stage and Commit or Discard
// left behind. An upload in progress is younger than any sane cutoff (a
// request's deadline bounds it). It returns how many it deleted.
func (s *Store) SweepStaged(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	it := s.bucket.List(&blob.ListOptions{Prefix: stagedPrefix})
	for {
		o, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("sweep staged uploads: list: %w", err)
		}
		if o.IsDir || !o.ModTime.Before(cutoff) {
			continue
		}
		if err := s.bucket.Delete(ctx, o.Key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return n, fmt.Errorf("sweep staged uploads: delete %s: %w", o.Key, err)
		}
		n++
	}
}

// StoredBefore calls fn with the hashes of the blobs last written before
// cutoff, at most batch (at least 1) at a time, in key order, until all are
// listed or fn fails (its error is returned). fn may delete them.
func (s *Store) StoredBefore(ctx context.Context, cutoff time.Time, batch int, fn func(ctx context.Context, hs []gpumarket.Hash) error) error {
	batch = max(batch, 1)
	token := blob.FirstPageToken
	for {
		objs, next, err := s.bucket.ListPage(ctx, token, batch, &blob.ListOptions{Prefix: contentPrefix})
		if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		var hs []gpumarket.Hash
		for _, o := range objs {
			h, ok := parseKey(o.Key)
			if ok && !o.IsDir && o.ModTime.Before(cutoff) {
				hs = append(hs, h)
			}
		}
		if len(hs) > 0 {
			if err := fn(ctx, hs); err != nil {
				return err
			}
		}
		if next == nil {
			return nil
		}
		token = next
	}
}

// DeleteBefore deletes blob h if it was last written before cutoff, and
// reports whether it did: bytes uploaded again since (a fresh modification
// time) or already gone are kept or ignored.
func (s *Store) DeleteBefore(ctx context.Context, h gpumarket.Hash, cutoff time.Time) (bool, error) {
	a, err := s.bucket.Attributes(ctx, Key(h))
	if gcerrors.Code(err) == gcerrors.NotFound {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("delete blob %s: %w", Key(h), err)
	}
	if !a.ModTime.Before(cutoff) {
		return false, nil
	}
	if err := s.bucket.Delete(ctx, Key(h)); err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return false, nil
		}
		return false, fmt.Errorf("delete blob %s: %w", Key(h), err)
	}
	return true, nil
}

// parseKey parses a content key (sha256/<64 lower-case hex>).
func parseKey(k string) (gpumarket.Hash, bool) {
	var h gpumarket.Hash
	hexPart, ok := strings.CutPrefix(k, contentPrefix)
	if !ok || len(hexPart) != 2*len(h) || strings.ToLower(hexPart) != hexPart {
		return h, false
	}
	if _, err := hex.Decode(h[:], []byte(hexPart)); err != nil {
		return h, false
	}
	return h, true
}
