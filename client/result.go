package client

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	matcherclient "github.com/gpumarket/gpumarket/matcher/client"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/resultauth"
	"github.com/gpumarket/gpumarket/internal/solana"
)

// MaxResultBytes bounds a downloaded result.
const MaxResultBytes = 1 << 30

// resultAuthTTL is how long a download signature is good for.
const resultAuthTTL = 5 * time.Minute

// Result is a downloaded, verified result.
type Result struct {
	JobID gpumarket.JobID
	Hash  gpumarket.Hash // keccak256 of the bytes, equal to the chain's
	URI   string
	Path  string // where it was saved
	Size  int64
}

// SaveResult downloads job id's result from the URI its provider committed
// on-chain (a request signed with the client's key, internal/eth/resultauth),
// checks that the bytes hash (keccak256) to the committed result hash, and
// saves them at path (a directory: as job-<id>.result in it), replacing a
// file there only when the bytes match. It returns an EINVALID error when
// the job has no result yet, and one wrapping ErrResultMismatch (nothing
// saved; the message offers a dispute) when the bytes do not match.
func (c *Client) SaveResult(ctx context.Context, id gpumarket.JobID, path string) (*Result, error) {
	if err := c.needWallet("result"); err != nil {
		return nil, err
	}
	r, _, err := c.jobRecord(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.ResultHash == (gpumarket.Hash{}) {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d has no result yet (it is %s)", id, r.State)
	}
	return c.saveVerified(ctx, id, string(r.ResultURI), r.ResultHash, path)
}

// saveVerified downloads uri into path when its bytes hash to want.
func (c *Client) saveVerified(ctx context.Context, id gpumarket.JobID, uri string, want gpumarket.Hash, path string) (*Result, error) {
	n, got, path, err := saveChecked(ctx, uri, want, path, fmt.Sprintf("job-%d.result", id), func(w io.Writer) (int64, gpumarket.Hash, error) {
		return c.download(ctx, uri, want, w)
	})
	switch {
	case err != nil:
		return nil, fmt.Errorf("job %d: %w", id, err)
	case got != want:
		return nil, condErr(ErrResultMismatch, gpumarket.EINVALID,
			"job %d: the %d bytes from %s hash to %s, the provider committed %s on-chain; nothing saved. Dispute it: gpumarket job dispute --job %d --reason 'result does not match its hash'",
			id, n, uri, got, want, id)
	}
	return &Result{JobID: id, Hash: got, URI: uri, Path: path, Size: n}, nil
}

// saveChecked fetches uri (http(s)) into path (a directory: as name in
// it) and keeps it only when the bytes hash to want; it returns the byte
// count, their hash and the path. A mismatch saves nothing and is for the
// caller to report.
func saveChecked(ctx context.Context, uri string, want gpumarket.Hash, path, name string, fetch func(io.Writer) (int64, gpumarket.Hash, error)) (int64, gpumarket.Hash, string, error) {
	var zero gpumarket.Hash
	if !strings.HasPrefix(uri, "http://") && !strings.HasPrefix(uri, "https://") {
		return 0, zero, "", gpumarket.Errorf(gpumarket.EINVALID, "result URI %.80q is not http(s)", uri)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() || strings.HasSuffix(path, string(filepath.Separator)) {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return 0, zero, "", gpumarket.Errorf(gpumarket.EINVALID, "result directory %s: %v", path, errors.Unwrap(err))
		}
		path = filepath.Join(path, name)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, zero, "", gpumarket.Errorf(gpumarket.EINVALID, "save result: %v", errors.Unwrap(err))
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, got, err := fetch(tmp)
	if err != nil {
		return n, got, "", fmt.Errorf("download %s: %w", uri, err)
	}
	if got != want {
		return n, got, "", nil
	}
	if err := tmp.Close(); err != nil {
		return n, got, "", gpumarket.Errorf(gpumarket.EINVALID, "save result: %v", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, got, "", gpumarket.Errorf(gpumarket.EINVALID, "save result: %v", errors.Unwrap(err))
	}
	return n, got, path, nil
}

// SaveRailResult downloads the result of a job paid on the Solana rail
// from uri (the relayer's result server, as the quote's status reports
// it) with a request signed by the payer key (ed25519, see
// internal/solana.ResultAuthorizer), checks that the bytes hash
// (keccak256) to want, the hash the relayer delivered, and saves them at
// path (a directory: as rail-<reference prefix>.result in it). A mismatch
// saves nothing and wraps ErrResultMismatch. hc nil is a client with a
// 10 minute timeout.
func SaveRailResult(ctx context.Context, hc *http.Client, payer ed25519.PrivateKey, reference, uri string, want gpumarket.Hash, path string) (*Result, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Minute}
	}
	if len(reference) > 8 {
		reference = reference[:8]
	}
	n, got, path, err := saveChecked(ctx, uri, want, path, "rail-"+reference+".result", func(w io.Writer) (int64, gpumarket.Hash, error) {
		exp := time.Now().Add(resultAuthTTL).Unix()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
		if err != nil {
			return 0, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "result uri: %v", err)
		}
		req.Header.Set(solana.ResultPayerHeader, solana.PublicKeyString(payer))
		req.Header.Set(solana.ResultSignatureHeader, solana.SignResultRequest(payer, want, exp))
		req.Header.Set(solana.ResultExpiryHeader, strconv.FormatInt(exp, 10))
		return fetchResult(ctx, hc, req, w)
	})
	switch {
	case err != nil:
		return nil, err
	case got != want:
		return nil, condErr(ErrResultMismatch, gpumarket.EINVALID, "the %d bytes from %s hash to %s, the relayer delivered %s; nothing saved", n, uri, got, want)
	}
	return &Result{Hash: got, URI: uri, Path: path, Size: n}, nil
}

// download fetches uri with a signed request for hash into w and returns
// the byte count and their keccak256.
func (c *Client) download(ctx context.Context, uri string, hash gpumarket.Hash, w io.Writer) (int64, gpumarket.Hash, error) {
	exp := time.Now().Add(resultAuthTTL).Unix()
	sig, err := resultauth.SignResultRequest(c.cfg.Key, hash, exp)
	if err != nil {
		return 0, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINTERNAL, "sign result request: %v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return 0, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "result uri: %v", err)
	}
	req.Header.Set(resultauth.ResultSignatureHeader, sig)
	req.Header.Set(resultauth.ResultExpiryHeader, strconv.FormatInt(exp, 10))
	return fetchResult(ctx, c.http, req, w)
}

// fetchResult sends the signed download request and copies the bytes
// into w, returning their count and keccak256.
func fetchResult(ctx context.Context, hc *http.Client, req *http.Request, w io.Writer) (int64, gpumarket.Hash, error) {
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, gpumarket.Hash{}, ctx.Err()
		}
		return 0, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "provider unreachable: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return 0, gpumarket.Hash{}, gpumarket.Errorf(matcherclient.ErrorCodeOf(resp.StatusCode), "provider answered %d %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	hw := keys.NewKeccak256()
	n, err := io.Copy(io.MultiWriter(w, hw), io.LimitReader(resp.Body, MaxResultBytes+1))
	if err != nil {
		return n, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "read result: %v", err)
	}
	if n > MaxResultBytes {
		return n, gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "result is larger than %d bytes", MaxResultBytes)
	}
	var h gpumarket.Hash
	copy(h[:], hw.Sum(nil))
	return n, h, nil
}
