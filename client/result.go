package client

import (
	"context"
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
	if !strings.HasPrefix(uri, "http://") && !strings.HasPrefix(uri, "https://") {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: result URI %.80q is not http(s)", id, uri)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() || strings.HasSuffix(path, string(filepath.Separator)) {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "result directory %s: %v", path, errors.Unwrap(err))
		}
		path = filepath.Join(path, fmt.Sprintf("job-%d.result", id))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "save result: %v", errors.Unwrap(err))
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, got, err := c.download(ctx, uri, want, tmp)
	if err != nil {
		return nil, fmt.Errorf("job %d: download %s: %w", id, uri, err)
	}
	if got != want {
		return nil, condErr(ErrResultMismatch, gpumarket.EINVALID,
			"job %d: the %d bytes from %s hash to %s, the provider committed %s on-chain; nothing saved. Dispute it: gpumarket job dispute --job %d --reason 'result does not match its hash'",
			id, n, uri, got, want, id)
	}
	if err := tmp.Close(); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "save result: %v", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "save result: %v", errors.Unwrap(err))
	}
	return &Result{JobID: id, Hash: got, URI: uri, Path: path, Size: n}, nil
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
	resp, err := c.http.Do(req)
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
