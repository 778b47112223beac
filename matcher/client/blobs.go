package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gpumarket/gpumarket"
)

// BlobSHA256Header declares an upload's SHA-256 (the matcher refuses a
// body that does not hash to it).
const BlobSHA256Header = "X-Gpumarket-Sha256"

// BlobRef is a stored input: its SHA-256 (64 hex digits), size and the URI
// a spec references it by (gpumarket.JobInput's URI, SHA256, SizeBytes).
type BlobRef struct {
	SHA256    string `json:"sha256"`
	SizeBytes int64  `json:"size_bytes"`
	URI       string `json:"uri"`
}

// PutBlob uploads size bytes read from r to the matcher's input store
// (POST /v1/blobs), streaming them. When sha256Hex is not empty the matcher
// refuses bytes that do not hash to it; either way the answer must name the
// hash of the bytes sent and their size, or PutBlob fails (EINVALID). A
// size of -1 sends the body chunked. Errors carry the API's codes (a body
// over the matcher's limit is EINVALID, a quota refusal EUNAVAILABLE).
// The upload is not bounded by the client's timeout: bound it with ctx.
func (c *Client) PutBlob(ctx context.Context, r io.Reader, size int64, sha256Hex string) (BlobRef, error) {
	var ref BlobRef
	sha256Hex = strings.ToLower(strings.TrimPrefix(sha256Hex, "0x"))
	if sha256Hex != "" {
		if b, err := hex.DecodeString(sha256Hex); err != nil || len(b) != 32 {
			return ref, gpumarket.Errorf(gpumarket.EINVALID, "upload input: sha256 %q is not 64 hex digits", sha256Hex)
		}
	}
	h := sha256.New()
	counted := &countingReader{r: io.TeeReader(r, h)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+"/v1/blobs", counted)
	if err != nil {
		return ref, gpumarket.Errorf(gpumarket.EINVALID, "build request: %v", err)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/octet-stream")
	if sha256Hex != "" {
		req.Header.Set(BlobSHA256Header, sha256Hex)
	}
	resp, err := c.send(c.stream(), req)
	if err != nil {
		return ref, fmt.Errorf("upload input: %w", err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&ref); err != nil {
		return ref, gpumarket.Errorf(gpumarket.EINVALID, "upload input: malformed response: %v", err)
	}
	sent := hex.EncodeToString(h.Sum(nil))
	if ref.SHA256 != sent || ref.SizeBytes != counted.n {
		return ref, gpumarket.Errorf(gpumarket.EINVALID, "upload input: the matcher stored %s (%d bytes), the bytes sent are %s (%d bytes)",
			ref.SHA256, ref.SizeBytes, sent, counted.n)
	}
	return ref, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Blob downloads input sha256Hex (GET /v1/blobs/{sha256}) into w, at most
// limit bytes, and checks that the bytes hash to it: a mismatch or a blob
// over limit is EINVALID (w then holds bytes that must be discarded), an
// unknown blob ENOTFOUND.
func (c *Client) Blob(ctx context.Context, sha256Hex string, w io.Writer, limit int64) error {
	want := strings.ToLower(strings.TrimPrefix(sha256Hex, "0x"))
	if b, err := hex.DecodeString(want); err != nil || len(b) != 32 {
		return gpumarket.Errorf(gpumarket.EINVALID, "download input: sha256 %q is not 64 hex digits", sha256Hex)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+"/v1/blobs/"+want, nil)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "build request: %v", err)
	}
	resp, err := c.send(c.stream(), req)
	if err != nil {
		return fmt.Errorf("download input %s: %w", want, err)
	}
	defer resp.Body.Close()
	if resp.ContentLength > limit {
		return gpumarket.Errorf(gpumarket.EINVALID, "download input %s: %d bytes exceed the limit %d", want, resp.ContentLength, limit)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "download input %s: %v", want, err)
	}
	if n > limit {
		return gpumarket.Errorf(gpumarket.EINVALID, "download input %s: more than the limit of %d bytes", want, limit)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return gpumarket.Errorf(gpumarket.EINVALID, "download input %s: the matcher served %s bytes hashing to %s", want, strconv.FormatInt(n, 10), got)
	}
	return nil
}

// stream returns the client's HTTP client without its overall timeout, for
// transfers and event streams bounded by their context.
func (c *Client) stream() *http.Client {
	hc := *c.http
	hc.Timeout = 0
	return &hc
}
