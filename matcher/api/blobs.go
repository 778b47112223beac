package api

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/blobstore"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// BlobStore is the content-addressed input store (internal/blobstore.Store
// implements it, over a directory or an S3-compatible bucket).
type BlobStore interface {
	// Put streams r (at most limit bytes; when want is not nil they must
	// hash to it) into the store. Bytes already stored are kept (existed
	// true, admit not called); new bytes become visible only if admit,
	// given their hash and size, returns nil (its error is returned).
	// Errors: a body over limit (wrapping blobstore.ErrTooLarge: a
	// *blobstore.SizeError), EINVALID for a hash mismatch.
	Put(ctx context.Context, r io.Reader, limit int64, want *gpumarket.Hash,
		admit func(h gpumarket.Hash, size int64) error) (h gpumarket.Hash, size int64, existed bool, err error)
	// Open returns a reader of blob h and its size; ENOTFOUND when none.
	Open(ctx context.Context, h gpumarket.Hash) (io.ReadCloser, int64, error)
	// Size returns blob h's size; ENOTFOUND when none.
	Size(ctx context.Context, h gpumarket.Hash) (int64, error)
}

// Defaults of the input store's Config fields.
const (
	DefaultBlobMaxBytes        = 64 << 20
	DefaultBlobTransferTimeout = 10 * time.Minute
	// DefaultMaxBodyBytes caps the body of every route but POST /v1/blobs.
	DefaultMaxBodyBytes = 1 << 20
)

// BlobSHA256Header optionally declares the SHA-256 of a POST /v1/blobs
// body: a body that does not hash to it is refused.
const BlobSHA256Header = "X-Gpumarket-Sha256"

// MaxBodyBytes returns the largest request body any route accepts (the
// blob limit when the input store is on): the server-wide cap
// (httpserve.Config.MaxBodyBytes) must be at least this; each route
// enforces its own lower cap.
func (s *Server) MaxBodyBytes() int64 {
	if s.cfg.Blobs != nil {
		return max(s.cfg.BlobMaxBytes, DefaultMaxBodyBytes)
	}
	return DefaultMaxBodyBytes
}

// postBlob stores the body content-addressed: streamed to the store while
// hashed, charged to the caller's blob quota once its size and hash are
// known, visible under its hash only then.
func (s *Server) postBlob(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Blobs == nil {
		return gpumarket.Errorf(gpumarket.ENOTFOUND, "this matcher has no input store")
	}
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	var want *gpumarket.Hash
	switch v := r.Header.Values(BlobSHA256Header); len(v) {
	case 0:
	case 1:
		h, err := parseBlobHash(v[0])
		if err != nil {
			return badRequest("%s: %s", BlobSHA256Header, gpumarket.ErrorMessage(err))
		}
		want = &h
	default:
		return badRequest("%s given %d times", BlobSHA256Header, len(v))
	}
	caller, now := callerOf(r), s.now()
	// A caller the quota would refuse anyway is refused before a byte is
	// read (its declared length, or one byte when chunked); the charge after
	// the upload is the one that counts.
	if err := s.store.CheckBlobQuota(r.Context(), service.BlobUpload{Size: max(r.ContentLength, 1), Caller: caller, Quota: s.cfg.BlobQuota, Now: now}); err != nil {
		return quotaRefusal(err)
	}
	// A large upload may take longer than the server's read timeout.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.BlobTransferTimeout))
	h, size, existed, err := s.cfg.Blobs.Put(r.Context(), r.Body, s.cfg.BlobMaxBytes, want, func(h gpumarket.Hash, size int64) error {
		_, err := s.store.ChargeBlobUpload(r.Context(), service.BlobUpload{SHA256: h, Size: size, Caller: caller, Quota: s.cfg.BlobQuota, Now: now})
		return err
	})
	if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok || errors.Is(err, blobstore.ErrTooLarge) {
		limit := s.cfg.BlobMaxBytes
		if ok {
			limit = mbe.Limit
		}
		return &httpError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("blob is larger than %d bytes", limit)}
	}
	if err != nil {
		return quotaRefusal(err)
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	hexHash := hex.EncodeToString(h[:])
	writeJSON(w, status, BlobRef{SHA256: hexHash, SizeBytes: size, URI: s.publicBase(r) + "/v1/blobs/" + hexHash})
	return nil
}

// quotaRefusal turns a quota refusal into its response (429 with
// Retry-After; 413 when the blob can never fit); other errors pass.
func quotaRefusal(err error) error {
	if qe, ok := errors.AsType[*service.SpecQuotaError](err); ok {
		if qe.RetryAfter == 0 {
			return &httpError{status: http.StatusRequestEntityTooLarge, msg: qe.Error()}
		}
		return &httpError{status: http.StatusTooManyRequests, msg: qe.Error(), retryAfter: qe.RetryAfter}
	}
	return err
}

// BlobRef is the body of a POST /v1/blobs response.
type BlobRef struct {
	SHA256    string `json:"sha256"`
	SizeBytes int64  `json:"size_bytes"`
	URI       string `json:"uri"`
}

// publicBase is Config.PublicURL, or the scheme and host the request came
// to.
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// parseBlobHash accepts 64 hex digits, with or without 0x.
func parseBlobHash(s string) (gpumarket.Hash, error) {
	var h gpumarket.Hash
	t := strings.TrimPrefix(s, "0x")
	if len(t) != 64 {
		return h, gpumarket.Errorf(gpumarket.EINVALID, "sha256 %q: want 64 hex digits", echo(s))
	}
	if _, err := hex.Decode(h[:], []byte(t)); err != nil {
		return h, gpumarket.Errorf(gpumarket.EINVALID, "sha256 %q: not hex", echo(s))
	}
	return h, nil
}

// getBlob serves a stored blob by its hash (HEAD: its headers only), as
// application/octet-stream with ETag "<hex>", nosniff and a sandbox CSP so
// that no upload is ever rendered as a page of this origin.
func (s *Server) getBlob(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Blobs == nil {
		return gpumarket.Errorf(gpumarket.ENOTFOUND, "this matcher has no input store")
	}
	err := checkQuery(r.URL.Query())
	var h gpumarket.Hash
	if err == nil {
		h, err = parseBlobHash(r.PathValue("sha256"))
	}
	if err != nil {
		return err
	}
	etag := `"` + hex.EncodeToString(h[:]) + `"`
	hdr := w.Header()
	setHeaders := func(size int64) {
		hdr.Set("Content-Type", "application/octet-stream")
		hdr.Set("Content-Length", strconv.FormatInt(size, 10))
		hdr.Set("ETag", etag)
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Content-Security-Policy", "sandbox")
	}
	if r.Method == http.MethodHead {
		size, err := s.cfg.Blobs.Size(r.Context(), h)
		if err != nil {
			return err
		}
		setHeaders(size)
		w.WriteHeader(http.StatusOK)
		return nil
	}
	if inm := r.Header.Get("If-None-Match"); inm == etag {
		if _, err := s.cfg.Blobs.Size(r.Context(), h); err != nil {
			return err
		}
		hdr.Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	rc, size, err := s.cfg.Blobs.Open(r.Context(), h)
	if err != nil {
		return err
	}
	defer rc.Close()
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.cfg.BlobTransferTimeout))
	setHeaders(size)
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, rc); err != nil {
		s.log.Warn("blob download cut short", "sha256", hex.EncodeToString(h[:]), "err", err)
	}
	return nil
}
